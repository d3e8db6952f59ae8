"""A meeting's agenda: suggested from the stage's prompts, open action items, milestones due and
what was left over; edited by the pair; private points are their author's alone."""

from datetime import UTC, date, datetime, timedelta
from html import escape
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from rooms import defaults
from rooms.models import ActionItem, AgendaPoint, Meeting, Room, Stage
from rooms.services import agenda, prompts
from tests.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(cast, live_program):
    """The rooms of the live pairs, in a program with the shipped stage prompts (as every
    program has: `rooms.services.prompts.set_up_program`)."""
    with scopes_disabled():
        prompts.copy_defaults(program=live_program.program)
        found = {
            r.match_id: r
            for r in Room.objects.select_related(
                "organization", "program", "match__mentor__user", "match__mentee__user"
            )
        }
    return tuple(found[m.pk] for m in live_program.matches)


@pytest.fixture
def room(rooms):
    return rooms[0]


def make_meeting(room, *, days, status=Meeting.Status.SCHEDULED):
    with scopes_disabled():
        return Meeting.objects.create(
            organization=room.organization,
            room=room,
            starts_at=timezone.now() + timedelta(days=days),
            minutes=60,
            location="The café",
            status=status,
        )


def with_room(meeting, room):
    meeting.room = room
    return meeting


def meeting_url(meeting):
    return reverse(
        "rooms:meeting",
        kwargs={"org_slug": "org-a", "room_pk": meeting.room_id, "pk": meeting.pk},
    )


def agenda_api(meeting, pk=None):
    base = f"/api/v1/orgs/org-a/rooms/{meeting.room_id}/meetings/{meeting.pk}/agenda-points/"
    return f"{base}{pk}/" if pk else base


def test_suggest_uses_stage_prompts_open_items_milestones_and_leftovers(cast, room, monkeypatch):
    with scopes_disabled():
        Room.objects.filter(pk=room.pk).update(stage=Stage.TRUST)
    room.stage = Stage.TRUST
    past = make_meeting(room, days=-7, status=Meeting.Status.HELD)
    upcoming = with_room(make_meeting(room, days=7), room)
    due = [SimpleNamespace(title="Update your CV")]
    monkeypatch.setattr("roadmaps.queries.milestones_due", lambda match, until: due)
    with scopes_disabled():
        left = AgendaPoint.objects.create(
            organization=room.organization, room=room, meeting=past, author=cast.mentee1,
            text="Salary talk", private=True,
        )  # fmt: skip
        AgendaPoint.objects.create(
            organization=room.organization, room=room, meeting=past, author=cast.mentor1,
            text="Done already", done=True,
        )  # fmt: skip
        ActionItem.objects.create(
            organization=room.organization, room=room, owner=cast.mentee1,
            description="Read chapter 2", created_by=cast.mentor1,
        )  # fmt: skip
        ActionItem.objects.create(
            organization=room.organization, room=room, owner=cast.mentee1,
            description="Finished thing", done_at=timezone.now(),
        )  # fmt: skip
        added = agenda.suggest_agenda(meeting=upcoming, actor=cast.mentor1)
        texts = [(p.source, p.text) for p in added]
        assert texts == [
            ("carried", "Salary talk"),
            *[("prompt", t) for t in defaults.stage_prompts()[Stage.TRUST]],
            ("action_item", "Read chapter 2"),
            ("milestone", "Update your CV"),
        ]
        carried = added[0]
        assert (carried.private, carried.author_id, carried.carried_from_id) == (
            True,
            cast.mentee1.pk,
            left.pk,
        )
        # A second suggestion adds nothing: everything is there, the leftover carried once.
        assert agenda.suggest_agenda(meeting=upcoming, actor=cast.mentee1) == []
        later = with_room(make_meeting(room, days=14), room)
        later_texts = [p.text for p in agenda.suggest_agenda(meeting=later, actor=cast.mentor1)]
    # The next meeting carries the upcoming one's open points (not the first meeting's again).
    assert later_texts.count("Salary talk") == 1
    assert "Done already" not in later_texts


def test_the_programs_own_prompts_are_suggested(cast, room):
    with scopes_disabled():
        prompts.copy_defaults(program=room.program)
        prompts.add_prompt(
            program=room.program, actor=cast.admin, stage=Stage.FOUNDATION, text="Our own one"
        )
        meeting = with_room(make_meeting(room, days=3), room)
        added = [p.text for p in agenda.suggest_agenda(meeting=meeting, actor=cast.mentor1)]
    assert added[-1] == "Our own one"
    assert len(added) == len(defaults.stage_prompts()[Stage.FOUNDATION]) + 1


