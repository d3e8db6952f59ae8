"""Reads that roadmaps' pages and the API share, and what rooms reads of a pair's roadmap.

For rooms (and reviews later): `progress_by_match(match_ids)`, `milestones_due(match, until)`
and `goals_of(match)`.

A milestone's due date is a day of its program's calendar: "late" and "today" are judged in the
program's time zone (`program_today`), whoever looks and wherever they are.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone

# DRF's: the same 404 for an id that isn't a number (an API path segment is any text).
from rest_framework.generics import get_object_or_404

from matching.models import Match
from mentorship.permissions import has_perm
from programs.models import LogicModelItem
from programs.queries import get_program_for_member

from .models import Evidence, Goal, GoalRating, Milestone, Roadmap, RoadmapTemplate
from .models import TemplateMilestone as TemplateStep
from .permissions import can_read_metadata, pair_role


def _membership(request):
    return getattr(request, "membership", request)


def _user(request):
    return _membership(request).user


# --- The program's calendar ---------------------------------------------------------------------


def zone_of(program) -> ZoneInfo:
    """The program's time zone (its own, else its organization's): its calendar's."""
    return ZoneInfo(program.effective_time_zone or "UTC")


def program_today(program, now: datetime | None = None) -> date:
    """Today in the program's time zone (its own, else its organization's): what a milestone's
    due date is compared with."""
    return (now or timezone.now()).astimezone(zone_of(program)).date()


# --- What rooms reads ------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A roadmap at a glance: ``done`` of ``total`` milestones (skipped ones don't count),
    ``late`` open ones past their due date, ``percent`` done, the ``next_due`` open one's date."""

    done: int = 0
    total: int = 0
    late: int = 0
    percent: int = 0
    next_due: date | None = None


def progress_by_match(match_ids, today=None) -> dict[int, Progress]:
    """{match id: Progress} for each of ``match_ids`` (zeros for a match without a roadmap),
    in one query. ``late`` is judged against ``today`` when given, else against today in each
    match's program's time zone (matches of several programs may be asked at once)."""
    ids = list(match_ids)
    out = {pk: Progress() for pk in ids}
    if not ids:
        return out
    now = timezone.now()
    if today is None:
        # Today in any zone is the UTC day, the one before or the one after: count the late
        # milestones against each of the three, then keep the count for the program's day.
        utc_day = now.astimezone(UTC).date()
        days = [utc_day + timedelta(days=d) for d in (-1, 0, 1)]
    else:
        days = [today]
    open_ = Q(status__in=Milestone.OPEN)
    late_counts = {
        f"late_{i}": Count("pk", filter=open_ & Q(due_date__lt=day)) for i, day in enumerate(days)
    }
    rows = (
        Milestone.objects.filter(roadmap__match_id__in=ids)
        .values("roadmap__match_id", "roadmap__program__time_zone", "organization__time_zone")
        .annotate(
            total=Count("pk", filter=~Q(status=Milestone.Status.SKIPPED)),
            done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
            next_due=Min("due_date", filter=open_),
            **late_counts,
        )
        .order_by()
    )
    for row in rows:
        total, done = row["total"], row["done"]
        if today is None:
            zone = row["roadmap__program__time_zone"] or row["organization__time_zone"] or "UTC"
            day = now.astimezone(ZoneInfo(zone)).date()
        else:
            day = today
        out[row["roadmap__match_id"]] = Progress(
            done=done,
            total=total,
            late=row[f"late_{days.index(day)}"],
            percent=round(done * 100 / total) if total else 0,
            next_due=row["next_due"],
        )
    return out


def milestones_due(match, until: date) -> list[Milestone]:
    """The match's open milestones due on or before ``until`` (late ones included), soonest
    first."""
    return list(
        Milestone.objects.filter(
            organization_id=match.organization_id,
            roadmap__match_id=match.pk,
            status__in=Milestone.OPEN,
            due_date__lte=until,
        ).order_by("due_date", "position", "pk")
    )


def goals_of(match) -> list[Goal]:
    """The match's active goals, in their order."""
    return list(
        Goal.objects.filter(
            organization_id=match.organization_id, match_id=match.pk, status=Goal.Status.ACTIVE
        ).order_by("position", "pk")
    )


