"""Meetings of a pair: schedule, reschedule, cancel, mark held or no-show. The other party is
invited by email with the meeting's .ics (``rooms.notifications``); times are stored in UTC."""

from datetime import timedelta
from urllib.parse import urlparse

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship import audit
from roadmaps.services import events

from .. import notifications
from ..constants import LOCATION_MAX, MEETING_MAX_MINUTES, MEETING_MIN_MINUTES
from ..models import Meeting
from . import checks, feedback, rooms

VIDEO_URL_MAX = 500


def _check_actor(room, actor):
    checks.ensure_writable(room, actor)


def _clean(*, starts_at, minutes=None, ends_at=None, location="", video_url="", was=None):
    """The meeting's time, length and place, checked; a dict of the fields to save. ``was``:
    the start it has now, which may have passed (a meeting under way can still get its video
    link fixed)."""
    errors = {}
    location = " ".join((location or "").split())
    video_url = (video_url or "").strip()
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Say when the meeting starts (date and time)."})
    if ends_at is not None:
        if ends_at <= starts_at:
            errors["ends_at"] = "The meeting must end after it starts."
        else:
            minutes = int((ends_at - starts_at).total_seconds() // 60)
    if starts_at <= timezone.now() and starts_at != was:
        errors["starts_at"] = "This time has passed: pick a time in the future."
    if "ends_at" not in errors and (
        minutes is None or not MEETING_MIN_MINUTES <= minutes <= MEETING_MAX_MINUTES
    ):
        errors["ends_at" if ends_at is not None else "minutes"] = (
            f"A meeting lasts between {MEETING_MIN_MINUTES} and {MEETING_MAX_MINUTES} minutes."
        )
    if len(location) > LOCATION_MAX:
        errors["location"] = f"Keep the place under {LOCATION_MAX} characters."
    if video_url:
        parsed = urlparse(video_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors["video_url"] = "The video link must start with https:// (or http://)."
        elif len(video_url) > VIDEO_URL_MAX:
            errors["video_url"] = f"Keep the video link under {VIDEO_URL_MAX} characters."
    if not location and not video_url and "location" not in errors:
        errors["location"] = "Say where you meet: a place, a video link, or both."
    if errors:
        raise ValidationError(errors)
    return {
        "starts_at": starts_at,
        "minutes": minutes,
        "location": location,
        "video_url": video_url,
    }


def _locked(meeting):
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    fresh.room = meeting.room
    return fresh


def _check_scheduled(meeting, doing):
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(
            f"This meeting is {meeting.get_status_display().lower()}: it can't be {doing}."
        )


def _audit(meeting, actor, action, **data):
    audit.record(
        organization=meeting.organization,
        actor=actor,
        action=action,
        target=meeting,
        data={"room": meeting.room_id, "starts_at": meeting.starts_at.isoformat(), **data},
    )


@transaction.atomic
def schedule(
    *, room, starts_at, minutes=None, ends_at=None, location="", video_url="", actor
) -> Meeting:
    """A new meeting of the pair, in the future, ``minutes`` long (or until ``ends_at``),
    somewhere (a place or a video link). The other party gets an invitation with its .ics."""
    _check_actor(room, actor)
    fields = _clean(
        starts_at=starts_at,
        minutes=minutes,
        ends_at=ends_at,
        location=location,
        video_url=video_url,
    )
    meeting = Meeting.objects.create(
        organization=room.organization, room=room, created_by=actor, **fields
    )
    meeting.room = room
    _audit(meeting, actor, "room.meeting_scheduled")
    rooms.touch(room)
    notifications.tell_meeting_invitation(meeting, actor=actor)
    return meeting


@transaction.atomic
def reschedule(
    *, meeting, starts_at, minutes=None, ends_at=None, location="", video_url="", actor
) -> Meeting:
    """Move a scheduled meeting, or change where it is. The calendar's SEQUENCE rises when
    the time or the place changes, and the other party gets the updated invitation."""
    room = meeting.room
    _check_actor(room, actor)
    meeting = _locked(meeting)
    _check_scheduled(meeting, "rescheduled")
    fields = _clean(
        starts_at=starts_at,
        minutes=minutes,
        ends_at=ends_at,
        location=location,
        video_url=video_url,
        was=meeting.starts_at,
    )
    if all(getattr(meeting, name) == value for name, value in fields.items()):
        return meeting  # nothing changed: nothing to tell
    before = meeting.starts_at
    moved = fields["starts_at"] != before or fields["minutes"] != meeting.minutes
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    meeting.save()
    _audit(meeting, actor, "room.meeting_rescheduled", was=before.isoformat())
    rooms.touch(room)
    notifications.tell_meeting_invitation(meeting, actor=actor, moved=moved)
    return meeting


@transaction.atomic
def cancel(*, meeting, actor) -> Meeting:
    """Call off a scheduled meeting: the other party gets a cancellation (METHOD:CANCEL)."""
    room = meeting.room
    _check_actor(room, actor)
    meeting = _locked(meeting)
    _check_scheduled(meeting, "cancelled")
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    _audit(meeting, actor, "room.meeting_cancelled")
    rooms.touch(room)
    notifications.tell_meeting_cancelled(meeting, actor=actor)
    return meeting


def _close(meeting, actor, status, action):
    room = meeting.room
    _check_actor(room, actor)
    meeting = _locked(meeting)
    doing = "marked held" if status == Meeting.Status.HELD else "marked as a no-show"
    _check_scheduled(meeting, doing)
    if meeting.starts_at > timezone.now():
        raise ValidationError(f"This meeting hasn't started yet: it can't be {doing}.")
    first = (
        status == Meeting.Status.HELD
        and not Meeting.objects.filter(room=room, status=Meeting.Status.HELD).exists()
    )
    meeting.status = status
    meeting.held_at = timezone.now() if status == Meeting.Status.HELD else None
    meeting.save()
    _audit(meeting, actor, action)
    rooms.touch(room)
    if status == Meeting.Status.HELD:
        feedback.request_feedback(meeting=meeting)  # "How was your meeting?" to both
    if first:
        events.record(match=room.match, event="first_meeting_held", actor=actor)
    return meeting


@transaction.atomic
def mark_held(*, meeting, actor) -> Meeting:
    """The meeting took place (once it has started): both are asked for their feedback, and
    the pair's first held meeting completes the roadmap's milestone waiting for it."""
    return _close(meeting, actor, Meeting.Status.HELD, "room.meeting_held")


@transaction.atomic
def mark_no_show(*, meeting, actor) -> Meeting:
    """The meeting was due but didn't happen."""
    return _close(meeting, actor, Meeting.Status.NO_SHOW, "room.meeting_no_show")


@transaction.atomic
def match_changed(*, match, previous, actor=None):
    """`matching.hooks.match_changed`: an ended or dissolved match calls off the pair's meetings
    still to come (their room is read-only now, so nobody could cancel them any more): each is
    cancelled with a higher SEQUENCE, both get the cancellation, and the feeds drop it."""
    if match.status not in (match.Status.ENDED, match.Status.DISSOLVED):
        return
    _call_off(
        Meeting.objects.filter(organization_id=match.organization_id, room__match=match),
        actor,
        because=f"match {match.status}",
        change="match_ended",
    )


def program_closed(*, program, actor=None):
    """`programs.hooks.program_closed`: as for an ended match, every pair's meetings still to
    come are called off (the rooms of a closed program are read-only)."""
    _call_off(
        Meeting.objects.filter(organization_id=program.organization_id, room__program=program),
        actor,
        because="program closed",
        change="program_closed",
    )


def _call_off(meetings, actor, *, because, change):
    """Cancel ``meetings``' scheduled ones still to come: SEQUENCE raised, audited, and both of
    each pair told (``change`` says why, in the email)."""
    upcoming = list(
        meetings.select_for_update(of=("self",))
        .filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
        .select_related(
            "room__organization",
            "room__program",
            "room__match__mentor__user",
            "room__match__mentee__user",
        )  # fmt: skip
    )
    for meeting in upcoming:
        meeting.status = Meeting.Status.CANCELLED
        meeting.sequence += 1
    Meeting.objects.bulk_update(upcoming, ["status", "sequence"])
    for meeting in upcoming:
        _audit(meeting, actor, "room.meeting_cancelled", because=because)
        notifications.tell_meeting_called_off(meeting, change=change)


def ends_at(meeting):
    return meeting.starts_at + timedelta(minutes=meeting.minutes)
