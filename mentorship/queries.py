"""Reads that pages and the API share."""

from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf

from .models import AuditLogEntry, Invitation, Membership


def members(organization):
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        # People without a name sort by their email among the others, not first.
        .order_by(Lower(Coalesce(NullIf("user__name", Value("")), "user__email")), "pk")
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
