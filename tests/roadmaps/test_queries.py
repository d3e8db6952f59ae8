"""What rooms reads (progress, milestones due, goals) and the admins' grid: exact values and a
constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from roadmaps import queries
from roadmaps.models import Milestone
from roadmaps.services import milestones as services
from tests.factories import ProgramFactory
from tests.queries import assert_constant_queries

from .helpers import client_for, milestones_of, start_pairs

pytestmark = pytest.mark.django_db


def test_progress_by_match(cast, live_program):
    first, second = live_program.matches
    ms = milestones_of(first)
    with scopes_disabled():
        Milestone.objects.filter(pk=ms[0].pk).update(status="done", completed_at=first.created_at)
        Milestone.objects.filter(pk=ms[1].pk).update(status="skipped")
        Milestone.objects.filter(pk=ms[2].pk).update(due_date=dt.date(2020, 1, 1))
    with scope(organization=cast.org_a):
        progress = queries.progress_by_match([first.pk, second.pk, 999999])
    assert progress[first.pk] == queries.Progress(
        done=1, total=3, late=1, percent=33, next_due=dt.date(2020, 1, 1)
    )
    assert progress[second.pk] == queries.Progress(
        done=0, total=4, late=0, percent=0, next_due=milestones_of(second)[0].due_date
    )
    assert progress[999999] == queries.Progress()


def test_milestones_due_and_goals_of(cast, live_program):
    match = live_program.matches[0]
    ms = milestones_of(match)
    with scope(organization=cast.org_a):
        services.skip_milestone(milestone=ms[0], actor=cast.mentee1)
        due = queries.milestones_due(match, ms[2].due_date)
        goals = queries.goals_of(match)
    assert [m.pk for m in due] == [ms[1].pk, ms[2].pk]
    assert [g.text for g in goals] == ["Agree on what you want to get out of this mentoring"]


def test_the_grid_shows_pairs_by_milestone_with_filters(cast, live_program):
    program = live_program.program
    ms = milestones_of(live_program.matches[0])
    with scopes_disabled():
        Milestone.objects.filter(pk=ms[0].pk).update(due_date=dt.date(2020, 1, 1))
    url = reverse("roadmaps:grid", args=[cast.org_a.slug, program.slug])
    client = client_for(cast.hr)
    body = client.get(url).content.decode()
    assert body.count('<tr>\n      <th scope="row"') == 2
    assert "1 late" in body
    late = client.get(url + "?late=1").content.decode()
    assert late.count('<th scope="row"') == 1
    done = client.get(url + "?status=done").content.decode()
    assert "No pairs match these filters." in done
    assert client_for(cast.mentor1).get(url).status_code == 403
    assert client_for(cast.outsider).get(url).status_code == 404


def test_the_grid_sums_counted_outputs(cast):
    from tests.factories import LogicModelItemFactory

    program = ProgramFactory(organization=cast.org_a, status="active", slug="counted")
    output = LogicModelItemFactory(program=program, kind="output", title="Applications sent")
    with scope(organization=cast.org_a):
        from roadmaps.services import templates

        template = templates.ensure_template(program)
        templates.add_milestone(
            template=template, actor=cast.admin, title="Apply", output=output.pk, target=5
        )
    a, b = start_pairs(program, 2)
    with scopes_disabled():
        Milestone.objects.filter(roadmap__match=a, target=5).update(count=3)
        Milestone.objects.filter(roadmap__match=b, target=5).update(count=1)
        (row,) = queries.output_totals(program)
    assert (row["output__title"], row["pairs"], row["count"], row["target"], row["done"]) == (
        "Applications sent",
        2,
        4,
        10,
        0,
    )
    body = (
        client_for(cast.admin)
        .get(reverse("roadmaps:grid", args=[cast.org_a.slug, program.slug]))
        .content.decode()
    )
    assert "Applications sent" in body
    assert "3/5" in body


def test_the_grid_runs_constant_queries(cast):
    program = ProgramFactory(organization=cast.org_a, status="active", slug="grid")
    url = reverse("roadmaps:grid", args=[cast.org_a.slug, program.slug])
    n = iter(range(100))
    assert_constant_queries(
        client_for(cast.admin), url, lambda: start_pairs(program, 1, prefix=f"g{next(n)}")
    )


def test_the_roadmap_page_runs_constant_queries(cast, live_program):
    from roadmaps.services import evidence

    match = live_program.matches[0]
    url = reverse("roadmaps:roadmap", args=[cast.org_a.slug, match.roadmap.pk])
    ms = milestones_of(match)

    def add_row():
        with scope(organization=cast.org_a):
            m = services.add_milestone(roadmap=match.roadmap, actor=cast.mentee1, title="More")
            evidence.add_evidence(milestone=m, actor=cast.mentee1, note="Proof")

    assert ms
    assert_constant_queries(client_for(cast.mentee1), url, add_row)
