"""The room's message thread: the pair writes, each has a read mark (unread counts), and a new
message tells the other party — batched, at most one notification (and email) per room and
recipient every MESSAGE_EMAIL_MINUTES, and never with the message's text.

A read mark is the time of the last message its reader was shown (not the time they asked to
mark it: a message that arrived in between stays unread), and it never moves back."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone

from mentorship.notifications.models import Notification

from .. import notifications, pairs, queries
from ..constants import MESSAGE_EMAIL_MINUTES, MESSAGE_MAX
from ..models import Message, ReadMark
from . import checks, rooms


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."})
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {"body": f"Keep a message under {MESSAGE_MAX:,} characters (it has {len(body):,})."}
        )
    return body


def _set_read(room, user, moment) -> ReadMark:
    """Move ``user``'s mark in ``room`` forward to ``moment`` (never back: a page shown
    earlier, or a late request, keeps what was read since)."""
    mark, created = ReadMark.objects.get_or_create(
        room=room,
        user=user,
        defaults={"organization_id": room.organization_id, "read_at": moment},
    )
    if not created and mark.read_at < moment:
        # In SQL, so two requests at once keep the later of the two.
        ReadMark.objects.filter(pk=mark.pk).update(read_at=Greatest("read_at", Value(moment)))
        mark.refresh_from_db(fields=["read_at"])
    return mark


@transaction.atomic
def post_message(*, room, actor, body) -> Message:
    checks.ensure_writable(room, actor)
    message = Message.objects.create(
        organization_id=room.organization_id, room=room, author=actor, body=_clean_body(body)
    )
    _set_read(room, actor, message.created_at)  # one's own message is read
    rooms.touch(room)
    other = pairs.partner(room, actor)
    if other.user_id is not None:
        _tell_batched(room, actor, other)
    queries.forget_nav_counts(room.organization_id, [actor.pk, other.user_id])
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


def _shown_until(room, up_to):
    """When the message ``up_to`` (a message or its id) of ``room`` was written; without one,
    when the room's latest message was (now, when it has none)."""
    if up_to is None or up_to == "":
        latest = Message.objects.filter(room=room).order_by("-created_at", "-pk").first()
        return latest.created_at if latest is not None else timezone.now()
    if isinstance(up_to, Message):
        found = up_to if up_to.room_id == room.pk else None
    else:
        try:
            pk = int(up_to)
        except (TypeError, ValueError):
            pk = None
        found = Message.objects.filter(room=room, pk=pk).first() if pk and pk > 0 else None
    if found is None:
        raise ValidationError({"up_to": "That message is not one of this room's."})
    return found.created_at


@transaction.atomic
def mark_read(*, room, user, up_to=None) -> ReadMark:
    """``user`` (one of the pair) has read the room's messages up to ``up_to``: the last
    message they were shown (a message or its id; by default the room's latest). Reading is no
    change to the room: a read-only room's messages can still be marked read."""
    checks.ensure_pair(room, user)
    mark = _set_read(room, user, _shown_until(room, up_to))
    queries.forget_nav_counts(room.organization_id, [user.pk])
    return mark
