"""A meeting's notes: shared (both of the pair read them) or private (only the author, ever:
not the other party, not admins or HR, not even through break-glass). The author edits and
deletes their own. Plain text with light Markdown (`rooms.markup`), at most NOTE_MAX characters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..constants import NOTE_MAX
from ..models import Meeting, Note
from . import checks, rooms


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write the note."})
    if len(body) > NOTE_MAX:
        raise ValidationError(
            {"body": f"Keep a note under {NOTE_MAX:,} characters (it has {len(body):,})."}
        )
    return body


@transaction.atomic
def add_note(*, meeting, actor, body, private=False) -> Note:
    checks.ensure_writable(meeting.room, actor)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled: it takes no notes.")
    note = Note.objects.create(
        organization_id=meeting.organization_id,
        room_id=meeting.room_id,
        meeting=meeting,
        author=actor,
        private=bool(private),
        body=_clean_body(body),
    )
    rooms.touch(meeting.room)
    return note


def _check_author(note, actor):
    checks.ensure_writable(note.meeting.room, actor)
    if note.author_id != actor.pk:
        raise PermissionDenied("Only its author changes a note.")


@transaction.atomic
def edit_note(*, note, actor, body=None, private=None) -> Note:
    _check_author(note, actor)
    if body is not None:
        note.body = _clean_body(body)
    if private is not None:
        note.private = bool(private)
    note.save(update_fields=["body", "private", "updated_at"])
    return note


@transaction.atomic
def delete_note(*, note, actor) -> None:
    _check_author(note, actor)
    note.delete()
