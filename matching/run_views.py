"""Pages of match runs: start a run, watch its progress, review and publish, compare two."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.permissions import has_perm
from mentorship.web import first_error, org_permission_required
from programs.queries import get_program_for_member

from . import engine, runs
from .models import MatchRun, Suggestion


def _run(request, program_slug, number):
    program = get_program_for_member(request, program_slug)
    return get_object_or_404(
        MatchRun.objects.select_related("program"), program=program, number=number
    )


def criteria_rows(breakdown: dict):
    """[(label, share of the score)] for the bars of one pair, biggest first."""
    rows = [(engine.LABELS.get(key, "Custom question"), value) for key, value in breakdown.items()]
    return sorted(rows, key=lambda row: -row[1])


@require_http_methods(["GET", "POST"])
@org_permission_required("view_programs")
def run_list(request, org_slug, program_slug):
    program = get_program_for_member(request, program_slug)
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        try:
            run = runs.start_run(program=program, actor=request.user)
        except ValidationError as exc:
            messages.error(request, first_error(exc))
            return redirect("matching:runs", org_slug=org_slug, program_slug=program_slug)
        return redirect(
            "matching:run", org_slug=org_slug, program_slug=program_slug, number=run.number
        )
    context = {
        "program": program,
        "runs": MatchRun.objects.filter(program=program).select_related("created_by"),
        "can_manage": has_perm(request.membership, "manage_programs") and not program.is_closed,
    }
    return render(request, "matching/run_list.html", context)


@require_GET
@org_permission_required("view_programs")
def run_detail(request, org_slug, program_slug, number):
    run = _run(request, program_slug, number)
    context = {
        "program": run.program,
        "run": run,
        "can_manage": has_perm(request.membership, "manage_programs") and not run.program.is_closed,
    }
    if run.status in (MatchRun.Status.DONE, MatchRun.Status.PUBLISHED):
        pairs = list(
            Suggestion.objects.filter(run=run, assigned=True)
            .select_related("mentee__user", "mentor__user")
            .order_by("score", "mentee__email")
        )
        for pair in pairs:
            pair.rows = criteria_rows(pair.breakdown)
        context["pairs"] = pairs
        context["is_stale"] = (
            run.status == MatchRun.Status.DONE
            and run.pool_fingerprint != runs.pool_fingerprint(run.program)
        )
    return render(request, "matching/run_detail.html", context)


@require_GET
@org_permission_required("view_programs")
def run_progress(request, org_slug, program_slug, number):
    """htmx polls this while the run works; when it is done the page reloads itself."""
    run = _run(request, program_slug, number)
    if not run.is_working:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "matching/partials/_run_progress.html", {"run": run, "program": run.program}
    )


@require_POST
@org_permission_required("manage_programs")
def suggestion_review(request, org_slug, program_slug, number, pk):
    run = _run(request, program_slug, number)
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("run__program", "mentee__user", "mentor__user"),
        run=run,
        pk=pk,
    )
    change = {
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "reject": {"rejected": True},
        "unreject": {"rejected": False},
    }.get(request.POST.get("action"))
    error = None
    if change is None:
        error = "Choose lock, unlock, reject or unreject."
    else:
        try:
            runs.set_review(suggestion=suggestion, actor=request.user, **change)
        except ValidationError as exc:
            error = first_error(exc)
    if request.htmx:
        suggestion.rows = criteria_rows(suggestion.breakdown)
        context = {
            "pair": suggestion,
            "run": run,
            "program": run.program,
            "can_manage": True,
            "error": error,
        }
        return render(
            request, "matching/partials/_pair_row.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)


@require_POST
@org_permission_required("manage_programs")
def run_rerun(request, org_slug, program_slug, number):
    run = _run(request, program_slug, number)
    try:
        new = runs.start_run(program=run.program, actor=request.user, based_on=run)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=new.number)


@require_POST
@org_permission_required("manage_programs")
def run_publish(request, org_slug, program_slug, number):
    run = _run(request, program_slug, number)
    try:
        matches = runs.publish_run(run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        run.refresh_from_db()
        if run.for_choosing:
            messages.success(
                request, "Published: each mentee now sees their suggested mentors and chooses."
            )
        else:
            messages.success(
                request, f"Published {len(matches)} matches; both people are told by email."
            )
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)


@require_GET
@org_permission_required("view_programs")
def run_compare(request, org_slug, program_slug):
    program = get_program_for_member(request, program_slug)
    done = MatchRun.objects.filter(
        program=program, status__in=[MatchRun.Status.DONE, MatchRun.Status.PUBLISHED]
    )
    try:
        a = done.get(number=int(request.GET.get("a", "")))
        b = done.get(number=int(request.GET.get("b", "")))
    except (ValueError, MatchRun.DoesNotExist):
        messages.error(request, "Choose two finished runs to compare.")
        return redirect("matching:runs", org_slug=org_slug, program_slug=program_slug)
    pairs = {}
    for s in Suggestion.objects.filter(run__in=[a, b], assigned=True).select_related(
        "mentee__user", "mentor__user"
    ):
        pairs.setdefault(s.mentee_id, {"mentee": s.mentee})[s.run_id] = s
    rows = sorted(pairs.values(), key=lambda r: r["mentee"].display_name.lower())
    for row in rows:
        row["a"], row["b"] = row.get(a.pk), row.get(b.pk)
        row["same"] = bool(row["a"] and row["b"] and row["a"].mentor_id == row["b"].mentor_id)
    context = {
        "program": program,
        "a": a,
        "b": b,
        "rows": rows,
        "changed": sum(1 for r in rows if not r["same"]),
    }
    return render(request, "matching/run_compare.html", context)
