"""A pair's private words stay theirs on every surface that could carry them: a private note
and a private agenda point are read by their author alone, and nothing the pair writes (notes,
points, messages) reaches admins or HR, the audit log, an email, a calendar (the feed and the
meeting's .ics) or an export (the program's logic-model export, page and API).

The calendar feed is public by its token, so it lives outside ``/o/<org>/``: served here next
to the site's own URLs, as in `test_calendar`."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import include, path, reverse
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from mentorship.models import AuditLogEntry
from rooms.services import agenda, calendar, meetings, messages, notes
from rooms.views.calendar import calendar_feed
from tests.rooms.test_calendar import room_of

urlpatterns = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("", include("mentorship.urls")),
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PRIVATE_NOTE = "Private-note-7f3a: I doubt this is working"
PRIVATE_POINT = "Private-point-91c2: ask about the reorganisation"
SHARED_NOTE = "Shared-note-44b0: we agreed on the plan"
MESSAGE = "Message-5d1e: my manager said no"
PRIVATE = (PRIVATE_NOTE, PRIVATE_POINT)
EVERYTHING = (*PRIVATE, SHARED_NOTE, MESSAGE)


@pytest.fixture
def written(cast, live_program, django_capture_on_commit_callbacks):
    """Mentee 1 schedules a meeting, writes a private note, a private point, a shared note
    and a message to their mentor; both have a calendar feed."""
    room = room_of(live_program.matches[0])
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        meeting = meetings.schedule(
            room=room,
            starts_at=datetime(2030, 1, 15, 9, 0, tzinfo=UTC),
            minutes=60,
            location="Café Central",
            actor=cast.mentee1,
        )
        notes.add_note(meeting=meeting, actor=cast.mentee1, body=PRIVATE_NOTE, private=True)
        notes.add_note(meeting=meeting, actor=cast.mentee1, body=SHARED_NOTE)
        agenda.add_point(meeting=meeting, actor=cast.mentee1, text=PRIVATE_POINT, private=True)
        messages.post_message(room=room, actor=cast.mentee1, body=MESSAGE)
        feeds = {
            user: calendar.new_feed(membership=cast.membership[user.pk])
            for user in (cast.mentee1, cast.mentor1)
        }
    return room, meeting, feeds


def _pages(room, meeting, program):
    org = {"org_slug": "org-a"}
    return [
        reverse("rooms:home", kwargs={**org, "pk": room.pk}),
        reverse("rooms:meeting", kwargs={**org, "room_pk": room.pk, "pk": meeting.pk}),
        reverse("rooms:messages", kwargs={**org, "pk": room.pk}),
        reverse("rooms:program-rooms", kwargs={**org, "program_slug": program.slug}),
        reverse("org:audit-log", kwargs=org),
        reverse("programs:logic-model-export", kwargs={**org, "program_slug": program.slug}),
        f"/api/v1/orgs/org-a/rooms/{room.pk}/",
        f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/{meeting.pk}/notes/",
        f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/{meeting.pk}/agenda-points/",
        f"/api/v1/orgs/org-a/rooms/{room.pk}/messages/",
        f"/api/v1/orgs/org-a/programs/{program.slug}/logic-model/export/",
    ]


def _seen_by(client, user, urls, shown=None):
    """Everything ``user`` gets from ``urls`` (whatever the status: a 404 shows nothing);
    ``shown``: the urls that must answer 200 (what the test reads is really there)."""
    client.force_login(user)
    responses = {url: client.get(url) for url in urls}
    assert [u for u in shown or () if responses[u].status_code != 200] == []
    return "\n".join(r.content.decode() for r in responses.values())


def test_admins_and_hr_see_none_of_the_pairs_words_anywhere(cast, written, live_program, client):
    room, meeting, _ = written
    urls = _pages(room, meeting, live_program.program)
    # The room's outline, its program's rooms and the export are theirs to read (the audit
    # log the admin's).
    for user, pages in ((cast.admin, [0, 3, 4, 5]), (cast.hr, [0, 3, 5])):
        seen = _seen_by(client, user, urls, shown=[urls[i] for i in pages])
        seen += _seen_by(APIClient(), user, urls, shown=[urls[6], urls[10]])
        assert [text for text in EVERYTHING if text in seen] == [], user


def test_the_partner_reads_the_shared_words_and_never_the_private_ones(
    cast, written, live_program, client
):
    room, meeting, _ = written
    urls = _pages(room, meeting, live_program.program)
    seen = _seen_by(client, cast.mentor1, urls) + _seen_by(APIClient(), cast.mentor1, urls)
    assert SHARED_NOTE in seen and MESSAGE in seen
    assert [text for text in PRIVATE if text in seen] == []
    own = _seen_by(client, cast.mentee1, urls)
    assert PRIVATE_NOTE in own and PRIVATE_POINT in own  # their author reads them


def test_no_email_calendar_or_audit_entry_carries_the_pairs_words(cast, written, client):
    room, meeting, feeds = written
    assert mail.outbox  # the invitation and the message's notice went out
    for email in mail.outbox:
        parts = [email.subject, email.body]
        parts += [alt[0] for alt in getattr(email, "alternatives", [])]
        parts += [str(a[1]) for a in email.attachments if isinstance(a, tuple)]
        assert [t for t in EVERYTHING if any(t in part for part in parts)] == [], email.subject
    ics = reverse(
        "rooms:meeting-ics", kwargs={"org_slug": "org-a", "room_pk": room.pk, "pk": meeting.pk}
    )
    client.force_login(cast.mentee1)
    calendars = [client.get(ics).content.decode()]
    client.logout()
    for feed in feeds.values():
        response = client.get(f"/calendar/{feed.token}.ics")
        assert response.status_code == 200 and "BEGIN:VEVENT" in response.content.decode()
        calendars.append(response.content.decode())
    assert [t for t in EVERYTHING if any(t in c for c in calendars)] == []
    with scopes_disabled():
        entries = AuditLogEntry.objects.values_list("target_repr", "data")
        logged = " ".join(f"{target} {data}" for target, data in entries)
    assert [t for t in EVERYTHING if t in logged] == []
