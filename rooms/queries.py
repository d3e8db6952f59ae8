"""Reads that room pages and the API share, starting with the objects a URL names.

``get_<thing>_for_member(request, …)`` takes a page's or the API's request (or a membership)
and answers the object or raises: 404 for another tenant's, for a room the member is not in and
may not oversee, and for content (meetings, notes, messages…) of a room the member is not in,
admins and HR included unless an admin opened it through break-glass; 403 for a write in a
room that is read-only (its match ended)."""

from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
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

from mentorship.permissions import has_perm
from programs.models import AgreementTemplate
from programs.queries import get_program_for_member
from roadmaps import queries as roadmaps

from . import permissions
from .models import (
    ActionItem,
    AgendaPoint,
    AgreementSignature,
    BreakGlass,
    Meeting,
    Message,
    Note,
    ProgressUpdate,
    ReadMark,
    Room,
    StagePrompt,
)


def _membership(request):
    return getattr(request, "membership", request)


def rooms_for(membership):
    """Rooms this member may see at all: their own; every room of the organization for admins
    and HR (metadata)."""
    # By ids: the membership's organization and user need not be loaded for this.
    rooms = Room.objects.filter(organization_id=membership.organization_id)
    if not has_perm(membership, "view_programs"):
        user_id = membership.user_id
        rooms = rooms.filter(Q(match__mentor__user_id=user_id) | Q(match__mentee__user_id=user_id))
    return rooms


def my_rooms(membership):
    """The rooms a member takes part in (as mentor or mentee), people and program loaded."""
    return with_people(
        Room.objects.filter(organization=membership.organization).filter(
            Q(match__mentor__user=membership.user) | Q(match__mentee__user=membership.user)
        )
    )


def with_people(rooms):
    return rooms.select_related(
        "program", "match__mentor__user", "match__mentee__user", "match__roadmap"
    ).prefetch_related(
        Prefetch(
            "break_glass",
            queryset=BreakGlass.objects.filter(expires_at__gt=timezone.now()).select_related(
                "actor"
            ),
            to_attr="open_break_glass",
        )
    )


def get_room_for_member(request, pk, *, metadata=False):
    """A room whose metadata this member may see (the pair, the organization's admins and HR);
    404 for anyone else. ``room.viewer_is_participant`` says which; ``metadata``: with the
    annotations of ``with_metadata``, in the same query."""
    membership = _membership(request)
    rooms = with_people(rooms_for(membership))
    room = get_object_or_404(with_metadata(rooms) if metadata else rooms, pk=pk)
    room.viewer_is_participant = permissions.is_participant(membership, room)
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
        raise PermissionDenied("This match has ended: its room is read-only.")
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


def with_metadata(rooms):
    """What lists show of each room, in the same one query: meetings held and upcoming, the
    last held and the next one, and how many of the pair signed the current agreement."""
    now = timezone.now()
    held = Q(meetings__status=Meeting.Status.HELD)
    upcoming = Q(meetings__status=Meeting.Status.SCHEDULED, meetings__starts_at__gt=now)
    latest = (
        AgreementTemplate.objects.filter(program=OuterRef(OuterRef("program")))
        .order_by("-version")
        .values("pk")[:1]
    )
    signed = (
        AgreementSignature.objects.filter(room=OuterRef("pk"), template=Subquery(latest))
        .order_by()
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rooms.annotate(
        meetings_held=Count("meetings", filter=held),
        meetings_upcoming=Count("meetings", filter=upcoming),
        last_meeting_at=Max("meetings__starts_at", filter=held),
        next_meeting_at=Min("meetings__starts_at", filter=upcoming),
        signed_count=Coalesce(Subquery(signed, output_field=IntegerField()), Value(0)),
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


def my_action_items(membership):
    """The action items this member owns, in every room they take part in in this
    organization: open ones first (soonest due first), rooms and people loaded."""
    user = membership.user
    rooms = Room.objects.filter(organization=membership.organization).filter(
        Q(match__mentor__user=user) | Q(match__mentee__user=user)
    )
    return ActionItem.objects.filter(
        organization=membership.organization, owner=user, room__in=rooms
    ).select_related(
        "owner",
        "meeting",
        "room__program",
        "room__match__mentor__user",
        "room__match__mentee__user",
    )


def _unread_messages(membership):
    user_id, organization_id = membership.user_id, membership.organization_id
    rooms = Room.objects.filter(organization_id=organization_id).filter(
        Q(match__mentor__user_id=user_id) | Q(match__mentee__user_id=user_id)
    )
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


def nav_counts(membership) -> dict:
    """How many rooms this member takes part in, and their unread messages in all of them (the
    navigation bar). One query."""
    user_id = membership.user_id
    mark = ReadMark.objects.filter(room=OuterRef("pk"), user_id=user_id).values("read_at")[:1]
    since = Coalesce(Subquery(mark), Value(datetime(2000, 1, 1, tzinfo=UTC)))
    counts = (
        Room.objects.filter(organization_id=membership.organization_id)
        .filter(Q(match__mentor__user_id=user_id) | Q(match__mentee__user_id=user_id))
        .aggregate(
            rooms=Count("pk", distinct=True),
            unread=Count(
                "messages",
                filter=~Q(messages__author_id=user_id) & Q(messages__created_at__gt=since),
            ),
        )
    )
    return {"rooms": counts["rooms"] or 0, "unread": counts["unread"] or 0}
