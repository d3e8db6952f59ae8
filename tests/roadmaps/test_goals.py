"""A pair's goals: one to five active, each rated 1–5 with its history; reviews adjust and
retire them through the same services."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from roadmaps.models import Goal, GoalRating
from roadmaps.services import goals as services

from .helpers import client_for, roadmap_of, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(live_program):
    return live_program.matches[0]


def _goals(match):
    with scopes_disabled():
        return list(Goal.objects.filter(match=match).order_by("position", "pk"))


def test_at_most_five_active_goals(cast, match):
    with scope(organization=cast.org_a):
        for n in range(4):
            services.add_goal(match=match, text=f"Goal {n}", actor=cast.mentee1)
        with pytest.raises(ValidationError) as exc:
            services.add_goal(match=match, text="Sixth", actor=cast.mentee1)
    assert exc.value.messages == ["You have 5 goals already: retire one before adding another."]
    assert len(_goals(match)) == 5


def test_the_last_active_goal_cannot_retire(cast, match):
    (goal,) = _goals(match)
    with scope(organization=cast.org_a), pytest.raises(ValidationError) as exc:
        services.retire_goal(goal=goal, actor=cast.mentee1)
    assert exc.value.messages == ["This is your only goal: add another before retiring it."]


def test_rating_keeps_the_history(cast, match):
    (goal,) = _goals(match)
    with scope(organization=cast.org_a):
        services.rate_goal(goal=goal, progress=3, actor=cast.mentee1, note="Halfway")
        services.rate_goal(goal=goal, progress=4, actor=cast.mentor1)
        with pytest.raises(ValidationError):
            services.rate_goal(goal=goal, progress=6, actor=cast.mentor1)
    with scopes_disabled():
        history = list(
            GoalRating.objects.filter(goal=goal).order_by("pk").values_list("progress", "note")
        )
        goal.refresh_from_db()
    assert history == [(1, ""), (3, "Halfway"), (4, "")]
    assert goal.progress == 4


def test_reviews_adjust_and_retire_goals(cast, match):
    (goal,) = _goals(match)
    with scope(organization=cast.org_a):
        other = services.add_goal(match=match, text="Speak up", actor=cast.mentee1)
        services.adjust_goal(
            goal=goal, text="Lead the weekly meeting", progress=2, actor=cast.admin
        )
        services.retire_goal(goal=other, actor=cast.admin, reason="Reached at the review")
    goal, other = _goals(match)
    assert (goal.text, goal.progress, goal.status) == ("Lead the weekly meeting", 2, "active")
    assert (other.status, other.retire_reason) == ("retired", "Reached at the review")
    assert other.retired_at is not None


def test_the_page_rates_and_refuses_bad_input(cast, match):
    roadmap = roadmap_of(match)
    (goal,) = _goals(match)
    client = client_for(cast.mentee1)
    url = reverse("roadmaps:goal-rate", args=[cast.org_a.slug, roadmap.pk, goal.pk])
    before = state(match)
    response = client.post(url, {"progress": "9"})
    assert response.status_code == 400
    assert state(match) == before
    assert client.post(url, {"progress": "5"}).status_code == 302
    assert _goals(match)[0].progress == 5
    add = reverse("roadmaps:goal-add", args=[cast.org_a.slug, roadmap.pk])
    response = client.post(add, {"text": "x" * 301})
    assert response.status_code == 400
    assert len(_goals(match)) == 1


def test_another_pairs_goal_is_404(cast, live_program):
    mine = roadmap_of(live_program.matches[0])
    (theirs,) = _goals(live_program.matches[1])
    client = client_for(cast.mentee1)
    for name in ("goal-edit", "goal-rate", "goal-retire"):
        url = reverse(f"roadmaps:{name}", args=[cast.org_a.slug, mine.pk, theirs.pk])
        assert client.post(url, {"text": "Mine now", "progress": "5"}).status_code == 404
    assert _goals(live_program.matches[1])[0].text == theirs.text
