"""The bell in the navigation bar: how many unread notifications, and where they are."""

from functools import cached_property

from django.db.models import Count
from django.urls import reverse
from django_scopes import scopes_disabled

from ..models import Membership
from .models import Notification
from .queries import unread_count


class Bell:
    """Counts only when a page draws it (one query). On an organization's pages it counts that
    organization's; elsewhere the person's unread across their organizations."""

    def __init__(self, user, membership=None):
        self.user, self.membership = user, membership

    @cached_property
    def _state(self) -> tuple[int, str | None]:
        if self.membership is not None:
            org = self.membership.organization
            return unread_count(self.user, org), reverse("org:notifications", args=[org.slug])
        with scopes_disabled():  # the person's own rows, in organizations they still belong to
            per_org = list(
                Notification.objects.filter(
                    recipient=self.user,
                    read_at__isnull=True,
                    organization__memberships__user=self.user,
                )
                .values("organization__slug")
                .annotate(n=Count("pk"))
                .order_by("-n", "organization__slug")
            )
            if not per_org:
                slug = (
                    Membership.objects.filter(user=self.user)
                    .order_by("organization__name")
                    .values_list("organization__slug", flat=True)
                    .first()
                )
                return 0, slug and reverse("org:notifications", args=[slug])
        slug = per_org[0]["organization__slug"]
        return sum(row["n"] for row in per_org), reverse("org:notifications", args=[slug])

    @property
    def unread(self) -> int:
        return self._state[0]

    @property
    def url(self) -> str | None:
        return self._state[1]
