"""Action items: owned by one of the pair, due by a day (overdue in the owner's own zone),
maybe from a meeting; and each member's "My action items" across their rooms."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django_scopes import scopes_disabled

from mentorship.models import User
from rooms.models import ActionItem, Meeting
from rooms.services import action_items
from tests.queries import assert_constant_queries
from tests.rooms import test_agenda as agenda_tests
from tests.rooms.test_agenda import make_meeting, meeting_url

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs
MINE = reverse("rooms:my-action-items", kwargs={"org_slug": "org-a"})


def items_api(room, pk=None):
    base = f"/api/v1/orgs/org-a/rooms/{room.pk}/action-items/"
    return f"{base}{pk}/" if pk else base


def add_url(room):
    return reverse("rooms:action-item-add", kwargs={"org_slug": "org-a", "room_pk": room.pk})


def test_add_tick_off_and_reopen_from_a_meeting(cast, room, client):
    meeting = make_meeting(room, days=-1, status=Meeting.Status.HELD)
    client.force_login(cast.mentee1)
    response = client.post(
        add_url(room),
        {"description": "Draft the plan", "owner": cast.mentee1.pk, "due_date": "2030-01-31",
         "meeting": meeting.pk},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == meeting_url(meeting)
    with scopes_disabled():
        item = ActionItem.objects.get()
    assert (item.owner_id, item.meeting_id, item.due_date, item.created_by_id) == (
        cast.mentee1.pk,
        meeting.pk,
        date(2030, 1, 31),
        cast.mentee1.pk,
    )
    assert "Draft the plan" in client.get(meeting_url(meeting)).content.decode()
    change = reverse(
        "rooms:action-item", kwargs={"org_slug": "org-a", "room_pk": room.pk, "pk": item.pk}
    )
    client.force_login(cast.mentor1)  # either of the pair ticks it off
    assert client.post(change, {"action": "done", "next": "mine"})["Location"] == MINE
    item.refresh_from_db()
    assert item.done_at is not None
    client.post(change, {"action": "undo"})
    item.refresh_from_db()
    assert item.done_at is None


def test_owner_and_meeting_must_be_the_rooms(cast, rooms, client, api_client):
    room, other = rooms
    theirs = make_meeting(other, days=-1)
    api_client.force_login(cast.mentor1)
    outsider = api_client.post(
        items_api(room), {"description": "X", "owner": cast.mentor2.pk}, format="json"
    )
    assert outsider.status_code == 400
    assert outsider.json()["errors"][0]["detail"] == "The owner is one of the two of you."
    wrong = api_client.post(
        items_api(room),
        {"description": "X", "owner": cast.mentor1.pk, "meeting": theirs.pk},
        format="json",
    )
    assert wrong.status_code == 400
    too_long = api_client.post(
        items_api(room), {"description": "x" * 301, "owner": cast.mentor1.pk}, format="json"
    )
    assert too_long.status_code == 400
    client.force_login(cast.mentor1)
    page = client.post(
        add_url(room), {"description": "X", "owner": cast.mentor1.pk, "meeting": theirs.pk}
    )
    assert page.status_code == 404  # another room's meeting
    page = client.post(add_url(room), {"description": "", "owner": cast.mentor1.pk})
    assert page.status_code == 400
    with scopes_disabled():
        assert not ActionItem.objects.exists()


def test_another_rooms_item_is_404(cast, rooms, client, api_client):
    with scopes_disabled():
        item = ActionItem.objects.create(
            organization=cast.org_a, room=rooms[1], owner=cast.mentee2, description="Theirs"
        )
    api_client.force_login(cast.mentor1)
    assert api_client.get(items_api(rooms[1], item.pk)).status_code == 404
    assert api_client.get(items_api(rooms[0], item.pk)).status_code == 404
    assert api_client.patch(items_api(rooms[0], item.pk), {"done": True}).status_code == 404
    client.force_login(cast.mentor1)
    url = reverse(
        "rooms:action-item", kwargs={"org_slug": "org-a", "room_pk": rooms[0].pk, "pk": item.pk}
    )
    assert client.post(url, {"action": "done"}).status_code == 404
    for user in (cast.admin, cast.hr):
        api_client.force_login(user)
        assert api_client.get(items_api(rooms[1])).status_code == 404
    item.refresh_from_db()
    assert item.done_at is None


def test_overdue_is_judged_in_the_owners_zone(cast, room, api_client):
    User.objects.filter(pk=cast.mentee1.pk).update(time_zone="Pacific/Auckland")
    with scopes_disabled():
        item = ActionItem.objects.create(
            organization=cast.org_a, room=room, owner_id=cast.mentee1.pk, description="Due",
            due_date=date(2030, 3, 10),
        )  # fmt: skip
    api_client.force_login(cast.mentor1)
    # 11:00 UTC on the 10th is already the 11th in Auckland: overdue for its owner there.
    with time_machine.travel(datetime(2030, 3, 10, 11, 0, tzinfo=UTC), tick=False):
        assert api_client.get(items_api(room, item.pk)).json()["overdue"] is True
        with scopes_disabled():
            item = ActionItem.objects.select_related("owner", "room__organization").get()
            assert action_items.is_overdue(item) is True
    with time_machine.travel(datetime(2030, 3, 10, 9, 0, tzinfo=UTC), tick=False):
        assert api_client.get(items_api(room, item.pk)).json()["overdue"] is False


def test_my_action_items_lists_mine_across_rooms(cast, live_program, rooms, client, api_client):
    # mentor1's own item shows; their partner's and another pair's never do.
    with scopes_disabled():
        kw = {"organization": cast.org_a}
        ActionItem.objects.create(
            **kw, room=rooms[0], owner=cast.mentor1, description="Mine, late",
            due_date=date(2020, 1, 1),
        )  # fmt: skip
        ActionItem.objects.create(**kw, room=rooms[0], owner=cast.mentee1, description="Partner's")
        ActionItem.objects.create(**kw, room=rooms[1], owner=cast.mentor2, description="Others'")
    client.force_login(cast.mentor1)
    page = client.get(MINE).content.decode()
    assert "Mine, late" in page and "Overdue: 1 Jan 2020" in page
    assert "Partner's" not in page and "Others'" not in page
    api_client.force_login(cast.mentor1)
    listed = api_client.get("/api/v1/orgs/org-a/action-items/").json()["results"]
    assert [i["description"] for i in listed] == ["Mine, late"]
    client.force_login(cast.hr)
    assert "Nothing to do right now." in client.get(MINE).content.decode()


def test_my_action_items_run_constant_queries(cast, rooms, client, api_client):
    client.force_login(cast.mentor1)
    api_client.force_login(cast.mentor1)
    meeting = make_meeting(rooms[0], days=-1)

    def add_row():
        with scopes_disabled():
            ActionItem.objects.create(
                organization=cast.org_a, room=rooms[0], owner=cast.mentor1, description="Do",
                meeting=meeting, due_date=date(2031, 1, 1),
            )  # fmt: skip

    assert_constant_queries(client, MINE, add_row)
    assert_constant_queries(api_client, "/api/v1/orgs/org-a/action-items/", add_row)
    assert_constant_queries(api_client, items_api(rooms[0]), add_row)
