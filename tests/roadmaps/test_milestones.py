"""The pair's milestones: their page, changes, completion with evidence, confirmation by the
other party, counted outputs; everybody else gets 404 on every route, and admins read only
metadata."""

import html

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from roadmaps.models import Evidence, Milestone
from roadmaps.services import milestones as services

from .helpers import client_for, milestones_of, roadmap_of, state

pytestmark = pytest.mark.django_db

MILESTONE_ROUTES = [
    "milestone-edit",
    "milestone-start",
    "milestone-skip",
    "milestone-reopen",
    "milestone-complete",
    "milestone-confirm",
    "milestone-count",
    "milestone-move",
    "evidence-add",
]


def _url(name, roadmap, *args):
    return reverse(f"roadmaps:{name}", args=[roadmap.organization.slug, roadmap.pk, *args])


@pytest.fixture
def pair(cast, live_program):
    match = live_program.matches[0]
    return roadmap_of(match), milestones_of(match)


def test_the_pair_sees_their_roadmap_with_progress_and_goals(cast, pair):
    roadmap, milestones = pair
    response = client_for(cast.mentee1).get(_url("roadmap", roadmap))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your roadmap with" in body
    assert "0 of 4 done · 0%" in body
    assert "Agree on what you want to get out of this mentoring" in body
    assert "Mark done, with evidence" in body


def test_admins_and_hr_read_titles_and_dates_never_evidence_or_goals(cast, pair):
    roadmap, milestones = pair
    with scope(organization=cast.org_a):
        services.complete_milestone(
            milestone=milestones[0], actor=cast.mentee1, note="Secret reflection"
        )
    for user in (cast.admin, cast.hr):
        response = client_for(user).get(_url("roadmap", roadmap))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Sign your mentoring agreement" in body
        assert "1 of 4 done · 25%" in body
        assert "Secret reflection" not in body
        assert "Agree on what you want" not in body  # goals are the pair's
        assert "Mark done" not in body


def test_another_member_gets_404(cast, pair):
    roadmap, _ = pair
    assert client_for(cast.mentee2).get(_url("roadmap", roadmap)).status_code == 404
    assert client_for(cast.outsider).get(_url("roadmap", roadmap)).status_code == 404


@pytest.mark.parametrize("name", MILESTONE_ROUTES)
def test_another_roadmaps_milestone_is_404_on_every_route(cast, live_program, name):
    mine = roadmap_of(live_program.matches[0])
    theirs = milestones_of(live_program.matches[1])[0]
    before = state(live_program.matches[1])
    response = client_for(cast.mentee1).post(_url(name, mine, theirs.pk), {"note": "x"})
    assert response.status_code == 404
    assert state(live_program.matches[1]) == before


@pytest.mark.parametrize("name", MILESTONE_ROUTES)
def test_admins_get_404_on_every_milestone_route(cast, pair, name):
    roadmap, milestones = pair
    before = state(roadmap.match)
    for user in (cast.admin, cast.hr):
        response = client_for(user).post(_url(name, roadmap, milestones[0].pk), {"note": "x"})
        assert response.status_code == 404
    assert state(roadmap.match) == before


def test_complete_needs_evidence_and_the_other_party_confirms(cast, pair):
    roadmap, milestones = pair
    client = client_for(cast.mentee1)
    before = state(roadmap.match)
    response = client.post(_url("milestone-complete", roadmap, milestones[2].pk), {"note": " "})
    assert response.status_code == 400
    assert "Show what you did: write a note, give a link or attach a file." in html.unescape(
        response.content.decode()
    )
    assert state(roadmap.match) == before

    response = client.post(
        _url("milestone-complete", roadmap, milestones[2].pk),
        {"note": "We wrote them down", "url": "https://example.org/goals"},
    )
    assert response.status_code == 302
    done = milestones_of(roadmap.match)[2]
    assert (done.status, done.completed_by_id) == ("done", cast.mentee1.pk)
    with scopes_disabled():
        evidence = Evidence.objects.get(milestone=done)
    assert (evidence.note, evidence.url, evidence.author_id) == (
        "We wrote them down",
        "https://example.org/goals",
        cast.mentee1.pk,
    )
    # The one who completed it can't confirm it; the other party can.
    assert client.post(_url("milestone-confirm", roadmap, done.pk)).status_code == 400
    assert milestones_of(roadmap.match)[2].confirmed_at is None
    response = client_for(cast.mentor1).post(_url("milestone-confirm", roadmap, done.pk))
    assert response.status_code == 302
    assert milestones_of(roadmap.match)[2].confirmed_by_id == cast.mentor1.pk


