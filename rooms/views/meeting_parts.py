"""What the meeting page shows of the pair's work on it: agenda, notes, action items, feedback
(its page is `views.meetings`; these parts are kept here so each noun stays in its module).

The forms of these parts post to their own views (agenda, notes, action items, feedback),
which answer htmx with the parts re-rendered (400 with the form's errors), and a plain post
with a redirect back to the meeting page. A refused edit of a note shows its errors at that
note's own form (its text kept; the form for a new note stays empty)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .. import markup, pairs, permissions, queries
from ..forms import ActionItemForm, AgendaPointForm, FeedbackForm, NoteForm
from ..models import Meeting
from ..notifications import meeting_path
from ..services import action_items, feedback
from ..web import not_saved

TEMPLATE = "rooms/partials/_meeting_parts.html"


def parts(request, meeting, *, forms=None, editing=None) -> dict:
    """Context for ``rooms/partials/_meeting_parts.html`` (a fixed number of queries: the
    agenda, the notes, the action items, and for the pair of a held meeting their feedback
    and whether it is their first). Private points and notes are only ever the viewer's own.
    ``editing``: the pk of the note whose refused edit ``forms["note_edit"]`` is."""
    forms = forms or {}
    membership, user = request.membership, request.user
    room = meeting.room
    names = pairs.names(room)
    participant = permissions.is_participant(membership, room)
    writable = permissions.can_write(membership, room) and (
        meeting.status != Meeting.Status.CANCELLED
    )
    points = list(queries.visible_points(meeting, user))
    for point in points:
        point.mine = point.author_id == user.pk
        point.may_change = not point.private or point.mine
        if point.source == point.Source.OWN and not point.mine:
            point.source_label = f"Added by {names.get(point.author_id, 'someone')}"
        else:
            point.source_label = point.get_source_display()
    notes = list(queries.visible_notes(meeting, user))
    for note in notes:
        note.html = markup.render(note.body)
        note.mine = note.author_id == user.pk
        note.author_name = names.get(note.author_id, "Someone")
        note.edit_form = forms.get("note_edit") if note.pk == editing else None
    items = queries.meeting_action_items(meeting)
    action_items.mark_overdue(items, request.organization)
    for item in items:
        item.owner_name = names.get(item.owner_id, "Someone")
    context = {
        "agenda_points": points,
        "notes": notes,
        "meeting_items": items,
        "parts_can_write": writable,
        "point_form": forms.get("point") or AgendaPointForm(),
        "note_form": forms.get("note") or NoteForm(),
        "item_form": forms.get("item") or ActionItemForm(room=room),
        "my_feedback": None,
        "feedback_form": None,
        "feedback_question": feedback.QUESTION,
    }
    if participant and meeting.status == Meeting.Status.HELD:
        mine = queries.feedback_of(meeting, user)
        context["my_feedback"] = mine
        if mine is None and not room.is_read_only:
            ask_fit = feedback.is_first_held(meeting)
            context["feedback_form"] = forms.get("feedback") or FeedbackForm(ask_fit=ask_fit)
    return context


def meeting_url(meeting):
    return meeting_path(meeting)


def respond(request, meeting, *, success="", forms=None, error="", editing=None):
    """After a post of one of the parts' forms: htmx gets the parts (400 with errors), a plain
    post a redirect to the meeting page, or (errors) a short page saying what went wrong.
    ``editing``: the pk of the note whose refused edit ``forms["note_edit"]`` is."""
    forms = forms or {}
    failed = bool(error) or any(f.errors for f in forms.values())
    if request.htmx:
        context = {
            "meeting": meeting,
            "room": meeting.room,
            **parts(request, meeting, forms=forms, editing=editing),
        }
        context["parts_error"] = error
        return render(request, TEMPLATE, context, status=400 if failed else 200)
    if failed:
        return not_saved(request, meeting.room, back=meeting_url(meeting), error=error, forms=forms)
    if success:
        messages.success(request, success)
    return redirect(meeting_url(meeting))
