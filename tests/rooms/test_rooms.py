"""Room pages: the room's home (the pair's; metadata only for admins and HR; read-only once
the match ended), "My mentoring", the admins' program view and its settings; the rooms API."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from matching.models import Match
from mentorship.models import AuditLogEntry, Role
from roadmaps.models import Roadmap
from roadmaps.queries import progress_by_match
from rooms.models import AgreementSignature, Meeting, Room, RoomSettings
from rooms.services import action_items, meetings, messages, updates
from rooms.services.rooms import open_rooms, save_settings
from tests.factories import EnrollmentFactory, MatchFactory, MembershipFactory, UserFactory
from tests.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

WHEN = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


def room_of(match):
    with scopes_disabled():
        return Room.objects.select_related(
            "organization", "program", "match__mentor__user", "match__mentee__user"
        ).get(match=match)


@pytest.fixture
def rooms(live_program):
    return [room_of(m) for m in live_program.matches]


def _home(room):
    return reverse("rooms:home", kwargs={"org_slug": "org-a", "pk": room.pk})


def _program_rooms(program):
    return reverse(
        "rooms:program-rooms", kwargs={"org_slug": "org-a", "program_slug": program.slug}
    )


MINE = reverse("rooms:mine", kwargs={"org_slug": "org-a"})


def schedule(room, actor, starts_at=WHEN):
    with scope(organization=room.organization):
        return meetings.schedule(
            room=room, starts_at=starts_at, minutes=60, location="Café Central", actor=actor
        )


def add_pair(program, cast):
    """One more live pair in the program, with its room (as matching's hook makes it)."""
    match = MatchFactory(
        program=program,
        mentor=EnrollmentFactory(program=program, role="mentor", user=_member(cast)),
        mentee=EnrollmentFactory(program=program, user=_member(cast)),
    )
    with scope(organization=cast.org_a):
        open_rooms(matches=[match])
    return match


def _member(cast):
    return MembershipFactory(organization=cast.org_a, role=Role.MEMBER, user=UserFactory()).user


def test_the_pair_sees_their_room_with_the_next_meeting_in_their_zone(client, cast, rooms):
    room = rooms[0]
    schedule(room, cast.mentor1)
    cast.mentee1.time_zone = "Asia/Tokyo"
    cast.mentee1.save()
    client.force_login(cast.mentee1)
    page = client.get(_home(room)).content.decode()
    assert "Your next meeting" in page
    assert "Tuesday 15 January, 18:00" in page  # 09:00 UTC in Tokyo
    stage = re.search(r"Stage</dt><dd[^>]*>([^<]*)</dd>", page)
    assert stage[1] == "Foundation"
    assert "Read and sign your mentoring agreement" not in page  # the program has none
    assert 'id="metadata-note"' not in page and 'id="read-only-banner"' not in page
    with scopes_disabled():
        roadmap = Roadmap.objects.get(match=room.match_id)
    roadmap_url = reverse("roadmaps:roadmap", kwargs={"org_slug": "org-a", "pk": roadmap.pk})
    assert f'id="open-roadmap" href="{roadmap_url}"' in page
    assert client.get(roadmap_url).status_code == 200


def test_admins_and_hr_see_metadata_only(client, cast, rooms):
    room = rooms[0]
    meeting = schedule(room, cast.mentor1)
    with scopes_disabled():
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(days=3), status="held"
        )
    for user in (cast.admin, cast.hr):
        client.force_login(user)
        page = client.get(_home(room)).content.decode()
        assert 'id="metadata-note"' in page
        assert "its notes, agenda and messages stay the pair's" in page
        assert 'id="next-meeting"' not in page and "Café Central" not in page
        assert 'id="room-goals"' not in page
        assert 'Meetings held</dt><dd class="col-5 text-end mb-1">1</dd>' in page
        # No content tabs for them.
        meetings_url = reverse("rooms:meetings", kwargs={"org_slug": "org-a", "room_pk": room.pk})
        assert meetings_url not in page


