"""Calendars: one event per meeting (stable UID ``meeting-<id>@<site host>``, SEQUENCE =
``meeting.sequence``), as an invitation (METHOD:REQUEST / CANCEL), a download, and each member's
private, revocable feed URL (no attendees, no notes: the program's name and the place only)."""

from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from icalendar import Calendar, Event, vCalAddress, vText

from mentorship.models import Membership

from ..models import CalendarFeed, Meeting

PRODID = "-//mentorship//rooms//EN"
# The feed carries meetings from this far back (and every upcoming one).
FEED_PAST_DAYS = 180
STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.NO_SHOW: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def site_host() -> str:
    return urlparse(settings.SITE_URL).hostname or "localhost"


def uid_of(meeting) -> str:
    return f"meeting-{meeting.pk}@{site_host()}"


def where(meeting) -> str:
    return " · ".join(p for p in (meeting.location, meeting.video_url) if p)


def _event(meeting, *, summary, attendees=(), organizer=None, url=""):
    event = Event()
    event.add("uid", uid_of(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.minutes))
    event.add("summary", summary)
    if where(meeting):
        event.add("location", where(meeting))
    event.add("status", STATUS[meeting.status])
    if url:
        event.add("url", url)
    if organizer is not None:
        event.add("organizer", _address(organizer))
    for person in attendees:
        event.add("attendee", _address(person, attendee=True), encode=0)
    return event


def _address(user, *, attendee=False):
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.display_name)
    if attendee:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
    return address


def _calendar(method=None, name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def summary_of(meeting) -> str:
    return f"Mentoring meeting · {meeting.room.program.name}"


def meeting_ics(meeting, *, method=None, url="") -> str:
    """One meeting's .ics: an invitation (``method`` REQUEST, or CANCEL for a cancelled one,
    with the pair as organizer and attendee) or, without ``method``, a plain download."""
    match = meeting.room.match
    people = (match.mentor.user, match.mentee.user)
    organizer = meeting.created_by if meeting.created_by_id in {p.pk for p in people} else None
    cal = _calendar(method or "PUBLISH")
    cal.add_component(
        _event(
            meeting,
            summary=summary_of(meeting),
            attendees=people if method else (),
            organizer=(organizer or people[0]) if method else None,
            url=url,
        )
    )
    return cal.to_ical().decode()


def feed_meetings(feed):
    """The meetings a feed shows: the member's rooms in the feed's organization, upcoming and
    from the last months (cancelled ones too, so calendars drop them)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    user = feed.user_id
    return (
        Meeting.objects.filter(organization_id=feed.organization_id, starts_at__gte=since)
        .filter(Q(room__match__mentor__user_id=user) | Q(room__match__mentee__user_id=user))
        .select_related("room__program")
        .order_by("starts_at", "pk")
    )


def feed_ics(feed) -> str:
    """A member's feed: every event carries its time, the program's name and the place;
    never attendees, names or notes."""
    cal = _calendar(name=f"Mentoring · {feed.organization.name}")
    for meeting in feed_meetings(feed):
        cal.add_component(_event(meeting, summary=summary_of(meeting)))
    return cal.to_ical().decode()


@transaction.atomic
def new_feed(*, membership) -> CalendarFeed:
    """A new private feed address for the member; the old one (if any) stops working."""
    # One at a time per member: two at once would both find no active feed to revoke.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    revoke_feed(membership=membership)
    return CalendarFeed.objects.create(organization=membership.organization, user=membership.user)


@transaction.atomic
def revoke_feed(*, membership) -> int:
    """The member's feed address stops working (a revoked token is a 404)."""
    return CalendarFeed.objects.filter(
        organization=membership.organization, user=membership.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def feed_address(feed):
    """The feed's absolute address (None without a feed, or while the site serves no feeds)."""
    if feed is None:
        return None
    try:
        return settings.SITE_URL + reverse("calendar-feed", kwargs={"token": feed.token})
    except NoReverseMatch:
        return None


def feed_by_token(token):
    """The active feed of ``token`` whose member still belongs to its organization (None
    otherwise). Runs outside a tenant scope: the token names the organization."""
    with scopes_disabled():
        feed = (
            CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
            .select_related("organization", "user")
            .first()
        )
        if feed is None:
            return None
        if not Membership.objects.filter(
            organization_id=feed.organization_id, user_id=feed.user_id
        ).exists():
            return None
    return feed
