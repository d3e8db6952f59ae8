"""Room services check their actor themselves (`rooms.services.checks`), whoever calls them:
someone who is not the room's mentor or mentee (another member of the organization, its admin,
HR) is refused, as is any write in a read-only room, and nothing is written."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import Match
from rooms.models import ActionItem, AgendaPoint, Meeting, Message, Note, ProgressUpdate, ReadMark
from rooms.services import action_items, agenda, messages, notes, stages, updates
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_writable import fresh, room_state

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs
NOT_THE_PAIR = "Only the pair writes in their room."
ENDED = "This match is ended: its room is read-only."

# Each public write, as (name, call(objects, actor)). The objects are the mentor's (the author).
WRITES = [
    ("add_note", lambda o, a: notes.add_note(meeting=o.meeting, actor=a, body="Mine now")),
    ("edit_note", lambda o, a: notes.edit_note(note=o.note, actor=a, body="Changed")),
    ("delete_note", lambda o, a: notes.delete_note(note=o.note, actor=a)),
    ("suggest_agenda", lambda o, a: agenda.suggest_agenda(meeting=o.meeting, actor=a)),
    ("add_point", lambda o, a: agenda.add_point(meeting=o.meeting, actor=a, text="Extra")),
    ("point set_done", lambda o, a: agenda.set_done(point=o.point, actor=a, done=True)),
    ("edit_point", lambda o, a: agenda.edit_point(point=o.point, actor=a, text="Changed")),
    ("move_point", lambda o, a: agenda.move_point(point=o.point, actor=a, direction="down")),
    ("delete_point", lambda o, a: agenda.delete_point(point=o.point, actor=a)),
    (
        "add_item",
        lambda o, a: action_items.add_item(
            room=o.room, actor=a, owner_id=o.room.match.mentee.user_id, description="Do it"
        ),
    ),
    ("edit_item", lambda o, a: action_items.edit_item(item=o.item, actor=a, description="New")),
    ("item set_done", lambda o, a: action_items.set_done(item=o.item, actor=a, done=True)),
    ("delete_item", lambda o, a: action_items.delete_item(item=o.item, actor=a)),
    ("post_message", lambda o, a: messages.post_message(room=o.room, actor=a, body="Psst")),
    ("post_update", lambda o, a: updates.post_update(room=o.room, actor=a, progress="Mine")),
    ("delete_update", lambda o, a: updates.delete_update(update=o.update, actor=a)),
    ("move_stage", lambda o, a: stages.move_stage(room=o.room, actor=a, stage=1)),
]
NAMES = [name for name, _ in WRITES]


def objects_in(room, cast):
    """In ``room`` (loaded as pages load it): a meeting tomorrow with a shared point and a shared
    note of the mentor, then a second point; an action item and an update of the mentor."""
    mentor = cast.mentor1
    with scopes_disabled():
        meeting = Meeting.objects.create(
            organization=room.organization, room=room, minutes=60, location="The café",
            starts_at=timezone.now() + timedelta(days=1), created_by=mentor,
        )  # fmt: skip
        in_meeting = {"organization": room.organization, "room": room, "meeting": meeting}
        point = AgendaPoint.objects.create(**in_meeting, author=mentor, text="Goals")
        AgendaPoint.objects.create(**in_meeting, author=mentor, text="Next", position=1)
        note = Note.objects.create(**in_meeting, author=mentor, body="Shared thoughts")
        item = ActionItem.objects.create(
            organization=room.organization, room=room, meeting=meeting, owner=mentor,
            description="Send the list", created_by=mentor,
        )  # fmt: skip
        update = ProgressUpdate.objects.create(
            organization=room.organization, room=room, author=mentor, progress="Read a book"
        )
        Message.objects.create(
            organization=room.organization, room=room, author=cast.mentee1, body="Hi"
        )
    meeting.room = item.room = update.room = room
    note.meeting = point.meeting = meeting
    return SimpleNamespace(room=room, meeting=meeting, point=point, note=note, item=item,
                           update=update)  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("who", ["mentor2", "admin"])
def test_someone_not_of_the_pair_is_refused_by_every_write(
    cast, room, name, who, django_capture_on_commit_callbacks
):
    """Another pair's mentor (a member of the same organization), and the admin."""
    objects = objects_in(fresh(room), cast)
    write = dict(WRITES)[name]
    before = room_state(room)
    with (
        scopes_disabled(),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied) as exc,
    ):
        write(objects, getattr(cast, who))
    assert str(exc.value) == NOT_THE_PAIR
    assert room_state(room) == before


@pytest.mark.parametrize("name", NAMES)
def test_the_pair_is_refused_every_write_once_the_room_is_read_only(
    cast, room, name, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        Match.objects.filter(pk=room.match_id).update(status=Match.Status.ENDED)
    objects = objects_in(fresh(room), cast)
    before = room_state(room)
    with (
        scopes_disabled(),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied) as exc,
    ):
        dict(WRITES)[name](objects, cast.mentor1)  # the author of what there is
    assert str(exc.value) == ENDED
    assert room_state(room) == before


@pytest.mark.parametrize("name", NAMES)
def test_the_pair_passes_the_same_checks_in_an_open_room(cast, room, name):
    """The refusals above are the actor's and the room's, not the calls'."""
    objects = objects_in(fresh(room), cast)
    before = room_state(room)
    with scopes_disabled():
        dict(WRITES)[name](objects, cast.mentor1)
    assert room_state(room) != before


def test_marking_read_is_the_pairs_own_even_in_a_read_only_room(cast, room):
    with scopes_disabled():
        Match.objects.filter(pk=room.match_id).update(status=Match.Status.ENDED)
    ended = fresh(room)
    objects_in(ended, cast)
    for outsider in (cast.mentor2, cast.admin, cast.hr):
        with scopes_disabled(), pytest.raises(PermissionDenied) as exc:
            messages.mark_read(room=ended, user=outsider)
        assert str(exc.value) == NOT_THE_PAIR
    with scopes_disabled():
        assert not ReadMark.objects.filter(room=room).exclude(user=cast.mentor1).exists()
        # Reading changes nothing of the room: an ended match's messages can still be read.
        mark = messages.mark_read(room=ended, user=cast.mentee1)
        latest = Message.objects.filter(room=room).latest("created_at")
    assert (mark.user_id, mark.read_at) == (cast.mentee1.pk, latest.created_at)
