"""Meetings: schedule, reschedule, cancel, held / no-show; invitations by email with the .ics;
times in each viewer's zone; bad input and other pairs refused with nothing written."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from icalendar import Calendar
from rest_framework.test import APIClient

from matching.models import Match
from mentorship.models import AuditLogEntry
from mentorship.notifications.models import Notification
from rooms.models import Meeting, Room
from rooms.services import meetings
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

# 10:00 in Paris in winter is 09:00 UTC, 04:00 in New York.
WHEN = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


def room_of(match):
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(match=match)


@pytest.fixture
def rooms(live_program):
    return [room_of(m) for m in live_program.matches]


def _url(name, room, meeting=None, org="org-a"):
    kwargs = {"org_slug": org, "room_pk": room.pk}
    if meeting is not None:
        kwargs["pk"] = meeting.pk
    return reverse(f"rooms:{name}", kwargs=kwargs)


def _api(room, meeting=None, action=None):
    base = f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/"
    if meeting is None:
        return base
    return f"{base}{meeting.pk}/" + (f"{action}/" if action else "")


def _api_client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def schedule(room, actor, starts_at=WHEN, **extra):
    fields = {"minutes": 60, "location": "Café Central"} | extra
    with scope(organization=room.organization):
        return meetings.schedule(room=room, starts_at=starts_at, actor=actor, **fields)


def _ics(message):
    [(filename, content, mimetype)] = message.attachments
    return filename, Calendar.from_ical(content), mimetype


def _counts():
    with scopes_disabled():
        return (
            Meeting.objects.count(),
            Notification.objects.count(),
            AuditLogEntry.objects.count(),
            list(Meeting.objects.values_list("pk", "status", "sequence", "starts_at")),
        )


def test_scheduling_in_the_schedulers_zone_invites_the_other_party(
    client, cast, rooms, django_capture_on_commit_callbacks
):
    cast.mentor1.time_zone = "Europe/Paris"
    cast.mentor1.save()
    cast.mentee1.time_zone = "America/New_York"
    cast.mentee1.save()
    room = rooms[0]
    client.force_login(cast.mentor1)
    form = {"starts_at_0": "2030-01-15", "starts_at_1": "10:00", "minutes": "45",
            "location": "Café Central", "video_url": ""}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("meeting-new", room), form)
    with scopes_disabled():
        meeting = Meeting.objects.get(room=room)
    assert response.status_code == 302
    assert response["Location"] == _url("meeting", room, meeting)
    assert (meeting.starts_at, meeting.minutes, meeting.location) == (WHEN, 45, "Café Central")
    assert (meeting.status, meeting.sequence, meeting.created_by) == ("scheduled", 0, cast.mentor1)
    [message] = mail.outbox
    assert message.to == ["mentee1@a.example"]
    assert message.subject == (
        f"{cast.mentor1.name} invited you to a mentoring meeting on Tue 15 Jan, 04:00"
    )
    assert "When: Tuesday 15 January 2030, 04:00 (EST), 45 minutes" in message.body
    filename, cal, mimetype = _ics(message)
    assert (filename, mimetype) == ("meeting.ics", "text/calendar; method=REQUEST")
    assert cal["METHOD"] == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == WHEN
    assert event.decoded("DTEND") == WHEN + timedelta(minutes=45)
    with scopes_disabled():
        entry = AuditLogEntry.objects.get(action="room.meeting_scheduled")
    assert (entry.actor, entry.target_id) == (cast.mentor1, str(meeting.pk))
    # The other party reads it in their own zone.
    client.force_login(cast.mentee1)
    page = client.get(_url("meeting", room, meeting)).content.decode()
    assert "04:00–04:45" in page and "Tuesday 15 January 2030" in page


@pytest.mark.parametrize(
    ("body", "field", "error"),
    [
        ({"starts_at": "2020-01-01T10:00:00Z", "minutes": 60}, "starts_at",
         "This time has passed: pick a time in the future."),
        ({"minutes": 5}, "minutes", "Ensure this value is greater than or equal to 10."),
        ({"minutes": 481}, "minutes", "Ensure this value is less than or equal to 480."),
        ({"ends_at": "2030-01-15T08:00:00Z", "minutes": None}, "ends_at",
         "The meeting must end after it starts."),
        ({"location": ""}, "location", "Say where you meet: a place, a video link, or both."),
        ({"video_url": "javascript:alert(1)"}, "video_url", "Enter a valid URL."),
        ({"location": "x" * 201}, "location", "Ensure this field has no more than 200 characters."),
    ],
)  # fmt: skip
def test_bad_meetings_are_refused_with_nothing_written(cast, rooms, body, field, error):
    before = _counts()
    data = {"starts_at": WHEN.isoformat(), "minutes": 60, "location": "Café"} | body
    data = {k: v for k, v in data.items() if v is not None}
    response = _api_client(cast.mentor1).post(_api(rooms[0]), data, format="json")
    assert response.status_code == 400
    assert error in str(response.json()), response.json()
    assert field in str(response.json())
    assert _counts() == before and mail.outbox == []


def test_a_past_time_on_the_page_is_a_clear_error(client, cast, rooms):
    before = _counts()
    client.force_login(cast.mentor1)
    form = {"starts_at_0": "2020-01-15", "starts_at_1": "10:00", "minutes": "60",
            "location": "Café"}  # fmt: skip
    response = client.post(_url("meeting-new", rooms[0]), form)
    assert response.status_code == 400
    assert "This time has passed: pick a time in the future." in response.content.decode()
    assert _counts() == before


def test_reschedule_raises_the_sequence_and_sends_the_update(
    cast, rooms, django_capture_on_commit_callbacks
):
    room = rooms[0]
    meeting = schedule(room, cast.mentee1)
    mail.outbox = []
    later = WHEN + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_client(cast.mentor1).patch(
            _api(room, meeting), {"starts_at": later.isoformat()}, format="json"
        )
    assert response.status_code == 200
    body = response.json()
    assert (body["sequence"], datetime.fromisoformat(body["starts_at"])) == (1, later)
    [message] = mail.outbox
    assert message.to == ["mentee1@a.example"]  # the other party of the one who moved it
    _, cal, mimetype = _ics(message)
    [event] = cal.walk("VEVENT")
    assert mimetype == "text/calendar; method=REQUEST"
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"meeting-{meeting.pk}@127.0.0.1", 1)
    assert event.decoded("DTSTART") == later
    # The same values again: nothing changes, nothing is sent.
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        again = _api_client(cast.mentor1).patch(
            _api(room, meeting), {"starts_at": later.isoformat()}, format="json"
        )
    assert again.json()["sequence"] == 1 and mail.outbox == []


def test_cancel_sends_method_cancel_and_closes_the_meeting(
    cast, rooms, django_capture_on_commit_callbacks
):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_client(cast.mentee1).post(_api(room, meeting, "cancel"))
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["sequence"]) == ("cancelled", 1)
    [message] = mail.outbox
    assert message.to == ["mentor1@a.example"]
    assert message.subject.startswith(f"{cast.mentee1.name} cancelled your mentoring meeting")
    _, cal, mimetype = _ics(message)
    [event] = cal.walk("VEVENT")
    assert (mimetype, cal["METHOD"]) == ("text/calendar; method=CANCEL", "CANCEL")
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    # A cancelled meeting doesn't change any more.
    before = _counts()
    client = _api_client(cast.mentor1)
    for call in (
        lambda: client.patch(_api(room, meeting), {"minutes": 30}, format="json"),
        lambda: client.post(_api(room, meeting, "cancel")),
        lambda: client.post(_api(room, meeting, "held")),
        lambda: client.post(_api(room, meeting, "no-show")),
    ):
        refused = call()
        assert refused.status_code == 400
        assert "This meeting is cancelled: it can't be" in str(refused.json())
    assert _counts() == before


def test_held_once_started_and_the_first_tells_the_roadmap(cast, rooms, monkeypatch):
    heard = []
    monkeypatch.setattr(
        meetings.events, "record", lambda **kw: heard.append((kw["match"].pk, kw["event"]))
    )
    room = rooms[0]
    upcoming = schedule(room, cast.mentor1)
    refused = _api_client(cast.mentor1).post(_api(room, upcoming, "held"))
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["detail"] == (
        "This meeting hasn't started yet: it can't be marked held."
    )
    with scopes_disabled():
        past = [
            Meeting.objects.create(
                organization=room.organization,
                room=room,
                starts_at=timezone.now() - timedelta(days=d),
                minutes=60,
                location="Café",
            )
            for d in (2, 1)
        ]
    client = _api_client(cast.mentee1)
    assert client.post(_api(room, past[0], "held")).json()["status"] == "held"
    assert heard == [(room.match_id, "first_meeting_held")]
    assert client.post(_api(room, past[1], "no-show")).json()["status"] == "no_show"
    with scopes_disabled():
        assert Meeting.objects.get(pk=past[0].pk).held_at is not None
        third = Meeting.objects.create(
            organization=room.organization,
            room=room,
            starts_at=timezone.now() - timedelta(hours=1),
            minutes=30,
            location="Café",
        )
    assert client.post(_api(room, third, "held")).json()["status"] == "held"
    assert heard == [(room.match_id, "first_meeting_held")]  # only the first


def test_a_read_only_room_refuses_writes(client, cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    with scopes_disabled():
        Match.objects.filter(pk=room.match_id).update(status="ended", ended_at=timezone.now())
    before = _counts()
    client.force_login(cast.mentor1)
    form = {"starts_at_0": "2030-02-01", "starts_at_1": "10:00", "minutes": "60",
            "location": "Café"}  # fmt: skip
    assert client.post(_url("meeting-new", room), form).status_code == 403
    assert client.post(_url("meeting-cancel", room, meeting)).status_code == 403
    api = _api_client(cast.mentor1)
    assert api.post(_api(room), {"starts_at": WHEN.isoformat(), "minutes": 60,
                                 "location": "x"}, format="json").status_code == 403  # fmt: skip
    assert api.post(_api(room, meeting, "cancel")).status_code == 403
    assert _counts() == before
    # Still readable, with the banner.
    page = client.get(_url("meeting", room, meeting)).content.decode()
    assert "This match has ended" in page and "Cancel the meeting" not in page


def test_another_pairs_meetings_are_404_everywhere(client, cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    before = _counts()
    for user in (cast.mentor2, cast.mentee2, cast.admin, cast.hr):
        client.force_login(user)
        for name in ("meetings", "meeting-new"):
            assert client.get(_url(name, room)).status_code == 404, (user, name)
        for name in ("meeting", "meeting-edit", "meeting-ics"):
            assert client.get(_url(name, room, meeting)).status_code == 404, (user, name)
        for name in ("meeting-cancel", "meeting-held", "meeting-no-show"):
            assert client.post(_url(name, room, meeting)).status_code == 404, (user, name)
        api = _api_client(user)
        assert api.get(_api(room)).status_code == 404
        assert api.get(_api(room, meeting)).status_code == 404
        assert api.get(_api(room, meeting, "ics")).status_code == 404
        assert api.post(_api(room, meeting, "cancel")).status_code == 404
    # A meeting id of another room, under one's own room: not found either.
    client.force_login(cast.mentor2)
    assert client.get(_url("meeting", rooms[1], meeting)).status_code == 404
    assert _api_client(cast.mentor2).get(_api(rooms[1], meeting)).status_code == 404
    assert _counts() == before


def test_meeting_list_page_and_api_run_constant_queries(client, cast, rooms):
    room = rooms[0]
    made = []

    def add():
        with scopes_disabled():
            made.append(
                Meeting.objects.create(
                    organization=room.organization, room=room, location="Café", minutes=30,
                    starts_at=timezone.now() + timedelta(days=len(made) + 1)
                    if len(made) % 2 else timezone.now() - timedelta(days=len(made) + 1),
                )
            )  # fmt: skip

    client.force_login(cast.mentor1)
    assert_constant_queries(client, _url("meetings", room), add)
    api = APIClient()
    api.force_login(cast.mentor1)
    assert_constant_queries(api, _api(room), add)
    assert api.get(_api(room)).json()["count"] == 20


@pytest.mark.parametrize("end", ["end_match", "dissolve_match"])
def test_an_ended_match_calls_off_its_meetings_still_to_come(
    cast, rooms, django_capture_on_commit_callbacks, end
):
    from matching.services import matches

    room = rooms[0]
    coming = schedule(room, cast.mentor1)
    with scopes_disabled():  # one in the past, waiting to be marked held: it stays as it is
        past = Meeting.objects.create(
            organization=room.organization, room=room, starts_at=timezone.now() - timedelta(days=1),
            minutes=60, location="Café", created_by=cast.mentor1,
        )  # fmt: skip
    other_pair = schedule(rooms[1], cast.mentor2)
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        getattr(matches, end)(match=room.match, actor=cast.admin, reason="Moved abroad")
    with scopes_disabled():
        statuses = dict(Meeting.objects.values_list("pk", "status"))
        coming.refresh_from_db()
    assert statuses[coming.pk] == "cancelled" and coming.sequence == 1
    assert statuses[past.pk] == statuses[other_pair.pk] == "scheduled"
    cancellations = [m for m in mail.outbox if "called off" in m.subject]
    assert sorted(m.to[0] for m in cancellations) == ["mentee1@a.example", "mentor1@a.example"]
    for message in cancellations:
        _, cal, _ = _ics(message)
        [event] = cal.walk("VEVENT")
        assert (cal["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
        assert str(event["UID"]) == f"meeting-{coming.pk}@127.0.0.1"
        assert "match in" in message.body and "has ended" in message.body


def test_a_closed_programs_meetings_still_to_come_are_called_off(
    cast, rooms, live_program, django_capture_on_commit_callbacks
):
    from programs.services import change_status

    coming = [schedule(rooms[0], cast.mentor1), schedule(rooms[1], cast.mentor2)]
    with scopes_disabled():  # one in the past, waiting to be marked held: it stays as it is
        past = Meeting.objects.create(
            organization=rooms[0].organization, room=rooms[0], minutes=60, location="Café",
            starts_at=timezone.now() - timedelta(days=1), created_by=cast.mentor1,
        )  # fmt: skip
    mail.outbox = []
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        change_status(program=live_program.program, status="closed", actor=cast.admin)
    with scopes_disabled():
        statuses = dict(Meeting.objects.values_list("pk", "status"))
        entries = AuditLogEntry.objects.filter(action="room.meeting_cancelled")
        because = sorted(e.data["because"] for e in entries)
    assert [statuses[m.pk] for m in coming] == ["cancelled", "cancelled"]
    assert statuses[past.pk] == "scheduled" and because == ["program closed"] * 2
    cancellations = [m for m in mail.outbox if "called off" in m.subject]
    assert sorted(m.to[0] for m in cancellations) == [
        "mentee1@a.example", "mentee2@a.example", "mentor1@a.example", "mentor2@a.example",
    ]  # fmt: skip
    for message in cancellations:
        _, cal, _ = _ics(message)
        assert cal["METHOD"] == "CANCEL"
        assert "the program has closed" in message.subject and "has closed" in message.body


def test_a_meeting_under_way_can_get_its_video_link_fixed(
    cast, rooms, django_capture_on_commit_callbacks
):
    """Its start has passed, but it isn't moved: only where it happens changes, and the
    invitation says so."""
    room = rooms[0]
    with scopes_disabled():
        meeting = Meeting.objects.create(
            organization=room.organization, room=room,
            starts_at=timezone.now() - timedelta(minutes=5), minutes=60, location="Café",
            created_by=cast.mentor1,
        )  # fmt: skip
    mail.outbox = []
    link = "https://meet.example/abc"
    with django_capture_on_commit_callbacks(execute=True):
        response = _api_client(cast.mentee1).patch(
            _api(room, meeting), {"video_url": link}, format="json"
        )
    assert response.status_code == 200, response.content
    assert (response.json()["video_url"], response.json()["sequence"]) == (link, 1)
    [message] = mail.outbox
    assert message.subject.startswith(f"{cast.mentee1.name} changed where you meet on ")
    # Moving it into the past is still refused.
    moved = _api_client(cast.mentee1).patch(
        _api(room, meeting),
        {"starts_at": (timezone.now() - timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert moved.status_code == 400 and "This time has passed" in str(moved.json())
