"""Celery tasks of the tenancy core. Thin: they re-enter the tenant and call services."""

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_scopes import scope

from . import services
from .models import Dispatch, Invitation


class TenantTask(Task):
    """A task whose first argument is an organization id; it runs inside that tenant's scope."""

    def __call__(self, organization_id, *args, **kwargs):
        if organization_id is None:  # scope(organization=None) would mean "every tenant"
            raise ValueError(f"{self.name} needs an organization id.")
        with scope(organization=organization_id):
            return super().__call__(organization_id, *args, **kwargs)


def claim_dispatch(organization_id, key: str) -> bool:
    """Record that ``key`` is being done; False when it was done already. Call in a transaction."""
    _, created = Dispatch.objects.get_or_create(organization_id=organization_id, key=key)
    return created


@shared_task(base=TenantTask, bind=True, max_retries=5, default_retry_delay=60)
def send_invitation_email(self, organization_id, invitation_id, send_number):
    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(organization_id=organization_id, pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return "skipped"
    try:
        with transaction.atomic():
            if not claim_dispatch(organization_id, f"invitation:{invitation_id}:{send_number}"):
                return "already-sent"
            context = {
                "invitation": invitation,
                "url": f"{settings.SITE_URL}/invitations/{invitation.token}/",
            }
            send_mail(
                subject=render_to_string(
                    "mentorship/email/invitation_subject.txt", context
                ).strip(),
                message=render_to_string("mentorship/email/invitation_body.txt", context),
                from_email=None,
                recipient_list=[invitation.email],
            )
    except OSError as exc:  # SMTP down: the claim rolled back, so a retry sends it
        raise self.retry(exc=exc) from exc
    return "sent"


@shared_task
def expire_invitations():
    return services.expire_invitations()
