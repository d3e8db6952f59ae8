"""Reads that matching's pages and the API share."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

# DRF's, not Django's: the same 404, also for an id that isn't a number (an API path segment is
# any text, where Django's own would fail with a 500). Pages and the API share these helpers.
from rest_framework.generics import get_object_or_404

from mentorship.permissions import has_perm
from programs.models import Enrollment
from programs.queries import (
    get_program_for_member,
    get_program_setup_for_member,
)

from .constants import EDITABLE_STATUSES
from .models import (
    CustomQuestion,
    Match,
    MatchingSettings,
    MatchRun,
    MentorRequest,
    Profile,
    ProfileQuestion,
    Suggestion,
)
from .services import choice
from .services.criteria import initial_settings

Q_ = ProfileQuestion


def settings_for(program):
    """The program's matching settings, or unsaved ones as ``ensure_settings`` would first
    create them: the program's template's, else the defaults (reads never write)."""
    settings = MatchingSettings.objects.filter(program=program).first()
    if settings is None:
        settings = initial_settings(program)
    return settings


def custom_questions(program):
    return CustomQuestion.objects.filter(program=program)


def pool(program):
    """The program's participants who take part in matching (active or applied), with their
    user and profile, in one query."""
    return (
        Enrollment.objects.filter(
            organization=program.organization, program=program, status__in=EDITABLE_STATUSES
        )
        .select_related("user", "profile")
        .order_by("role", "status", "email")
    )


def _open_matches(program):
    return Match.objects.filter(program=program, status__in=Match.OPEN)


def with_match_state(enrollments, program):
    """Annotate each enrolment with ``open_matches``: its open matches (as mentee: 0 or 1; as
    mentor: how many mentees they have now), in the same query."""
    counted = (
        _open_matches(program)
        .filter(Q(mentee=OuterRef("pk")) | Q(mentor=OuterRef("pk")))
        .order_by()
        .values("program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return enrollments.annotate(open_matches=Coalesce(Subquery(counted), 0))


def pool_counts(program):
    """The pool overview in one query, per role: enrolled and profiled (active enrolments),
    matched (mentees with an open match; mentors with at least one mentee) and unmatched;
    for mentors also seats (their capacity, or the program's default) and seats taken."""
    rows = (
        with_match_state(
            Enrollment.objects.filter(
                organization=program.organization,
                program=program,
                status=Enrollment.Status.ACTIVE,
            ),
            program,
        )
        .values("role")
        .annotate(
            enrolled=Count("pk"),
            profiled=Count("pk", filter=Q(profile__isnull=False)),
            matched=Count("pk", filter=Q(open_matches__gt=0)),
            seats=Sum(Coalesce("capacity", Value(program.default_mentor_capacity))),
            taken=Sum("open_matches"),
        )
        .order_by()
    )
    empty = {"enrolled": 0, "profiled": 0, "matched": 0, "unmatched": 0}
    counts = {r: dict(empty) for r in Enrollment.Role.values}
    counts[Enrollment.Role.MENTOR] |= {"seats": 0, "seats_taken": 0, "seats_free": 0}
    for row in rows:
        role = row["role"]
        counts[role] |= {
            "enrolled": row["enrolled"],
            "profiled": row["profiled"],
            "matched": row["matched"],
            "unmatched": row["enrolled"] - row["matched"],
        }
        if role == Enrollment.Role.MENTOR:
            counts[role] |= {
                "seats": row["seats"],
                "seats_taken": row["taken"],
                "seats_free": max(row["seats"] - row["taken"], 0),
            }
    return counts


def partners(program, enrollments):
    """{enrolment pk: [the people they are matched with now]} for a page of enrolments, in one
    query: a mentee's mentor, a mentor's mentees."""
    ids = [e.pk for e in enrollments]
    out = {pk: [] for pk in ids}
    matches = (
        _open_matches(program)
        .filter(Q(mentee__in=ids) | Q(mentor__in=ids))
        .select_related("mentee__user", "mentor__user")
        .order_by("pk")
    )
    for match in matches:
        if match.mentee_id in out:
            out[match.mentee_id].append(match.mentor)
        if match.mentor_id in out:
            out[match.mentor_id].append(match.mentee)
    return out


def get_profile(enrollment):
    """The enrolment's profile, or an unsaved blank one."""
    try:
        return enrollment.profile
    except Profile.DoesNotExist:
        return Profile(organization=enrollment.organization, enrollment=enrollment)


def own_enrollment(request, program):
    """The signed-in person's enrolment (active or applied) in ``program``, or 404."""
    enrollment = (
        Enrollment.objects.filter(
            organization=program.organization,
            program=program,
            user=request.user,
            status__in=EDITABLE_STATUSES,
        )
        .select_related("program", "user")
        .first()
    )
    if enrollment is None:
        raise Http404("You're not taking part in this program.")
    return enrollment


def _answered(profile, question):
    if question == Q_.SKILLS:
        return bool(profile.skills)
    if question == Q_.GOALS:
        return bool(profile.career_goals or profile.career_goals_text.strip())
    if question == Q_.EXPERIENCE:
        return profile.years_experience is not None
    if question in (Q_.STYLE, Q_.MEETINGS):
        return True  # sliders and choices always hold an answer once saved
    if question == Q_.LOCATION:
        return bool(profile.city or profile.country)
    if question == Q_.TIME_ZONE:
        return bool(profile.time_zone)
    if question == Q_.LANGUAGES:
        return bool(profile.languages)
    if question == Q_.AVAILABILITY:
        return bool(profile.availability)
    if question == Q_.DEPARTMENT:
        return bool(profile.department)
    if question == Q_.HOPES:
        return bool(profile.hopes.strip())
    return False


def completeness(profile, settings, questions) -> int:
    """How much of what the program asks the profile answers, in whole per cent."""
    if profile is None or profile.pk is None:
        return 0
    asked = [q for q in settings.questions if q in Q_.values]
    total = len(asked) + len(questions)
    if total == 0:
        return 100
    answered = sum(_answered(profile, q) for q in asked)
    answered += sum(str(q.pk) in profile.custom_answers for q in questions)
    return round(100 * answered / total)


def profile_of(enrollment):
    try:
        return enrollment.profile
    except Profile.DoesNotExist:
        return None


def my_matches(enrollment):
    """The open matches of one participant: a mentee's (at most one) or a mentor's."""
    side = "mentee" if enrollment.role == Enrollment.Role.MENTEE else "mentor"
    return (
        Match.objects.filter(
            organization=enrollment.organization,
            program=enrollment.program,
            status__in=Match.OPEN,
            **{side: enrollment},
        )
        .select_related("mentee__user", "mentor__user")
        .order_by("created_at", "pk")
    )


# --- What programs shows of matching (receivers of `programs.hooks`) ---------------------------


def annotate_for_owner(enrollments):
    """``has_profile`` and ``has_match`` (in an active or paused match, either side) on the
    enrolments a participant sees of their own."""
    open_matches = Match.objects.filter(status__in=Match.OPEN)
    return enrollments.annotate(
        has_profile=Exists(Profile.objects.filter(enrollment=OuterRef("pk"))),
        has_match=Exists(open_matches.filter(mentee=OuterRef("pk")))
        | Exists(open_matches.filter(mentor=OuterRef("pk"))),
    )


def open_matches_of(*, enrollment):
    """The open (active or paused) matches this enrolment is in, with both people loaded."""
    side = Q(mentee=enrollment) | Q(mentor=enrollment)
    return list(
        Match.objects.filter(side, status__in=Match.OPEN)
        .select_related("mentor__user", "mentee__user")
        .order_by("created_at")
    )


# --- Objects a URL names (pages and API) --------------------------------------------------------
# As in `programs.queries`: another tenant's object, one of a program this member may not see, or
# someone else's private one is 404; a participant asking for what only admins and HR read, 403.


def get_run_for_member(request, program_slug, number):
    """A match run of a program whose setup this member may read."""
    program = get_program_setup_for_member(request, program_slug)
    runs = MatchRun.objects.filter(program=program).select_related("created_by", "based_on")
    run = get_object_or_404(runs, number=number)
    run.program = program  # the one already read
    return run


def get_suggestion_for_member(request, program_slug, number, pk):
    """One scored pair of a run (its people loaded); 404 outside the run."""
    run = get_run_for_member(request, program_slug, number)
    suggestion = get_object_or_404(
        Suggestion.objects.filter(run=run).select_related("mentee__user", "mentor__user"), pk=pk
    )
    suggestion.run = run
    return suggestion


def get_match_for_member(request, program_slug, pk):
    """A published match, both people and its run loaded: any of the program's for admins and
    HR; for a participant, only a match they are in (anyone else's is 404)."""
    program = get_program_for_member(request, program_slug)
    membership = getattr(request, "membership", request)
    matches = Match.objects.filter(program=program).select_related(
        "mentee__user", "mentor__user", "run"
    )
    if not has_perm(membership, "view_programs"):
        mine = Q(mentee__user=membership.user) | Q(mentor__user=membership.user)
        matches = matches.filter(mine)
    match = get_object_or_404(matches, pk=pk)
    match.program = program
    return match


def get_question_for_member(request, program_slug, pk):
    """A custom question of a program this member may see (participants answer them)."""
    program = get_program_for_member(request, program_slug)
    question = get_object_or_404(custom_questions(program), pk=pk)
    question.program = program
    return question


def get_profile_for_member(request, program_slug, enrollment_pk=None):
    """A participant's matching profile (an unsaved blank one before its first save), with its
    enrolment. Without ``enrollment_pk``: the member's own (404 when they don't take part).
    With one: admins and HR read anyone's in the pool; a participant only their own, anyone
    else's is 404."""
    program = get_program_for_member(request, program_slug)
    if enrollment_pk is None:
        enrollment = own_enrollment(request, program)
    else:
        membership = getattr(request, "membership", request)
        enrollments = pool(program)
        if not has_perm(membership, "view_programs"):
            enrollments = enrollments.filter(user=membership.user)
        enrollment = get_object_or_404(enrollments, pk=enrollment_pk)
        enrollment.program = program
    return get_profile(enrollment)


def get_own_suggestion_for_member(request, program_slug, pk):
    """One of the mentors suggested to the signed-in mentee (mentee-chooses mode); anyone
    else's suggestion is 404."""
    program = get_program_for_member(request, program_slug)
    mentee = own_enrollment(request, program)
    suggestion = get_object_or_404(choice.suggestions_for(mentee), pk=pk)
    suggestion.mentee = mentee  # the one already read, with its program
    return suggestion


def get_mentor_request_for_member(request, program_slug, pk, *, side):
    """A mentee's request to a mentor, for one of its two people: ``side="mentee"``, a request
    the member made; ``side="mentor"``, one addressed to them. Anyone else (the other person
    too, asking from the wrong side) gets 404: requests are private to the pair."""
    program = get_program_for_member(request, program_slug)
    enrollment = own_enrollment(request, program)
    if enrollment.role != side:
        raise Http404("No such request.")
    if side == Enrollment.Role.MENTEE:
        requests = choice.requests_of_mentee(enrollment)
    else:
        requests = choice.requests_for_mentor(enrollment)
    return get_object_or_404(requests, pk=pk)


# --- Mentee chooses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeChoices:
    suggestions: list  # Suggestion, each with seats_left, declined, refusal and requestable
    requests: list  # MentorRequest, the mentee's, newest first
    open_request: MentorRequest | None
    match: Match | None


def mentee_choices(mentee) -> MenteeChoices:
    """What a mentee may choose from, in a fixed number of queries however many suggestions
    and requests: their suggested mentors, each with ``seats_left``, ``declined`` (that mentor
    declined them), ``refusal`` (see ``choice.request_refusal``) and ``requestable``; their
    requests, the open one, and their open match. Empty for a mentor."""
    if mentee.role != Enrollment.Role.MENTEE:
        return MenteeChoices(suggestions=[], requests=[], open_request=None, match=None)
    suggestions = list(choice.suggestions_for(mentee))
    requests = list(choice.requests_of_mentee(mentee))
    open_request = next((r for r in requests if r.is_open), None)
    declined = {r.mentor_id for r in requests if r.status == MentorRequest.Status.DECLINED}
    match = (
        Match.objects.filter(program=mentee.program, mentee=mentee, status__in=Match.OPEN)
        .select_related("mentor__user")
        .first()
    )
    seats = choice.seats_left_for(s.mentor for s in suggestions)
    for s in suggestions:
        s.seats_left = seats[s.mentor_id]
        s.declined = s.mentor_id in declined
        s.refusal = choice.request_refusal(
            program=mentee.program,
            mentee=mentee,
            mentor=s.mentor,
            open_request=open_request,
            match=match,
            declined=s.declined,
            seats_left=s.seats_left,
        )
        s.requestable = s.refusal is None
    return MenteeChoices(suggestions, requests, open_request, match)
