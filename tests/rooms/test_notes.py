"""A meeting's notes: shared or private (only the author, ever), light Markdown rendered
sanitised, a length limit, the author edits and deletes their own."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from rooms import markup
from rooms.models import BreakGlass, Meeting, Note
from rooms.services import messages, notes
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_agenda import make_meeting, meeting_url

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs


def notes_api(meeting, pk=None):
    base = f"/api/v1/orgs/org-a/rooms/{meeting.room_id}/meetings/{meeting.pk}/notes/"
    return f"{base}{pk}/" if pk else base


def add_url(meeting):
    return reverse(
        "rooms:note-add",
        kwargs={"org_slug": "org-a", "room_pk": meeting.room_id, "meeting_pk": meeting.pk},
    )


def test_markup_is_light_and_sanitised():
    html = str(markup.render("**Bold** and *it*\n\n- one\n- two\n\n<script>alert(1)</script>"))
    assert "<strong>Bold</strong>" in html and "<em>it</em>" in html
    assert "<li>one</li>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    link = str(markup.render("[x](javascript:alert(1)) [y](https://example.org)"))
    assert "javascript:" not in link
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">y</a>' in link
    assert "<img" not in str(markup.render('<img src="x" onerror="alert(1)">'))


def test_a_private_note_is_only_its_authors(cast, room, client, api_client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    client.force_login(cast.mentee1)
    client.post(add_url(meeting), {"body": "I felt *nervous*", "private": "on"})
    client.post(add_url(meeting), {"body": "We agreed on goals"})
    with scopes_disabled():
        private = Note.objects.get(private=True)
        # Break-glass: an admin who opened the room reads the shared note, never the private.
        BreakGlass.objects.create(
            organization=cast.org_a, room=room, actor=cast.admin, reason="Concern",
            expires_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
    assert private.author_id == cast.mentee1.pk
    own = client.get(meeting_url(meeting)).content.decode()
    assert "I felt <em>nervous</em>" in own and "Private: only you can read it" in own
    for user in (cast.mentor1, cast.admin):
        client.force_login(user)
        page = client.get(meeting_url(meeting)).content.decode()
        assert "We agreed on goals" in page and "nervous" not in page, user
        api_client.force_login(user)
        assert [n["body"] for n in api_client.get(notes_api(meeting)).json()["results"]] == [
            "We agreed on goals"
        ]
        assert api_client.get(notes_api(meeting, private.pk)).status_code == 404
        assert api_client.patch(notes_api(meeting, private.pk), {"body": "x"}).status_code == 404
    client.force_login(cast.hr)
    assert client.get(meeting_url(meeting)).status_code == 404
    api_client.force_login(cast.hr)
    assert api_client.get(notes_api(meeting)).status_code == 404
    # No email ever carries a note: notes send none, and a message's email has no room content.
    with scopes_disabled():
        messages.post_message(room=room, actor=cast.mentee1, body="See my notes")
    assert all("nervous" not in m.body and "goals" not in m.body for m in mail.outbox)


def test_the_author_edits_and_deletes_their_own(cast, room, api_client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)
    created = api_client.post(notes_api(meeting), {"body": "Draft", "private": True})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["private"] is True and created.json()["mine"] is True
    edited = api_client.patch(notes_api(meeting, pk), {"body": "**Final**", "private": False})
    assert edited.json()["html"] == "<p><strong>Final</strong></p>"
    api_client.force_login(cast.mentee1)  # a shared note, but not theirs
    assert api_client.patch(notes_api(meeting, pk), {"body": "Mine now"}).status_code == 403
    assert api_client.delete(notes_api(meeting, pk)).status_code == 403
    api_client.force_login(cast.mentor1)
    assert api_client.delete(notes_api(meeting, pk)).status_code == 204
    with scopes_disabled():
        assert not Note.objects.exists()


def test_an_overlong_note_is_refused(cast, room, client, api_client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)
    response = api_client.post(notes_api(meeting), {"body": "x" * 10_001})
    assert response.status_code == 400
    client.force_login(cast.mentor1)
    page = client.post(add_url(meeting), {"body": "x" * 10_001}, HTTP_HX_REQUEST="true")
    assert page.status_code == 400
    assert "at most 10000 characters" in page.content.decode()
    plain = client.post(add_url(meeting), {"body": ""})
    assert plain.status_code == 400 and "Nothing was saved" in plain.content.decode()
    with scopes_disabled():
        assert not Note.objects.exists()
        with pytest.raises(Exception, match="under 10,000 characters"):
            notes.add_note(meeting=meeting, actor=cast.mentor1, body="y" * 10_001)


def test_another_rooms_notes_are_404(cast, rooms, api_client, client):
    theirs = make_meeting(rooms[1], days=-1, status=Meeting.Status.HELD)
    with scopes_disabled():
        note = Note.objects.create(
            organization=cast.org_a, room=rooms[1], meeting=theirs, author=cast.mentor2,
            body="Theirs",
        )  # fmt: skip
    api_client.force_login(cast.mentor1)
    assert api_client.get(notes_api(theirs)).status_code == 404
    assert api_client.get(notes_api(theirs, note.pk)).status_code == 404
    assert api_client.post(notes_api(theirs), {"body": "Sneaky"}).status_code == 404
    client.force_login(cast.mentor1)
    assert client.post(add_url(theirs), {"body": "Sneaky"}).status_code == 404
    with scopes_disabled():
        assert list(Note.objects.values_list("body", flat=True)) == ["Theirs"]


def test_notes_list_runs_constant_queries(cast, room, api_client):
    from tests.queries import assert_constant_queries

    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    api_client.force_login(cast.mentor1)

    def add_row():
        with scopes_disabled():
            Note.objects.create(
                organization=cast.org_a, room=room, meeting=meeting, author=cast.mentee1, body="n"
            )

    assert_constant_queries(api_client, notes_api(meeting), add_row)


def test_an_ended_matchs_room_is_read_only(cast, room, client, api_client):
    from matching.models import Match

    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    with scopes_disabled():
        note = Note.objects.create(
            organization=cast.org_a, room=room, meeting=meeting, author=cast.mentor1, body="Kept"
        )
        Match.objects.filter(pk=room.match_id).update(status="ended")
    client.force_login(cast.mentor1)
    page = client.get(meeting_url(meeting)).content.decode()
    assert "Kept" in page and "Save note" not in page
    assert client.post(add_url(meeting), {"body": "Late"}).status_code == 403
    api_client.force_login(cast.mentor1)
    assert api_client.patch(notes_api(meeting, note.pk), {"body": "x"}).status_code == 403
    with scopes_disabled():
        assert list(Note.objects.values_list("body", flat=True)) == ["Kept"]
