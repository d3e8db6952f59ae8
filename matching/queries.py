"""Reads that matching's pages and the API share."""

from django.db.models import Count, Q
from django.http import Http404

from programs.models import Enrollment

from .models import CustomQuestion, MatchingSettings, Profile, ProfileQuestion
from .services import EDITABLE_STATUSES, initial_settings

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


def pool_counts(program):
    """{role: {"enrolled": n, "profiled": n}} for active enrolments, in one query."""
    rows = (
        Enrollment.objects.filter(
            organization=program.organization,
            program=program,
            status=Enrollment.Status.ACTIVE,
        )
        .values("role")
        .annotate(enrolled=Count("pk"), profiled=Count("pk", filter=Q(profile__isnull=False)))
        .order_by()
    )
    counts = {r: {"enrolled": 0, "profiled": 0} for r in Enrollment.Role.values}
    for row in rows:
        counts[row["role"]] = {"enrolled": row["enrolled"], "profiled": row["profiled"]}
    return counts


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
    from .models import Match

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
