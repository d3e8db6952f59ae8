"""The world the security harness and the API fuzzer walk: the cast plus an object of each kind
in both organizations (``world.objects[kind] == (org A's, org B's)``)."""

from types import SimpleNamespace

from django.utils import timezone
from django_scopes import scope, scopes_disabled

from matching.models import MentorRequest
from matching.services import runs
from mentorship import audit, services
from mentorship.models import Membership
from programs import services as program_services
from programs.models import Enrollment, Program
from tests.factories import (
    CohortFactory,
    CustomQuestionFactory,
    EnrollmentFactory,
    IndicatorFactory,
    InvitationFactory,
    LogicModelItemFactory,
    MatchFactory,
    MatchRunFactory,
    MembershipFactory,
    ProfileFactory,
    ProgramFactory,
    SuggestionFactory,
    UserFactory,
    image_upload,
)


def build_world(cast):
    w = SimpleNamespace(cast=cast)
    org_b_member = MembershipFactory(organization=cast.org_b, user=UserFactory(email="m@b.example"))
    with scope(organization=cast.org_a):
        a_entry = audit.record(organization=cast.org_a, actor=cast.admin, action="test.a")
    with scope(organization=cast.org_b):
        b_entry = audit.record(organization=cast.org_b, actor=cast.outsider, action="test.b")
    a_invitation = InvitationFactory(organization=cast.org_a, email="invitee@example.com")
    b_invitation = InvitationFactory(organization=cast.org_b, email="invitee@example.com")
    own_token, _ = services.create_api_token(user=cast.member, name="mine")
    with scopes_disabled():
        w.user_ids = set(
            Membership.objects.filter(organization__in=[cast.org_a, cast.org_b]).values_list(
                "user_id", flat=True
            )
        )
    foreign_token, _ = services.create_api_token(user=cast.outsider, name="theirs")
    # Programs: an active one and a draft per organization. Org B's have their own slugs, so
    # that org A's URL with org B's slug must be "not found".
    started = {"status": "active", "start_date": "2027-01-04"}
    a_program = ProgramFactory(organization=cast.org_a, slug="pilot", name="Pilot A", **started)
    b_program = ProgramFactory(organization=cast.org_b, slug="pilot-b", name="Pilot B", **started)
    w.programs = (a_program, b_program)
    for program in w.programs:
        with scope(organization=program.organization):
            program_services.save_agreement_template(
                program=program, body="We agree.", actor=None, audit_it=False
            )
    a_draft = ProgramFactory(organization=cast.org_a, slug="draft", name="Draft A")
    b_draft = ProgramFactory(organization=cast.org_b, slug="draft-b", name="Draft B")
    a_cohort = CohortFactory(program=a_program, name="Spring")
    b_cohort = CohortFactory(program=b_program, name="Spring")
    # Enrolment: an application waiting in each pilot, whose join link is on.
    a_enrollment = EnrollmentFactory(program=a_program, user=cast.mentee2, status="applied")
    b_enrollment = EnrollmentFactory(program=b_program, user=org_b_member.user, status="applied")
    with scopes_disabled():
        Program.objects.filter(pk__in=[a_program.pk, b_program.pk]).update(join_link_enabled=True)
        a_program.refresh_from_db()
        b_program.refresh_from_db()
    # Logic model: two outcomes and two indicators per pilot (the first of each is the one
    # the routes name, so moving it down really moves it).
    logic_items, indicators = [], []
    for program in (a_program, b_program):
        first = LogicModelItemFactory(program=program, kind="outcome", title="Outcome 1")
        LogicModelItemFactory(program=program, kind="outcome", title="Outcome 2", position=1)
        logic_items.append(first.pk)
        indicators.append(IndicatorFactory(program=program, outcome=first, title="First").pk)
        IndicatorFactory(program=program, outcome=first, title="Second", position=1)
    # Matching: a profile (by enrolment id) and a custom question in each pilot; a "circle"
    # per organization in which the cast's admin, HR and member (org A) take part.
    profiles = (
        ProfileFactory(enrollment=a_enrollment).enrollment_id,
        ProfileFactory(enrollment=b_enrollment).enrollment_id,
    )
    custom_questions = tuple(CustomQuestionFactory(program=p).pk for p in (a_program, b_program))
    a_circle = ProgramFactory(organization=cast.org_a, slug="circle", name="Circle A", **started)
    b_circle = ProgramFactory(organization=cast.org_b, slug="circle-b", name="Circle B", **started)
    for user, role in ((cast.admin, "mentee"), (cast.hr, "mentee"), (cast.member, "mentor")):
        EnrollmentFactory(program=a_circle, user=user, role=role)
    EnrollmentFactory(program=b_circle, user=org_b_member.user)
    # Match runs, in each pilot: run 1 published (its assigned pair became a match); run 2 done,
    # with an assigned pair of another mentee and the pool's current fingerprint.
    # People not in the cast's roles, so that joining the pilot (programs:join) still works.
    run_numbers, suggestions, matches, swap_pairs = [], [], [], []
    paused_matches, dissolved_matches = [], []
    for program, first, domain in ((a_program, 1, "a.example"), (b_program, 7, "b.example")):
        people = {
            name: MembershipFactory(
                organization=program.organization, user=UserFactory(email=f"{name}@{domain}")
            ).user
            for name in (
                "run-mentee",
                "run-mentor",
                "matched-mentee",
                "paused-mentee",
                "dissolved-mentee",
                "rematch-mentor",
                "swap-mentee",
                "swap-mentor",
            )
        }
        w.user_ids |= {user.pk for user in people.values()}
        mentee = EnrollmentFactory(program=program, user=people["run-mentee"])
        mentor = EnrollmentFactory(
            program=program, user=people["run-mentor"], role="mentor", capacity=2
        )
        matched = EnrollmentFactory(program=program, user=people["matched-mentee"])
        published = MatchRunFactory(
            program=program, number=first, status="published", published_at=timezone.now()
        )
        SuggestionFactory(run=published, mentee=matched, mentor=mentor)
        matches.append(
            MatchFactory(program=program, run=published, mentee=matched, mentor=mentor).pk
        )
        # Rematching: a paused match and a dissolved one, with their own mentor.
        other_mentor = EnrollmentFactory(
            program=program, user=people["rematch-mentor"], role="mentor", capacity=2
        )
        paused_matches.append(
            MatchFactory(
                program=program,
                mentee=EnrollmentFactory(program=program, user=people["paused-mentee"]),
                mentor=other_mentor,
                status="paused",
            ).pk
        )
        dissolved_matches.append(
            MatchFactory(
                program=program,
                mentee=EnrollmentFactory(program=program, user=people["dissolved-mentee"]),
                mentor=other_mentor,
                status="dissolved",
                ended_at=timezone.now(),
                end_reason="Never met",
            ).pk
        )
        swap_mentee = EnrollmentFactory(program=program, user=people["swap-mentee"])
        swap_mentor = EnrollmentFactory(program=program, user=people["swap-mentor"], role="mentor")
        with scope(organization=program.organization):
            fingerprint = runs.pool_fingerprint(program)
        done = MatchRunFactory(
            program=program, number=first + 1, based_on=published, pool_fingerprint=fingerprint
        )
        run_numbers.append(done.number)
        suggestions.append(SuggestionFactory(run=done, mentee=mentee, mentor=mentor).pk)
        # A second proposed pair of run 2, so that the two can swap mentors.
        swap_pairs.append(
            (
                suggestions[-1],
                SuggestionFactory(run=done, mentee=swap_mentee, mentor=swap_mentor).pk,
            )
        )
    # Member photos: mentee2's in org A, the org B member's in org B.
    photos = []
    for membership in (cast.membership[cast.mentee2.pk], org_b_member):
        with scope(organization=membership.organization):
            photos.append(
                services.update_member_card(
                    membership=membership, actor=membership.user, photo=image_upload()
                )
            )
    # Object kind → (org A's object, org B's / someone else's object), as URL kwarg values.
    w.objects = {
        "photo_membership": tuple(m.pk for m in photos),
        "photo_version": tuple(m.photo_version for m in photos),
        "org_slug": (cast.org_a.slug, cast.org_b.slug),
        "membership": (cast.membership[cast.mentee2.pk].pk, org_b_member.pk),
        "invitation": (a_invitation.pk, b_invitation.pk),
        "audit_entry": (a_entry.pk, b_entry.pk),
        "invitation_token": (a_invitation.token, b_invitation.token),
        "own_api_token": (own_token.pk, foreign_token.pk),
        "bogus_key": ("bogus-key", "bogus-key"),
        "bogus_uidb36": ("zz", "zz"),
        "program_slug": (a_program.slug, b_program.slug),
        "draft_program_slug": (a_draft.slug, b_draft.slug),
        "cohort": (a_cohort.pk, b_cohort.pk),
        "enrollment": (a_enrollment.pk, b_enrollment.pk),
        "join_token": (a_program.join_token, b_program.join_token),
        "logic_item": tuple(logic_items),
        "indicator": tuple(indicators),
        "enrolled_program_slug": (a_circle.slug, b_circle.slug),
        "profile": profiles,
        "custom_question": custom_questions,
        "run_number": tuple(run_numbers),
        "suggestion": tuple(suggestions),
        "swap_pairs": tuple(swap_pairs),
        "match": tuple(matches),
        **_mentee_choice_world(cast, a_circle, b_circle, org_b_member),
        "paused_match": tuple(paused_matches),
        "dissolved_match": tuple(dissolved_matches),
    }
    return w


def _mentee_choice_world(cast, a_circle, b_circle, org_b_member):
    """Mentee chooses, in each "circle": a run published for choosing; org A's admin (a
    mentee) has a suggestion to request, HR (a mentee) a request to the member (the mentor)
    that waits for HR's answer. Org B: the same kinds of objects for its member."""
    b_mentor = MembershipFactory(
        organization=cast.org_b, user=UserFactory(email="circle-mentor@b.example")
    ).user
    EnrollmentFactory(program=b_circle, user=b_mentor, role="mentor", capacity=2)
    suggestions, requests = [], []
    with scopes_disabled():
        for circle, mentee_user, request_user, mentor_user in (
            (a_circle, cast.admin, cast.hr, cast.member),
            (b_circle, org_b_member.user, org_b_member.user, b_mentor),
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
            requests.append(
                MentorRequest.objects.create(
                    organization=circle.organization, program=circle,
                    mentee=mine[request_user.pk], mentor=mentor, suggestion=asked,
                    status="more_info", mentor_reply="Why me?",
                    expires_at=timezone.now() + timezone.timedelta(days=7),
                ).pk
            )  # fmt: skip
    return {"choice_suggestion": tuple(suggestions), "mentor_request": tuple(requests)}
