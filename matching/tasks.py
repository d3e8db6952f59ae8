"""Celery tasks of matching: thin, tenant-scoped, idempotent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from mentorship.tasks import TenantTask, claim_dispatch

from . import runs
from .models import Match, MatchRun


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
