"""API of your private calendar feed: its address (null until you ask for one), a new address
(the old one stops working) or none at all."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.api.base import OrgScopedMixin

from .. import queries
from ..services import calendar


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        allow_null=True,
        help_text="Your private feed address for Outlook, Google or Apple calendars (null: "
        "none). Anyone with it sees your meetings' times and places, nothing else.",
    )
    created_at = serializers.DateTimeField(allow_null=True)


class FeedActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[("new", "A new address"), ("revoke", "No address")],
        default="new",
        help_text="new: a new address (any older one stops working); revoke: turn it off.",
    )


def _data(feed):
    return CalendarFeedSerializer(
        {"url": calendar.feed_address(feed), "created_at": feed.created_at if feed else None}
    ).data


class CalendarFeedView(OrgScopedMixin, APIView):
    @extend_schema(responses=CalendarFeedSerializer)
    def get(self, request, *args, **kwargs):
        """Your calendar feed's address."""
        return Response(_data(queries.active_feed(request.membership)))

    @extend_schema(request=FeedActionSerializer, responses=CalendarFeedSerializer)
    def post(self, request, *args, **kwargs):
        """A new address (``new``), or none (``revoke``): the old address stops working."""
        body = FeedActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["action"] == "revoke":
            calendar.revoke_feed(membership=request.membership)
            feed = None
        else:
            feed = calendar.new_feed(membership=request.membership)
        return Response(_data(feed))
