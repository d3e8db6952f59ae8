"""API of a room's messages: the thread (newest first, a page at a time; ``?after=<id>`` for
the ones after a message), write one, and mark the thread read up to the newest message you
got (``up_to``). The pair only."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import MESSAGE_MAX
from ..models import Message
from ..services import messages
from .agenda import ROOM

AFTER = OpenApiParameter(
    "after", int, required=False, description="Only the messages after this message id."
)


class MessageSerializer(serializers.ModelSerializer):
    mine = serializers.SerializerMethodField(help_text="You wrote it.")

    class Meta:
        model = Message
        fields = ["id", "room", "author", "body", "mine", "created_at"]
        read_only_fields = fields

    def get_mine(self, message) -> bool:
        return message.author_id == self.context["request"].user.pk


class MessageWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX)


class MessageReadSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "The id of the newest message you got (and showed): it and the ones before it are "
            "read, the ones after it stay unread. Without it: up to the room's latest message. "
            "The read mark never moves back."
        ),
    )


class ReadMarkSerializer(serializers.Serializer):
    read_at = serializers.DateTimeField(help_text="You have read the messages up to this time.")


@extend_schema_view(list=extend_schema(parameters=[ROOM, AFTER]))
class MessageViewSet(OrgScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A room's message thread. Your partner is told by email (batched: at most one every few
    minutes), never with the message's text."""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()

    def room(self, *, write=False):
        get = queries.get_room_to_write_for_member if write else queries.get_room_content_for_member
        return get(self.request, self.kwargs["room_pk"])

    def get_queryset(self):
        queryset = Message.objects.filter(room=self.room()).order_by("-created_at", "-pk")
        after = self.request.query_params.get("after")
        if after and after.isdigit():
            queryset = queryset.filter(pk__gt=int(after))
        return queryset

    @extend_schema(
        parameters=[ROOM], request=MessageWriteSerializer, responses={201: MessageSerializer}
    )
    def create(self, request, *args, **kwargs):
        room = self.room(write=True)
        body = MessageWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            message = messages.post_message(
                room=room, actor=request.user, body=body.validated_data["body"]
            )
        data = MessageSerializer(message, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ROOM], request=MessageReadSerializer, responses=ReadMarkSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request, *args, **kwargs):
        """You have read the thread up to the message ``up_to`` (the newest one you got; by
        default the latest): the unread counts drop by those. 400 for a message of another
        room."""
        room = queries.get_room_for_member(request, self.kwargs["room_pk"])
        if not room.viewer_is_participant:
            raise Http404("No such room.")
        body = MessageReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            mark = messages.mark_read(
                room=room, user=request.user, up_to=body.validated_data.get("up_to")
            )
        return Response(ReadMarkSerializer(mark).data)
