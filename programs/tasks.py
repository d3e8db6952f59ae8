"""Celery tasks of programs. Thin: they re-enter the tenant, claim a dispatch key, send."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from mentorship.tasks import TenantTask, claim_dispatch

from .models import Enrollment

ENROLLMENT_EMAILS = {"added", "accepted"}


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_enrollment_email(self, organization_id, enrollment_id, kind):
    """Tell a participant they are in a program (added by an admin, or their application
    accepted). Sent once per enrolment and kind, however often the task runs."""
    if kind not in ENROLLMENT_EMAILS:
        raise ValueError(f"Unknown enrolment email {kind!r}.")
    enrollment = (
        Enrollment.objects.select_related("program", "program__organization", "user", "cohort")
        .filter(organization_id=organization_id, pk=enrollment_id)
        .first()
    )
    if enrollment is None or enrollment.status != Enrollment.Status.ACTIVE:
        return "skipped"
    program = enrollment.program
    try:
        with transaction.atomic():
            if not claim_dispatch(organization_id, f"enrollment:{enrollment_id}:{kind}"):
                return "already-sent"
            where = {"org_slug": program.organization.slug, "program_slug": program.slug}
            context = {
                "enrollment": enrollment,
                "program": program,
                "organization": program.organization,
                "kind": kind,
                "url": settings.SITE_URL + reverse("programs:detail", kwargs=where),
                "profile_url": settings.SITE_URL + reverse("matching:profile", kwargs=where),
            }
            send_mail(
                subject=render_to_string("programs/email/enrollment_subject.txt", context).strip(),
                message=render_to_string("programs/email/enrollment_body.txt", context),
                from_email=None,
                recipient_list=[enrollment.user.email if enrollment.user else enrollment.email],
            )
    except OSError as exc:  # SMTP down: the claim rolled back, so a retry sends it
        raise self.retry(exc=exc) from exc
    return "sent"
