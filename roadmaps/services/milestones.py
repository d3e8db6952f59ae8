"""A pair's own milestones: add, edit, reorder, start, skip, reopen, complete with evidence,
count towards a target, and the other party's confirmation. The template stays untouched.

Callers (pages, the API) fetch the milestone through ``queries.get_milestone_for_member``,
which only hands it to the pair; these functions check the state the change needs.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date

from mentorship import ordering

from ..constants import MILESTONES_MAX, TARGET_MAX
from ..models import Milestone, Roadmap
from .evidence import add_evidence, clean_evidence, deleted_on_error
from .templates import clean_fields, clean_order

PAIR_FIELDS = ("title", "description", "owner", "required", "due_date")


def ensure_writable(roadmap):
    """The pair's roadmap changes only while their match is open and its program is not closed
    (`Match.ensure_writable`, the rule rooms follow too)."""
    roadmap.match.ensure_writable("its roadmap is")


def _lock(roadmap):
    """Lock the roadmap's row (inside the caller's transaction): adds, moves and reorders of its
    milestones then run one at a time, so two adds at once can't pass MILESTONES_MAX and two
    reorders can't interleave."""
    Roadmap.objects.select_for_update().filter(pk=roadmap.pk).values_list("pk").first()


def _clean_due(value, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = parse_date(value)
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        errors["due_date"] = "Give the due date as a date (YYYY-MM-DD)."
        return None
    return value


def _clean(data):
    errors = {}
    fields = clean_fields({k: v for k, v in data.items() if k != "due_date"}, errors)
    if "due_date" in data:
        fields["due_date"] = _clean_due(data["due_date"], errors)
    unknown = set(data) - set(PAIR_FIELDS)
    if unknown:
        errors[sorted(unknown)[0]] = "This can't be changed here."
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def add_milestone(*, roadmap, actor, **data):
    """A milestone of the pair's own, at the end of their roadmap."""
    ensure_writable(roadmap)
    data.setdefault("title", "")
    fields = _clean(data)
    _lock(roadmap)  # before counting: the cap holds against a concurrent add
    rows = Milestone.objects.filter(roadmap=roadmap)
    if rows.count() >= MILESTONES_MAX:
        raise ValidationError(f"A roadmap holds at most {MILESTONES_MAX} milestones.")
    return Milestone.objects.create(
        organization_id=roadmap.organization_id,
        roadmap=roadmap,
        position=ordering.next_position(rows),
        **{"required": False, **fields},
    )


@transaction.atomic
def edit_milestone(*, milestone, actor, **data):
    ensure_writable(milestone.roadmap)
    fields = _clean(data)
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.save(update_fields=list(fields) or None)
    return milestone


@transaction.atomic
def reorder_milestones(*, roadmap, order, actor):
    """Put the roadmap's milestones in ``order`` (their pks, each once)."""
    ensure_writable(roadmap)
    _lock(roadmap)
    milestones = list(Milestone.objects.filter(roadmap=roadmap))
    ordering.renumber(Milestone, milestones, clean_order(order, milestones))


@transaction.atomic
def move_milestone(*, milestone, direction, actor):
    ensure_writable(milestone.roadmap)
    _lock(milestone.roadmap)  # the order read here is the one reordered below
    pks = list(Milestone.objects.filter(roadmap=milestone.roadmap).values_list("pk", flat=True))
    order = ordering.moved(
        pks, milestone.pk, direction=direction, direction_error="Move a milestone up or down."
    )
    # Through reorder_milestones even at either end, as before: a read-only roadmap refuses.
    reorder_milestones(roadmap=milestone.roadmap, order=order or pks, actor=actor)


def _locked(milestone):
    ensure_writable(milestone.roadmap)
    return Milestone.objects.select_for_update().get(pk=milestone.pk)


def _keep(milestone, locked):
    for field in (f.attname for f in Milestone._meta.concrete_fields):
        setattr(milestone, field, getattr(locked, field))
    return milestone


@transaction.atomic
def start_milestone(*, milestone, actor):
    locked = _locked(milestone)
    if locked.status != Milestone.Status.NOT_STARTED:
        raise ValidationError(f"This milestone is {locked.get_status_display().lower()} already.")
    locked.status = Milestone.Status.IN_PROGRESS
    locked.started_at = timezone.now()
    locked.save(update_fields=["status", "started_at"])
    return _keep(milestone, locked)


@transaction.atomic
def skip_milestone(*, milestone, actor):
    locked = _locked(milestone)
    if locked.status not in Milestone.OPEN:
        raise ValidationError(f"This milestone is {locked.get_status_display().lower()}.")
    locked.status = Milestone.Status.SKIPPED
    locked.save(update_fields=["status"])
    return _keep(milestone, locked)


@transaction.atomic
def reopen_milestone(*, milestone, actor):
    """Undo a skip or a completion (its evidence stays; a confirmation is withdrawn)."""
    locked = _locked(milestone)
    if locked.status not in Milestone.CLOSED:
        raise ValidationError("This milestone is open already.")
    locked.status = (
        Milestone.Status.IN_PROGRESS if locked.started_at else Milestone.Status.NOT_STARTED
    )
    locked.completed_at = locked.completed_by = None
    locked.confirmed_at = locked.confirmed_by = None
    locked.save(
        update_fields=["status", "completed_at", "completed_by", "confirmed_at", "confirmed_by"]
    )
    return _keep(milestone, locked)


@transaction.atomic
def complete_milestone(*, milestone, actor, note="", url="", file=None):
    """Done, with evidence: a note, a link or a file given now (or evidence added before)."""
    locked = _locked(milestone)
    if locked.status not in Milestone.OPEN:
        raise ValidationError(f"This milestone is {locked.get_status_display().lower()}.")
    given = bool((note or "").strip() or (url or "").strip() or file)
    # A file stored for this completion goes again if the rest of it fails.
    with deleted_on_error() as stored:
        if given:
            add_evidence(
                milestone=locked, actor=actor, note=note, url=url, file=file, stored=stored
            )
        elif not locked.evidence.exists():
            clean_evidence()  # raises: "Show what you did: …"
        now = timezone.now()
        locked.status = Milestone.Status.DONE
        locked.started_at = locked.started_at or now
        locked.completed_at, locked.completed_by = now, actor
        if locked.target and not locked.count:
            locked.count = locked.target  # done without counting along: the target was reached
        locked.save(update_fields=["status", "started_at", "completed_at", "completed_by", "count"])
    return _keep(milestone, locked)


@transaction.atomic
def confirm_milestone(*, milestone, actor):
    """The other party confirms a done milestone (either of the pair, when the platform
    completed it)."""
    locked = _locked(milestone)
    if locked.status != Milestone.Status.DONE:
        raise ValidationError("Only a done milestone can be confirmed.")
    if locked.confirmed_at is not None:
        raise ValidationError("This milestone is confirmed already.")
    if locked.completed_by_id is not None and locked.completed_by_id == actor.pk:
        raise ValidationError("You marked it done: the other person confirms it.")
    locked.confirmed_at, locked.confirmed_by = timezone.now(), actor
    locked.save(update_fields=["confirmed_at", "confirmed_by"])
    return _keep(milestone, locked)


@transaction.atomic
def set_count(*, milestone, actor, count):
    """How many of a counted milestone's target the pair has done ("3 of 5")."""
    locked = _locked(milestone)
    if not locked.target:
        raise ValidationError({"count": "This milestone has no target to count towards."})
    try:
        count = int(count)
    except (TypeError, ValueError):
        raise ValidationError({"count": "Give the count as a whole number."}) from None
    if not 0 <= count <= TARGET_MAX:
        raise ValidationError({"count": f"Give a count between 0 and {TARGET_MAX}."})
    locked.count = count
    fields = ["count"]
    if locked.status == Milestone.Status.NOT_STARTED and count:
        locked.status, locked.started_at = Milestone.Status.IN_PROGRESS, timezone.now()
        fields += ["status", "started_at"]
    locked.save(update_fields=fields)
    return _keep(milestone, locked)
