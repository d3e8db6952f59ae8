"""Reads that room pages and the API share, starting with the objects a URL names.

``get_<thing>_for_member(request, …)`` takes a page's or the API's request (or a membership)
and answers the object or raises: 404 for another tenant's, for a room the member is not in and
may not oversee, and for content (meetings, notes, messages…) of a room the member is not in,
admins and HR included unless an admin opened it through break-glass; 403 for a write in a
room that is read-only (its match ended, or its program closed)."""

from datetime import UTC, datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

# DRF's: a non-numeric id is a 404 too (see programs.queries).
from rest_framework.generics import get_object_or_404

from matching.models import Match
from mentorship.permissions import has_perm
from programs.models import AgreementTemplate, Enrollment
from programs.queries import get_program_for_member
from programs.services import current_agreement_template
from roadmaps import queries as roadmaps

from . import permissions
from .models import (
    ActionItem,
    AgendaPoint,
    AgreementSignature,
    BreakGlass,
    CalendarFeed,
    Meeting,
    MeetingFeedback,
    Message,
    Note,
    ProgressUpdate,
    ReadMark,
    Room,
    RoomSettings,
    StagePrompt,
)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # before any read mark


def _membership(request):
    return getattr(request, "membership", request)


def rooms_of(organization_id, user_id):
    """The organization's rooms a user takes part in, as mentor or mentee. Through the ids of
    their enrolments and matches: PostgreSQL finds those by index, where joining each match
    to both its enrolments would read every match of the organization."""
    enrolments = Enrollment.objects.filter(organization_id=organization_id, user_id=user_id)
    enrolments = enrolments.values("pk")
    matches = Match.objects.filter(organization_id=organization_id).filter(
        Q(mentor_id__in=enrolments) | Q(mentee_id__in=enrolments)
    )
    return Room.objects.filter(organization_id=organization_id, match__in=matches.values("pk"))


def rooms_for(membership):
    """Rooms this member may see at all: their own; every room of the organization for admins
    and HR (metadata)."""
    # By ids: the membership's organization and user need not be loaded for this.
    if not has_perm(membership, "view_programs"):
        return rooms_of(membership.organization_id, membership.user_id)
    return Room.objects.filter(organization_id=membership.organization_id)


def my_rooms(membership):
    """The rooms a member takes part in (as mentor or mentee), people and program loaded."""
    return with_people(rooms_of(membership.organization_id, membership.user_id))


def with_people(rooms, *, open_break_glass=True):
    """Rooms with their program, pair (people and users) and roadmap; ``open_break_glass``:
    with the openings still running too (``room.open_break_glass``, one more query)."""
    rooms = rooms.select_related(
        "program", "match__mentor__user", "match__mentee__user", "match__roadmap"
    )
    if not open_break_glass:
        return rooms
    return rooms.prefetch_related(
        Prefetch(
            "break_glass",
            queryset=BreakGlass.objects.filter(expires_at__gt=timezone.now()).select_related(
                "actor"
            ),
            to_attr="open_break_glass",
        )
    )


def get_room_for_member(request, pk, *, open_break_glass=True):
    """A room whose metadata this member may see (the pair, the organization's admins and HR);
    404 for anyone else. ``room.viewer_is_participant`` says which; ``open_break_glass``: see
    ``with_people`` (without it, an admin's ``permissions.has_open_break_glass`` asks)."""
    membership = _membership(request)
    rooms = with_people(
        Room.objects.filter(organization_id=membership.organization_id),
        open_break_glass=open_break_glass,
    )
    room = get_object_or_404(rooms, pk=pk)
    # Who may see it is checked on the room at hand: one room by its key plans faster than
    # the same lookup through `rooms_for`'s join (the outcome is the same: 404 to others).
    room.viewer_is_participant = permissions.is_participant(membership, room)
    if not room.viewer_is_participant and not has_perm(membership, "view_programs"):
        raise Http404("No such room.")
    return room


def get_room_content_for_member(request, pk):
    """A room whose content this member may read: the pair, or an admin through an open
    break-glass; 404 for anyone else (its other admins and HR included)."""
    membership = _membership(request)
    room = get_room_for_member(request, pk)
    if not permissions.can_read_content(membership, room):
        raise Http404("No such room.")
    return room


def get_room_to_write_for_member(request, pk):
    """A room this member may write in: the pair's, while the match is open (403 once it has
    ended: the room is read-only); 404 for anyone else."""
    room = get_room_for_member(request, pk)
    if not room.viewer_is_participant:
        raise Http404("No such room.")
    if room.is_read_only:
        raise PermissionDenied(room.read_only_reason())
    return room


