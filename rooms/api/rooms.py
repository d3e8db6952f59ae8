"""API of rooms: a member's own rooms; every room of the organization for admins and HR, with
metadata only (stage, meetings, dates, agreement, milestone progress: never content)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin

from .. import queries
from ..models import Room, Stage


class PairPersonSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="display_name")


class RoomProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Milestones done.")
    total = serializers.IntegerField(help_text="Milestones that count (skipped ones don't).")
    late = serializers.IntegerField(help_text="Open milestones past their due date.")
    percent = serializers.IntegerField(help_text="Share done, 0–100.")
    next_due = serializers.DateField(allow_null=True, help_text="The next open milestone's date.")


class RoomSerializer(serializers.ModelSerializer):
    """What anyone who may see a room reads of it: never its notes, messages or agenda."""

    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    match = serializers.IntegerField(source="match_id", read_only=True)
    match_status = serializers.CharField(source="match.status", read_only=True)
    mentor = PairPersonSerializer(source="match.mentor", read_only=True)
    mentee = PairPersonSerializer(source="match.mentee", read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    stage_name = serializers.CharField(source="get_stage_display", read_only=True)
    read_only = serializers.BooleanField(
        source="is_read_only",
        read_only=True,
        help_text="The match has ended or its program is closed: nothing changes.",
    )
    meetings_held = serializers.IntegerField(read_only=True)
    meetings_upcoming = serializers.IntegerField(read_only=True)
    last_meeting_at = serializers.DateTimeField(read_only=True, allow_null=True)
    next_meeting_at = serializers.DateTimeField(read_only=True, allow_null=True)
    agreement_signed = serializers.SerializerMethodField(
        help_text="Both of the pair signed the program's current agreement."
    )
    progress = serializers.SerializerMethodField(help_text="The roadmap's milestones.")

    class Meta:
        model = Room
        fields = [
            "id",
            "program",
            "program_name",
            "match",
            "match_status",
            "mentor",
            "mentee",
            "stage",
            "stage_name",
            "stage_changed_at",
            "read_only",
            "meetings_held",
            "meetings_upcoming",
            "last_meeting_at",
            "next_meeting_at",
            "agreement_signed",
            "progress",
            "created_at",
            "last_activity_at",
        ]
        read_only_fields = fields

    def get_agreement_signed(self, room) -> bool:
        return room.signed_count >= 2

    @extend_schema_field(RoomProgressSerializer(allow_null=True))
    def get_progress(self, room):
        found = self.context.get("progress", {}).get(room.match_id)
        return RoomProgressSerializer(found).data if found is not None else None


class RoomViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The rooms you may see: your own (as mentor or mentee); admins and HR see every room of
    the organization, metadata only."""

    serializer_class = RoomSerializer
    queryset = Room.objects.none()

    def get_queryset(self):
        rooms = queries.rooms_for(self.request.membership)
        return queries.with_metadata(queries.with_people(rooms)).order_by(
            "-last_activity_at", "-pk"
        )

    def get_object(self):
        room = queries.get_room_for_member(self.request, self.kwargs["pk"])
        [found] = queries.with_metadata(Room.objects.filter(pk=room.pk))
        room.meetings_held, room.meetings_upcoming = found.meetings_held, found.meetings_upcoming
        room.last_meeting_at, room.next_meeting_at = found.last_meeting_at, found.next_meeting_at
        room.signed_count = found.signed_count
        return room

    def _context(self, rooms):
        return {
            **self.get_serializer_context(),
            "progress": queries.progress_by_match([r.match_id for r in rooms]),
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = RoomSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    @extend_schema(responses=RoomSerializer)
    def retrieve(self, request, *args, **kwargs):
        room = self.get_object()
        return Response(RoomSerializer(room, context=self._context([room])).data)
