"""Match runs end to end: start (Celery, eager in tests), progress, review, re-run, publish."""

import pytest
from django.core import mail
from django.db.models import Count
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from matching.models import Match, MatchingSettings, MatchRun, Suggestion
from matching.services import runs
from mentorship.models import AuditLogEntry
from tests.factories import EnrollmentFactory, ProfileFactory, ProgramFactory
from tests.queries import count_queries
from tests.urls import program_urls

pytestmark = pytest.mark.django_db

SKILLS = ["python", "sql", "public speaking", "negotiation"]


@pytest.fixture
def program(cast):
    return ProgramFactory(organization=cast.org_a, slug="pilot", status="active")


def people(program, role, n, *, capacity=None, languages=("en",), start=0):
    out = []
    for k in range(start, start + n):
        enrollment = EnrollmentFactory(
            program=program,
            role=role,
            capacity=capacity if role == "mentor" else None,
            user__email=f"{role}{k}@pool.example",
            user__name=f"{role.title()} {k}",
        )
        ProfileFactory(
            enrollment=enrollment,
            skills={SKILLS[k % 4]: 3, SKILLS[(k + 1) % 4]: 2},
            languages=list(languages),
            years_experience=3 if role == "mentee" else 10 + k,
        )
        out.append(enrollment)
    return out


url = program_urls("matching")


def start(client, program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("runs", program))
    assert response.status_code == 302
    with scopes_disabled():
        run = MatchRun.objects.filter(program=program).order_by("-number").first()
    assert response.url == url("run", program, number=run.number)
    return run


def assigned(run):
    with scopes_disabled():
        return sorted(
            Suggestion.objects.filter(run=run, assigned=True).values_list(
                "mentee__email", "mentor__email"
            )
        )


def test_run_assigns_everyone_within_capacity(
    client, cast, program, django_capture_on_commit_callbacks
):
    mentors = people(program, "mentor", 2, capacity=2)
    people(program, "mentee", 4)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100
    assert run.stats["matched"] == 4 and run.stats["unmatched"] == 0
    pairs = assigned(run)
    assert len(pairs) == 4
    for mentor in mentors:
        assert sum(1 for _, m in pairs if m == mentor.email) <= 2
    with scopes_disabled():
        # The explanation adds up to the score.
        for s in Suggestion.objects.filter(run=run):
            assert sum(s.breakdown.values()) == pytest.approx(s.score, abs=1e-9)
        assert AuditLogEntry.objects.filter(action="match_run.started").count() == 1
    page = client.get(url("run", program, number=run.number))
    assert page.status_code == 200
    assert "Why this match" in page.content.decode()


def test_capacity_and_hard_rules_leave_people_unmatched_with_reasons(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=1)
    people(program, "mentee", 1)
    people(program, "mentee", 1, languages=("fi",), start=5)
    with scope(organization=cast.org_a):
        settings = MatchingSettings.objects.create(
            organization=cast.org_a, program=program, hard_rules={"shared_language": True}
        )
        assert settings.hard_rules == {"shared_language": True}
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert assigned(run) == [("mentee0@pool.example", "mentor0@pool.example")]
    assert [u["name"] for u in run.unmatched] == ["Mentee 5"]
    assert run.unmatched[0]["reason"] == "no_feasible_mentor"


