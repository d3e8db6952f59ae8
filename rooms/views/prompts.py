"""A program's library of stage prompts: its admins add, edit, reorder and delete them (HR
reads). The agenda of each pair's meetings suggests the prompts of the pair's stage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.web import first_error, form_errors, status_for
from programs.permissions import can_manage_program
from programs.web import program_permission_required

from .. import queries
from ..forms import StagePromptForm
from ..models import Stage
from ..services import prompts as services


def _back(request):
    program = request.program
    return redirect("rooms:prompts", org_slug=program.organization.slug, program_slug=program.slug)


@require_http_methods(["GET", "POST"])
@program_permission_required("view_programs")
def prompt_list(request, org_slug, program_slug):
    """GET: the library, stage by stage; POST (admins): add a prompt."""
    program = request.program
    form = StagePromptForm(request.POST or None, initial={"stage": 1})
    if request.method == "POST":
        if not can_manage_program(request.membership, program):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_prompt(program=program, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "Prompt added.")
                return _back(request)
    return _page(request, form)


def _page(request, form=None, status=None, error=""):
    """The library, stage by stage, with the add form (and what went wrong, if anything)."""
    program = request.program
    library = queries.prompt_library(program)
    by_stage = {stage: [] for stage in Stage}
    for prompt in library:
        by_stage[Stage(prompt.stage)].append(prompt)
    form = form or StagePromptForm(initial={"stage": 1})
    context = {
        "program": program,
        "stages": [(stage, by_stage[stage]) for stage in Stage],
        "form": form,
        "error": error,
        "can_manage": can_manage_program(request.membership, program),
    }
    status = status or status_for(form)
    return render(request, "rooms/prompts/list.html", context, status=status)


@require_POST
@program_permission_required("manage_programs")
def prompt_edit(request, org_slug, program_slug, pk):
    prompt = queries.get_stage_prompt_for_member(request, program_slug, pk)
    form = StagePromptForm(request.POST)
    if not form.is_valid():
        problems = " ".join(e for errors in form.errors.values() for e in errors)
        return _page(request, status=400, error=problems)
    try:
        services.edit_prompt(prompt=prompt, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _page(request, status=400, error=first_error(exc))
    messages.success(request, "Prompt saved.")
    return _back(request)


@require_POST
@program_permission_required("manage_programs")
def prompt_delete(request, org_slug, program_slug, pk):
    prompt = queries.get_stage_prompt_for_member(request, program_slug, pk)
    services.delete_prompt(prompt=prompt, actor=request.user)
    messages.success(request, "Prompt deleted.")
    return _back(request)


@require_POST
@program_permission_required("manage_programs")
def prompt_move(request, org_slug, program_slug, pk):
    prompt = queries.get_stage_prompt_for_member(request, program_slug, pk)
    try:
        services.move_prompt(
            prompt=prompt, actor=request.user, direction=request.POST.get("direction")
        )
    except ValidationError as exc:
        return _page(request, status=400, error=first_error(exc))
    return _back(request)
