"""The matching app's audit actions read as sentences on the audit log page: each service that
records one is called here (criteria, profiles, runs and their review, matches and their
lifecycle, mentor requests), and its sentence, with its links, checked."""

import pytest
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from matching.models import Match, Suggestion
from matching.queries import settings_for
from matching.services import choice, runs, swap
from matching.services import criteria as criteria_services
from matching.services import matches as match_services
from matching.services import profiles as profile_services
from mentorship import audit
from mentorship.models import AuditLogEntry
from tests.audit_log import log, recorded_actions
from tests.factories import EnrollmentFactory, ProfileFactory, ProgramFactory
from tests.urls import program_urls

pytestmark = pytest.mark.django_db


url = program_urls("matching")


def enrol(program, user, name, role, k):
    user.name = name
    user.save(update_fields=["name"])
    enrollment = EnrollmentFactory(
        program=program, user=user, role=role, capacity=1 if role == "mentor" else None
    )
    ProfileFactory(
        enrollment=enrollment,
        skills={["python", "sql"][k]: 3},
        years_experience=3 if role == "mentee" else 10 + k,
    )
    return enrollment


@pytest.fixture
def ada(cast):
    cast.admin.name = "Ada Admin"
    cast.admin.save(update_fields=["name"])
    return cast


def pool(cast, **program):
    program = ProgramFactory(organization=cast.org_a, status="active", **program)
    return (
        program,
        [
            enrol(program, cast.mentee1, "Bea Mentee", "mentee", 0),
            enrol(program, cast.mentee2, "Cal Mentee", "mentee", 1),
        ],
        [
            enrol(program, cast.mentor1, "Tom Mentor", "mentor", 0),
            enrol(program, cast.mentor2, "Uma Mentor", "mentor", 1),
        ],
    )


def pairs(run):
    with scopes_disabled():
        return list(
            Suggestion.objects.filter(run=run, assigned=True)
            .select_related("mentee__user", "mentor__user")
            .order_by("mentee__user__name")
        )


def test_criteria_and_profiles_read_as_sentences(client, ada, no_fallbacks):
    cast = ada
    program, (bea, cal), _ = pool(cast, name="Career moves 2027", slug="career-moves")
    with scope(organization=cast.org_a):
        settings = settings_for(program)
        criteria_services.save_settings(
            program=program,
            actor=cast.admin,
            questions=settings.questions,
            weights=settings.weights,
            hard_rules=settings.hard_rules,
            career_goal_options=settings.career_goal_options,
        )
        where = criteria_services.create_custom_question(
            program=program,
            text="Where?",
            kind="single",
            options=["Office", "Home"],
            actor=cast.admin,
        )
        criteria_services.update_custom_question(
            question=where, text="Where do you work?", kind="single", options=["Office", "Remote"],
            actor=cast.admin,
        )  # fmt: skip
        gone = criteria_services.create_custom_question(
            program=program, text="Pets?", kind="multi", options=["Cats", "Dogs"], actor=cast.admin
        )
        criteria_services.delete_custom_question(question=gone, actor=cast.admin)
        profile_services.save_profile(enrollment=bea, actor=cast.mentee1, years_experience=5)
        profile_services.save_profile(
            enrollment=cal, actor=cast.admin, industry="Retail", city="Oslo"
        )
    got = log(client, cast)
    assert [plain for plain, _ in got] == [
        "Ada Admin saved the matching criteria of Career moves 2027.",
        "Ada Admin added the question “Where do you work?” to the matching criteria of Career "
        "moves 2027.",
        "Ada Admin edited the question “Where do you work?” of the matching criteria of Career "
        "moves 2027.",
        # Deleted since: the text it had, without its program (no longer known), no link.
        "Ada Admin added the question “Pets?” to the matching criteria.",
        "Ada Admin removed the question “Pets?” from the matching criteria.",
        "Bea Mentee updated their profile in Career moves 2027 (years of experience).",
        "Ada Admin updated the profile of Cal Mentee in Career moves 2027 (industry and city).",
    ]
    detail = reverse("programs:detail", args=[cast.org_a.slug, program.slug])
    assert got[0][1] == (
        f'Ada Admin saved the <a href="{url("criteria", program)}">matching criteria</a> of '
        f'<a href="{detail}">Career moves 2027</a>.'
    )
    assert f'<a href="{url("criteria", program)}">“Where do you work?”</a>' in got[1][1]
    assert "<a" not in got[4][1]
    assert got[6][1].startswith(
        f'Ada Admin updated the <a href="{url("profile-edit", program, pk=cal.pk)}">profile</a> '
    )
    assert recorded_actions(cast) == {
        "matching.settings_saved",
        "matching.custom_question_created",
        "matching.custom_question_updated",
        "matching.custom_question_deleted",
        "matching.profile_saved",
    }