def test_progress_polls_until_done(client, cast, program):
    with scope(organization=cast.org_a):
        run = MatchRun.objects.create(organization=cast.org_a, program=program, number=1)
    client.force_login(cast.hr)
    working = client.get(url("run-progress", program, number=1))
    assert working.status_code == 200
    assert 'max="100" value="0"' in working.content.decode()
    with scopes_disabled():
        MatchRun.objects.filter(pk=run.pk).update(status="done", progress=100)
    done = client.get(url("run-progress", program, number=1))
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_lock_reject_and_rerun(client, cast, program, django_capture_on_commit_callbacks):
    people(program, "mentor", 2, capacity=2)
    people(program, "mentee", 3)
    client.force_login(cast.admin)
    first = start(client, program, django_capture_on_commit_callbacks)
    with scopes_disabled():
        pairs = list(Suggestion.objects.filter(run=first, assigned=True).order_by("mentee__email"))
    keep, drop = pairs[0], pairs[1]
    review = url("suggestion-review", program, number=first.number, pk=keep.pk)
    response = client.post(review, {"action": "lock"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Locked" in response.content.decode()
    client.post(
        url("suggestion-review", program, number=first.number, pk=drop.pk), {"action": "reject"}
    )
    bad = client.post(review, {"action": "explode"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("run-rerun", program, number=first.number))
    with scopes_disabled():
        second = MatchRun.objects.get(program=program, number=2)
    new_pairs = assigned(second)
    assert (keep.mentee.email, keep.mentor.email) in new_pairs
    assert (drop.mentee.email, drop.mentor.email) not in new_pairs
    assert second.based_on_id == first.pk


def test_publish_creates_matches_and_tells_both(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=2)
    people(program, "mentee", 2)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("run-publish", program, number=run.number), follow=True)
    assert "Published 2 matches" in response.content.decode()
    with scopes_disabled():
        matches = sorted(Match.objects.values_list("mentee__email", "mentor__email", "status"))
        run.refresh_from_db()
    assert matches == [
        ("mentee0@pool.example", "mentor0@pool.example", "active"),
        ("mentee1@pool.example", "mentor0@pool.example", "active"),
    ]
    assert run.status == "published"
    with scopes_disabled():
        for m in Match.objects.all():
            pair = Suggestion.objects.get(run=run, mentee=m.mentee, mentor=m.mentor)
            assert m.explanations == pair.explanations and m.explanations
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mentee0@pool.example",
        "mentee1@pool.example",
        "mentor0@pool.example",
        "mentor0@pool.example",
    ]
    again = client.post(url("run-publish", program, number=run.number), follow=True)
    assert "it can&#x27;t be changed" in again.content.decode()
    with scopes_disabled():
        assert Match.objects.count() == 2


def test_publishing_a_stale_run_is_refused(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=2)
    mentees = people(program, "mentee", 1)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    with scope(organization=cast.org_a):
        profile = mentees[0].profile
        profile.industry = "finance"
        profile.save()
    response = client.post(url("run-publish", program, number=run.number), follow=True)
    assert "changed since this run" in response.content.decode()
    with scopes_disabled():
        assert Match.objects.count() == 0
        assert MatchRun.objects.get(pk=run.pk).status == "done"


def test_a_second_run_while_one_works_is_refused(cast, program):
    with scope(organization=cast.org_a):
        MatchRun.objects.create(
            organization=cast.org_a, program=program, number=1, status="running"
        )
        with pytest.raises(Exception, match="already in progress"):
            runs.start_run(program=program, actor=cast.admin)


def test_compare_two_runs(client, cast, program, django_capture_on_commit_callbacks):
    people(program, "mentor", 2, capacity=2)
    people(program, "mentee", 2)
    client.force_login(cast.admin)
    start(client, program, django_capture_on_commit_callbacks)
    start(client, program, django_capture_on_commit_callbacks)
    page = client.get(url("run-compare", program), {"a": 1, "b": 2})
    assert page.status_code == 200
    assert page.context["changed"] == 0
    bad = client.get(url("run-compare", program), {"a": 1, "b": 9}, follow=True)
    assert "Choose two finished runs" in bad.content.decode()


def test_run_pages_run_constant_queries(client, cast, program, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    people(program, "mentor", 1, capacity=10)
    people(program, "mentee", 2)
    small = start(client, program, django_capture_on_commit_callbacks)
    people(program, "mentor", 2, capacity=10, start=1)
    people(program, "mentee", 8, start=2)
    big = start(client, program, django_capture_on_commit_callbacks)
    assert count_queries(client, url("run", program, number=small.number)) == count_queries(
        client, url("run", program, number=big.number)
    )
    api = reverse(
        "api:suggestion-list",
        kwargs={"org_slug": "org-a", "program_slug": "pilot", "run_number": small.number},
    )
    assert count_queries(client, api) == count_queries(
        client, api.replace("/1/", f"/{big.number}/")
    )


def test_api_run_review_publish(api_client, cast, program, django_capture_on_commit_callbacks):
    people(program, "mentor", 1, capacity=2)
    people(program, "mentee", 2)
    api_client.force_authenticate(cast.admin)
    base = reverse("api:match-run-list", kwargs={"org_slug": "org-a", "program_slug": "pilot"})
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post(base)
    assert created.status_code == 201 and created.json()["number"] == 1
    detail = api_client.get(f"{base}1/").json()
    assert detail["status"] == "done" and detail["stats"]["matched"] == 2
    suggestions = reverse(
        "api:suggestion-list",
        kwargs={"org_slug": "org-a", "program_slug": "pilot", "run_number": 1},
    )
    listed = api_client.get(suggestions, {"assigned": "true"}).json()["results"]
    assert len(listed) == 2
    review = api_client.post(
        f"{suggestions}{listed[0]['id']}/review/", {"locked": True, "rejected": True}, format="json"
    )
    assert review.status_code == 400
    published = api_client.post(f"{base}1/publish/")
    assert published.status_code == 200 and len(published.json()) == 2
    matches = reverse("api:match-list", kwargs={"org_slug": "org-a", "program_slug": "pilot"})
    assert api_client.get(matches).json()["count"] == 2
    api_client.force_authenticate(cast.hr)
    assert api_client.post(base).status_code == 403


def test_next_run_matches_only_who_is_left(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=2)
    people(program, "mentee", 1)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("run-publish", program, number=run.number))
    people(program, "mentee", 2, start=1)  # two newcomers, one seat left
    second = start(client, program, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert second.stats["mentees"] == 2 and second.stats["seats"] == 1
    assert second.stats["matched"] == 1
    assert [u["reason"] for u in second.unmatched] == ["needed_elsewhere"]


def test_mentee_chooses_mode_keeps_each_mentees_best_mentors(
    client, cast, program, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        program.matching_mode = "mentee_chooses"
        program.save()
    people(program, "mentor", 3, capacity=1)
    people(program, "mentee", 2)
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    with scopes_disabled():
        per_mentee = dict(
            Suggestion.objects.filter(run=run).values_list("mentee__email").annotate(n=Count("pk"))
        )
    assert per_mentee == {"mentee0@pool.example": 3, "mentee1@pool.example": 3}


def test_unmatched_come_after_the_pairs_folded_and_paged_and_say_no_profile_yet(
    client, cast, program, django_capture_on_commit_callbacks
):
    people(program, "mentor", 1, capacity=1)
    people(program, "mentee", 1)
    for k in range(52):  # enrolled, but no profile yet
        EnrollmentFactory(
            program=program, user__email=f"new{k}@pool.example", user__name=f"New {k:02}"
        )
    client.force_login(cast.admin)
    run = start(client, program, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert len(run.unmatched) == 52
    assert {(u["reason"], u["message"]) for u in run.unmatched} == {
        ("no_profile", "No profile yet: they haven't filled in their profile")
    }
    html = client.get(url("run", program, number=run.number)).content.decode()
    assert html.index('id="pairs"') < html.index('id="unmatched-card"')
    assert "<details" in html and "Not matched: 52 mentees" in html
    assert html.count("No profile yet") == 50 and "1–50 of 52" in html
    second = client.get(url("run", program, number=run.number), {"unmatched": 2}).content.decode()
    assert second.count("No profile yet") == 2 and "51–52 of 52" in second
