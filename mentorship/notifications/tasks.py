"""Celery tasks that send notification emails (registered through ``mentorship.tasks``)."""

from celery import shared_task
from django.utils import timezone
from django_scopes import scopes_disabled

from ..tenant_task import TenantTask
from . import delivery
from .models import Notification

SWEEP_BATCH = 500


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def deliver_notification(self, organization_id, notification_id):
    try:
        return delivery.deliver(organization_id, notification_id)
    except OSError as exc:  # SMTP down: the status rolled back, so a retry sends it
        raise self.retry(exc=exc) from exc


@shared_task
def send_due_notifications():
    """Queue the emails that are due: those deferred by quiet hours, and any whose task was
    lost. Sending twice is impossible (``delivery.deliver`` skips what is sent or locked)."""
    with scopes_disabled():
        due = list(
            Notification.objects.filter(
                email_status=Notification.Email.PENDING, email_due_at__lte=timezone.now()
            )
            .order_by("email_due_at")
            .values_list("organization_id", "pk")[:SWEEP_BATCH]
        )
    for organization_id, pk in due:
        deliver_notification.delay(organization_id, pk)
    return len(due)