def get_meeting_for_member(request, room_pk, pk, *, write=False):
    """A meeting of a room whose content this member may read (``write``: may change)."""
    room = (get_room_to_write_for_member if write else get_room_content_for_member)(
        request, room_pk
    )
    meeting = get_object_or_404(Meeting.objects.filter(room=room), pk=pk)
    meeting.room = room
    return meeting


# --- Rooms' lists, meetings, progress ----------------------------------------------------------


def _per_room(rows, aggregate, output_field):
    """``aggregate`` over ``rows`` (already narrowed to ``OuterRef("pk")``'s room), as a
    subquery: a room without any gives NULL."""
    rows = rows.order_by().values("room").annotate(value=aggregate).values("value")
    return Subquery(rows, output_field=output_field)


def with_metadata(rooms):
    """What lists show of each room, in the same one query: meetings held and upcoming, the
    last held and the next one, and how many of the pair signed the current agreement."""
    # Subqueries, not a join and GROUP BY over the room's people: each reads the meetings'
    # (room, status, starts_at) index, and the whole query plans in a third of the time.
    now = timezone.now()
    meetings = Meeting.objects.filter(room=OuterRef("pk"))
    held = meetings.filter(status=Meeting.Status.HELD)
    upcoming = meetings.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now)
    latest = (
        AgreementTemplate.objects.filter(program=OuterRef(OuterRef("program")))
        .order_by("-version")
        .values("pk")[:1]
    )
    signed = AgreementSignature.objects.filter(room=OuterRef("pk"), template=Subquery(latest))
    count, when = IntegerField(), DateTimeField()
    return rooms.annotate(
        meetings_held=Coalesce(_per_room(held, Count("pk"), count), Value(0)),
        meetings_upcoming=Coalesce(_per_room(upcoming, Count("pk"), count), Value(0)),
        last_meeting_at=_per_room(held, Max("starts_at"), when),
        next_meeting_at=_per_room(upcoming, Min("starts_at"), when),
        signed_count=Coalesce(_per_room(signed, Count("pk"), count), Value(0)),
    )


