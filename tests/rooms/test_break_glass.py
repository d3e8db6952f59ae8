"""Break-glass: where the program allows it, an admin opens a room's content with a written
reason; audited, time-limited, shown to both participants. Elsewhere: refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from mentorship.models import AuditLogEntry
from rooms.constants import BREAK_GLASS_HOURS
from rooms.models import BreakGlass, Meeting, Room
from rooms.services.rooms import save_settings

pytestmark = pytest.mark.django_db

REASON = "The mentee's school raised a safeguarding concern."


def room_of(match):
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(match=match)


@pytest.fixture
def room(live_program):
    room = room_of(live_program.matches[0])
    with scopes_disabled():
        room.meeting = Meeting.objects.create(
            organization=room.organization, room=room, location="Café", minutes=60,
            starts_at=timezone.now() + timedelta(days=2),
        )  # fmt: skip
    return room


def allow(room, cast):
    with scope(organization=cast.org_a):
        save_settings(program=room.program, break_glass=True, actor=cast.admin)


def _open(room):
    return reverse("rooms:break-glass", kwargs={"org_slug": "org-a", "pk": room.pk})


def _meetings(room):
    return reverse("rooms:meetings", kwargs={"org_slug": "org-a", "room_pk": room.pk})


def _home(room):
    return reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk})


def _rows():
    with scopes_disabled():
        return BreakGlass.objects.count(), AuditLogEntry.objects.count()


def test_without_the_setting_it_is_refused(client, cast, room):
    before = _rows()
    client.force_login(cast.admin)
    page = client.get(_open(room)).content.decode()
    assert "Live doesn't allow opening a room's content." in page
    response = client.post(_open(room), {"reason": REASON})
    assert response.status_code == 400
    assert (
        "This program doesn&#x27;t allow opening a room&#x27;s content."
        in response.content.decode()
    )
    assert _rows() == before
    assert client.get(_meetings(room)).status_code == 404


@pytest.mark.parametrize(
    ("reason", "error"),
    [
        ("", "This field is required."),
        ("Because", "Say why you open this room (at least 10 characters)."),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_a_reason_is_required(client, cast, room, reason, error):
    allow(room, cast)
    before = _rows()
    client.force_login(cast.admin)
    response = client.post(_open(room), {"reason": reason})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert _rows() == before


def test_an_opening_is_audited_time_limited_and_shown_to_the_pair(client, cast, room):
    allow(room, cast)
    client.force_login(cast.admin)
    assert client.get(_meetings(room)).status_code == 404
    response = client.post(_open(room), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == _home(room)
    with scopes_disabled():
        opening = BreakGlass.objects.get(room=room)
        entry = AuditLogEntry.objects.get(action="room.break_glass")
    assert (opening.actor, opening.reason) == (cast.admin, REASON)
    assert opening.expires_at - opening.created_at == pytest.approx(
        timedelta(hours=BREAK_GLASS_HOURS), abs=timedelta(seconds=5)
    )
    assert (entry.actor, entry.target_id, entry.data["reason"]) == (
        cast.admin,
        str(room.pk),
        REASON,
    )
    # The admin reads the content now; HR still doesn't, nor another admin's opening helps.
    assert client.get(_meetings(room)).status_code == 200
    api = APIClient()
    api.force_authenticate(cast.admin)
    assert api.get(f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/").status_code == 200
    # …but never writes, and never gets the pair's .ics.
    meeting = f"/api/v1/orgs/org-a/rooms/{room.pk}/meetings/{room.meeting.pk}/"
    assert api.post(f"{meeting}cancel/").status_code == 404
    assert api.get(f"{meeting}ics/").status_code == 404
    client.force_login(cast.hr)
    assert client.get(_meetings(room)).status_code == 404
    for person in (cast.mentor1, cast.mentee1):
        client.force_login(person)
        page = client.get(_home(room)).content.decode()
        assert 'id="break-glass-banner"' in page
        assert "A program admin opened your room" in page
        assert f"<strong>{cast.admin.name}</strong>" in page
        assert "The mentee&#x27;s school raised a safeguarding concern." in page
    # Once it expires, the content is closed again (the pair still sees that it happened).
    with scopes_disabled():
        BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(cast.admin)
    assert client.get(_meetings(room)).status_code == 404
    client.force_login(cast.mentee1)
    assert 'id="break-glass-banner"' in client.get(_home(room)).content.decode()


def test_only_admins_open_rooms(client, cast, room):
    allow(room, cast)
    before = _rows()
    for user in (cast.hr, cast.mentor1, cast.mentor2):
        client.force_login(user)
        assert client.post(_open(room), {"reason": REASON}).status_code == 403
        assert client.get(_open(room)).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(_open(room), {"reason": REASON}).status_code == 404
    assert _rows() == before


def test_switching_break_glass_off_closes_the_openings_still_running(client, cast, room):
    allow(room, cast)
    client.force_login(cast.admin)
    assert client.post(_open(room), {"reason": REASON}).status_code == 302
    assert client.get(_meetings(room)).status_code == 200
    with scope(organization=cast.org_a):
        save_settings(program=room.program, break_glass=False, actor=cast.admin)
    assert client.get(_meetings(room)).status_code == 404
    with scopes_disabled():
        entry = AuditLogEntry.objects.filter(action="room.settings_saved").latest("pk")
        assert not BreakGlass.objects.filter(expires_at__gt=timezone.now()).exists()
    assert entry.data["openings_closed"] == 1
    # The pair still sees that their room was opened.
    client.force_login(cast.mentee1)
    assert 'id="break-glass-banner"' in client.get(_home(room)).content.decode()


def test_while_open_every_page_of_the_room_says_so(client, cast, room):
    allow(room, cast)
    client.force_login(cast.admin)
    client.post(_open(room), {"reason": REASON})
    messages = reverse("rooms:messages", kwargs={"org_slug": "org-a", "pk": room.pk})
    for person in (cast.mentee1, cast.mentor1):
        client.force_login(person)
        for url in (_meetings(room), messages):
            page = client.get(url).content.decode()
            assert 'id="break-glass-open"' in page, url
            assert f"<strong>{cast.admin.name}</strong> (a program admin) can read" in page
    with scopes_disabled():
        BreakGlass.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert 'id="break-glass-open"' not in client.get(messages).content.decode()
