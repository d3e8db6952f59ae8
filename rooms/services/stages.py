"""The pair moves their room through the relationship's stages when they are ready: one stage
forward, or one back. Their own business: no audit entry (admins see the stage itself)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import Room, Stage
from . import checks, rooms


@transaction.atomic
def move_stage(*, room, actor, stage) -> Room:
    """Set the room's stage to ``stage``: the next one or the previous one."""
    checks.ensure_writable(room, actor)
    try:
        stage = Stage(int(stage))
    except (TypeError, ValueError):
        raise ValidationError({"stage": "Choose one of the relationship's stages."}) from None
    if abs(stage - room.stage) != 1:
        raise ValidationError(
            {"stage": f"From “{Stage(room.stage).label}” you can move one stage on or one back."}
        )
    room.stage, room.stage_changed_at = stage, timezone.now()
    Room.objects.filter(pk=room.pk).update(stage=room.stage, stage_changed_at=room.stage_changed_at)
    rooms.touch(room)
    return room
