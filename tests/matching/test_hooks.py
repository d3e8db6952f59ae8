"""Matching's hooks fire at each write path that starts or changes a match, inside its
transaction, with what the apps above need (`matching.hooks`)."""

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from matching import hooks
from matching.services import choice, matches
from tests.matching import test_mentee_choice

chooser = test_mentee_choice.chooser  # the fixture: a program run by mentee choice
request_ = test_mentee_choice.request_


@pytest.fixture
def heard():
    """Every call of both hooks, in order, as (hook name, match ids, extra)."""
    calls = []

    def started(*, matches, actor):
        calls.append(("started", [m.pk for m in matches], actor.email if actor else None))

    def changed(*, match, previous, actor):
        calls.append(("changed", [match.pk], f"{previous}→{match.status}"))

    hooks.matches_started.connect(started)
    hooks.match_changed.connect(changed)
    yield calls
    hooks.matches_started._receivers.remove(started)
    hooks.match_changed._receivers.remove(changed)


def test_publishing_a_run_starts_every_new_match_in_one_call(cast, heard, live_program):
    # live_program publishes its run after the receivers connected: one call, both pairs.
    assert heard == [
        ("started", [m.pk for m in live_program.matches], "admin@a.example"),
    ]


def test_a_mentor_accepting_a_request_starts_that_match(
    cast, heard, chooser, django_capture_on_commit_callbacks
):
    mentor_request = request_(
        cast, chooser, chooser.mentee1, chooser.mentor1, django_capture_on_commit_callbacks
    )
    with scope(organization=cast.org_a):
        match = choice.accept(mentor_request=mentor_request, actor=cast.mentor1)
    assert heard == [("started", [match.pk], "mentor1@a.example")]


def test_each_status_change_is_heard_with_the_status_before(cast, heard, live_program):
    heard.clear()
    match = live_program.matches[0]
    with scope(organization=cast.org_a):
        matches.pause_match(match=match, actor=cast.admin, reason="Holiday")
        matches.resume_match(match=match, actor=cast.admin)
        matches.end_match(match=match, actor=cast.admin, reason="Goals reached")
    assert heard == [
        ("changed", [match.pk], "active→paused"),
        ("changed", [match.pk], "paused→active"),
        ("changed", [match.pk], "active→ended"),
    ]


def test_a_refused_change_is_not_heard(cast, heard, live_program):
    heard.clear()
    with scope(organization=cast.org_a), pytest.raises(ValidationError):
        matches.resume_match(match=live_program.matches[0], actor=cast.admin)
    assert heard == []
