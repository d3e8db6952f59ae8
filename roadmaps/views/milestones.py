"""The pair's changes to their roadmap: milestones, evidence and goals (all POST; htmx swaps
the roadmap's body in place, a plain form post is redirected back to the page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from mentorship.web import first_error

from .. import queries
from ..forms import CompleteForm, CountForm, GoalForm, MilestoneForm, RateForm, RetireForm
from ..services import evidence as evidence_services
from ..services import goals as goal_services
from ..services import milestones as services
from .roadmaps import roadmap_context


def _answer(request, roadmap, call, *, success, form=None):
    """Run ``call``; answer htmx with the roadmap's body (400 with the error on failure), a
    plain post with a redirect (success) or the page with the error (400)."""
    error = None
    if form is not None and not form.is_valid():
        error = " ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            call()
        except ValidationError as exc:
            error = first_error(exc)
    if error is None and not request.htmx:
        messages.success(request, success)
        return redirect("roadmaps:roadmap", org_slug=roadmap.organization.slug, pk=roadmap.pk)
    roadmap = queries.get_own_roadmap_for_member(request, roadmap.pk)
    context = roadmap_context(request, roadmap, error=error, notice=None if error else success)
    template = "roadmaps/partials/_body.html" if request.htmx else "roadmaps/roadmap.html"
    return render(request, template, context, status=400 if error else 200)


def _milestone(request, pk, milestone_pk):
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    return roadmap, queries.get_milestone_for_member(request, milestone_pk, roadmap=roadmap)


@require_POST
def milestone_add(request, org_slug, pk):
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    form = MilestoneForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: services.add_milestone(roadmap=roadmap, actor=request.user, **form.cleaned_data),
        success="Milestone added.",
        form=form,
    )


@require_POST
def milestone_edit(request, org_slug, pk, milestone_pk):
    roadmap, milestone = _milestone(request, pk, milestone_pk)
    form = MilestoneForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: services.edit_milestone(
            milestone=milestone, actor=request.user, **form.cleaned_data
        ),
        success="Milestone saved.",
        form=form,
    )


def _action(service, success):
    @require_POST
    def view(request, org_slug, pk, milestone_pk):
        roadmap, milestone = _milestone(request, pk, milestone_pk)
        return _answer(
            request,
            roadmap,
            lambda: service(milestone=milestone, actor=request.user),
            success=success.format(title=milestone.title),
        )

    return view


milestone_start = _action(services.start_milestone, "You started “{title}”.")
milestone_skip = _action(services.skip_milestone, "You skipped “{title}”.")
milestone_reopen = _action(services.reopen_milestone, "“{title}” is open again.")
milestone_confirm = _action(services.confirm_milestone, "You confirmed “{title}”.")


@require_POST
def milestone_move(request, org_slug, pk, milestone_pk):
    roadmap, milestone = _milestone(request, pk, milestone_pk)
    return _answer(
        request,
        roadmap,
        lambda: services.move_milestone(
            milestone=milestone, direction=request.POST.get("direction"), actor=request.user
        ),
        success="Moved.",
    )


@require_POST
def milestone_complete(request, org_slug, pk, milestone_pk):
    roadmap, milestone = _milestone(request, pk, milestone_pk)
    form = CompleteForm(request.POST, request.FILES)
    return _answer(
        request,
        roadmap,
        lambda: services.complete_milestone(
            milestone=milestone, actor=request.user, **form.cleaned_data
        ),
        success=f"Well done: “{milestone.title}” is done.",
        form=form,
    )


@require_POST
def milestone_count(request, org_slug, pk, milestone_pk):
    roadmap, milestone = _milestone(request, pk, milestone_pk)
    form = CountForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: services.set_count(
            milestone=milestone, actor=request.user, count=form.cleaned_data["count"]
        ),
        success="Count saved.",
        form=form,
    )


@require_POST
def evidence_add(request, org_slug, pk, milestone_pk):
    roadmap, milestone = _milestone(request, pk, milestone_pk)
    form = CompleteForm(request.POST, request.FILES)
    return _answer(
        request,
        roadmap,
        lambda: evidence_services.add_evidence(
            milestone=milestone, actor=request.user, **form.cleaned_data
        ),
        success="Evidence added.",
        form=form,
    )


@require_POST
def evidence_delete(request, org_slug, pk, evidence_pk):
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    evidence = queries.get_evidence_for_member(request, evidence_pk, roadmap=roadmap)
    return _answer(
        request,
        roadmap,
        lambda: evidence_services.delete_evidence(evidence=evidence, actor=request.user),
        success="Evidence removed.",
    )


@require_GET
def evidence_file(request, org_slug, pk, evidence_pk):
    """The evidence's file, to the pair only, always as a download."""
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    evidence = queries.get_evidence_for_member(request, evidence_pk, roadmap=roadmap)
    if not evidence.file:
        raise queries.Http404("This evidence has no file.")
    # Read whole (at most EVIDENCE_MAX_BYTES), so no file handle outlives the request.
    with evidence.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(
        content, content_type=evidence.content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=evidence.file_name or "evidence"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Goals --------------------------------------------------------------------------------------


def _goal(request, pk, goal_pk):
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    return roadmap, queries.get_goal_for_member(request, goal_pk, match=roadmap.match)


@require_POST
def goal_add(request, org_slug, pk):
    roadmap = queries.get_own_roadmap_for_member(request, pk)
    form = GoalForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: goal_services.add_goal(
            match=roadmap.match, text=form.cleaned_data["text"], actor=request.user
        ),
        success="Goal added.",
        form=form,
    )


@require_POST
def goal_edit(request, org_slug, pk, goal_pk):
    roadmap, goal = _goal(request, pk, goal_pk)
    form = GoalForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: goal_services.edit_goal(
            goal=goal, text=form.cleaned_data["text"], actor=request.user
        ),
        success="Goal saved.",
        form=form,
    )


@require_POST
def goal_rate(request, org_slug, pk, goal_pk):
    roadmap, goal = _goal(request, pk, goal_pk)
    form = RateForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: goal_services.rate_goal(goal=goal, actor=request.user, **form.cleaned_data),
        success="Progress rated.",
        form=form,
    )


@require_POST
def goal_retire(request, org_slug, pk, goal_pk):
    roadmap, goal = _goal(request, pk, goal_pk)
    form = RetireForm(request.POST)
    return _answer(
        request,
        roadmap,
        lambda: goal_services.retire_goal(
            goal=goal, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        success="Goal retired.",
        form=form,
    )
