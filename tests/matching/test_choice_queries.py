"""Mentee-chooses pages run a constant number of queries, however many suggestions or requests
they show: the mentee's suggestions (with their requests), the mentee's withdraw/answer, and the
mentor's incoming requests."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from matching.models import MentorRequest
from matching.services.criteria import ensure_settings
from tests.factories import (
    EnrollmentFactory,
    MatchFactory,
    MatchRunFactory,
    ProgramFactory,
    SuggestionFactory,
)
from tests.urls import program_urls

pytestmark = pytest.mark.django_db

# A sane upper bound for any of these pages (a write that tells someone adds its notice: the
# row, in a savepoint, and what its text names).
CEILING = 32


page = program_urls("matching")


def _count(client, method, url, data=None, status=200):
    if method == "get":
        client.get(url, data or {})  # a second visit: the first fills what pages keep in the cache
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == status
    return len(ctx.captured_queries)


@pytest.fixture
def program(cast):
    program = ProgramFactory(
        organization=cast.org_a, slug="choose", status="active", matching_mode="mentee_chooses"
    )
    with scopes_disabled():
        ensure_settings(program)  # else the first write creates them: one-off queries
    return program


@pytest.fixture
def run(program):
    return MatchRunFactory(program=program, number=1, status="published", for_choosing=True)


def mentor(program, user=None, capacity=2):
    kwargs = {"user": user} if user else {}
    return EnrollmentFactory(program=program, role="mentor", capacity=capacity, **kwargs)


def mentee(program, user=None):
    kwargs = {"user": user} if user else {}
    return EnrollmentFactory(program=program, role="mentee", **kwargs)


def suggest(run, mentee_, mentor_, score=0.8):
    return SuggestionFactory(
        run=run,
        mentee=mentee_,
        mentor=mentor_,
        score=score,
        explanations=[
            {"key": "skills", "label": "Skills", "contribution": score, "text": "Shares skills."}
        ],
    )


def ask(program, mentee_, mentor_, suggestion=None, status="pending", message="Hello"):
    with scopes_disabled():
        return MentorRequest.objects.create(
            organization=program.organization,
            program=program,
            mentee=mentee_,
            mentor=mentor_,
            suggestion=suggestion,
            status=status,
            message=message,
            expires_at=timezone.now() + timedelta(days=7),
        )


def _mentee_world(cast, program, run, n):
    """The signed-in mentee with ``n`` suggested mentors, each with an open match (a seat
    taken), and a request history: ``n - 1`` declined requests and one open request."""
    me = mentee(program, cast.mentee1)
    suggestions = []
    for k in range(n):
        m = mentor(program)
        MatchFactory(program=program, mentor=m)  # one of its two seats taken
        suggestions.append(suggest(run, me, m, score=0.9 - k / 100))
    for s in suggestions[:-1]:
        ask(program, me, s.mentor, s, status="declined")
    last = suggestions[-1]
    return me, ask(program, me, last.mentor, last, status="more_info")


def _grow_mentee_world(program, run, me, extra):
    for _ in range(extra):
        m = mentor(program)
        MatchFactory(program=program, mentor=m)
        s = suggest(run, me, m, score=0.5)
        ask(program, me, m, s, status="declined")


def test_suggestions_page_runs_constant_queries(client, cast, program, run):
    client.force_login(cast.mentee1)
    me, _ = _mentee_world(cast, program, run, 1)
    small = _count(client, "get", page("suggestions", program))
    _grow_mentee_world(program, run, me, 7)  # 5 suggestions shown, 7 more requests listed
    html = client.get(page("suggestions", program)).content.decode()
    assert html.count('class="card h-100 suggestion"') == 5
    large = _count(client, "get", page("suggestions", program))
    assert small == large, (small, large)
    assert large <= CEILING


def test_suggestions_page_with_a_match_runs_constant_queries(client, cast, program, run):
    client.force_login(cast.mentee1)
    me = mentee(program, cast.mentee1)
    matched_with = mentor(program)
    MatchFactory(program=program, mentee=me, mentor=matched_with)
    suggest(run, me, matched_with)
    small = _count(client, "get", page("suggestions", program))
    for _ in range(4):
        suggest(run, me, mentor(program), score=0.5)
    large = _count(client, "get", page("suggestions", program))
    assert small == large, (small, large)
    assert large <= CEILING


def test_my_request_runs_constant_queries(client, cast, program, run):
    """Withdrawing (and answering) reads only the one request, whatever the history."""
    client.force_login(cast.mentee1)
    me, open_request = _mentee_world(cast, program, run, 1)
    url = page("my-request", program, pk=open_request.pk)
    small = _count(client, "post", url, {"action": "answer", "message": "To lead"}, status=302)
    with scopes_disabled():
        # The mentor asks again: a new round, so the answer is news again (its own notice).
        MentorRequest.objects.filter(pk=open_request.pk).update(
            status="more_info", rounds=F("rounds") + 1
        )
    _grow_mentee_world(program, run, me, 7)
    large = _count(client, "post", url, {"action": "answer", "message": "To lead"}, status=302)
    assert small == large, (small, large)
    assert large <= CEILING
    withdraw = _count(client, "post", url, {"action": "withdraw"}, status=302)
    open_request.refresh_from_db()
    assert open_request.status == "withdrawn"
    assert withdraw <= CEILING


def test_mentor_requests_page_runs_constant_queries(client, cast, program, run):
    client.force_login(cast.mentor1)
    me = mentor(program, cast.mentor1, capacity=3)

    def incoming(status):
        someone = mentee(program)
        return ask(program, someone, me, suggest(run, someone, me), status=status)

    incoming("pending")
    small = _count(client, "get", page("requests", program))
    for k in range(7):
        incoming(["pending", "more_info", "declined", "expired"][k % 4])
    html = client.get(page("requests", program)).content.decode()
    assert html.count('class="card mb-3" id="request-') == 5  # the open ones
    large = _count(client, "get", page("requests", program))
    assert small == large, (small, large)
    assert large <= CEILING
