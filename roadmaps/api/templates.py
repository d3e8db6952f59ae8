"""API of a program's roadmap template, under programs/<program_slug>/roadmap-template/:
admins edit its milestones, HR reads them."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.api.base import OrgScopedMixin, service_errors

from .. import queries
from ..models import TemplateMilestone
from ..services import templates as services
from .serializers import (
    ApplyToSerializer,
    OrderSerializer,
    TemplateMilestoneInputSerializer,
    TemplateMilestoneSerializer,
    TemplateSerializer,
)


class TemplateMixin(OrgScopedMixin):
    required_permissions = {"read": "view_programs", "write": "manage_programs"}

    def get_program(self):
        return queries.get_template_program_for_member(self.request, self.kwargs["program_slug"])

    def get_template(self, *, create=False):
        template = queries.get_template_for_member(self.request, self.kwargs["program_slug"])
        if template is None and create:
            with service_errors():
                template = services.ensure_template(self.get_program())
        if template is None:
            raise Http404("This program has no roadmap yet.")
        return template


class RoadmapTemplateView(TemplateMixin, APIView):
    @extend_schema(responses=TemplateSerializer, summary="The program's roadmap template")
    def get(self, request, *args, **kwargs):
        """The milestones each new pair's roadmap starts from, in order."""
        template = self.get_template()
        template.milestones_list = list(queries.template_steps(template))
        data = TemplateSerializer(
            {
                "program": template.program,
                "updated_at": template.updated_at,
                "milestones": template.milestones_list,
            }
        ).data
        return Response(data)


class TemplateMilestoneViewSet(
    TemplateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The template's milestones. Changing a running program's template takes ``apply_to``:
    ``new`` (only pairs who start from now on) or ``live`` (also live pairs' not-started
    copies)."""

    serializer_class = TemplateMilestoneSerializer
    queryset = TemplateMilestone.objects.none()

    def get_queryset(self):
        template = queries.get_template_for_member(self.request, self.kwargs["program_slug"])
        if template is None:
            return TemplateMilestone.objects.filter(pk__in=[])
        return queries.template_steps(template)

    def get_object(self):
        return queries.get_template_milestone_for_member(
            self.request, self.kwargs["program_slug"], self.kwargs["pk"]
        )

    @extend_schema(
        request=TemplateMilestoneInputSerializer, responses={201: TemplateMilestoneSerializer}
    )
    def create(self, request, *args, **kwargs):
        """Add a milestone at the end."""
        self.get_program()  # 404 before any 400
        serializer = TemplateMilestoneInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        apply_to = data.pop("apply_to")
        template = self.get_template(create=True)
        with service_errors():
            step = services.add_milestone(
                template=template, actor=request.user, apply_to=apply_to, **data
            )
        return Response(TemplateMilestoneSerializer(step).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TemplateMilestoneInputSerializer, responses=TemplateMilestoneSerializer)
    def partial_update(self, request, *args, **kwargs):
        step = self.get_object()
        serializer = TemplateMilestoneInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        apply_to = data.pop("apply_to", services.APPLY_NEW)
        with service_errors():
            services.update_milestone(milestone=step, actor=request.user, apply_to=apply_to, **data)
        return Response(TemplateMilestoneSerializer(step).data)

    @extend_schema(request=ApplyToSerializer, responses={204: None})
    def destroy(self, request, *args, **kwargs):
        step = self.get_object()
        serializer = ApplyToSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.delete_milestone(
                milestone=step, actor=request.user, **serializer.validated_data
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=OrderSerializer, responses=TemplateMilestoneSerializer(many=True))
    @action(detail=False, methods=["post"])
    def reorder(self, request, *args, **kwargs):
        """Put the milestones in a new order (every id, once)."""
        template = self.get_template()
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.reorder_milestones(
                template=template, actor=request.user, order=serializer.validated_data["order"]
            )
        steps = queries.template_steps(template)
        return Response(TemplateMilestoneSerializer(steps, many=True).data)