def test_another_pairs_room_is_404(client, cast, rooms):
    client.force_login(cast.mentor2)
    assert client.get(_home(rooms[0])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(_home(rooms[0])).status_code == 404
    api = APIClient()
    api.force_authenticate(cast.mentee2)
    assert api.get(f"/api/v1/orgs/org-a/rooms/{rooms[0].pk}/").status_code == 404


def test_an_ended_match_leaves_a_read_only_room(client, cast, rooms):
    room = rooms[0]
    with scopes_disabled():
        Match.objects.filter(pk=room.match_id).update(status="ended", ended_at=timezone.now())
    client.force_login(cast.mentor1)
    page = client.get(_home(room)).content.decode()
    assert 'id="read-only-banner"' in page
    assert "nothing in it can change" in page
    assert "Schedule a meeting" not in page


def test_my_mentoring_lists_my_rooms_only(client, cast, rooms):
    schedule(rooms[0], cast.mentor1)
    client.force_login(cast.mentor1)
    page = client.get(MINE).content.decode()
    assert cast.mentee1.name in page and cast.mentee2.name not in page
    assert "Your mentee · Live" in page
    assert "Next meeting: <strong>Tue 15 Jan" in page
    assert page.count('class="card h-100"') == 1
    client.force_login(cast.admin)
    assert "No mentoring partner yet." in client.get(MINE).content.decode()


def test_my_mentoring_and_room_home_run_constant_queries(client, cast, live_program, rooms):
    mentor = cast.mentor1

    def add_room():
        match = MatchFactory(
            program=live_program.program,
            mentor=rooms[0].match.mentor,
            mentee=EnrollmentFactory(program=live_program.program, user=_member(cast)),
        )
        with scope(organization=cast.org_a):
            open_rooms(matches=[match])
        schedule(room_of(match), mentor)

    client.force_login(mentor)
    assert_constant_queries(client, MINE, add_room)

    room = rooms[0]
    made = []

    def add_meeting():
        made.append(schedule(room, mentor, WHEN + timedelta(days=len(made))))

    assert_constant_queries(client, _home(room), add_meeting)


def test_the_program_rooms_page_lists_metadata_a_page_at_a_time(client, cast, live_program, rooms):
    program = live_program.program
    schedule(rooms[0], cast.mentor1)
    with scopes_disabled():
        Meeting.objects.create(
            organization=cast.org_a, room=rooms[0], starts_at=datetime(2027, 2, 1, 9, tzinfo=UTC),
            minutes=60, location="Café", status="held",
        )  # fmt: skip
    client.force_login(cast.hr)
    response = client.get(_program_rooms(program))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{cast.mentor1.name} &amp; {cast.mentee1.name}" in page
    assert f"{cast.mentor2.name} &amp; {cast.mentee2.name}" in page
    assert '<td data-label="Last meeting">1 Feb 2027</td>' in page
    assert "Café" not in page
    assert 'name="break_glass"' not in page  # HR reads the settings, admins change them
    assert_constant_queries(client, _program_rooms(program), lambda: add_pair(program, cast))
    for _ in range(16):
        add_pair(program, cast)
    assert "Page 1 of 2" in client.get(_program_rooms(program)).content.decode()
    # A participant: the program is theirs, the page isn't.
    client.force_login(cast.mentor1)
    assert client.get(_program_rooms(program)).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(_program_rooms(program)).status_code == 404


def test_admins_change_the_room_settings(client, cast, live_program):
    program = live_program.program
    url = reverse(
        "rooms:program-room-settings", kwargs={"org_slug": "org-a", "program_slug": program.slug}
    )
    client.force_login(cast.hr)
    assert client.post(url, {"break_glass": "on"}).status_code == 403
    with scopes_disabled():
        assert not RoomSettings.objects.exists()
    client.force_login(cast.admin)
    assert client.post(url, {"break_glass": "on"}).status_code == 302
    with scopes_disabled():
        assert RoomSettings.objects.get(program=program).break_glass is True
        entry = AuditLogEntry.objects.get(action="room.settings_saved")
    assert (entry.actor, entry.data["break_glass"]) == (cast.admin, True)
    page = client.get(_program_rooms(program)).content.decode()
    assert re.search(r'<input type="checkbox" name="break_glass"[^>]* checked', page)
    assert client.post(url, {}).status_code == 302
    with scopes_disabled():
        assert RoomSettings.objects.get(program=program).break_glass is False


ROOM_FIELDS = {
    "id", "program", "program_name", "match", "match_status", "mentor", "mentee", "stage",
    "stage_name", "stage_changed_at", "read_only", "meetings_held", "meetings_upcoming",
    "last_meeting_at", "next_meeting_at", "agreement_signed", "progress", "created_at",
    "last_activity_at",
}  # fmt: skip


def test_the_rooms_api_lists_own_rooms_and_metadata_for_admins(cast, live_program, rooms):
    schedule(rooms[0], cast.mentor1)
    with scopes_disabled():
        for person in (cast.mentor1, cast.mentee1):
            AgreementSignature.objects.create(
                organization=cast.org_a, room=rooms[0], user=person, typed_name=person.name,
                template=_template(live_program.program, cast),
            )  # fmt: skip
    api = APIClient()
    api.force_authenticate(cast.mentee1)
    [mine] = api.get("/api/v1/orgs/org-a/rooms/").json()["results"]
    assert set(mine) == ROOM_FIELDS
    assert (mine["id"], mine["meetings_upcoming"], mine["agreement_signed"]) == (
        rooms[0].pk,
        1,
        True,
    )
    assert mine["mentor"] == {"enrollment": rooms[0].match.mentor_id, "name": cast.mentor1.name}
    with scope(organization=cast.org_a):
        progress = progress_by_match([rooms[0].match_id])[rooms[0].match_id]
    assert mine["progress"]["done"] == progress.done == 0
    assert mine["progress"]["total"] == progress.total
    assert mine["progress"]["percent"] == 0
    api.force_authenticate(cast.hr)
    listed = api.get("/api/v1/orgs/org-a/rooms/").json()
    assert sorted(r["id"] for r in listed["results"]) == sorted(r.pk for r in rooms)
    detail = api.get(f"/api/v1/orgs/org-a/rooms/{rooms[1].pk}/").json()
    assert set(detail) == ROOM_FIELDS and detail["agreement_signed"] is False
    api.force_login(cast.admin)
    assert_constant_queries(
        api, "/api/v1/orgs/org-a/rooms/", lambda: add_pair(live_program.program, cast)
    )


def _template(program, cast):
    from programs.models import AgreementTemplate

    found = AgreementTemplate.objects.filter(program=program).first()
    return found or AgreementTemplate.objects.create(
        organization=cast.org_a, program=program, version=1, body="We agree."
    )


def test_room_home_queries_stay_few(client, cast, rooms):
    room = rooms[0]
    client.force_login(cast.mentor1)
    quiet = count_queries(client, _home(room))
    # Everything the home shows: an agreement, a meeting to come and one held, an action item,
    # a message and an update (the next meeting is then read too).
    with scope(organization=cast.org_a):
        _template(room.program, cast)
        upcoming = meetings.schedule(
            room=room,
            starts_at=timezone.now() + timedelta(days=3),
            minutes=45,
            location="Café",
            actor=cast.mentor1,
        )
        Meeting.objects.create(
            organization=cast.org_a, room=room, starts_at=timezone.now() - timedelta(days=3),
            minutes=45, status=Meeting.Status.HELD,
        )  # fmt: skip
        action_items.add_item(
            room=room, actor=cast.mentor1, owner_id=cast.mentee1.pk, description="Read it"
        )
        messages.post_message(room=room, actor=cast.mentee1, body="Hello")
        updates.post_update(room=room, actor=cast.mentee1, progress="Going well")
    busy = client.get(_home(room)).content.decode()
    assert f"/meetings/{upcoming.pk}/" in busy and "Read it" in busy and "Going well" in busy
    assert quiet <= 15 and count_queries(client, _home(room)) <= 16


def test_the_audit_log_reads_room_actions_as_sentences(client, cast, rooms):
    room = rooms[0]
    schedule(room, cast.mentor1)
    with scope(organization=cast.org_a):
        save_settings(program=room.program, break_glass=True, actor=cast.admin)
    client.force_login(cast.admin)
    page = client.get(reverse("org:audit-log", kwargs={"org_slug": "org-a"})).content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    pair = f"the room of {cast.mentor1.name} and {cast.mentee1.name}"
    assert f"{cast.mentor1.name} scheduled a meeting in {pair}." in text
    assert f"{cast.admin.name} saved the room settings of Live (break-glass on)." in text


def test_the_home_shows_the_soonest_open_action_items_and_the_rest_a_click_away(
    client, cast, rooms
):
    from rooms.models import ActionItem

    room = rooms[0]
    today = timezone.localdate()
    with scopes_disabled():
        ActionItem.objects.bulk_create(
            ActionItem(
                organization=room.organization,
                room=room,
                owner=cast.mentee1,
                description=f"Step {i}",
                due_date=today + timedelta(days=i),
            )  # fmt: skip
            for i in (6, 2, 4, 1, 7, 3, 5)
        )
    client.force_login(cast.mentee1)
    page = client.get(_home(room)).content.decode()
    steps = lambda html: list(dict.fromkeys(re.findall(r"Step \d", html)))  # noqa: E731
    assert steps(page) == [f"Step {i}" for i in range(1, 6)]
    assert f'href="{_home(room)}?items=all#room-action-items"' in page
    every = client.get(_home(room), {"items": "all"}).content.decode()
    assert steps(every) == [f"Step {i}" for i in range(1, 8)]
    assert 'id="all-action-items"' not in every
