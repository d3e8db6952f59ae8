"""Reads that program pages and the API share."""

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404

from mentorship.permissions import has_perm

from .models import Enrollment, Program


def programs_for(membership):
    """Programs this member may see: all for admins and HR, enrolled ones for members."""
    programs = Program.objects.filter(organization=membership.organization)
    if not has_perm(membership, "view_programs"):
        programs = programs.filter(
            enrollments__user=membership.user,
            enrollments__status__in=[Enrollment.Status.ACTIVE, Enrollment.Status.APPLIED],
        ).distinct()
    return programs


def with_counts(programs):
    active = Q(enrollments__status=Enrollment.Status.ACTIVE)
    return programs.annotate(
        mentor_count=Count("enrollments", filter=active & Q(enrollments__role="mentor")),
        mentee_count=Count("enrollments", filter=active & Q(enrollments__role="mentee")),
        pending_count=Count(
            "enrollments",
            filter=Q(
                enrollments__status__in=[Enrollment.Status.INVITED, Enrollment.Status.APPLIED]
            ),
        ),
    )


def get_program_for_member(request, program_slug):
    """The program, if this member may see it; 404 otherwise (its existence stays private)."""
    program = programs_for(request.membership).filter(slug=program_slug).first()
    if program is None:
        raise Http404("No such program.")
    return program


def with_has_profile(enrollments):
    """Annotate whether each enrolment has a matching profile yet (its reverse one-to-one)."""
    return enrollments.annotate(
        has_profile=ExpressionWrapper(Q(profile__isnull=False), output_field=BooleanField())
    )


def with_has_match(enrollments):
    """Annotate whether each enrolment is in an open (active or paused) match, either side."""
    from matching.models import Match  # matching builds on programs, not the other way round

    open_matches = Match.objects.filter(status__in=Match.OPEN)
    return enrollments.annotate(
        has_match=Exists(open_matches.filter(mentee=OuterRef("pk")))
        | Exists(open_matches.filter(mentor=OuterRef("pk")))
    )


def open_matches_of(enrollment):
    """The open (active or paused) matches this enrolment is in, with both people loaded."""
    from matching.models import Match  # matching builds on programs, not the other way round

    side = Q(mentee=enrollment) | Q(mentor=enrollment)
    return list(
        Match.objects.filter(side, status__in=Match.OPEN)
        .select_related("mentor__user", "mentee__user")
        .order_by("created_at")
    )


def my_enrollments(user, organization):
    return with_has_match(
        with_has_profile(
            Enrollment.objects.filter(organization=organization, user=user)
            .select_related("program", "cohort")
            .order_by("program__name")
        )
    )
