"""API of published matches: pause, resume, end, dissolve, rematch; and a participant's own
match. Extends the read-only ``api.runs.MatchViewSet``."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from mentorship.api.base import service_errors
from mentorship.people import attach_cards
from programs.api.programs import ProgramMixin
from programs.models import Enrollment

from .. import queries
from ..models import Match
from ..services import matches as match_services
from ..services import runs
from .runs import (
    ExplanationSerializer,
    MatchRunSerializer,
    MatchSerializer,
    PersonSerializer,
)
from .runs import MatchViewSet as ReadOnlyMatchViewSet


class AdminMatchSerializer(MatchSerializer):
    class Meta(MatchSerializer.Meta):
        fields = [*MatchSerializer.Meta.fields, "ended_at", "end_reason"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=match_services.REASON_MAX,
        allow_blank=False,
        trim_whitespace=True,
        help_text="Why (kept with the match; the two people are not shown it).",
    )


class OptionalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=match_services.REASON_MAX, required=False, allow_blank=True, default=""
    )


class MatchViewSet(ReadOnlyMatchViewSet):
    """The program's matches (``?status=`` filters). Admins pause, resume, end or dissolve a
    match; ending or dissolving puts the mentee back into the pool, and ``rematch`` starts a
    run that never proposes the previous mentor to them."""

    serializer_class = AdminMatchSerializer

    def get_queryset(self):
        queryset = super().get_queryset().order_by("-created_at", "-pk")
        wanted = self.request.query_params.get("status")
        if wanted in Match.Status.values:
            queryset = queryset.filter(status=wanted)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                required=False,
                description="Only matches with this status: "
                + ", ".join(Match.Status.values)
                + ".",
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _change(self, request, name, body=None):
        match = self.get_object()
        data = {}
        if body is not None:
            serializer = body(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        with service_errors():
            match_services.change_status(match=match, actor=request.user, action=name, **data)
        return Response(AdminMatchSerializer(self.get_object()).data)

    @extend_schema(request=OptionalReasonSerializer, responses=AdminMatchSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, *args, **kwargs):
        """Put an active match on hold; both people are told by email."""
        return self._change(request, "pause", OptionalReasonSerializer)

    @extend_schema(request=None, responses=AdminMatchSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, *args, **kwargs):
        """Make a paused match active again."""
        return self._change(request, "resume")

    @extend_schema(request=ReasonSerializer, responses=AdminMatchSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, *args, **kwargs):
        """The mentorship completed: the mentee goes back into the pool, the seat is free."""
        return self._change(request, "end", ReasonSerializer)

    @extend_schema(request=ReasonSerializer, responses=AdminMatchSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, *args, **kwargs):
        """It didn't work out: the mentee goes back into the pool; never re-paired."""
        return self._change(request, "dissolve", ReasonSerializer)

    @extend_schema(request=None, responses={201: MatchRunSerializer})
    @action(detail=True, methods=["post"])
    def rematch(self, request, *args, **kwargs):
        """Start a match run for an ended or dissolved match's mentee (with the rest of the
        pool); it never proposes the previous mentor. Review and publish it as usual."""
        match = self.get_object()
        with service_errors():
            run = match_services.rematch(match=match, actor=request.user)
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)


class MyMatchSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="Your side of the match.")
    partner = serializers.SerializerMethodField()
    breakdown = serializers.DictField(
        child=serializers.FloatField(),
        help_text="Criterion → its share of the score; the shares add up to the score.",
    )

    explanations = serializers.SerializerMethodField(help_text="Why this match, said to you.")

    class Meta:
        model = Match
        fields = [
            "id",
            "role",
            "status",
            "partner",
            "score",
            "breakdown",
            "explanations",
            "created_at",
        ]
        read_only_fields = fields

    def _is_mentee(self):
        return self.context["enrollment"].role == Enrollment.Role.MENTEE

    @extend_schema_field(ExplanationSerializer(many=True))
    def get_explanations(self, match):
        # Said to the reader; criteria that add nothing to the match are left out.
        items = runs.worded(
            runs.contributing(match.explanations),
            mentee=match.mentee.display_name,
            mentor=match.mentor.display_name,
            reader="mentee" if self._is_mentee() else "mentor",
        )
        return ExplanationSerializer(items, many=True).data

    def get_role(self, match) -> str:
        return self.context["enrollment"].role

    @extend_schema_field(PersonSerializer)
    def get_partner(self, match):
        partner = match.mentor if self._is_mentee() else match.mentee
        return PersonSerializer(partner, context=self.context).data


class MyMatchView(ProgramMixin, generics.GenericAPIView):
    """The signed-in participant's open matches in this program: a mentee's mentor (one at
    most), a mentor's mentees. Never anyone else's."""

    queryset = Match.objects.none()
    serializer_class = MyMatchSerializer
    pagination_class = None
    required_permissions = {"read": "view_organization", "write": "view_organization"}

    @extend_schema(responses=MyMatchSerializer(many=True))
    def get(self, request, *args, **kwargs):
        enrollment = queries.own_enrollment(request, self.get_program())
        matches = list(queries.my_matches(enrollment))
        is_mentee = enrollment.role == Enrollment.Role.MENTEE
        attach_cards([m.mentor if is_mentee else m.mentee for m in matches], self.organization)
        context = {"enrollment": enrollment, "request": request}
        return Response(MyMatchSerializer(matches, many=True, context=context).data)
