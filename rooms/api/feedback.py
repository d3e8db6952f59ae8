"""API of post-meeting feedback: your own answer on a held meeting (once), and reading it."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..constants import UPDATE_MAX
from ..models import MeetingFeedback
from ..services import feedback
from .agenda import IN_MEETING


class MeetingFeedbackSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingFeedback
        fields = ["id", "meeting", "usefulness", "comment", "good_fit", "created_at"]
        read_only_fields = fields


class MeetingFeedbackWriteSerializer(serializers.Serializer):
    usefulness = serializers.IntegerField(
        min_value=1, max_value=5, help_text="How useful was this meeting? 1 (not) to 5 (very)."
    )
    comment = serializers.CharField(
        max_length=UPDATE_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text=feedback.QUESTION,
    )
    good_fit = serializers.ChoiceField(
        choices=MeetingFeedback.Fit.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Is this a good fit? Required after the pair's first held meeting only; a "
        "“no” tells the program's admins.",
    )


@extend_schema_view(list=extend_schema(parameters=IN_MEETING))
class MeetingFeedbackViewSet(OrgScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your feedback on a held meeting (a list of at most one: yours, never your partner's)."""

    serializer_class = MeetingFeedbackSerializer
    queryset = MeetingFeedback.objects.none()
    pagination_class = None

    def meeting(self, *, write=False):
        return queries.get_meeting_for_member(
            self.request, self.kwargs["room_pk"], self.kwargs["meeting_pk"], write=write
        )

    def get_queryset(self):
        return MeetingFeedback.objects.filter(meeting=self.meeting(), author=self.request.user)

    @extend_schema(
        parameters=IN_MEETING,
        request=MeetingFeedbackWriteSerializer,
        responses={201: MeetingFeedbackSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Once per meeting and person; a second try is a 400."""
        meeting = self.meeting(write=True)
        body = MeetingFeedbackWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            given = feedback.give_feedback(
                meeting=meeting, actor=request.user, **body.validated_data
            )
        return Response(MeetingFeedbackSerializer(given).data, status=status.HTTP_201_CREATED)
