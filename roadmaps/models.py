"""Roadmaps: a program's template (a curated learning path) and each pair's copy of it.

A program has one `RoadmapTemplate` of ordered `TemplateMilestone` rows. When a match starts,
its `Roadmap` gets a `Milestone` per template milestone (due dates counted from the match's
start) and its `Goal` rows are seeded from the mentee's profile. The pair then owns their copy:
they add, edit, reorder and skip milestones, complete them with `Evidence`, and the other party
confirms. Evidence is the pair's alone: admins and HR read statuses and dates, never evidence.
Every row carries its organization, so a lookup by id is always also a lookup by tenant.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from matching.models import Match
from mentorship.models import Organization
from mentorship.scoping import TenantManager
from programs.models import LogicModelItem, Program

from .constants import AUTO_EVENTS, DESCRIPTION_MAX, GOAL_MAX, NOTE_MAX, TITLE_MAX, URL_MAX


class Owner(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    BOTH = "both", "Both"


class OffsetUnit(models.TextChoices):
    DAYS = "days", "days"
    WEEKS = "weeks", "weeks"


AUTO_EVENT_CHOICES = [("", "None"), *AUTO_EVENTS.items()]


class RoadmapTemplate(models.Model):
    """A program's roadmap template: what each new pair's roadmap starts from."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="roadmap_template"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    def __str__(self):
        return f"Roadmap template of {self.program}"


class TemplateMilestone(models.Model):
    """One step of a program's roadmap template."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        RoadmapTemplate, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    owner = models.CharField(max_length=6, choices=Owner.choices, default=Owner.BOTH)
    required = models.BooleanField(default=True)
    # Due this long after the match starts, or after the milestone ``after`` is due.
    offset = models.PositiveIntegerField(default=0)
    offset_unit = models.CharField(
        max_length=5, choices=OffsetUnit.choices, default=OffsetUnit.WEEKS
    )
    after = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="followers"
    )
    # [{"title": …, "url": …}, …]
    resources = models.JSONField(default=list, blank=True)
    output = models.ForeignKey(
        LogicModelItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": LogicModelItem.Kind.OUTPUT},
    )
    target = models.PositiveIntegerField(null=True, blank=True)
    auto_event = models.CharField(max_length=30, choices=AUTO_EVENT_CHOICES, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["template", "position", "pk"]
        indexes = [models.Index(fields=["organization", "template", "position"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=1),
                name="roadmap_tmilestone_target_positive",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(output__isnull=False),
                name="roadmap_tmilestone_target_needs_output",
            ),
            models.CheckConstraint(
                condition=Q(auto_event__in=["", *AUTO_EVENTS]),
                name="roadmap_tmilestone_auto_event_known",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def offset_days(self):
        return self.offset * (7 if self.offset_unit == OffsetUnit.WEEKS else 1)

    @property
    def offset_label(self):
        """A phrase: "1 week", "3 weeks", "5 days"."""
        unit = "week" if self.offset_unit == OffsetUnit.WEEKS else "day"
        return f"{self.offset} {unit}{'' if self.offset == 1 else 's'}"


class Roadmap(models.Model):
    """A pair's roadmap, made from the program's template when the match starts."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roadmaps")
    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="roadmap")
    template = models.ForeignKey(
        RoadmapTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmaps",
    )
    # Set while the match is paused: the clock of the open milestones stands still.
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["organization", "program"])]

    def __str__(self):
        return f"Roadmap of {self.match}"


class Milestone(models.Model):
    """One step of a pair's roadmap (their own copy: the template stays untouched)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    OPEN = [Status.NOT_STARTED, Status.IN_PROGRESS]
    CLOSED = [Status.DONE, Status.SKIPPED]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="milestones")
    # The template step it was copied from ("also update live pairs"); None when the pair
    # added it themselves or the step was removed from the template.
    template_milestone = models.ForeignKey(
        TemplateMilestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    owner = models.CharField(max_length=6, choices=Owner.choices, default=Owner.BOTH)
    required = models.BooleanField(default=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    position = models.PositiveIntegerField(default=0)
    resources = models.JSONField(default=list, blank=True)
    output = models.ForeignKey(
        LogicModelItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target = models.PositiveIntegerField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)
    auto_event = models.CharField(max_length=30, choices=AUTO_EVENT_CHOICES, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["roadmap", "position", "pk"]
        indexes = [
            models.Index(fields=["organization", "roadmap", "position"]),
            models.Index(fields=["roadmap", "status", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress", "done", "skipped"]),
                name="roadmap_milestone_status_known",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=1),
                name="roadmap_milestone_target_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_at__isnull=False),
                name="roadmap_milestone_done_has_time",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(status="done"),
                name="roadmap_milestone_confirmed_only_done",
            ),
        ]

    def __str__(self):
        return self.title

    def is_late(self, today):
        return self.status in self.OPEN and self.due_date is not None and self.due_date < today

    @property
    def is_open(self):
        return self.status in self.OPEN


def evidence_path(instance, filename):
    """Stored under a random name (the original name is kept on the row)."""
    suffix = PurePath(filename).suffix.lower()
    return f"roadmaps/evidence/{instance.organization_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """What shows a milestone is done: a note, a link or a file (the pair's alone)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="evidence")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(max_length=NOTE_MAX, blank=True)
    url = models.URLField(max_length=URL_MAX, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["milestone", "created_at", "pk"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["organization", "milestone"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(note="") | ~Q(url="") | ~Q(file=""),
                name="roadmap_evidence_not_empty",
            ),
        ]

    def __str__(self):
        return f"Evidence for {self.milestone_id}"


class Goal(models.Model):
    """One of a pair's goals (1–5 active at a time), with its current progress rating."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=GOAL_MAX)
    progress = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retire_reason = models.TextField(blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["match", "position", "pk"]
        indexes = [models.Index(fields=["organization", "match", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=1, progress__lte=5), name="roadmap_goal_progress_1_5"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "retired"]), name="roadmap_goal_status_known"
            ),
        ]

    def __str__(self):
        return self.text


class GoalRating(models.Model):
    """A goal's progress rating at one moment: its history."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    progress = models.PositiveSmallIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=GOAL_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["goal", "-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "goal"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=1, progress__lte=5), name="roadmap_rating_progress_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.progress}"
