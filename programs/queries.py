"""Reads that program pages and the API share."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

# DRF's, not Django's: the same 404, also for an id that isn't a number (an API path segment is
# any text, where Django's own would fail with a 500). Pages and the API share these helpers.
from rest_framework.generics import get_object_or_404

from mentorship.permissions import has_perm

from . import hooks
from .models import Cohort, Enrollment, Indicator, LogicModelItem, Program


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


# --- Objects a URL names (pages and API) --------------------------------------------------------
# Each ``get_<thing>_for_member(request, program_slug, …)`` takes a page's or the API's request
# (or a membership) and answers the object or raises: 404 for another tenant's, for a program
# this member may not see, and for someone else's private object; 403 where the member sees the
# program but their role may not read the thing.


def _membership(request):
    return getattr(request, "membership", request)


def get_program_for_member(request, program_slug):
    """The program, if this member may see it; 404 otherwise (its existence stays private).

    Read once per request: it is kept on ``request.program`` (where program pages find it,
    see `programs.web.program_permission_required`), so the object helpers below, which start
    from the program, don't read it again."""
    known = getattr(request, "program", None)
    if isinstance(known, Program) and known.slug == program_slug:
        return known
    membership = _membership(request)
    program = programs_for(membership).filter(slug=program_slug).first()
    if program is None:
        raise Http404("No such program.")
    if membership is not request:  # a request, not a bare membership
        request.program = program
    return program


def get_program_setup_for_member(request, program_slug):
    """The program, for reading its setup (cohorts, logic model, the participants list): 404
    when this member may not see the program, 403 when they see it as a participant only."""
    program = get_program_for_member(request, program_slug)
    if not has_perm(_membership(request), "view_programs"):
        raise PermissionDenied
    return program


def get_cohort_for_member(request, program_slug, pk):
    """A cohort of a program whose setup this member may read."""
    program = get_program_setup_for_member(request, program_slug)
    cohort = get_object_or_404(Cohort.objects.filter(program=program), pk=pk)
    cohort.program = program  # the one already read
    return cohort


def get_logic_item_for_member(request, program_slug, pk):
    """An item (outcome, output, activity, input) of a logic model this member may read."""
    program = get_program_setup_for_member(request, program_slug)
    item = get_object_or_404(LogicModelItem.objects.filter(program=program), pk=pk)
    item.program = program
    return item


def get_indicator_for_member(request, program_slug, pk):
    """An indicator of a logic model this member may read."""
    program = get_program_setup_for_member(request, program_slug)
    indicator = get_object_or_404(Indicator.objects.filter(program=program), pk=pk)
    indicator.program = program
    return indicator


def get_enrollment_for_member(request, program_slug, pk):
    """An enrolment of a program this member may see: any of them for those who read programs
    (admins, HR); for a participant, their own only: anyone else's is 404, since who takes
    part is private."""
    program = get_program_for_member(request, program_slug)
    membership = _membership(request)
    enrollments = Enrollment.objects.filter(
        organization_id=program.organization_id, program=program
    ).select_related("user", "cohort")
    if not has_perm(membership, "view_programs"):
        enrollments = enrollments.filter(user=membership.user)
    enrollment = get_object_or_404(enrollments, pk=pk)
    enrollment.program = program
    return enrollment


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
