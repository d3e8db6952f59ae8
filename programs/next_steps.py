"""What programs suggest doing next (see ``mentorship.next_steps``): admins set programs up and
answer applications; HR follows them; a participant hears about a pending application."""

from django.db.models import Count, Q
from django.urls import reverse

from mentorship.next_steps import Step
from mentorship.permissions import has_perm

from .models import Enrollment, Program

SHOWN = 3  # programs named one by one; more become "and N more"


def steps(membership) -> list[Step]:
    organization = membership.organization
    slug = organization.slug
    found = []
    if has_perm(membership, "manage_programs"):
        found += _admin_steps(organization)
    elif has_perm(membership, "view_programs"):
        count = Program.objects.filter(organization=organization).count()
        if count:
            found.append(
                Step(
                    f"Follow how {_n(count, 'program')} {'is' if count == 1 else 'are'} doing: "
                    "who takes part, and how matching went.",
                    reverse("programs:list", args=[slug]),
                    "See the programs",
                )
            )
    applied = Enrollment.objects.filter(
        organization=organization, user=membership.user, status=Enrollment.Status.APPLIED
    ).select_related("program")
    for e in applied:
        found.append(Step(f"Your application to {e.program.name} is waiting for an admin."))
    return found


def _admin_steps(organization):
    slug = organization.slug
    programs = list(
        Program.objects.filter(organization=organization)
        .exclude(status=Program.Status.CLOSED)
        .annotate(
            people=Count("enrollments", filter=~Q(enrollments__status="withdrawn")),
            applied=Count("enrollments", filter=Q(enrollments__status="applied")),
        )
        .order_by("name")
    )
    if not programs:
        return [
            Step(
                "Create your first program from a template; then enrol its mentors and mentees.",
                reverse("programs:create", args=[slug]),
                "Create a program",
            )
        ]
    found = []
    for p in programs[:SHOWN]:
        if p.applied:
            found.append(
                Step(
                    f"{_n(p.applied, 'person', 'people')} applied to {p.name}: accept or decline.",
                    reverse("programs:enrollments", args=[slug, p.slug]) + "?status=applied",
                    "Answer them",
                    urgent=True,
                )
            )
        elif not p.people:
            found.append(
                Step(
                    f"Nobody is in {p.name} yet: invite mentors and mentees, import a CSV, or "
                    "share its join link.",
                    reverse("programs:enrollments", args=[slug, p.slug]),
                    "Add participants",
                )
            )
    return found


def _n(count, one, many=None):
    return f"{count} {one if count == 1 else (many or one + 's')}"
