"""API of a room's stage: the pair moves it one stage on, or one back."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..models import Stage
from ..services import stages
from .agenda import ROOM


class StageSerializer(serializers.Serializer):
    stage = serializers.IntegerField(help_text="0 Foundation, then 1–6.")
    label = serializers.CharField()
    stage_changed_at = serializers.DateTimeField(allow_null=True)


class StageMoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=Stage.choices, help_text="The next stage, or the previous one."
    )


class RoomStageView(OrgScopedMixin, APIView):
    @extend_schema(parameters=[ROOM], request=StageMoveSerializer, responses=StageSerializer)
    def post(self, request, *args, **kwargs):
        """Move the room's stage (the pair only, while the match is open)."""
        room = queries.get_room_to_write_for_member(request, kwargs["room_pk"])
        body = StageMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            room = stages.move_stage(
                room=room, actor=request.user, stage=body.validated_data["stage"]
            )
        data = {
            "stage": room.stage,
            "label": Stage(room.stage).label,
            "stage_changed_at": room.stage_changed_at,
        }
        return Response(StageSerializer(data).data)
