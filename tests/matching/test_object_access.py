"""The object-access layer of matching (``matching.queries.get_<thing>_for_member``): what each
member gets for each object a URL names, and who may request which mentor. Another
organization's object, one of a program the member may not see, and someone else's private
object (a profile, a suggestion to a mentee, a request) are 404; a participant asking for what
admins and HR read (runs and their pairs) is 403."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from rest_framework.test import APIClient

from matching import queries
from matching.models import Match, MentorRequest, Profile
from mentorship.models import Membership
from programs.models import Enrollment, Program
from tests.factories import (
    CustomQuestionFactory,
    EnrollmentFactory,
    MatchFactory,
    MatchRunFactory,
    ProfileFactory,
    ProgramFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def member(cast, user):
    if user == cast.outsider:
        with scopes_disabled():
            return Membership.objects.get(user=user)
    return cast.membership[user.pk]


def get(cast, helper, user, *args, **kwargs):
    membership = member(cast, user)
    with scope(organization=membership.organization):
        return helper(membership, *args, **kwargs)


def refused(cast, error, helper, user, *args, **kwargs):
    with pytest.raises(error):
        get(cast, helper, user, *args, **kwargs)


@pytest.fixture
def pilot(cast):
    """Org A's "pilot": mentee 1 matched with mentor 1 (run 1's pair), mentee 2 unmatched, a
    custom question and mentee 1's profile; mentor 2 takes part in nothing. Org B's "pilot-b"
    has one of each too."""
    made = {}
    for org, slug in ((cast.org_a, "pilot"), (cast.org_b, "pilot-b")):
        program = ProgramFactory(organization=org, slug=slug, status="active")
        run = MatchRunFactory(program=program, number=1)
        mentee = EnrollmentFactory(program=program)
        mentor = EnrollmentFactory(program=program, role="mentor")
        made[org.slug] = SimpleNamespace(
            program=program,
            run=run,
            mentee=mentee,
            mentor=mentor,
            suggestion=SuggestionFactory(run=run, mentee=mentee, mentor=mentor),
            match=MatchFactory(program=program, mentee=mentee, mentor=mentor),
            question=CustomQuestionFactory(program=program),
            profile=ProfileFactory(enrollment=mentee),
        )
    a = made["org-a"]
    with scopes_disabled():  # org A's pair are mentee 1 and mentor 1
        for enrollment, user in ((a.mentee, cast.mentee1), (a.mentor, cast.mentor1)):
            enrollment.user, enrollment.email = user, user.email
            enrollment.save()
    a.other = EnrollmentFactory(program=a.program, user=cast.mentee2)
    return made


# --- Runs and their pairs: admins and HR --------------------------------------------------------


def test_runs_and_suggestions_for_admins_and_hr(cast, pilot):
    a = pilot["org-a"]
    for user in (cast.admin, cast.hr):
        run = get(cast, queries.get_run_for_member, user, "pilot", 1)
        assert (run.pk, run.program.slug) == (a.run.pk, "pilot")
        pair = get(cast, queries.get_suggestion_for_member, user, "pilot", 1, a.suggestion.pk)
        assert (pair.pk, pair.run.pk, pair.mentee.user_id) == (
            a.suggestion.pk,
            a.run.pk,
            cast.mentee1.pk,
        )


def test_runs_and_suggestions_are_403_to_participants_404_to_others(cast, pilot):
    a, b = pilot["org-a"], pilot["org-b"]
    run, pair = queries.get_run_for_member, queries.get_suggestion_for_member
    refused(cast, PermissionDenied, run, cast.mentee1, "pilot", 1)  # takes part: sees the program
    refused(cast, PermissionDenied, pair, cast.mentee1, "pilot", 1, a.suggestion.pk)
    refused(cast, Http404, run, cast.mentor2, "pilot", 1)  # the program is hidden from them
    refused(cast, Http404, pair, cast.mentor2, "pilot", 1, a.suggestion.pk)
    refused(cast, Http404, run, cast.outsider, "pilot", 1)
    refused(cast, Http404, pair, cast.outsider, "pilot-b", 1, a.suggestion.pk)
    refused(cast, Http404, pair, cast.admin, "pilot", 1, b.suggestion.pk)
    refused(cast, Http404, run, cast.admin, "pilot", 2)
    refused(cast, Http404, pair, cast.admin, "pilot", 1, "abc")


# --- Published matches ----------------------------------------------------------------------------


def test_a_match_for_admins_hr_and_its_two_people(cast, pilot):
    a = pilot["org-a"]
    for user in (cast.admin, cast.hr, cast.mentee1, cast.mentor1):
        match = get(cast, queries.get_match_for_member, user, "pilot", a.match.pk)
        assert (match.pk, match.program.slug) == (a.match.pk, "pilot")


def test_a_match_is_404_to_anyone_else(cast, pilot):
    a, b = pilot["org-a"], pilot["org-b"]
    helper = queries.get_match_for_member
    refused(
        cast, Http404, helper, cast.mentee2, "pilot", a.match.pk
    )  # in the program, not the pair
    refused(cast, Http404, helper, cast.mentor2, "pilot", a.match.pk)
    refused(cast, Http404, helper, cast.outsider, "pilot", a.match.pk)
    refused(cast, Http404, helper, cast.outsider, "pilot-b", a.match.pk)
    refused(cast, Http404, helper, cast.admin, "pilot", b.match.pk)


# --- Custom questions: participants answer them ---------------------------------------------------


def test_a_custom_question_for_whoever_sees_the_program(cast, pilot):
    a, b = pilot["org-a"], pilot["org-b"]
    helper = queries.get_question_for_member
    for user in (cast.admin, cast.hr, cast.mentee1):
        assert get(cast, helper, user, "pilot", a.question.pk).pk == a.question.pk
    refused(cast, Http404, helper, cast.mentor2, "pilot", a.question.pk)
    refused(cast, Http404, helper, cast.outsider, "pilot-b", a.question.pk)
    refused(cast, Http404, helper, cast.admin, "pilot", b.question.pk)


# --- Profiles -------------------------------------------------------------------------------------


def test_own_profile_saved_or_blank(cast, pilot):
    a = pilot["org-a"]
    mine = get(cast, queries.get_profile_for_member, cast.mentee1, "pilot")
    assert (mine.pk, mine.enrollment.pk) == (a.profile.pk, a.mentee.pk)
    blank = get(cast, queries.get_profile_for_member, cast.mentee2, "pilot")
    assert isinstance(blank, Profile)
    assert (blank.pk, blank.enrollment.pk) == (None, a.other.pk)
    refused(cast, Http404, queries.get_profile_for_member, cast.mentor2, "pilot")
    refused(cast, Http404, queries.get_profile_for_member, cast.outsider, "pilot")


def test_a_participants_profile_by_enrolment(cast, pilot):
    a, b = pilot["org-a"], pilot["org-b"]
    helper = queries.get_profile_for_member
    for user in (cast.admin, cast.hr):
        profile = get(cast, helper, user, "pilot", a.mentee.pk)
        assert (profile.pk, profile.enrollment.program.slug) == (a.profile.pk, "pilot")
        assert get(cast, helper, user, "pilot", a.other.pk).enrollment.pk == a.other.pk
    assert get(cast, helper, cast.mentee1, "pilot", a.mentee.pk).pk == a.profile.pk
    refused(cast, Http404, helper, cast.mentee1, "pilot", a.other.pk)  # someone else's
    refused(cast, Http404, helper, cast.mentor2, "pilot", a.mentee.pk)
    refused(cast, Http404, helper, cast.outsider, "pilot-b", a.mentee.pk)
    refused(cast, Http404, helper, cast.admin, "pilot", b.mentee.pk)
    refused(cast, Http404, helper, cast.admin, "pilot", "abc")
    with scopes_disabled():
        a.other.status = "withdrawn"
        a.other.save()
    refused(cast, Http404, helper, cast.admin, "pilot", a.other.pk)  # not in the pool


# --- Mentee chooses: suggestions and requests, private to the two people ----------------------


def ask(program, mentee, mentor, *, status="pending", suggestion=None):
    with scopes_disabled():
        return MentorRequest.objects.create(
            organization=program.organization,
            program=program,
            mentee=mentee,
            mentor=mentor,
            suggestion=suggestion,
            status=status,
            message="Hello",
            expires_at=timezone.now() + timedelta(days=7),
        )


@pytest.fixture
def circle(cast):
    """Org A's "circle" (mentee chooses): run 1 published for choosing suggests mentors 1 and
    2 to mentee 1 (mentor 1 capacity 1, mentor 2 capacity 2); mentee 1 asked mentor 1; mentee
    2 takes part without suggestions. Org B has a request of its own."""
    program = ProgramFactory(
        organization=cast.org_a, slug="circle", status="active", matching_mode="mentee_chooses"
    )
    run = MatchRunFactory(program=program, number=1, status="published", for_choosing=True)
    c = SimpleNamespace(program=program, run=run)
    c.mentee = EnrollmentFactory(program=program, user=cast.mentee1)
    c.other = EnrollmentFactory(program=program, user=cast.mentee2)
    c.mentor = EnrollmentFactory(program=program, user=cast.mentor1, role="mentor", capacity=1)
    c.mentor2 = EnrollmentFactory(program=program, user=cast.mentor2, role="mentor", capacity=2)
    c.first = SuggestionFactory(run=run, mentee=c.mentee, mentor=c.mentor, score=0.9)
    c.second = SuggestionFactory(run=run, mentee=c.mentee, mentor=c.mentor2, score=0.7)
    c.request = ask(program, c.mentee, c.mentor, suggestion=c.first)
    b_program = ProgramFactory(organization=cast.org_b, slug="circle-b")
    c.b_request = ask(
        b_program,
        EnrollmentFactory(program=b_program),
        EnrollmentFactory(program=b_program, role="mentor"),
    )
    return c


def test_a_suggested_mentor_only_for_the_mentee_it_was_made_for(cast, circle):
    helper = queries.get_own_suggestion_for_member
    found = get(cast, helper, cast.mentee1, "circle", circle.first.pk)
    assert (found.pk, found.mentee.pk) == (circle.first.pk, circle.mentee.pk)
    refused(cast, Http404, helper, cast.mentee2, "circle", circle.first.pk)
    refused(cast, Http404, helper, cast.mentor1, "circle", circle.first.pk)
    refused(cast, Http404, helper, cast.admin, "circle", circle.first.pk)  # even an admin
    refused(cast, Http404, helper, cast.outsider, "circle", circle.first.pk)
    refused(cast, Http404, helper, cast.mentee1, "circle", "abc")


def test_a_request_for_its_mentee_and_its_mentor_each_from_their_side(cast, circle):
    helper, pk = queries.get_mentor_request_for_member, circle.request.pk
    assert get(cast, helper, cast.mentee1, "circle", pk, side="mentee").pk == pk
    assert get(cast, helper, cast.mentor1, "circle", pk, side="mentor").pk == pk
    refused(cast, Http404, helper, cast.mentee1, "circle", pk, side="mentor")
    refused(cast, Http404, helper, cast.mentor1, "circle", pk, side="mentee")
    refused(cast, Http404, helper, cast.mentor2, "circle", pk, side="mentor")  # another mentor
    refused(cast, Http404, helper, cast.mentee2, "circle", pk, side="mentee")  # another mentee
    refused(cast, Http404, helper, cast.admin, "circle", pk, side="mentee")
    refused(cast, Http404, helper, cast.outsider, "circle", pk, side="mentee")
    refused(cast, Http404, helper, cast.mentee1, "circle", circle.b_request.pk, side="mentee")
    refused(cast, Http404, helper, cast.mentee1, "circle", "abc", side="mentee")


def choices(cast, circle):
    with scope(organization=cast.org_a):
        got = queries.mentee_choices(
            queries.own_enrollment(member(cast, cast.mentee1), circle.program)
        )
    return got, {s.mentor_id: s for s in got.suggestions}


def test_with_an_open_request_no_other_mentor_is_requestable(cast, circle):
    got, by_mentor = choices(cast, circle)
    assert got.open_request.pk == circle.request.pk
    assert got.match is None
    assert [(s.mentor_id, s.requestable) for s in got.suggestions] == [
        (circle.mentor.pk, False),
        (circle.mentor2.pk, False),
    ]
    assert by_mentor[circle.mentor2.pk].refusal == (
        "You have an open request already; withdraw it or wait for the answer first."
    )


def test_requestable_follows_the_services_rules(cast, circle):
    """Declined, full and available mentors; then a closed program and an applied mentee, which
    the page used to offer although the service refuses them."""
    with scopes_disabled():
        MentorRequest.objects.filter(pk=circle.request.pk).update(status="declined")
        MatchFactory(program=circle.program, mentor=circle.mentor2)  # one of two seats taken
    _, by_mentor = choices(cast, circle)
    declined, free = by_mentor[circle.mentor.pk], by_mentor[circle.mentor2.pk]
    assert (declined.declined, declined.requestable) == (True, False)
    assert (free.seats_left, free.requestable, free.refusal) == (1, True, None)
    with scopes_disabled():
        MatchFactory(program=circle.program, mentor=circle.mentor2)  # now full
    _, by_mentor = choices(cast, circle)
    full = by_mentor[circle.mentor2.pk]
    assert (full.seats_left, full.requestable) == (0, False)
    assert (
        full.refusal == f"{circle.mentor2.display_name} has no place left; choose another mentor."
    )
    with scopes_disabled():
        Match.objects.filter(mentor=circle.mentor2).delete()
        Program.objects.filter(pk=circle.program.pk).update(status="closed")
    _, by_mentor = choices(cast, circle)
    assert by_mentor[circle.mentor2.pk].refusal == "This program is closed; its data is read-only."
    with scopes_disabled():
        Program.objects.filter(pk=circle.program.pk).update(status="active")
        Enrollment.objects.filter(pk=circle.mentee.pk).update(status="applied")
    _, by_mentor = choices(cast, circle)
    assert by_mentor[circle.mentor2.pk].requestable is False


def test_the_page_offers_only_what_the_service_accepts(cast, circle, client):
    with scopes_disabled():
        MentorRequest.objects.filter(pk=circle.request.pk).update(status="withdrawn")
    client.force_login(cast.mentee1)
    url = reverse("matching:suggestions", args=["org-a", "circle"])
    button = f"Request {circle.mentor2.display_name}</button>"
    assert button in client.get(url).content.decode()
    with scopes_disabled():
        Enrollment.objects.filter(pk=circle.mentee.pk).update(status="applied")
    html = client.get(url).content.decode()
    assert 'id="suggestions"' in html
    assert button not in html


def test_api_details_use_the_same_helpers(cast, circle):
    client = APIClient()
    client.force_authenticate(cast.mentor1)
    base = "/api/v1/orgs/org-a/programs/circle/matching"
    response = client.get(f"{base}/requests/{circle.request.pk}/")
    assert (response.status_code, response.json()["id"]) == (200, circle.request.pk)
    assert client.get(f"{base}/my-requests/{circle.request.pk}/").status_code == 404
    assert client.get(f"{base}/requests/abc/").status_code == 404
    assert client.get(f"{base}/my-suggestions/abc/").status_code == 404
