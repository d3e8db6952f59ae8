"""Rooms' part of the world: the room of each organization's live pair (``w.live_matches``,
opened by matching's hook; org A's mentor is the cast's member), with what happens in it.
``w.rooms`` (org A's, org B's) for the parts that follow."""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from programs.models import AgreementTemplate
from rooms.models import (
    AgreementSignature,
    BreakGlass,
    CalendarFeed,
    Meeting,
    Room,
    RoomSettings,
)


def build(w):
    with scopes_disabled():
        w.rooms = tuple(Room.objects.get(match=m) for m in w.live_matches)
    objects = {"room": tuple(r.pk for r in w.rooms)}
    # --- Room, agreement, meetings, calendar, break-glass ---
    objects.update(_room_parts(w))
    # --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---
    objects.update(_collab(w))
    return objects


# --- Room, agreement, meetings, calendar, break-glass ---


def _room_parts(w):
    """In each room: the program's agreement (version 1) signed by the mentee only (so the
    mentor, the cast's member, may sign), a scheduled meeting that started two hours ago (so
    it may be marked held or no-show, or moved to the future), break-glass allowed by the
    program with an expired opening by the organization's admin (so admins still read no
    content), and the mentor's calendar feed. ``w.meetings``, ``w.calendar_feeds``."""
    now = timezone.now()
    out = {
        "meeting": [],
        "agreement_signature": [],
        "calendar_feed": [],
        "calendar_token": [],
        "room_settings": [],
        "break_glass": [],
    }
    with scopes_disabled():
        for room in w.rooms:
            match, organization = room.match, room.organization
            admin = organization.memberships.filter(role="admin").order_by("pk").first().user
            template = AgreementTemplate.objects.create(
                organization=organization,
                program=room.program,
                version=1,
                body="## Our agreement\n\n{{ mentor_name }} and {{ mentee_name }} meet.",
            )
            signature = AgreementSignature.objects.create(
                organization=organization,
                room=room,
                template=template,
                user=match.mentee.user,
                typed_name=match.mentee.display_name,
            )
            meeting = Meeting.objects.create(
                organization=organization,
                room=room,
                starts_at=now - timedelta(hours=2),
                minutes=60,
                location="The library",
                created_by=match.mentor.user,
            )
            settings = RoomSettings.objects.create(
                organization=organization, program=room.program, break_glass=True
            )
            opening = BreakGlass.objects.create(
                organization=organization,
                room=room,
                actor=admin,
                reason="A concern raised by the mentee's school.",
                expires_at=now - timedelta(hours=1),
            )
            feed = CalendarFeed.objects.create(organization=organization, user=match.mentor.user)
            out["meeting"].append(meeting.pk)
            out["agreement_signature"].append(signature.pk)
            out["calendar_feed"].append(feed.pk)
            out["calendar_token"].append(feed.token)
            out["room_settings"].append(settings.pk)
            out["break_glass"].append(opening.pk)
        w.meetings = tuple(Meeting.objects.filter(pk__in=out["meeting"]).order_by("organization"))
    return {kind: tuple(values) for kind, values in out.items()}


# --- Agenda, stage prompts, notes, action items, messages, updates, feedback ---


def _collab(w):
    """Each pilot's (and each room's program's) stage prompts, copied from the defaults. In each
    room: a meeting held a week ago (its first) with a shared agenda point and a shared note of
    the mentor (the cast's member) and a private point and a private note of the mentee; an
    action item of the mentor from that meeting; a message of the mentee, which the mentor read;
    a progress update of the mentor; and the mentee's feedback on the meeting (so the mentor may
    still give theirs). ``w.held_meetings``."""
    from rooms.models import (
        ActionItem,
        AgendaPoint,
        MeetingFeedback,
        Message,
        Note,
        ProgressUpdate,
        ReadMark,
        StagePrompt,
    )
    from rooms.services.prompts import copy_defaults

    now = timezone.now()
    kinds = (
        "collab_meeting", "agenda_point", "private_agenda_point", "note", "private_note",
        "action_item", "message", "progress_update", "meeting_feedback", "stage_prompt",
    )  # fmt: skip
    out = {kind: [] for kind in kinds}
    with scopes_disabled():
        for program in (*w.pilots, *(r.program for r in w.rooms)):
            copy_defaults(program=program)
        for program in w.pilots:
            out["stage_prompt"].append(StagePrompt.objects.filter(program=program).first().pk)
        for room in w.rooms:
            org, mentor, mentee = room.organization, room.match.mentor.user, room.match.mentee.user
            meeting = Meeting.objects.create(
                organization=org, room=room, starts_at=now - timedelta(days=7), minutes=45,
                location="The café", status=Meeting.Status.HELD,
                held_at=now - timedelta(days=7), created_by=mentor,
            )  # fmt: skip
            in_meeting = {"organization": org, "room": room, "meeting": meeting}
            shared = AgendaPoint.objects.create(**in_meeting, author=mentor, text="Goals")
            private = AgendaPoint.objects.create(
                **in_meeting, author=mentee, text="Ask about the pay gap", private=True, position=1
            )
            note = Note.objects.create(**in_meeting, author=mentor, body="We agreed on *goals*.")
            private_note = Note.objects.create(
                **in_meeting, author=mentee, body="I felt nervous.", private=True
            )
            item = ActionItem.objects.create(
                **in_meeting, owner=mentor, description="Send the reading list",
                due_date=(now + timedelta(days=3)).date(), created_by=mentor,
            )  # fmt: skip
            message = Message.objects.create(organization=org, room=room, author=mentee, body="Hi!")
            ReadMark.objects.create(organization=org, room=room, user=mentor, read_at=now)
            update = ProgressUpdate.objects.create(
                organization=org, room=room, author=mentor, progress="Read two chapters."
            )
            feedback = MeetingFeedback.objects.create(
                **in_meeting, author=mentee, usefulness=4, comment="Good start", good_fit="yes"
            )
            for kind, obj in (
                ("collab_meeting", meeting), ("agenda_point", shared),
                ("private_agenda_point", private), ("note", note), ("private_note", private_note),
                ("action_item", item), ("message", message), ("progress_update", update),
                ("meeting_feedback", feedback),
            ):  # fmt: skip
                out[kind].append(obj.pk)
        w.held_meetings = tuple(
            Meeting.objects.filter(pk__in=out["collab_meeting"]).order_by("organization_id")
        )
    return {kind: tuple(values) for kind, values in out.items()}
