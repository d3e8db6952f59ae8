"""A pair's roadmap page (milestones, progress, goals, evidence) and the admins' program-wide
milestone grid."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from programs.models import Cohort
from programs.web import program_permission_required

from .. import queries
from ..forms import CompleteForm, GoalForm, MilestoneForm, RateForm
from ..models import Milestone
from ..permissions import can_change

GRID_PAGE_SIZE = 25


def roadmap_context(request, roadmap, **extra):
    """What the roadmap page and its htmx fragments render."""
    today = queries.program_today(roadmap.match.program)
    pair = roadmap.is_pair
    milestones = list(
        queries.milestones_with_evidence(roadmap) if pair else queries.milestones_of(roadmap)
    )
    for m in milestones:
        m.late = m.is_late(today)
        m.can_confirm = (
            pair
            and m.status == Milestone.Status.DONE
            and m.confirmed_at is None
            and m.completed_by_id != request.user.pk
        )
    progress = queries.progress_by_match([roadmap.match_id], today=today)[roadmap.match_id]
    goals = list(queries.goals_with_history(roadmap.match)) if pair else []
    return {
        "roadmap": roadmap,
        "match": roadmap.match,
        "program": roadmap.match.program,
        "milestones": milestones,
        "progress": progress,
        "goals": [g for g in goals if g.status == "active"],
        "retired_goals": [g for g in goals if g.status == "retired"],
        "can_change": pair and can_change(request.user, roadmap),
        "today": today,
        "milestone_form": MilestoneForm(),
        "complete_form": CompleteForm(),
        "goal_form": GoalForm(),
        "rate_form": RateForm(),
        "ratings": range(1, 6),
        **extra,
    }


@require_GET
def roadmap(request, org_slug, pk):
    roadmap = queries.get_roadmap_for_member(request, pk)
    return render(request, "roadmaps/roadmap.html", roadmap_context(request, roadmap))


@require_GET
@program_permission_required("view_programs")
def grid(request, org_slug, program_slug):
    """Pairs × the template's milestones, with filters (cohort, a status, late) and pages."""
    program = request.program
    today = queries.program_today(program)
    cohorts = list(Cohort.objects.filter(program=program).order_by("start_date", "name"))
    cohort = next((c for c in cohorts if str(c.pk) == request.GET.get("cohort")), None)
    status = request.GET.get("status", "")
    status = status if status in Milestone.Status.values else ""
    late = request.GET.get("late") == "1"
    rows = queries.grid_roadmaps(program, cohort=cohort, status=status, late=late, today=today)
    page = Paginator(rows, GRID_PAGE_SIZE).get_page(request.GET.get("page"))
    template = queries.RoadmapTemplate.objects.filter(program=program).first()
    steps = list(queries.template_steps(template)) if template else []
    cells, own = queries.grid_cells(page.object_list)
    progress = queries.progress_by_match([r.match_id for r in page.object_list], today=today)
    grid_rows = []
    for roadmap in page.object_list:
        row_cells = []
        for step in steps:
            m = cells[roadmap.pk].get(step.pk)
            if m is not None:
                m.late = m.is_late(today)
            row_cells.append(m)
        for m in own[roadmap.pk]:
            m.late = m.is_late(today)
        grid_rows.append(
            {
                "roadmap": roadmap,
                "cells": row_cells,
                "own": own[roadmap.pk],
                "progress": progress[roadmap.match_id],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "program": program,
        "steps": steps,
        "rows": grid_rows,
        "page": page,
        "cohorts": cohorts,
        "cohort": cohort,
        "status": status,
        "statuses": Milestone.Status.choices,
        "late": late,
        "query": query.urlencode(),
        "outputs": queries.output_totals(program),
    }
    return render(request, "roadmaps/grid.html", context)
