"""Rooms: one private room per match, and everything the pair does in it.

Privacy lives in the data: a note or an agenda point is ``private`` to its ``author``; messages
and private notes are never read by admins or HR (pages, API, emails, feeds, exports), except
through a recorded break-glass opening where the program allows it. Every row carries its
organization and its room, so a lookup by id is always also a lookup by room.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from matching.models import Match
from mentorship.models import Organization
from mentorship.scoping import TenantManager
from programs.models import AgreementTemplate, Program

from .constants import (
    ACTION_ITEM_MAX,
    AGENDA_POINT_MAX,
    LOCATION_MAX,
    MEETING_MAX_MINUTES,
    MEETING_MIN_MINUTES,
    MESSAGE_MAX,
    NOTE_MAX,
    PROMPT_MAX,
    REASON_MAX,
    UPDATE_MAX,
)


class Stage(models.IntegerChoices):
    """The relationship model's stages (DESIGN.md): the pair moves forward when ready."""

    FOUNDATION = 0, "Foundation"
    TRUST = 1, "Trust and rapport"
    PROBLEM = 2, "Define the problem or skill"
    MEANING = 3, "Meaning and impact"
    COMMITMENT = 4, "Commitment and action"
    SUPPORT = 5, "Support and resources"
    REVIEW = 6, "Review and feedback"


def _token():
    return secrets.token_urlsafe(32)


class RoomSettings(models.Model):
    """What a program decides about its rooms (one row per program, made on first use)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="room_settings")
    # Programs that must (e.g. youth mentoring) let an admin open a room's content with a
    # written reason; recorded in the audit log and shown to the pair.
    break_glass = models.BooleanField(
        default=False,
        help_text="Admins may open a room's notes and messages, giving a reason the pair sees.",
    )

    objects = TenantManager(organization="organization")

    def __str__(self):
        return f"Room settings of {self.program}"


class Room(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rooms")
    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="room")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices, default=Stage.FOUNDATION)
    stage_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Last message, meeting change, note or update: the room list's order and "recent".
    last_activity_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-last_activity_at", "-created_at"]
        indexes = [models.Index(fields=["organization", "program"])]

    def __str__(self):
        return f"Room of {self.match}"

    @property
    def is_read_only(self):
        """The pair reads their room, and changes nothing in it, once their match is ended or
        dissolved or their program is closed (`Match.is_writable`, the rule roadmaps follow too)."""
        return bool(self.read_only_reason())

    def read_only_reason(self) -> str:
        """Why nothing in the room changes any more ("" while it may). The room's program is
        its match's: lists load it with the room."""
        return self.match.read_only_reason("its room is", program=self.program)


class BreakGlass(models.Model):
    """An admin opened a room's content, with a reason both participants see in the room."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="break_glass")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=REASON_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["room", "actor", "expires_at"])]

    def __str__(self):
        return f"Break-glass on {self.room_id} by {self.actor_id}"


class AgreementSignature(models.Model):
    """One participant signed one version of the program's agreement, by typing their name."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="signatures")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "template", "user"],
                name="agreement_signed_once",
                violation_error_message="You have signed this version of the agreement already.",
            )
        ]

    def __str__(self):
        return f"{self.typed_name} signed v{self.template_id}"


class StagePrompt(models.Model):
    """A question for one stage of the relationship, in a program's library (shipped defaults,
    then the admin's own)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stage_prompts")
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    text = models.CharField(max_length=PROMPT_MAX)
    position = models.PositiveIntegerField(default=0)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["stage", "position", "pk"]
        indexes = [models.Index(fields=["program", "stage"])]

    def __str__(self):
        return self.text


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MEETING_MIN_MINUTES), MaxValueValidator(MEETING_MAX_MINUTES)]
    )
    location = models.CharField(max_length=LOCATION_MAX, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Calendar: the UID is stable per meeting; SEQUENCE rises each time its time changes.
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    held_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=MEETING_MIN_MINUTES, minutes__lte=MEETING_MAX_MINUTES),
                name="meeting_length_in_range",
            )
        ]
        indexes = [
            models.Index(fields=["room", "status", "starts_at"]),
            models.Index(fields=["organization", "status", "starts_at"]),
        ]

    def __str__(self):
        return f"Meeting {self.starts_at:%Y-%m-%d %H:%M} ({self.status})"


class AgendaPoint(models.Model):
    """One point on a meeting's agenda: suggested (a stage prompt, an open action item, a
    milestone due) or written by the pair; shared, or private to its author."""

    class Source(models.TextChoices):
        OWN = "own", "Added by you"
        PROMPT = "prompt", "Stage prompt"
        ACTION_ITEM = "action_item", "Open action item"
        MILESTONE = "milestone", "Milestone due"
        CARRIED = "carried", "Carried over"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(max_length=AGENDA_POINT_MAX)
    private = models.BooleanField(default=False)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.OWN)
    position = models.PositiveIntegerField(default=0)
    done = models.BooleanField(default=False)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(private=False) | Q(author__isnull=False),
                name="agenda_private_has_author",
            )
        ]

    def __str__(self):
        return self.text


class Note(models.Model):
    """A meeting's note: shared (both see it) or private (only its author, ever)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    private = models.BooleanField(default=False)
    body = models.TextField(max_length=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note {self.pk} on meeting {self.meeting_id}"


class ActionItem(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=ACTION_ITEM_MAX)
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = [F("done_at").asc(nulls_first=True), F("due_date").asc(nulls_last=True), "pk"]
        indexes = [
            models.Index(fields=["organization", "owner", "done_at"]),
            models.Index(fields=["room", "done_at"]),
        ]

    def __str__(self):
        return self.description


class Message(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["room", "created_at"])]

    def __str__(self):
        return f"Message {self.pk} in room {self.room_id}"


class ReadMark(models.Model):
    """Up to where a participant has read their room's messages (unread counts)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="read_mark_unique")]

    def __str__(self):
        return f"{self.user_id} read room {self.room_id} up to {self.read_at}"


class ProgressUpdate(models.Model):
    """A short post between meetings: progress, roadblocks, achievements."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    progress = models.TextField(max_length=UPDATE_MAX, blank=True)
    roadblocks = models.TextField(max_length=UPDATE_MAX, blank=True)
    achievements = models.TextField(max_length=UPDATE_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(progress="", roadblocks="", achievements=""),
                name="progress_update_not_empty",
            )
        ]

    def __str__(self):
        return f"Update {self.pk} in room {self.room_id}"


class MeetingFeedback(models.Model):
    """What one participant thought of one held meeting (feeds the analytics KPIs)."""

    class Fit(models.TextChoices):
        YES = "yes", "Yes"
        NOT_SURE = "not_sure", "Not sure"
        NO = "no", "No"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    usefulness = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(max_length=UPDATE_MAX, blank=True)
    # Asked after the pair's first held meeting only ("" elsewhere).
    good_fit = models.CharField(max_length=10, choices=Fit.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"],
                name="meeting_feedback_once",
                violation_error_message="You have given feedback on this meeting already.",
            ),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5), name="feedback_usefulness_1_5"
            ),
        ]

    def __str__(self):
        return f"Feedback {self.usefulness}/5 on meeting {self.meeting_id}"


class CalendarFeed(models.Model):
    """A member's private calendar feed URL (random token; revoking makes a new one)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager(organization="organization")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active",
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user_id}"
