"""Programs: the program itself, its logic model, foundation, agreement templates, cohorts and
enrolments. Every model carries ``organization`` and is reached through the tenant scope."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from mentorship.models import EMAIL_MAX_LENGTH, TIME_ZONE_CHOICES, Organization
from mentorship.scoping import TenantManager

# Ranges the product promises (and the database enforces).
CHECKIN_WEEKS = (1, 12)
REVIEW_WEEKS = (4, 12)
MEETING_MINUTES = (30, 60)
MENTOR_CAPACITY = (1, 20)


def _range(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


def _new_join_token():
    return secrets.token_urlsafe(16)


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PILOT = "pilot", "Pilot"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class Format(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        # GROUP comes with group mentoring; the field leaves room for it.

    class MatchingMode(models.TextChoices):
        ADMIN = "admin", "Admin assigns"
        MENTEE_CHOOSES = "mentee_chooses", "Mentee chooses from suggestions"
        AUTOMATIC = "automatic", "Automatic, admin approves"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.ONE_TO_ONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, blank=True)
    checkin_every_weeks = models.PositiveSmallIntegerField(
        default=1, validators=_range(*CHECKIN_WEEKS), help_text="Check-in every N weeks."
    )
    review_every_weeks = models.PositiveSmallIntegerField(
        default=6,
        validators=_range(*REVIEW_WEEKS),
        help_text="Relationship review every N weeks (6–8 recommended).",
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        default=45, validators=_range(*MEETING_MINUTES), help_text="Expected meeting length."
    )
    matching_mode = models.CharField(
        max_length=20, choices=MatchingMode.choices, default=MatchingMode.ADMIN
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        default=2, validators=_range(*MENTOR_CAPACITY), help_text="Mentees per mentor."
    )
    join_token = models.CharField(max_length=32, unique=True, default=_new_join_token)
    join_link_enabled = models.BooleanField(
        default=False, help_text="Members of the organization can apply through the join link."
    )
    template_key = models.CharField(max_length=50, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"],
                name="program_unique_slug",
                violation_error_message=(
                    "Another program already uses this web address; choose another name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(checkin_every_weeks__gte=CHECKIN_WEEKS[0])
                & Q(checkin_every_weeks__lte=CHECKIN_WEEKS[1]),
                name="program_checkin_range",
                violation_error_message=(
                    f"Check-ins are every {CHECKIN_WEEKS[0]} to {CHECKIN_WEEKS[1]} weeks."
                ),
            ),
            models.CheckConstraint(
                condition=Q(review_every_weeks__gte=REVIEW_WEEKS[0])
                & Q(review_every_weeks__lte=REVIEW_WEEKS[1]),
                name="program_review_range",
                violation_error_message=(
                    f"Reviews are every {REVIEW_WEEKS[0]} to {REVIEW_WEEKS[1]} weeks."
                ),
            ),
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=MEETING_MINUTES[0])
                & Q(meeting_minutes__lte=MEETING_MINUTES[1]),
                name="program_meeting_range",
                violation_error_message=(
                    f"Meetings last {MEETING_MINUTES[0]} to {MEETING_MINUTES[1]} minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="program_dates_ordered",
                violation_error_message="The end date can't be before the start date.",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self):
        return self.name

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def effective_time_zone(self):
        return self.time_zone or self.organization.time_zone


class LogicModelItem(models.Model):
    """One box of the logic model. Outcomes come first; outputs serve outcomes, activities
    produce outputs, inputs resource activities (``links``)."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        OUTPUT = "output", "Output"
        ACTIVITY = "activity", "Activity"
        INPUT = "input", "Input / resource"

    # Which kind may link to which: source kind -> target kind.
    LINKS_TO = {Kind.OUTPUT: Kind.OUTCOME, Kind.ACTIVITY: Kind.OUTPUT, Kind.INPUT: Kind.ACTIVITY}

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="logic_items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    links = models.ManyToManyField(
        "self", through="LogicModelLink", symmetrical=False, related_name="linked_from"
    )

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "kind", "position", "pk"]
        indexes = [models.Index(fields=["organization", "program", "kind", "position"])]

    def __str__(self):
        return self.title


