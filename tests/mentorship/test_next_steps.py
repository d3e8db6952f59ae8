"""“What's next” on the organization's home: the steps each role and state sees."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_scopes import scopes_disabled

from matching.models import MentorRequest
from tests.factories import (
    EnrollmentFactory,
    MatchFactory,
    MatchRunFactory,
    ProfileFactory,
    ProgramFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def next_steps(client, user):
    client.force_login(user)
    response = client.get(reverse("org:home", args=["org-a"]))
    assert response.status_code == 200
    return [(s.text, s.action, s.urgent) for s in response.context["next_steps"]]


def enrol(program, user, role="mentee", *, profile=True):
    e = EnrollmentFactory(program=program, user=user, role=role, status="active")
    if profile:
        ProfileFactory(enrollment=e)
    return e


def test_an_admin_without_programs_is_told_to_create_one(client, cast):
    assert next_steps(client, cast.admin) == [
        (
            "Create your first program from a template; then enrol its mentors and mentees.",
            "Create a program",
            False,
        )
    ]


def test_an_admin_hears_about_applications_empty_programs_and_runs_to_review(client, cast):
    applied = ProgramFactory(organization=cast.org_a, name="Applied", status="active")
    EnrollmentFactory(program=applied, status="applied", email="x@a.example")
    EnrollmentFactory(program=applied, status="applied", email="y@a.example")
    ProgramFactory(organization=cast.org_a, name="Empty")
    ready = ProgramFactory(organization=cast.org_a, name="Ready", status="active")
    enrol(ready, cast.mentee1)
    MatchRunFactory(program=ready, status="done")
    steps = next_steps(client, cast.admin)
    assert steps[:2] == [
        ("2 people applied to Applied: accept or decline.", "Answer them", True),
        (
            "A matching run of Ready is ready: review its pairs and publish them.",
            "Review runs",
            True,
        ),
    ]
    assert (
        "Nobody is in Empty yet: invite mentors and mentees, import a CSV, or share its join link.",
        "Add participants",
        False,
    ) in steps
    html = client.get(reverse("org:home", args=["org-a"])).content.decode()
    assert f"/programs/{applied.slug}/enrollments/?status=applied" in html
    assert "Waiting on you" in html


def test_hr_is_told_what_it_can_follow(client, cast):
    ProgramFactory(organization=cast.org_a)
    assert next_steps(client, cast.hr) == [
        (
            "Follow how 1 program is doing: who takes part, and how matching went.",
            "See the programs",
            False,
        )
    ]


def test_a_participant_without_a_profile_fills_it_in_first(client, cast):
    program = ProgramFactory(organization=cast.org_a, name="Pilot", status="active")
    enrol(program, cast.mentee1, profile=False)
    ((text, action, urgent),) = next_steps(client, cast.mentee1)
    assert text.startswith(
        "Tell us about yourself for Pilot, so that we can find you a good mentor"
    )
    assert (action, urgent) == ("Fill in your profile", True)


def test_matched_people_see_their_match_by_name(client, cast):
    program = ProgramFactory(organization=cast.org_a, name="Pilot", status="active")
    cast.mentor1.name = "Maya <i>Mentor</i>"
    cast.mentor1.save()
    mentor = enrol(program, cast.mentor1, "mentor")
    mentee = enrol(program, cast.mentee1)
    MatchFactory(program=program, mentor=mentor, mentee=mentee)
    assert next_steps(client, cast.mentee1) == [
        ("You are matched with Maya <i>Mentor</i> in Pilot.", "See my match", False)
    ]
    assert next_steps(client, cast.mentor1) == [
        (f"You mentor {mentee.display_name} in Pilot.", "My mentees", False)
    ]
    html = client.get(reverse("org:home", args=["org-a"])).content.decode()
    assert escape(mentee.display_name) in html
    client.force_login(cast.mentee1)
    html = client.get(reverse("org:home", args=["org-a"])).content.decode()
    assert "Maya &lt;i&gt;Mentor&lt;/i&gt;" in html


def test_an_unmatched_participant_in_an_admin_matched_program_waits(client, cast):
    program = ProgramFactory(organization=cast.org_a, name="Pilot", status="active")
    enrol(program, cast.mentee1)
    ((text, _, urgent),) = next_steps(client, cast.mentee1)
    assert "The program team matches mentors and mentees; we'll email you" in text
    assert urgent is False


def test_mentee_chooses_steps_follow_the_request(client, cast):
    program = ProgramFactory(
        organization=cast.org_a, name="Pick", status="active", matching_mode="mentee_chooses"
    )
    mentee = enrol(program, cast.mentee1)
    mentor = enrol(program, cast.mentor1, "mentor")
    ((text, _, _),) = next_steps(client, cast.mentee1)
    assert "Your suggested mentors appear here once the program team publishes them" in text
    run = MatchRunFactory(program=program, status="published", for_choosing=True)
    assert next_steps(client, cast.mentee1) == [
        ("Choose your mentor for Pick from the ones who fit you best.",
         "See my suggested mentors", True)
    ]  # fmt: skip
    suggestion = SuggestionFactory(run=run, mentee=mentee, mentor=mentor)
    with scopes_disabled():
        request = MentorRequest.objects.create(
            organization=cast.org_a, program=program, mentee=mentee, mentor=mentor,
            suggestion=suggestion, expires_at=timezone.now() + timedelta(days=7),
        )  # fmt: skip
    name = mentor.display_name
    assert next_steps(client, cast.mentee1)[0][0] == (
        f"Your request to {name} in Pick is waiting for their answer; we'll email you."
    )
    assert next_steps(client, cast.mentor1) == [
        (
            "1 mentee in Pick asked you to mentor them: accept, decline, or ask something first.",
            "Answer requests",
            True,
        ),
        ("Your profile for Pick is ready. The program team matches mentors and mentees; "
         "we'll email you when you have a mentee.", "Review your profile", False),
    ]  # fmt: skip
    with scopes_disabled():
        MentorRequest.objects.filter(pk=request.pk).update(status="more_info")
    assert next_steps(client, cast.mentee1) == [
        (f"{name} asked you something about your request in Pick.", "Answer", True)
    ]


def test_the_home_runs_a_fixed_number_of_queries(client, cast):
    def count():
        client.force_login(cast.admin)
        # A second visit: the first fills what pages keep in the cache.
        client.get(reverse("org:home", args=["org-a"]))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("org:home", args=["org-a"])).status_code == 200
        return len(queries)

    def add_program(i):
        program = ProgramFactory(organization=cast.org_a, name=f"P{i}", status="active")
        mentor = enrol(program, cast.admin, "mentor")
        mentee = enrol(program, cast.mentee1 if i % 2 else cast.mentee2)
        MatchFactory(program=program, mentor=mentor, mentee=mentee)
        EnrollmentFactory(program=program, status="applied", email=f"x{i}@a.example")
        MatchRunFactory(program=program, status="done")

    add_program(0)
    one = count()
    for i in range(1, 6):
        add_program(i)
    assert count() == one
