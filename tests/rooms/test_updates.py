"""Progress updates: a short post between meetings (at least one of progress, roadblocks and
achievements), shown in the room's activity."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from rooms.models import ProgressUpdate
from tests.queries import assert_constant_queries
from tests.rooms import test_agenda as agenda_tests

pytestmark = pytest.mark.django_db
room, rooms = agenda_tests.room, agenda_tests.rooms  # the rooms of the live pairs


def updates_url(room):
    return reverse("rooms:updates", kwargs={"org_slug": "org-a", "pk": room.pk})


def home_url(room):
    return reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk})


def api(room):
    return f"/api/v1/orgs/org-a/rooms/{room.pk}/updates/"


def test_post_an_update_and_see_it_in_the_rooms_activity(cast, room, client):
    client.force_login(cast.mentee1)
    response = client.post(
        updates_url(room), {"progress": "Two interviews", "achievements": "An offer!"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        update = ProgressUpdate.objects.get()
    assert (update.author_id, update.progress, update.roadblocks, update.achievements) == (
        cast.mentee1.pk,
        "Two interviews",
        "",
        "An offer!",
    )
    client.force_login(cast.mentor1)
    home = client.get(home_url(room)).content.decode()
    assert "Two interviews" in home and "An offer!" in home
    assert "Two interviews" in client.get(updates_url(room)).content.decode()
    # From the room's home, the post comes back to it.
    back = client.post(updates_url(room), {"roadblocks": "Time", "next": "home"})
    assert back["Location"] == home_url(room)


def test_an_empty_or_overlong_update_is_refused(cast, room, client, api_client):
    client.force_login(cast.mentor1)
    response = client.post(updates_url(room), {"progress": " ", "roadblocks": ""})
    assert response.status_code == 400
    assert "Write your progress, a roadblock or an achievement." in response.content.decode()
    overlong = client.post(updates_url(room), {"progress": "x" * 2001, "roadblocks": "Time"})
    assert overlong.status_code == 400
    page = overlong.content.decode()
    field = page[page.index('id="id_progress"') - 80 : page.index('id="id_progress-error"') + 120]
    assert 'is-invalid" id="id_progress"' in field and 'aria-invalid="true"' in field
    assert "Ensure this value has at most 2000 characters (it has 2001)." in field
    assert ">Time</textarea>" in page  # what was typed is kept
    api_client.force_login(cast.mentor1)
    assert api_client.post(api(room), {}).status_code == 400
    assert api_client.post(api(room), {"progress": "x" * 2001}).status_code == 400
    with scopes_disabled():
        assert not ProgressUpdate.objects.exists()


def test_another_rooms_updates_are_404(cast, rooms, client, api_client):
    client.force_login(cast.mentor1)
    assert client.get(updates_url(rooms[1])).status_code == 404
    assert client.post(updates_url(rooms[1]), {"progress": "Sneaky"}).status_code == 404
    for user in (cast.mentor1, cast.admin, cast.hr):
        api_client.force_login(user)
        assert api_client.get(api(rooms[1])).status_code == 404
    with scopes_disabled():
        assert not ProgressUpdate.objects.exists()


def test_updates_run_constant_queries(cast, room, client, api_client):
    client.force_login(cast.mentor1)
    api_client.force_login(cast.mentor1)

    def add_row():
        with scopes_disabled():
            ProgressUpdate.objects.create(
                organization=cast.org_a, room=room, author=cast.mentee1, progress="p"
            )

    assert_constant_queries(client, updates_url(room), add_row)
    assert_constant_queries(api_client, api(room), add_row)
    assert_constant_queries(client, home_url(room), add_row)
