"""One rule for what a pair may still change (`Match.is_writable`): their room and roadmap
change only while the match is open (active or paused) and its program is not closed. In a
closed program the room refuses every write, at the service, on its pages and in the API, and
nothing is written."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from rest_framework.test import APIClient

from matching.models import Match
from mentorship.notifications.models import Notification
from programs.models import Program
from roadmaps.models import Goal, Roadmap
from roadmaps.services import goals as goal_services
from roadmaps.services import milestones as milestone_services
from rooms import permissions, queries
from rooms.models import (
    ActionItem,
    AgendaPoint,
    Meeting,
    Message,
    Note,
    ProgressUpdate,
    ReadMark,
    Room,
)
from rooms.services import action_items, agenda, meetings, messages, notes, stages, updates
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_agenda import make_meeting, with_room

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs
CLOSED = "This program is closed; its data is read-only."


def fresh(room):
    """The room as the pages load it (program and both people with it)."""
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(pk=room.pk)


def close_program(room):
    with scopes_disabled():
        Program.objects.filter(pk=room.program_id).update(status=Program.Status.CLOSED)
    return fresh(room)


def room_state(room):
    """Everything a write could change in ``room`` (and what it could send)."""
    with scopes_disabled():
        rows = [
            list(model.objects.filter(room=room).order_by("pk").values())
            for model in (Meeting, AgendaPoint, Note, ActionItem, Message, ReadMark, ProgressUpdate)
        ]
        rows.append(list(Room.objects.filter(pk=room.pk).values()))
        rows.append(Notification.objects.count())
    return rows, len(mail.outbox)


def test_the_rule_is_an_open_match_in_a_program_not_closed(cast, room):
    with scopes_disabled():
        match = Match.objects.select_related("program").get(pk=room.match_id)
    assert (match.is_writable, match.read_only_reason()) == (True, "")
    match.status = Match.Status.PAUSED
    assert match.is_writable is True
    match.status = Match.Status.ENDED
    assert match.is_writable is False
    assert match.read_only_reason("its room is") == "This match is ended: its room is read-only."
    match.status = Match.Status.DISSOLVED
    with pytest.raises(ValidationError) as exc:
        match.ensure_writable("its goals are")
    assert exc.value.messages == ["This match is dissolved: its goals are read-only."]
    match.status = Match.Status.ACTIVE
    match.program.status = Program.Status.CLOSED
    assert (match.is_writable, match.read_only_reason()) == (False, CLOSED)


def test_a_closed_programs_room_is_read_only_and_its_pair_may_not_write(cast, room):
    assert room.is_read_only is False
    closed = close_program(room)
    assert closed.match.status == Match.Status.ACTIVE  # the match itself is still open
    assert closed.is_read_only is True
    assert closed.read_only_reason() == CLOSED
    with scopes_disabled():
        membership = cast.membership[cast.mentor1.pk]
    assert permissions.is_participant(membership, closed) is True
    assert permissions.can_write(membership, closed) is False


def _writes(room, cast):
    """Every kind of write the pair makes in a room, as (name, call)."""
    meeting = with_room(make_meeting(room, days=-1, status=Meeting.Status.HELD), room)
    mentor = cast.mentor1
    return [
        ("message", lambda: messages.post_message(room=room, actor=mentor, body="Hello")),
        ("note", lambda: notes.add_note(meeting=meeting, actor=mentor, body="A note")),
        ("agenda point", lambda: agenda.add_point(meeting=meeting, actor=mentor, text="A point")),
        ("suggestions", lambda: agenda.suggest_agenda(meeting=meeting, actor=mentor)),
        (
            "action item",
            lambda: action_items.add_item(
                room=room, actor=mentor, owner_id=mentor.pk, description="Read a book"
            ),
        ),
        ("update", lambda: updates.post_update(room=room, actor=mentor, progress="Progress")),
        ("stage", lambda: stages.move_stage(room=room, actor=mentor, stage=1)),
    ]


def test_every_write_in_a_closed_programs_room_is_refused_and_writes_nothing(
    cast, room, django_capture_on_commit_callbacks
):
    closed = close_program(room)
    writes = _writes(closed, cast)
    before = room_state(closed)
    for name, write in writes:
        with (
            scopes_disabled(),
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(PermissionDenied) as exc,
        ):
            write()
        assert str(exc.value) == CLOSED, name
    # Meetings take the same rule (`Room.is_read_only`).
    with (
        scopes_disabled(),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied),
    ):
        meetings.schedule(
            room=closed,
            starts_at=timezone.now() + timedelta(days=3),
            minutes=60,
            location="The café",
            actor=cast.mentor1,
        )
    assert room_state(closed) == before


def test_the_same_writes_pass_while_the_program_is_open(cast, room):
    """The refusals above are the closed program's, not the calls' own."""
    writes = _writes(fresh(room), cast)
    for _, write in writes:
        with scopes_disabled():
            write()
    with scopes_disabled():
        assert Message.objects.filter(room=room, body="Hello").exists()
        assert Note.objects.filter(room=room, body="A note").exists()
        assert AgendaPoint.objects.filter(room=room, text="A point").exists()
        assert ActionItem.objects.filter(room=room, description="Read a book").exists()
        assert ProgressUpdate.objects.filter(room=room, progress="Progress").exists()
        assert Room.objects.get(pk=room.pk).stage == 1


def test_pages_and_api_show_and_keep_a_closed_programs_room_read_only(cast, room, client):
    closed = close_program(room)
    before = room_state(closed)
    client.force_login(cast.mentor1)
    url = reverse("rooms:messages", kwargs={"org_slug": "org-a", "pk": room.pk})
    page = client.get(url).content.decode()
    assert 'id="read-only-banner"' in page and 'id="message-body"' not in page
    assert "This program is closed: the room is kept for you to read" in page
    mine = client.get(reverse("rooms:mine", kwargs={"org_slug": "org-a"})).content.decode()
    assert "Read-only: the program is closed" in mine
    home = client.get(reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk}))
    assert 'id="read-only-banner"' in home.content.decode()
    assert "Schedule a meeting" not in home.content.decode()
    assert client.post(url, {"body": "Still here?"}).status_code == 403
    api = APIClient()
    api.force_authenticate(cast.mentor1)
    base = f"/api/v1/orgs/org-a/rooms/{room.pk}"
    assert api.post(f"{base}/messages/", {"body": "Hi"}, format="json").status_code == 403
    assert api.post(f"{base}/updates/", {"progress": "x"}, format="json").status_code == 403
    assert api.get(f"{base}/").json()["read_only"] is True
    assert room_state(closed) == before


def test_a_closed_programs_roadmap_and_goals_refuse_with_the_same_rule(cast, room):
    close_program(room)
    with scopes_disabled():
        roadmap = Roadmap.objects.select_related("match__program").get(match_id=room.match_id)
        goal = Goal.objects.filter(match_id=room.match_id).first()
        count = roadmap.milestones.count()
        with pytest.raises(ValidationError) as exc:
            milestone_services.add_milestone(roadmap=roadmap, actor=cast.mentee1, title="More")
        assert exc.value.messages == [CLOSED]
        with pytest.raises(ValidationError) as exc:
            goal_services.edit_goal(goal=goal, text="Changed", actor=cast.mentee1)
        assert exc.value.messages == [CLOSED]
        assert roadmap.milestones.count() == count
        goal.refresh_from_db()
        assert goal.text != "Changed"


def test_my_rooms_read_their_read_only_state_without_a_query_per_room(cast, room):
    close_program(room)
    with scopes_disabled():
        listed = list(queries.my_rooms(cast.membership[cast.mentor1.pk]))
        with CaptureQueriesContext(connection) as ctx:
            states = [r.is_read_only for r in listed]
    assert states == [True]
    assert ctx.captured_queries == []
