"""Action items: something one of the pair (its owner) will do, by a day, maybe agreed in a
meeting. Either of the pair adds, edits, ticks off and deletes the room's items; "overdue" is
judged by the owner's calendar (their time zone's today)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.notifications.quiet_hours import zone_of

from .. import pairs
from ..constants import ACTION_ITEM_MAX
from ..models import ActionItem, Meeting
from . import checks, rooms


def owner_today(item) -> date:
    """Today in the owner's zone (the organization's where they set none)."""
    return timezone.now().astimezone(zone_of(item.owner, item.room.organization)).date()


def is_overdue(item, today=None) -> bool:
    if item.done_at is not None or item.due_date is None:
        return False
    return item.due_date < (today or owner_today(item))


def mark_overdue(items, organization):
    """Set ``item.overdue`` on each item (owners loaded), without queries."""
    now = timezone.now()
    for item in items:
        today = now.astimezone(zone_of(item.owner, organization)).date()
        item.overdue = item.done_at is None and item.due_date is not None and item.due_date < today
    return items


def _clean(room, *, owner_id, description, meeting_id):
    errors = {}
    description = (description or "").strip()
    if not description:
        errors["description"] = "Say what is to be done."
    elif len(description) > ACTION_ITEM_MAX:
        errors["description"] = (
            f"Keep it under {ACTION_ITEM_MAX} characters (it has {len(description)})."
        )
    if owner_id not in pairs.user_ids(room):
        errors["owner"] = "The owner is one of the two of you."
    if meeting_id is not None and not Meeting.objects.filter(room=room, pk=meeting_id).exists():
        errors["meeting"] = "That meeting is not one of this room's."
    if errors:
        raise ValidationError(errors)
    return description


@transaction.atomic
def add_item(*, room, actor, owner_id, description, due_date=None, meeting_id=None) -> ActionItem:
    checks.ensure_writable(room, actor)
    description = _clean(room, owner_id=owner_id, description=description, meeting_id=meeting_id)
    item = ActionItem.objects.create(
        organization_id=room.organization_id,
        room=room,
        meeting_id=meeting_id,
        owner_id=owner_id,
        description=description,
        due_date=due_date,
        created_by=actor,
    )
    rooms.touch(room)
    return item


@transaction.atomic
def edit_item(*, item, actor, **changes) -> ActionItem:
    """Change any of ``owner_id``, ``description``, ``due_date``, ``meeting_id``."""
    checks.ensure_writable(item.room, actor)
    values = {
        "owner_id": item.owner_id,
        "description": item.description,
        "due_date": item.due_date,
        "meeting_id": item.meeting_id,
    }
    unknown = set(changes) - set(values)
    if unknown:
        raise ValueError(f"Unknown action item fields: {sorted(unknown)}")
    values.update(changes)
    values["description"] = _clean(
        item.room,
        owner_id=values["owner_id"],
        description=values["description"],
        meeting_id=values["meeting_id"],
    )
    for name, value in values.items():
        setattr(item, name, value)
    item.save(update_fields=list(values))
    return item


@transaction.atomic
def set_done(*, item, actor, done) -> ActionItem:
    checks.ensure_writable(item.room, actor)
    if done and item.done_at is None:
        item.done_at = timezone.now()
    elif not done:
        item.done_at = None
    item.save(update_fields=["done_at"])
    rooms.touch(item.room)
    return item


@transaction.atomic
def delete_item(*, item, actor) -> None:
    checks.ensure_writable(item.room, actor)
    item.delete()
