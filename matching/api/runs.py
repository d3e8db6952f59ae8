"""API of match runs: start, follow, review, publish; and the program's matches."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import service_errors
from mentorship.api.serializers import MemberCardSerializer
from mentorship.people import attach_cards
from programs.api.programs import ProgramPartMixin
from programs.models import Enrollment

from .. import queries
from ..models import Match, MatchRun, Suggestion
from ..services import runs
from ..services.swap import swap_mentors


class CertificateSerializer(serializers.Serializer):
    certified = serializers.BooleanField(
        help_text="The pairs are proven optimal over every allowed pair (LP duality)."
    )
    gap = serializers.FloatField(
        help_text="How far below the best possible the pairs may be, as a fraction (0 when "
        "certified)."
    )
    pricing_rounds = serializers.IntegerField(help_text="Scans of every allowed pair.")
    arcs_added = serializers.IntegerField(help_text="Pairs those scans added to the solve.")
    changed_by_hand = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Pairs were swapped after the run; the proof covered them as proposed.",
    )


class MatchRunSerializer(serializers.ModelSerializer):
    certificate = CertificateSerializer(
        source="stats.certificate",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="What is proven about the run's pairs; null for runs not finished (or made "
        "before runs were proven).",
    )
    created_by = serializers.EmailField(
        source="created_by.email", read_only=True, default=None, allow_null=True
    )
    based_on = serializers.IntegerField(
        source="based_on.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = MatchRun
        fields = [
            "number",
            "status",
            "progress",
            "stage",
            "settings",
            "based_on",
            "stats",
            "certificate",
            "unmatched",
            "error",
            "created_by",
            "created_at",
            "finished_at",
            "published_at",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(source="pk")
    email = serializers.EmailField()
    name = serializers.CharField(source="display_name")
    card = serializers.SerializerMethodField(
        help_text=(
            "How the organization's people see this person (job title, department, bio, "
            "photo); null for someone without an account in the organization yet."
        )
    )

    @extend_schema_field(MemberCardSerializer(allow_null=True))
    def get_card(self, enrollment):
        if not hasattr(enrollment, "card"):
            self._load_cards(enrollment)
        if enrollment.card is None:
            return None
        return MemberCardSerializer(enrollment.card, context=self.context).data

    def _load_cards(self, enrollment):
        """The cards of every person in the response at once (one query), not one each: the
        mentees and mentors of the objects the outermost serializer is answering."""
        people = [enrollment]
        root = self.root
        if root is not self and root.instance is not None:
            items = root.instance
            items = items if isinstance(items, list | tuple | QuerySet) else [items]
            for item in items:
                for side in ("mentee", "mentor"):
                    person = getattr(item, side, None)
                    if isinstance(person, Enrollment) and not hasattr(person, "card"):
                        people.append(person)
        request = self.context.get("request")
        organization = getattr(request, "organization", None) or enrollment.organization
        attach_cards(people, organization)


class ExplanationSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The criterion.")
    label = serializers.CharField()
    contribution = serializers.FloatField(help_text="This criterion's share of the score.")
    text = serializers.CharField(help_text="In plain words.")


class SuggestionSerializer(serializers.ModelSerializer):
    mentee = PersonSerializer(read_only=True)
    mentor = PersonSerializer(read_only=True)
    breakdown = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Criterion → its share of the score; the shares add up to the score.",
    )
    explanations = ExplanationSerializer(many=True, read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "mentee",
            "mentor",
            "score",
            "breakdown",
            "explanations",
            "assigned",
            "locked",
            "rejected",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    locked = serializers.BooleanField(required=False, allow_null=True, default=None)
    rejected = serializers.BooleanField(required=False, allow_null=True, default=None)


class SwapSerializer(serializers.Serializer):
    first = serializers.IntegerField(help_text="Id of an assigned, unlocked suggestion of the run.")
    second = serializers.IntegerField(help_text="Id of another one, with a different mentor.")


class MatchSerializer(serializers.ModelSerializer):
    mentee = PersonSerializer(read_only=True)
    mentor = PersonSerializer(read_only=True)
    run = serializers.IntegerField(
        source="run.number", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Match
        fields = ["id", "mentee", "mentor", "status", "score", "breakdown", "run", "created_at"]
        read_only_fields = fields


class MatchRunViewSet(
    ProgramPartMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Match runs of a program. Creating one queues it; follow ``progress`` until ``status`` is
    ``done``, review its suggestions, then publish."""

    serializer_class = MatchRunSerializer
    queryset = MatchRun.objects.none()
    lookup_field = "number"
    lookup_value_converter = "int"

    def get_queryset(self):
        return MatchRun.objects.filter(program=self.get_program()).select_related(
            "created_by", "based_on"
        )

    def get_object(self):
        return self.object_for_member(queries.get_run_for_member, self.kwargs["number"])

    @extend_schema(request=None, responses={201: MatchRunSerializer})
    def create(self, request, *args, **kwargs):
        with service_errors():
            run = runs.start_run(program=self.get_program(), actor=request.user)
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: MatchRunSerializer})
    @action(detail=True, methods=["post"])
    def rerun(self, request, *args, **kwargs):
        """A new run that keeps this run's locked pairs and never proposes its rejected ones."""
        with service_errors():
            run = runs.start_run(
                program=self.get_program(), actor=request.user, based_on=self.get_object()
            )
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SwapSerializer, responses={200: SuggestionSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def swap(self, request, *args, **kwargs):
        """Give the mentees of two proposed pairs each other's mentor. The new pairs must pass
        the run's hard rules; they are scored with its settings and come back locked."""
        serializer = SwapSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            made = swap_mentors(
                run=self.get_object(), actor=request.user, **serializer.validated_data
            )
        return Response(SuggestionSerializer(made, many=True).data)

    @extend_schema(request=None, responses={200: MatchSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """Create the matches (refused when enrolments or profiles changed since the run)."""
        with service_errors():
            matches = runs.publish_run(run=self.get_object(), actor=request.user)
        ids = [m.pk for m in matches]
        created = Match.objects.filter(pk__in=ids).select_related(
            "mentee__user", "mentor__user", "run"
        )
        return Response(MatchSerializer(created, many=True).data)


class SuggestionViewSet(
    ProgramPartMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A run's scored pairs: the proposed assignment (``assigned``) and each mentee's best
    alternatives. Admins lock or reject pairs before a re-run."""

    serializer_class = SuggestionSerializer
    queryset = Suggestion.objects.none()
    ordering = ["mentee", "-score"]

    def get_run(self):
        return queries.get_run_for_member(
            self.request, self.kwargs["program_slug"], self.kwargs["run_number"]
        )

    def get_queryset(self):
        queryset = Suggestion.objects.filter(run=self.get_run()).select_related(
            "mentee__user", "mentor__user"
        )
        if self.request.query_params.get("assigned") in ("true", "1"):
            queryset = queryset.filter(assigned=True)
        return queryset

    def get_object(self):
        return self.object_for_member(
            queries.get_suggestion_for_member, self.kwargs["run_number"], self.kwargs["pk"]
        )

    @extend_schema(request=ReviewSerializer, responses=SuggestionSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, *args, **kwargs):
        suggestion = self.get_object()
        serializer = ReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            runs.set_review(suggestion=suggestion, actor=request.user, **serializer.validated_data)
        return Response(SuggestionSerializer(suggestion).data)


class MatchViewSet(
    ProgramPartMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The program's matches."""

    serializer_class = MatchSerializer
    queryset = Match.objects.none()

    def get_queryset(self):
        return Match.objects.filter(program=self.get_program()).select_related(
            "mentee__user", "mentor__user", "run"
        )

    def get_object(self):
        return self.object_for_member(queries.get_match_for_member, self.kwargs["pk"])
