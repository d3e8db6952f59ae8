"""API of action items: a room's (the pair reads and writes them) and "mine", every item the
reader owns across their rooms in the organization."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import ACTION_ITEM_MAX
from ..models import ActionItem
from ..services import action_items
from .agenda import ROOM


class ActionItemSerializer(serializers.ModelSerializer):
    done = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Open and due before today in the owner's time zone."
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "room",
            "meeting",
            "owner",
            "description",
            "due_date",
            "done",
            "done_at",
            "overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_done(self, item) -> bool:
        return item.done_at is not None

    def get_overdue(self, item) -> bool:
        if not hasattr(item, "overdue"):
            action_items.mark_overdue([item], self.context["request"].organization)
        return item.overdue


class ActionItemWriteSerializer(serializers.Serializer):
    owner = serializers.IntegerField(help_text="The user id of one of the pair.")
    description = serializers.CharField(max_length=ACTION_ITEM_MAX)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    meeting = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A meeting of this room."
    )


class ActionItemChangeSerializer(serializers.Serializer):
    owner = serializers.IntegerField(required=False)
    description = serializers.CharField(max_length=ACTION_ITEM_MAX, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    meeting = serializers.IntegerField(required=False, allow_null=True)
    done = serializers.BooleanField(required=False, help_text="Tick off, or open again.")


@extend_schema_view(
    list=extend_schema(parameters=[ROOM]),
    retrieve=extend_schema(parameters=[ROOM]),
    destroy=extend_schema(parameters=[ROOM]),
)
class ActionItemViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A room's action items: open ones first, soonest due first."""

    serializer_class = ActionItemSerializer
    queryset = ActionItem.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def room(self, *, write=False):
        get = queries.get_room_to_write_for_member if write else queries.get_room_content_for_member
        return get(self.request, self.kwargs["room_pk"])

    def get_queryset(self):
        return ActionItem.objects.filter(room=self.room()).select_related("owner")

    def get_object(self, *, write=False):
        return queries.get_action_item_for_member(
            self.request, self.kwargs["room_pk"], self.kwargs["pk"], write=write
        )

    @extend_schema(
        parameters=[ROOM], request=ActionItemWriteSerializer, responses={201: ActionItemSerializer}
    )
    def create(self, request, *args, **kwargs):
        room = self.room(write=True)
        body = ActionItemWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with service_errors():
            item = action_items.add_item(
                room=room,
                actor=request.user,
                owner_id=data["owner"],
                description=data["description"],
                due_date=data["due_date"],
                meeting_id=data["meeting"],
            )
        data = ActionItemSerializer(item, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROOM], request=ActionItemChangeSerializer, responses=ActionItemSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object(write=True)
        body = ActionItemChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        done = data.pop("done", None)
        renamed = {"owner": "owner_id", "meeting": "meeting_id"}
        changes = {renamed.get(k, k): v for k, v in data.items()}
        with service_errors():
            if changes:
                action_items.edit_item(item=item, actor=request.user, **changes)
            if done is not None:
                action_items.set_done(item=item, actor=request.user, done=done)
        return Response(ActionItemSerializer(item, context={"request": request}).data)

    def destroy(self, request, *args, **kwargs):
        item = self.get_object(write=True)
        action_items.delete_item(item=item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyActionItemViewSet(OrgScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The action items you own, in every room you take part in here: open ones first."""

    serializer_class = ActionItemSerializer
    queryset = ActionItem.objects.none()

    def get_queryset(self):
        return queries.my_action_items(self.request.membership)