class LogicModelLink(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(LogicModelItem, on_delete=models.CASCADE, related_name="out_links")
    target = models.ForeignKey(LogicModelItem, on_delete=models.CASCADE, related_name="in_links")

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"],
                name="logic_link_unique",
                violation_error_message="These two items are already linked.",
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"


class Indicator(models.Model):
    """How the program proves an outcome: a KPI from the catalog, a target and a direction."""

    class Measure(models.TextChoices):
        MEETING_FREQUENCY = "meeting_frequency", "Meeting frequency (meetings per pair per month)"
        ENGAGEMENT_RATE = "engagement_rate", "Engagement rate (% of pairs active)"
        MILESTONE_COMPLETION = "milestone_completion", "Milestone completion (%)"
        GOAL_ACHIEVEMENT = "goal_achievement", "Goal achievement in reviews (%)"
        SATISFACTION = "satisfaction", "Satisfaction (1–5)"
        CONFIDENCE_CHANGE = "confidence_change", "Pre/post confidence change (points)"
        REVIEW_COMPLETION = "review_completion", "Review completion (%)"
        RETENTION = "retention", "Retention (% of pairs not dropped out)"
        SURVEY_QUESTION = "survey_question", "A survey question"

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(
        LogicModelItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        limit_choices_to={"kind": LogicModelItem.Kind.OUTCOME},
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=30, choices=Measure.choices)
    survey_question = models.CharField(
        max_length=300, blank=True, help_text="The question, when the measure is a survey question."
    )
    target = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.AT_LEAST
    )
    position = models.PositiveIntegerField(default=0)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_complete(self):
        has_question = self.measure != self.Measure.SURVEY_QUESTION or bool(self.survey_question)
        return self.target is not None and has_question


class Foundation(models.Model):
    """Values, goals and rules of engagement the pairs see."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="foundation")
    values = models.TextField(blank=True)
    goals = models.TextField(blank=True)
    rules_of_engagement = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    def __str__(self):
        return f"Foundation of {self.program}"


class AgreementTemplate(models.Model):
    """One version of the mentor–mentee agreement. Editing adds a version; signed agreements
    keep pointing at the version they were made from."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="agreement_templates"
    )
    version = models.PositiveIntegerField()
    body = models.TextField(help_text="Markdown with placeholders such as {{ mentor_name }}.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "version"],
                name="agreement_unique_version",
                violation_error_message="This version of the agreement already exists.",
            ),
        ]

    def __str__(self):
        return f"{self.program} agreement v{self.version}"


class Cohort(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=100)
    start_date = models.DateField()

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "start_date", "name"]
        constraints = [
            models.UniqueConstraint(
                "program",
                Lower("name"),
                name="cohort_unique_name_per_program",
                violation_error_message="This program already has a cohort with this name.",
            ),
        ]

    def __str__(self):
        return self.name


class Enrollment(models.Model):
    """A person in a program, as mentor or mentee. Invited people may not have an account yet:
    the enrolment waits on their email and links up when they join the organization."""

    class Role(models.TextChoices):
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"  # waiting for the person to join the organization
        APPLIED = "applied", "Applied"  # through the join link; waiting for an admin
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="enrollments"
    )
    capacity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=_range(*MENTOR_CAPACITY),
        help_text="Mentees this mentor can take (mentors only).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "role", "email"]
        constraints = [
            # One enrolment per person and program (mentor in one, mentee in another is fine).
            models.UniqueConstraint(
                "program",
                Lower("email"),
                name="enrollment_unique_email_per_program",
                violation_error_message="This person is already enrolled in this program.",
            ),
            models.CheckConstraint(
                condition=Q(role="mentor") | Q(capacity__isnull=True),
                name="enrollment_capacity_only_for_mentors",
                violation_error_message=(
                    "Only mentors have a capacity (how many mentees they take)."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "program", "status"]),
            models.Index(fields=["organization", "email"]),
        ]

    def __str__(self):
        return f"{self.email} ({self.role}) in {self.program}"

    @property
    def display_name(self):
        if self.user_id and self.user.name:
            return self.user.name
        return self.name or self.email
