"""Reads that program pages and the API share."""

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentorship.permissions import has_perm

from . import hooks
from .models import Cohort, Enrollment, Program


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
    """The program, if this member may see it; 404 otherwise (its existence stays private).
    ``request``: a page's or the API's request, or a membership."""
    membership = getattr(request, "membership", request)
    program = programs_for(membership).filter(slug=program_slug).first()
    if program is None:
        raise Http404("No such program.")
    return program


def get_cohort_for_member(request, program_slug, pk):
    """A cohort of a program this member may see; 404 otherwise."""
    program = get_program_for_member(request, program_slug)
    return get_object_or_404(Cohort.objects.select_related("program"), program=program, pk=pk)


def for_owner(enrollments):
    """Enrolments as their own participant sees them: annotated by the apps above (e.g.
    ``has_profile``, ``has_match``), see `hooks.enrollments_for_owner`."""
    return hooks.enrollments_for_owner.pipe(enrollments)


def open_pairs_of(enrollment):
    """The pairs this enrolment is in now (objects with ``mentor`` and ``mentee``)."""
    return [pair for pairs in hooks.open_pairs_of.send(enrollment=enrollment) for pair in pairs]


def my_enrollments(user, organization):
    return for_owner(
        Enrollment.objects.filter(organization=organization, user=user)
        .select_related("program", "cohort")
        .order_by("program__name")
    )


def org_home_section(*, request):
    """The organization's home (`mentorship.hooks.org_home`): how many programs this member
    sees, and their own enrolments."""
    return {
        "program_count": programs_for(request.membership).count(),
        "my_enrollments": my_enrollments(request.user, request.organization),
    }
