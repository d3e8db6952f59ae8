"""Program pages: list, my programs, create, dashboard, settings, lifecycle, foundation,
agreement versions and cohorts. Thin: forms validate, ``programs.services`` writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentorship.permissions import has_perm
from mentorship.web import (
    first_error,
    form_errors,
    org_permission_required,
    run_service,
    status_for,
)

from .. import catalog, queries, services
from ..agreements import PLACEHOLDERS, program_context, render_agreement
from ..forms import (
    AgreementForm,
    CohortForm,
    FoundationForm,
    ProgramCreateForm,
    ProgramForm,
    StatusForm,
)
from ..models import AgreementTemplate, Cohort, Enrollment, Program
from ..permissions import can_manage_program
from ..web import program_permission_required

# --- Lists ---------------------------------------------------------------------------------------


@require_GET
def program_list(request, org_slug):
    programs = queries.with_counts(queries.programs_for(request.membership)).order_by(
        "status", "name"
    )
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": programs,
            "can_manage": has_perm(request.membership, "manage_programs"),
            # Counts are for people who run programs; a participant's list would count only
            # their own enrolment ("Mentors 0").
            "show_counts": has_perm(request.membership, "view_programs"),
        },
    )


@require_GET
def my_programs(request, org_slug):
    enrollments = queries.my_enrollments(request.user, request.organization)
    return render(request, "programs/program_mine.html", {"enrollments": enrollments})


# --- Create, dashboard, settings, lifecycle -----------------------------------------------------


@org_permission_required("manage_programs")
def program_create(request, org_slug):
    templates = [(key, t["name"]) for key, t in catalog.TEMPLATES.items()]
    form = ProgramCreateForm(request.POST or None, templates=templates)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Two programs of the same name are allowed (each gets its own address), but rarely
        # meant: ask once before creating the second.
        duplicate = Program.objects.filter(
            organization=request.organization, name__iexact=data["name"].strip()
        ).first()
        if duplicate is None or request.POST.get("confirm_duplicate"):
            extra = {"start_date": data["start_date"]} if data["start_date"] else {}
            try:
                program = services.create_program(
                    organization=request.organization,
                    actor=request.user,
                    name=data["name"],
                    template_key=data["template"],
                    **extra,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"“{program.name}” created as a draft.")
                return redirect("programs:detail", org_slug=org_slug, program_slug=program.slug)
    context = {
        "form": form,
        "duplicate": duplicate,
        "chosen": form["template"].value() or "",
        "template_cards": [
            (
                "",
                "Start from scratch",
                "An empty logic model: you add outcomes, outputs, "
                "activities, inputs and indicators yourself.",
            ),
            *[(k, t["name"], t.get("summary", "")) for k, t in catalog.TEMPLATES.items()],
        ],
    }
    return render(request, "programs/program_create.html", context, status=status_for(form))


def _dashboard(program):
    rows = (
        Enrollment.objects.filter(program=program)
        .values("role", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = dict.fromkeys(Enrollment.Status.values, 0)
    by_role = dict.fromkeys(Enrollment.Role.values, 0)
    for row in rows:
        by_status[row["status"]] += row["n"]
        if row["status"] == Enrollment.Status.ACTIVE:
            by_role[row["role"]] += row["n"]
    active = Q(enrollments__status=Enrollment.Status.ACTIVE)
    waiting = Q(enrollments__status__in=[Enrollment.Status.INVITED, Enrollment.Status.APPLIED])
    cohorts = Cohort.objects.filter(program=program).annotate(
        mentors=Count("enrollments", filter=active & Q(enrollments__role="mentor")),
        mentees=Count("enrollments", filter=active & Q(enrollments__role="mentee")),
        waiting=Count("enrollments", filter=waiting),
    )
    return {
        "by_status": [(Enrollment.Status(s).label, n) for s, n in by_status.items()],
        "by_role": by_role,
        "cohorts": cohorts,
        "missing": services.readiness(program),
    }


@require_GET
@program_permission_required()
def program_detail(request, org_slug, program_slug):
    program = request.program
    context = {
        "program": program,
        "can_manage": has_perm(request.membership, "manage_programs"),
        "foundation": program.foundation,
    }
    if has_perm(request.membership, "view_programs"):
        context.update(_dashboard(program))
        context["next_statuses"] = [
            Program.Status(s) for s in sorted(services.TRANSITIONS[program.status])
        ]
        return render(request, "programs/program_detail.html", context)
    context["enrollment"] = (
        queries.for_owner(Enrollment.objects.filter(program=program, user=request.user))
        .select_related("cohort")
        .first()
    )
    template = services.current_agreement_template(program)
    if template is not None:
        context["agreements"] = _agreements_for(program, template, context["enrollment"])
    return render(request, "programs/program_participant.html", context)


def _agreements_for(program, template, enrollment):
    """The agreement as this person will read it: one per match, with both real names; before
    a match, their own name filled in and the other side still a label."""
    if enrollment is None:
        return [(None, render_agreement(template.body, program_context(program)))]
    matches = queries.open_pairs_of(enrollment)
    if not matches:
        own = {f"{enrollment.role}_name": enrollment.display_name}
        return [(None, render_agreement(template.body, program_context(program, **own)))]
    agreements = []
    for match in matches:
        names = {"mentor_name": match.mentor.display_name, "mentee_name": match.mentee.display_name}
        other = match.mentee if enrollment.role == Enrollment.Role.MENTOR else match.mentor
        html = render_agreement(template.body, program_context(program, **names))
        agreements.append((other.display_name, html))
    return agreements


@program_permission_required("manage_programs")
def program_edit(request, org_slug, program_slug):
    program = request.program
    form = ProgramForm(request.POST or None, instance=program)
    if program.is_closed:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ProgramForm.Meta.fields}
        # The ModelForm already changed the instance; services save from a fresh copy.
        fresh = Program.objects.get(pk=program.pk)
        try:
            program = services.update_program(program=fresh, actor=request.user, **fields)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "Program settings saved.")
            return redirect("programs:detail", org_slug=org_slug, program_slug=program.slug)
    context = {"program": Program.objects.get(pk=program.pk), "form": form}
    return render(request, "programs/program_edit.html", context, status=status_for(form))


@require_POST
@program_permission_required("manage_programs")
def program_status(request, org_slug, program_slug):
    program = request.program
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid status.")
        return redirect("programs:detail", org_slug=org_slug, program_slug=program_slug)
    status = Program.Status(form.cleaned_data["status"])
    run_service(
        request,
        lambda: services.change_status(program=program, status=status, actor=request.user),
        success=f"“{program.name}” is now {status.label.lower()}.",
    )
    return redirect("programs:detail", org_slug=org_slug, program_slug=program_slug)


@require_POST
@program_permission_required("manage_programs")
def program_delete(request, org_slug, program_slug):
    program = request.program
    deleted = run_service(
        request,
        lambda: services.delete_program(program=program, actor=request.user),
        success=f"“{program.name}” deleted.",
    )
    if deleted:
        return redirect("programs:list", org_slug=org_slug)
    return redirect("programs:detail", org_slug=org_slug, program_slug=program_slug)


# --- Foundation and agreement --------------------------------------------------------------------


@program_permission_required("view_programs")
def foundation(request, org_slug, program_slug):
    program = request.program
    current = program.foundation
    initial = {
        "values": current.values,
        "goals": current.goals,
        "rules_of_engagement": "\n".join(current.rules_of_engagement),
    }
    form = FoundationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_foundation(program=program, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, "Foundation saved.")
                return redirect("programs:foundation", org_slug=org_slug, program_slug=program_slug)
    context = {
        "program": program,
        "form": form,
        "can_manage": can_manage_program(request.membership, program),
    }
    return render(request, "programs/program_foundation.html", context, status=status_for(form))


@program_permission_required("view_programs")
def agreement(request, org_slug, program_slug):
    program = request.program
    current = services.current_agreement_template(program)
    form = AgreementForm(request.POST or None, initial={"body": current.body if current else ""})
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        if form.is_valid():
            try:
                saved = services.save_agreement_template(
                    program=program, body=form.cleaned_data["body"], actor=request.user
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if current is not None and saved.pk == current.pk:
                    messages.info(request, "No changes: the agreement stays at this version.")
                else:
                    messages.success(request, f"Saved as version {saved.version}.")
                return redirect("programs:agreement", org_slug=org_slug, program_slug=program_slug)
    context = {
        "program": program,
        "form": form,
        "current": current,
        "versions": AgreementTemplate.objects.filter(program=program).select_related("created_by"),
        "preview": render_agreement(current.body, program_context(program)) if current else "",
        "placeholders": PLACEHOLDERS,
        "can_manage": can_manage_program(request.membership, program),
    }
    return render(request, "programs/program_agreement.html", context, status=status_for(form))


@require_POST
@program_permission_required("manage_programs")
def agreement_preview(request, org_slug, program_slug):
    """htmx: the agreement as a pair would see it, from the text being edited."""
    program = request.program
    body = request.POST.get("body", "")
    try:
        services.check_agreement_body(body)
    except ValidationError as exc:
        return render(
            request,
            "programs/partials/_agreement_preview.html",
            {"error": first_error(exc)},
            status=400,
        )
    html = render_agreement(body, program_context(program))
    return render(request, "programs/partials/_agreement_preview.html", {"preview": html})


# --- Cohorts -------------------------------------------------------------------------------------


@program_permission_required("view_programs")
def cohorts(request, org_slug, program_slug):
    program = request.program
    form = CohortForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        if form.is_valid():
            try:
                cohort = services.create_cohort(
                    program=program, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"Cohort “{cohort.name}” added.")
                return redirect("programs:cohorts", org_slug=org_slug, program_slug=program_slug)
    active = Q(enrollments__status=Enrollment.Status.ACTIVE)
    context = {
        "program": program,
        "form": form,
        "cohorts": Cohort.objects.filter(program=program).annotate(
            mentors=Count("enrollments", filter=active & Q(enrollments__role="mentor")),
            mentees=Count("enrollments", filter=active & Q(enrollments__role="mentee")),
        ),
        "can_manage": can_manage_program(request.membership, program),
    }
    return render(request, "programs/program_cohorts.html", context, status=status_for(form))


@require_POST
@program_permission_required("manage_programs")
def cohort_edit(request, org_slug, program_slug, pk):
    cohort = queries.get_cohort_for_member(request, program_slug, pk)
    form = CohortForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.update_cohort(cohort=cohort, actor=request.user, **form.cleaned_data),
            success="Cohort saved.",
        )
    else:
        messages.error(request, "Give the cohort a name and a valid start date.")
    return redirect("programs:cohorts", org_slug=org_slug, program_slug=program_slug)


@require_POST
@program_permission_required("manage_programs")
def cohort_delete(request, org_slug, program_slug, pk):
    cohort = queries.get_cohort_for_member(request, program_slug, pk)
    run_service(
        request,
        lambda: services.delete_cohort(cohort=cohort, actor=request.user),
        success=f"Cohort “{cohort.name}” deleted.",
    )
    return redirect("programs:cohorts", org_slug=org_slug, program_slug=program_slug)
