"""A meeting's notes: add (shared or private), edit and delete one's own (shown in the
meeting page's parts, `views.meeting_parts`)."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from mentorship.web import first_error, form_errors

from .. import queries
from ..forms import NoteForm
from ..services import notes
from .meeting_parts import respond
from .meetings import render_detail


@require_POST
def note_add(request, org_slug, room_pk, meeting_pk):
    meeting = queries.get_meeting_for_member(request, room_pk, meeting_pk, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = notes.add_note(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            said = "Private note saved: only you can read it." if note.private else "Note saved."
            return respond(request, meeting, success=said)
    return respond(request, meeting, forms={"note": form})


@require_POST
def note_edit(request, org_slug, room_pk, meeting_pk, pk):
    note = queries.get_note_for_member(request, room_pk, meeting_pk, pk, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            notes.edit_note(note=note, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return respond(request, note.meeting, success="Note saved.")
    forms = {"note_edit": form}
    if not request.htmx:  # the meeting page again, the errors at the note being edited
        return render_detail(request, note.meeting, status=400, forms=forms, editing=note.pk)
    return respond(request, note.meeting, forms=forms, editing=note.pk)


@require_POST
def note_delete(request, org_slug, room_pk, meeting_pk, pk):
    note = queries.get_note_for_member(request, room_pk, meeting_pk, pk, write=True)
    try:
        notes.delete_note(note=note, actor=request.user)
    except ValidationError as exc:
        return respond(request, note.meeting, error=first_error(exc))
    return respond(request, note.meeting, success="Note deleted.")
