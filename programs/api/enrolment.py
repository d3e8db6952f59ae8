"""Enrolment API: /api/v1/orgs/<org>/programs/<program_slug>/enrollments/ (thin: serializers
validate, ``programs.enrolment`` writes)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from mentorship.api.base import service_errors
from mentorship.api.parsers import JSONParser
from mentorship.api.serializers import UserSummarySerializer

from .. import enrolment, queries
from ..enrolment_forms import EnrollmentFilter
from ..models import MENTOR_CAPACITY, Cohort, Enrollment
from .programs import ProgramPartMixin

PROGRAM_SLUG = OpenApiParameter(
    "program_slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The program's slug."
)


class EnrollmentSerializer(serializers.ModelSerializer):
    user = UserSummarySerializer(read_only=True, allow_null=True)
    role = serializers.ChoiceField(choices=Enrollment.Role.choices)
    cohort = serializers.PrimaryKeyRelatedField(
        queryset=Cohort.objects.none(),
        allow_null=True,
        required=False,
        help_text="A cohort of this program.",
    )
    capacity = serializers.IntegerField(
        min_value=MENTOR_CAPACITY[0],
        max_value=MENTOR_CAPACITY[1],
        allow_null=True,
        required=False,
        help_text="Mentors only: how many mentees they can take (default: the program's).",
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "email",
            "name",
            "role",
            "status",
            "cohort",
            "capacity",
            "user",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "user", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        program = self.context.get("program")
        if program is not None:
            fields["cohort"].queryset = Cohort.objects.filter(program=program)
        return fields


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        required=False, help_text="The CSV file (multipart): email, name, role, cohort."
    )
    csv = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Or the CSV as text (JSON bodies).",
    )

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("csv"):
            raise serializers.ValidationError({"file": "Upload a CSV file (or send csv as text)."})
        return attrs


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField()
    cohort = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())
    outcome = serializers.CharField(help_text="What importing this row does (valid rows).")
    skipped = serializers.BooleanField(help_text="Already in the program: not imported again.")


class ImportResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="True when every row is valid.")
    total = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    skipped = serializers.IntegerField(help_text="Rows already in the program: left as they are.")
    imported = serializers.IntegerField(help_text="Enrolments created (0 on a dry run or error).")
    detail = serializers.CharField(required=False)
    rows = ImportRowSerializer(many=True)


INVITE_EXAMPLES = [
    OpenApiExample(
        "Invite a mentor",
        request_only=True,
        value={
            "email": "ada@example.com",
            "name": "Ada Lovelace",
            "role": "mentor",
            "cohort": 3,
            "capacity": 2,
        },
    ),
    OpenApiExample(
        "Invite a mentee", request_only=True, value={"email": "alan@example.com", "role": "mentee"}
    ),
]

IMPORT_EXAMPLES = [
    OpenApiExample(
        "CSV as text",
        request_only=True,
        media_type="application/json",
        value={
            "csv": "email,name,role,cohort\nada@example.com,Ada Lovelace,mentor,Spring\n"
            "alan@example.com,Alan Turing,mentee,Spring\n"
        },
    ),
    OpenApiExample(
        "Preview with a bad row",
        response_only=True,
        status_codes=["400"],
        value={
            "ok": False,
            "total": 2,
            "valid": 1,
            "invalid": 1,
            "imported": 0,
            "detail": "1 of 2 rows have errors; nothing was imported.",
            "rows": [
                {
                    "line": 2,
                    "email": "ada@example.com",
                    "name": "Ada Lovelace",
                    "role": "mentor",
                    "cohort": "Spring",
                    "errors": [],
                    "outcome": "Enrolled now (already a member); gets an email.",
                },
                {
                    "line": 3,
                    "email": "alan@example",
                    "name": "Alan Turing",
                    "role": "mentor",
                    "cohort": "",
                    "errors": ["“alan@example” isn't a valid email address."],
                    "outcome": "",
                },
            ],
        },
    ),
]


@extend_schema_view(
    list=extend_schema(parameters=[PROGRAM_SLUG]),
    retrieve=extend_schema(parameters=[PROGRAM_SLUG]),
    create=extend_schema(parameters=[PROGRAM_SLUG], examples=INVITE_EXAMPLES),
)
class EnrollmentViewSet(
    ProgramPartMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A program's participants. Creating one invites by email: a member of the organization is
    enrolled at once, anyone else is invited to the organization and enrolled when they join."""

    serializer_class = EnrollmentSerializer
    queryset = Enrollment.objects.none()  # for the schema; requests use get_queryset
    filterset_class = EnrollmentFilter
    search_fields = ["email", "name", "user__name"]
    ordering_fields = ["email", "created_at", "status"]
    ordering = ["role", "email"]

    def get_queryset(self):
        # The program is read first: the cohort filter finds it on the request.
        program = self.get_program()
        return Enrollment.objects.filter(
            organization=self.organization, program=program
        ).select_related("user", "cohort")

    def get_object(self):
        return self.object_for_member(queries.get_enrollment_for_member, self.kwargs["pk"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False) and "program_slug" in self.kwargs:
            context["program"] = self.get_program()
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        with service_errors():
            serializer.instance = enrolment.invite_participant(
                program=self.get_program(), actor=self.request.user, **data
            )

    def _act(self, name):
        enrollment = self.get_object()
        with service_errors():
            enrollment = enrolment.ACTIONS[name](enrollment=enrollment, actor=self.request.user)
        return Response(self.get_serializer(enrollment).data)

    @extend_schema(parameters=[PROGRAM_SLUG], request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Accept an application (applied or declined → active); the person gets an email."""
        return self._act("accept")

    @extend_schema(parameters=[PROGRAM_SLUG], request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        """Decline an application (applied → declined)."""
        return self._act("decline")

    @extend_schema(parameters=[PROGRAM_SLUG], request=None, responses=EnrollmentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """Withdraw someone (invited, applied or active → withdrawn)."""
        return self._act("withdraw")

    @extend_schema(
        parameters=[
            PROGRAM_SLUG,
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                description="Only check the file: answer the per-row preview, write nothing.",
            ),
        ],
        request={
            "multipart/form-data": ImportRequestSerializer,
            "application/json": ImportRequestSerializer,
        },
        responses={
            200: ImportResultSerializer,
            201: ImportResultSerializer,
            400: ImportResultSerializer,
        },
        examples=IMPORT_EXAMPLES,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_csv(self, request, *args, **kwargs):
        """Import participants from a CSV (columns email, name, role, cohort): all rows or none.
        With ``dry_run=true`` only the per-row preview comes back. Any invalid row answers 400
        with the preview and writes nothing."""
        program = self.get_program()
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data.get("file")
        with service_errors():
            if upload is not None:
                if upload.size > enrolment.MAX_CSV_BYTES:
                    raise DjangoValidationError(
                        {"file": f"The file is larger than {enrolment.MAX_CSV_BYTES // 1024} KB."}
                    )
                data = upload.read()
            else:
                data = body.validated_data["csv"]
            try:
                rows = enrolment.read_csv(data)
            except DjangoValidationError as exc:
                raise DjangoValidationError({"file": exc.messages}) from None
        preview = enrolment.preview_import(program=program, rows=rows)
        result = {**preview.as_dict(), "imported": 0}
        dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "yes"}
        if not preview.ok:
            result["detail"] = (
                f"{preview.error_count} of {len(preview.rows)} rows have errors; "
                "nothing was imported."
            )
            return Response(result, status=status.HTTP_400_BAD_REQUEST)
        if dry_run:
            return Response(result)
        try:
            created = enrolment.import_rows(program=program, rows=rows, actor=request.user)
        except DjangoValidationError as exc:  # e.g. the program closed, or a race
            result.update(ok=False, detail=" ".join(exc.messages))
            return Response(result, status=status.HTTP_400_BAD_REQUEST)
        result["imported"] = len(created)
        return Response(result, status=status.HTTP_201_CREATED)
