"""Pages of published matches: the admins' table (pause, resume, end, dissolve, rematch) and
each participant's own match."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.people import attach_cards
from mentorship.web import first_error, form_errors
from programs.models import Enrollment
from programs.permissions import can_manage_program
from programs.web import program_permission_required

from .. import queries
from ..models import Match
from ..services import matches as match_services
from ..services import runs

PAGE_SIZE = 50
ACTIONS = {
    "pause": ("Pause", "Pause this match"),
    "resume": ("Resume", "Resume this match"),
    "end": ("End", "End this match: it completed"),
    "dissolve": ("Dissolve", "Dissolve this match: it didn't work out"),
}


class MatchStatusForm(forms.Form):
    action = forms.ChoiceField(choices=[(k, v[0]) for k, v in ACTIONS.items()])
    reason = forms.CharField(
        required=False,
        max_length=match_services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept with the match for the program's admins and HR; the two people are "
        "told that the match changed, not why.",
    )


def _matches(program):
    return Match.objects.filter(program=program).select_related(
        "program", "mentee__user", "mentor__user", "run"
    )


def _back(org_slug, program_slug):
    return redirect("matching:matches", org_slug=org_slug, program_slug=program_slug)


@require_GET
@program_permission_required("view_programs")
def match_list(request, org_slug, program_slug):
    program = request.program
    status = request.GET.get("status", "")
    matches = _matches(program).order_by("-created_at", "-pk")
    if status in Match.Status.values:
        matches = matches.filter(status=status)
    else:
        status = ""
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    open_mentees = set(
        Match.objects.filter(program=program, status__in=Match.OPEN).values_list(
            "mentee_id", flat=True
        )
    )
    for match in page:
        match.can_rematch = match_services.can_rematch(match, open_mentees)
    context = {
        "program": program,
        "page": page,
        "status": status,
        "statuses": Match.Status.choices,
        "can_manage": can_manage_program(request.membership, program),
    }
    return render(request, "matching/matches.html", context)


@require_http_methods(["GET", "POST"])
@program_permission_required("manage_programs")
def match_status(request, org_slug, program_slug, pk):
    """Pause, resume, end or dissolve a match; GET shows the form (with ``?action=``)."""
    match = queries.get_match_for_member(request, program_slug, pk)
    if request.method == "POST":
        form = MatchStatusForm(request.POST)
        if form.is_valid():
            action = form.cleaned_data["action"]
            try:
                match_services.change_status(
                    match=match,
                    actor=request.user,
                    action=action,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                past = match_services.PAST[match_services.ACTION_STATUS[action]]
                messages.success(
                    request,
                    f"The match of {match.mentee.display_name} and {match.mentor.display_name} "
                    f"is {past}.",
                )
                return _back(org_slug, program_slug)
    else:
        action = request.GET.get("action")
        form = MatchStatusForm(initial={"action": action if action in ACTIONS else "end"})
    action = form["action"].value()
    context = {
        "program": match.program,
        "match": match,
        "form": form,
        "action": action if action in ACTIONS else "end",
        "title": ACTIONS.get(action, ACTIONS["end"])[1],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "matching/match_status.html", context, status=status)


@require_POST
@program_permission_required("manage_programs")
def match_rematch(request, org_slug, program_slug, pk):
    match = queries.get_match_for_member(request, program_slug, pk)
    try:
        run = match_services.rematch(match=match, actor=request.user)
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return _back(org_slug, program_slug)
    messages.success(
        request,
        f"Run {run.number} looks for a new mentor for {match.mentee.display_name} "
        f"(never {match.mentor.display_name} again). Review and publish it when it is done.",
    )
    return redirect("matching:run", org_slug=org_slug, program_slug=program_slug, number=run.number)


@require_GET
@program_permission_required()
def my_match(request, org_slug, program_slug):
    """The signed-in participant's open match(es) in this program: a mentee sees their mentor,
    a mentor their mentees. Nobody else's."""
    program = request.program
    enrollment = queries.own_enrollment(request, program)
    matches = list(queries.my_matches(enrollment))
    prefetch_related_objects(matches, "run")  # the runs' weights word the "why"
    is_mentee = enrollment.role == Enrollment.Role.MENTEE
    for match in matches:
        match.partner = match.mentor if is_mentee else match.mentee
        # Said to the reader, and only what adds to the match: no zero criteria, no figures.
        match.why = runs.for_participant(
            runs.worded(
                runs.stored_items(match),
                mentee=match.mentee.display_name,
                mentor=match.mentor.display_name,
                reader="mentee" if is_mentee else "mentor",
            ),
            runs.run_weights(match),
        )
    attach_cards([m.partner for m in matches], request.organization)
    context = {"program": program, "enrollment": enrollment, "matches": matches}
    return render(request, "matching/my_match.html", context)