# --- Roadmaps -----------------------------------------------------------------------------------

PAIR = ("match__mentor__user", "match__mentee__user", "match__program__organization")


def roadmaps(organization):
    return Roadmap.objects.filter(organization=organization).select_related(*PAIR)


def roadmaps_for_member(request):
    """The roadmaps this member reads: their own (as mentor or mentee); admins and HR every
    roadmap of the organization (metadata)."""
    membership = _membership(request)
    rows = roadmaps(membership.organization)
    if not can_read_metadata(membership):
        user = membership.user
        rows = rows.filter(Q(match__mentor__user=user) | Q(match__mentee__user=user))
    return rows.order_by("-created_at", "-pk")


def _as_viewer(roadmap, request):
    """Set ``viewer_role`` ("mentor", "mentee", or None for an admin's read) and ``is_pair``."""
    roadmap.viewer_role = pair_role(_user(request), roadmap.match)
    roadmap.is_pair = roadmap.viewer_role is not None
    return roadmap


def get_roadmap_for_member(request, pk):
    """The roadmap, for its pair (everything) or a program admin or HR (metadata only: pages
    check ``roadmap.is_pair`` before showing evidence); 404 for anyone else."""
    membership = _membership(request)
    roadmap = _as_viewer(get_object_or_404(roadmaps(membership.organization), pk=pk), request)
    if not roadmap.is_pair and not can_read_metadata(membership):
        raise Http404("No such roadmap.")
    return roadmap


def get_own_roadmap_for_member(request, pk):
    """The roadmap, for its pair only (what changes it): 404 for anyone else."""
    roadmap = get_roadmap_for_member(request, pk)
    if not roadmap.is_pair:
        raise Http404("No such roadmap.")
    return roadmap


def milestones_of(roadmap):
    return Milestone.objects.filter(
        organization_id=roadmap.organization_id, roadmap=roadmap
    ).select_related("output")


