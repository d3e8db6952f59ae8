"""API of a room's meetings: list, schedule, read, reschedule (PATCH), cancel, mark held or
no-show, and each meeting's .ics. The pair only (an admin reads through break-glass)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import LOCATION_MAX, MEETING_MAX_MINUTES, MEETING_MIN_MINUTES
from ..models import Meeting
from ..services import calendar
from ..services import meetings as services
from ..web import ics_response
from .agreements import ROOM_PK


class MeetingSerializer(serializers.ModelSerializer):
    ends_at = serializers.SerializerMethodField()
    uid = serializers.SerializerMethodField(help_text="The calendar UID (stable per meeting).")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "room",
            "starts_at",
            "ends_at",
            "minutes",
            "location",
            "video_url",
            "status",
            "sequence",
            "uid",
            "created_at",
            "held_at",
        ]
        read_only_fields = fields

    def get_ends_at(self, meeting) -> str:
        return serializers.DateTimeField().to_representation(services.ends_at(meeting))

    def get_uid(self, meeting) -> str:
        return calendar.uid_of(meeting)


class MeetingWriteSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(
        help_text="When it starts (ISO 8601 with an offset; without one, your time zone)."
    )
    minutes = serializers.IntegerField(
        required=False,
        min_value=MEETING_MIN_MINUTES,
        max_value=MEETING_MAX_MINUTES,
        help_text="How long it lasts (or give ends_at).",
    )
    ends_at = serializers.DateTimeField(required=False, help_text="When it ends (or minutes).")
    location = serializers.CharField(
        max_length=LOCATION_MAX, required=False, allow_blank=True, default=""
    )
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if "minutes" not in attrs and "ends_at" not in attrs:
            raise serializers.ValidationError({"minutes": "Give the length (or ends_at)."})
        return attrs


class CalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, str | bytes) else str(data)


@extend_schema_view(
    list=extend_schema(parameters=[ROOM_PK]),
    retrieve=extend_schema(parameters=[ROOM_PK]),
)
class MeetingViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A room's meetings, latest first. Times are UTC; send ``starts_at`` with an offset."""

    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def room(self, *, write=False):
        get = queries.get_room_to_write_for_member if write else queries.get_room_content_for_member
        return get(self.request, self.kwargs["room_pk"])

    def get_queryset(self):
        return queries.meetings_of(self.room())

    def get_object(self, *, write=False):
        return queries.get_meeting_for_member(
            self.request, self.kwargs["room_pk"], self.kwargs["pk"], write=write
        )

    @extend_schema(
        parameters=[ROOM_PK],
        request=MeetingWriteSerializer,
        responses={201: MeetingSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Schedule a meeting; the other party gets an invitation (.ics) by email."""
        room = self.room(write=True)
        body = MeetingWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            meeting = services.schedule(room=room, actor=request.user, **body.validated_data)
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROOM_PK], request=MeetingWriteSerializer, responses=MeetingSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        """Reschedule: a new time, length or place (SEQUENCE rises; the other party gets the
        updated invitation). Unsent fields keep their values."""
        meeting = self.get_object(write=True)
        data = {
            "starts_at": meeting.starts_at,
            "minutes": meeting.minutes,
            "location": meeting.location,
            "video_url": meeting.video_url,
        }
        if "ends_at" in request.data:
            data.pop("minutes")
        body = MeetingWriteSerializer(data={**data, **request.data})
        body.is_valid(raise_exception=True)
        with service_errors():
            meeting = services.reschedule(
                meeting=meeting, actor=request.user, **body.validated_data
            )
        return Response(MeetingSerializer(meeting).data)

    def _change(self, call):
        meeting = self.get_object(write=True)
        with service_errors():
            meeting = call(meeting=meeting, actor=self.request.user)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(parameters=[ROOM_PK], request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        """Cancel a scheduled meeting; the other party gets METHOD:CANCEL by email."""
        return self._change(services.cancel)

    @extend_schema(parameters=[ROOM_PK], request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def held(self, request, *args, **kwargs):
        """The meeting took place (once it has started)."""
        return self._change(services.mark_held)

    @extend_schema(parameters=[ROOM_PK], request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, *args, **kwargs):
        """The meeting was due but didn't happen."""
        return self._change(services.mark_no_show)

    @extend_schema(
        parameters=[ROOM_PK],
        responses={
            (200, "text/calendar"): OpenApiResponse(
                OpenApiTypes.STR, description="The meeting as an iCalendar file."
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, CalendarRenderer],
    )
    def ics(self, request, *args, **kwargs):
        """The meeting for your calendar (the pair only)."""
        meeting = self.get_object()
        if not meeting.room.viewer_is_participant:
            raise Http404("No such meeting.")
        return ics_response(meeting)
