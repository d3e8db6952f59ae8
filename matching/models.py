"""Matching: the profiles participants fill in, the program's profile questions and the
matching matrix (criteria weights and hard rules). Runs, suggestions and matches build on these.
"""

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorship.models import EMAIL_MAX_LENGTH, TIME_ZONE_CHOICES, Organization
from mentorship.scoping import TenantManager
from programs.models import Enrollment, Program


class Criterion(models.TextChoices):
    """What matching weighs. Custom questions add one criterion each ("custom:<id>")."""

    SKILLS = "skills", "Skill overlap"
    GOALS = "goals", "Goal and industry fit"
    EXPERIENCE = "experience", "Experience gap"
    STYLE = "style", "Communication style"
    TIME_ZONE = "time_zone", "Time-zone overlap"
    AVAILABILITY = "availability", "Availability overlap"
    LANGUAGE = "language", "Shared language"
    LOCATION = "location", "Location and format fit"


class HardRule(models.TextChoices):
    SHARED_LANGUAGE = "shared_language", "Must share a language"
    MAX_TZ_HOURS = "max_tz_hours", "Time zones at most N hours apart"
    NOT_SAME_DEPARTMENT = "not_same_department", "Never the same department"
    NOT_SAME_REPORTING_LINE = "not_same_reporting_line", "Never the same reporting line"
    NO_REPAIR = "no_repair", "Never re-pair people who were paired before"


# Which profile question feeds which criterion (a criterion needs its questions asked).
CRITERION_QUESTIONS = {
    Criterion.SKILLS: "skills",
    Criterion.GOALS: "goals",
    Criterion.EXPERIENCE: "experience",
    Criterion.STYLE: "style",
    Criterion.TIME_ZONE: "time_zone",
    Criterion.AVAILABILITY: "availability",
    Criterion.LANGUAGE: "languages",
    Criterion.LOCATION: "location",
}
HARD_RULE_QUESTIONS = {
    HardRule.SHARED_LANGUAGE: "languages",
    HardRule.MAX_TZ_HOURS: "time_zone",
    HardRule.NOT_SAME_DEPARTMENT: "department",
    HardRule.NOT_SAME_REPORTING_LINE: "department",
    HardRule.NO_REPAIR: None,  # needs no question
}


class ProfileQuestion(models.TextChoices):
    """The standard profile questions a program may ask."""

    SKILLS = "skills", "Skills and levels"
    GOALS = "goals", "Career goals and industry"
    EXPERIENCE = "experience", "Years of experience"
    STYLE = "style", "Communication style"
    MEETINGS = "meetings", "Meeting frequency and format"
    LOCATION = "location", "Location"
    TIME_ZONE = "time_zone", "Time zone"
    LANGUAGES = "languages", "Languages"
    AVAILABILITY = "availability", "Weekly availability"
    DEPARTMENT = "department", "Department and reporting line"
    HOPES = "hopes", "What I hope to get or give"


DEFAULT_WEIGHTS = {
    Criterion.SKILLS: 0.8,
    Criterion.GOALS: 0.6,
    Criterion.EXPERIENCE: 0.4,
    Criterion.STYLE: 0.3,
    Criterion.TIME_ZONE: 0.3,
    Criterion.AVAILABILITY: 0.5,
    Criterion.LANGUAGE: 0.5,
    Criterion.LOCATION: 0.2,
}


def default_weights():
    return {str(k): v for k, v in DEFAULT_WEIGHTS.items()}


def default_questions():
    return list(ProfileQuestion.values)


def default_hard_rules():
    return {HardRule.NOT_SAME_REPORTING_LINE.value: True, HardRule.NO_REPAIR.value: True}


class Objective(models.TextChoices):
    COVERAGE = "coverage", "Everyone matched first"
    QUALITY = "quality", "Quality first"


class MatchingSettings(models.Model):
    """One program's matching matrix: the questions it asks, criteria weights, hard rules."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    questions = models.JSONField(default=default_questions)
    career_goal_options = models.JSONField(default=list, blank=True)
    weights = models.JSONField(default=default_weights)
    # Rule → True, or a number for "max_tz_hours".
    hard_rules = models.JSONField(default=default_hard_rules, blank=True)
    # Mentee-chooses mode: a mentor request nobody answered expires after this many days.
    request_expiry_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    objective = models.CharField(
        max_length=10,
        choices=Objective.choices,
        default=Objective.COVERAGE,
        help_text="What a run optimises first.",
    )
    # No pair is made below this fit (0 = any pair the hard rules allow).
    min_score = models.FloatField(
        default=0.0, validators=[MinValueValidator(0.0), MaxValueValidator(0.9)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__gte=0) & Q(min_score__lte=0.9),
                name="matching_settings_min_score_range",
                violation_error_message="The minimum fit is from 0 to 90 %.",
            ),
        ]

    def __str__(self):
        return f"Matching settings of {self.program}"


class CustomQuestion(models.Model):
    """A program's own single- or multi-choice question; it becomes a matching criterion."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTI = "multi", "Multiple choice"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="custom_questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    options = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def criterion_key(self):
        return f"custom:{self.pk}"


