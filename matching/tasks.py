"""Celery tasks of matching: thin, tenant-scoped, idempotent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from mentorship.models import Membership, Role
from mentorship.tasks import TenantTask, claim_dispatch
from programs.models import Enrollment

from .models import Match, MatchRun, MentorRequest, Suggestion
from .services import choice, runs


@shared_task(base=TenantTask)
def execute_match_run(organization_id, run_id):
    run = (
        MatchRun.objects.select_related("program__organization")
        .filter(organization_id=organization_id, pk=run_id)
        .first()
    )
    if run is None:
        return "missing"
    return runs.execute_run(run).status


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_match_emails(self, organization_id, match_ids):
    """Tell both people about their new match; each email is sent once (dispatch keys)."""
    matches = Match.objects.filter(
        organization_id=organization_id, pk__in=match_ids
    ).select_related("program__organization", "mentee__user", "mentor__user")
    sent = 0
    for match in matches:
        for person, other in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
            try:
                with transaction.atomic():
                    if not claim_dispatch(organization_id, f"match:{match.pk}:{person.pk}"):
                        continue
                    context = {
                        "match": match,
                        "person": person,
                        "other": other,
                        "url": f"{settings.SITE_URL}/o/{match.program.organization.slug}"
                        f"/programs/{match.program.slug}/",
                    }
                    send_mail(
                        subject=render_to_string(
                            "matching/email/match_subject.txt", context
                        ).strip(),
                        message=render_to_string("matching/email/match_body.txt", context),
                        from_email=None,
                        recipient_list=[person.email],
                    )
                    sent += 1
            except OSError as exc:  # the claim rolled back: a retry sends it
                raise self.retry(exc=exc) from exc
    return sent


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_match_status_emails(self, organization_id, match_id, status, change_id):
    """Tell both people that their match was paused, ended or dissolved. ``change_id`` (the
    audit entry of the change) makes each change's email go out once, even for a second pause."""
    match = (
        Match.objects.filter(organization_id=organization_id, pk=match_id)
        .select_related("program__organization", "mentee__user", "mentor__user")
        .first()
    )
    if match is None:
        return 0
    sent = 0
    for person, other in ((match.mentee, match.mentor), (match.mentor, match.mentee)):
        try:
            with transaction.atomic():
                key = f"match:{match.pk}:{status}:{change_id}:{person.pk}"
                if not claim_dispatch(organization_id, key):
                    continue
                context = {
                    "match": match,
                    "status": status,
                    "person": person,
                    "other": other,
                    "url": f"{settings.SITE_URL}/o/{match.program.organization.slug}"
                    f"/programs/{match.program.slug}/matching/my-match/",
                }
                send_mail(
                    subject=render_to_string(
                        "matching/email/match_status_subject.txt", context
                    ).strip(),
                    message=render_to_string("matching/email/match_status_body.txt", context),
                    from_email=None,
                    recipient_list=[person.email],
                )
                sent += 1
        except OSError as exc:  # the claim rolled back: a retry sends it
            raise self.retry(exc=exc) from exc
    return sent


def _send(organization_id, key, *, template, context, to):
    """Send one email at most once (dispatch key); a retry after an SMTP error sends it."""
    with transaction.atomic():
        if not claim_dispatch(organization_id, key):
            return False
        send_mail(
            subject=render_to_string(f"matching/email/{template}_subject.txt", context).strip(),
            message=render_to_string(f"matching/email/{template}_body.txt", context),
            from_email=None,
            recipient_list=[to],
        )
    return True


def _program_url(program, path=""):
    return f"{settings.SITE_URL}/o/{program.organization.slug}/programs/{program.slug}/{path}"


# Who hears about what happened to a mentor request.
REQUEST_EVENT_TO = {
    "new": "mentor",
    "answered": "mentor",
    "withdrawn": "mentor",
    "accepted": "mentee",
    "declined": "mentee",
    "more_info": "mentee",
    "expired": "mentee",
}


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_request_email(self, organization_id, request_id, event, round_=0):
    """Tell the mentor about a new or answered request, the mentee about the mentor's answer or
    the request's expiry. Once per request, event and round."""
    request = (
        MentorRequest.objects.filter(organization_id=organization_id, pk=request_id)
        .select_related("program__organization", "mentee__user", "mentor__user")
        .first()
    )
    if request is None or event not in REQUEST_EVENT_TO:
        return "skipped"
    to_mentor = REQUEST_EVENT_TO[event] == "mentor"
    person = request.mentor if to_mentor else request.mentee
    path = "matching/requests/" if to_mentor else "matching/suggestions/"
    context = {
        "request": request,
        "event": event,
        "person": person,
        "other": request.mentee if to_mentor else request.mentor,
        "url": _program_url(request.program, path),
    }
    try:
        sent = _send(
            organization_id,
            f"mentor-request:{request_id}:{event}:{round_}",
            template="request",
            context=context,
            to=person.email,
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return "sent" if sent else "already-sent"


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_suggestions_open_emails(self, organization_id, run_id):
    """Mentee-chooses mode: tell each mentee of the run that their suggestions are ready."""
    run = (
        MatchRun.objects.filter(organization_id=organization_id, pk=run_id)
        .select_related("program__organization")
        .first()
    )
    if run is None:
        return 0
    mentee_ids = (
        Suggestion.objects.filter(run=run, rejected=False).values_list("mentee_id", flat=True)
    ).distinct()
    sent = 0
    for mentee in Enrollment.objects.filter(pk__in=mentee_ids).select_related("user"):
        context = {
            "run": run,
            "person": mentee,
            "url": _program_url(run.program, "matching/suggestions/"),
        }
        try:
            sent += _send(
                organization_id,
                f"suggestions-open:{run_id}:{mentee.pk}",
                template="suggestions_open",
                context=context,
                to=mentee.email,
            )
        except OSError as exc:
            raise self.retry(exc=exc) from exc
    return sent


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_run_published_emails(self, organization_id, run_id, published):
    """Automatic mode: tell the organization's admins that a run published itself (or, when
    publishing was refused, that it waits for their review)."""
    run = (
        MatchRun.objects.filter(organization_id=organization_id, pk=run_id)
        .select_related("program__organization")
        .first()
    )
    if run is None:
        return 0
    admins = Membership.objects.filter(
        organization_id=organization_id, role=Role.ADMIN, user__is_active=True
    ).select_related("user")
    sent = 0
    for membership in admins:
        context = {
            "run": run,
            "published": published,
            "person": membership.user,
            "url": _program_url(run.program, f"matching/runs/{run.number}/"),
        }
        try:
            sent += _send(
                organization_id,
                f"run-auto-published:{run_id}:{membership.user_id}",
                template="run_published",
                context=context,
                to=membership.user.email,
            )
        except OSError as exc:
            raise self.retry(exc=exc) from exc
    return sent


@shared_task
def expire_mentor_requests():
    return choice.expire_requests()
