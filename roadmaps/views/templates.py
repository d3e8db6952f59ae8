"""The admins' roadmap template editor, under programs/<program>/roadmap/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.web import first_error, form_errors, status_for
from programs.services import ensure_editable
from programs.web import program_permission_required

from .. import queries
from ..defaults import template_section
from ..forms import TemplateMilestoneForm, initial_of
from ..permissions import can_manage_template
from ..services import templates as services


def _back(request):
    program = request.program
    return redirect(
        "roadmaps:template", org_slug=program.organization.slug, program_slug=program.slug
    )


def _context(request, template, form=None, editing=None):
    program = request.program
    steps = list(queries.template_steps(template)) if template else []
    days = services.offsets(steps)
    for step in steps:
        step.due_days = days.get(step.pk, 0)
    outputs = list(queries.output_choices(program))
    can_manage = can_manage_template(request.membership, program)
    live = services.has_live_pairs(program) if template else False
    return {
        "program": program,
        "template": template,
        "steps": steps,
        "defaults": template_section(program.template_key)["milestones"] if not template else [],
        "form": form or TemplateMilestoneForm(steps=steps, outputs=outputs),
        "editing": editing,
        "can_manage": can_manage,
        "has_live_pairs": live,
    }


@require_GET
@program_permission_required("view_programs")
def template(request, org_slug, program_slug):
    template = queries.get_template_for_member(request, program_slug)
    return render(request, "roadmaps/template.html", _context(request, template))


@require_POST
@program_permission_required("manage_programs")
def template_setup(request, org_slug, program_slug):
    try:
        ensure_editable(request.program)
        services.ensure_template(request.program)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, "The roadmap is set up: edit its milestones below.")
    return _back(request)


@require_POST
@program_permission_required("manage_programs")
def milestone_add(request, org_slug, program_slug):
    program = request.program
    template = queries.get_template_for_member(request, program_slug)
    steps = list(queries.template_steps(template)) if template else []
    form = TemplateMilestoneForm(
        request.POST, steps=steps, outputs=list(queries.output_choices(program))
    )
    if form.is_valid():
        try:
            with transaction.atomic():  # a refused milestone leaves no new template either
                template = template or services.ensure_template(program)
                step = services.add_milestone(
                    template=template,
                    actor=request.user,
                    apply_to=form.cleaned_data["apply_to"] or services.APPLY_NEW,
                    **form.service_data(),
                )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"Added “{step.title}”.")
            return _back(request)
    context = _context(request, template, form=form)
    return render(request, "roadmaps/template.html", context, status=status_for(form))


@require_http_methods(["GET", "POST"])
@program_permission_required("manage_programs")
def milestone_edit(request, org_slug, program_slug, pk):
    program = request.program
    step = queries.get_template_milestone_for_member(request, program_slug, pk)
    steps = list(queries.template_steps(step.template))
    outputs = list(queries.output_choices(program))
    if request.method == "POST":
        form = TemplateMilestoneForm(request.POST, steps=steps, outputs=outputs, instance=step)
        if form.is_valid():
            try:
                services.update_milestone(
                    milestone=step,
                    actor=request.user,
                    apply_to=form.cleaned_data["apply_to"] or services.APPLY_NEW,
                    **form.service_data(),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Saved “{step.title}”.")
                return _back(request)
    else:
        form = TemplateMilestoneForm(
            initial=initial_of(step), steps=steps, outputs=outputs, instance=step
        )
    context = {
        "program": program,
        "step": step,
        "form": form,
        "has_live_pairs": services.has_live_pairs(program),
    }
    return render(request, "roadmaps/template_edit.html", context, status=status_for(form))


@require_POST
@program_permission_required("manage_programs")
def milestone_delete(request, org_slug, program_slug, pk):
    step = queries.get_template_milestone_for_member(request, program_slug, pk)
    apply_to = request.POST.get("apply_to") or services.APPLY_NEW
    try:
        services.delete_milestone(milestone=step, actor=request.user, apply_to=apply_to)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, f"Removed “{step.title}”.")
    return _back(request)


@require_POST
@program_permission_required("manage_programs")
def milestone_move(request, org_slug, program_slug, pk):
    step = queries.get_template_milestone_for_member(request, program_slug, pk)
    try:
        services.move_milestone(
            milestone=step, direction=request.POST.get("direction"), actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    return _back(request)
