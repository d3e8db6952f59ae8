"""Telling people things, reading and clearing them, and choosing which ones come by email."""

from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import kinds as registry
from .kinds import Kind
from .models import EmailOptOut, Notification
from .queries import inbox
from .quiet_hours import next_send_time, zone_of


def notify(
    kind: Kind,
    *,
    organization,
    key: str,
    context: dict,
    url: str = "",
    recipient=None,
    email="",
    attachments=(),
) -> Notification | None:
    """Tell ``recipient`` (a user; or only ``email``, an address without an account) something.

    Call it inside the transaction of the change it reports: the row commits with the change,
    its email leaves after the commit. ``attachments``: files for the email, each a dict of
    ``filename``, ``content`` (text) and ``mimetype``. Returns the new notification, or None
    when ``key`` was used already (the thing was told before: nothing more happens).
    """
    if registry.get(kind.name) is not kind:
        raise ValueError(f"Notification kind {kind.name!r} is not registered.")
    email = email or (recipient.email if recipient else "")
    context = {**context, "url": settings.SITE_URL + url if url else settings.SITE_URL}
    now = timezone.now()
    row = Notification(
        organization=organization,
        kind=kind.name,
        key=key,
        recipient=recipient,
        email=email,
        title=render_to_string(f"{kind.template}_subject.txt", context).strip()[:300],
        body=render_to_string(f"{kind.template}_body.txt", context),
        url=url,
        attachments=list(attachments),
    )
    if email:
        row.email_status = Notification.Email.PENDING
        row.email_due_at = next_send_time(now, zone_of(recipient, organization))
    try:
        with transaction.atomic():  # a savepoint: a used key leaves the caller's work intact
            row.save(force_insert=True)
    except IntegrityError:
        if Notification.objects.filter(organization=organization, key=key).exists():
            return None
        raise
    if email and row.email_due_at <= now:
        transaction.on_commit(partial(_deliver_soon, organization.pk, row.pk))
    return row  # emails due later are sent by the beat's sweep (tasks.send_due_notifications)


def _deliver_soon(organization_id, notification_id):
    from .tasks import deliver_notification

    deliver_notification.delay(organization_id, notification_id)


def cancel_pending_emails(organization, *, key_prefix: str) -> int:
    """Don't send emails still waiting (quiet hours) about something no longer true."""
    return Notification.objects.filter(
        organization=organization,
        key__startswith=key_prefix,
        email_status=Notification.Email.PENDING,
    ).update(email_status=Notification.Email.CANCELLED)


# --- The in-app list ---------------------------------------------------------------------------


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user, organization) -> int:
    """Mark every unread notification of ``user`` in ``organization`` read; how many were."""
    unread = inbox(user, organization).filter(read_at__isnull=True)
    return unread.update(read_at=timezone.now())


# --- Email preferences -------------------------------------------------------------------------


def emailed_kinds(user) -> set[str]:
    """Names of the optional kinds ``user`` still gets by email."""
    off = set(user.email_opt_outs.values_list("kind", flat=True))
    return {k.name for k in registry.optional_kinds()} - off


def wants_email(user, kind: Kind) -> bool:
    if kind.mandatory or user is None:
        return True
    return not EmailOptOut.objects.filter(user=user, kind=kind.name).exists()


@transaction.atomic
def set_emailed_kinds(user, names) -> None:
    """Email ``user`` about exactly the optional kinds in ``names`` (mandatory ones always)."""
    optional = {k.name for k in registry.optional_kinds()}
    unknown = set(names) - optional
    if unknown:
        raise ValueError(f"Unknown or mandatory notification kinds: {sorted(unknown)}")
    EmailOptOut.objects.filter(user=user, kind__in=set(names)).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=name) for name in sorted(optional - set(names))],
        ignore_conflicts=True,
    )


def unsubscribe(user, kind: Kind) -> bool:
    """Stop emailing ``user`` about ``kind``; False for a kind that can't be turned off."""
    if kind.mandatory:
        return False
    EmailOptOut.objects.get_or_create(user=user, kind=kind.name)
    return True
