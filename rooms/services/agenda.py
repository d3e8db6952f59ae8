"""A meeting's agenda: suggested, then the pair's to edit.

Suggesting (the "Suggest points" button, or `suggest_agenda` from code that schedules a
meeting) adds, without repeating what is on the agenda already:

1. points carried over: every point of the pair's earlier meetings that was not ticked off and
   not carried yet (a private point stays private to its author);
2. the prompts of the room's current stage (the program's library);
3. the room's open action items;
4. the roadmap's milestones due by the meeting's day (when the roadmaps app offers them).

Carry-over happens when the next meeting's agenda is built, not when a meeting is marked held:
a point ticked off late (after the meeting) is then simply not carried.

Each point is shared, or private to its author: nobody else ever reads a private point (the
other party, admins and HR included), and only its author changes it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentorship import ordering
from roadmaps import queries as roadmap_queries

from .. import queries
from ..constants import AGENDA_POINT_MAX
from ..models import ActionItem, AgendaPoint, Meeting
from . import checks, rooms

Source = AgendaPoint.Source


def _clean_text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the point."})
    if len(text) > AGENDA_POINT_MAX:
        raise ValidationError(
            {"text": f"Keep a point under {AGENDA_POINT_MAX} characters (it has {len(text)})."}
        )
    return text


def _check_open(meeting, actor):
    """The pair may change this meeting's agenda: their room is writable, the meeting not
    cancelled."""
    checks.ensure_writable(meeting.room, actor)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled: its agenda can't change.")


def _milestones_due(room, meeting):
    """Titles of the roadmap's milestones due by the meeting's day (in the program's time zone,
    the one due dates are counted in)."""
    day = meeting.starts_at.astimezone(roadmap_queries.zone_of(room.program)).date()
    return [m.title for m in roadmap_queries.milestones_due(room.match, day)]


@transaction.atomic
def suggest_agenda(*, meeting, actor) -> list[AgendaPoint]:
    """Add the suggested points (see the module) that are not on the agenda yet; the new ones."""
    _check_open(meeting, actor)
    # One suggestion at a time per meeting: a double click or both partners at once would
    # otherwise each add the same points.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    room = meeting.room
    existing = set(
        AgendaPoint.objects.filter(meeting=meeting).values_list("source", "text", "carried_from")
    )
    texts = {(source, text) for source, text, _ in existing}
    carried = {c for _, _, c in existing if c}
    already_carried = AgendaPoint.objects.filter(room=room, carried_from__isnull=False).values(
        "carried_from"
    )
    leftovers = (
        AgendaPoint.objects.filter(room=room, done=False, meeting__starts_at__lt=meeting.starts_at)
        .exclude(meeting=meeting)
        .exclude(pk__in=already_carried)
        .order_by("meeting__starts_at", "position", "pk")
    )
    position = ordering.next_position(AgendaPoint.objects.filter(meeting=meeting))
    new = []

    def add(text, source, **extra):
        nonlocal position
        new.append(
            AgendaPoint(
                organization_id=room.organization_id,
                room=room,
                meeting=meeting,
                text=text[:AGENDA_POINT_MAX],
                source=source,
                position=position,
                **extra,
            )
        )
        texts.add((source, text))
        position += 1

    for point in leftovers:
        if point.pk not in carried:
            add(
                point.text,
                Source.CARRIED,
                author_id=point.author_id,
                private=point.private,
                carried_from=point,
            )
    for text in queries.prompts_for_stage(room.program, room.stage):
        if (Source.PROMPT, text) not in texts:
            add(text, Source.PROMPT, author=actor)
    items = ActionItem.objects.filter(room=room, done_at__isnull=True).order_by("due_date", "pk")
    for item in items:
        if (Source.ACTION_ITEM, item.description) not in texts:
            add(item.description, Source.ACTION_ITEM, author=actor)
    for title in _milestones_due(room, meeting):
        if (Source.MILESTONE, title) not in texts:
            add(title, Source.MILESTONE, author=actor)
    AgendaPoint.objects.bulk_create(new)
    if new:
        rooms.touch(room)
    return new


@transaction.atomic
def add_point(*, meeting, actor, text, private=False) -> AgendaPoint:
    _check_open(meeting, actor)
    point = AgendaPoint.objects.create(
        organization_id=meeting.organization_id,
        room_id=meeting.room_id,
        meeting=meeting,
        author=actor,
        text=_clean_text(text),
        private=bool(private),
        position=ordering.next_position(AgendaPoint.objects.filter(meeting=meeting)),
    )
    rooms.touch(meeting.room)
    return point


def _check_may_change(point, actor):
    checks.ensure_writable(point.meeting.room, actor)
    # A private point of someone else is never even found (404, see queries); this guards
    # the service against being called with one anyway.
    if point.private and point.author_id != actor.pk:
        raise PermissionDenied("Only its author changes a private point.")


@transaction.atomic
def set_done(*, point, actor, done) -> AgendaPoint:
    _check_may_change(point, actor)
    point.done = bool(done)
    point.save(update_fields=["done"])
    return point


@transaction.atomic
def edit_point(*, point, actor, text=None, private=None) -> AgendaPoint:
    """Change a point's words or who sees it: its author only."""
    checks.ensure_writable(point.meeting.room, actor)
    if point.author_id != actor.pk:
        raise PermissionDenied("Only its author changes a point's words or privacy.")
    if text is not None:
        point.text = _clean_text(text)
    if private is not None:
        point.private = bool(private)
    point.save(update_fields=["text", "private"])
    return point


@transaction.atomic
def move_point(*, point, actor, direction) -> AgendaPoint:
    """Up or down one place among the points ``actor`` sees (renumbering the whole agenda, so
    the other party's private points keep their places relative to each other)."""
    _check_may_change(point, actor)
    everything = list(AgendaPoint.objects.select_for_update().filter(meeting_id=point.meeting_id))
    slots = [i for i, p in enumerate(everything) if not p.private or p.author_id == actor.pk]
    seen = [everything[i].pk for i in slots]
    order = ordering.moved(
        seen, point.pk, direction=direction, direction_error="Move a point “up” or “down”."
    )
    if order is not None:  # the points actor sees take their new order in the same slots
        by_pk = {p.pk: p for p in everything}
        for i, pk in zip(slots, order, strict=True):
            everything[i] = by_pk[pk]
    ordering.renumber(AgendaPoint, everything)
    point.position = next(p.position for p in everything if p.pk == point.pk)
    return point


@transaction.atomic
def delete_point(*, point, actor) -> None:
    _check_may_change(point, actor)
    point.delete()
