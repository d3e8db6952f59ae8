"""API of pairs' roadmaps: the list (a member's own; admins and HR every pair's, metadata), and
the pair's milestones, evidence and goals (the pair only: 404 for anyone else)."""

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from mentorship.api.base import OrgScopedMixin, service_errors
from mentorship.api.parsers import JSONParser

from .. import queries
from ..models import Evidence, Goal, Milestone, Roadmap
from ..services import evidence as evidence_services
from ..services import goals as goal_services
from ..services import milestones as services
from .serializers import (
    CountSerializer,
    EvidenceInputSerializer,
    EvidenceSerializer,
    GoalInputSerializer,
    GoalSerializer,
    MilestoneInputSerializer,
    MilestoneSerializer,
    OrderSerializer,
    RateSerializer,
    RetireSerializer,
    RoadmapDetailSerializer,
    RoadmapSerializer,
)


class RoadmapViewSet(
    OrgScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Roadmaps with their progress: a member reads their own; admins and HR every pair's
    (titles, statuses and dates; never evidence)."""

    serializer_class = RoadmapSerializer
    queryset = Roadmap.objects.none()

    def get_queryset(self):
        return queries.roadmaps_for_member(self.request)

    def get_object(self):
        return queries.get_roadmap_for_member(self.request, self.kwargs["pk"])

    def get_serializer_class(self):
        return RoadmapDetailSerializer if self.action == "retrieve" else RoadmapSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        progress = queries.progress_by_match([r.match_id for r in page])
        serializer = RoadmapSerializer(page, many=True, context={"progress": progress})
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        roadmap = self.get_object()
        today = queries.program_today(roadmap.match.program)
        context = {
            "today": today,
            "progress": queries.progress_by_match([roadmap.match_id], today=today),
            "milestones": list(queries.milestones_of(roadmap)),
        }
        return Response(RoadmapDetailSerializer(roadmap, context=context).data)


class PairMixin(OrgScopedMixin):
    """Views under roadmaps/<roadmap_pk>/: the pair only (404 for anyone else)."""

    def get_roadmap(self):
        if not hasattr(self, "_roadmap"):
            self._roadmap = queries.get_own_roadmap_for_member(
                self.request, self.kwargs["roadmap_pk"]
            )
        return self._roadmap

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "roadmap_pk" in self.kwargs:  # not when the schema is generated
            context["today"] = queries.program_today(self.get_roadmap().match.program)
        return context


class MilestoneViewSet(
    PairMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The pair's milestones: add, edit, reorder, start, skip, reopen, complete (with evidence:
    a note, a link or a file), confirm (the other party), count towards a target."""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()

    def get_queryset(self):
        return (
            queries.milestones_of(self.get_roadmap())
            .annotate(evidence_count=Count("evidence"))
            .order_by("position", "pk")
        )

    def get_object(self):
        roadmap = self.get_roadmap()
        milestone = queries.get_milestone_for_member(self.request, self.kwargs["pk"], roadmap)
        milestone.evidence_count = milestone.evidence.count()
        return milestone

    def _fresh(self, milestone, code=status.HTTP_200_OK):
        milestone = self.get_queryset().get(pk=milestone.pk)
        return Response(self.get_serializer(milestone).data, status=code)

    @extend_schema(request=MilestoneInputSerializer, responses={201: MilestoneSerializer})
    def create(self, request, *args, **kwargs):
        roadmap = self.get_roadmap()
        serializer = MilestoneInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            milestone = services.add_milestone(
                roadmap=roadmap, actor=request.user, **serializer.validated_data
            )
        return self._fresh(milestone, status.HTTP_201_CREATED)

    @extend_schema(request=MilestoneInputSerializer, responses=MilestoneSerializer)
    def partial_update(self, request, *args, **kwargs):
        milestone = self.get_object()
        serializer = MilestoneInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.edit_milestone(
                milestone=milestone, actor=request.user, **serializer.validated_data
            )
        return self._fresh(milestone)

    def _act(self, service, body=None):
        milestone = self.get_object()  # 404 before any 400
        data = {}
        if body is not None:
            serializer = body(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        with service_errors():
            service(milestone=milestone, actor=self.request.user, **data)
        return self._fresh(milestone)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, *args, **kwargs):
        return self._act(services.start_milestone)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def skip(self, request, *args, **kwargs):
        return self._act(services.skip_milestone)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        return self._act(services.reopen_milestone)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, *args, **kwargs):
        """The other party confirms a done milestone."""
        return self._act(services.confirm_milestone)

    @extend_schema(request=EvidenceInputSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser, FormParser])
    def complete(self, request, *args, **kwargs):
        """Done, with evidence: a note, a link or a file (multipart) — or evidence added
        before."""
        return self._act(services.complete_milestone, EvidenceInputSerializer)

    @extend_schema(request=CountSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def count(self, request, *args, **kwargs):
        """How many of the target the pair has done so far ("3 of 5")."""
        return self._act(services.set_count, CountSerializer)

    @extend_schema(request=OrderSerializer, responses=MilestoneSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reorder(self, request, *args, **kwargs):
        roadmap = self.get_roadmap()
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.reorder_milestones(
                roadmap=roadmap,
                order=serializer.validated_data["order"],
                actor=request.user,
            )
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


class EvidenceViewSet(
    PairMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A milestone's evidence (the pair only). POST a note, a link and/or a file (multipart;
    PDF, images, text, CSV or Office files up to 10 MB). Files download from ``download_url``."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_milestone(self):
        return queries.get_milestone_for_member(
            self.request, self.kwargs["milestone_pk"], self.get_roadmap()
        )

    def get_queryset(self):
        return (
            Evidence.objects.filter(milestone=self.get_milestone())
            .select_related("milestone")
            .order_by("created_at", "pk")
        )

    def get_object(self):
        evidence = queries.get_evidence_for_member(
            self.request, self.kwargs["pk"], self.get_roadmap()
        )
        if evidence.milestone_id != int(self.kwargs["milestone_pk"]):
            raise queries.Http404("No such evidence.")
        return evidence

    @extend_schema(request=EvidenceInputSerializer, responses={201: EvidenceSerializer})
    def create(self, request, *args, **kwargs):
        milestone = self.get_milestone()
        serializer = EvidenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            evidence = evidence_services.add_evidence(
                milestone=milestone, actor=request.user, **serializer.validated_data
            )
        return Response(self.get_serializer(evidence).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        with service_errors():
            evidence_services.delete_evidence(evidence=instance, actor=self.request.user)


class GoalViewSet(
    PairMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The pair's goals (1–5 active), each with its progress rating (1–5) and history."""

    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    def get_queryset(self):
        return queries.goals_with_history(self.get_roadmap().match).order_by("position", "pk")

    def get_object(self):
        roadmap = self.get_roadmap()
        goal = queries.get_goal_for_member(self.request, self.kwargs["pk"], roadmap.match)
        return goal

    def _fresh(self, goal, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=goal.pk)).data, status=code)

    @extend_schema(request=GoalInputSerializer, responses={201: GoalSerializer})
    def create(self, request, *args, **kwargs):
        roadmap = self.get_roadmap()
        serializer = GoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            goal = goal_services.add_goal(
                match=roadmap.match, actor=request.user, **serializer.validated_data
            )
        return self._fresh(goal, status.HTTP_201_CREATED)

    @extend_schema(request=GoalInputSerializer, responses=GoalSerializer)
    def partial_update(self, request, *args, **kwargs):
        goal = self.get_object()
        serializer = GoalInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            goal_services.edit_goal(goal=goal, actor=request.user, **serializer.validated_data)
        return self._fresh(goal)

    @extend_schema(request=RateSerializer, responses=GoalSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, *args, **kwargs):
        """A new progress rating (1–5); the previous ones stay in ``history``."""
        goal = self.get_object()
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            goal_services.rate_goal(goal=goal, actor=request.user, **serializer.validated_data)
        return self._fresh(goal)

    @extend_schema(request=RetireSerializer, responses=GoalSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request, *args, **kwargs):
        """Retire a goal (a pair keeps at least one)."""
        goal = self.get_object()
        serializer = RetireSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            goal_services.retire_goal(goal=goal, actor=request.user, **serializer.validated_data)
        return self._fresh(goal)
