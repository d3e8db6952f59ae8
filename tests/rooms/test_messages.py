"""The room's messages: a thread per room, read marks and unread counts (room list and nav),
and the other party told by email — batched, and never with the message's text."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship.notifications.models import Notification
from rooms import queries
from rooms.models import Message, ReadMark
from rooms.services import messages
from rooms.services import rooms as room_services
from tests.factories import EnrollmentFactory, MatchFactory, ProgramFactory
from tests.queries import assert_constant_queries
from tests.rooms import test_agenda as agenda_tests

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs
SECRET = "The password to my diary is hunter2"


def thread_url(room, name="rooms:messages"):
    return reverse(name, kwargs={"org_slug": "org-a", "pk": room.pk})


def api(room, suffix=""):
    return f"/api/v1/orgs/org-a/rooms/{room.pk}/messages/{suffix}"


def membership(cast, user):
    return cast.membership[user.pk]


def post(room, user, body, capture):
    with capture(execute=True), scopes_disabled():
        return messages.post_message(room=room, actor=user, body=body)


def test_the_email_says_who_and_where_never_what(
    cast, room, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.mentor1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(thread_url(room), {"body": SECRET})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == [cast.mentee1.email]
    name = cast.mentor1.display_name
    assert email.subject == f"{name} sent you a message in your mentoring room"
    assert SECRET not in email.body and "hunter2" not in email.body
    assert thread_url(room) in email.body
    with scopes_disabled():
        [note] = Notification.objects.filter(kind="rooms.message")
    assert note.recipient_id == cast.mentee1.pk and SECRET not in note.title + note.body
    assert note.url == thread_url(room)


def test_five_messages_in_a_few_minutes_make_one_email_then_another_after(
    cast, room, django_capture_on_commit_callbacks
):
    start = datetime(2030, 5, 6, 9, 0, tzinfo=UTC)
    for minute in range(5):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            post(room, cast.mentor1, f"Message {minute}", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with time_machine.travel(start + timedelta(minutes=9), tick=False):
        post(room, cast.mentor1, "Still within the period", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        post(room, cast.mentor1, "After it", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    # The author is never told about their own messages; the other way round is its own batch.
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        post(room, cast.mentee1, "A reply", django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[cast.mentee1.email]] * 2 + [[cast.mentor1.email]]


def test_the_bar_keeps_its_counts_until_a_message_is_posted_or_read_or_a_room_opens(
    cast, rooms, client
):
    room, _ = rooms
    mentor = membership(cast, cast.mentor1)
    with scopes_disabled():
        assert queries.nav_counts(mentor) == {"rooms": 1, "unread": 0}
        with CaptureQueriesContext(connection) as ctx:
            assert queries.nav_counts(mentor) == {"rooms": 1, "unread": 0}
        assert ctx.captured_queries == []  # kept in the cache
        messages.post_message(room=room, actor=cast.mentee1, body="Hello")
        assert queries.nav_counts(mentor) == {"rooms": 1, "unread": 1}  # forgotten at once
        messages.mark_read(room=room, user=cast.mentor1)
        assert queries.nav_counts(mentor) == {"rooms": 1, "unread": 0}
        program = ProgramFactory(organization=cast.org_a, slug="second", status="active")
        match = MatchFactory(
            program=program,
            mentor=EnrollmentFactory(program=program, user=cast.mentor1, role="mentor"),
            mentee=EnrollmentFactory(program=program, email="new@a.example"),
        )
        room_services.open_rooms(matches=[match])
        assert queries.nav_counts(mentor) == {"rooms": 2, "unread": 0}
    client.force_login(cast.mentor1)
    messages_page = client.get(thread_url(room)).content.decode()
    assert 'id="nav-unread"' not in messages_page


def test_unread_counts_and_read_marks(cast, rooms, client, api_client):
    room, other = rooms
    with scopes_disabled():
        messages.post_message(room=room, actor=cast.mentor1, body="Mine")
        for body in ("One", "Two", "Three"):
            messages.post_message(room=room, actor=cast.mentee1, body=body)
        messages.post_message(room=other, actor=cast.mentee2, body="Not theirs")
        mentor = membership(cast, cast.mentor1)
        with CaptureQueriesContext(connection) as ctx:
            counts = queries.unread_counts(mentor)
        assert len(ctx.captured_queries) == 1
        assert counts == {room.pk: 3}
        assert queries.unread_counts(membership(cast, cast.mentee1)) == {}
        assert queries.unread_counts(membership(cast, cast.mentor2)) == {other.pk: 1}
    with CaptureQueriesContext(connection) as ctx, scopes_disabled():
        assert queries.nav_counts(mentor) == {"rooms": 1, "unread": 3}
    assert len(ctx.captured_queries) == 1
    client.force_login(cast.mentor1)
    home = client.get(reverse("org:home", kwargs={"org_slug": "org-a"})).content.decode()
    assert 'id="nav-unread">3<' in home and 'id="nav-unread-phone">3<' in home
    # Someone in no room (here: the admin) has no mentoring links in the bar.
    client.force_login(cast.admin)
    admin_home = client.get(reverse("org:home", kwargs={"org_slug": "org-a"})).content.decode()
    assert 'id="nav-my-mentoring"' not in admin_home
    client.force_login(cast.mentor1)
    # Reading the page writes nothing; the page then posts "read" (htmx, on load).
    page = client.get(thread_url(room)).content.decode()
    assert "One" in page and thread_url(room, "rooms:messages-read") in page
    with scopes_disabled():
        assert queries.unread_counts(mentor) == {room.pk: 3}
    response = client.post(thread_url(room, "rooms:messages-read"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    with scopes_disabled():
        assert queries.unread_counts(mentor) == {}
        assert ReadMark.objects.filter(room=room, user=cast.mentor1).count() == 1
        messages.post_message(room=room, actor=cast.mentee1, body="Four")
        assert queries.unread_total(mentor) == 1
    api_client.force_login(cast.mentor1)
    assert api_client.post(api(room, "read/")).status_code == 200
    with scopes_disabled():
        assert queries.unread_total(mentor) == 0


def test_polling_returns_only_new_messages(cast, room, client):
    with scopes_disabled():
        first = messages.post_message(room=room, actor=cast.mentee1, body="Old news")
        messages.post_message(room=room, actor=cast.mentee1, body="Fresh")
    client.force_login(cast.mentor1)
    response = client.get(thread_url(room, "rooms:messages-new"), {"after": first.pk})
    body = response.content.decode()
    assert "Fresh" in body and "Old news" not in body
    assert 'hx-trigger="every 10s"' in body


def test_the_api_lists_a_page_at_a_time_newest_first(cast, room, api_client):
    with scopes_disabled():
        for i in range(3):
            messages.post_message(room=room, actor=cast.mentee1, body=f"M{i}")
    api_client.force_login(cast.mentor1)
    data = api_client.get(api(room), {"page_size": 2}).json()
    assert data["count"] == 3 and [m["body"] for m in data["results"]] == ["M2", "M1"]
    created = api_client.post(api(room), {"body": "Reply"})
    assert created.status_code == 201 and created.json()["mine"] is True


def test_an_overlong_or_empty_message_is_refused(cast, room, client, api_client):
    client.force_login(cast.mentor1)
    response = client.post(thread_url(room), {"body": "x" * 4001}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "at most 4000 characters" in response.content.decode()
    assert client.post(thread_url(room), {"body": "   "}).status_code == 400
    api_client.force_login(cast.mentor1)
    assert api_client.post(api(room), {"body": "x" * 4001}).status_code == 400
    with scopes_disabled():
        assert not Message.objects.exists()
        assert not Notification.objects.filter(kind="rooms.message").exists()
    assert mail.outbox == []


def test_another_rooms_messages_are_404_and_admins_hr_never_read_them(
    cast, rooms, client, api_client
):
    with scopes_disabled():
        messages.post_message(room=rooms[1], actor=cast.mentee2, body="Private")
    client.force_login(cast.mentor1)
    for url in (thread_url(rooms[1]), thread_url(rooms[1], "rooms:messages-new")):
        assert client.get(url).status_code == 404
    assert client.post(thread_url(rooms[1]), {"body": "Hi"}).status_code == 404
    assert client.post(thread_url(rooms[1], "rooms:messages-read")).status_code == 404
    for user in (cast.mentor1, cast.admin, cast.hr):
        api_client.force_login(user)
        assert api_client.get(api(rooms[1])).status_code == 404
        assert api_client.post(api(rooms[1], "read/")).status_code == 404
    for user in (cast.admin, cast.hr):
        client.force_login(user)
        assert client.get(thread_url(rooms[1])).status_code == 404
    with scopes_disabled():
        assert Message.objects.count() == 1
        assert not ReadMark.objects.filter(room=rooms[1], user=cast.mentor1).exists()


def test_messages_run_constant_queries(cast, room, client, api_client):
    client.force_login(cast.mentor1)
    api_client.force_login(cast.mentor1)
    toggle = iter(range(1000))

    def add_row():
        author = cast.mentee1 if next(toggle) % 2 else cast.mentor1
        with scopes_disabled():
            Message.objects.create(organization=cast.org_a, room=room, author=author, body="m")

    assert_constant_queries(client, thread_url(room), add_row)
    assert_constant_queries(api_client, api(room), add_row)
    assert_constant_queries(client, reverse("rooms:mine", kwargs={"org_slug": "org-a"}), add_row)


def test_earlier_messages_are_a_link_away(cast, room, client, monkeypatch):
    monkeypatch.setattr("rooms.views.messages.SHOWN", 3)
    base = datetime(2026, 11, 1, 9, tzinfo=UTC)
    with scopes_disabled():
        sent = Message.objects.bulk_create(
            Message(
                organization=room.organization,
                room=room,
                author=cast.mentee1,
                body=f"Message number {i}",
                created_at=base + timedelta(minutes=i),
            )  # fmt: skip
            for i in range(7)
        )
    client.force_login(cast.mentor1)
    latest = client.get(thread_url(room)).content.decode()
    assert [f"Message number {i}" in latest for i in range(7)] == [False] * 4 + [True] * 3
    assert f'href="{thread_url(room)}?before={sent[4].pk}" id="earlier-messages"' in latest
    assert 'id="thread-poller"' in latest and "messages/read/" in latest
    earlier = client.get(thread_url(room), {"before": sent[4].pk}).content.decode()
    assert [f"Message number {i}" in earlier for i in range(7)] == [False, True, True, True] + [
        False
    ] * 3
    assert 'id="latest-messages"' in earlier and f"?before={sent[1].pk}" in earlier
    # Reading back neither polls for new messages nor marks anything read.
    assert 'id="thread-poller"' not in earlier and "messages/read/" not in earlier
    oldest = client.get(thread_url(room), {"before": sent[1].pk}).content.decode()
    assert "Message number 0" in oldest and 'id="earlier-messages"' not in oldest
    # A bad or foreign cursor is the latest page.
    for bad in ("x", "999999"):
        assert "Message number 6" in client.get(thread_url(room), {"before": bad}).content.decode()
