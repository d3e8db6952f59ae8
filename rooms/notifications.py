"""What rooms tell people (kinds, recipients, keys). Delivery is the core's: never a message's
or a note's text in an email."""

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, timezone

from mentorship.notifications.kinds import Kind, register
from mentorship.notifications.quiet_hours import zone_of
from mentorship.notifications.service import notify

from .constants import MESSAGE_EMAIL_MINUTES
from .services.calendar import meeting_ics

# --- Meetings (invitations with .ics, changes, cancellations), agreement ---
MEETING_INVITATION = register(
    Kind(
        name="rooms.meeting_invitation",
        label="Meetings your mentoring partner schedules or moves (with a calendar invitation)",
        audience="Mentors and mentees",
        template="rooms/email/meeting_invitation",
    )
)
MEETING_CANCELLED = register(
    Kind(
        name="rooms.meeting_cancelled",
        label="Meetings your mentoring partner cancels",
        audience="Mentors and mentees",
        template="rooms/email/meeting_cancelled",
    )
)


def meeting_path(meeting):
    return reverse(
        "rooms:meeting",
        kwargs={
            "org_slug": meeting.room.organization.slug,
            "room_pk": meeting.room_id,
            "pk": meeting.pk,
        },
    )


def _other(meeting, actor):
    match = meeting.room.match
    return match.mentee if actor.pk == match.mentor.user_id else match.mentor


def _tell_meeting(kind, meeting, *, actor, method, change, person=None):
    """``person`` (by default the other party of the pair than ``actor``), with the meeting's
    .ics attached; once per meeting, calendar sequence and recipient."""
    person = person or _other(meeting, actor)
    organization = meeting.room.organization
    local = timezone.localtime(meeting.starts_at, zone_of(person.user, organization))
    url = meeting_path(meeting)
    ics = meeting_ics(meeting, method=method, url=settings.SITE_URL + url)
    return notify(
        kind,
        organization=organization,
        key=f"meeting:{meeting.pk}:{meeting.sequence}:{method.lower()}:{person.pk}",
        recipient=person.user,
        email=person.email,
        url=url,
        context={
            "person": person,
            "other": actor,
            "meeting": meeting,
            "program": meeting.room.program,
            # Formatted here: a template's date filter would convert to the sender's zone.
            "when": dateformat.format(local, "l j F Y, H:i"),
            "when_short": dateformat.format(local, "D j M, H:i"),
            "zone": local.tzname(),
            "change": change,
        },
        attachments=[
            {
                "filename": "meeting.ics",
                "content": ics,
                "mimetype": f"text/calendar; method={method}",
            }
        ],
    )


def tell_meeting_invitation(meeting, *, actor, moved=True):
    """A new or changed meeting: METHOD:REQUEST, the same UID with the meeting's SEQUENCE
    (``moved``: its time changed, else only its place)."""
    change = "new" if meeting.sequence == 0 else "moved" if moved else "updated"
    return _tell_meeting(MEETING_INVITATION, meeting, actor=actor, method="REQUEST", change=change)


def tell_meeting_cancelled(meeting, *, actor):
    """A cancelled meeting: METHOD:CANCEL with STATUS:CANCELLED."""
    return _tell_meeting(
        MEETING_CANCELLED, meeting, actor=actor, method="CANCEL", change="cancelled"
    )


def tell_meeting_called_off(meeting, *, change="match_ended"):
    """The pair's match ended (or their program closed: ``change="program_closed"``): both get
    the cancellation of a meeting still to come."""
    match = meeting.room.match
    for person in (match.mentor, match.mentee):
        _tell_meeting(
            MEETING_CANCELLED, meeting, actor=None, method="CANCEL", change=change, person=person
        )


# --- Messages (batched), action items, feedback ("not a good fit" to the admins) ---
MESSAGE_RECEIVED = register(
    Kind(
        name="rooms.message",
        label="New messages in your mentoring room (at most one email every few minutes)",
        audience="Mentors and mentees",
        template="rooms/email/message",
    )
)
FEEDBACK_REQUESTED = register(
    Kind(
        name="rooms.feedback_request",
        label="“How was your meeting?” after a meeting is held",
        audience="Mentors and mentees",
        template="rooms/email/feedback_request",
    )
)
NOT_A_GOOD_FIT = register(
    Kind(
        name="rooms.not_a_good_fit",
        label="A participant says their match is not a good fit",
        audience="Admins",
        template="rooms/email/feedback_not_a_fit",
        mandatory="A pair that doesn't fit needs an admin soon, so every admin hears.",
    )
)


def _room_path(room, name="rooms:home", **kwargs):
    return reverse(name, kwargs={"org_slug": room.organization.slug, **kwargs})


def message_key_prefix(room, user):
    return f"room-message:{room.pk}:{user.pk}:"


def tell_new_message(*, room, author, recipient, now):
    """``recipient`` (an enrolment) has a new message from ``author`` in ``room``: who and
    where, never what. The key carries the period of MESSAGE_EMAIL_MINUTES it falls in, so
    two messages racing in one period make one row (`services.messages` also skips a period
    that starts just after a told one)."""
    period = int(now.timestamp() // (60 * MESSAGE_EMAIL_MINUTES))
    return notify(
        MESSAGE_RECEIVED,
        organization=room.organization,
        key=f"{message_key_prefix(room, recipient.user)}{period}",
        recipient=recipient.user,
        email=recipient.user.email,
        url=_room_path(room, "rooms:messages", pk=room.pk),
        context={"person": recipient, "author": author, "program": room.program},
    )


def tell_feedback_requested(meeting):
    """Both of the pair: "How was your meeting?"; once per meeting and person."""
    room = meeting.room
    told = 0
    for person in (room.match.mentor, room.match.mentee):
        if person.user_id is None:
            continue
        told += (
            notify(
                FEEDBACK_REQUESTED,
                organization=room.organization,
                key=f"meeting-feedback:{meeting.pk}:{person.user_id}",
                recipient=person.user,
                email=person.user.email,
                url=meeting_path(meeting),
                context={"person": person, "program": room.program},
            )
            is not None
        )
    return told


def tell_not_a_good_fit(feedback, *, admins):
    """Every admin of the organization: a participant answered "no" to "Is this a good fit?".
    The words they wrote stay out of it; the matches page offers the rematch."""
    room = feedback.meeting.room
    program = room.program
    url = reverse(
        "matching:matches",
        kwargs={"org_slug": room.organization.slug, "program_slug": program.slug},
    )
    match = room.match
    author = match.mentor if feedback.author_id == match.mentor.user_id else match.mentee
    return [
        notify(
            NOT_A_GOOD_FIT,
            organization=room.organization,
            key=f"not-a-fit:{feedback.pk}:{admin.user_id}",
            recipient=admin.user,
            email=admin.user.email,
            url=url,
            context={"admin": admin.user, "author": author, "match": match, "program": program},
        )
        for admin in admins
    ]