def test_runs_and_matches_read_as_sentences(
    client, ada, no_fallbacks, django_capture_on_commit_callbacks
):
    cast = ada
    program, _, _ = pool(cast, name="Career moves 2027", slug="career-moves")
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(program=program, actor=cast.admin)
    run.refresh_from_db()
    first, second = pairs(run)
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        swap.swap_mentors(run=run, first=first.pk, second=second.pk, actor=cast.admin)
        swapped = pairs(run)
        runs.set_review(suggestion=swapped[0], locked=False, actor=cast.admin)
        runs.set_review(suggestion=swapped[1], rejected=True, actor=cast.admin)
        runs.set_review(suggestion=swapped[1], rejected=False, actor=cast.admin)
        runs.publish_run(run=run, actor=cast.admin)
    with scopes_disabled():
        bea_match, cal_match = Match.objects.select_related("mentee__user").order_by(
            "mentee__user__name"
        )
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        match_services.pause_match(match=bea_match, actor=cast.admin, reason="Holidays")
        match_services.resume_match(match=bea_match, actor=cast.admin)
        match_services.end_match(match=bea_match, actor=cast.admin, reason="Goals met")
        match_services.rematch(match=bea_match, actor=cast.admin)
        match_services.dissolve_match(match=cal_match, actor=cast.admin, reason="No chemistry")
    with scopes_disabled():
        score_change = AuditLogEntry.objects.get(action="match_run.swapped").data["score_change"]
    bea_mentor = swapped[0].mentor.user.name
    cal_mentor = swapped[1].mentor.user.name
    got = log(client, cast)
    assert [plain for plain, _ in got] == [
        "Ada Admin started run 1 of Career moves 2027.",
        f"Ada Admin swapped the mentors of two pairs in run 1 of Career moves 2027: now "
        f"{swapped[0].mentee.email} with {swapped[0].mentor.email} and {swapped[1].mentee.email} "
        f"with {swapped[1].mentor.email} (score {score_change:+.2f}).",
        f"Ada Admin cleared the review of the pair Bea Mentee with {bea_mentor} in run 1 of "
        "Career moves 2027.",
        f"Ada Admin rejected the pair Cal Mentee with {cal_mentor} in run 1 of Career moves 2027 "
        "(a re-run never proposes it).",
        f"Ada Admin cleared the review of the pair Cal Mentee with {cal_mentor} in run 1 of "
        "Career moves 2027.",
        "Ada Admin published run 1 of Career moves 2027 — 2 pairs made.",
        f"Ada Admin paused the match of Bea Mentee with {bea_mentor} in Career moves 2027: "
        "“Holidays”.",
        f"Ada Admin resumed the match of Bea Mentee with {bea_mentor} in Career moves 2027.",
        f"Ada Admin ended the match of Bea Mentee with {bea_mentor} in Career moves 2027: "
        "“Goals met”.",
        "Ada Admin started run 2 of Career moves 2027.",
        "Ada Admin started run 2 of Career moves 2027 to find Bea Mentee a new mentor.",
        f"Ada Admin dissolved the match of Cal Mentee with {cal_mentor} in Career moves 2027: "
        "“No chemistry”.",
    ]
    run_url = url("run", program, number=1)
    detail = reverse("programs:detail", args=[cast.org_a.slug, program.slug])
    assert got[5][1] == (
        f'Ada Admin published <a href="{run_url}">run 1</a> of <a href="{detail}">Career moves '
        "2027</a> — 2 pairs made."
    )
    assert f'the pair <a href="{run_url}">Bea Mentee with {bea_mentor}</a>' in got[2][1]
    assert f'the match of <a href="{url("matches", program)}">Bea Mentee' in got[6][1]
    assert recorded_actions(cast) == {
        "match_run.started",
        "match_run.swapped",
        "suggestion.reviewed",
        "match_run.published",
        "match.paused",
        "match.active",
        "match.ended",
        "match.rematch",
        "match.dissolved",
    }


