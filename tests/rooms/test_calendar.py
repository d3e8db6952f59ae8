"""Calendars: each meeting's .ics (UID and SEQUENCE across a reschedule and a cancellation),
and the private, revocable feed (no attendees, no notes; a revoked token is a 404).

The feed is public by its token, so it lives outside ``/o/<org>/`` (whose pages send anonymous
visitors to sign in): these tests serve it next to the site's own URLs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.urls import include, path, reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar
from rest_framework.test import APIClient

from mentorship.models import Membership
from rooms.models import CalendarFeed, Meeting, Note, Room
from rooms.services import calendar, meetings
from rooms.views.calendar import calendar_feed

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("", include("mentorship.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

WHEN = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


def room_of(match):
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(match=match)


@pytest.fixture
def rooms(live_program):
    return [room_of(m) for m in live_program.matches]


def schedule(room, actor, starts_at=WHEN, location="Café Central"):
    with scope(organization=room.organization):
        return meetings.schedule(
            room=room, starts_at=starts_at, minutes=60, location=location, actor=actor
        )


def _event(content):
    cal = Calendar.from_ical(content)
    [event] = cal.walk("VEVENT")
    return cal, event


def _download(client, room, meeting):
    url = reverse(
        "rooms:meeting-ics", kwargs={"org_slug": "org-a", "room_pk": room.pk, "pk": meeting.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meeting-2030-01-15.ics"'
    return _event(response.content)


def test_a_meetings_ics_keeps_its_uid_and_raises_its_sequence(client, cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    client.force_login(cast.mentee1)
    cal, event = _download(client, room, meeting)
    uid = f"meeting-{meeting.pk}@127.0.0.1"
    assert (cal["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("PUBLISH", uid, 0)
    assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (WHEN, WHEN + timedelta(hours=1))
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == (
        "Mentoring meeting · Live",
        "Café Central",
    )
    assert event["STATUS"] == "CONFIRMED"
    assert "ATTENDEE" not in event
    with scope(organization=room.organization):
        meeting = meetings.reschedule(
            meeting=meeting, starts_at=WHEN + timedelta(hours=2), minutes=60,
            location="Café Central", actor=cast.mentor1,
        )  # fmt: skip
    _, moved = _download(client, room, meeting)
    assert (str(moved["UID"]), moved["SEQUENCE"]) == (uid, 1)
    assert moved.decoded("DTSTART") == WHEN + timedelta(hours=2)
    with scope(organization=room.organization):
        meetings.cancel(meeting=meeting, actor=cast.mentee1)
    _, cancelled = _download(client, room, meeting)
    assert (str(cancelled["UID"]), cancelled["SEQUENCE"], cancelled["STATUS"]) == (
        uid,
        2,
        "CANCELLED",
    )


def test_the_invitation_names_the_pair_and_the_cancellation_says_cancel(cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    with scope(organization=room.organization):
        cal, event = _event(calendar.meeting_ics(meeting, method="REQUEST"))
        assert cal["METHOD"] == "REQUEST"
        assert str(event["ORGANIZER"]) == "mailto:mentor1@a.example"
        assert sorted(str(a) for a in event["ATTENDEE"]) == [
            "mailto:mentee1@a.example",
            "mailto:mentor1@a.example",
        ]
        meetings.cancel(meeting=meeting, actor=cast.mentor1)
        meeting.refresh_from_db()
        cal, event = _event(calendar.meeting_ics(meeting, method="CANCEL"))
    assert (cal["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)


def test_the_api_serves_the_ics_to_the_pair_only(cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    url = f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/{meeting.pk}/ics/"
    api = APIClient()
    api.force_authenticate(cast.mentor1)
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(_event(response.content)[1]["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    for user in (cast.admin, cast.hr, cast.mentor2):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404


def _feed_page(client=None):
    return reverse("rooms:calendar", kwargs={"org_slug": "org-a"})


def test_the_feed_shows_my_meetings_without_attendees_or_notes(client, cast, rooms):
    mine = schedule(rooms[0], cast.mentor1)
    schedule(rooms[1], cast.mentor2, location="Elsewhere")  # another pair's
    with scopes_disabled():
        Note.objects.create(
            organization=cast.org_a, room=rooms[0], meeting=mine, author=cast.mentor1,
            private=True, body="My private worry",
        )  # fmt: skip
    client.force_login(cast.mentee1)
    page = client.get(_feed_page(client))
    assert "You have no calendar address yet." in page.content.decode()
    with scopes_disabled():
        assert not CalendarFeed.objects.exists()  # reading the page makes nothing
    assert client.post(_feed_page(client), {"action": "new"}).status_code == 302
    with scopes_disabled():
        feed = CalendarFeed.objects.get(user=cast.mentee1)
    page = client.get(_feed_page(client)).content.decode()
    assert f'value="{settings.SITE_URL}/calendar/{feed.token}.ics"' in page
    client.logout()
    response = client.get(f"/calendar/{feed.token}.ics")  # calendar apps don't sign in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    cal = Calendar.from_ical(response.content)
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{mine.pk}@127.0.0.1"
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == (
        "Mentoring meeting · Live",
        "Café Central",
    )
    for absent in ("ATTENDEE", "ORGANIZER", "DESCRIPTION"):
        assert absent not in event
    for secret in ("My private worry", "Elsewhere", cast.mentor1.name, "mentor1@a.example"):
        assert secret not in body


def test_a_revoked_token_is_404_and_a_new_one_works(client, cast, rooms):
    schedule(rooms[0], cast.mentor1)
    membership = cast.membership[cast.mentor1.pk]
    with scope(organization=cast.org_a):
        old = calendar.new_feed(membership=membership)
        new = calendar.new_feed(membership=membership)  # the old one stops working
    assert client.get(f"/calendar/{old.token}.ics").status_code == 404
    assert client.get(f"/calendar/{new.token}.ics").status_code == 200
    client.force_login(cast.mentor1)
    assert client.post(_feed_page(client), {"action": "revoke"}).status_code == 302
    client.logout()
    assert client.get(f"/calendar/{new.token}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    with scopes_disabled():
        assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 0


def test_a_member_who_left_has_no_feed(client, cast, rooms):
    with scope(organization=cast.org_a):
        feed = calendar.new_feed(membership=cast.membership[cast.mentee1.pk])
    with scopes_disabled():
        Membership.objects.filter(user=cast.mentee1).delete()
    assert client.get(f"/calendar/{feed.token}.ics").status_code == 404


def test_the_feed_api_gives_and_revokes_my_address(cast, rooms):
    api = APIClient()
    api.force_authenticate(cast.mentee1)
    url = "/api/v1/orgs/org-a/calendar-feed/"
    assert api.get(url).json() == {"url": None, "created_at": None}
    made = api.post(url, {"action": "new"}, format="json")
    assert made.status_code == 200
    with scopes_disabled():
        feed = CalendarFeed.objects.get(user=cast.mentee1, revoked_at__isnull=True)
    assert made.json()["url"].endswith(f"/calendar/{feed.token}.ics")
    assert api.get(url).json()["url"] == made.json()["url"]
    assert api.post(url, {"action": "revoke"}, format="json").json()["url"] is None
    assert api.post(url, {"action": "explode"}, format="json").status_code == 400
    with scopes_disabled():
        assert not CalendarFeed.objects.filter(revoked_at__isnull=True).exists()


def test_the_feed_leaves_out_old_meetings(cast, rooms):
    room = rooms[0]
    with scopes_disabled():
        Meeting.objects.create(
            organization=cast.org_a, room=room, location="Long ago", minutes=30,
            starts_at=timezone.now() - timedelta(days=calendar.FEED_PAST_DAYS + 1),
        )  # fmt: skip
    recent = schedule(room, cast.mentor1)
    with scope(organization=cast.org_a):
        feed = calendar.new_feed(membership=cast.membership[cast.mentor1.pk])
        cal = Calendar.from_ical(calendar.feed_ics(feed))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [f"meeting-{recent.pk}@127.0.0.1"]
