"""The room's message thread: read and write (htmx polls for new ones every 10 seconds), and
mark them read (a post the page makes once it has shown them, naming the last message it
showed: reading never writes, and a message that arrives meanwhile stays unread)."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.web import first_error, form_errors, status_for

from .. import pairs, permissions, queries
from ..forms import MessageForm
from ..services import messages as services

SHOWN = 100


def _dress(messages, room, user):
    names = pairs.names(room)
    for message in messages:
        message.mine = message.author_id == user.pk
        message.author_name = names.get(message.author_id, "Someone")
    return messages


def _earlier_than(request, room):
    """The message of ``?before=<id>`` (the oldest one a page showed), or None for the latest."""
    try:
        pk = int(request.GET.get("before", ""))
    except ValueError:
        return None
    return queries.message_of(room, pk)


def _context(request, room, form=None, before=None):
    """The latest ``SHOWN`` messages, or (``before``: a message) the ``SHOWN`` before it."""
    latest = queries.messages_before(room, before, SHOWN + 1)
    older = len(latest) > SHOWN
    thread = _dress(list(reversed(latest[:SHOWN])), room, request.user)
    participant = permissions.is_participant(request.membership, room)
    partner = pairs.partner(room, request.user)
    return {
        "room": room,
        "thread": thread,
        "older": older,
        "last_id": thread[-1].pk if thread else 0,
        "form": form or MessageForm(),
        "can_write": permissions.can_write(request.membership, room),
        "participant": participant,
        "partner": partner,
        # Reading earlier messages: no polling for new ones there, and nothing marked read.
        "earlier": before is not None,
        "mark_read": participant and before is None and bool(thread),
    }


@require_http_methods(["GET", "POST"])
def thread(request, org_slug, pk):
    if request.method == "GET":
        room = queries.get_room_content_for_member(request, pk)
        context = _context(request, room, before=_earlier_than(request, room))
        return render(request, "rooms/messages/thread.html", context)
    room = queries.get_room_to_write_for_member(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(room=room, actor=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            if request.htmx:
                return render(request, "rooms/messages/_box.html", _context(request, room))
            return redirect("rooms:messages", org_slug=org_slug, pk=room.pk)
    context = _context(request, room, form)
    template = "rooms/messages/_box.html" if request.htmx else "rooms/messages/thread.html"
    return render(request, template, context, status=status_for(form))


@require_GET
def new_messages(request, org_slug, pk):
    """htmx: the messages after ``?after=<id>``, and the poller that asks again."""
    room = queries.get_room_content_for_member(request, pk)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    new = _dress(queries.messages_after(room, after, SHOWN), room, request.user)
    participant = permissions.is_participant(request.membership, room)
    context = {
        "room": room,
        "thread": new,
        "last_id": new[-1].pk if new else after,
        "mark_read": participant and any(not m.mine for m in new),
    }
    return render(request, "rooms/messages/_new.html", context)


@require_POST
def mark_read(request, org_slug, pk):
    """Mark read up to ``up_to``: the id of the last message the page showed (the latest
    message when it names none)."""
    room = queries.get_room_for_member(request, pk)
    if not room.viewer_is_participant:
        raise Http404("No such room.")
    try:
        services.mark_read(room=room, user=request.user, up_to=request.POST.get("up_to"))
    except ValidationError as exc:
        return HttpResponseBadRequest(first_error(exc))
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("rooms:messages", org_slug=org_slug, pk=room.pk)
