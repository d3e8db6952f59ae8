import django_filters
from django import forms

from . import audit
from .models import AuditLogEntry, Invitation, Membership, Role, User


def _actors(request):
    organization = getattr(request, "organization", None)
    if organization is None:
        return User.objects.none()
    return User.objects.filter(memberships__organization=organization).order_by("email")


class AuditLogFilter(django_filters.FilterSet):
    # A prefix: a whole group ("member.") or one action. The page offers the registered actions
    # by their labels; the API takes any prefix.
    action = django_filters.CharFilter(
        lookup_expr="istartswith",
        label="Action",
        widget=forms.Select(choices=lambda: [("", "Anything"), *audit.action_choices()]),
    )
    actor = django_filters.ModelChoiceFilter(queryset=_actors, label="Who", empty_label="Anyone")
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="From"
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Until"
    )

    class Meta:
        model = AuditLogEntry
        fields = ["action", "actor", "since", "until"]


class MembershipFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["role"]


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Invitation.Status.choices)
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Invitation
        fields = ["status", "role"]
