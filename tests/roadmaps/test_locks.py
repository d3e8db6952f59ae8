"""Adding, moving and reordering a roadmap's milestones lock the roadmap's row first, so two
adds at once can't pass MILESTONES_MAX and two reorders can't interleave."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from roadmaps.models import Milestone, Roadmap
from roadmaps.services import milestones as services

from .helpers import milestones_of, roadmap_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap(live_program):
    return roadmap_of(live_program.matches[0])


def _locks_the_roadmap(ctx, roadmap):
    table = connection.ops.quote_name(Roadmap._meta.db_table)
    return [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT")
        and f"FROM {table}" in q["sql"]
        and q["sql"].endswith("FOR UPDATE")
        and f"= {roadmap.pk}" in q["sql"]
    ]


def test_the_cap_holds(cast, roadmap, monkeypatch):
    cap = len(milestones_of(roadmap.match)) + 1
    monkeypatch.setattr(services, "MILESTONES_MAX", cap)
    with scope(organization=cast.org_a):
        services.add_milestone(roadmap=roadmap, actor=cast.mentee1, title="The last one")
        with pytest.raises(ValidationError) as exc:
            services.add_milestone(roadmap=roadmap, actor=cast.mentee1, title="One too many")
    assert exc.value.messages == [f"A roadmap holds at most {cap} milestones."]
    titles = [m.title for m in milestones_of(roadmap.match)]
    assert len(titles) == cap and titles[-1] == "The last one"


def test_adding_locks_the_roadmap_before_counting(cast, roadmap):
    with scope(organization=cast.org_a), CaptureQueriesContext(connection) as ctx:
        services.add_milestone(roadmap=roadmap, actor=cast.mentee1, title="Read a book")
    [lock] = _locks_the_roadmap(ctx, roadmap)
    sql = [q["sql"] for q in ctx.captured_queries]
    counted = next(i for i, s in enumerate(sql) if s.startswith("SELECT COUNT(*)"))
    assert sql.index(lock) < counted


def test_reordering_and_moving_lock_the_roadmap(cast, roadmap):
    first, second, *rest = milestones_of(roadmap.match)
    with scope(organization=cast.org_a):
        with CaptureQueriesContext(connection) as ctx:
            services.reorder_milestones(
                roadmap=roadmap, order=[second.pk, first.pk, *(m.pk for m in rest)],
                actor=cast.mentee1,
            )  # fmt: skip
        assert _locks_the_roadmap(ctx, roadmap)
        second.roadmap = roadmap
        with CaptureQueriesContext(connection) as ctx:
            services.move_milestone(milestone=second, direction="down", actor=cast.mentee1)
        # The lock comes before the order is read.
        sql = [q["sql"] for q in ctx.captured_queries]
        milestones = connection.ops.quote_name(Milestone._meta.db_table)
        read = next(i for i, s in enumerate(sql) if f"FROM {milestones}" in s)
        assert sql.index(_locks_the_roadmap(ctx, roadmap)[0]) < read
    assert [m.pk for m in milestones_of(roadmap.match)][:2] == [first.pk, second.pk]
