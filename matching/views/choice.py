"""Mentee-chooses pages: a mentee's suggestions and requests, a mentor's incoming requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from mentorship.people import attach_cards
from mentorship.web import first_error, org_permission_required
from programs import queries as program_queries
from programs.models import Enrollment

from .. import queries
from ..models import Match, MentorRequest
from ..services import choice, runs


def _own(request, program_slug):
    program = program_queries.get_program_for_member(request, program_slug)
    return program, queries.own_enrollment(request, program)


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
@org_permission_required("view_organization")
def suggestions(request, org_slug, program_slug):
    """A mentee's best mentors, why each fits, and their requests."""
    program, enrollment = _own(request, program_slug)
    is_mentee = enrollment.role == Enrollment.Role.MENTEE
    rows = list(choice.suggestions_for(enrollment)) if is_mentee else []
    mine = list(choice.requests_of_mentee(enrollment)) if is_mentee else []
    open_request = next((r for r in mine if r.is_open), None)
    declined = {r.mentor_id for r in mine if r.status == MentorRequest.Status.DECLINED}
    match = (
        Match.objects.filter(program=program, mentee=enrollment, status__in=Match.OPEN)
        .select_related("mentor__user")
        .first()
        if is_mentee
        else None
    )
    seats = choice.seats_left_for(s.mentor for s in rows)  # one query for all of them
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
        s.seats_left = seats[s.mentor_id]
        s.declined = s.mentor_id in declined
        s.requestable = (
            open_request is None and match is None and not s.declined and s.seats_left > 0
        )
    context = {
        "program": program,
        "enrollment": enrollment,
        "is_mentee": is_mentee,
        "suggestions": rows,
        "requests": mine,
        "open_request": open_request,
        "match": match,
    }
    return render(request, "matching/suggestions.html", context)


@require_POST
@org_permission_required("view_organization")
def suggestion_request(request, org_slug, program_slug, pk):
    program, enrollment = _own(request, program_slug)
    suggestion = choice.get_own_suggestion(enrollment, pk)
    _act(
        request,
        lambda: choice.request_mentor(
            suggestion=suggestion,
            mentee=enrollment,
            message=request.POST.get("message", ""),
            actor=request.user,
        ),
        f"Request sent: {suggestion.mentor.display_name} is told by email.",
    )
    return _back("suggestions", org_slug, program)


@require_POST
@org_permission_required("view_organization")
def my_request(request, org_slug, program_slug, pk):
    """The mentee withdraws their request or answers the mentor's question."""
    program, enrollment = _own(request, program_slug)
    mentor_request = get_object_or_404(choice.requests_of_mentee(enrollment), pk=pk)
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
    return _back("suggestions", org_slug, program)


@require_GET
@org_permission_required("view_organization")
def mentor_requests(request, org_slug, program_slug):
    """Requests addressed to the signed-in mentor."""
    program, enrollment = _own(request, program_slug)
    is_mentor = enrollment.role == Enrollment.Role.MENTOR
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
@org_permission_required("view_organization")
def request_respond(request, org_slug, program_slug, pk):
    """The mentor accepts, declines, or asks for more information."""
    program, enrollment = _own(request, program_slug)
    if enrollment.role != Enrollment.Role.MENTOR:
        raise Http404("No such request.")
    mentor_request = get_object_or_404(choice.requests_for_mentor(enrollment), pk=pk)
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
    return _back("requests", org_slug, program)
