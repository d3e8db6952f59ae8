"""Reads that room pages and the API share, starting with the objects a URL names.

``get_<thing>_for_member(request, …)`` takes a page's or the API's request (or a membership)
and answers the object or raises: 404 for another tenant's, for a room the member is not in and
may not oversee, and for content (meetings, notes, messages…) of a room the member is not in,
admins and HR included unless an admin opened it through break-glass; 403 for a write in a
room that is read-only (its match ended)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

# DRF's: a non-numeric id is a 404 too (see programs.queries).
from rest_framework.generics import get_object_or_404

from mentorship.permissions import has_perm

from . import permissions
from .models import BreakGlass, Meeting, Room


def _membership(request):
    return getattr(request, "membership", request)


def rooms_for(membership):
    """Rooms this member may see at all: their own; every room of the organization for admins
    and HR (metadata)."""
    rooms = Room.objects.filter(organization=membership.organization)
    if not has_perm(membership, "view_programs"):
        rooms = rooms.filter(
            Q(match__mentor__user=membership.user) | Q(match__mentee__user=membership.user)
        )
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
        "program", "match__mentor__user", "match__mentee__user"
    ).prefetch_related(
        Prefetch(
            "break_glass",
            queryset=BreakGlass.objects.filter(expires_at__gt=timezone.now()),
            to_attr="open_break_glass",
        )
    )


def get_room_for_member(request, pk):
    """A room whose metadata this member may see (the pair, the organization's admins and HR);
    404 for anyone else. ``room.viewer_is_participant`` says which."""
    membership = _membership(request)
    room = get_object_or_404(with_people(rooms_for(membership)), pk=pk)
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
