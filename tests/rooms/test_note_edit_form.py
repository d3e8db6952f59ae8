"""A refused edit of a note shows its errors at that note's own edit form, with what was typed,
and leaves the form for a new note empty; the note stays as it was."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from rooms.models import Meeting, Note
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_agenda import make_meeting

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs

TOO_LONG = "x" * 10_001
TOO_LONG_ERROR = "Ensure this value has at most 10000 characters (it has 10001)."


def edit_url(note):
    return reverse(
        "rooms:note-edit",
        kwargs={
            "org_slug": "org-a",
            "room_pk": note.room_id,
            "meeting_pk": note.meeting_id,
            "pk": note.pk,
        },
    )


def add_url(meeting):
    return reverse(
        "rooms:note-add",
        kwargs={"org_slug": "org-a", "room_pk": meeting.room_id, "meeting_pk": meeting.pk},
    )


def _form(html, marker):
    """The HTML of the form that ``marker`` opens, up to its end."""
    start = html.index(marker)
    return html[start : html.index("</form>", start)]


def _edit_form(html, note):
    return _form(html, f'id="note-edit-{note.pk}"')


def _add_form(html, meeting):
    return _form(html, f'action="{add_url(meeting)}"')


@pytest.fixture
def two_notes(cast, room):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    with scopes_disabled():
        kw = {"organization": cast.org_a, "room": room, "meeting": meeting, "author": cast.mentor1}
        first = Note.objects.create(body="First thoughts", **kw)
        second = Note.objects.create(body="Second thoughts", private=True, **kw)
    return meeting, first, second


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_refused_edit_shows_its_errors_at_the_note(cast, client, two_notes, htmx):
    meeting, first, second = two_notes
    client.force_login(cast.mentor1)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(edit_url(first), {"body": TOO_LONG, "private": "on"}, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    if not htmx:  # the meeting page again, not a page saying nothing was saved
        assert "Nothing was saved" not in html
        assert '<div id="meeting-parts"' in html
    edited = _edit_form(html, first)
    assert TOO_LONG_ERROR in edited
    assert f">{TOO_LONG}</textarea>" in edited  # what was typed is kept
    assert f'id="note-body-{first.pk}" name="body" rows="4" maxlength="10000" required' in edited
    assert "is-invalid" in edited
    assert f'id="note-private-{first.pk}" checked' in edited  # as posted, not as stored
    opened = '<details class="small" open>\n      <summary>Edit or delete</summary>\n'
    opened += f'      <form method="post" action="{edit_url(first)}"'
    assert opened in html
    # The other note's form and the form for a new note are untouched.
    other = _edit_form(html, second)
    assert TOO_LONG_ERROR not in other and "is-invalid" not in other
    assert ">Second thoughts</textarea>" in other
    added = _add_form(html, meeting)
    assert TOO_LONG_ERROR not in added and "is-invalid" not in added
    assert "x" * 100 not in added
    assert html.count(TOO_LONG_ERROR) == 1
    with scopes_disabled():
        first.refresh_from_db()
    assert (first.body, first.private) == ("First thoughts", False)


def test_an_emptied_note_is_refused_at_its_form(cast, client, two_notes):
    meeting, first, _ = two_notes
    client.force_login(cast.mentor1)
    response = client.post(edit_url(first), {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in _edit_form(html, first)
    assert "This field is required." not in _add_form(html, meeting)
    with scopes_disabled():
        assert Note.objects.get(pk=first.pk).body == "First thoughts"


def test_a_refused_new_note_still_shows_at_the_add_form(cast, client, two_notes):
    meeting, first, _ = two_notes
    client.force_login(cast.mentor1)
    response = client.post(add_url(meeting), {"body": TOO_LONG}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    html = response.content.decode()
    assert TOO_LONG_ERROR in _add_form(html, meeting)
    assert TOO_LONG_ERROR not in _edit_form(html, first)
    assert '<details class="small" open>' not in html
    with scopes_disabled():
        assert Note.objects.filter(meeting=meeting).count() == 2


def test_a_good_edit_still_saves(cast, client, two_notes):
    meeting, first, _ = two_notes
    client.force_login(cast.mentor1)
    response = client.post(edit_url(first), {"body": "Better thoughts"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert ">Better thoughts</textarea>" in _edit_form(response.content.decode(), first)
    plain = client.post(edit_url(first), {"body": "Best thoughts"})
    assert plain.status_code == 302
    with scopes_disabled():
        assert Note.objects.get(pk=first.pk).body == "Best thoughts"
