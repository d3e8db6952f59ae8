"""A notification per (kind, recipient, subject, period), and the kinds a person turned off."""

from django.conf import settings
from django.db import models

from ..scoping import TenantManager


class Notification(models.Model):
    """One thing told to one person: a row in their in-app list and, unless turned off, an email.

    ``key`` names the kind, the recipient, the subject object and the period (e.g.
    ``match:12:paused:40:7``); it is unique per organization, so creating the row is the claim:
    a retried task, a second beat or a killed worker can never tell the same thing twice.
    """

    class Email(models.TextChoices):
        NONE = "none", "No email"  # nobody to email, or an in-app-only kind
        PENDING = "pending", "Waiting to be sent"  # due at email_due_at (quiet hours defer it)
        SENT = "sent", "Sent"
        OFF = "off", "Turned off by the recipient"
        CANCELLED = "cancelled", "Not sent: no longer true"  # e.g. a revoked invitation

    organization = models.ForeignKey(
        "mentorship.Organization", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200)
    # Empty for an address without an account yet (an invitation): email only, no in-app row.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)  # the subject's page, a path
    # Files for the email, as they were when it was told (e.g. a meeting's .ics): a list of
    # {"filename", "content", "mimetype"}; text only, never private content.
    attachments = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    email_due_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key"],
                name="notification_unique_key",
                violation_error_message="This has already been told.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "organization", "read_at"], name="notification_inbox"
            ),
            models.Index(
                fields=["email_due_at"],
                name="notification_email_due",
                condition=models.Q(email_status="pending"),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class EmailOptOut(models.Model):
    """A kind of email a person turned off (on their profile page or by an unsubscribe link).

    Per person, not per organization: "don't email me about X" means everywhere.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_opt_out_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}"
