"""The pool overview: who takes part, how far their profiles are, who is matched."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.permissions import has_perm
from programs.models import Enrollment
from programs.web import program_permission_required

from .. import queries
from ..forms import PoolFilter

PAGE_SIZE = 50


@require_GET
@program_permission_required("view_programs")
def pool(request, org_slug, program_slug):
    """Who is in the pool: how far their profiles are and who is matched, with counts."""
    program = request.program
    settings = queries.settings_for(program)
    questions = list(queries.custom_questions(program))
    enrollments = queries.with_match_state(queries.pool(program), program)
    filterset = PoolFilter(request.GET, queryset=enrollments)
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else enrollments.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    partners = queries.partners(program, page)
    rows = [
        (e, queries.completeness(queries.profile_of(e), settings, questions), partners[e.pk])
        for e in page
    ]
    querystring = request.GET.copy()
    querystring.pop("page", None)
    counts = queries.pool_counts(program)
    context = {
        "program": program,
        "active": "matching",
        "page": page,
        "rows": rows,
        "filter": filterset,
        "filtered": any(request.GET.get(k) for k in ("q", "role", "state")),
        "querystring": querystring.urlencode(),
        "mentees": counts[Enrollment.Role.MENTEE],
        "mentors": counts[Enrollment.Role.MENTOR],
        "default_capacity": program.default_mentor_capacity,
        "can_manage": has_perm(request.membership, "manage_programs"),
    }
    return render(request, "matching/pool.html", context, status=200 if valid else 400)