class Profile(models.Model):
    """What matching reads about one participant in one program (one per enrolment)."""

    class MeetingFormat(models.TextChoices):
        REMOTE = "remote", "Remote"
        IN_PERSON = "in_person", "In person"
        EITHER = "either", "Either"

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Every month"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="profile")
    # Skill name → level 1–5 (mentors: can teach; mentees: want to learn).
    skills = models.JSONField(default=dict, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    years_experience = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    career_goals = models.JSONField(default=list, blank=True)
    career_goals_text = models.TextField(blank=True)
    # Communication style, each from -1 to 1.
    style_direct_supportive = models.FloatField(
        default=0, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    style_structured_exploratory = models.FloatField(
        default=0, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    style_written_spoken = models.FloatField(
        default=0, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    meeting_frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.FORTNIGHTLY
    )
    meeting_format = models.CharField(
        max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.EITHER
    )
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, blank=True)
    languages = models.JSONField(default=list, blank=True)
    # Weekly availability as hour slots 0–167 (Monday 00:00 = 0), in the profile's time zone.
    availability = models.JSONField(default=list, blank=True)
    department = models.CharField(max_length=100, blank=True)
    manager_email = models.EmailField(
        max_length=EMAIL_MAX_LENGTH, blank=True, help_text="Your line manager (reporting line)."
    )
    hopes = models.TextField(blank=True)
    # Custom question id (as a string) → list of chosen options.
    custom_answers = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    def __str__(self):
        return f"Profile of {self.enrollment}"


class MatchRun(models.Model):
    """One matching run over a program's pool: its settings, progress, statistics, suggestions."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready for review"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=60, default="Waiting for a worker")
    settings = models.JSONField(default=dict)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pool_fingerprint = models.CharField(max_length=64, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    unmatched = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Published in mentee-chooses mode: no matches were made; mentees choose among the run's
    # suggestions and request a mentor (matching.services.choice).
    for_choosing = models.BooleanField(default=False)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"],
                name="match_run_unique_number",
                violation_error_message="A run with this number already exists in this program.",
            ),
        ]

    def __str__(self):
        return f"Run {self.number} of {self.program}"

    @property
    def is_working(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Suggestion(models.Model):
    """A scored mentee–mentor pair of a run: the proposed assignment and each mentee's best
    alternatives, with the per-criterion breakdown that explains the score."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="suggestions")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    breakdown = models.JSONField(default=dict)
    # Plain words per criterion, written with the run (mentee-chooses mode shows them):
    # [{"key", "label", "contribution", "text"}, …], biggest contribution first.
    explanations = models.JSONField(default=list, blank=True)
    assigned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    rejected = models.BooleanField(default=False)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["run", "mentee", "-score", "mentor"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee", "mentor"],
                name="suggestion_unique_pair",
                violation_error_message="This pair is already part of the run.",
            ),
        ]
        indexes = [models.Index(fields=["run", "assigned"])]

    def __str__(self):
        return f"{self.mentee} ↔ {self.mentor} ({self.score:.2f})"


class Match(models.Model):
    """A mentor and a mentee working together in a program."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        ENDED = "ended", "Ended"
        DISSOLVED = "dissolved", "Dissolved"

    OPEN = [Status.ACTIVE, Status.PAUSED]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    score = models.FloatField(null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    # Why, in plain words: the suggestion's explanations, copied when the match is made.
    explanations = models.JSONField(default=list, blank=True)
    run = models.ForeignKey(
        MatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "-created_at"]
        constraints = [
            # A mentee has at most one open match per program.
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["active", "paused"]),
                name="match_one_open_per_mentee",
                violation_error_message=(
                    "This mentee already has an active or paused match in this program."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organization", "program", "status"])]

    def __str__(self):
        return f"{self.mentor} → {self.mentee}"

    # The one rule for what a pair keeps (their room, roadmap and goals): it changes only while
    # the match is open (active or paused) and its program is not closed.

    @property
    def is_writable(self) -> bool:
        return not self.read_only_reason()

    def read_only_reason(self, what="its data is", program=None) -> str:
        """Why the pair's data may not change any more ("" while it may): ``what`` names it,
        as in "This match is ended: its roadmap is read-only". ``program``: the match's, when
        the caller has it loaded already (a room's, say)."""
        if self.status not in self.OPEN:
            return f"This match is {self.get_status_display().lower()}: {what} read-only."
        if (program or self.program).is_closed:
            return "This program is closed; its data is read-only."
        return ""

    def ensure_writable(self, what="its data is") -> None:
        """ValidationError with `read_only_reason` unless the pair's data may change."""
        reason = self.read_only_reason(what)
        if reason:
            raise ValidationError(reason)


class MentorRequest(models.Model):
    """Mentee-chooses mode: a mentee asks one of their suggested mentors to mentor them."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the mentor"
        MORE_INFO = "more_info", "Mentor asks for more information"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    OPEN = [Status.PENDING, Status.MORE_INFO]

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="mentor_requests")
    mentee = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True, help_text="From the mentee (their latest answer).")
    mentor_reply = models.TextField(blank=True, help_text="From the mentor (e.g. a question).")
    # Each "more information" question starts a round (keys the emails of that round).
    rounds = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["program", "-created_at"]
        constraints = [
            # A mentee has at most one open request per program.
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["pending", "more_info"]),
                name="mentor_request_one_open_per_mentee",
                violation_error_message="This mentee already has an open request to a mentor.",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "program", "mentor", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.mentee} → {self.mentor} ({self.status})"

    @property
    def is_open(self):
        return self.status in self.OPEN


class MentorRequestMessage(models.Model):
    """One message of a request's conversation between the mentee and the mentor, kept in the
    order written (the request's ``message`` and ``mentor_reply`` hold only each one's latest)."""

    class Author(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        MentorRequest, on_delete=models.CASCADE, related_name="conversation"
    )
    author = models.CharField(max_length=6, choices=Author.choices)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_author_display()} on request {self.request_id}"
