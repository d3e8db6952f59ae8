"""Every write of the tenancy core. Keyword-only, atomic, audited; side effects on commit."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import audit, hooks
from .accounts import mark_email_verified
from .models import (
    RESERVED_SLUGS,
    ApiToken,
    Invitation,
    Membership,
    Organization,
    Role,
    User,
    hash_token,
    slug_validator,
)
from .notifications import kinds
from .notifications.service import cancel_pending_emails, notify


def _normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# --- Organizations -------------------------------------------------------------------------------


@transaction.atomic
def create_organization(
    *, slug, name, admin_email, admin_password=None, time_zone="UTC", actor=None
):
    """Create a tenant with its first admin (creating the admin's account when it is new)."""
    slug_validator(slug)
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"“{slug}” is reserved; choose another."})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The slug “{slug}” is already taken."})
    organization = Organization.objects.create(slug=slug, name=name, time_zone=time_zone)
    email = _normalize_email(admin_email)
    admin = User.objects.filter(email=email).first()
    if admin is None:
        admin = User.objects.create_user(email=email, password=admin_password)
        mark_email_verified(admin)
    with scope(organization=organization):
        Membership.objects.create(organization=organization, user=admin, role=Role.ADMIN)
        audit.record(
            organization=organization,
            actor=actor,
            action="organization.created",
            target=organization,
            data={"admin": email},
        )
    return organization


# --- Invitations ---------------------------------------------------------------------------------


def _queue_invitation_email(invitation):
    """Email the invitation (again): each send has its own number, so its own key."""
    invitation.send_count += 1
    invitation.save(update_fields=["send_count"])
    notify(
        kinds.INVITATION,
        organization=invitation.organization,
        key=f"invitation:{invitation.pk}:{invitation.send_count}",
        email=invitation.email,
        context={"invitation": invitation},
        url=reverse("invitation", args=[invitation.token]),
    )


@transaction.atomic
def invite_member(*, organization, email, role, actor):
    email = _normalize_email(email)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already a member."})
    if Invitation.objects.filter(
        organization=organization, email__iexact=email, status=Invitation.Status.PENDING
    ).exists():
        raise ValidationError({"email": f"{email} has a pending invitation; resend it instead."})
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=organization, email=email, role=role, invited_by=actor
            )
    except IntegrityError:  # a concurrent request invited the same address
        raise ValidationError({"email": f"{email} has a pending invitation."}) from None
    audit.record(
        organization=organization,
        actor=actor,
        action="invitation.created",
        target=invitation,
        data={"email": email, "role": role},
    )
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def resend_invitation(*, invitation, actor):
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation is {invitation.get_status_display().lower()}.")
    invitation.expires_at = Invitation._meta.get_field("expires_at").get_default()
    invitation.save(update_fields=["expires_at"])
    audit.record(
        organization=invitation.organization,
        actor=actor,
        action="invitation.resent",
        target=invitation,
    )
    _queue_invitation_email(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation, actor):
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(f"This invitation is {invitation.get_status_display().lower()}.")
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    cancel_pending_emails(invitation.organization, key_prefix=f"invitation:{invitation.pk}:")
    audit.record(
        organization=invitation.organization,
        actor=actor,
        action="invitation.revoked",
        target=invitation,
        data={"email": invitation.email},
    )
    return invitation


def find_invitation(token):
    """The invitation behind a link; links are global, so this is the one unscoped lookup."""
    with scopes_disabled():
        return (
            Invitation.objects.select_related("organization", "invited_by")
            .filter(token=token)
            .first()
        )


