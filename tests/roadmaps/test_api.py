"""The roadmaps API: the same rules as the pages (the pair everything, admins and HR
metadata, everyone else 404), tenant isolation, clear 400s, constant-query lists."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from roadmaps.models import Evidence, Goal, Milestone, TemplateMilestone
from roadmaps.services import evidence as evidence_services
from tests.factories import ProgramFactory
from tests.queries import assert_constant_queries

from .helpers import PNG, milestones_of, roadmap_of, start_pairs, state, upload

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(name, org="org-a", **kwargs):
    return reverse(f"api:{name}", kwargs={"org_slug": org, **kwargs})


def test_a_member_lists_their_own_roadmaps_and_admins_all(cast, live_program):
    mine = api(cast.mentee1).get(_url("roadmap-list")).json()
    assert [r["mentee"] for r in mine["results"]] == [live_program.matches[0].mentee.display_name]
    assert mine["results"][0]["progress"] == {
        "done": 0,
        "total": 4,
        "late": 0,
        "percent": 0,
        "next_due": str(milestones_of(live_program.matches[0])[0].due_date),
    }
    assert api(cast.hr).get(_url("roadmap-list")).json()["count"] == 2
    assert api(cast.outsider).get(_url("roadmap-list", org="org-b")).json()["count"] == 0


def test_admins_read_milestone_metadata_never_evidence(cast, live_program):
    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    with scope(organization=cast.org_a):
        evidence_services.add_evidence(
            milestone=milestones_of(match)[0], actor=cast.mentee1, note="Private"
        )
    detail = api(cast.admin).get(_url("roadmap-detail", pk=roadmap.pk)).json()
    assert [m["title"] for m in detail["milestones"]][:1] == ["Sign your mentoring agreement"]
    assert "Private" not in str(detail)
    assert "description" not in detail["milestones"][0]
    for name, kwargs in (
        ("roadmap-milestone-list", {"roadmap_pk": roadmap.pk}),
        ("roadmap-goal-list", {"roadmap_pk": roadmap.pk}),
        (
            "roadmap-evidence-list",
            {"roadmap_pk": roadmap.pk, "milestone_pk": milestones_of(match)[0].pk},
        ),
    ):
        for user in (cast.admin, cast.hr, cast.mentee2):
            assert api(user).get(_url(name, **kwargs)).status_code == 404


def test_another_organization_is_404(cast, live_program):
    roadmap = roadmap_of(live_program.matches[0])
    client = api(cast.outsider)
    assert client.get(_url("roadmap-detail", org="org-b", pk=roadmap.pk)).status_code == 404
    assert client.get(_url("roadmap-detail", pk=roadmap.pk)).status_code == 404


def test_the_pair_completes_with_a_file_and_the_other_confirms(cast, live_program):
    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    milestone = milestones_of(match)[0]
    url = _url("roadmap-milestone-complete", roadmap_pk=roadmap.pk, pk=milestone.pk)
    response = api(cast.mentee1).post(url, {"file": upload("proof.png", PNG)}, format="multipart")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["evidence_count"]) == ("done", 1)
    evidence = (
        api(cast.mentor1)
        .get(_url("roadmap-evidence-list", roadmap_pk=roadmap.pk, milestone_pk=milestone.pk))
        .json()["results"]
    )
    assert [(e["file_name"], e["content_type"], e["size"]) for e in evidence] == [
        ("proof.png", "image/png", len(PNG))
    ]
    assert evidence[0]["download_url"].endswith(
        f"/roadmaps/{roadmap.pk}/evidence/{evidence[0]['id']}/file/"
    )
    confirm = _url("roadmap-milestone-confirm", roadmap_pk=roadmap.pk, pk=milestone.pk)
    assert api(cast.mentee1).post(confirm).status_code == 400
    assert api(cast.mentor1).post(confirm).json()["confirmed_by"] == cast.mentor1.pk


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("roadmap-milestone-complete", {"note": ""}),
        ("roadmap-milestone-complete", {"url": "javascript:alert(1)"}),
        ("roadmap-milestone-count", {"count": -1}),
        ("roadmap-milestone-count", {"count": 2}),  # no target
        ("roadmap-milestone-detail", {"title": ""}),
        ("roadmap-milestone-detail", {"due_date": "soon"}),
    ],
)
def test_bad_input_is_400_and_writes_nothing(cast, live_program, name, body):
    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    milestone = milestones_of(match)[0]
    before = state(match)
    url = _url(name, roadmap_pk=roadmap.pk, pk=milestone.pk)
    client = api(cast.mentee1)
    response = (
        client.patch(url, body, format="json")
        if name.endswith("detail")
        else client.post(url, body, format="json")
    )
    assert response.status_code == 400
    assert state(match) == before


def test_an_executable_upload_is_400(cast, live_program):
    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    milestone = milestones_of(match)[0]
    url = _url("roadmap-evidence-list", roadmap_pk=roadmap.pk, milestone_pk=milestone.pk)
    response = api(cast.mentee1).post(
        url, {"file": upload("notes.txt", b"\x7fELF\x02\x01\x01")}, format="multipart"
    )
    assert response.status_code == 400
    assert "Programs and scripts can't be uploaded as evidence." in str(response.json())
    with scopes_disabled():
        assert not Evidence.objects.filter(milestone=milestone).exists()


def test_another_roadmaps_milestone_is_404_through_mine(cast, live_program):
    mine = roadmap_of(live_program.matches[0])
    theirs = milestones_of(live_program.matches[1])[0]
    before = state(live_program.matches[1])
    client = api(cast.mentee1)
    for action in ("detail", "start", "skip", "reopen", "complete", "confirm", "count"):
        url = _url(f"roadmap-milestone-{action}", roadmap_pk=mine.pk, pk=theirs.pk)
        response = client.get(url) if action == "detail" else client.post(url, {"note": "x"})
        assert response.status_code == 404, action
    assert state(live_program.matches[1]) == before


def test_goals_through_the_api(cast, live_program):
    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    client = api(cast.mentor1)
    created = client.post(
        _url("roadmap-goal-list", roadmap_pk=roadmap.pk), {"text": "Speak up"}, format="json"
    )
    assert created.status_code == 201
    goal_id = created.json()["id"]
    rated = client.post(
        _url("roadmap-goal-rate", roadmap_pk=roadmap.pk, pk=goal_id), {"progress": 4}, format="json"
    ).json()
    assert [h["progress"] for h in rated["history"]] == [4, 1]
    assert (
        client.post(
            _url("roadmap-goal-rate", roadmap_pk=roadmap.pk, pk=goal_id),
            {"progress": 0},
            format="json",
        ).status_code
        == 400
    )
    retired = client.post(_url("roadmap-goal-retire", roadmap_pk=roadmap.pk, pk=goal_id), {})
    assert retired.json()["status"] == "retired"
    with scopes_disabled():
        assert Goal.objects.filter(match=match, status="active").count() == 1


def test_admins_edit_the_template_and_hr_reads_it(cast, live_program):
    slug = live_program.program.slug
    template = api(cast.hr).get(_url("roadmap-template", program_slug=slug)).json()
    assert [m["title"] for m in template["milestones"]][0] == "Sign your mentoring agreement"
    body = {"title": "Shadow", "offset": 2, "offset_unit": "weeks", "apply_to": "live"}
    assert (
        api(cast.hr)
        .post(_url("roadmap-template-milestone-list", program_slug=slug), body, format="json")
        .status_code
        == 403
    )
    created = api(cast.admin).post(
        _url("roadmap-template-milestone-list", program_slug=slug), body, format="json"
    )
    assert created.status_code == 201
    assert [m.title for m in milestones_of(live_program.matches[0])][-1] == "Shadow"
    bad = api(cast.admin).patch(
        _url("roadmap-template-milestone-detail", program_slug=slug, pk=created.json()["id"]),
        {"output": 999999},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["detail"] == "Choose an output of this program's logic model."
    assert api(cast.mentor1).get(_url("roadmap-template", program_slug=slug)).status_code == 403
    with scopes_disabled():
        assert TemplateMilestone.objects.filter(template__program=live_program.program).count() == 5


def test_api_lists_run_constant_queries(cast):
    program = ProgramFactory(organization=cast.org_a, status="active", slug="api-lists")
    n = iter(range(100))
    client = api(cast.admin)
    assert_constant_queries(
        client, _url("roadmap-list"), lambda: start_pairs(program, 1, prefix=f"l{next(n)}")
    )


def test_pair_lists_run_constant_queries(cast, live_program):
    from roadmaps.services import goals, milestones

    match = live_program.matches[0]
    roadmap = roadmap_of(match)
    client = api(cast.mentee1)

    def add_milestone():
        with scope(organization=cast.org_a):
            m = milestones.add_milestone(roadmap=roadmap, actor=cast.mentee1, title="More")
            evidence_services.add_evidence(milestone=m, actor=cast.mentee1, note="x")

    assert_constant_queries(
        client, _url("roadmap-milestone-list", roadmap_pk=roadmap.pk), add_milestone
    )

    def add_goal():
        with scope(organization=cast.org_a):
            goal = goals.add_goal(match=match, text="Another", actor=cast.mentee1)
            goals.rate_goal(goal=goal, progress=2, actor=cast.mentee1)
            if Goal.objects.filter(match=match, status="active").count() >= 4:
                goals.retire_goal(goal=goal, actor=cast.mentee1)

    assert_constant_queries(client, _url("roadmap-goal-list", roadmap_pk=roadmap.pk), add_goal)
    with scopes_disabled():
        assert Milestone.objects.filter(roadmap=roadmap).count() == 14
