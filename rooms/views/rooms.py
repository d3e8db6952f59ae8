"""Room pages: a room's home (the pair's, or its metadata for admins and HR), "My mentoring"
(each of a member's rooms) and the admins' list of a program's rooms with their settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorship.web import first_error
from programs.permissions import can_manage_program
from programs.web import program_permission_required

from .. import pairs, permissions, queries
from ..forms import RoomSettingsForm
from ..models import Room
from ..services.rooms import save_settings
from . import room_parts

PAGE_SIZE = 25


@require_GET
def my_rooms(request, org_slug):
    """Each of the member's rooms: partner, program, stage, next meeting, progress."""
    rooms = list(queries.with_metadata(queries.my_rooms(request.membership)))
    progress_of = queries.progress_by_match([r.match_id for r in rooms])
    unread = queries.unread_counts(request.membership)
    for room in rooms:
        room.partner = pairs.partner(room, request.user)
        room.my_role = pairs.role(room, request.user)
        room.progress = progress_of.get(room.match_id)
        room.unread = unread.get(room.pk, 0)
    return render(request, "rooms/my_rooms.html", {"rooms": rooms})


@require_GET
def room_home(request, org_slug, pk):
    """The pair sees everything; the program's admins and HR its metadata only (an admin the
    content too, through a recorded break-glass opening)."""
    # The openings still running come with `openings` below (the home lists every one).
    room = queries.get_room_for_member(request, pk, open_break_glass=False)
    membership = request.membership
    participant = room.viewer_is_participant
    can_read = permissions.can_read_content(membership, room)
    agreement = queries.agreement_state(room)
    meta = queries.meetings_summary(room) | {"signed_count": len(agreement["signatures"])}
    context = {
        "room": room,
        "meta": meta,
        "participant": participant,
        "can_read": can_read,
        "can_write": permissions.can_write(membership, room),
        "agreement": agreement,
        "next_meeting": (
            queries.next_meeting(room) if can_read and meta["meetings_upcoming"] else None
        ),
        "progress": queries.progress_by_match([room.match_id]).get(room.match_id),
        "goals": queries.goals_of(room.match) if can_read else [],
        "openings": list(queries.openings_of(room)[:10]) if can_read else [],
        "now": timezone.now(),
        "break_glass_allowed": (
            not participant
            and can_manage_program(membership, room.program)
            and queries.settings_of(room.program).break_glass
        ),
    }
    if participant:
        context["partner"] = pairs.partner(room, request.user)
        context["my_role"] = pairs.role(room, request.user)
        context["reconfirm"] = request.user.pk in agreement["to_reconfirm"]
    if can_read:
        context.update(room_parts.parts(request, room))
    return render(request, "rooms/room_home.html", context)


@require_GET
@program_permission_required("view_programs")
def program_rooms(request, org_slug, program_slug):
    """The admins' (and HR's) view of a program's rooms: metadata only, a page at a time."""
    program = request.program
    rooms = queries.with_metadata(
        queries.with_people(Room.objects.filter(program=program))
    ).order_by("-last_activity_at", "-pk")
    page = Paginator(rooms, PAGE_SIZE).get_page(request.GET.get("page"))
    progress_of = queries.progress_by_match([r.match_id for r in page])
    for room in page:
        room.progress = progress_of.get(room.match_id)
    can_manage = can_manage_program(request.membership, program)
    room_settings = queries.settings_of(program)
    context = {
        "program": program,
        "page": page,
        "can_manage": can_manage,
        "room_settings": room_settings,
        "settings_form": RoomSettingsForm(initial={"break_glass": room_settings.break_glass}),
    }
    return render(request, "rooms/program_rooms.html", context)


@require_POST
@program_permission_required("manage_programs")
def program_room_settings(request, org_slug, program_slug):
    program = request.program
    form = RoomSettingsForm(request.POST)
    if form.is_valid():
        try:
            saved = save_settings(
                program=program, break_glass=form.cleaned_data["break_glass"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, first_error(exc))
        else:
            messages.success(
                request,
                "Room settings saved: admins "
                + ("may" if saved.break_glass else "may not")
                + " open a room's content with a reason.",
            )
    return redirect("rooms:program-rooms", org_slug=org_slug, program_slug=program_slug)
