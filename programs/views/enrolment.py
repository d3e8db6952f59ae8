"""Enrolment pages: the program's participants (admins run it, HR reads it), the CSV import
with its preview, and the join link members apply through. Thin: ``programs.enrolment`` writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentorship.permissions import has_perm
from mentorship.tenancy import get_membership
from mentorship.web import first_error, form_errors

from .. import enrolment, queries, services
from ..enrolment_forms import CsvUploadForm, EnrollmentFilter, InviteParticipantForm, JoinForm
from ..models import Enrollment
from ..permissions import can_manage_program
from ..web import program_permission_required

PAGE_SIZE = 50
STATUS_ORDER = ["applied", "invited", "active", "declined", "withdrawn"]


def enrollments_of(program):
    """The program's enrolments, waiting ones first, with what the table shows in one query."""
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
        output_field=IntegerField(),
    )
    return (
        Enrollment.objects.filter(organization=program.organization, program=program)
        .select_related("user", "cohort")
        .annotate(status_order=order)
        .order_by("status_order", "role", "email")
    )


def _join_url(request, program):
    """The link to share: a public page that says what the program is before anyone signs in."""
    return request.build_absolute_uri(reverse("program-join", args=[program.join_token]))


@program_permission_required("view_programs")
def enrollment_list(request, org_slug, program_slug):
    program = request.program  # also where the cohort filter finds its choices
    can_manage = can_manage_program(request.membership, program)
    form = InviteParticipantForm(request.POST or None, program=program)
    if request.method == "POST":
        if not has_perm(request.membership, "manage_programs"):
            raise PermissionDenied
        if form.is_valid():
            try:
                enrollment = enrolment.invite_participant(
                    program=program, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                if enrollment.status == Enrollment.Status.ACTIVE:
                    messages.success(request, f"{enrollment.email} is enrolled and gets an email.")
                else:
                    messages.success(
                        request,
                        f"{enrollment.email} is invited to {request.organization.name}; the "
                        "enrolment becomes active when they join.",
                    )
                return redirect(
                    "programs:enrollments", org_slug=org_slug, program_slug=program.slug
                )
    filterset = EnrollmentFilter(request.GET, queryset=enrollments_of(program), request=request)
    valid = filterset.is_valid()
    page = Paginator(filterset.qs if valid else filterset.queryset.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "program": program,
        "active": "enrollments",
        "page": page,
        "filter": filterset,
        "filtered": any(request.GET.get(k) for k in ("status", "role", "cohort")),
        "querystring": querystring.urlencode(),
        "form": form,
        "can_manage": can_manage,
        "join_url": _join_url(request, program),
    }
    status = 400 if form.errors or not valid else 200
    return render(request, "programs/enrollment_list.html", context, status=status)


@require_POST
@program_permission_required("manage_programs")
def enrollment_action(request, org_slug, program_slug, pk, action):
    program = request.program
    enrollment = queries.get_enrollment_for_member(request, program_slug, pk)
    error = None
    try:
        enrollment = enrolment.ACTIONS[action](enrollment=enrollment, actor=request.user)
    except ValidationError as exc:
        error = first_error(exc)
    if request.htmx:
        enrollment = queries.get_enrollment_for_member(request, program_slug, enrollment.pk)
        context = {"e": enrollment, "program": program, "can_manage": True, "error": error}
        # 200 even on a refusal: htmx swaps only 2xx, and the row shows the reason.
        return render(request, "programs/partials/_enrollment_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"{enrollment.display_name}: {enrollment.get_status_display().lower()}."
        )
    return redirect("programs:enrollments", org_slug=org_slug, program_slug=program.slug)


@require_POST
@program_permission_required("manage_programs")
def join_link(request, org_slug, program_slug):
    """Switch the join link on or off."""
    program = request.program
    enabled = request.POST.get("enabled") == "1"
    try:
        services.update_program(program=program, actor=request.user, join_link_enabled=enabled)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, f"Join link switched {'on' if enabled else 'off'}.")
    return redirect(reverse("programs:enrollments", args=[org_slug, program.slug]) + "#join-link")