@transaction.atomic
def accept_invitation(*, invitation, user):
    organization = invitation.organization
    with scope(organization=organization):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError("This invitation is no longer valid. Ask for a new one.")
        if _normalize_email(user.email) != _normalize_email(invitation.email):
            raise ValidationError(
                f"This invitation was sent to {invitation.email}; you are signed in as "
                f"{user.email}. Sign in with the invited address."
            )
        membership, created = Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": invitation.role}
        )
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit.record(
            organization=organization,
            actor=user,
            action="invitation.accepted",
            target=invitation,
            data={"role": membership.role, "new_member": created},
        )
        hooks.member_joined.send(organization=organization, user=user)
    return membership


def expire_invitations(*, now=None):
    """Mark past-due pending invitations expired (the beat sweep). Returns how many."""
    with scopes_disabled():
        return Invitation.objects.filter(
            status=Invitation.Status.PENDING, expires_at__lte=now or timezone.now()
        ).update(status=Invitation.Status.EXPIRED)


# --- Memberships ---------------------------------------------------------------------------------


def _ensure_admin_remains(membership, *, action):
    others = (
        Membership.objects.filter(organization=membership.organization, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .select_for_update()
    )
    if membership.role == Role.ADMIN and not others.exists():
        raise ValidationError(f"You can't {action} the last admin; make someone else admin first.")


@transaction.atomic
def change_role(*, membership, role, actor):
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role “{role}”."})
    if role == membership.role:
        return membership
    if role != Role.ADMIN:
        _ensure_admin_remains(membership, action="demote")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        organization=membership.organization,
        actor=actor,
        action="member.role_changed",
        target=membership.user,
        data={"from": old, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, membership, actor):
    _ensure_admin_remains(membership, action="remove")
    audit.record(
        organization=membership.organization,
        actor=actor,
        action="member.removed",
        target=membership.user,
        data={"role": membership.role},
    )
    membership.delete()


# --- Accounts ------------------------------------------------------------------------------------


@transaction.atomic
def create_api_token(*, user, name, read_only=False):
    """Returns (token, key). The key is shown once; only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the tool that will use it."})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        read_only=read_only,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_token(key),
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def update_profile(*, user, name, time_zone):
    user.name = name.strip()
    user.time_zone = time_zone
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["name", "time_zone"])
    return user


# --- How the organization's people see you -------------------------------------------------------

CARD_FIELDS = ("job_title", "department", "bio")


@transaction.atomic
def update_member_card(*, membership, actor, photo=None, remove_photo=False, **fields):
    """Save the person's job title, department and bio in this organization (those given in
    ``fields``), and replace (``photo``: an uploaded file) or remove their photo. Everything is
    checked before anything is saved: a refused photo or a too-long bio changes nothing."""
    from . import people

    unknown = set(fields) - set(CARD_FIELDS)
    if unknown:
        raise ValueError(f"Not a card field: {sorted(unknown)}")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = {f: getattr(membership, f) for f in CARD_FIELDS}
    for name, value in fields.items():
        setattr(membership, name, (value or "").strip())
    membership.full_clean(
        exclude=[f.name for f in Membership._meta.fields if f.name not in fields],
        validate_unique=False,
        validate_constraints=False,
    )
    new_photo = people.process_photo(photo) if photo is not None else None
    old_name = membership.photo.name if membership.photo else ""
    changed = [f for f in CARD_FIELDS if getattr(membership, f) != before[f]]
    if new_photo is not None:
        membership.photo.save(new_photo.name, new_photo, save=False)
        changed.append("photo")
    elif remove_photo and old_name:
        membership.photo = ""
        changed.append("photo_removed")
    if not changed:
        return membership
    try:
        membership.save(update_fields=[*CARD_FIELDS, "photo"])
        audit.record(
            organization=membership.organization,
            actor=actor,
            action="member.card_updated",
            target=membership.user,
            data={"changed": changed},
        )
    except Exception:
        if new_photo is not None:  # the row keeps its old photo: drop the new file
            membership.photo.storage.delete(membership.photo.name)
        raise
    if old_name and old_name != membership.photo.name:
        # The old file goes once the new state is committed (a rollback keeps it in use).
        storage = membership.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return membership
