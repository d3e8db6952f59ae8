"""Mentee-chooses mode end to end: a mentee reads their suggested mentors and why each fits,
requests one with a message; the mentor reads the request and accepts it; the mentee then finds
their match."""

import re

import pytest
from django.core import mail
from django_scopes import scope, scopes_disabled

from matching.models import Match, MentorRequest, Suggestion
from matching.services import runs
from mentorship.models import Role
from tests.browser.conftest import ConsoleWatch, log_in, new_page, shot
from tests.factories import (
    PASSWORD,
    EnrollmentFactory,
    MembershipFactory,
    OrganizationFactory,
    ProfileFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "I'd like to get better at presenting data to our leadership team."


def person(organization, program, role, email, name, *, skills, years, capacity=None):
    user = UserFactory(email=email, name=name)
    MembershipFactory(organization=organization, user=user, role=Role.MEMBER)
    enrollment = EnrollmentFactory(program=program, user=user, role=role, capacity=capacity)
    ProfileFactory(enrollment=enrollment, skills=skills, languages=["en"], years_experience=years)
    return enrollment


@pytest.fixture
def chooser(db):
    """A mentee-chooses program with one mentee, three mentors and a run published for
    choosing (set up through the services, not the browser)."""
    organization = OrganizationFactory(slug="acme", name="Acme")
    admin = UserFactory(email="admin@acme.example", name="Ada Admin")
    MembershipFactory(organization=organization, user=admin, role=Role.ADMIN)
    program = ProgramFactory(
        organization=organization,
        name="Data mentoring",
        slug="data",
        status="active",
        matching_mode="mentee_chooses",
    )
    mentee = person(
        organization, program, "mentee", "mia@acme.example", "Mia Mentee",
        skills={"sql": 1, "public speaking": 1}, years=2,
    )  # fmt: skip
    mentors = [
        person(
            organization,
            program,
            "mentor",
            email,
            name,
            skills=skills,
            years=years,
            capacity=2,
        )  # fmt: skip
        for email, name, skills, years in [
            ("olga@acme.example", "Olga Okafor", {"sql": 5, "public speaking": 4}, 12),
            ("pete@acme.example", "Pete Park", {"sql": 4, "negotiation": 3}, 8),
            ("rosa@acme.example", "Rosa Ruiz", {"design": 5, "negotiation": 2}, 15),
        ]
    ]
    with scope(organization=organization):
        run = runs.start_run(program=program, actor=admin)  # eager Celery: runs right away
    run.refresh_from_db()
    assert run.status == "done", run.stage
    with scope(organization=organization):
        assert runs.publish_run(run=run, actor=admin) == []
    run.refresh_from_db()
    assert run.status == "published" and run.for_choosing
    mail.outbox.clear()
    return program, mentee, mentors


def test_mentee_requests_a_mentor_who_accepts(browser, live_site, chooser):
    from playwright.sync_api import expect

    program, mentee, mentors = chooser
    base = live_site.url
    program_page = f"{base}/o/acme/programs/{program.slug}/"
    watch = ConsoleWatch()

    # The mentee opens their suggestions from the program page.
    page = new_page(browser, watch, "mentee")
    log_in(page, base, "mia@acme.example", PASSWORD)
    page.goto(program_page)
    page.get_by_role("link", name="My suggested mentors").click()
    expect(page).to_have_url(re.compile(r"/matching/suggestions/$"))
    expect(page.get_by_role("heading", name="My suggested mentors")).to_be_visible()
    cards = page.locator("#suggestions .suggestion")
    expect(cards).to_have_count(3)
    # Best fit first; each card has its "why" bars and a sentence per criterion.
    first = cards.first
    expect(first.get_by_role("heading")).to_contain_text("1. Olga Okafor")
    expect(first.locator("meter").first).to_be_visible()
    with scopes_disabled():
        ranked = list(
            Suggestion.objects.filter(mentee=mentee)
            .select_related("mentor__user", "run")
            .order_by("-score", "mentor_id")
        )
    assert [s.mentor.display_name for s in ranked][0] == "Olga Okafor"
    for card, suggestion in zip(cards.all(), ranked, strict=True):
        expect(card).to_contain_text(suggestion.mentor.display_name)
        said = runs.for_participant(
            runs.worded(
                suggestion.explanations,
                mentee="Mia Mentee",
                mentor=suggestion.mentor.display_name,
                reader="mentee",
            ),
            runs.run_weights(suggestion),
        )
        # Only what adds to the fit, each as a bar, a word and its share of the match.
        for item in said:
            expect(card).to_contain_text(item["label"])
            expect(card).to_contain_text(item["text"])
            expect(card).to_contain_text(f"{item['strength']} · {item['percent']}%")
        expect(card.locator("meter")).to_have_count(len(said))
        expect(card).not_to_contain_text(re.compile(r"\d\.\d\d"))  # no raw scores
    # Every bar is a share of its match, from 0 to 100.
    scales = [m.get_attribute("max") for m in page.locator("#suggestions meter").all()]
    assert scales == ["100"] * len(scales)
    shot(page, "mentee-chooses-01-suggestions")

    # She requests Olga, with a message.
    first.get_by_label("A few words for Olga Okafor").fill(MESSAGE)
    first.get_by_role("button", name="Request Olga Okafor").click()
    expect(
        page.get_by_role("alert").filter(has_text="Request sent: Olga Okafor is told by email.")
    ).to_be_visible()
    mine = page.locator("#my-requests")
    expect(mine).to_contain_text("Olga Okafor")
    expect(mine).to_contain_text("Waiting for Olga Okafor")
    expect(mine).to_contain_text(MESSAGE)
    expect(mine.get_by_role("button", name="Withdraw")).to_be_visible()
    # While it is open, no other mentor can be requested.
    expect(page.get_by_role("button", name=re.compile(r"^Request "))).to_have_count(0)
    shot(page, "mentee-chooses-02-requested")
    with scopes_disabled():
        request = MentorRequest.objects.get(mentee=mentee)
        assert (request.mentor.email, request.status, request.message) == (
            "olga@acme.example",
            "pending",
            MESSAGE,
        )
    assert [m.to for m in mail.outbox] == [["olga@acme.example"]]

    # Olga reads the request and accepts it.
    mentor_page = new_page(browser, watch, "mentor")
    log_in(mentor_page, base, "olga@acme.example", PASSWORD)
    mentor_page.goto(program_page)
    mentor_page.get_by_role("link", name="Requests for you").click()
    expect(mentor_page.get_by_role("heading", name="Requests for you")).to_be_visible()
    expect(mentor_page.get_by_text("You have 2 places left.")).to_be_visible()
    card = mentor_page.locator(f"#request-{request.pk}")
    expect(card).to_contain_text("Mia Mentee")
    expect(card).to_contain_text("Waiting for you")
    expect(card).to_contain_text(MESSAGE)
    card.locator("summary").click()
    for item in runs.worded(
        runs.contributing(ranked[0].explanations),
        mentee="Mia Mentee",
        mentor="Olga Okafor",
        reader="mentor",
    ):
        expect(card).to_contain_text(item["text"])  # said to her: "You can teach …"
    shot(mentor_page, "mentee-chooses-03-mentor-requests")
    card.get_by_label("Message to Mia Mentee").fill("Happy to! Let's meet next week.")
    card.get_by_role("button", name="Accept").click()
    expect(
        mentor_page.get_by_role("alert").filter(has_text="You and Mia Mentee are matched")
    ).to_be_visible()
    expect(mentor_page.locator("#open-requests")).to_contain_text("No open requests.")
    expect(mentor_page.locator("#closed-requests")).to_contain_text("Accepted")
    expect(mentor_page.locator("#closed-requests").get_by_role("link")).to_have_text("My mentees")
    expect(mentor_page.get_by_text("You have 1 place left.")).to_be_visible()
    shot(mentor_page, "mentee-chooses-04-accepted")

    with scopes_disabled():
        match = Match.objects.get(program=program)
        assert (match.mentee_id, match.mentor.email, match.status) == (
            mentee.pk,
            "olga@acme.example",
            "active",
        )
        assert match.score == pytest.approx(ranked[0].score)
        assert MentorRequest.objects.get(pk=request.pk).status == "accepted"
    assert [m.to for m in mail.outbox][-1] == ["mia@acme.example"]

    # The mentee sees the answer, then her match.
    page.reload()
    expect(page.locator("#matched")).to_have_text(re.compile(r"You are matched with Olga Okafor\."))
    expect(page.locator("#my-requests")).to_contain_text("Accepted")
    expect(page.locator("#my-requests")).to_contain_text("Happy to! Let's meet next week.")
    # Nothing is left to choose: the suggestions fold away.
    expect(page.locator("#past-suggestions")).not_to_have_attribute("open", "")
    expect(cards.first).to_be_hidden()
    shot(page, "mentee-chooses-05-mentee-answered")
    page.goto(program_page)
    expect(page.get_by_role("link", name="My match")).to_be_visible()
    page.go_back()
    page.locator("#matched").get_by_role("link", name="See my match").click()
    expect(page).to_have_url(re.compile(r"/matching/my-match/$"))
    expect(page.get_by_role("heading", name="My mentor")).to_be_visible()
    matches = page.locator("#my-matches")
    expect(matches.get_by_role("heading", name="Olga Okafor")).to_be_visible()
    expect(matches).to_contain_text("olga@acme.example")
    expect(matches).to_contain_text("Active")
    expect(matches.locator("meter").first).to_be_visible()
    shot(page, "mentee-chooses-06-my-match")
    watch.assert_clean()
