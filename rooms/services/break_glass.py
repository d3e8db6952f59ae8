"""Break-glass: where a program allows it, an admin opens a room's content with a written
reason; the opening is audited, lasts ``BREAK_GLASS_HOURS``, and both participants see who
opened it, when and why."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship import audit
from mentorship.permissions import has_perm

from .. import queries
from ..constants import BREAK_GLASS_HOURS, REASON_MAX
from ..models import BreakGlass

REASON_MIN = 10


@transaction.atomic
def open_room(*, room, membership, reason) -> BreakGlass:
    """Open ``room``'s content to the admin of ``membership`` for ``BREAK_GLASS_HOURS``."""
    if not has_perm(membership, "manage_programs"):
        raise PermissionDenied("Only the program's admins may open a room.")
    if not queries.settings_of(room.program).break_glass:
        raise ValidationError(
            "This program doesn't allow opening a room's content. An admin can allow it in "
            "the program's room settings."
        )
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": f"Say why you open this room (at least {REASON_MIN} characters)."}
        )
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REASON_MAX} characters."})
    opening = BreakGlass.objects.create(
        organization=room.organization,
        room=room,
        actor=membership.user,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(
        organization=room.organization,
        actor=membership.user,
        action="room.break_glass",
        target=room,
        data={"reason": reason, "hours": BREAK_GLASS_HOURS},
    )
    return opening
