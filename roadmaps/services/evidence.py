"""Evidence that a milestone is done: a note, a link or a file.

Files go through Django's storage API under a random name, at most ``EVIDENCE_MAX_BYTES``,
and only of the allowed types: the extension must be on the list AND the content must look
like it (a renamed program is refused, whatever its name says).

Storage is not transactional: a file is written when its row is saved, and stays when that
transaction rolls back. Django has no "on rollback" hook, so the writes that go with a stored
file run in `deleted_on_error`: if they raise (and so roll back), the file is deleted before
the exception goes on. A service that adds evidence inside a bigger change (completing a
milestone) wraps that whole change the same way.
"""

import io
import zipfile
from contextlib import contextmanager
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from ..constants import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES, NOTE_MAX, URL_MAX
from ..models import Evidence

ALLOWED_NAMES = ", ".join(sorted({e for e in EVIDENCE_EXTENSIONS if e != "jpeg"}))
# Programs and scripts, whatever their name says.
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _looks_like(extension, head, file):
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if extension in ("txt", "csv"):
        file.seek(0)
        sample = file.read(64 * 1024)
        if b"\x00" in sample:
            return False
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the sample's end is fine.
            if exc.start < len(sample) - 4:
                return False
        return True
    if extension in OFFICE_PARTS:
        if not head.startswith(b"PK\x03\x04"):
            return False
        file.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        part = OFFICE_PARTS[extension]
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    return False


def clean_file(file):
    """The upload's (name, content type), or ValidationError: too big, an executable, a type
    not on the list, or content that doesn't match its extension."""
    name = PurePath(getattr(file, "name", "") or "").name[:255]
    extension = PurePath(name).suffix.lower().lstrip(".")
    size = getattr(file, "size", None) or 0
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {"file": f"This file is too big: keep it under {EVIDENCE_MAX_BYTES // 2**20} MB."}
        )
    if size == 0:
        raise ValidationError({"file": "This file is empty."})
    file.seek(0)
    head = file.read(16)
    if head.startswith(EXECUTABLE_MAGIC):
        raise ValidationError({"file": "Programs and scripts can't be uploaded as evidence."})
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {"file": f"Upload one of these types: {ALLOWED_NAMES}. This one isn't allowed."}
        )
    if not _looks_like(extension, head, file):
        raise ValidationError(
            {"file": f"This file isn't a real .{extension} file: its content doesn't match."}
        )
    file.seek(0)
    return name, EVIDENCE_EXTENSIONS[extension]


def clean_evidence(*, note="", url="", file=None):
    note = (note or "").strip()
    url = (url or "").strip()
    errors = {}
    if len(note) > NOTE_MAX:
        errors["note"] = f"Keep the note to {NOTE_MAX} characters or fewer."
    if url:
        try:
            if len(url) > URL_MAX:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = "Give a web address starting with https://."
    if errors:
        raise ValidationError(errors)
    meta = clean_file(file) if file else None
    if not (note or url or file):
        raise ValidationError("Show what you did: write a note, give a link or attach a file.")
    return note, url, meta


@contextmanager
def deleted_on_error():
    """Run the block inside its own savepoint; ``stored`` (the list it yields) names the
    evidence whose files the block stored. If the block raises, the savepoint rolls back and
    those files are deleted from storage, then the exception goes on. (On success the caller's
    transaction may still roll back later: a caller that does more after adding evidence wraps
    that in its own `deleted_on_error`, as `milestones.complete_milestone` does.)"""
    stored = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        for evidence in stored:
            if evidence.file.name:
                evidence.file.storage.delete(evidence.file.name)
        raise


def add_evidence(*, milestone, actor, note="", url="", file=None, stored=None):
    """A note, a link and/or a file for the milestone, by one of the pair. ``stored``: a list
    of an enclosing `deleted_on_error` (the evidence is added to it once its file is stored)."""
    from .milestones import ensure_writable

    with deleted_on_error() as own:
        ensure_writable(milestone.roadmap)
        note, url, meta = clean_evidence(note=note, url=url, file=file)
        evidence = Evidence(
            organization_id=milestone.organization_id,
            milestone=milestone,
            author=actor,
            note=note,
            url=url,
        )
        if meta is not None:
            evidence.file_name, evidence.content_type = meta
            evidence.size = file.size
            evidence.file.save(meta[0], file, save=False)
            own.append(evidence)
        evidence.save()
    if stored is not None and meta is not None:
        stored.append(evidence)
    return evidence


@transaction.atomic
def delete_evidence(*, evidence, actor):
    """Its author removes it (the milestone keeps its status)."""
    from .milestones import ensure_writable

    ensure_writable(evidence.milestone.roadmap)
    if evidence.author_id != getattr(actor, "pk", None):
        raise ValidationError("Only the person who added this evidence can remove it.")
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
