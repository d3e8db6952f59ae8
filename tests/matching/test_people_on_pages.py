"""What a participant wants to know about the other person, and why they were suggested:
the other's photo or initials, job title, department and bio on the suggestion cards, "My match"
and the run review; the "why" said in bars, words and percentages, without raw figures and
without criteria that add nothing (admins keep the figures on the run review)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scope, scopes_disabled

from matching.models import MentorRequest
from matching.services import runs
from mentorship import people, services
from mentorship.models import Membership
from tests.factories import (
    EnrollmentFactory,
    MatchFactory,
    MatchRunFactory,
    ProgramFactory,
    SuggestionFactory,
    image_upload,
)

pytestmark = pytest.mark.django_db

# Skills and the language add to the fit; the career goal and the time zone add nothing (zero,
# near zero): a participant reads only the first two.
WHY = [
    {
        "key": "skills",
        "label": "Skill overlap",
        "contribution": 0.45,
        "text": "Olga Okafor can teach both skills Mia Mentee wants to learn",
        "facts": [2, 2, 2],
    },
    {
        "key": "language",
        "label": "Shared language",
        "contribution": 0.15,
        "text": "Share 1 language",
        "facts": [1],
    },
    {
        "key": "goals",
        "label": "Goal and industry fit",
        "contribution": 0.0,
        "text": "Doesn't share Mia Mentee's career goal; different industry",
        "facts": [1, 0, 0],
    },
    {
        "key": "time_zone",
        "label": "Time-zone overlap",
        "contribution": 0.003,
        "text": "7 hours apart",
        "facts": [7.0],
    },
]
SCORE = 0.603
BIO = "Ten years of <b>data</b> & maps.\nAsk me about SQL."
# Anything that looks like a score or a contribution: 0.60, +0.45, .45
RAW_FIGURE = re.compile(r"\d\.\d|\+\d|(?<![\w/])\.\d")


def main_of(response):
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def set_card(user, org, photo=False, **fields):
    with scopes_disabled():
        m = Membership.objects.get(user=user, organization=org)
    with scope(organization=org):
        return services.update_member_card(
            membership=m, actor=user, photo=image_upload() if photo else None, **fields
        )


@pytest.fixture
def named(cast):
    with scopes_disabled():
        for user, name in ((cast.mentee1, "Mia Mentee"), (cast.mentor1, "Olga Okafor")):
            user.name = name
            user.save()
    return cast


@pytest.fixture
def chooser(named):
    cast = named
    program = ProgramFactory(
        organization=cast.org_a, slug="choose", status="active", matching_mode="mentee_chooses"
    )
    run = MatchRunFactory(program=program, number=1, status="published", for_choosing=True)
    mentee = EnrollmentFactory(program=program, user=cast.mentee1)
    olga = EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=2)
    other = EnrollmentFactory(program=program, user=cast.mentor2, role="mentor", capacity=2)
    first = SuggestionFactory(
        run=run, mentee=mentee, mentor=olga, score=SCORE, explanations=WHY, breakdown={}
    )
    second = SuggestionFactory(
        run=run,
        mentee=mentee,
        mentor=other,
        score=0.3,
        breakdown={"skills": 0.3, "language": 0.0},
        explanations=[],  # a run from before explanations were stored: shares only
    )
    return program, first, second


def suggestions_page(program):
    return reverse(
        "matching:suggestions", kwargs={"org_slug": "org-a", "program_slug": program.slug}
    )


def test_suggestion_cards_show_who_the_mentor_is(client, cast, chooser):
    program, first, second = chooser
    olga = set_card(
        cast.mentor1, cast.org_a, photo=True, job_title="Data lead", department="Platform", bio=BIO
    )
    client.force_login(cast.mentee1)
    html = main_of(client.get(suggestions_page(program)))
    card = html[
        html.index(f'id="suggestion-{first.pk}"') : html.index(f'id="suggestion-{second.pk}"')
    ]
    # Her photo (the members-only URL), job title · department, and the bio, escaped.
    assert f'src="{olga.photo_url}"' in card
    assert "Data lead · Platform" in card
    assert escape(BIO) in card and "<b>data</b>" not in card
    # The other mentor has no photo: initials in a circle of their colour.
    rest = html[html.index(f'id="suggestion-{second.pk}"') :]
    colour = people.avatar_colour(cast.mentor2.pk)
    initials = people.initials(cast.mentor2.name)
    assert f'avatar-c{colour}" aria-hidden="true">{initials}</span>' in rest
    assert "person-role" not in rest  # nothing typed, nothing shown


def test_another_organizations_card_never_shows(client, cast, chooser):
    program, first, _ = chooser
    # Olga is in org B too, with a photo and a bio there: org A's page shows none of it.
    with scopes_disabled():
        Membership.objects.create(organization=cast.org_b, user=cast.mentor1)
    set_card(cast.mentor1, cast.org_b, photo=True, job_title="Secret role", bio="Org B only")
    client.force_login(cast.mentee1)
    html = main_of(client.get(suggestions_page(program)))
    assert "Secret role" not in html and "Org B only" not in html
    assert "/o/org-b/" not in html and "<img" not in html


def test_participants_read_no_zero_criterion_and_no_raw_figures(client, cast, chooser):
    program, first, second = chooser
    client.force_login(cast.mentee1)
    html = main_of(client.get(suggestions_page(program)))
    card = html[
        html.index(f'id="suggestion-{first.pk}"') : html.index(f'id="suggestion-{second.pk}"')
    ]
    # What adds to the fit: a bar (0–100), a word and its share of the match, in words to her.
    assert "Skill overlap" in card and "strong · 75%" in card and 'value="75"' in card
    assert "Olga Okafor can teach both skills you want to learn" in card
    assert "Shared language" in card and "good · 25%" in card
    # What adds nothing is left out: no "doesn't share your career goal", no time zone.
    assert "Goal and industry fit" not in card and "career goal" not in card
    assert "Time-zone overlap" not in card and "hours apart" not in card
    # An older run's shares: the zero one is left out there too.
    rest = html[html.index(f'id="suggestion-{second.pk}"') :]
    assert "Skill overlap" in rest and "Shared language" not in rest
    # No score or contribution as a number anywhere on the page.
    assert not RAW_FIGURE.search(html), RAW_FIGURE.search(html)
    assert "Good fit" in card  # the fit in a word


def test_the_api_leaves_out_what_adds_nothing(api_client, cast, chooser):
    program, first, _ = chooser
    set_card(cast.mentor1, cast.org_a, job_title="Data lead", bio=BIO)
    api_client.force_authenticate(cast.mentee1)
    url = f"/api/v1/orgs/org-a/programs/{program.slug}/matching/my-suggestions/"
    body = api_client.get(url).json()
    mine = next(s for s in body if s["id"] == first.pk)
    assert [e["key"] for e in mine["explanations"]] == ["skills", "language"]
    assert mine["mentor"]["card"] == {
        "job_title": "Data lead",
        "department": "",
        "bio": BIO,
        "photo_url": None,
    }


@pytest.fixture
def matched(named):
    cast = named
    program = ProgramFactory(organization=cast.org_a, slug="pilot", status="active")
    mentee = EnrollmentFactory(program=program, user=cast.mentee1)
    mentor = EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=2)
    match = MatchFactory(
        program=program, mentee=mentee, mentor=mentor, score=SCORE, explanations=WHY
    )
    return program, match


def my_match_page(program):
    return reverse("matching:my-match", kwargs={"org_slug": "org-a", "program_slug": program.slug})


def test_my_match_shows_the_other_person_and_why(client, cast, matched):
    program, _ = matched
    olga = set_card(
        cast.mentor1, cast.org_a, photo=True, job_title="Data lead", department="Platform", bio=BIO
    )
    set_card(cast.mentee1, cast.org_a, job_title="Analyst", department="Finance")
    client.force_login(cast.mentee1)
    html = main_of(client.get(my_match_page(program)))
    assert f'src="{olga.photo_url}"' in html and "Data lead · Platform" in html
    assert escape(BIO) in html
    assert "Analyst" not in html  # her own card is not the one shown
    assert "strong · 75%" in html and "good · 25%" in html
    assert "career goal" not in html and "hours apart" not in html
    assert not RAW_FIGURE.search(html), RAW_FIGURE.search(html)
    # The mentor sees the mentee's card, and the why said to him.
    client.force_login(cast.mentor1)
    html = main_of(client.get(my_match_page(program)))
    assert "Analyst · Finance" in html and "Data lead" not in html
    assert "You can teach both skills Mia Mentee wants to learn" in html
    assert not RAW_FIGURE.search(html)


def test_my_match_api_gives_the_partners_card(api_client, cast, matched):
    program, match = matched
    olga = set_card(cast.mentor1, cast.org_a, photo=True, job_title="Data lead")
    api_client.force_authenticate(cast.mentee1)
    url = f"/api/v1/orgs/org-a/programs/{program.slug}/matching/my-match/"
    (body,) = api_client.get(url).json()
    assert body["partner"]["card"]["job_title"] == "Data lead"
    assert body["partner"]["card"]["photo_url"] == f"http://testserver{olga.photo_url}"
    assert [e["key"] for e in body["explanations"]] == ["skills", "language"]


def test_the_run_review_shows_both_people_and_keeps_the_figures(client, cast, named):
    program = ProgramFactory(organization=cast.org_a, slug="review", status="active")
    run = MatchRunFactory(program=program, number=1)
    mentee = EnrollmentFactory(program=program, user=cast.mentee1)
    mentor = EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=2)
    pair = SuggestionFactory(run=run, mentee=mentee, mentor=mentor, score=SCORE, explanations=WHY)
    olga = set_card(cast.mentor1, cast.org_a, photo=True, job_title="Data lead", bio=BIO)
    set_card(cast.mentee1, cast.org_a, department="Finance")
    client.force_login(cast.admin)
    url = reverse(
        "matching:run", kwargs={"org_slug": "org-a", "program_slug": program.slug, "number": 1}
    )
    html = main_of(client.get(url))
    row = html[html.index(f'id="pair-{pair.pk}"') :]
    assert f'src="{olga.photo_url}"' in row and "Data lead" in row and "Finance" in row
    assert escape(BIO) in row  # folded under "About"
    # Admins keep every criterion and its figures.
    assert "+0.45" in row and "+0.00" in row and "Goal and industry fit" in row
    # The review's htmx answer (lock) shows the same people.
    response = client.post(
        reverse(
            "matching:suggestion-review",
            kwargs={"org_slug": "org-a", "program_slug": program.slug, "number": 1, "pk": pair.pk},
        ),
        {"action": "lock"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'src="{olga.photo_url}"' in response.content.decode()


def test_the_word_says_how_well_they_fit_on_each_criterion():
    # With the run's weights (normalised over the pair's criteria, as the engine does), the
    # word is the criterion's own score: skills 0.45 / 0.5 = 0.9, the language 0.15 / 0.25.
    weights = {"skills": 1.0, "language": 0.5, "goals": 0.5, "time_zone": 0.0}
    said = runs.for_participant(WHY, weights)
    assert said == [
        {
            "key": "skills",
            "label": "Skill overlap",
            "text": WHY[0]["text"],
            "percent": 75,
            "strength": "strong",
        },
        {
            "key": "language",
            "label": "Shared language",
            "text": WHY[1]["text"],
            "percent": 25,
            "strength": "good",
        },
    ]
    # Weights that don't cover the criteria (an older run): the word follows the share.
    assert [s["strength"] for s in runs.for_participant(WHY, {"skills": 1.0})] == [
        "strong",
        "good",
    ]
    low = [{**WHY[0], "contribution": 0.1}, {**WHY[1], "contribution": 0.1}, *WHY[2:]]
    assert [s["strength"] for s in runs.for_participant(low, weights)] == ["some", "good"]
    assert runs.fit_word(0.8) == "strong fit" and runs.fit_word(0.5) == "good fit"
    assert runs.fit_word(0.2) == "some fit" and runs.fit_word(None) == ""
    # Nothing that adds nothing, however it is stored.
    assert runs.contributing([{**WHY[0], "contribution": 0.004}, WHY[1]]) == [WHY[1]]


def test_a_first_matching_profile_starts_from_the_department_on_the_card(client, cast, named):
    """The department is typed once: the matching profile (which its department rules read)
    starts from the one on the organization profile."""
    program = ProgramFactory(organization=cast.org_a, slug="pilot", status="active")
    EnrollmentFactory(program=program, user=cast.mentee1)
    set_card(cast.mentee1, cast.org_a, department="Finance")
    client.force_login(cast.mentee1)
    url = reverse("matching:profile", kwargs={"org_slug": "org-a", "program_slug": program.slug})
    html = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="department"[^>]*value="Finance"', html)


def test_the_mentor_sees_who_asks_and_why_without_figures(client, cast, chooser):
    program, first, _ = chooser
    set_card(cast.mentee1, cast.org_a, job_title="Analyst", bio=BIO)
    with scopes_disabled():
        MentorRequest.objects.create(
            organization=cast.org_a,
            program=program,
            mentee=first.mentee,
            mentor=first.mentor,
            suggestion=first,
            message="Hello",
            expires_at=timezone.now() + timedelta(days=7),
        )
    client.force_login(cast.mentor1)
    url = reverse("matching:requests", kwargs={"org_slug": "org-a", "program_slug": program.slug})
    html = main_of(client.get(url))
    assert "Analyst" in html and escape(BIO) in html
    assert "Why you fit (good fit)" in html
    assert "Skill overlap (strong, 75% of the fit): You can teach both skills" in html
    assert "career goal" not in html and "hours apart" not in html
    assert not RAW_FIGURE.search(html), RAW_FIGURE.search(html)
