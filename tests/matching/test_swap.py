"""The review table: swapping the mentors of two proposed pairs, plain-words explanations,
search and filters."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from matching import engine
from matching.models import MatchingSettings, Suggestion
from matching.services import runs
from matching.services.pool import load_pool
from mentorship.models import AuditLogEntry
from tests.factories import (
    EnrollmentFactory,
    MatchFactory,
    ProgramFactory,
    SuggestionFactory,
)

from .test_runs import assigned, people, start, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", status="active")


@pytest.fixture
def done_run(client, cast, program, django_capture_on_commit_callbacks):
    """Two mentors with one seat each, two mentees: a run with two proposed pairs."""
    people(program, "mentor", 2, capacity=1)
    people(program, "mentee", 2)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == "done" and len(assigned(run)) == 2
    return run


def pairs_of(run):
    with scopes_disabled():
        return list(
            Suggestion.objects.filter(run=run, assigned=True)
            .select_related("mentee", "mentor")
            .order_by("mentee__email")
        )


def swapped(before):
    (a, b) = before
    return sorted([(a.mentee.email, b.mentor.email), (b.mentee.email, a.mentor.email)])


def snapshot(run):
    with scopes_disabled():
        return sorted(
            Suggestion.objects.filter(run=run).values_list(
                "mentee_id", "mentor_id", "assigned", "locked", "rejected", "score"
            )
        )


def test_swap_gives_each_mentee_the_other_mentor_scored_and_locked(client, program, done_run):
    before = pairs_of(done_run)
    response = client.post(
        url("run-swap", program, number=done_run.number),
        {"pair": [before[0].pk, before[1].pk], "querystring": "order=-score"},
    )
    assert response.status_code == 302
    assert response.url == url("run", program, number=done_run.number) + "?order=-score"
    assert assigned(done_run) == swapped(before)
    after = pairs_of(done_run)
    assert all(s.locked and not s.rejected for s in after)
    # Scored as a fresh run would score them: the full pool, the run's settings.
    with scope(organization=program.organization):
        program_pool = load_pool(program)
        settings = runs._engine_settings(done_run, program_pool.pool)
    mentees = [e.pk for e in program_pool.mentees]
    mentors = [e.pk for e in program_pool.mentors]
    bd = engine.breakdown(
        program_pool.pool,
        settings,
        [mentees.index(s.mentee_id) for s in after],
        [mentors.index(s.mentor_id) for s in after],
    )
    assert [s.score for s in after] == pytest.approx(bd.totals.tolist(), abs=1e-9)
    for s in after:
        assert sum(s.breakdown.values()) == pytest.approx(s.score, abs=1e-9)
        assert s.explanations and all(e["text"] for e in s.explanations)
    done_run.refresh_from_db()
    assert done_run.stats["mean_score"] == pytest.approx(sum(s.score for s in after) / 2)
    assert done_run.stats["min_score"] == pytest.approx(min(s.score for s in after))
    with scopes_disabled():
        entry = AuditLogEntry.objects.get(action="match_run.swapped")
    assert sorted(map(tuple, entry.data["after"])) == swapped(before)
    page = client.get(url("run", program, number=done_run.number)).content.decode()
    assert "Swapped:" in page and "Both pairs are locked" in page


def test_a_rerun_keeps_the_swapped_pairs(
    client, program, done_run, django_capture_on_commit_callbacks
):
    before = pairs_of(done_run)
    client.post(url("run-swap", program, number=done_run.number), {"pair": [p.pk for p in before]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("run-rerun", program, number=done_run.number))
    with scopes_disabled():
        second = program.match_runs.get(number=done_run.number + 1)
    assert assigned(second) == swapped(before)


def test_swapping_back_reuses_the_earlier_pairs(client, program, done_run):
    before = pairs_of(done_run)
    swap_url = url("run-swap", program, number=done_run.number)
    client.post(swap_url, {"pair": [p.pk for p in before]})
    after = pairs_of(done_run)
    for pair in after:
        client.post(
            url("suggestion-review", program, number=done_run.number, pk=pair.pk),
            {"action": "unlock"},
        )
    client.post(swap_url, {"pair": [p.pk for p in after]})
    back = pairs_of(done_run)
    assert sorted(p.pk for p in back) == sorted(p.pk for p in before)
    with scopes_disabled():
        assert Suggestion.objects.filter(run=done_run).count() == 4


def test_swap_that_breaks_a_hard_rule_is_refused(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=1)
    people(program, "mentee", 1)
    people(program, "mentor", 1, capacity=1, languages=("fi",), start=5)
    people(program, "mentee", 1, languages=("fi",), start=5)
    with scope(organization=cast.org_a):
        MatchingSettings.objects.create(
            organization=cast.org_a, program=program, hard_rules={"shared_language": True}
        )
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    before = snapshot(run)
    response = client.post(
        url("run-swap", program, number=run.number),
        {"pair": [p.pk for p in pairs_of(run)]},
        follow=True,
    )
    text = response.content.decode()
    assert "can&#x27;t be paired: no shared language" in text
    assert snapshot(run) == before


def test_swap_never_recreates_an_ended_match(client, cast, program, done_run):
    before = pairs_of(done_run)
    a, b = before
    MatchFactory(
        program=program, mentee=a.mentee, mentor=b.mentor, status="dissolved", end_reason="x"
    )
    state = snapshot(done_run)
    response = client.post(
        url("run-swap", program, number=done_run.number),
        {"pair": [a.pk, b.pk]},
        follow=True,
    )
    assert "their earlier match in this program was ended" in response.content.decode()
    assert snapshot(done_run) == state


@pytest.mark.parametrize(
    "pairs",
    [
        "one",  # only one pair ticked
        "same",  # the same pair twice
        "foreign",  # a pair of org B's run
        "other_run",  # a pair of another run of this program
        "junk",  # not an id
    ],
)
def test_bad_swap_requests_change_nothing(client, cast, program, done_run, pairs):
    a, b = pairs_of(done_run)
    foreign = SuggestionFactory(run__program=ProgramFactory(organization=cast.org_b))
    other_run = SuggestionFactory(run__program=program, run__number=99)
    body = {
        "one": [a.pk],
        "same": [a.pk, a.pk],
        "foreign": [a.pk, foreign.pk],
        "other_run": [a.pk, other_run.pk],
        "junk": [a.pk, "x"],
    }[pairs]
    state = snapshot(done_run)
    response = client.post(
        url("run-swap", program, number=done_run.number), {"pair": body}, follow=True
    )
    text = response.content.decode()
    assert "Tick exactly two pairs" in text or "Choose two different proposed pairs" in text
    assert snapshot(done_run) == state
    with scopes_disabled():
        assert not AuditLogEntry.objects.filter(action="match_run.swapped").exists()


def test_locked_pairs_and_published_runs_cannot_swap(client, program, done_run):
    a, b = pairs_of(done_run)
    client.post(
        url("suggestion-review", program, number=done_run.number, pk=a.pk), {"action": "lock"}
    )
    state = snapshot(done_run)
    response = client.post(
        url("run-swap", program, number=done_run.number), {"pair": [a.pk, b.pk]}, follow=True
    )
    assert "Unlock both pairs" in response.content.decode()
    assert snapshot(done_run) == state
    client.post(url("run-publish", program, number=done_run.number))
    response = client.post(
        url("run-swap", program, number=done_run.number), {"pair": [a.pk, b.pk]}, follow=True
    )
    assert "it can&#x27;t be changed" in response.content.decode()
    assert snapshot(done_run) == state


def test_mentee_chooses_programs_have_nothing_to_swap(
    client, cast, program, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        program.matching_mode = "mentee_chooses"
        program.save()
    people(program, "mentor", 2, capacity=1)
    people(program, "mentee", 2)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    page = client.get(url("run", program, number=run.number)).content.decode()
    assert 'id="swap-form"' not in page
    state = snapshot(run)
    response = client.post(
        url("run-swap", program, number=run.number),
        {"pair": [p.pk for p in pairs_of(run)]},
        follow=True,
    )
    assert "mentees choose their mentor" in response.content.decode()
    assert snapshot(run) == state


def test_swap_through_the_api(api_client, cast, program, done_run):
    a, b = pairs_of(done_run)
    base = reverse(
        "api:match-run-swap",
        kwargs={"org_slug": "org-a", "program_slug": "pilot", "number": done_run.number},
    )
    api_client.force_authenticate(cast.admin)
    bad = api_client.post(base, {"first": a.pk, "second": a.pk}, format="json")
    assert bad.status_code == 400
    assert "two different" in bad.json()["errors"][0]["detail"]
    missing = api_client.post(base, {"first": a.pk}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["attr"] == "second"
    response = api_client.post(base, {"first": a.pk, "second": b.pk}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert sorted((s["mentee"]["email"], s["mentor"]["email"]) for s in body) == swapped([a, b])
    assert all(s["locked"] and s["explanations"] for s in body)
    assert {"key", "label", "contribution", "text"} <= set(body[0]["explanations"][0])


# --- The review table -----------------------------------------------------------------------------


def test_review_table_explains_in_plain_words(client, program, done_run):
    page = client.get(url("run", program, number=done_run.number)).content.decode()
    pair = pairs_of(done_run)[0]
    assert pair.explanations
    for item in pair.explanations:
        assert escape(item["text"]) in page
    assert 'name="pair"' in page and 'form="swap-form"' in page


def test_review_table_search_filter_and_order(client, cast, program, done_run):
    a, b = pairs_of(done_run)
    run_url = url("run", program, number=done_run.number)

    def shown(**query):
        response = client.get(run_url, query)
        assert response.status_code == 200
        return [p.pk for p in response.context["page"]]

    assert sorted(shown()) == sorted([a.pk, b.pk])
    assert shown(q=a.mentee.email) == [a.pk]
    assert sorted(shown(q=f"{a.mentee.email}, {b.mentee.email}")) == sorted([a.pk, b.pk])
    assert shown(q=a.mentor.user.name) == [a.pk]
    assert shown(q="nobody-like-this") == []
    client.post(
        url("suggestion-review", program, number=done_run.number, pk=b.pk), {"action": "lock"}
    )
    assert shown(show="locked") == [b.pk]
    assert shown(show="open") == [a.pk]
    assert shown(show="rejected") == []
    weakest = shown(order="score")
    assert weakest == list(reversed(shown(order="-score"))) or a.score == b.score
    assert client.get(run_url, {"order": "explode"}).status_code == 400
    assert "No pairs match this search" in client.get(run_url, {"q": "zzz"}).content.decode()


def test_review_table_is_paginated(client, cast, program):
    run = SuggestionFactory(run__program=program, run__number=1).run
    mentor = EnrollmentFactory(program=program, role="mentor")
    for k in range(60):
        SuggestionFactory(
            run=run,
            mentor=mentor,
            mentee=EnrollmentFactory(program=program, email=f"m{k:02}@p.example", user=None),
            score=k / 100,
        )
    client.force_login(cast.hr)
    first = client.get(url("run", program, number=1))
    assert len(first.context["page"]) == 50 and "Page 1 of 2" in first.content.decode()
    assert 'id="swap-form"' not in first.content.decode()  # HR reads, doesn't review
    second = client.get(url("run", program, number=1), {"page": 2})
    assert len(second.context["page"]) == 11


def test_the_run_page_and_api_show_the_proof_until_pairs_are_swapped(
    client, cast, program, done_run
):
    from rest_framework.test import APIClient

    html = client.get(url("run", program, number=done_run.number)).content.decode()
    assert "Optimal — proven" in html
    assert "No other arrangement within the hard rules and the mentors&#x27; places matches" in (
        html
    )
    api = APIClient()
    api.force_authenticate(cast.hr)
    path = f"/api/v1/orgs/{program.organization.slug}/programs/{program.slug}/matching/runs/"
    row = api.get(f"{path}{done_run.number}/").json()
    assert row["certificate"]["certified"] is True and row["certificate"]["gap"] == 0
    before = pairs_of(done_run)
    client.post(url("run-swap", program, number=done_run.number), {"pair": [p.pk for p in before]})
    html = client.get(url("run", program, number=done_run.number)).content.decode()
    assert "Changed by hand" in html and "Optimal — proven" not in html
    assert api.get(f"{path}{done_run.number}/").json()["certificate"]["changed_by_hand"] is True
