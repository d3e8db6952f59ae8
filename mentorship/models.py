"""The tenancy core: users, organizations (tenants), memberships, invitations, audit log, tokens.

Tenant-owned models carry ``organization`` and use django-scopes' ``ScopedManager``: a query
outside ``scope(organization=...)`` raises instead of silently reading every tenant's rows.
"""

import hashlib
import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from .scoping import TenantManager

TIME_ZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    "Use 1–50 lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
)
RESERVED_SLUGS = {"admin", "api", "new", "static", "media", "accounts", "account", "settings"}

# One limit for every email address we store (Django's EmailField column), so that forms, CSV
# imports and the API refuse what the column would: forms.EmailField alone accepts 320.
EMAIL_MAX_LENGTH = 254


def validate_email_address(value):
    """Raises ValidationError (with a message for the reader) unless ``value`` is an email
    address we can store."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            f"An email address has at most {EMAIL_MAX_LENGTH} characters.", code="max_length"
        )
    validate_email(value)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with email; belongs to organizations through memberships."""

    email = models.EmailField("email address", max_length=EMAIL_MAX_LENGTH, unique=True)
    name = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        blank=True,
        help_text="Times are shown in this zone; empty uses the organization's.",
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.name or self.email

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class Organization(models.Model):
    """A tenant. Nothing of one organization is ever visible from another."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    HR = "hr", "HR / analyst"
    MEMBER = "member", "Member"


def _photo_path(membership, filename):
    # Never the uploaded name: a random one, also the photo's version in its URL.
    return f"member-photos/{membership.organization_id}/{secrets.token_urlsafe(12)}.jpg"


class Membership(models.Model):
    """A person in one organization: their role, and how the organization's people see them
    (job title, department, a short bio, a photo). These describe the person here only: in
    another organization the same person has another membership, and shows nothing of this one.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optional; the person edits them on their profile page. db_default keeps rows inserted by
    # code that predates the columns valid while a deploy rolls out.
    job_title = models.CharField(max_length=100, blank=True, default="", db_default="")
    department = models.CharField(
        "department or team", max_length=100, blank=True, default="", db_default=""
    )
    bio = models.CharField(
        max_length=500,
        blank=True,
        default="",
        db_default="",
        help_text="A few words about you, in plain text.",
    )
    # A 256×256 JPEG re-encoded by the server (mentorship.people), served only to members.
    photo = models.ImageField(
        upload_to=_photo_path, max_length=200, blank=True, default="", db_default=""
    )

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                name="membership_unique_user",
                violation_error_message="This person is already a member of the organization.",
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self):
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def photo_version(self):
        """The random part of the photo's file name: it names the photo in its URL, so a
        new photo has a new URL (and caches never show an old one)."""
        return self.photo.name.rsplit("/", 1)[-1].removesuffix(".jpg") if self.photo else ""

    @property
    def photo_url(self):
        if not self.photo:
            return ""
        return reverse(
            "org:member-photo",
            kwargs={
                "org_slug": self.organization.slug,
                "pk": self.pk,
                "version": self.photo_version,
            },
        )


def _new_invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class Invitation(models.Model):
    """An admin's invitation by email; the link lets the person sign up or sign in and join."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(
        max_length=64, unique=True, default=_new_invitation_token, editable=False
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    send_count = models.PositiveIntegerField(default=0, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One open invitation per address and organization.
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="invitation_unique_pending_email",
                violation_error_message="This email address already has a pending invitation.",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self):
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_usable(self):
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class AuditLogEntry(models.Model):
    """Who did what to which object, when, in which organization. Written by services only."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]
        verbose_name_plural = "audit log entries"

    def __str__(self):
        return f"{self.action} by {self.actor} at {self.created_at:%Y-%m-%d %H:%M}"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the key is shown once, when created."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(
        default=False, help_text="Read-only tokens may only read (for HR and BI tools)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


# Notification models live with the rest of notifications; Django finds them here.
from .notifications.models import EmailOptOut, Notification  # noqa: E402, F401
