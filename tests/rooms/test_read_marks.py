"""Read marks go up to the last message the reader was shown (the page names it, the API client
names the newest it got), never up to the time of the request: a message that arrives in
between stays unread. A mark never moves back; another room's message is refused."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from rooms import queries
from rooms.models import Message, ReadMark
from rooms.services import messages
from tests.rooms import test_agenda as agenda_tests

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs
START = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # in the past: "now" is later than all


def url(room, name):
    return reverse(f"rooms:{name}", kwargs={"org_slug": "org-a", "pk": room.pk})


def api(room, suffix=""):
    return f"/api/v1/orgs/org-a/rooms/{room.pk}/messages/{suffix}"


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def say(room, user, body, minutes):
    with time_machine.travel(START + timedelta(minutes=minutes), tick=False), scopes_disabled():
        return messages.post_message(room=room, actor=user, body=body)


def unread(cast, user):
    with scopes_disabled():
        return queries.unread_counts(cast.membership[user.pk])


def mark_of(room, user):
    with scopes_disabled():
        marks = ReadMark.objects.filter(room=room, user=user)
        return marks.values_list("read_at", flat=True).first()  # None: no mark yet


def marked_up_to(html):
    """The message id the page's "read" post names."""
    [found] = re.findall(r"""hx-vals='\{"up_to": (\d+)\}'""", html)
    return int(found)


def test_a_message_that_arrives_after_the_page_was_shown_stays_unread(cast, room, client):
    say(room, cast.mentee1, "One", 1)
    two = say(room, cast.mentee1, "Two", 2)
    client.force_login(cast.mentor1)
    page = client.get(url(room, "messages")).content.decode()
    assert "Two" in page and marked_up_to(page) == two.pk
    late = say(room, cast.mentee1, "Late", 3)  # while the page loads
    response = client.post(url(room, "messages-read"), {"up_to": two.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert mark_of(room, cast.mentor1) == two.created_at
    assert unread(cast, cast.mentor1) == {room.pk: 1}
    # The poller then shows "Late" and marks read up to it.
    new = client.get(url(room, "messages-new"), {"after": two.pk}).content.decode()
    assert "Late" in new and marked_up_to(new) == late.pk
    client.post(url(room, "messages-read"), {"up_to": late.pk}, HTTP_HX_REQUEST="true")
    assert unread(cast, cast.mentor1) == {}


def test_an_empty_thread_posts_no_read(cast, rooms, client):
    with scopes_disabled():
        Message.objects.filter(room=rooms[1]).delete()
    client.force_login(cast.mentor2)
    page = client.get(url(rooms[1], "messages")).content.decode()
    assert 'id="thread-poller"' in page and "messages/read/" not in page


def test_the_mark_never_moves_back(cast, room, client):
    one = say(room, cast.mentee1, "One", 1)
    two = say(room, cast.mentee1, "Two", 2)
    client.force_login(cast.mentor1)
    client.post(url(room, "messages-read"), {"up_to": two.pk}, HTTP_HX_REQUEST="true")
    # A page shown earlier (or a late request) names an older message: the mark stays.
    response = client.post(url(room, "messages-read"), {"up_to": one.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert mark_of(room, cast.mentor1) == two.created_at
    data = api_for(cast.mentor1).post(api(room, "read/"), {"up_to": one.pk}, format="json")
    assert data.status_code == 200
    assert datetime.fromisoformat(data.json()["read_at"]) == two.created_at
    # One's own message counts as read, and does not move the mark back either.
    with scopes_disabled():
        Message.objects.filter(pk=one.pk).update(author=cast.mentor1)
    assert mark_of(room, cast.mentor1) == two.created_at
    assert unread(cast, cast.mentor1) == {}


def test_another_rooms_message_or_a_bad_id_is_refused_and_changes_nothing(cast, rooms, client):
    room, other = rooms
    say(room, cast.mentee1, "Mine", 1)
    theirs = say(other, cast.mentee2, "Theirs", 2)
    client.force_login(cast.mentor1)
    assert mark_of(room, cast.mentor1) is None
    for bad in (theirs.pk, "abc", "0", "-3", "999999999"):
        response = client.post(url(room, "messages-read"), {"up_to": bad}, HTTP_HX_REQUEST="true")
        assert response.status_code == 400, bad
        assert "That message is not one of this room's." in response.content.decode()
    api_client = api_for(cast.mentor1)
    response = api_client.post(api(room, "read/"), {"up_to": theirs.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"attr": "up_to", "code": "invalid", "detail": "That message is not one of this room's."}
    ]
    assert api_client.post(api(room, "read/"), {"up_to": "x"}, format="json").status_code == 400
    assert mark_of(room, cast.mentor1) is None
    assert unread(cast, cast.mentor1) == {room.pk: 1}
    with scopes_disabled():
        assert not ReadMark.objects.filter(room=other, user=cast.mentor1).exists()


def test_the_api_marks_read_what_it_returned(cast, room):
    say(room, cast.mentee1, "One", 1)
    two = say(room, cast.mentee1, "Two", 2)
    client = api_for(cast.mentor1)
    got = client.get(api(room)).json()["results"]
    assert got[0]["id"] == two.pk  # newest first
    say(room, cast.mentee1, "After the list", 3)
    response = client.post(api(room, "read/"), {"up_to": got[0]["id"]}, format="json")
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["read_at"]) == two.created_at
    assert unread(cast, cast.mentor1) == {room.pk: 1}
    # Without up_to (as before): up to the room's latest message.
    latest = say(room, cast.mentee1, "Latest", 4)
    response = client.post(api(room, "read/"))
    assert datetime.fromisoformat(response.json()["read_at"]) == latest.created_at
    assert unread(cast, cast.mentor1) == {}


def test_the_schema_documents_up_to(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    [operation] = [
        o["post"] for path, o in schema["paths"].items() if path.endswith("/messages/read/")
    ]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    up_to = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]["up_to"]
    assert up_to["type"] == "integer"
    assert up_to["description"].startswith("The id of the newest message you got")
