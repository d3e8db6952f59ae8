"""Logic-model API: items (with their links), indicators, JSON export and import, under
/api/v1/orgs/<org_slug>/programs/<program_slug>/. Thin: ``programs.logic_model`` writes."""

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Value
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.api.base import service_errors

from .. import logic_model as lm
from .. import queries
from ..models import Indicator, LogicModelItem
from .programs import ProgramPartMixin

Kind = LogicModelItem.Kind


class LogicItemFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = LogicModelItem
        fields = ["kind"]


class IndicatorFilter(filters.FilterSet):
    outcome = filters.NumberFilter(field_name="outcome_id", help_text="An outcome's id.")
    measure = filters.ChoiceFilter(choices=Indicator.Measure.choices)

    class Meta:
        model = Indicator
        fields = ["outcome", "measure"]


class LogicItemSerializer(serializers.ModelSerializer):
    links = serializers.ListField(
        child=serializers.IntegerField(),
        source="link_ids",
        required=False,
        help_text="Ids of the items this one links to: an output → the outcomes it serves, an "
        "activity → the outputs it produces, an input → the activities it resources. Outcomes "
        "link to nothing. Replaces the item's links when given.",
    )

    class Meta:
        model = LogicModelItem
        fields = ["id", "kind", "title", "description", "position", "links"]
        read_only_fields = ["id", "position"]
        extra_kwargs = {"description": {"required": False}}


class IndicatorSerializer(serializers.ModelSerializer):
    outcome = serializers.IntegerField(
        source="outcome_id",
        allow_null=True,
        required=False,
        help_text="Id of the outcome (an item of kind “outcome” of this program) it proves.",
    )
    is_complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "title",
            "description",
            "outcome",
            "measure",
            "survey_question",
            "target",
            "direction",
            "position",
            "is_complete",
        ]
        read_only_fields = ["id", "position", "is_complete"]
        extra_kwargs = {
            "description": {"required": False},
            "survey_question": {"required": False},
            "target": {"required": False},
            "direction": {"required": False},
        }


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"], required=False)
    position = serializers.IntegerField(min_value=0, required=False)

    def validate(self, attrs):
        if ("direction" in attrs) == ("position" in attrs):
            raise serializers.ValidationError("Give either “direction” or “position”.")
        return attrs


class LogicModelImportResultSerializer(serializers.Serializer):
    items = serializers.IntegerField()
    links = serializers.IntegerField()
    indicators = serializers.IntegerField()


_ITEM_EXAMPLE = OpenApiExample(
    "An output serving two outcomes",
    request_only=True,
    value={
        "kind": "output",
        "title": "Each mentee has a written development plan",
        "description": "Agreed with the mentor by the first review.",
        "links": [12, 13],
    },
)
_DOCUMENT_EXAMPLE = {
    "format": lm.EXPORT_FORMAT,
    "version": lm.EXPORT_VERSION,
    "program": "Career transition 2027",
    "items": [
        {
            "id": "outcome-1",
            "kind": "outcome",
            "title": "Mentees feel confident making the move",
            "description": "",
        },
        {"id": "output-1", "kind": "output", "title": "Practised interviews", "description": ""},
        {"id": "activity-1", "kind": "activity", "title": "Mock interviews", "description": ""},
        {
            "id": "input-1",
            "kind": "input",
            "title": "Mentors who made a similar move",
            "description": "",
        },
    ],
    "links": [
        {"source": "output-1", "target": "outcome-1"},
        {"source": "activity-1", "target": "output-1"},
        {"source": "input-1", "target": "activity-1"},
    ],
    "indicators": [
        {
            "title": "Confidence to make the move",
            "description": "",
            "measure": "confidence_change",
            "survey_question": "",
            "target": "1.50",
            "direction": "at_least",
            "outcome": "outcome-1",
        },
    ],
}


class _Part(ProgramPartMixin):
    def _item_in_program(self, pk, kind=None):
        items = LogicModelItem.objects.filter(program=self.get_program())
        if kind:
            items = items.filter(kind=kind)
        return items.filter(pk=pk).first() if isinstance(pk, int) else None


