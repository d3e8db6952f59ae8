"""The room's message thread: the pair writes, each has a read mark (unread counts), and a new
message tells the other party — batched, at most one notification (and email) per room and
recipient every MESSAGE_EMAIL_MINUTES, and never with the message's text."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.notifications.models import Notification

from .. import notifications
from ..constants import MESSAGE_EMAIL_MINUTES, MESSAGE_MAX
from ..models import Message, ReadMark
from . import rooms


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {"body": f"Keep a message under {MESSAGE_MAX:,} characters (it has {len(body):,})."}
        )
    return body


def _set_read(room, user, moment):
    ReadMark.objects.update_or_create(
        room=room,
        user=user,
        defaults={"read_at": moment},
        create_defaults={"organization_id": room.organization_id, "read_at": moment},
    )


@transaction.atomic
def post_message(*, room, actor, body) -> Message:
    message = Message.objects.create(
        organization_id=room.organization_id, room=room, author=actor, body=_clean_body(body)
    )
    _set_read(room, actor, message.created_at)  # one's own message is read
    rooms.touch(room)
    match = room.match
    other = match.mentee if match.mentor.user_id == actor.pk else match.mentor
    if other.user_id is not None:
        _tell_batched(room, actor, other)
    return message


def _tell_batched(room, actor, other):
    """Tell ``other`` (an enrolment) unless they were told about this room's messages in the
    last MESSAGE_EMAIL_MINUTES; the key carries that period, so a race in one period makes one
    row and sends one email."""
    now = timezone.now()
    prefix = notifications.message_key_prefix(room, other.user)
    recent = Notification.objects.filter(
        organization_id=room.organization_id,
        key__startswith=prefix,
        created_at__gt=now - timedelta(minutes=MESSAGE_EMAIL_MINUTES),
    )
    if not recent.exists():
        notifications.tell_new_message(room=room, author=actor, recipient=other, now=now)


@transaction.atomic
def mark_read(*, room, user) -> ReadMark:
    """``user`` has read the room's messages up to now."""
    _set_read(room, user, timezone.now())
    return ReadMark.objects.get(room=room, user=user)
