"""The criteria page (the matching matrix): settings, custom questions and the live preview.
Forms parse, ``services.criteria`` validates and writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentorship.permissions import has_perm
from mentorship.web import first_error, form_errors, status_for
from programs.permissions import can_manage_program
from programs.web import program_permission_required

from .. import queries
from ..forms import CriteriaForm, CustomQuestionForm
from ..models import MatchingSettings
from ..services import criteria as services
from ..services.preview import preview


@program_permission_required("view_programs")
def criteria(request, org_slug, program_slug):
    program = request.program
    can_manage = can_manage_program(request.membership, program)
    settings = queries.settings_for(program)
    questions = list(queries.custom_questions(program))
    form = CriteriaForm(
        request.POST or None, settings=settings, questions=questions, disabled=not can_manage
    )
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_settings(
                    program=program,
                    actor=request.user,
                    request_expiry_days=form.cleaned_data["request_expiry_days"],
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "Matching criteria saved.")
                return redirect("matching:criteria", org_slug=org_slug, program_slug=program.slug)
    return _criteria_page(request, program, settings, questions, form=form, status=status_for(form))


def _criteria_page(
    request, program, settings=None, questions=None, *, form=None, question_form=None,
    edited=None, status=200,
):  # fmt: skip
    """The criteria page; ``question_form`` (adding) or ``edited`` (question pk, form) are a
    custom-question form that failed, shown open with what was typed and its errors."""
    can_manage = can_manage_program(request.membership, program)
    if settings is None:
        settings = queries.settings_for(program)
    if questions is None:
        questions = list(queries.custom_questions(program))
    if form is None:
        form = CriteriaForm(settings=settings, questions=questions, disabled=not can_manage)
    edited_pk, edited_form = edited or (None, None)
    context = {
        "program": program,
        "active": "matching",
        "form": form,
        "can_manage": can_manage,
        "custom_questions": [
            (
                q,
                edited_form
                if q.pk == edited_pk
                else CustomQuestionForm(initial=_question_initial(q), prefix=f"q{q.pk}"),
            )
            for q in questions
        ],
        "question_form": question_form or CustomQuestionForm(),
        "edited_pk": edited_pk,
        "preview": preview(program, settings),
    }
    return render(request, "matching/criteria.html", context, status=status)


def _question_initial(question):
    return {"text": question.text, "kind": question.kind, "options": "\n".join(question.options)}


def _question_post(request, call):
    """Run a custom-question service from a posted form. Returns (done, form): a failed form
    carries what was typed and why it was refused."""
    form = CustomQuestionForm(request.POST, prefix=request.POST.get("prefix") or None)
    if not form.is_valid():
        return False, form
    try:
        call(**form.cleaned_data)
    except ValidationError as exc:
        form_errors(form, exc)
        return False, form
    return True, form


@require_POST
@program_permission_required("manage_programs")
def question_add(request, org_slug, program_slug):
    program = request.program
    done, form = _question_post(
        request,
        lambda **data: services.create_custom_question(program=program, actor=request.user, **data),
    )
    if not done:
        return _criteria_page(request, program, question_form=form, status=400)
    messages.success(request, "Question added. It is now a matching criterion too.")
    return redirect("matching:criteria", org_slug=org_slug, program_slug=program.slug)


@require_POST
@program_permission_required("manage_programs")
def question_edit(request, org_slug, program_slug, pk):
    question = queries.get_question_for_member(request, program_slug, pk)
    program = question.program
    done, form = _question_post(
        request,
        lambda **data: services.update_custom_question(
            question=question, actor=request.user, **data
        ),
    )
    if not done:
        return _criteria_page(request, program, edited=(question.pk, form), status=400)
    messages.success(request, "Question saved.")
    return redirect("matching:criteria", org_slug=org_slug, program_slug=program.slug)


@require_POST
@program_permission_required("manage_programs")
def criteria_preview(request, org_slug, program_slug):
    """htmx: the effect of the settings being edited on the current pool; saves nothing."""
    program = request.program
    settings = queries.settings_for(program)
    questions = list(queries.custom_questions(program))
    form = CriteriaForm(request.POST, settings=settings, questions=questions)
    result = None
    if form.is_valid():
        try:
            aims = form.service_kwargs()
            objective, min_score = aims.pop("objective"), aims.pop("min_score")
            cleaned = services.clean_settings(program=program, **aims)
        except ValidationError as exc:
            result = {"error": " ".join(exc.messages)}
        else:
            unsaved = MatchingSettings(
                organization=program.organization,
                program=program,
                objective=objective,
                min_score=min_score,
                **cleaned,
            )
            result = preview(program, unsaved)
    else:
        result = {"error": "Fix the highlighted fields to see the effect."}
    return render(request, "matching/partials/_criteria_preview.html", {"preview": result})


@require_POST
@program_permission_required("manage_programs")
def question_delete(request, org_slug, program_slug, pk):
    question = queries.get_question_for_member(request, program_slug, pk)
    program = question.program
    try:
        services.delete_custom_question(question=question, actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, f"Question “{question.text}” deleted.")
    return redirect("matching:criteria", org_slug=org_slug, program_slug=program.slug)
