"""Pages of match runs: start a run, watch its progress, review and publish, compare two."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.people import attach_cards
from mentorship.permissions import has_perm
from mentorship.web import first_error
from programs.permissions import can_manage_program
from programs.web import program_permission_required

from .. import engine, queries
from ..forms import PairFilter
from ..models import MatchRun, Suggestion
from ..services import runs, swap

PAGE_SIZE = 50


UNMATCHED_PAGE_SIZE = 50


def why_rows(pair):
    """[(label, share of the score, plain words)] for the "why this match" of one pair,
    biggest share first. Runs from before explanations were stored have only the shares."""
    if pair.explanations:
        return [(e["label"], e["contribution"], e["text"]) for e in pair.explanations]
    rows = [
        (engine.LABELS.get(key, "Custom question"), value, "")
        for key, value in pair.breakdown.items()
    ]
    return sorted(rows, key=lambda row: -row[1])


def _attach_people(pairs, organization):
    """Each pair's two people get their card (job title, department, bio, photo): one query."""
    attach_cards([p for pair in pairs for p in (pair.mentee, pair.mentor)], organization)


@require_http_methods(["GET", "POST"])
@program_permission_required("view_programs")
def run_list(request, org_slug, program_slug):
    program = request.program
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
        "can_manage": can_manage_program(request.membership, program),
    }
    return render(request, "matching/run_list.html", context)


@require_GET
@program_permission_required("view_programs")
def run_detail(request, org_slug, program_slug, number):
    run = queries.get_run_for_member(request, program_slug, number)
    can_manage = can_manage_program(request.membership, run.program)
    context = {
        "program": run.program,
        "run": run,
        "can_manage": can_manage,
        "can_swap": can_manage and swap.can_swap(run),
    }
    status = 200
    if run.status in (MatchRun.Status.DONE, MatchRun.Status.PUBLISHED):
        pairs = Suggestion.objects.filter(run=run, assigned=True).select_related(
            "mentee__user", "mentor__user"
        )
        filterset = PairFilter(request.GET, queryset=pairs)
        valid = filterset.is_valid()
        page = Paginator(filterset.qs if valid else pairs.none(), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        for pair in page:
            pair.rows = why_rows(pair)
        _attach_people(page, request.organization)
        querystring = request.GET.copy()
        querystring.pop("page", None)
        # Many unmatched mentees must not push the pairs down: they come after, folded, paged.
        unmatched = Paginator(run.unmatched or [], UNMATCHED_PAGE_SIZE).get_page(
            request.GET.get("unmatched")
        )
        unmatched_query = request.GET.copy()
        unmatched_query.pop("unmatched", None)
        context |= {
            "unmatched": unmatched,
            "unmatched_query": unmatched_query.urlencode(),
            "page": page,
            "filter": filterset,
            "filtered": bool(request.GET.get("q") or request.GET.get("show")),
            "querystring": querystring.urlencode(),
            "is_stale": (
                run.status == MatchRun.Status.DONE
                and run.pool_fingerprint != runs.pool_fingerprint(run.program)
            ),
            "proof": runs.proof(run),
        }
        status = 200 if valid else 400
    return render(request, "matching/run_detail.html", context, status=status)


@require_GET
@program_permission_required("view_programs")
def run_progress(request, org_slug, program_slug, number):
    """htmx polls this while the run works; when it is done the page reloads itself."""
    run = queries.get_run_for_member(request, program_slug, number)
    if not run.is_working:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request, "matching/partials/_run_progress.html", {"run": run, "program": run.program}
    )


@require_POST
@program_permission_required("manage_programs")
def suggestion_review(request, org_slug, program_slug, number, pk):
    suggestion = queries.get_suggestion_for_member(request, program_slug, number, pk)
    run = suggestion.run
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
        suggestion.rows = why_rows(suggestion)
        _attach_people([suggestion], request.organization)
        context = {
            "pair": suggestion,
            "run": run,
            "program": run.program,
            "can_manage": True,
            "can_swap": swap.can_swap(run),
            "error": error,
        }
        return render(
            request, "matching/partials/_pair_row.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)


@require_POST
@program_permission_required("manage_programs")
def run_swap(request, org_slug, program_slug, number):
    """Swap the mentors of the two pairs ticked in the review table."""
    run = queries.get_run_for_member(request, program_slug, number)
    back = redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)
    query = request.POST.get("querystring", "")
    if query:  # back to the same search and page, when it was one of ours
        back["Location"] += "?" + QueryDict(query).urlencode()
    try:
        ids = [int(pk) for pk in request.POST.getlist("pair")]
    except ValueError:
        ids = []
    if len(ids) != 2:
        messages.error(request, "Tick exactly two pairs to swap their mentors.")
        return back
    before = {s.pk: s.score for s in Suggestion.objects.filter(run=run, pk__in=ids).only("score")}
    try:
        made = swap.swap_mentors(run=run, first=ids[0], second=ids[1], actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        old, new = sum(before.values()), sum(s.score for s in made)
        names = " and ".join(f"{s.mentee.display_name} – {s.mentor.display_name}" for s in made)
        messages.success(
            request,
            f"Swapped: {names}. Both pairs are locked. Together they score "
            f"{new:.2f} ({abs(new - old):.2f} {'more' if new >= old else 'less'} than before).",
        )
    return back


@require_POST
@program_permission_required("manage_programs")
def run_rerun(request, org_slug, program_slug, number):
    run = queries.get_run_for_member(request, program_slug, number)
    try:
        new = runs.start_run(program=run.program, actor=request.user, based_on=run)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=number)
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=new.number)


@require_POST
@program_permission_required("manage_programs")
def run_publish(request, org_slug, program_slug, number):
    run = queries.get_run_for_member(request, program_slug, number)
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


def _finished_run(request, program_slug, number):
    run = queries.get_run_for_member(request, program_slug, number)
    if run.status not in (MatchRun.Status.DONE, MatchRun.Status.PUBLISHED):
        raise Http404("This run has no pairs yet.")
    return run


@require_GET
@program_permission_required("view_programs")
def run_compare(request, org_slug, program_slug):
    program = request.program
    try:
        a, b = (_finished_run(request, program_slug, request.GET.get(k)) for k in ("a", "b"))
    except Http404:  # no such run, or one still working
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
