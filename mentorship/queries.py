"""Reads that pages and the API share."""

from .models import AuditLogEntry, Invitation, Membership


def members(organization):
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def pending_invitations(organization):
    return (
        Invitation.objects.filter(organization=organization, status=Invitation.Status.PENDING)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitations(organization):
    return Invitation.objects.filter(organization=organization).select_related(
        "invited_by", "accepted_by"
    )


def audit_log(organization):
    return AuditLogEntry.objects.filter(organization=organization).select_related("actor")
