"""Program API: programs and their lifecycle, foundation, agreement versions, cohorts."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import catalog, queries, services
from ..agreements import program_context, render_agreement
from ..filters import ProgramFilter
from ..models import AgreementTemplate, Cohort, Foundation, Program


class ProgramSerializer(serializers.ModelSerializer):
    template = serializers.ChoiceField(
        choices=[("", "none"), *[(k, t["name"]) for k, t in catalog.TEMPLATES.items()]],
        write_only=True,
        required=False,
        default="",
        help_text="Create from a ready-made template (only when creating).",
    )

    class Meta:
        model = Program
        fields = [
            "slug",
            "name",
            "description",
            "format",
            "status",
            "start_date",
            "end_date",
            "time_zone",
            "checkin_every_weeks",
            "review_every_weeks",
            "meeting_minutes",
            "matching_mode",
            "default_mentor_capacity",
            "join_link_enabled",
            "template",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "status", "created_at", "updated_at"]


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Program.Status.choices)


class FoundationSerializer(serializers.ModelSerializer):
    """A PUT replaces the whole foundation: every part is required (blank is fine)."""

    rules_of_engagement = serializers.ListField(
        child=serializers.CharField(max_length=500), allow_empty=True
    )

    class Meta:
        model = Foundation
        fields = ["values", "goals", "rules_of_engagement", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "values": {"required": True, "allow_blank": True},
            "goals": {"required": True, "allow_blank": True},
        }


class AgreementTemplateSerializer(serializers.ModelSerializer):
    created_by = serializers.EmailField(
        source="created_by.email", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AgreementTemplate
        fields = ["version", "body", "created_by", "created_at"]
        read_only_fields = ["version", "created_by", "created_at"]


class AgreementPreviewSerializer(serializers.Serializer):
    html = serializers.CharField(read_only=True)


class ReadinessSerializer(serializers.Serializer):
    ready = serializers.BooleanField(help_text="True when nothing is missing.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="What to do first, in words."
    )


class CohortSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cohort
        fields = ["id", "name", "start_date"]


PROGRAM_EXAMPLE = OpenApiExample(
    "From a template",
    value={
        "name": "Career moves 2027",
        "template": "career-transition",
        "start_date": "2027-01-04",
    },
    request_only=True,
)


@extend_schema_view(create=extend_schema(examples=[PROGRAM_EXAMPLE]))
class ProgramViewSet(OrgScopedMixin, viewsets.ModelViewSet):
    """Programs. Admins design and run them, HR reads them; members see those they are in."""

    serializer_class = ProgramSerializer
    queryset = Program.objects.none()
    lookup_field = "slug"
    lookup_url_kwarg = "program_slug"
    required_permissions = {"read": "view_organization", "write": "manage_programs"}
    filterset_class = ProgramFilter
    search_fields = ["name", "description"]
    ordering = ["name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return queries.programs_for(self.request.membership)

    def get_object(self):
        program = queries.get_program_for_member(self.request, self.kwargs["program_slug"])
        self.check_object_permissions(self.request, program)
        return program

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        template = data.pop("template", "")
        with service_errors():
            serializer.instance = services.create_program(
                organization=self.organization,
                actor=self.request.user,
                template_key=template,
                **data,
            )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("template", None)
        with service_errors():
            serializer.instance = services.update_program(
                program=Program.objects.get(pk=serializer.instance.pk),
                actor=self.request.user,
                **data,
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.delete_program(program=instance, actor=self.request.user)

    @extend_schema(request=StatusSerializer, responses=ProgramSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, *args, **kwargs):
        """Move the program along draft → pilot → active → closed."""
        program = self.get_object()
        serializer = StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            program = services.change_status(
                program=program, status=serializer.validated_data["status"], actor=request.user
            )
        return Response(ProgramSerializer(program).data)

    @extend_schema(responses={200: ReadinessSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def readiness(self, request, *args, **kwargs):
        """Whether the program can go active, and what is missing before it can."""
        missing = services.readiness(self.get_object())
        return Response({"ready": not missing, "missing": missing})


class ProgramMixin(OrgScopedMixin):
    """Views under ``programs/<program_slug>/``: the program (read once per request), and the
    one object a URL names, read by the same ``queries.get_<thing>_for_member`` as the pages."""

    def get_program(self):
        return queries.get_program_for_member(self.request, self.kwargs["program_slug"])

    def object_for_member(self, get_for_member, *lookup, **options):
        obj = get_for_member(self.request, self.kwargs["program_slug"], *lookup, **options)
        self.check_object_permissions(self.request, obj)
        return obj


class ProgramPartMixin(ProgramMixin):
    """Views of one program's parts: admins write, HR reads."""

    required_permissions = {"read": "view_programs", "write": "manage_programs"}


class FoundationViewSet(ProgramPartMixin, viewsets.GenericViewSet):
    """The program's values, goals and rules of engagement."""

    serializer_class = FoundationSerializer
    queryset = Foundation.objects.none()

    def retrieve(self, request, *args, **kwargs):
        return Response(FoundationSerializer(self.get_program().foundation).data)

    def update(self, request, *args, **kwargs):
        program = self.get_program()
        serializer = FoundationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            foundation = services.save_foundation(
                program=program, actor=request.user, **serializer.validated_data
            )
        return Response(FoundationSerializer(foundation).data)


@extend_schema_view(
    create=extend_schema(
        examples=[
            OpenApiExample(
                "New version",
                value={
                    "body": "**{{ mentor_name }}** and **{{ mentee_name }}** agree to meet "
                    "{{ checkin_cadence }}."
                },
                request_only=True,
            )
        ]
    )
)
class AgreementTemplateViewSet(
    ProgramPartMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Agreement template versions, newest first. Creating one adds a version (when changed)."""

    serializer_class = AgreementTemplateSerializer
    queryset = AgreementTemplate.objects.none()
    pagination_class = None

    def get_queryset(self):
        return AgreementTemplate.objects.filter(program=self.get_program()).select_related(
            "created_by"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            template = services.save_agreement_template(
                program=self.get_program(),
                body=serializer.validated_data["body"],
                actor=request.user,
            )
        return Response(AgreementTemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=AgreementPreviewSerializer)
    @action(detail=False, methods=["get"])
    def current(self, request, *args, **kwargs):
        """The current version rendered as a pair will see it (placeholders as labels)."""
        program = self.get_program()
        template = services.current_agreement_template(program)
        if template is None:
            raise NotFound("This program has no agreement yet.")
        return Response({"html": render_agreement(template.body, program_context(program))})


class CohortViewSet(ProgramPartMixin, viewsets.ModelViewSet):
    """Cohorts: named intakes with a start date."""

    serializer_class = CohortSerializer
    queryset = Cohort.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ["start_date", "name"]

    def get_queryset(self):
        return Cohort.objects.filter(program=self.get_program())

    def get_object(self):
        return self.object_for_member(queries.get_cohort_for_member, self.kwargs["pk"])

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = services.create_cohort(
                program=self.get_program(), actor=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        cohort = serializer.instance
        data = serializer.validated_data
        with service_errors():
            services.update_cohort(
                cohort=cohort,
                actor=self.request.user,
                name=data.get("name", cohort.name),
                start_date=data.get("start_date", cohort.start_date),
            )

    def perform_destroy(self, instance):
        with service_errors():
            services.delete_cohort(cohort=instance, actor=self.request.user)
