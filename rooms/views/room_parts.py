"""What the room's home shows of the pair's work: open action items, recent messages and
progress updates, the stage and its prompts (the page itself is `views.rooms`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import pairs, permissions, queries
from ..forms import ActionItemForm, ProgressUpdateForm
from ..models import Stage
from ..services import action_items
from ..web import not_saved

TEMPLATE = "rooms/partials/_room_parts.html"
RECENT_UPDATES = 3
HOME_ITEMS = 5  # the soonest due; all of them (up to OPEN_ITEMS) a click away
OPEN_ITEMS = 200


def parts(request, room, *, forms=None) -> dict:
    """Context for ``rooms/partials/_room_parts.html`` (a fixed number of queries: the stage's
    prompts, open action items, the messages' counts, the latest updates)."""
    forms = forms or {}
    user = request.user
    names = pairs.names(room)
    writable = permissions.can_write(request.membership, room)
    every = request.GET.get("items") == "all"
    shown = OPEN_ITEMS if every else HOME_ITEMS
    # Soonest due first (the model's order); one more than shown says whether there are more.
    items = queries.open_action_items(room, shown + 1)
    more_items = len(items) > shown
    items = items[:shown]
    action_items.mark_overdue(items, request.organization)
    for item in items:
        item.owner_name = names.get(item.owner_id, "Someone")
    counts = queries.message_counts(room, user)
    if not permissions.is_participant(request.membership, room):
        counts["unread"] = 0  # an admin reading through break-glass has no read mark
    updates = queries.recent_updates(room, RECENT_UPDATES)
    for update in updates:
        update.author_name = names.get(update.author_id, "Someone")
    stage = Stage(room.stage)
    return {
        "stage": stage,
        "stage_prompts": queries.prompts_for_stage(room.program, room.stage),
        "next_stage": Stage(stage + 1) if stage < Stage.REVIEW else None,
        "previous_stage": Stage(stage - 1) if stage > Stage.FOUNDATION else None,
        "stages": Stage.choices,
        "open_items": items,
        "more_items": more_items and not every,
        "message_count": counts["total"],
        "last_message_at": counts["last"],
        "unread_messages": counts["unread"],
        "recent_updates": updates,
        "parts_can_write": writable,
        "room_item_form": forms.get("item") or ActionItemForm(room=room),
        "update_form": forms.get("update") or ProgressUpdateForm(),
    }


def home_url(room):
    return reverse("rooms:home", kwargs={"org_slug": room.organization.slug, "pk": room.pk})


def respond(request, room, *, success="", forms=None, error="", back=None):
    """After a post of one of the room parts' forms (like `meeting_parts.respond`)."""
    failed = bool(error) or any(f.errors for f in (forms or {}).values())
    if request.htmx and back is None:
        context = {"room": room, **parts(request, room, forms=forms), "parts_error": error}
        return render(request, TEMPLATE, context, status=400 if failed else 200)
    if failed:
        return not_saved(request, room, back=back or home_url(room), error=error, forms=forms)
    if success:
        messages.success(request, success)
    return redirect(back or home_url(room))
