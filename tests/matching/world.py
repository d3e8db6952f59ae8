"""Matching's part of the world, in each organization's "pilot" (``w.pilots``): matching
settings, a profile (of the waiting application) and a custom question; run 1 published (its
assigned pair became a match), a paused and a dissolved match, run 2 done with two assigned
pairs that can swap mentors and the pool's current fingerprint. And a "circle" run by mentee
choice, in which org A's admin and HR are mentees and the member their mentor: the admin has a
suggestion to request, HR a request to the member waiting for HR's answer.

The people of the runs are not in the cast's roles, so that joining the pilot (programs:join)
still works for the cast."""

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from matching import hooks
from matching.models import MentorRequest, MentorRequestMessage
from matching.services import runs
from matching.services.criteria import ensure_settings
from programs.models import Enrollment, Program
from tests.factories import (
    CustomQuestionFactory,
    EnrollmentFactory,
    MatchFactory,
    MatchRunFactory,
    MembershipFactory,
    ProfileFactory,
    ProgramFactory,
    SuggestionFactory,
    UserFactory,
)
from tests.programs.world import STARTED

RUN_PEOPLE = (
    "run-mentee",
    "run-mentor",
    "matched-mentee",
    "paused-mentee",
    "dissolved-mentee",
    "rematch-mentor",
    "swap-mentee",
    "swap-mentor",
)


def build(w):
    for program in w.pilots:
        with scope(organization=program.organization):
            ensure_settings(program)
    profiles = tuple(ProfileFactory(enrollment=e).enrollment_id for e in w.applications)
    custom_questions = tuple(CustomQuestionFactory(program=p).pk for p in w.pilots)
    runs_world = [_runs(w.pilots[0], 1, "a.example"), _runs(w.pilots[1], 7, "b.example")]
    circles = _circles(w)
    live = _live_pairs(w)
    return {
        "live_match": live,
        "profile": profiles,
        "custom_question": custom_questions,
        "enrolled_program_slug": tuple(c.slug for c in circles),
        **{kind: tuple(r[kind] for r in runs_world) for kind in runs_world[0]},
        **_mentee_choice(w, circles),
    }


def _runs(program, first, domain):
    """Org B's runs have their own numbers (7 and 8), so that org A's URL with org B's number
    must be "not found"."""
    people = {
        name: MembershipFactory(
            organization=program.organization, user=UserFactory(email=f"{name}@{domain}")
        ).user
        for name in RUN_PEOPLE
    }
    mentee = EnrollmentFactory(program=program, user=people["run-mentee"])
    mentor = EnrollmentFactory(
        program=program, user=people["run-mentor"], role="mentor", capacity=2
    )
    matched = EnrollmentFactory(program=program, user=people["matched-mentee"])
    published = MatchRunFactory(
        program=program, number=first, status="published", published_at=timezone.now()
    )
    SuggestionFactory(run=published, mentee=matched, mentor=mentor)
    match = MatchFactory(program=program, run=published, mentee=matched, mentor=mentor)
    # Rematching: a paused match and a dissolved one, with their own mentor.
    other_mentor = EnrollmentFactory(
        program=program, user=people["rematch-mentor"], role="mentor", capacity=2
    )
    paused = MatchFactory(
        program=program,
        mentee=EnrollmentFactory(program=program, user=people["paused-mentee"]),
        mentor=other_mentor,
        status="paused",
    )
    dissolved = MatchFactory(
        program=program,
        mentee=EnrollmentFactory(program=program, user=people["dissolved-mentee"]),
        mentor=other_mentor,
        status="dissolved",
        ended_at=timezone.now(),
        end_reason="Never met",
    )
    swap_mentee = EnrollmentFactory(program=program, user=people["swap-mentee"])
    swap_mentor = EnrollmentFactory(program=program, user=people["swap-mentor"], role="mentor")
    with scope(organization=program.organization):
        fingerprint = runs.pool_fingerprint(program)
    done = MatchRunFactory(
        program=program, number=first + 1, based_on=published, pool_fingerprint=fingerprint
    )
    suggestion = SuggestionFactory(run=done, mentee=mentee, mentor=mentor)
    # A second proposed pair of run 2, so that the two can swap mentors.
    swap = SuggestionFactory(run=done, mentee=swap_mentee, mentor=swap_mentor)
    return {
        "run_number": done.number,
        "suggestion": suggestion.pk,
        "swap_pairs": (suggestion.pk, swap.pk),
        "match": match.pk,
        "paused_match": paused.pk,
        "dissolved_match": dissolved.pk,
    }


