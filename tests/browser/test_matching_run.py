"""An admin tunes the matching criteria, runs matching with its progress bar, reviews the
proposed pairs (lock one, swap the mentors of two others) and publishes them; then both people
of each pair hear of it by email."""

import io
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.management import call_command
from django_scopes import scopes_disabled

from matching.models import Match, MatchingSettings, MatchRun, Suggestion
from mentorship.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from mentorship.models import Organization
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot
from tests.factories import EnrollmentFactory, ProfileFactory, ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKILLS = ["python", "sql", "public speaking", "negotiation", "design"]


@pytest.fixture
def pool():
    """A fresh active program of the demo organization with 3 mentors and 5 mentees."""
    call_command("seed_demo", stdout=io.StringIO())
    mail.outbox.clear()
    organization = Organization.objects.get(slug=DEMO_SLUG)
    program = ProgramFactory(
        organization=organization, name="Sales mentoring", slug="sales", status="active"
    )
    for k in range(8):
        role = "mentor" if k < 3 else "mentee"
        enrollment = EnrollmentFactory(
            program=program,
            role=role,
            capacity=2 if role == "mentor" else None,
            user__email=f"{role}{k}@sales.example",
            user__name=f"{role.title()} {k}",
        )
        ProfileFactory(
            enrollment=enrollment,
            skills={SKILLS[k % 5]: 4, SKILLS[(k + 2) % 5]: 2},
            languages=["en"] if k != 7 else ["fi"],
            years_experience=12 if role == "mentor" else 2,
        )
    return program


@pytest.fixture
def worker():
    """A real Celery worker on the real Redis, started when the test asks for it."""
    from mentorship.celery import app

    conf = app.conf
    saved = conf.task_always_eager, conf.task_routes, conf.task_default_queue
    queue = f"browser-{uuid.uuid4().hex}"  # a private queue: nothing leaks to other workers
    conf.task_always_eager = False
    conf.task_default_queue = queue
    conf.task_routes = {"matching.tasks.execute_match_run": {"queue": queue}}
    started = []

    def start():
        context = start_worker(app, pool="solo", perform_ping_check=False, queues=[queue])
        context.__enter__()
        started.append(context)

    yield start
    for context in started:
        context.__exit__(None, None, None)
    conf.task_always_eager, conf.task_routes, conf.task_default_queue = saved


def test_admin_runs_matching_and_publishes(browser, live_site, pool, worker):
    from playwright.sync_api import expect

    base = live_site.url
    matching = f"{base}/o/{DEMO_SLUG}/programs/{pool.slug}/matching/"
    watch = ConsoleWatch()
    page = new_page(browser, watch, "admin")
    log_in(page, base, "admin@example.com", DEMO_PASSWORD)

    # Criteria: more weight on skills, and a hard rule: must share a language.
    page.goto(matching + "criteria/")
    page.get_by_label("Skill overlap").fill("100")
    page.get_by_label("Must share a language").check()
    expect(page.locator("#criteria-preview")).to_contain_text("Would stay unmatched")
    shot(page, "matching-01-criteria")
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_role("alert").filter(has_text="Matching criteria saved.")).to_be_visible()
    with scopes_disabled():
        settings = MatchingSettings.objects.get(program=pool)
    assert settings.weights["skills"] == 1.0
    assert settings.hard_rules.get("shared_language") is True

    # Run: queued until a worker picks it up, with a progress bar meanwhile.
    page.goto(matching + "runs/")
    page.get_by_role("button", name="Run matching").click()
    progress = page.locator("progress.run-progress")
    expect(progress).to_be_visible()
    shot(page, "matching-02-run-progress")
    worker()
    # htmx polls the progress; when the run is done the page reloads into the review table.
    expect(page.locator("#pairs")).to_be_visible(timeout=30_000)
    expect(page.locator("#unmatched")).to_contain_text("Mentee 7")
    shot(page, "matching-03-review")

    rows = page.locator("#pairs tbody tr")
    expect(rows).to_have_count(4)
    first = rows.first
    first.get_by_role("button", name="Lock").click()
    expect(first).to_contain_text("Locked")
    first.locator("summary").click()
    expect(first.locator("meter").first).to_be_visible()
    expect(first.locator(".why-text").first).to_be_visible()  # plain words under the bars
    shot(page, "matching-04-locked-and-why")

    # Swap the mentors of two other pairs (with different mentors): tick both, swap.
    with scopes_disabled():
        open_pairs = list(
            Suggestion.objects.filter(run__program=pool, assigned=True, locked=False)
            .select_related("mentee__user", "mentor__user")
            .order_by("mentee__email")
        )
    a = open_pairs[0]
    b = next(p for p in open_pairs[1:] if p.mentor_id != a.mentor_id)
    swap_button = page.get_by_role("button", name="Swap mentors")
    expect(swap_button).to_be_disabled()
    for pair in (a, b):
        label = f"Select {pair.mentee.display_name} and {pair.mentor.display_name} for a swap"
        page.get_by_label(label).check()
    expect(swap_button).to_be_enabled()
    shot(page, "matching-05-two-ticked")
    swap_button.click()
    expect(page.get_by_role("alert").filter(has_text="Swapped:")).to_be_visible()
    expect(page.locator("#pairs tbody tr.pair-locked")).to_have_count(3)
    with scopes_disabled():
        now = set(
            Suggestion.objects.filter(run__program=pool, assigned=True).values_list(
                "mentee_id", "mentor_id"
            )
        )
    assert {(a.mentee_id, b.mentor_id), (b.mentee_id, a.mentor_id)} <= now
    shot(page, "matching-06-swapped")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert").filter(has_text="Published 4 matches")).to_be_visible()
    shot(page, "matching-07-published")

    # The pool overview now counts who is matched, and says with whom.
    page.goto(matching)
    expect(page.locator("#pool-counts")).to_contain_text("4 of 5 mentees matched")
    expect(page.locator("#pool-counts")).to_contain_text("4 of 6 mentor seats taken")
    page.get_by_label("Matching").select_option("unmatched")
    page.get_by_label("Role").select_option("mentee")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#pool tbody tr")).to_have_count(1)
    expect(page.locator("#pool")).to_contain_text("Mentee 7")
    shot(page, "matching-08-pool-unmatched")

    with scopes_disabled():
        run = MatchRun.objects.get(program=pool)
        matches = Match.objects.filter(program=pool)
        assert run.status == "published" and matches.count() == 4
        assert not matches.filter(mentee__email="mentee7@sales.example").exists()
        assert matches.filter(mentee=a.mentee, mentor=b.mentor).exists()
    deadline = time.monotonic() + 20  # the worker sends them
    while len(mail.outbox) < 8 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 8  # both people of each pair
    watch.assert_clean()
