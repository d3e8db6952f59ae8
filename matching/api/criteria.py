"""Matching API, under /api/v1/orgs/<org>/programs/<program_slug>/matching/: the program's
matching settings, its custom questions, and participants' profiles (thin: serializers shape,
``matching.services`` validates and writes)."""

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors
from programs import queries as program_queries
from programs.api.programs import ProgramPartMixin
from programs.models import Enrollment

from . import queries, services
from .models import CustomQuestion, MatchingSettings, Objective, Profile, ProfileQuestion

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


# --- Pool overview -------------------------------------------------------------------------------


class RoleCountsSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField(help_text="Active enrolments.")
    profiled = serializers.IntegerField(help_text="Of those, with a profile.")
    matched = serializers.IntegerField(
        help_text="Mentees with an open match; mentors with at least one mentee."
    )
    unmatched = serializers.IntegerField()


class MentorCountsSerializer(RoleCountsSerializer):
    seats = serializers.IntegerField(help_text="Their capacities (or the program's default).")
    seats_taken = serializers.IntegerField()
    seats_free = serializers.IntegerField()


class PoolSerializer(serializers.Serializer):
    mentees = RoleCountsSerializer()
    mentors = MentorCountsSerializer()


class PoolView(ProgramPartMixin, generics.GenericAPIView):
    """The pool overview: who is enrolled, profiled, matched and not, and the mentors' seats.
    Open matches (active or paused) count as matched."""

    serializer_class = PoolSerializer
    queryset = Enrollment.objects.none()

    def get(self, request, *args, **kwargs):
        counts = queries.pool_counts(self.get_program())
        data = {
            "mentees": counts[Enrollment.Role.MENTEE],
            "mentors": counts[Enrollment.Role.MENTOR],
        }
        return Response(PoolSerializer(data).data)


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


# --- Profiles ------------------------------------------------------------------------------------


class ProfileEnrollmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = Enrollment
        fields = ["id", "email", "name", "role", "status"]


class ProfileSerializer(serializers.ModelSerializer):
    enrollment = ProfileEnrollmentSerializer(read_only=True)
    completeness = serializers.SerializerMethodField(
        help_text="How much of what the program asks is answered, in per cent."
    )
    skills = serializers.DictField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Skill → level 1–5 (mentors: can teach; mentees: want to learn); up to 30.",
    )
    career_goals = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="From the program's list."
    )
    languages = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Codes or names ("en", "German"); stored as ISO 639-1 codes where known.',
    )
    availability = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Hour slots of the week, 0 (Monday 00:00) to 167, in the profile's time zone.",
    )
    time_zone = serializers.CharField(
        required=False, allow_blank=True, help_text="An IANA time zone, e.g. Europe/Berlin."
    )
    manager_email = serializers.CharField(required=False, allow_blank=True)
    custom_answers = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Custom question id → chosen options (single choice: exactly one).",
    )
    capacity = serializers.IntegerField(
        source="enrollment.capacity",
        required=False,
        allow_null=True,
        help_text="Mentors only: how many mentees they can take (1–20).",
    )
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null until the profile is first saved."
    )

    class Meta:
        model = Profile
        fields = [
            "enrollment",
            "completeness",
            "skills",
            "industry",
            "years_experience",
            "career_goals",
            "career_goals_text",
            "style_direct_supportive",
            "style_structured_exploratory",
            "style_written_spoken",
            "meeting_frequency",
            "meeting_format",
            "city",
            "country",
            "time_zone",
            "languages",
            "availability",
            "department",
            "manager_email",
            "hopes",
            "custom_answers",
            "capacity",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            # The service checks ranges and lengths and says so in plain words.
            "style_direct_supportive": {"min_value": None, "max_value": None},
            "style_structured_exploratory": {"min_value": None, "max_value": None},
            "style_written_spoken": {"min_value": None, "max_value": None},
        }

    def get_completeness(self, profile) -> int:
        return queries.completeness(
            profile if profile.pk else None, self.context["settings"], self.context["questions"]
        )

    def service_kwargs(self):
        data = dict(self.validated_data)
        if "enrollment" in data:
            data["capacity"] = data.pop("enrollment").get("capacity")
        return data


class ProfileFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Enrollment.Role.choices)
    status = django_filters.ChoiceFilter(
        choices=[(s, Enrollment.Status(s).label) for s in services.EDITABLE_STATUSES]
    )

    class Meta:
        model = Enrollment
        fields = ["role", "status"]


PROFILE_EXAMPLE = OpenApiExample(
    "A mentee's profile",
    request_only=True,
    value={
        "skills": {"public speaking": 2, "negotiation": 3},
        "career_goals": ["Move into management"],
        "time_zone": "Europe/Berlin",
        "languages": ["English", "de"],
        "availability": [9, 10, 33, 34],
    },
)


class ProfileMixin:
    serializer_class = ProfileSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        program = self.get_program()
        context["settings"] = queries.settings_for(program)
        context["questions"] = list(queries.custom_questions(program))
        return context

    def respond(self, enrollment):
        return Response(self.get_serializer(queries.get_profile(enrollment)).data)

    def save(self, request, enrollment):
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.save_profile(
                enrollment=enrollment, actor=request.user, **serializer.service_kwargs()
            )
        enrollment = Enrollment.objects.select_related("profile", "user").get(pk=enrollment.pk)
        return self.respond(enrollment)


@extend_schema_view(update=extend_schema(examples=[PROFILE_EXAMPLE]))
class ProfileViewSet(ProfileMixin, ProgramPartMixin, viewsets.GenericViewSet):
    """Participants' profiles, by enrolment id (active and applied enrolments). Admins write,
    HR reads. Updating sends any subset of the fields; a profile is created on first save."""

    queryset = Enrollment.objects.none()
    filterset_class = ProfileFilter
    ordering = ["role", "status", "email"]

    def get_queryset(self):
        return queries.pool(self.get_program())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        profiles = [queries.get_profile(e) for e in page]
        return self.get_paginated_response(self.get_serializer(profiles, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def update(self, request, *args, **kwargs):
        return self.save(request, self.get_object())


@extend_schema_view(put=extend_schema(examples=[PROFILE_EXAMPLE]))
class MyProfileView(ProfileMixin, OrgScopedMixin, generics.GenericAPIView):
    """The signed-in participant's own profile in this program (active or applied)."""

    queryset = Profile.objects.none()
    required_permissions = {"read": "view_organization", "write": "view_organization"}

    def get_program(self):
        if not hasattr(self, "_program"):
            self._program = program_queries.get_program_for_member(
                self.request, self.kwargs["program_slug"]
            )
        return self._program

    def get(self, request, *args, **kwargs):
        return self.respond(queries.own_enrollment(request, self.get_program()))

    def put(self, request, *args, **kwargs):
        return self.save(request, queries.own_enrollment(request, self.get_program()))