@extend_schema_view(create=extend_schema(examples=[_ITEM_EXAMPLE]))
class LogicItemViewSet(_Part, viewsets.ModelViewSet):
    """The program's logic-model items: outcomes, outputs, activities and inputs, with links."""

    serializer_class = LogicItemSerializer
    queryset = LogicModelItem.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = LogicItemFilter
    ordering = ["kind", "position", "id"]
    ordering_fields = ["kind", "position", "id"]

    def get_queryset(self):
        return LogicModelItem.objects.filter(program=self.get_program()).annotate(
            link_ids=ArrayAgg(
                "out_links__target",
                filter=Q(out_links__isnull=False),
                order_by="out_links__target",
                default=Value([]),
            )
        )

    def get_object(self):
        item = self.object_for_member(queries.get_logic_item_for_member, self.kwargs["pk"])
        return self._with_links(item)

    def _with_links(self, item):
        item.link_ids = sorted(item.out_links.values_list("target", flat=True))
        return item

    def perform_create(self, serializer):
        data = serializer.validated_data
        with service_errors(), transaction.atomic():
            item = lm.add_item(
                program=self.get_program(),
                kind=data["kind"],
                title=data["title"],
                description=data.get("description", ""),
                actor=self.request.user,
            )
            if data.get("link_ids"):
                lm.set_links(item=item, target_ids=data["link_ids"], actor=self.request.user)
        serializer.instance = self._with_links(item)

    def perform_update(self, serializer):
        item, data = serializer.instance, serializer.validated_data
        with service_errors(), transaction.atomic():
            if "kind" in data and data["kind"] != item.kind:
                raise ValidationError({"kind": "An item's kind can't change; add a new item."})
            lm.update_item(
                item=item,
                title=data.get("title", item.title),
                description=data.get("description", item.description),
                actor=self.request.user,
            )
            if "link_ids" in data:
                lm.set_links(item=item, target_ids=data["link_ids"], actor=self.request.user)
        self._with_links(item)

    def perform_destroy(self, instance):
        with service_errors():
            lm.delete_item(item=instance, actor=self.request.user)

    @extend_schema(request=MoveSerializer, responses=LogicItemSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        """Move the item up or down within its column, or to a position (0 is the top)."""
        item = self.get_object()
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        with service_errors():
            lm.move_item(item=item, actor=request.user, **move.validated_data)
        return Response(LogicItemSerializer(self._with_links(item)).data)


class IndicatorViewSet(_Part, viewsets.ModelViewSet):
    """Indicators: what proves each outcome, with a measure from the catalog, a target and a
    direction. One without a target (or without its survey question) is incomplete."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = IndicatorFilter
    ordering = ["position", "id"]
    ordering_fields = ["position", "id"]

    def get_queryset(self):
        return Indicator.objects.filter(program=self.get_program())

    def get_object(self):
        return self.object_for_member(queries.get_indicator_for_member, self.kwargs["pk"])

    def _fields(self, data, instance=None):
        def pick(name, default=""):
            if name in data:
                return data[name]
            return getattr(instance, name) if instance is not None else default

        outcome = instance.outcome if instance is not None else None
        if "outcome_id" in data:
            outcome = None
            if data["outcome_id"] is not None:
                outcome = self._item_in_program(data["outcome_id"], Kind.OUTCOME)
                if outcome is None:
                    raise ValidationError({"outcome": "Choose an outcome of this program."})
        return {
            "title": pick("title"),
            "description": pick("description"),
            "measure": pick("measure"),
            "target": pick("target", None),
            "direction": pick("direction", Indicator.Direction.AT_LEAST),
            "survey_question": pick("survey_question"),
            "outcome": outcome,
        }

    @extend_schema(
        examples=[
            OpenApiExample(
                "A satisfaction indicator",
                request_only=True,
                value={
                    "title": "Mentee satisfaction",
                    "outcome": 12,
                    "measure": "satisfaction",
                    "target": "4.20",
                    "direction": "at_least",
                },
            )
        ]
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = lm.add_indicator(
                program=self.get_program(),
                actor=self.request.user,
                **self._fields(serializer.validated_data),
            )

    def perform_update(self, serializer):
        indicator = serializer.instance
        with service_errors():
            lm.update_indicator(
                indicator=indicator,
                actor=self.request.user,
                **self._fields(serializer.validated_data, indicator),
            )

    def perform_destroy(self, instance):
        with service_errors():
            lm.delete_indicator(indicator=instance, actor=self.request.user)

    @extend_schema(request=MoveSerializer, responses=IndicatorSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        """Move the indicator up or down, or to a position (0 is the top)."""
        indicator = self.get_object()
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        with service_errors():
            lm.move_indicator(indicator=indicator, actor=request.user, **move.validated_data)
        return Response(IndicatorSerializer(indicator).data)


class LogicModelExportView(_Part, APIView):
    """The whole logic model as a versioned JSON document, ready to import elsewhere."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("A small model", value=_DOCUMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return Response(lm.export_logic_model(self.get_program()))


class LogicModelImportView(_Part, APIView):
    """Replace the program's logic model with an exported document. The whole document is
    validated first: on any problem the answer is 400, listing them, and nothing changes."""

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: LogicModelImportResultSerializer},
        examples=[OpenApiExample("An exported model", value=_DOCUMENT_EXAMPLE, request_only=True)],
    )
    def post(self, request, *args, **kwargs):
        with service_errors():
            counts = lm.import_logic_model(
                program=self.get_program(), data=request.data, actor=request.user
            )
        return Response(LogicModelImportResultSerializer(counts).data)
