"""Matching API, under /api/v1/orgs/<org>/programs/<program_slug>/matching/: the program's
matching settings and its custom questions (thin: serializers shape, ``services.criteria``
validates and writes)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from mentorship.api.base import service_errors
from programs.api.programs import ProgramPartMixin

from .. import queries
from ..models import CustomQuestion, MatchingSettings, Objective, ProfileQuestion
from ..services import criteria as services

# --- Settings ------------------------------------------------------------------------------------


class MatchingSettingsSerializer(serializers.ModelSerializer):
    questions = serializers.ListField(
        child=serializers.ChoiceField(choices=ProfileQuestion.choices),
        help_text="The standard profile questions the program asks.",
    )
    career_goal_options = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False),
        help_text="The career goals participants choose from.",
    )
    weights = serializers.DictField(
        child=serializers.FloatField(),
        help_text='Criterion → weight from 0 to 1; custom questions as "custom:<id>".',
    )
    hard_rules = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Rule → true (on) or false (off); max_tz_hours → hours from 0 to 12.",
    )
    request_expiry_days = serializers.IntegerField(
        required=False,
        help_text="Mentee-chooses mode: days before an unanswered mentor request expires (1–30).",
    )
    objective = serializers.ChoiceField(
        choices=Objective.choices,
        required=False,
        help_text="coverage: as many mentees matched as the rules and capacities allow, then "
        "the best total fit; quality: the best total fit, even if fewer are matched.",
    )
    min_score = serializers.FloatField(
        required=False,
        min_value=0.0,
        max_value=0.9,
        help_text="No pair is made below this fit (0–0.9; 0 = any pair the hard rules allow).",
    )
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null until the settings are first saved."
    )

    class Meta:
        model = MatchingSettings
        fields = [
            "questions",
            "career_goal_options",
            "weights",
            "hard_rules",
            "request_expiry_days",
            "objective",
            "min_score",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


SETTINGS_EXAMPLE = OpenApiExample(
    "Skills first, shared language required",
    request_only=True,
    value={
        "questions": ["skills", "goals", "languages", "time_zone", "department"],
        "career_goal_options": ["Move into management", "Change careers"],
        "weights": {"skills": 0.9, "goals": 0.6, "language": 0.3, "time_zone": 0.2},
        "hard_rules": {"shared_language": True, "max_tz_hours": 4, "not_same_department": True},
    },
)


@extend_schema_view(update=extend_schema(examples=[SETTINGS_EXAMPLE]))
class MatchingSettingsViewSet(ProgramPartMixin, viewsets.GenericViewSet):
    """The program's matching matrix: questions asked, weights, hard rules, goal options."""

    serializer_class = MatchingSettingsSerializer
    queryset = MatchingSettings.objects.none()

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(queries.settings_for(self.get_program())).data)

    def update(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            settings = services.save_settings(
                program=self.get_program(), actor=request.user, **serializer.validated_data
            )
        return Response(self.get_serializer(settings).data)


# --- Custom questions ----------------------------------------------------------------------------


class CustomQuestionSerializer(serializers.ModelSerializer):
    options = serializers.ListField(
        child=serializers.CharField(allow_blank=True), help_text="2 to 20 unique options."
    )
    criterion = serializers.CharField(
        source="criterion_key", read_only=True, help_text="Its key in the settings' weights."
    )

    class Meta:
        model = CustomQuestion
        fields = ["id", "text", "kind", "options", "position", "criterion"]
        read_only_fields = ["id", "position", "criterion"]
        extra_kwargs = {"kind": {"required": True}}


class CustomQuestionViewSet(ProgramPartMixin, viewsets.ModelViewSet):
    """The program's own single- or multiple-choice questions; each is a matching criterion."""

    serializer_class = CustomQuestionSerializer
    queryset = CustomQuestion.objects.none()
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return queries.custom_questions(self.get_program())

    def get_object(self):
        return self.object_for_member(queries.get_question_for_member, self.kwargs["pk"])

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.create_custom_question(
                program=self.get_program(), actor=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        question, data = serializer.instance, serializer.validated_data
        with service_errors():
            serializer.instance = services.update_custom_question(
                question=question,
                actor=self.request.user,
                text=data.get("text", question.text),
                kind=data.get("kind", question.kind),
                options=data.get("options", question.options),
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.delete_custom_question(question=instance, actor=self.request.user)
