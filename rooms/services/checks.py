"""The checks every write in a room makes itself, whoever calls it: pages and the API look the
room up for the member first (`rooms.queries.get_room_to_write_for_member`), and a service
called from anywhere else (a task, a shell, another app) refuses the same people.

Both raise PermissionDenied (403), as the lookups do: only the pair writes in their room, and
only while it is not read-only (`Room.is_read_only`: the match open, its program not closed).
They read ``room.match`` with both enrolments, which the lookups load."""

from django.core.exceptions import PermissionDenied

from .. import pairs


def ensure_pair(room, actor) -> None:
    """``actor`` is the room's mentor or mentee (not another member, not an admin or HR)."""
    user_id = getattr(actor, "pk", None)
    if user_id is None or user_id not in pairs.user_ids(room):
        raise PermissionDenied("Only the pair writes in their room.")


def ensure_writable(room, actor) -> None:
    """``actor`` is one of the pair, and the room is not read-only."""
    ensure_pair(room, actor)
    reason = room.read_only_reason()
    if reason:
        raise PermissionDenied(reason)
