"""Profile pages: a participant's own, and one participant's for admins (HR reads). Forms parse,
``services.profiles`` validates and writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from mentorship.permissions import has_perm
from mentorship.web import form_errors, status_for
from programs.web import program_permission_required

from .. import queries
from ..forms import SKILL_LEVEL_CHOICES, ProfileForm
from ..services import profiles as services


def _profile_page(request, *, profile, can_edit, own, redirect_to):
    enrollment = profile.enrollment
    program = enrollment.program
    settings = queries.settings_for(program)
    questions = list(queries.custom_questions(program))
    disabled = not can_edit or program.is_closed
    form = ProfileForm(
        request.POST or None,
        settings=settings,
        questions=questions,
        enrollment=enrollment,
        profile=profile,
        disabled=disabled,
    )
    if request.method == "POST":
        if disabled:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.save_profile(
                    enrollment=enrollment, actor=request.user, **form.service_kwargs()
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Your profile is saved."
                    if own
                    else f"Profile of {enrollment.display_name} saved.",
                )
                return redirect_to
    context = {
        "program": program,
        "enrollment": enrollment,
        "form": form,
        "own": own,
        "can_edit": not disabled,
        "completeness": queries.completeness(profile if profile.pk else None, settings, questions),
        "level_choices": SKILL_LEVEL_CHOICES,
    }
    return render(request, "matching/profile.html", context, status=status_for(form))


@program_permission_required()
def my_profile(request, org_slug, program_slug):
    """The signed-in participant's profile in this program."""
    return _profile_page(
        request,
        profile=queries.get_profile_for_member(request, program_slug),
        can_edit=True,
        own=True,
        redirect_to=redirect("matching:profile", org_slug=org_slug, program_slug=program_slug),
    )


@program_permission_required("view_programs")
def profile_edit(request, org_slug, program_slug, pk):
    """One participant's profile: admins edit it, HR reads it."""
    if request.method == "POST" and not has_perm(request.membership, "manage_programs"):
        raise PermissionDenied
    return _profile_page(
        request,
        profile=queries.get_profile_for_member(request, program_slug, pk),
        can_edit=has_perm(request.membership, "manage_programs"),
        own=False,
        redirect_to=redirect("matching:pool", org_slug=org_slug, program_slug=program_slug),
    )
