"""What the platform records (agreement signed, first meeting held) completes the milestones
that wait for it."""

import pytest
from django_scopes import scope, scopes_disabled

from roadmaps.models import Evidence
from roadmaps.services import events
from tests.factories import MatchFactory, ProgramFactory

from .helpers import milestones_of

pytestmark = pytest.mark.django_db


def test_an_event_completes_the_milestones_waiting_for_it(cast, live_program):
    match = live_program.matches[0]
    with scope(organization=cast.org_a):
        assert events.record(match=match, event="agreement_signed") == 1
        # Once: a second signal finds nothing left to complete.
        assert events.record(match=match, event="agreement_signed") == 0
    milestones = milestones_of(match)
    assert [m.status for m in milestones] == ["done", "not_started", "not_started", "not_started"]
    assert milestones[0].completed_by_id is None
    with scopes_disabled():
        assert list(
            Evidence.objects.filter(milestone=milestones[0]).values_list("note", "author")
        ) == [("Recorded by the platform", None)]
    # The other pair is untouched.
    assert {m.status for m in milestones_of(live_program.matches[1])} == {"not_started"}


def test_unknown_events_and_matches_without_a_roadmap_are_a_no_op(cast, live_program):
    other = MatchFactory(program=ProgramFactory(organization=cast.org_a))
    with scope(organization=cast.org_a):
        assert events.record(match=live_program.matches[0], event="coffee_had") == 0
        assert events.record(match=other, event="first_meeting_held") == 0
    assert {m.status for m in milestones_of(live_program.matches[0])} == {"not_started"}


def test_an_event_leaves_a_skipped_milestone_skipped(cast, live_program):
    match = live_program.matches[0]
    first = milestones_of(match)[0]
    with scopes_disabled():
        type(first).objects.filter(pk=first.pk).update(status="skipped")
    with scope(organization=cast.org_a):
        assert events.record(match=match, event="agreement_signed") == 0
    assert milestones_of(match)[0].status == "skipped"