def _circles(w):
    cast = w.cast
    circles = (
        ProgramFactory(organization=cast.org_a, slug="circle", name="Circle A", **STARTED),
        ProgramFactory(organization=cast.org_b, slug="circle-b", name="Circle B", **STARTED),
    )
    for user, role in ((cast.admin, "mentee"), (cast.hr, "mentee"), (cast.member, "mentor")):
        EnrollmentFactory(program=circles[0], user=user, role=role)
    EnrollmentFactory(program=circles[1], user=w.org_b_member.user)
    return circles


def _mentee_choice(w, circles):
    """In each circle, a run published for choosing. Org B: the same kinds of objects for its
    member (both the mentee with a suggestion and the one with a request)."""
    cast = w.cast
    b_mentor = MembershipFactory(
        organization=cast.org_b, user=UserFactory(email="circle-mentor@b.example")
    ).user
    EnrollmentFactory(program=circles[1], user=b_mentor, role="mentor", capacity=2)
    suggestions, requests = [], []
    with scopes_disabled():
        for circle, mentee_user, request_user, mentor_user in (
            (circles[0], cast.admin, cast.hr, cast.member),
            (circles[1], w.org_b_member.user, w.org_b_member.user, b_mentor),
        ):
            Program.objects.filter(pk=circle.pk).update(matching_mode="mentee_chooses")
            mine = {e.user_id: e for e in Enrollment.objects.filter(program=circle)}
            run = MatchRunFactory(
                program=circle, number=1, status="published", for_choosing=True,
                published_at=timezone.now(),
            )  # fmt: skip
            mentor = mine[mentor_user.pk]
            suggestions.append(
                SuggestionFactory(run=run, mentee=mine[mentee_user.pk], mentor=mentor).pk
            )
            asked = (
                SuggestionFactory(run=run, mentee=mine[request_user.pk], mentor=mentor)
                if request_user != mentee_user
                else None
            )
            mentor_request = MentorRequest.objects.create(
                organization=circle.organization, program=circle,
                mentee=mine[request_user.pk], mentor=mentor, suggestion=asked,
                status="more_info", mentor_reply="Why me?",
                expires_at=timezone.now() + timezone.timedelta(days=7),
            )  # fmt: skip
            MentorRequestMessage.objects.create(
                organization=circle.organization, request=mentor_request, author="mentor",
                body="Why me?",
            )  # fmt: skip
            requests.append(mentor_request.pk)
    return {"choice_suggestion": tuple(suggestions), "mentor_request": tuple(requests)}


def _live_pairs(w):
    """In each organization's "duo" program, a live pair whose mentor is the cast's member (org
    B: its member), started through matching's hook so that the apps above give it what a new
    match gets (its roadmap, its room). Sets ``w.live_matches`` for the parts that follow."""
    cast = w.cast
    matches = []
    for organization, mentor_user, slug in (
        (cast.org_a, cast.member, "duo"),
        (cast.org_b, w.org_b_member.user, "duo-b"),
    ):
        program = ProgramFactory(organization=organization, slug=slug, name="Duo", **STARTED)
        mentee_user = MembershipFactory(
            organization=organization, user=UserFactory(email=f"duo-mentee@{slug}.example")
        ).user
        match = MatchFactory(
            program=program,
            mentor=EnrollmentFactory(program=program, user=mentor_user, role="mentor"),
            mentee=EnrollmentFactory(program=program, user=mentee_user),
        )
        ProfileFactory(enrollment=match.mentee)
        with scope(organization=organization):
            hooks.matches_started.send(matches=[match], actor=None)
        matches.append(match)
    w.live_matches = tuple(matches)
    return tuple(m.pk for m in matches)
