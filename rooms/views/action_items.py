"""Action items: added in a room (from its home or a meeting), ticked off, reopened, deleted;
and "My action items", each of a member's own across their rooms in the organization."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorship.web import first_error, form_errors

from .. import queries
from ..forms import ActionItemForm
from ..services import action_items
from . import meeting_parts, room_parts

DONE_SHOWN = 20


def _meeting_of(request, room, room_pk):
    """The meeting the form was posted from (``meeting``: an id of this room's), or None; an id
    of another room's is a 404 like any other object of it."""
    meeting_pk = request.POST.get("meeting")
    if not meeting_pk:
        return None
    meeting = queries.get_meeting_for_member(request, room_pk, meeting_pk, write=True)
    meeting.room = room
    return meeting


def _respond(request, room, meeting, **kwargs):
    if request.POST.get("next") == "mine":
        back = reverse("rooms:my-action-items", kwargs={"org_slug": room.organization.slug})
        return room_parts.respond(request, room, back=back, **kwargs)
    if meeting is not None:
        forms = kwargs.pop("forms", None)
        return meeting_parts.respond(
            request, meeting, forms={"item": forms["item"]} if forms else None, **kwargs
        )
    return room_parts.respond(request, room, **kwargs)


@require_POST
def item_add(request, org_slug, room_pk):
    room = queries.get_room_to_write_for_member(request, room_pk)
    meeting = _meeting_of(request, room, room_pk)
    form = ActionItemForm(request.POST, room=room)
    if form.is_valid():
        data = form.cleaned_data
        try:
            action_items.add_item(
                room=room,
                actor=request.user,
                owner_id=data["owner"],
                description=data["description"],
                due_date=data["due_date"],
                meeting_id=meeting.pk if meeting else None,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return _respond(request, room, meeting, success="Action item added.")
    return _respond(request, room, meeting, forms={"item": form})


@require_POST
def item_change(request, org_slug, room_pk, pk):
    """``action``: done, undo or delete."""
    item = queries.get_action_item_for_member(request, room_pk, pk, write=True)
    room = item.room
    meeting = _meeting_of(request, room, room_pk)
    action = request.POST.get("action")
    try:
        if action in ("done", "undo"):
            action_items.set_done(item=item, actor=request.user, done=action == "done")
            said = "Ticked off." if action == "done" else "Open again."
        elif action == "delete":
            action_items.delete_item(item=item, actor=request.user)
            said = "Action item deleted."
        else:
            return _respond(request, room, meeting, error="Choose what to do with the item.")
    except ValidationError as exc:
        return _respond(request, room, meeting, error=first_error(exc))
    return _respond(request, room, meeting, success=said)


@require_GET
def my_items(request, org_slug):
    """The member's own action items, open ones first, across all their rooms here."""
    items = queries.my_action_items(request.membership)
    open_items = list(items.filter(done_at__isnull=True).order_by("due_date", "pk"))
    done = list(items.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:DONE_SHOWN])
    today = timezone.localdate()
    for item in open_items + done:
        match = item.room.match
        mine_as_mentor = match.mentor.user_id == request.user.pk
        item.partner = match.mentee if mine_as_mentor else match.mentor
        item.overdue = item.done_at is None and item.due_date is not None and item.due_date < today
        item.writable = not item.room.is_read_only
    context = {"open_items": open_items, "done_items": done, "today": today}
    return render(request, "rooms/action_items/mine.html", context)