def test_htmx_actions_answer_with_the_roadmaps_body(cast, pair):
    roadmap, milestones = pair
    response = client_for(cast.mentor1).post(
        _url("milestone-start", roadmap, milestones[0].pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="roadmap-body" data-htmx-swap-400' in body[:300]
    assert "You started “Sign your mentoring agreement”." in body
    assert milestones_of(roadmap.match)[0].status == "in_progress"
    # A second start is refused: 400 with the error in the fragment.
    response = client_for(cast.mentor1).post(
        _url("milestone-start", roadmap, milestones[0].pk), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "This milestone is in progress already." in html.unescape(response.content.decode())


def test_the_pair_adds_edits_reorders_and_skips_their_own(cast, pair):
    roadmap, milestones = pair
    client = client_for(cast.mentee1)
    response = client.post(
        _url("milestone-add", roadmap),
        {"title": "Read a book", "owner": "mentee", "due_date": "2030-01-15"},
    )
    assert response.status_code == 302
    added = milestones_of(roadmap.match)[-1]
    assert (added.title, added.owner, str(added.due_date), added.required, added.position) == (
        "Read a book",
        "mentee",
        "2030-01-15",
        False,
        4,
    )
    assert added.template_milestone_id is None
    client.post(_url("milestone-move", roadmap, added.pk), {"direction": "up"})
    assert [m.title for m in milestones_of(roadmap.match)][3] == "Read a book"
    client.post(_url("milestone-skip", roadmap, added.pk))
    assert milestones_of(roadmap.match)[3].status == "skipped"
    response = client.post(_url("milestone-edit", roadmap, added.pk), {"title": "", "owner": "x"})
    assert response.status_code == 400
    assert milestones_of(roadmap.match)[3].title == "Read a book"


def test_late_milestones_are_flagged(cast, pair):
    import datetime as dt

    roadmap, milestones = pair
    with scopes_disabled():
        Milestone.objects.filter(pk=milestones[0].pk).update(due_date=dt.date(2020, 1, 1))
    body = client_for(cast.mentee1).get(_url("roadmap", roadmap)).content.decode()
    assert "1 late" in body
    assert ">Late</span>" in body


def test_counted_outputs_show_as_3_of_5(cast, pair):
    roadmap, milestones = pair
    with scopes_disabled():
        Milestone.objects.filter(pk=milestones[3].pk).update(target=5)
    client = client_for(cast.mentee1)
    assert (
        client.post(_url("milestone-count", roadmap, milestones[3].pk), {"count": "3"}).status_code
        == 302
    )
    body = client.get(_url("roadmap", roadmap)).content.decode()
    assert "3 of 5" in body
    counted = milestones_of(roadmap.match)[3]
    assert (counted.count, counted.status) == (3, "in_progress")
    response = client.post(_url("milestone-count", roadmap, milestones[0].pk), {"count": "3"})
    assert response.status_code == 400
    assert "This milestone has no target to count towards." in html.unescape(
        response.content.decode()
    )


def test_an_ended_match_leaves_a_read_only_roadmap(cast, pair):
    from matching.services import matches as match_services

    roadmap, milestones = pair
    with scope(organization=cast.org_a):
        match_services.end_match(match=roadmap.match, actor=cast.admin, reason="Done")
    client = client_for(cast.mentee1)
    assert "Mark done" not in client.get(_url("roadmap", roadmap)).content.decode()
    response = client.post(_url("milestone-start", roadmap, milestones[0].pk))
    assert response.status_code == 400
    assert "This match is ended: its roadmap is read-only." in html.unescape(
        response.content.decode()
    )
    assert milestones_of(roadmap.match)[0].status == "not_started"
