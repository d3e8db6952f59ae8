"""The API of notifications: the caller's own, in one organization; read them, clear them."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..api.base import OrgScopedMixin
from . import queries, service
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)
    url = serializers.SerializerMethodField(help_text="The page of what it is about, if any.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_url(self, obj) -> str | None:
        return self.context["request"].build_absolute_uri(obj.url) if obj.url else None


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        label="Only unread (true) or only read (false)",
    )
    kind = django_filters.CharFilter()

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")


MarkedSerializer = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class NotificationViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What the platform told you in this organization, newest first. Only your own."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema; requests use get_queryset
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"  # other ids are a 404 of the router, not a lookup error

    def get_queryset(self):
        return queries.inbox(self.request.user, self.organization)

    def get_object(self):
        return queries.get_notification_for_member(self.request.membership, self.kwargs["pk"])

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None, **kwargs):
        """Mark one notification read (again is fine)."""
        notification = service.mark_read(self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, **kwargs):
        """Mark all your unread notifications in this organization read."""
        return Response({"marked": service.mark_all_read(request.user, self.organization)})
