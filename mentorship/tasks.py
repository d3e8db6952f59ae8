"""Celery tasks of the tenancy core. Thin: they re-enter the tenant and call services."""

from celery import shared_task

from . import services
from .notifications.tasks import deliver_notification, send_due_notifications  # noqa: F401
from .tenant_task import TenantTask  # noqa: F401  (the apps' tasks import it from here)


@shared_task
def expire_invitations():
    return services.expire_invitations()
