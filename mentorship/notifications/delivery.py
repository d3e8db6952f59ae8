"""Sending a notification's email: once, after its quiet hours, with a one-click unsubscribe."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import kinds as registry
from . import tokens
from .models import Notification
from .service import wants_email


def deliver(organization_id, notification_id) -> str:
    """Send the email of one notification if it is due and nobody sent it yet.

    The row is locked while its email goes out; a second worker holding the same id skips it
    (``skip_locked``) and finds it sent afterwards. An SMTP error rolls the status back, so the
    retry sends it.
    """
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(
                organization_id=organization_id,
                pk=notification_id,
                email_status=Notification.Email.PENDING,
                email_due_at__lte=timezone.now(),
            )
            .first()
        )
        if row is None:
            return "skipped"
        kind = registry.get(row.kind)
        if kind is None or not wants_email(row.recipient, kind):
            row.email_status = Notification.Email.OFF
            row.save(update_fields=["email_status"])
            return "off"
        message(row, kind).send()
        row.email_status, row.emailed_at = Notification.Email.SENT, timezone.now()
        row.save(update_fields=["email_status", "emailed_at"])
    return "sent"


def unsubscribe_url(user, kind) -> str:
    return settings.SITE_URL + reverse("notification-unsubscribe", args=[tokens.make(user, kind)])


def message(row: Notification, kind) -> EmailMessage:
    """The email: the kind's text, a footer saying why it came and how to stop it, and the
    RFC 8058 headers mail programs turn into an "Unsubscribe" button."""
    headers = {}
    context = {"kind": kind, "profile_url": settings.SITE_URL + reverse("profile")}
    if row.recipient_id and not kind.mandatory:
        url = unsubscribe_url(row.recipient, kind)
        context["unsubscribe_url"] = url
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    footer = render_to_string("mentorship/email/notification_footer.txt", context)
    email = EmailMessage(
        subject=row.title,
        body=row.body.rstrip() + "\n\n" + footer,
        to=[row.email],
        headers=headers,
    )
    for attachment in row.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email
