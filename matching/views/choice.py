"""Mentee-chooses pages: a mentee's suggestions and requests, a mentor's incoming requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentorship.people import attach_cards
from mentorship.web import first_error
from programs.models import Enrollment
from programs.web import program_permission_required

from .. import queries
from ..services import choice, runs

MENTEE, MENTOR = Enrollment.Role.MENTEE, Enrollment.Role.MENTOR


def _back(name, org_slug, program):
    return redirect(f"matching:{name}", org_slug=org_slug, program_slug=program.slug)


def _act(request, call, success):
    try:
        call()
    except ValidationError as exc:
        messages.error(request, first_error(exc))
    else:
        messages.success(request, success)


@require_GET
@program_permission_required()
def suggestions(request, org_slug, program_slug):
    """A mentee's best mentors, why each fits, and their requests."""
    program = request.program
    enrollment = queries.own_enrollment(request, program)
    choices = queries.mentee_choices(enrollment)  # who they may request is decided there
    rows = choices.suggestions
    attach_cards([s.mentor for s in rows], request.organization)
    for s in rows:
        # Said to her, and only what adds to the fit: no zero criteria, no raw figures.
        s.why = runs.for_participant(
            runs.worded(
                runs.stored_items(s),
                mentee=enrollment.display_name,
                mentor=s.mentor.display_name,
                reader="mentee",
            ),
            runs.run_weights(s),
        )
        s.fit = runs.fit_word(s.score)
    context = {
        "program": program,
        "enrollment": enrollment,
        "is_mentee": enrollment.role == MENTEE,
        "suggestions": rows,
        "requests": choices.requests,
        "open_request": choices.open_request,
        "match": choices.match,
    }
    return render(request, "matching/suggestions.html", context)


@require_POST
@program_permission_required()
def suggestion_request(request, org_slug, program_slug, pk):
    program = request.program
    suggestion = queries.get_own_suggestion_for_member(request, program_slug, pk)
    _act(
        request,
        lambda: choice.request_mentor(
            suggestion=suggestion,
            mentee=suggestion.mentee,
            message=request.POST.get("message", ""),
            actor=request.user,
        ),
        f"Request sent: {suggestion.mentor.display_name} is told by email.",
    )
    return _back("suggestions", org_slug, program)


@require_POST
@program_permission_required()
def my_request(request, org_slug, program_slug, pk):
    """The mentee withdraws their request or answers the mentor's question."""
    mentor_request = queries.get_mentor_request_for_member(request, program_slug, pk, side=MENTEE)
    action, message = request.POST.get("action"), request.POST.get("message", "")
    if action == "withdraw":
        _act(
            request,
            lambda: choice.withdraw(mentor_request=mentor_request, actor=request.user),
            "Request withdrawn; you can request another mentor.",
        )
    elif action == "answer":
        _act(
            request,
            lambda: choice.answer(
                mentor_request=mentor_request, message=message, actor=request.user
            ),
            "Answer sent.",
        )
    else:
        messages.error(request, "Choose withdraw or answer.")
    return _back("suggestions", org_slug, request.program)


@require_GET
@program_permission_required()
def mentor_requests(request, org_slug, program_slug):
    """Requests addressed to the signed-in mentor."""
    program = request.program
    enrollment = queries.own_enrollment(request, program)
    is_mentor = enrollment.role == MENTOR
    rows = list(choice.requests_for_mentor(enrollment)) if is_mentor else []
    prefetch_related_objects(rows, "suggestion__run")  # the runs' weights word the "why"
    for r in rows:
        if r.suggestion is not None:
            r.suggestion.explanations = runs.for_participant(
                runs.worded(
                    r.suggestion.explanations,
                    mentee=r.mentee.display_name,
                    mentor=enrollment.display_name,
                    reader="mentor",
                ),
                runs.run_weights(r.suggestion),
            )
            r.suggestion.fit = runs.fit_word(r.suggestion.score)
    attach_cards([r.mentee for r in rows], request.organization)
    context = {
        "program": program,
        "enrollment": enrollment,
        "is_mentor": is_mentor,
        "open_requests": [r for r in rows if r.is_open],
        "closed_requests": [r for r in rows if not r.is_open],
        "seats_left": choice.seats_left(enrollment) if is_mentor else 0,
    }
    return render(request, "matching/mentor_requests.html", context)


@require_POST
@program_permission_required()
def request_respond(request, org_slug, program_slug, pk):
    """The mentor accepts, declines, or asks for more information."""
    mentor_request = queries.get_mentor_request_for_member(request, program_slug, pk, side=MENTOR)
    action, message = request.POST.get("action"), request.POST.get("message", "")
    name = mentor_request.mentee.display_name
    calls = {
        "accept": (choice.accept, f"You and {name} are matched; {name} is told by email."),
        "decline": (choice.decline, f"Declined; {name} is told by email."),
        "ask": (choice.ask_more, f"Question sent to {name}."),
    }
    if action not in calls:
        messages.error(request, "Choose accept, decline or ask.")
    else:
        service, success = calls[action]
        _act(
            request,
            lambda: service(mentor_request=mentor_request, message=message, actor=request.user),
            success,
        )
    return _back("requests", org_slug, request.program)
