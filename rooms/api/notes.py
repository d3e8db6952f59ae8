"""API of a meeting's notes: shared ones and the reader's own private ones (anyone else's
private note is a 404); add, edit and delete one's own. Bodies in light Markdown, with their
sanitised HTML."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import markup, queries
from ..constants import NOTE_MAX
from ..models import Note
from ..services import notes
from .agenda import IN_MEETING


class NoteSerializer(serializers.ModelSerializer):
    html = serializers.SerializerMethodField(help_text="The body rendered, sanitised.")
    mine = serializers.SerializerMethodField(help_text="You wrote it.")

    class Meta:
        model = Note
        fields = ["id", "meeting", "private", "body", "html", "mine", "created_at", "updated_at"]
        read_only_fields = fields

    def get_html(self, note) -> str:
        return str(markup.render(note.body))

    def get_mine(self, note) -> bool:
        return note.author_id == self.context["request"].user.pk


class NoteWriteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=NOTE_MAX)
    private = serializers.BooleanField(
        required=False, default=False, help_text="Only you will ever read it."
    )


class NoteChangeSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=NOTE_MAX, required=False)
    private = serializers.BooleanField(required=False)


@extend_schema_view(
    list=extend_schema(parameters=IN_MEETING),
    retrieve=extend_schema(parameters=IN_MEETING),
    destroy=extend_schema(parameters=IN_MEETING),
)
class NoteViewSet(
    OrgScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A meeting's notes, oldest first. The pair only; private notes are their author's alone
    (not the other party's, not admins' or HR's, not even through break-glass)."""

    serializer_class = NoteSerializer
    queryset = Note.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def meeting(self, *, write=False):
        return queries.get_meeting_for_member(
            self.request, self.kwargs["room_pk"], self.kwargs["meeting_pk"], write=write
        )

    def get_queryset(self):
        return queries.visible_notes(self.meeting(), self.request.user)

    def get_object(self, *, write=False):
        return queries.get_note_for_member(
            self.request,
            self.kwargs["room_pk"],
            self.kwargs["meeting_pk"],
            self.kwargs["pk"],
            write=write,
        )

    @extend_schema(
        parameters=IN_MEETING, request=NoteWriteSerializer, responses={201: NoteSerializer}
    )
    def create(self, request, *args, **kwargs):
        meeting = self.meeting(write=True)
        body = NoteWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            note = notes.add_note(meeting=meeting, actor=request.user, **body.validated_data)
        data = NoteSerializer(note, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=IN_MEETING, request=NoteChangeSerializer, responses=NoteSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change your own note's body or who reads it."""
        note = self.get_object(write=True)
        body = NoteChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            notes.edit_note(note=note, actor=request.user, **body.validated_data)
        return Response(NoteSerializer(note, context={"request": request}).data)

    def destroy(self, request, *args, **kwargs):
        note = self.get_object(write=True)
        with service_errors():
            notes.delete_note(note=note, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
