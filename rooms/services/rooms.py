"""Rooms come with their matches: one per match, made in the transaction that made the match."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from mentorship import audit
from programs.models import Enrollment

from .. import queries
from ..models import BreakGlass, Room, RoomSettings


def open_rooms(*, matches, actor=None):
    """`matching.hooks.matches_started`: a room for each new match (one bulk insert)."""
    matches, now = list(matches), timezone.now()
    Room.objects.bulk_create(
        [
            Room(
                organization_id=m.organization_id,
                program_id=m.program_id,
                match=m,
                last_activity_at=now,
            )
            for m in matches
        ],
        ignore_conflicts=True,  # a match that has its room already keeps it
    )
    # Their people are in one room more: the navigation bar counts again.
    enrolments = {m.mentor_id for m in matches} | {m.mentee_id for m in matches}
    people = defaultdict(set)
    rows = Enrollment.objects.filter(pk__in=enrolments).values_list("organization_id", "user_id")
    for organization_id, user_id in rows:
        people[organization_id].add(user_id)
    for organization_id, user_ids in people.items():
        queries.forget_nav_counts(organization_id, user_ids)


def touch(room):
    """Something happened in the room: it moves to the top of its people's lists."""
    Room.objects.filter(pk=room.pk).update(last_activity_at=timezone.now())


@transaction.atomic
def save_settings(*, program, break_glass, actor) -> RoomSettings:
    """An admin decides what the program's rooms allow (break-glass on or off)."""
    current, _ = RoomSettings.objects.get_or_create(
        program=program, defaults={"organization": program.organization}
    )
    closed = 0
    if current.break_glass != bool(break_glass):
        current.break_glass = bool(break_glass)
        current.save(update_fields=["break_glass"])
        if not current.break_glass:  # switched off: the openings still running end now
            now = timezone.now()
            closed = BreakGlass.objects.filter(
                organization=program.organization, room__program=program, expires_at__gt=now
            ).update(expires_at=now)
    audit.record(
        organization=program.organization,
        actor=actor,
        action="room.settings_saved",
        target=program,
        data={
            "break_glass": current.break_glass,
            "allowed": "on" if current.break_glass else "off",
            "openings_closed": closed,
        },
    )
    return current
