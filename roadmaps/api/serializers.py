"""Serializers of the roadmaps API: what each reader sees (the pair everything, admins and HR
metadata only), and the inputs the services check."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ..constants import DESCRIPTION_MAX, GOAL_MAX, NOTE_MAX, REASON_MAX, TITLE_MAX, URL_MAX
from ..models import (
    AUTO_EVENT_CHOICES,
    Evidence,
    Goal,
    GoalRating,
    Milestone,
    OffsetUnit,
    Owner,
    Roadmap,
    TemplateMilestone,
)
from ..services.templates import APPLY_CHOICES, APPLY_NEW


class ResourceSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, allow_blank=True, required=False)
    url = serializers.URLField(max_length=URL_MAX)


class TemplateMilestoneSerializer(serializers.ModelSerializer):
    resources = ResourceSerializer(many=True, read_only=True)
    # Declared: the model field's choice limit would make DRF build a queryset (unscoped).
    output = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = TemplateMilestone
        fields = [
            "id",
            "position",
            "title",
            "description",
            "owner",
            "required",
            "offset",
            "offset_unit",
            "after",
            "resources",
            "output",
            "target",
            "auto_event",
        ]
        read_only_fields = fields


class TemplateMilestoneInputSerializer(serializers.Serializer):
    """A template milestone's fields (PATCH: only those given); ``apply_to`` says whether live
    pairs' not-started copies change too."""

    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True
    )
    owner = serializers.ChoiceField(choices=Owner.choices, required=False)
    required = serializers.BooleanField(required=False)
    offset = serializers.IntegerField(min_value=0, required=False)
    offset_unit = serializers.ChoiceField(choices=OffsetUnit.choices, required=False)
    after = serializers.IntegerField(required=False, allow_null=True)
    resources = ResourceSerializer(many=True, required=False)
    output = serializers.IntegerField(required=False, allow_null=True)
    target = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    auto_event = serializers.ChoiceField(
        choices=AUTO_EVENT_CHOICES, required=False, allow_blank=True
    )
    apply_to = serializers.ChoiceField(choices=APPLY_CHOICES, required=False, default=APPLY_NEW)


class ApplyToSerializer(serializers.Serializer):
    apply_to = serializers.ChoiceField(choices=APPLY_CHOICES, required=False, default=APPLY_NEW)


class OrderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.IntegerField(),
        allow_empty=False,
        max_length=500,
        help_text="Every milestone's id, in the new order.",
    )


class TemplateSerializer(serializers.Serializer):
    program = serializers.CharField(source="program.slug")
    updated_at = serializers.DateTimeField()
    milestones = TemplateMilestoneSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Milestones that count (skipped ones don't).")
    late = serializers.IntegerField()
    percent = serializers.IntegerField()
    next_due = serializers.DateField(allow_null=True)


class MilestoneMetaSerializer(serializers.ModelSerializer):
    """What admins and HR read of a milestone: never its evidence."""

    late = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "position",
            "title",
            "owner",
            "required",
            "status",
            "due_date",
            "late",
            "output",
            "target",
            "count",
            "auto_event",
            "completed_at",
            "confirmed_at",
        ]
        read_only_fields = fields

    def get_late(self, milestone) -> bool:
        return milestone.is_late(self.context["today"])


class RoadmapSerializer(serializers.ModelSerializer):
    program = serializers.CharField(source="match.program.slug", read_only=True)
    mentor = serializers.CharField(source="match.mentor.display_name", read_only=True)
    mentee = serializers.CharField(source="match.mentee.display_name", read_only=True)
    match_status = serializers.CharField(source="match.status", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "match",
            "program",
            "mentor",
            "mentee",
            "match_status",
            "paused_at",
            "created_at",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, roadmap):
        return ProgressSerializer(self.context["progress"][roadmap.match_id]).data


class RoadmapDetailSerializer(RoadmapSerializer):
    milestones = serializers.SerializerMethodField()

    class Meta(RoadmapSerializer.Meta):
        fields = [*RoadmapSerializer.Meta.fields, "milestones"]
        read_only_fields = fields

    @extend_schema_field(MilestoneMetaSerializer(many=True))
    def get_milestones(self, roadmap):
        return MilestoneMetaSerializer(
            self.context["milestones"], many=True, context=self.context
        ).data


class MilestoneSerializer(MilestoneMetaSerializer):
    """The pair's view of a milestone."""

    resources = ResourceSerializer(many=True, read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)

    class Meta(MilestoneMetaSerializer.Meta):
        fields = [
            *MilestoneMetaSerializer.Meta.fields,
            "description",
            "resources",
            "template_milestone",
            "started_at",
            "completed_by",
            "confirmed_by",
            "evidence_count",
        ]
        read_only_fields = fields


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX, required=False, allow_blank=True
    )
    owner = serializers.ChoiceField(choices=Owner.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)


class EvidenceInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=URL_MAX, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "milestone",
            "author",
            "note",
            "url",
            "file_name",
            "content_type",
            "size",
            "download_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse(
            "roadmaps:evidence-file",
            kwargs={
                "org_slug": self.context["request"].organization.slug,
                "pk": evidence.milestone.roadmap_id,
                "evidence_pk": evidence.pk,
            },
            request=self.context["request"],
        )


class GoalRatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalRating
        fields = ["progress", "author", "note", "created_at"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    history = GoalRatingSerializer(source="ratings", many=True, read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "text",
            "progress",
            "status",
            "position",
            "created_at",
            "retired_at",
            "retire_reason",
            "history",
        ]
        read_only_fields = fields


class GoalInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=GOAL_MAX)


class RateSerializer(serializers.Serializer):
    progress = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(max_length=GOAL_MAX, required=False, allow_blank=True, default="")


class RetireSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX, required=False, allow_blank=True, default=""
    )