def test_automatic_mode_publishes_as_the_system(
    client, ada, no_fallbacks, django_capture_on_commit_callbacks
):
    program, _, _ = pool(ada, name="Auto", slug="auto", matching_mode="automatic")
    with scope(organization=ada.org_a), django_capture_on_commit_callbacks(execute=True):
        runs.start_run(program=program, actor=ada.admin)
    assert [plain for plain, _ in log(client, ada)] == [
        "Ada Admin started run 1 of Auto.",
        "The system published run 1 of Auto — 2 pairs made.",
    ]


def test_mentor_requests_read_as_sentences(
    client, ada, no_fallbacks, django_capture_on_commit_callbacks
):
    cast = ada
    program, (bea, cal), (tom, uma) = pool(
        cast, name="Circle", slug="circle", matching_mode="mentee_chooses"
    )
    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(program=program, actor=cast.admin)
    run.refresh_from_db()

    def offer(mentee, mentor):
        with scopes_disabled():
            return Suggestion.objects.get(run=run, mentee=mentee, mentor=mentor)

    with scope(organization=cast.org_a), django_capture_on_commit_callbacks(execute=True):
        runs.publish_run(run=run, actor=cast.admin)
        asked = choice.request_mentor(
            suggestion=offer(bea, tom), mentee=bea, message="Hi", actor=cast.mentee1
        )
        choice.ask_more(mentor_request=asked, message="Why me?", actor=cast.mentor1)
        choice.answer(mentor_request=asked, message="Python", actor=cast.mentee1)
        choice.decline(mentor_request=asked, actor=cast.mentor1)
        taken = choice.request_mentor(
            suggestion=offer(bea, uma), mentee=bea, message="Hi", actor=cast.mentee1
        )
        choice.accept(mentor_request=taken, actor=cast.mentor2)
        left = choice.request_mentor(
            suggestion=offer(cal, tom), mentee=cal, message="Hi", actor=cast.mentee2
        )
        choice.withdraw(mentor_request=left, actor=cast.mentee2)
    got = log(client, cast)
    assert [plain for plain, _ in got] == [
        "Ada Admin started run 1 of Circle.",
        "Ada Admin opened run 1 of Circle to the mentees — 2 mentees can choose a mentor.",
        "Bea Mentee asked Tom Mentor to be their mentor in Circle.",
        "Tom Mentor asked Bea Mentee for more about their request in Circle.",
        "Bea Mentee answered the question Tom Mentor asked about their request in Circle.",
        "Tom Mentor declined the request of Bea Mentee in Circle.",
        "Bea Mentee asked Uma Mentor to be their mentor in Circle.",
        "Uma Mentor accepted the request of Bea Mentee in Circle; they are now a pair.",
        "Cal Mentee asked Tom Mentor to be their mentor in Circle.",
        "Cal Mentee withdrew their request to Tom Mentor in Circle.",
    ]
    # A request is its two people's own: the program is linked, the request is not.
    detail = reverse("programs:detail", args=[cast.org_a.slug, program.slug])
    assert got[2][1] == (
        f'Bea Mentee asked Tom Mentor to be their mentor in <a href="{detail}">Circle</a>.'
    )
    assert {a for a in recorded_actions(cast) if a.startswith("mentor_request.")} == {
        f"mentor_request.{verb}"
        for verb in ("created", "more_info", "answered", "declined", "accepted", "withdrawn")
    }


def test_every_action_recorded_above_is_described():
    """The matching app's services record these (the tests above perform each one)."""
    actions = [
        *("matching.settings_saved", "matching.profile_saved"),
        *(f"matching.custom_question_{verb}" for verb in ("created", "updated", "deleted")),
        *("match_run.started", "match_run.published", "match_run.swapped"),
        "suggestion.reviewed",
        *(f"match.{s}" for s in ("paused", "active", "ended", "dissolved", "rematch")),
        *(
            f"mentor_request.{verb}"
            for verb in ("created", "withdrawn", "answered", "more_info", "declined", "accepted")
        ),
    ]
    assert [a for a in actions if not audit.is_described(a)] == []