def milestones_with_evidence(roadmap):
    """The pair's view: each milestone with its evidence and who completed and confirmed it."""
    evidence = Evidence.objects.filter(organization_id=roadmap.organization_id).select_related(
        "author"
    )
    return (
        milestones_of(roadmap)
        .select_related("completed_by", "confirmed_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
    )


def _own_object(request, queryset, pk, what):
    """An object of a roadmap the signed-in person is in (as mentor or mentee), else 404."""
    user = _user(request)
    obj = get_object_or_404(queryset, pk=pk)
    if pair_role(user, obj.roadmap.match if hasattr(obj, "roadmap") else obj.match) is None:
        raise Http404(f"No such {what}.")
    return obj


def get_milestone_for_member(request, pk, roadmap=None):
    """A milestone of the member's own roadmap (of ``roadmap`` when given), with its roadmap
    and pair loaded; 404 for anyone else, admins and HR included."""
    membership = _membership(request)
    queryset = Milestone.objects.filter(organization=membership.organization).select_related(
        "roadmap", *(f"roadmap__{p}" for p in PAIR)
    )
    if roadmap is not None:
        queryset = queryset.filter(roadmap=roadmap)
    return _own_object(request, queryset, pk, "milestone")


def get_evidence_for_member(request, pk, roadmap=None):
    """Evidence of the member's own roadmap; 404 for anyone else, admins and HR included."""
    membership = _membership(request)
    queryset = Evidence.objects.filter(organization=membership.organization).select_related(
        "milestone__roadmap", *(f"milestone__roadmap__{p}" for p in PAIR)
    )
    if roadmap is not None:
        queryset = queryset.filter(milestone__roadmap=roadmap)
    evidence = get_object_or_404(queryset, pk=pk)
    if pair_role(_user(request), evidence.milestone.roadmap.match) is None:
        raise Http404("No such evidence.")
    return evidence


def get_goal_for_member(request, pk, match=None):
    """A goal of the member's own pair; 404 for anyone else."""
    membership = _membership(request)
    queryset = Goal.objects.filter(organization=membership.organization).select_related(
        "match__mentor__user", "match__mentee__user", "match__program__organization"
    )
    if match is not None:
        queryset = queryset.filter(match=match)
    return _own_object(request, queryset, pk, "goal")


def goals_with_history(match):
    ratings = GoalRating.objects.filter(organization_id=match.organization_id).select_related(
        "author"
    )
    return Goal.objects.filter(organization_id=match.organization_id, match=match).prefetch_related(
        Prefetch("ratings", queryset=ratings)
    )


# --- Templates ----------------------------------------------------------------------------------


def get_template_program_for_member(request, program_slug):
    """The program whose roadmap template an admin or HR reads: 404 when this member may not
    see the program, 403 when they see it as a participant only."""
    program = get_program_for_member(request, program_slug)
    if not has_perm(_membership(request), "view_programs"):
        raise PermissionDenied
    return program


def get_template_for_member(request, program_slug):
    """The program's roadmap template (None when it has none yet), for admins and HR."""
    program = get_template_program_for_member(request, program_slug)
    template = RoadmapTemplate.objects.filter(program=program).select_related("program").first()
    if template is not None:
        template.program = program
    return template


def template_steps(template):
    return (
        TemplateStep.objects.filter(organization_id=template.organization_id, template=template)
        .select_related("after", "output")
        .annotate(
            live_copies=Count(
                "copies",
                filter=Q(copies__roadmap__match__status__in=Match.OPEN),
            )
        )
        .order_by("position", "pk")
    )


def get_template_milestone_for_member(request, program_slug, pk):
    """A milestone of the program's roadmap template, for admins and HR."""
    template = get_template_for_member(request, program_slug)
    if template is None:
        raise Http404("This program has no roadmap yet.")
    step = get_object_or_404(
        TemplateStep.objects.filter(template=template).select_related("template"), pk=pk
    )
    step.template = template
    return step


def output_choices(program):
    return LogicModelItem.objects.filter(program=program, kind=LogicModelItem.Kind.OUTPUT)


# --- The program-wide grid ----------------------------------------------------------------------


def grid_roadmaps(program, *, cohort=None, status=None, late=False, today=None):
    """The program's roadmaps for the grid, filtered: by the mentee's cohort, by a milestone
    status some milestone has, by having a late milestone (in the program's calendar)."""
    today = today or program_today(program)
    rows = Roadmap.objects.filter(organization=program.organization, program=program)
    if cohort:
        rows = rows.filter(match__mentee__cohort=cohort)
    if status in Milestone.Status.values:
        rows = rows.filter(Exists(Milestone.objects.filter(roadmap=OuterRef("pk"), status=status)))
    if late:
        rows = rows.filter(
            Exists(
                Milestone.objects.filter(
                    roadmap=OuterRef("pk"), status__in=Milestone.OPEN, due_date__lt=today
                )
            )
        )
    return rows.select_related(
        "match__mentor__user", "match__mentee__user", "match__mentee__cohort"
    ).order_by("match__mentee__name", "match__mentee__email", "pk")


def grid_cells(roadmaps_page):
    """{roadmap pk: {template step pk: milestone}} and {roadmap pk: [own milestones]} for a
    page of roadmaps, in one query."""
    cells = {r.pk: {} for r in roadmaps_page}
    own = {r.pk: [] for r in roadmaps_page}
    for milestone in Milestone.objects.filter(roadmap__in=list(cells)).order_by("position", "pk"):
        if milestone.template_milestone_id:
            cells[milestone.roadmap_id][milestone.template_milestone_id] = milestone
        else:
            own[milestone.roadmap_id].append(milestone)
    return cells, own


def output_totals(program):
    """Counted outputs summed per logic-model output: for each output a milestone counts
    towards, the pairs, the count so far, the summed target and the milestones done."""
    return list(
        Milestone.objects.filter(
            organization=program.organization, roadmap__program=program, output__isnull=False
        )
        .exclude(status=Milestone.Status.SKIPPED)
        .values("output_id", "output__title")
        .annotate(
            pairs=Count("roadmap", distinct=True),
            count=Sum("count"),
            target=Sum("target"),
            done=Count("pk", filter=Q(status=Milestone.Status.DONE)),
            milestones=Count("pk"),
        )
        .order_by("output__position", "output_id")
    )
