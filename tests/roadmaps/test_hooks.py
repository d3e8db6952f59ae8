"""A match that starts gets its roadmap (from the program's template, due dates from the
match's start) and its goals (from the mentee's profile), in bulk; a pause stops the clock."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from matching import hooks
from matching.services import matches as match_services
from roadmaps.models import Goal, GoalRating, Milestone, Roadmap
from roadmaps.services.roadmaps import goals_from_profile, start_matches
from tests.factories import ProfileFactory, ProgramFactory

from .helpers import milestones_of, roadmap_of, start_pairs

pytestmark = pytest.mark.django_db


def test_publishing_a_run_gives_each_pair_a_roadmap_and_a_goal(cast, live_program):
    with scopes_disabled():
        roadmaps = Roadmap.objects.filter(program=live_program.program)
        assert sorted(r.match_id for r in roadmaps) == sorted(m.pk for m in live_program.matches)
        for match in live_program.matches:
            milestones = milestones_of(match)
            start = match.created_at.astimezone(dt.UTC).date()
            # The generic roadmap (the program was made without a template).
            assert [(m.title, m.due_date - start) for m in milestones] == [
                ("Sign your mentoring agreement", dt.timedelta(weeks=1)),
                ("Hold your first meeting", dt.timedelta(weeks=2)),
                ("Agree your goals", dt.timedelta(weeks=4)),
                ("Look back on your progress", dt.timedelta(weeks=14)),
            ]
            assert {m.status for m in milestones} == {"not_started"}
            assert [m.auto_event for m in milestones[:2]] == [
                "agreement_signed",
                "first_meeting_held",
            ]
            assert all(m.template_milestone_id for m in milestones)
            goals = list(Goal.objects.filter(match=match))
            assert [(g.text, g.progress, g.status) for g in goals] == [
                ("Agree on what you want to get out of this mentoring", 1, "active")
            ]
            assert GoalRating.objects.filter(goal__match=match).count() == 1


def test_goals_come_from_the_mentees_profile_at_most_five():
    profile = ProfileFactory.build(
        career_goals=["Lead a team", "Move into data"],
        career_goals_text="Speak at a conference\n\n- Lead a team\nWrite more\nMentor others\nSix",
    )
    assert goals_from_profile(profile) == [
        "Lead a team",
        "Move into data",
        "Speak at a conference",
        "Write more",
        "Mentor others",
    ]
    assert goals_from_profile(None) == ["Agree on what you want to get out of this mentoring"]


def _count_start(program, n, prefix):
    from tests.factories import EnrollmentFactory, MatchFactory

    matches = []
    for i in range(n):
        mentee = EnrollmentFactory(program=program, email=f"{prefix}{i}@x.example")
        ProfileFactory(enrollment=mentee, career_goals=["Lead", "Grow"])
        matches.append(
            MatchFactory(
                program=program,
                mentee=mentee,
                mentor=EnrollmentFactory(program=program, role="mentor"),
            )
        )
    with scope(organization=program.organization), CaptureQueriesContext(connection) as ctx:
        start_matches(matches=matches, actor=None)
    return len(ctx.captured_queries), matches


def test_starting_matches_takes_the_same_queries_for_2_as_for_10(cast):
    program = ProgramFactory(organization=cast.org_a, status="active")
    with scope(organization=cast.org_a):
        from roadmaps.services.templates import ensure_template

        ensure_template(program)
    few, _ = _count_start(program, 2, "few")
    many, matches = _count_start(program, 10, "many")
    assert few == many
    with scopes_disabled():
        assert Milestone.objects.filter(roadmap__match__in=matches).count() == 40
        assert Goal.objects.filter(match__in=matches).count() == 20


def test_a_second_start_of_the_same_match_adds_nothing(cast, live_program):
    with scope(organization=cast.org_a):
        hooks.matches_started.send(matches=list(live_program.matches), actor=None)
    with scopes_disabled():
        assert Roadmap.objects.filter(program=live_program.program).count() == 2
        assert Milestone.objects.filter(roadmap__program=live_program.program).count() == 8


def test_a_pause_stops_the_clock_and_a_resume_moves_open_milestones(cast):
    program = ProgramFactory(organization=cast.org_a, status="active", time_zone="UTC")
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        (match,) = start_pairs(program, 1)
    before = {m.title: m.due_date for m in milestones_of(match)}
    assert before["Sign your mentoring agreement"] == dt.date(2027, 3, 8)
    first = milestones_of(match)[0]
    with scopes_disabled():
        Milestone.objects.filter(pk=first.pk).update(
            status="done", completed_at=dt.datetime(2027, 3, 2, tzinfo=dt.UTC)
        )
    with (
        time_machine.travel(dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC), tick=False),
        scope(organization=cast.org_a),
    ):
        match_services.pause_match(match=match, actor=cast.admin, reason="Leave")
    assert roadmap_of(match).paused_at == dt.datetime(2027, 3, 10, 12, tzinfo=dt.UTC)
    with (
        time_machine.travel(dt.datetime(2027, 3, 31, 8, tzinfo=dt.UTC), tick=False),
        scope(organization=cast.org_a),
    ):
        match_services.resume_match(match=match, actor=cast.admin)
    after = {m.title: m.due_date for m in milestones_of(match)}
    # 21 days paused: the done one stays, the open ones move by 21 days.
    assert after == {
        "Sign your mentoring agreement": dt.date(2027, 3, 8),
        "Hold your first meeting": before["Hold your first meeting"] + dt.timedelta(days=21),
        "Agree your goals": before["Agree your goals"] + dt.timedelta(days=21),
        "Look back on your progress": before["Look back on your progress"] + dt.timedelta(days=21),
    }
    assert roadmap_of(match).paused_at is None


def test_ending_a_paused_match_moves_nothing(cast):
    program = ProgramFactory(organization=cast.org_a, status="active")
    (match,) = start_pairs(program, 1)
    before = [m.due_date for m in milestones_of(match)]
    with scope(organization=cast.org_a):
        match_services.pause_match(match=match, actor=cast.admin)
    with time_machine.travel(dt.timedelta(days=30)), scope(organization=cast.org_a):
        match_services.end_match(match=match, actor=cast.admin, reason="Done")
    assert [m.due_date for m in milestones_of(match)] == before
    assert roadmap_of(match).paused_at is None