# --- CSV import ----------------------------------------------------------------------------------


@program_permission_required("manage_programs")
def enrollment_import(request, org_slug, program_slug):
    """GET: the upload form. POST a file: the preview (nothing saved). POST the preview's
    ``payload``: import every row, or none when any row is (now) invalid."""
    program = request.program
    context = {"program": program, "active": "enrollments"}
    if program.is_closed:
        messages.error(request, "This program is closed; its data is read-only.")
        return redirect("programs:enrollments", org_slug=org_slug, program_slug=program.slug)
    if request.method == "POST" and "payload" in request.POST:
        rows = None
        try:
            rows = enrolment.unsign_rows(program, request.POST["payload"])
            created = enrolment.import_rows(program=program, rows=rows, actor=request.user)
        except ValidationError as exc:
            context["form"] = CsvUploadForm()
            context["error"] = first_error(exc)
            if rows is not None:  # show what changed since the preview
                context["preview"] = enrolment.preview_import(program=program, rows=rows)
            return render(request, "programs/enrollment_import.html", context, status=400)
        if created:
            messages.success(
                request,
                f"Imported {len(created)} participant{'s' if len(created) != 1 else ''}. "
                "Members are enrolled now; the others once they accept their invitation.",
            )
        else:
            messages.info(request, "Nothing new to import: everyone in the file is already in.")
        return redirect("programs:enrollments", org_slug=org_slug, program_slug=program.slug)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "programs/enrollment_import.html", context, status=400)
        try:
            rows = enrolment.read_csv(form.cleaned_data["file"].read())
        except ValidationError as exc:
            form.add_error("file", first_error(exc))
            return render(request, "programs/enrollment_import.html", context, status=400)
        preview = enrolment.preview_import(program=program, rows=rows)
        context["preview"] = preview
        context["file_name"] = form.cleaned_data["file"].name
        if preview.ok:
            context["payload"] = enrolment.sign_rows(program, rows)
            context["form"] = CsvUploadForm()
        return render(
            request, "programs/enrollment_import.html", context, status=200 if preview.ok else 400
        )
    return render(request, "programs/enrollment_import.html", context)


# --- Join link -----------------------------------------------------------------------------------


def join_landing(request, join_token):
    """The shared join link. Members of the program's organization go on to apply; anyone else
    learns what the program is and what joining means, and how to get in."""
    program = enrolment.program_for_any_join_token(join_token)
    if program is None or enrolment.join_refusal(program):
        # Off, closed or unknown: say so without naming the program or its organization.
        return render(request, "programs/join_landing.html", {"invalid": True}, status=404)
    organization = program.organization
    apply_url = reverse("programs:join", args=[organization.slug, join_token])
    if get_membership(organization, request.user) is not None:
        return redirect(apply_url)
    context = {"program": program, "organization": organization, "apply_url": apply_url}
    return render(request, "programs/join_landing.html", context)


def join(request, org_slug, join_token):
    """A member applies to a program through its join link (an admin then accepts or declines)."""
    program = enrolment.program_for_join_token(request.organization, join_token)
    if program is None:
        raise Http404("No such join link.")
    existing = Enrollment.objects.filter(
        organization=request.organization, program=program, email__iexact=request.user.email
    ).first()
    refusal = enrolment.join_refusal(program)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and refusal is None and existing is None and form.is_valid():
        try:
            enrolment.apply(program=program, user=request.user, role=form.cleaned_data["role"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"You applied to {program.name}. An admin will confirm your place; meanwhile, "
                "tell us about yourself so that we can find you a good match.",
            )
            return redirect("matching:profile", org_slug=org_slug, program_slug=program.slug)
    context = {
        "program": program,
        "form": form,
        "refusal": refusal,
        "existing": existing,
        "organization": request.organization,
    }
    status = 200
    if request.method == "POST":
        status = 400 if (refusal or existing or form.errors) else 200
    return render(request, "programs/enrollment_join.html", context, status=status)
