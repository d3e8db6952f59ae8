"""Meeting pages of a room: the list, schedule, the meeting itself, reschedule, cancel, mark
held or no-show, and its .ics. Times are read and shown in the viewer's own time zone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.web import first_error, form_errors, status_for

from .. import permissions, queries
from ..forms import MeetingForm
from ..models import Meeting
from ..services import calendar
from ..services import meetings as services
from ..web import ics_response
from . import meeting_parts

PAGE_SIZE = 20


def _back(meeting):
    return redirect(
        "rooms:meeting", org_slug=meeting.organization.slug, room_pk=meeting.room_id, pk=meeting.pk
    )


def _with_times(meeting):
    meeting.ends_at = services.ends_at(meeting)
    meeting.is_past = meeting.starts_at <= timezone.now()
    return meeting


@require_GET
def meeting_list(request, org_slug, room_pk):
    room = queries.get_room_content_for_member(request, room_pk)
    now = timezone.now()
    upcoming = list(
        queries.meetings_of(room)
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now)
        .order_by("starts_at", "pk")
    )
    past = Paginator(
        queries.meetings_of(room).exclude(status=Meeting.Status.SCHEDULED, starts_at__gt=now),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    for meeting in [*upcoming, *past]:
        _with_times(meeting)
    context = {
        "room": room,
        "can_read": True,  # a page of the room's content
        "upcoming": upcoming,
        "past": past,
        "can_write": permissions.can_write(request.membership, room),
    }
    return render(request, "rooms/meetings/list.html", context)


def _form_fields(form):
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "minutes": data["minutes"],
        "location": data["location"],
        "video_url": data["video_url"],
    }


@require_http_methods(["GET", "POST"])
def meeting_new(request, org_slug, room_pk):
    room = queries.get_room_to_write_for_member(request, room_pk)
    form = MeetingForm(request.POST or None, initial={"minutes": room.program.meeting_minutes})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule(room=room, actor=request.user, **_form_fields(form))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            match = room.match
            partner = match.mentee if request.user.pk == match.mentor.user_id else match.mentor
            messages.success(
                request, f"Meeting scheduled. {partner.display_name} gets an invitation by email."
            )
            return _back(meeting)
    context = {"room": room, "form": form, "title": "Schedule a meeting", "can_read": True}
    return render(request, "rooms/meetings/form.html", context, status=status_for(form))


def render_detail(request, meeting, *, status=200, forms=None, editing=None):
    """The meeting page; with ``forms`` (and ``editing``, see `meeting_parts.parts`) when a
    part's form is shown again with its errors."""
    room = meeting.room
    context = {
        "room": room,
        "can_read": True,  # a page of the room's content
        "meeting": _with_times(meeting),
        "can_write": permissions.can_write(request.membership, room),
        "where": calendar.where(meeting),
    }
    context.update(meeting_parts.parts(request, meeting, forms=forms, editing=editing))
    return render(request, "rooms/meetings/detail.html", context, status=status)


@require_GET
def meeting_detail(request, org_slug, room_pk, pk):
    return render_detail(request, queries.get_meeting_for_member(request, room_pk, pk))


@require_http_methods(["GET", "POST"])
def meeting_edit(request, org_slug, room_pk, pk):
    """Reschedule: another time, length or place (the other party gets the update)."""
    meeting = queries.get_meeting_for_member(request, room_pk, pk, write=True)
    initial = {
        "starts_at": timezone.localtime(meeting.starts_at),
        "minutes": meeting.minutes,
        "location": meeting.location,
        "video_url": meeting.video_url,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    if meeting.status != Meeting.Status.SCHEDULED:
        messages.error(
            request,
            f"This meeting is {meeting.get_status_display().lower()}: it can't be rescheduled.",
        )
        return _back(meeting)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.reschedule(meeting=meeting, actor=request.user, **_form_fields(form))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Meeting updated. Your partner gets the new invitation.")
            return _back(meeting)
    context = {
        "room": meeting.room,
        "meeting": meeting,
        "form": form,
        "title": "Reschedule",
        "can_read": True,
    }
    return render(request, "rooms/meetings/form.html", context, status=status_for(form))


def _change(request, room_pk, pk, call, success):
    meeting = queries.get_meeting_for_member(request, room_pk, pk, write=True)
    try:
        meeting = call(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, success)
    return _back(meeting)


@require_POST
def meeting_cancel(request, org_slug, room_pk, pk):
    return _change(
        request, room_pk, pk, services.cancel, "Meeting cancelled. Your partner is told by email."
    )


@require_POST
def meeting_held(request, org_slug, room_pk, pk):
    return _change(request, room_pk, pk, services.mark_held, "Marked as held.")


@require_POST
def meeting_no_show(request, org_slug, room_pk, pk):
    return _change(request, room_pk, pk, services.mark_no_show, "Marked as a no-show.")


@require_GET
def meeting_ics(request, org_slug, room_pk, pk):
    """The meeting for your calendar (the pair only)."""
    meeting = queries.get_meeting_for_member(request, room_pk, pk)
    if not meeting.room.viewer_is_participant:
        raise Http404("No such meeting.")
    return ics_response(meeting)
