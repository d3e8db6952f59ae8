"""Mentee-chooses mode: each mentee sees their best mentors from the latest run published for
choosing, and requests one; the mentor accepts (→ a Match), declines, or asks for more
information; a request nobody answers expires (beat sweep).

Rules: a mentee has at most one open request per program (a partial unique constraint backs
it); a mentor who declined is not asked again; accepting respects the mentor's capacity (their
open matches count against it) and a mentee with an open match can't request or be accepted.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from mentorship import audit
from programs.models import Enrollment, Program
from programs.services import ensure_editable

from .. import hooks, notifications
from ..constants import ALTERNATIVES
from ..models import Match, MatchRun, MentorRequest, MentorRequestMessage, Suggestion
from .criteria import ensure_settings

MESSAGE_MAX = 2000


# --- Reads ---------------------------------------------------------------------------------------


def choosing_run(program):
    """The latest run published for choosing, or None."""
    return (
        MatchRun.objects.filter(
            program=program, status=MatchRun.Status.PUBLISHED, for_choosing=True
        )
        .order_by("-number")
        .first()
    )


def seats_left(mentor: Enrollment) -> int:
    capacity = mentor.capacity or mentor.program.default_mentor_capacity
    taken = Match.objects.filter(
        program_id=mentor.program_id, mentor=mentor, status__in=Match.OPEN
    ).count()
    return max(capacity - taken, 0)


def seats_left_for(mentors) -> dict[int, int]:
    """``seats_left`` of many mentors at once, in one query: {mentor pk: places left}. The
    mentors' ``program`` is read, so fetch them with it."""
    mentors = {m.pk: m for m in mentors}
    if not mentors:
        return {}
    taken = dict(
        Match.objects.filter(mentor_id__in=mentors, status__in=Match.OPEN)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    return {
        pk: max((m.capacity or m.program.default_mentor_capacity) - taken.get(pk, 0), 0)
        for pk, m in mentors.items()
    }


def suggestions_for(mentee: Enrollment):
    """The mentee's own best mentors (at most five) of the run published for choosing."""
    run = choosing_run(mentee.program)
    if run is None or mentee.role != Enrollment.Role.MENTEE:
        return Suggestion.objects.none()
    best = (
        Suggestion.objects.filter(run=run, mentee=mentee, rejected=False)
        .order_by("-score", "mentor_id")
        .values_list("pk", flat=True)[:ALTERNATIVES]
    )
    return (
        Suggestion.objects.filter(pk__in=list(best))
        .select_related("run", "mentor__user", "mentor__program")
        .order_by("-score", "mentor_id")
    )


def get_own_suggestion(mentee: Enrollment, pk):
    suggestion = suggestions_for(mentee).filter(pk=pk).first()
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion


def requests_of_mentee(mentee: Enrollment):
    return (
        MentorRequest.objects.filter(program_id=mentee.program_id, mentee=mentee)
        .select_related("mentor__user", "mentee__user", "program")
        .prefetch_related("conversation")
    )


def requests_for_mentor(mentor: Enrollment):
    return (
        MentorRequest.objects.filter(program_id=mentor.program_id, mentor=mentor)
        .select_related("mentor__user", "mentee__user", "program", "suggestion")
        .prefetch_related("conversation")
    )


# --- Writes --------------------------------------------------------------------------------------


def _clean_message(message, *, required=False):
    message = (message or "").strip()
    if required and not message:
        raise ValidationError({"message": "Write a message."})
    if len(message) > MESSAGE_MAX:
        raise ValidationError({"message": f"At most {MESSAGE_MAX} characters."})
    return message


def _say(mentor_request, author, body):
    """Add a message to the request's conversation (nothing when there is nothing to say)."""
    if body:
        MentorRequestMessage.objects.create(
            organization_id=mentor_request.organization_id,
            request=mentor_request,
            author=author,
            body=body,
        )


def _notify(mentor_request, event):
    notifications.tell_request_event(mentor_request, event)


def _locked(mentor_request):
    return MentorRequest.objects.select_for_update().get(pk=mentor_request.pk)


def _open(mentor_request):
    if not mentor_request.is_open:
        raise ValidationError(
            f"This request is {mentor_request.get_status_display().lower()} already."
        )


def request_refusal(*, program, mentee, mentor, open_request, match, declined, seats_left):
    """Why ``request_mentor`` refuses ``mentee`` a request to ``mentor``, or None when they may
    ask: the rules as facts in, a reason out, so that the suggestions page offers exactly the
    requests this service accepts. ``declined``: the mentor declined
    this mentee before; ``seats_left``: the mentor's free places."""
    if program.is_closed:
        return "This program is closed; its data is read-only."
    if program.matching_mode != Program.MatchingMode.MENTEE_CHOOSES:
        return "In this program, mentors are assigned; there is nothing to choose."
    if mentee.status != Enrollment.Status.ACTIVE:
        return "This suggestion isn't yours."
    if open_request is not None:
        return "You have an open request already; withdraw it or wait for the answer first."
    if match is not None:
        return "You have a mentor in this program already."
    if declined:
        return f"{mentor.display_name} declined already; choose another mentor."
    if mentor.status != Enrollment.Status.ACTIVE or seats_left <= 0:
        return f"{mentor.display_name} has no place left; choose another mentor."
    return None


@transaction.atomic
def request_mentor(*, suggestion, mentee, message="", actor):
    """The mentee asks the suggestion's mentor to mentor them."""
    program = mentee.program
    if suggestion.mentee_id != mentee.pk:
        raise ValidationError("This suggestion isn't yours.")
    message = _clean_message(message)
    # The mentee's enrolment row serialises their requests.
    Enrollment.objects.select_for_update().get(pk=mentee.pk)
    mentor = suggestion.mentor
    mine = MentorRequest.objects.filter(program=program, mentee=mentee)
    refusal = request_refusal(
        program=program,
        mentee=mentee,
        mentor=mentor,
        open_request=mine.filter(status__in=MentorRequest.OPEN).first(),
        match=Match.objects.filter(program=program, mentee=mentee, status__in=Match.OPEN).first(),
        declined=mine.filter(mentor=mentor, status=MentorRequest.Status.DECLINED).exists(),
        seats_left=seats_left(mentor),
    )
    if refusal:
        raise ValidationError(refusal)
    days = ensure_settings(program).request_expiry_days
    try:
        with transaction.atomic():
            mentor_request = MentorRequest.objects.create(
                organization=program.organization,
                program=program,
                mentee=mentee,
                mentor=mentor,
                suggestion=suggestion,
                message=message,
                expires_at=timezone.now() + timedelta(days=days),
            )
    except IntegrityError as exc:  # a concurrent request won the race
        raise ValidationError("You have an open request already.") from exc
    _say(mentor_request, MentorRequestMessage.Author.MENTEE, message)
    audit.record(
        organization=program.organization,
        actor=actor,
        action="mentor_request.created",
        target=mentor_request,
        data={"mentor": mentor.pk},
    )
    _notify(mentor_request, "new")
    return mentor_request


@transaction.atomic
def withdraw(*, mentor_request, actor):
    mentor_request = _locked(mentor_request)
    _open(mentor_request)
    mentor_request.status, mentor_request.answered_at = (
        MentorRequest.Status.WITHDRAWN,
        timezone.now(),
    )
    mentor_request.save(update_fields=["status", "answered_at"])
    audit.record(
        organization=mentor_request.organization,
        actor=actor,
        action="mentor_request.withdrawn",
        target=mentor_request,
    )
    _notify(mentor_request, "withdrawn")
    return mentor_request


@transaction.atomic
def answer(*, mentor_request, message, actor):
    """The mentee answers the mentor's question; the request waits for the mentor again, with a
    fresh expiry."""
    mentor_request = _locked(mentor_request)
    if mentor_request.status != MentorRequest.Status.MORE_INFO:
        raise ValidationError("The mentor hasn't asked you anything.")
    mentor_request.message = _clean_message(message, required=True)
    mentor_request.status = MentorRequest.Status.PENDING
    days = ensure_settings(mentor_request.program).request_expiry_days
    mentor_request.expires_at = timezone.now() + timedelta(days=days)
    mentor_request.save(update_fields=["message", "status", "expires_at"])
    _say(mentor_request, MentorRequestMessage.Author.MENTEE, mentor_request.message)
    audit.record(
        organization=mentor_request.organization,
        actor=actor,
        action="mentor_request.answered",
        target=mentor_request,
    )
    _notify(mentor_request, "answered")
    return mentor_request


@transaction.atomic
def ask_more(*, mentor_request, message, actor):
    """The mentor asks the mentee for more information; the request stays open."""
    mentor_request = _locked(mentor_request)
    _open(mentor_request)
    mentor_request.mentor_reply = _clean_message(message, required=True)
    mentor_request.status = MentorRequest.Status.MORE_INFO
    mentor_request.rounds += 1
    mentor_request.save(update_fields=["mentor_reply", "status", "rounds"])
    _say(mentor_request, MentorRequestMessage.Author.MENTOR, mentor_request.mentor_reply)
    audit.record(
        organization=mentor_request.organization,
        actor=actor,
        action="mentor_request.more_info",
        target=mentor_request,
    )
    _notify(mentor_request, "more_info")
    return mentor_request


@transaction.atomic
def decline(*, mentor_request, message="", actor):
    mentor_request = _locked(mentor_request)
    _open(mentor_request)
    message = _clean_message(message)
    mentor_request.mentor_reply = message or mentor_request.mentor_reply
    mentor_request.status, mentor_request.answered_at = (
        MentorRequest.Status.DECLINED,
        timezone.now(),
    )
    mentor_request.save(update_fields=["mentor_reply", "status", "answered_at"])
    _say(mentor_request, MentorRequestMessage.Author.MENTOR, message)
    audit.record(
        organization=mentor_request.organization,
        actor=actor,
        action="mentor_request.declined",
        target=mentor_request,
    )
    _notify(mentor_request, "declined")
    return mentor_request


@transaction.atomic
def accept(*, mentor_request, message="", actor):
    """The mentor accepts: the pair becomes a Match (refused when the mentor is full)."""
    mentor_request = _locked(mentor_request)
    _open(mentor_request)
    ensure_editable(mentor_request.program)
    # The mentor's enrolment row serialises acceptances against their capacity.
    mentor = (
        Enrollment.objects.select_for_update()
        .select_related("program")
        .get(pk=mentor_request.mentor_id)
    )
    if seats_left(mentor) <= 0:
        raise ValidationError(
            "You have no place left for another mentee; decline, or ask an admin to raise your "
            "capacity."
        )
    if Match.objects.filter(
        program_id=mentor_request.program_id,
        mentee_id=mentor_request.mentee_id,
        status__in=Match.OPEN,
    ).exists():
        raise ValidationError("This mentee has a mentor already.")
    suggestion = mentor_request.suggestion
    match = Match.objects.create(
        organization=mentor_request.organization,
        program_id=mentor_request.program_id,
        mentee_id=mentor_request.mentee_id,
        mentor=mentor,
        score=suggestion.score if suggestion else None,
        breakdown=suggestion.breakdown if suggestion else {},
        explanations=suggestion.explanations if suggestion else [],
        run_id=suggestion.run_id if suggestion else None,
        created_by=actor,
    )
    message = _clean_message(message)
    mentor_request.mentor_reply = message or mentor_request.mentor_reply
    mentor_request.status, mentor_request.answered_at = (
        MentorRequest.Status.ACCEPTED,
        timezone.now(),
    )
    mentor_request.save(update_fields=["mentor_reply", "status", "answered_at"])
    _say(mentor_request, MentorRequestMessage.Author.MENTOR, message)
    audit.record(
        organization=mentor_request.organization,
        actor=actor,
        action="mentor_request.accepted",
        target=mentor_request,
        data={"match": match.pk},
    )
    _notify(mentor_request, "accepted")
    hooks.matches_started.send(matches=[match], actor=actor)
    return match


def expire_requests(*, now=None):
    """Beat sweep: open requests past their expiry become expired; each mentee is told once
    (the notification's key). Returns how many expired."""
    now = now or timezone.now()
    with scopes_disabled(), transaction.atomic():
        due = list(
            MentorRequest.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=MentorRequest.OPEN, expires_at__lte=now)
            .select_related("program__organization", "mentee__user", "mentor__user")
        )
        MentorRequest.objects.filter(pk__in=[r.pk for r in due]).update(
            status=MentorRequest.Status.EXPIRED, answered_at=now
        )
        for mentor_request in due:
            mentor_request.status = MentorRequest.Status.EXPIRED
            notifications.tell_request_event(mentor_request, "expired")
    return len(due)
