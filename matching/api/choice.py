"""API of the mentee-chooses mode, for participants: a mentee's suggestions and requests, a
mentor's incoming requests. Each person sees only their own (anything else is "not found")."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import service_errors
from programs.api.programs import ProgramMixin
from programs.models import Enrollment

from .. import queries
from ..models import MentorRequest, MentorRequestMessage, Suggestion
from ..services import choice, runs
from .runs import ExplanationSerializer, MatchSerializer, PersonSerializer


class MySuggestionSerializer(serializers.ModelSerializer):
    mentor = PersonSerializer(read_only=True)
    explanations = serializers.SerializerMethodField(
        help_text="Why this mentor fits, said to the mentee."
    )
    run = serializers.IntegerField(source="run.number", read_only=True)

    @extend_schema_field(ExplanationSerializer(many=True))
    def get_explanations(self, suggestion):
        # Said to the mentee; criteria that add nothing to the fit are left out.
        items = runs.worded(
            runs.contributing(suggestion.explanations),
            mentee=self.context["view"].get_enrollment().display_name,
            mentor=suggestion.mentor.display_name,
            reader="mentee",
        )
        return ExplanationSerializer(items, many=True).data

    class Meta:
        model = Suggestion
        fields = ["id", "run", "mentor", "score", "explanations"]
        read_only_fields = fields


class MentorRequestMessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorRequestMessage
        fields = ["author", "body", "created_at"]
        read_only_fields = fields


class MentorRequestSerializer(serializers.ModelSerializer):
    mentee = PersonSerializer(read_only=True)
    mentor = PersonSerializer(read_only=True)
    conversation = MentorRequestMessageSerializer(many=True, read_only=True)

    class Meta:
        model = MentorRequest
        fields = [
            "id",
            "mentee",
            "mentor",
            "suggestion",
            "status",
            "message",
            "mentor_reply",
            "conversation",
            "created_at",
            "expires_at",
            "answered_at",
        ]
        read_only_fields = fields


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RequiredMessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000)


class ParticipantMixin(ProgramMixin):
    """The signed-in participant's own enrolment in the program (404 when not taking part)."""

    required_permissions = {"read": "view_organization", "write": "view_organization"}
    role = None

    def get_enrollment(self):
        if not hasattr(self, "_enrollment"):
            self._enrollment = queries.own_enrollment(self.request, self.get_program())
        return self._enrollment

    def has_role(self):
        return self.get_enrollment().role == self.role

    def message(self, serializer_class=MessageSerializer):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["message"]


class MySuggestionViewSet(
    ParticipantMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in mentee's best mentors (at most five) from the run published for
    choosing, with the plain-words explanation of each; request one with ``request``."""

    serializer_class = MySuggestionSerializer
    queryset = Suggestion.objects.none()
    pagination_class = None
    role = Enrollment.Role.MENTEE

    def get_queryset(self):
        if not self.has_role():
            return Suggestion.objects.none()
        return choice.suggestions_for(self.get_enrollment())

    def get_object(self):
        return self.object_for_member(queries.get_own_suggestion_for_member, self.kwargs["pk"])

    @extend_schema(request=MessageSerializer, responses={201: MentorRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request", url_name="request")
    def request_mentor(self, request, *args, **kwargs):
        """Ask this mentor to mentor you (one open request at a time)."""
        suggestion = self.get_object()
        message = self.message()
        with service_errors():
            mentor_request = choice.request_mentor(
                suggestion=suggestion,
                mentee=self.get_enrollment(),
                message=message,
                actor=request.user,
            )
        return Response(
            MentorRequestSerializer(mentor_request).data, status=status.HTTP_201_CREATED
        )


class MyRequestViewSet(
    ParticipantMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in mentee's requests to mentors."""

    serializer_class = MentorRequestSerializer
    queryset = MentorRequest.objects.none()
    role = Enrollment.Role.MENTEE

    def get_queryset(self):
        if not self.has_role():
            return MentorRequest.objects.none()
        return choice.requests_of_mentee(self.get_enrollment())

    def get_object(self):
        return self.object_for_member(
            queries.get_mentor_request_for_member, self.kwargs["pk"], side=self.role
        )

    @extend_schema(request=None, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        with service_errors():
            mentor_request = choice.withdraw(mentor_request=self.get_object(), actor=request.user)
        return Response(MentorRequestSerializer(mentor_request).data)

    @extend_schema(request=RequiredMessageSerializer, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        """Answer the mentor's question; the request waits for the mentor again."""
        mentor_request = self.get_object()
        message = self.message(RequiredMessageSerializer)
        with service_errors():
            mentor_request = choice.answer(
                mentor_request=mentor_request, message=message, actor=request.user
            )
        return Response(MentorRequestSerializer(mentor_request).data)


class MentorRequestViewSet(
    ParticipantMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests addressed to the signed-in mentor: accept (a match is made; refused when you
    have no place left), decline, or ask for more information."""

    serializer_class = MentorRequestSerializer
    queryset = MentorRequest.objects.none()
    role = Enrollment.Role.MENTOR

    def get_queryset(self):
        if not self.has_role():
            return MentorRequest.objects.none()
        return choice.requests_for_mentor(self.get_enrollment())

    def get_object(self):
        return self.object_for_member(
            queries.get_mentor_request_for_member, self.kwargs["pk"], side=self.role
        )

    @extend_schema(request=MessageSerializer, responses=MatchSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        mentor_request = self.get_object()
        message = self.message()
        with service_errors():
            match = choice.accept(
                mentor_request=mentor_request, message=message, actor=request.user
            )
        return Response(MatchSerializer(match).data)

    @extend_schema(request=MessageSerializer, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        mentor_request = self.get_object()
        message = self.message()
        with service_errors():
            mentor_request = choice.decline(
                mentor_request=mentor_request, message=message, actor=request.user
            )
        return Response(MentorRequestSerializer(mentor_request).data)

    @extend_schema(request=RequiredMessageSerializer, responses=MentorRequestSerializer)
    @action(detail=True, methods=["post"])
    def ask(self, request, *args, **kwargs):
        """Ask the mentee for more information; the request stays open."""
        mentor_request = self.get_object()
        message = self.message(RequiredMessageSerializer)
        with service_errors():
            mentor_request = choice.ask_more(
                mentor_request=mentor_request, message=message, actor=request.user
            )
        return Response(MentorRequestSerializer(mentor_request).data)
