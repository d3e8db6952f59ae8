"""API of a room's progress updates: the list (newest first) and posting one."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import UPDATE_MAX
from ..models import ProgressUpdate
from ..services import updates
from .agenda import ROOM


class ProgressUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["id", "room", "author", "progress", "roadblocks", "achievements", "created_at"]
        read_only_fields = fields


class ProgressUpdateWriteSerializer(serializers.Serializer):
    progress = serializers.CharField(
        max_length=UPDATE_MAX, required=False, allow_blank=True, default=""
    )
    roadblocks = serializers.CharField(
        max_length=UPDATE_MAX, required=False, allow_blank=True, default=""
    )
    achievements = serializers.CharField(
        max_length=UPDATE_MAX, required=False, allow_blank=True, default=""
    )


@extend_schema_view(list=extend_schema(parameters=[ROOM]))
class ProgressUpdateViewSet(OrgScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Short posts between meetings (progress, roadblocks, achievements: at least one)."""

    serializer_class = ProgressUpdateSerializer
    queryset = ProgressUpdate.objects.none()

    def room(self, *, write=False):
        get = queries.get_room_to_write_for_member if write else queries.get_room_content_for_member
        return get(self.request, self.kwargs["room_pk"])

    def get_queryset(self):
        return ProgressUpdate.objects.filter(room=self.room())

    @extend_schema(
        parameters=[ROOM],
        request=ProgressUpdateWriteSerializer,
        responses={201: ProgressUpdateSerializer},
    )
    def create(self, request, *args, **kwargs):
        room = self.room(write=True)
        body = ProgressUpdateWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            update = updates.post_update(room=room, actor=request.user, **body.validated_data)
        return Response(ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
