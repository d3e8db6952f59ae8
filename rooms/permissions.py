"""Who may do what in a room, next to the role table in `mentorship.permissions`: used by
pages, the API and templates alike."""

from django.utils import timezone

from mentorship.permissions import has_perm

from . import pairs


def is_participant(membership, room) -> bool:
    """The room's mentor or mentee (``room.match`` with both enrolments loaded)."""
    user_id = membership.user_id if membership is not None else None
    return user_id is not None and user_id in pairs.user_ids(room)


def can_see_metadata(membership, room) -> bool:
    """Stage, meeting counts, dates, milestone progress: the pair, and the program's admins and
    HR."""
    return is_participant(membership, room) or has_perm(membership, "view_programs")


def has_open_break_glass(membership, room) -> bool:
    """An admin who opened this room's content with a reason, within its time limit (the
    room's ``open_break_glass`` prefetch when present, else one query)."""
    if not has_perm(membership, "manage_programs"):
        return False
    now = timezone.now()
    openings = getattr(room, "open_break_glass", None)
    if openings is None:
        return room.break_glass.filter(actor_id=membership.user_id, expires_at__gt=now).exists()
    return any(o.actor_id == membership.user_id and o.expires_at > now for o in openings)


def can_read_content(membership, room) -> bool:
    """Meetings' shared notes, agenda, action items, messages, updates: the pair; an admin only
    through a recorded break-glass opening. Private notes and points stay their author's."""
    return is_participant(membership, room) or has_open_break_glass(membership, room)


def can_write(membership, room) -> bool:
    """Only the pair writes in their room, and only while it is not read-only (the match open,
    its program not closed: `Room.is_read_only`)."""
    return is_participant(membership, room) and not room.is_read_only