def meetings_summary(room) -> dict:
    """One room's share of ``with_metadata``, without its agreement count: meetings held and
    upcoming, the last held and the next one. One aggregate (for one room, cheaper to build
    than ``with_metadata``'s subqueries)."""
    held = Q(status=Meeting.Status.HELD)
    upcoming = Q(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
    return Meeting.objects.filter(room=room).aggregate(
        meetings_held=Count("pk", filter=held),
        meetings_upcoming=Count("pk", filter=upcoming),
        last_meeting_at=Max("starts_at", filter=held),
        next_meeting_at=Min("starts_at", filter=upcoming),
    )


def next_meeting(room):
    """The room's next scheduled meeting (None when nothing is planned)."""
    return (
        Meeting.objects.filter(
            room=room, status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )


def meetings_of(room):
    """A room's meetings, upcoming first (soonest first), then past ones (latest first)."""
    return Meeting.objects.filter(room=room).order_by("-starts_at", "-pk")


def progress_by_match(match_ids):
    """Each match's roadmap progress (the roadmaps app's ``Progress``, read in one query)."""
    return roadmaps.progress_by_match(match_ids) if match_ids else {}


def goals_of(match):
    """The pair's goals with their current ratings (the roadmaps app's)."""
    return list(roadmaps.goals_of(match))


# --- Settings, break-glass, agreements, calendars ---------------------------------------------


def settings_of(program) -> RoomSettings:
    """The program's room settings (the defaults until an admin saves them)."""
    found = RoomSettings.objects.filter(program=program).first()
    return found or RoomSettings(organization=program.organization, program=program)


def openings_of(room):
    """Every opening of the room, newest first, with who opened it (the pair's banner)."""
    return BreakGlass.objects.filter(room=room).select_related("actor")


def agreement_state(room, template=None):
    """What the room knows of its agreement: the current template (None while the program has
    none), its signatures (the pair's, of this version), whether both signed, and who signed
    an earlier version only (``to_reconfirm``: user ids). One query for all the signatures."""
    template = template or current_agreement_template(room.program)
    every = (
        list(AgreementSignature.objects.filter(room=room).select_related("user"))
        if template is not None
        else []
    )
    signatures = [s for s in every if s.template_id == template.pk]
    by_user = {s.user_id: s for s in signatures}
    people = [
        (person, by_user.get(person.user_id)) for person in (room.match.mentor, room.match.mentee)
    ]
    return {
        "template": template,
        "signatures": signatures,
        "people": people,
        "both_signed": template is not None and all(s for _, s in people),
        "to_reconfirm": {s.user_id for s in every} - set(by_user),
    }


def active_feed(membership):
    """The member's current feed (None until they ask for one)."""
    return CalendarFeed.objects.filter(
        organization=membership.organization, user=membership.user, revoked_at__isnull=True
    ).first()


# --- What the pair writes: agenda, notes, action items, updates, prompts, messages --------------


def visible_points(meeting, user):
    """The points of ``meeting`` that ``user`` may read: shared ones and their own private ones."""
    return AgendaPoint.objects.filter(meeting=meeting).filter(
        Q(private=False) | Q(author_id=user.pk)
    )


def readable_points(points, user):
    """Of points at hand (just added, say), those ``user`` may read: suggesting an agenda
    carries the partner's private points over too, and they stay the partner's."""
    return [p for p in points if not p.private or p.author_id == user.pk]


def visible_notes(meeting, user):
    """The notes of ``meeting`` that ``user`` may read: shared ones and their own private ones."""
    return Note.objects.filter(meeting=meeting).filter(Q(private=False) | Q(author_id=user.pk))


def prompts_for_stage(program, stage) -> list[str]:
    """The texts the agenda suggests for ``stage``: the program's own. One query."""
    return list(
        StagePrompt.objects.filter(program=program, stage=stage).values_list("text", flat=True)
    )


def prompt_library(program):
    """The program's prompts, stage by stage (a read: the defaults are the program's since its
    creation; a library its admins emptied stays empty)."""
    return list(StagePrompt.objects.filter(program=program))


def get_agenda_point_for_member(request, room_pk, meeting_pk, pk, *, write=False):
    """A point of a meeting's agenda this member may read: a shared one, or their own private
    one (someone else's private point is a 404 for everyone, the other party included)."""
    meeting = get_meeting_for_member(request, room_pk, meeting_pk, write=write)
    point = get_object_or_404(visible_points(meeting, _membership(request).user), pk=pk)
    point.meeting = meeting
    return point


def get_note_for_member(request, room_pk, meeting_pk, pk, *, write=False):
    """A note this member may read: a shared one of their room's meeting, or their own private
    one (anyone else's private note is a 404)."""
    meeting = get_meeting_for_member(request, room_pk, meeting_pk, write=write)
    note = get_object_or_404(visible_notes(meeting, _membership(request).user), pk=pk)
    note.meeting = meeting
    return note


def get_action_item_for_member(request, room_pk, pk, *, write=False):
    """An action item of a room whose content this member may read (``write``: may change)."""
    room = (get_room_to_write_for_member if write else get_room_content_for_member)(
        request, room_pk
    )
    item = get_object_or_404(
        ActionItem.objects.filter(room=room).select_related("owner", "meeting"), pk=pk
    )
    item.room = room
    return item


def get_update_for_member(request, room_pk, pk, *, write=False):
    room = (get_room_to_write_for_member if write else get_room_content_for_member)(
        request, room_pk
    )
    update = get_object_or_404(ProgressUpdate.objects.filter(room=room), pk=pk)
    update.room = room
    return update


def get_stage_prompt_for_member(request, program_slug, pk):
    """A prompt of a program's library (the program as `programs.queries` finds it)."""
    program = get_program_for_member(request, program_slug)
    prompt = get_object_or_404(StagePrompt.objects.filter(program=program), pk=pk)
    prompt.program = program
    return prompt


# --- What the room's pages show of the pair's work ---------------------------------------------


def open_action_items(room, limit):
    """Up to ``limit`` of the room's open action items, soonest due first (the model's order),
    owners loaded."""
    items = ActionItem.objects.filter(room=room, done_at__isnull=True).select_related("owner")
    return list(items[:limit])


def meeting_action_items(meeting):
    """The action items agreed at ``meeting``, owners loaded."""
    return list(ActionItem.objects.filter(meeting=meeting).select_related("owner"))


def message_counts(room, user) -> dict:
    """The room's messages: ``total``, when the ``last`` was written, and how many of the
    other party's ``user`` has not read (``unread``). One query."""
    read_at = Coalesce(
        Subquery(ReadMark.objects.filter(room=room, user=user).values("read_at")[:1]),
        Value(EPOCH),
    )
    return Message.objects.filter(room=room).aggregate(
        total=Count("pk"),
        last=Max("created_at"),
        unread=Count("pk", filter=~Q(author=user) & Q(created_at__gt=read_at)),
    )


def recent_updates(room, count):
    """The room's latest ``count`` progress updates, newest first."""
    return list(ProgressUpdate.objects.filter(room=room)[:count])


def message_of(room, pk):
    """The room's message ``pk`` (its id and time only), or None."""
    return Message.objects.filter(room=room, pk=pk).only("pk", "created_at").first()


def messages_before(room, before, count):
    """The room's latest ``count`` messages, newest first; ``before`` (a message): those
    written before it."""
    messages = Message.objects.filter(room=room)
    if before is not None:
        messages = messages.filter(
            Q(created_at__lt=before.created_at) | Q(created_at=before.created_at, pk__lt=before.pk)
        )
    return list(messages.order_by("-created_at", "-pk")[:count])


def messages_after(room, after, count):
    """The first ``count`` of the room's messages after the message id ``after``, oldest first."""
    return list(
        Message.objects.filter(room=room, pk__gt=after).order_by("created_at", "pk")[:count]
    )


def feedback_of(meeting, user):
    """``user``'s feedback on ``meeting``, or None."""
    return MeetingFeedback.objects.filter(meeting=meeting, author=user).first()


def my_action_items(membership):
    """The action items this member owns, in every room they take part in in this
    organization: open ones first (soonest due first), rooms and people loaded."""
    rooms = rooms_of(membership.organization_id, membership.user_id)
    return ActionItem.objects.filter(
        organization_id=membership.organization_id,
        owner_id=membership.user_id,
        room__in=rooms.values("pk"),
    ).select_related(
        "owner",
        "meeting",
        "room__program",
        "room__match__mentor__user",
        "room__match__mentee__user",
    )


def _unread_messages(membership):
    user_id, organization_id = membership.user_id, membership.organization_id
    rooms = rooms_of(organization_id, user_id)
    mark = ReadMark.objects.filter(room=OuterRef("room_id"), user_id=user_id)
    mark = mark.values("read_at")[:1]
    return (
        Message.objects.filter(organization_id=organization_id, room__in=rooms.values("pk"))
        .exclude(author_id=user_id)
        .annotate(mark=Subquery(mark))
        .filter(Q(mark__isnull=True) | Q(created_at__gt=F("mark")))
    )


def unread_counts(membership) -> dict[int, int]:
    """Room id → how many messages of the other party this member has not read (rooms with
    none are left out). One query."""
    if membership is None or membership.user_id is None:
        return {}
    rows = _unread_messages(membership).order_by().values("room_id").annotate(n=Count("pk"))
    return {row["room_id"]: row["n"] for row in rows}


def unread_total(membership) -> int:
    """How many unread messages this member has across their rooms. One query."""
    if membership is None or membership.user_id is None:
        return 0
    return _unread_messages(membership).count()


NAV_SECONDS = 60  # how long the bar's counts are kept; the writes that change them forget them


def _nav_key(organization_id, user_id):
    return f"rooms:nav:{organization_id}:{user_id}"


def nav_counts(membership) -> dict:
    """How many rooms this member takes part in, and their unread messages in all of them (the
    navigation bar, on every page). Kept in the cache: a message posted or read, and a room
    opened, forget them at once (`forget_nav_counts`); otherwise one query."""
    key = _nav_key(membership.organization_id, membership.user_id)
    counts = cache.get(key)
    if counts is None:
        counts = _count_nav(membership)
        cache.set(key, counts, NAV_SECONDS)
    return counts


def forget_nav_counts(organization_id, user_ids):
    """The counts of these users changed: forget them now, and again once the transaction
    commits (a page drawn in between may have kept the counts of before)."""
    keys = [_nav_key(organization_id, pk) for pk in user_ids if pk is not None]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _count_nav(membership) -> dict:
    user_id = membership.user_id
    mark = ReadMark.objects.filter(room=OuterRef("pk"), user_id=user_id).values("read_at")[:1]
    since = Coalesce(Subquery(mark), Value(EPOCH))
    counts = rooms_of(membership.organization_id, user_id).aggregate(
        rooms=Count("pk", distinct=True),
        unread=Count(
            "messages",
            filter=~Q(messages__author_id=user_id) & Q(messages__created_at__gt=since),
        ),
    )
    return {"rooms": counts["rooms"] or 0, "unread": counts["unread"] or 0}
