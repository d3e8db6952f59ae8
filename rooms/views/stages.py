"""The pair moves their room's stage one step on (or back) from the room's home."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from mentorship.web import first_error

from .. import queries
from ..models import Stage
from ..services import stages
from . import room_parts


@require_POST
def move(request, org_slug, pk):
    room = queries.get_room_to_write_for_member(request, pk)
    try:
        stages.move_stage(room=room, actor=request.user, stage=request.POST.get("stage"))
    except ValidationError as exc:
        return room_parts.respond(request, room, error=first_error(exc))
    return room_parts.respond(request, room, success=f"Your stage: {Stage(room.stage).label}.")