def test_a_private_point_is_its_authors_alone(cast, room, client, api_client):
    meeting = make_meeting(room, days=2)
    client.force_login(cast.mentee1)
    url = reverse(
        "rooms:agenda-add",
        kwargs={"org_slug": "org-a", "room_pk": room.pk, "meeting_pk": meeting.pk},
    )
    response = client.post(url, {"text": "Ask about the pay gap", "private": "on"})
    assert response.status_code == 302
    client.post(url, {"text": "Shared plans"})
    with scopes_disabled():
        private = AgendaPoint.objects.get(text="Ask about the pay gap")
    assert (private.private, private.author_id) == (True, cast.mentee1.pk)
    assert "Ask about the pay gap" in client.get(meeting_url(meeting)).content.decode()
    # The other party: not on the page, not in the API list, a 404 by id.
    client.force_login(cast.mentor1)
    page = client.get(meeting_url(meeting)).content.decode()
    assert "Shared plans" in page and "pay gap" not in page
    api_client.force_login(cast.mentor1)
    listed = api_client.get(agenda_api(meeting)).json()
    assert [p["text"] for p in listed] == ["Shared plans"]
    assert api_client.get(agenda_api(meeting, private.pk)).status_code == 404
    assert api_client.patch(agenda_api(meeting, private.pk), {"done": True}).status_code == 404
    change = reverse(
        "rooms:agenda-point",
        kwargs={"org_slug": "org-a", "room_pk": room.pk, "meeting_pk": meeting.pk,
                "pk": private.pk},
    )  # fmt: skip
    assert client.post(change, {"action": "delete"}).status_code == 404
    # Admins and HR: the meeting is the pair's (404), private or not.
    for user in (cast.admin, cast.hr):
        client.force_login(user)
        assert client.get(meeting_url(meeting)).status_code == 404
        api_client.force_login(user)
        assert api_client.get(agenda_api(meeting)).status_code == 404
    with scopes_disabled():
        assert AgendaPoint.objects.filter(pk=private.pk, done=False).exists()


def test_tick_reorder_and_delete(cast, room, api_client):
    meeting = make_meeting(room, days=2)
    api_client.force_login(cast.mentor1)
    ids = [api_client.post(agenda_api(meeting), {"text": t}).json()["id"] for t in ("A", "B", "C")]
    assert api_client.patch(agenda_api(meeting, ids[2]), {"move": "up"}).status_code == 200
    assert api_client.patch(agenda_api(meeting, ids[0]), {"done": True}).json()["done"] is True
    api_client.force_login(cast.mentee1)  # either of the pair changes a shared point
    assert api_client.delete(agenda_api(meeting, ids[1])).status_code == 204
    listed = api_client.get(agenda_api(meeting)).json()
    assert [(p["text"], p["done"]) for p in listed] == [("A", True), ("C", False)]
    # Only its author changes a point's words.
    assert api_client.patch(agenda_api(meeting, ids[0]), {"text": "X"}).status_code == 403


