"""Participants' matching profiles in the API: an admin's list and edits, a participant's own
(thin: serializers shape, ``services.profiles`` validates and writes)."""

import django_filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from mentorship.api.base import service_errors
from programs.api.programs import ProgramMixin, ProgramPartMixin
from programs.models import Enrollment

from .. import queries
from ..constants import EDITABLE_STATUSES
from ..models import Profile
from ..services import profiles as services

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
        choices=[(s, Enrollment.Status(s).label) for s in EDITABLE_STATUSES]
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

    def respond(self, profile):
        return Response(self.get_serializer(profile).data)

    def save(self, request, profile):
        enrollment = profile.enrollment
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.save_profile(
                enrollment=enrollment, actor=request.user, **serializer.service_kwargs()
            )
        # Read again: the saved profile, and a mentor's capacity on the enrolment.
        enrollment = Enrollment.objects.select_related("profile", "user").get(pk=enrollment.pk)
        return self.respond(queries.get_profile(enrollment))


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

    def get_object(self):
        return self.object_for_member(queries.get_profile_for_member, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def update(self, request, *args, **kwargs):
        return self.save(request, self.get_object())


@extend_schema_view(put=extend_schema(examples=[PROFILE_EXAMPLE]))
class MyProfileView(ProfileMixin, ProgramMixin, generics.GenericAPIView):
    """The signed-in participant's own profile in this program (active or applied)."""

    queryset = Profile.objects.none()
    required_permissions = {"read": "view_organization", "write": "view_organization"}

    def get_object(self):
        return self.object_for_member(queries.get_profile_for_member)

    def get(self, request, *args, **kwargs):
        return self.respond(self.get_object())

    def put(self, request, *args, **kwargs):
        return self.save(request, self.get_object())
