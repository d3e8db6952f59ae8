"""Reads of notifications: a person's own, in one organization."""

from django.shortcuts import get_object_or_404

from .models import Notification


def inbox(user, organization):
    """The notifications ``user`` has in ``organization``, newest first."""
    return Notification.objects.filter(organization=organization, recipient=user)


def unread_count(user, organization) -> int:
    return inbox(user, organization).filter(read_at__isnull=True).count()


def get_notification_for_member(membership, pk) -> Notification:
    """One of the member's own notifications; anyone else's is a 404."""
    return get_object_or_404(inbox(membership.user, membership.organization), pk=pk)