def test_bad_input_changes_nothing(cast, room, client, api_client):
    meeting = make_meeting(room, days=2)
    api_client.force_login(cast.mentor1)
    assert api_client.post(agenda_api(meeting), {"text": "x" * 301}).status_code == 400
    assert api_client.post(agenda_api(meeting), {"text": "  "}).status_code == 400
    client.force_login(cast.mentor1)
    url = reverse(
        "rooms:agenda-add",
        kwargs={"org_slug": "org-a", "room_pk": room.pk, "meeting_pk": meeting.pk},
    )
    response = client.post(url, {"text": "x" * 301}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()
    assert client.post(url, {"text": ""}).status_code == 400
    with scopes_disabled():
        assert not AgendaPoint.objects.exists()


def test_another_rooms_meeting_is_404(cast, rooms, client, api_client):
    other = make_meeting(rooms[1], days=2)
    with scopes_disabled():
        point = AgendaPoint.objects.create(
            organization=other.organization, room=rooms[1], meeting=other, text="Theirs"
        )
    api_client.force_login(cast.mentor1)
    # Their meeting under our room's id, and their room: both not found.
    wrong = f"/api/v1/orgs/org-a/rooms/{rooms[0].pk}/meetings/{other.pk}/agenda-points/"
    assert api_client.get(wrong).status_code == 404
    assert api_client.get(agenda_api(other)).status_code == 404
    assert api_client.post(f"{agenda_api(other)}suggest/").status_code == 404
    assert api_client.delete(agenda_api(other, point.pk)).status_code == 404
    with scopes_disabled():
        assert AgendaPoint.objects.filter(room=rooms[1]).count() == 1


def test_suggest_on_the_page(cast, room, client):
    meeting = make_meeting(room, days=2)
    client.force_login(cast.mentor1)
    url = reverse(
        "rooms:agenda-suggest",
        kwargs={"org_slug": "org-a", "room_pk": room.pk, "meeting_pk": meeting.pk},
    )
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    first = defaults.stage_prompts()[Stage.FOUNDATION][0]
    assert escape(first) in response.content.decode()
    with scopes_disabled():
        assert AgendaPoint.objects.filter(meeting=meeting, source="prompt").count() == len(
            defaults.stage_prompts()[Stage.FOUNDATION]
        )


def test_meeting_parts_run_constant_queries(cast, room, client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    client.force_login(cast.mentor1)
    n = iter(range(1000))

    def add_row():
        i = next(n)
        with scopes_disabled():
            kw = {"organization": room.organization, "room": room, "meeting": meeting}
            AgendaPoint.objects.create(**kw, author=cast.mentor1, text=f"P{i}", private=i % 2)
            from rooms.models import Note

            Note.objects.create(**kw, author=cast.mentee1, body=f"**N{i}**")
            ActionItem.objects.create(
                **kw, owner=cast.mentee1, description=f"I{i}",
                due_date=timezone.localdate() - timedelta(days=1),
            )  # fmt: skip

    assert_constant_queries(client, meeting_url(meeting), add_row)
    assert count_queries(client, meeting_url(meeting)) < 40


def test_suggesting_never_shows_the_partner_s_carried_private_point(client, cast, room):
    """The leftover private point is carried over for its author; the partner who asked for the
    suggestion gets neither its text (API) nor a count that betrays it (page)."""
    past = make_meeting(room, days=-7, status=Meeting.Status.HELD)
    upcoming = make_meeting(room, days=7)
    with scopes_disabled():
        for text, private in (("My salary worries", True), ("Shared leftover", False)):
            AgendaPoint.objects.create(
                organization=room.organization, room=room, meeting=past, author=cast.mentee1,
                text=text, private=private,
            )  # fmt: skip
    api = APIClient()
    api.force_authenticate(cast.mentor1)
    response = api.post(f"{agenda_api(upcoming)}suggest/?format=json")
    assert response.status_code == 201, response.content
    texts = [p["text"] for p in response.json()]
    assert "Shared leftover" in texts
    assert "My salary worries" not in response.content.decode()
    with scopes_disabled():
        carried = AgendaPoint.objects.get(meeting=upcoming, text="My salary worries")
        shared_count = AgendaPoint.objects.filter(meeting=upcoming, private=False).count()
    assert (carried.author_id, carried.private) == (cast.mentee1.pk, True)
    assert len(texts) == shared_count
    # The mentee's own suggestion on the page counts only what they may read, too.
    later = make_meeting(room, days=14)
    client.force_login(cast.mentor1)
    url = reverse(
        "rooms:agenda-suggest",
        kwargs={"org_slug": "org-a", "room_pk": room.pk, "meeting_pk": later.pk},
    )
    page = client.post(url, follow=True).content.decode()
    with scopes_disabled():
        readable = AgendaPoint.objects.filter(meeting=later, private=False).count()
        hidden = AgendaPoint.objects.filter(meeting=later, private=True).count()
    assert hidden == 1
    assert f"{readable} points suggested." in page
    assert "My salary worries" not in page


def test_milestones_due_are_counted_to_the_meeting_s_day_in_the_program_s_zone(
    cast, room, monkeypatch
):
    """A meeting at 00:30 in Auckland is still the day before in UTC: the milestones due on
    the meeting's own day are suggested."""
    asked = []
    monkeypatch.setattr(
        "roadmaps.queries.milestones_due", lambda match, until: asked.append(until) or []
    )
    monkeypatch.setattr(type(room.program), "effective_time_zone", "Pacific/Auckland")
    meeting = with_room(make_meeting(room, days=30), room)
    with scopes_disabled():
        meeting.starts_at = datetime(2031, 3, 10, 11, 30, tzinfo=UTC)  # 00:30 on the 11th there
        agenda.suggest_agenda(meeting=meeting, actor=cast.mentor1)
    assert asked == [date(2031, 3, 11)]
