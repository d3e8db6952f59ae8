"""API of a meeting's agenda: its points (shared ones, and the reader's own private ones; no
one else's private point, ever), add, tick off, move, edit, delete, and "suggest"."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import AGENDA_POINT_MAX
from ..models import AgendaPoint
from ..services import agenda

ROOM = OpenApiParameter("room_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The room.")
MEETING = OpenApiParameter(
    "meeting_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The room's meeting."
)
IN_MEETING = [ROOM, MEETING]


class AgendaPointSerializer(serializers.ModelSerializer):
    mine = serializers.SerializerMethodField(help_text="You wrote (or carried) this point.")

    class Meta:
        model = AgendaPoint
        fields = [
            "id",
            "meeting",
            "text",
            "private",
            "source",
            "position",
            "done",
            "carried_from",
            "mine",
        ]
        read_only_fields = fields

    def get_mine(self, point) -> bool:
        return point.author_id == self.context["request"].user.pk


class AgendaPointWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=AGENDA_POINT_MAX)
    private = serializers.BooleanField(
        required=False, default=False, help_text="Only you will ever see it."
    )


class AgendaPointChangeSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=AGENDA_POINT_MAX, required=False)
    private = serializers.BooleanField(required=False)
    done = serializers.BooleanField(required=False, help_text="Ticked off.")
    move = serializers.ChoiceField(
        choices=["up", "down"], required=False, help_text="One place up or down."
    )


@extend_schema_view(
    list=extend_schema(parameters=IN_MEETING),
    retrieve=extend_schema(parameters=IN_MEETING),
    destroy=extend_schema(parameters=IN_MEETING),
)
class AgendaPointViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A meeting's agenda, in order. The pair only; private points are their author's alone."""

    serializer_class = AgendaPointSerializer
    queryset = AgendaPoint.objects.none()
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def meeting(self, *, write=False):
        return queries.get_meeting_for_member(
            self.request, self.kwargs["room_pk"], self.kwargs["meeting_pk"], write=write
        )

    def get_queryset(self):
        return queries.visible_points(self.meeting(), self.request.user)

    def get_object(self, *, write=False):
        return queries.get_agenda_point_for_member(
            self.request,
            self.kwargs["room_pk"],
            self.kwargs["meeting_pk"],
            self.kwargs["pk"],
            write=write,
        )

    @extend_schema(
        parameters=IN_MEETING,
        request=AgendaPointWriteSerializer,
        responses={201: AgendaPointSerializer},
    )
    def create(self, request, *args, **kwargs):
        meeting = self.meeting(write=True)
        body = AgendaPointWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            point = agenda.add_point(meeting=meeting, actor=request.user, **body.validated_data)
        data = AgendaPointSerializer(point, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=IN_MEETING, request=AgendaPointChangeSerializer, responses=AgendaPointSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        """Tick off (``done``), move (``move``: up or down), or, its author only, change the
        words or who sees it."""
        point = self.get_object(write=True)
        body = AgendaPointChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with service_errors():
            if "text" in data or "private" in data:
                agenda.edit_point(
                    point=point,
                    actor=request.user,
                    text=data.get("text"),
                    private=data.get("private"),
                )
            if "done" in data:
                agenda.set_done(point=point, actor=request.user, done=data["done"])
            if "move" in data:
                agenda.move_point(point=point, actor=request.user, direction=data["move"])
        return Response(AgendaPointSerializer(point, context={"request": request}).data)

    def destroy(self, request, *args, **kwargs):
        point = self.get_object(write=True)
        with service_errors():
            agenda.delete_point(point=point, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=IN_MEETING, request=None, responses={201: AgendaPointSerializer(many=True)}
    )
    @action(detail=False, methods=["post"])
    def suggest(self, request, *args, **kwargs):
        """Add the suggested points: left over from earlier meetings, the stage's prompts, open
        action items, milestones due. The points added (none when all are there already)."""
        meeting = self.meeting(write=True)
        with service_errors():
            added = agenda.suggest_agenda(meeting=meeting, actor=request.user)
        added = queries.readable_points(added, request.user)
        data = AgendaPointSerializer(added, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)
