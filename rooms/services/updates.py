"""Progress updates between meetings: a short post (progress, roadblocks, achievements: at
least one), in the room's activity. The pair's own: no audit entry."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..constants import UPDATE_MAX
from ..models import ProgressUpdate
from . import checks, rooms

PARTS = ("progress", "roadblocks", "achievements")


@transaction.atomic
def post_update(*, room, actor, progress="", roadblocks="", achievements="") -> ProgressUpdate:
    checks.ensure_writable(room, actor)
    values = {
        "progress": (progress or "").strip(),
        "roadblocks": (roadblocks or "").strip(),
        "achievements": (achievements or "").strip(),
    }
    errors = {
        name: f"Keep it under {UPDATE_MAX:,} characters (it has {len(text):,})."
        for name, text in values.items()
        if len(text) > UPDATE_MAX
    }
    if errors:
        raise ValidationError(errors)
    if not any(values.values()):
        raise ValidationError("Write your progress, a roadblock or an achievement.")
    update = ProgressUpdate.objects.create(
        organization_id=room.organization_id, room=room, author=actor, **values
    )
    rooms.touch(room)
    return update


@transaction.atomic
def delete_update(*, update, actor) -> None:
    checks.ensure_writable(update.room, actor)
    if update.author_id != actor.pk:
        raise PermissionDenied("Only its author deletes an update.")
    update.delete()
