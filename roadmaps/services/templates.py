"""A program's roadmap template: made with the program (from its program template's roadmap
section, else a generic one), then edited by admins.

Editing the template of a running program asks where the change goes (``apply_to``): "new" —
only pairs that start from now on — or "live" — also the not-yet-started copies in the open
roadmaps of live pairs (their started, done or skipped milestones are never touched).
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Max

from matching.models import Match
from mentorship import audit, ordering
from programs.models import LogicModelItem
from programs.services import ensure_editable

from ..constants import (
    AUTO_EVENTS,
    DESCRIPTION_MAX,
    MILESTONES_MAX,
    OFFSET_MAX_DAYS,
    RESOURCES_MAX,
    TARGET_MAX,
    TITLE_MAX,
    URL_MAX,
)
from ..models import Milestone, OffsetUnit, Owner, Roadmap, RoadmapTemplate, TemplateMilestone
from ..queries import zone_of

APPLY_NEW = "new"
APPLY_LIVE = "live"
APPLY_CHOICES = [
    (APPLY_NEW, "Only pairs who start from now on"),
    (APPLY_LIVE, "Also the milestones live pairs haven't started yet"),
]
SECTION_KEYS = {"milestones"}
MILESTONE_KEYS = {
    "id",
    "title",
    "description",
    "owner",
    "required",
    "offset",
    "unit",
    "after",
    "resources",
    "output",
    "target",
    "auto_event",
}
EDITABLE = (
    "title",
    "description",
    "owner",
    "required",
    "offset",
    "offset_unit",
    "after",
    "resources",
    "output",
    "target",
    "auto_event",
)
# What a live pair's not-started copy takes over from its template milestone.
COPIED = (
    "title",
    "description",
    "owner",
    "required",
    "resources",
    "output",
    "target",
    "auto_event",
)


# --- Cleaning (shared by admins' edits and the shipped files) ------------------------------------


def clean_resources(resources, errors):
    """[{"title", "url"}] with http(s) links; a list of lines "Title | https://…" also reads."""
    if resources in (None, ""):
        return []
    if isinstance(resources, str):
        rows = []
        for line in resources.splitlines():
            line = line.strip()
            if not line:
                continue
            title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
            rows.append({"title": title.strip(), "url": url.strip()})
        resources = rows
    if not isinstance(resources, list | tuple) or not all(isinstance(r, dict) for r in resources):
        errors["resources"] = "Give resources as a list of links, each with a title and a URL."
        return []
    if len(resources) > RESOURCES_MAX:
        errors["resources"] = f"Keep to {RESOURCES_MAX} resources or fewer."
        return []
    cleaned = []
    check = URLValidator(schemes=["http", "https"])
    for resource in resources:
        url = str(resource.get("url", "")).strip()
        title = str(resource.get("title", "")).strip()[:TITLE_MAX] or url
        try:
            if len(url) > URL_MAX:
                raise ValidationError("too long")
            check(url)
        except ValidationError:
            errors["resources"] = f"“{url[:80]}” is not a web address (https://…)."
            return []
        cleaned.append({"title": title, "url": url})
    return cleaned


def clean_fields(data, errors):
    """The plain fields of a template milestone (or a pair's milestone): title, description,
    owner, required, offset and unit, resources, target, auto_event. Problems go in ``errors``
    by field."""
    out = {}
    if "title" in data:
        title = str(data.get("title") or "").strip()
        if not title:
            errors["title"] = "Give the milestone a title."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"Keep the title to {TITLE_MAX} characters or fewer."
        out["title"] = title
    if "description" in data:
        description = str(data.get("description") or "").strip()
        if len(description) > DESCRIPTION_MAX:
            errors["description"] = (
                f"Keep the description to {DESCRIPTION_MAX} characters or fewer."
            )
        out["description"] = description
    if "owner" in data:
        owner = data.get("owner") or Owner.BOTH
        if owner not in Owner.values:
            errors["owner"] = "Choose who owns it: the mentee, the mentor or both."
        out["owner"] = owner
    if "required" in data:
        out["required"] = bool(data.get("required"))
    unit = data.get("offset_unit", data.get("unit"))
    if unit is not None:
        if unit not in OffsetUnit.values:
            errors["offset_unit"] = "Count the offset in days or weeks."
        out["offset_unit"] = unit
    if "offset" in data:
        offset = data.get("offset")
        try:
            offset = int(offset if offset not in (None, "") else 0)
        except (TypeError, ValueError):
            errors["offset"] = "Give the offset as a whole number."
            offset = 0
        days = offset * (7 if out.get("offset_unit", OffsetUnit.WEEKS) == OffsetUnit.WEEKS else 1)
        if offset < 0:
            errors["offset"] = "The offset can't be negative."
        elif days > OFFSET_MAX_DAYS:
            errors["offset"] = "Keep a milestone within three years of its start."
        out["offset"] = offset
    if "resources" in data:
        out["resources"] = clean_resources(data.get("resources"), errors)
    if "target" in data:
        target = data.get("target")
        if target in (None, "", 0, "0"):
            target = None
        else:
            try:
                target = int(target)
            except (TypeError, ValueError):
                errors["target"] = "Give the target as a whole number."
                target = None
            if target is not None and not 1 <= target <= TARGET_MAX:
                errors["target"] = f"Give a target between 1 and {TARGET_MAX}."
        out["target"] = target
    if "auto_event" in data:
        event = data.get("auto_event") or ""
        if event and event not in AUTO_EVENTS:
            errors["auto_event"] = "Choose one of the events the platform records, or none."
        out["auto_event"] = event
    return out


def clean_section(section):
    """A program template's roadmap section: {"milestones": [{id, title, description, owner,
    required, offset, unit, after, resources, output, target, auto_event}]}, checked as an
    admin's save is; ``after`` names an earlier milestone's ``id``, ``output`` an output of the
    template's logic model by its title. Raises ValidationError."""
    if not isinstance(section, dict):
        raise ValidationError("Give a template's roadmap as a mapping.")
    problems = []
    unknown = sorted(set(section) - SECTION_KEYS)
    if unknown:
        problems.append(f"Unknown roadmap keys: {', '.join(unknown)}.")
    milestones = section.get("milestones")
    if not isinstance(milestones, list) or not milestones:
        raise ValidationError([*problems, "Give the roadmap's milestones as a non-empty list."])
    if len(milestones) > MILESTONES_MAX:
        problems.append(f"Keep to {MILESTONES_MAX} milestones or fewer.")
    seen = set()
    for n, entry in enumerate(milestones, 1):
        if not isinstance(entry, dict):
            problems.append(f"Milestone {n}: give it as a mapping.")
            continue
        extra = sorted(set(entry) - MILESTONE_KEYS)
        if extra:
            problems.append(f"Milestone {n}: unknown keys {', '.join(extra)}.")
        errors = {}
        clean_fields({"title": entry.get("title"), **entry}, errors)
        if entry.get("target") and not entry.get("output"):
            errors["target"] = "A target counts towards an output: name the output."
        if "after" in entry and entry["after"] not in seen:
            errors["after"] = f"“{entry['after']}” is not an earlier milestone's id."
        if "output" in entry and not isinstance(entry["output"], str):
            errors["output"] = "Name the output by its title."
        problems += [f"Milestone {n}: {field}: {message}" for field, message in errors.items()]
        if "id" in entry:
            if entry["id"] in seen:
                problems.append(f"Milestone {n}: the id “{entry['id']}” is used twice.")
            seen.add(entry["id"])
    if problems:
        raise ValidationError(problems)


# --- Reading ------------------------------------------------------------------------------------


def offsets(milestones) -> dict[int, int]:
    """Template milestone pk → days from the match's start it is due, following ``after``."""
    by_pk = {m.pk: m for m in milestones}
    days = {}

    def resolve(m, trail=()):
        if m.pk in days:
            return days[m.pk]
        base = 0
        if m.after_id in by_pk and m.after_id not in trail:
            base = resolve(by_pk[m.after_id], (*trail, m.pk))
        days[m.pk] = base + m.offset_days
        return days[m.pk]

    for m in milestones:
        resolve(m)
    return days


def start_date(match, zone=None) -> date:
    """The day a match started, in its program's time zone (due dates count from it)."""
    zone = zone or zone_of(match.program)
    created = match.created_at or datetime.now(tz=zone)
    return created.astimezone(zone).date()


def template_milestones(template):
    return list(TemplateMilestone.objects.filter(template=template).select_related("output"))


def live_roadmaps(program):
    """The roadmaps of the program's live (active or paused) pairs."""
    return Roadmap.objects.filter(
        organization=program.organization, program=program, match__status__in=Match.OPEN
    )


def has_live_pairs(program) -> bool:
    return live_roadmaps(program).exists()


# --- Creating -----------------------------------------------------------------------------------


def set_up_program(*, program, template_key, actor):
    """`programs.hooks.program_created`: the program's roadmap template, from its program
    template's roadmap section (else the generic one)."""
    ensure_template(program)


@transaction.atomic
def ensure_template(program):
    """The program's roadmap template, created the first time from its program template's
    section (else the generic roadmap)."""
    template = RoadmapTemplate.objects.filter(program=program).first()
    if template is not None:
        return template
    from ..defaults import template_section

    template, created = RoadmapTemplate.objects.get_or_create(
        program=program, defaults={"organization": program.organization}
    )
    if created:
        _fill(template, template_section(program.template_key))
    return template


def _fill(template, section):
    program = template.program
    outputs = {
        item.title: item
        for item in LogicModelItem.objects.filter(program=program, kind=LogicModelItem.Kind.OUTPUT)
    }
    rows, ids = [], []
    for n, entry in enumerate(section["milestones"]):
        errors = {}
        fields = clean_fields({"title": entry["title"], **entry}, errors)
        fields.pop("after", None)
        output = outputs.get(entry.get("output") or "")
        rows.append(
            TemplateMilestone(
                organization=program.organization,
                template=template,
                position=n,
                **{k: v for k, v in fields.items() if k not in ("output", "target")},
                output=output,
                # A count needs an output to count towards: without the program's output
                # (renamed, or a blank program) the milestone is a plain one.
                target=fields.get("target") if output else None,
            )
        )
        ids.append(entry.get("id"))
    TemplateMilestone.objects.bulk_create(rows)
    by_id = {key: row for key, row in zip(ids, rows, strict=True) if key}
    followers = []
    for entry, row in zip(section["milestones"], rows, strict=True):
        if entry.get("after") in by_id:
            row.after = by_id[entry["after"]]
            followers.append(row)
    if followers:
        TemplateMilestone.objects.bulk_update(followers, ["after"])


# --- Editing ------------------------------------------------------------------------------------


def _clean_links(data, template, errors, instance=None):
    out = {}
    if "after" in data:
        after = data.get("after")
        if after in ("", None):
            out["after"] = None
        else:
            after_pk = getattr(after, "pk", after)
            found = TemplateMilestone.objects.filter(template=template, pk=after_pk).first()
            if found is None:
                errors["after"] = "Choose a milestone of this roadmap."
            elif instance is not None and _follows(found, instance):
                errors["after"] = "A milestone can't wait for itself or for one that waits for it."
            out["after"] = found
    if "output" in data:
        output = data.get("output")
        if output in ("", None):
            out["output"] = None
        else:
            output_pk = getattr(output, "pk", output)
            found = LogicModelItem.objects.filter(
                program=template.program, kind=LogicModelItem.Kind.OUTPUT, pk=output_pk
            ).first()
            if found is None:
                errors["output"] = "Choose an output of this program's logic model."
            out["output"] = found
    return out


def _follows(candidate, milestone):
    """Whether ``candidate`` is ``milestone`` or waits (directly or not) for it."""
    chain = {
        m.pk: m.after_id for m in TemplateMilestone.objects.filter(template=milestone.template)
    }
    pk, seen = candidate.pk, set()
    while pk is not None and pk not in seen:
        if pk == milestone.pk:
            return True
        seen.add(pk)
        pk = chain.get(pk)
    return False


def _clean(data, template, instance=None):
    errors = {}
    fields = clean_fields(data, errors)
    fields |= _clean_links(data, template, errors, instance)
    target = fields.get("target", getattr(instance, "target", None))
    output = fields.get("output", getattr(instance, "output", None))
    if target and output is None:
        errors["target"] = "A target counts towards an output: choose the output."
    if errors:
        raise ValidationError(errors)
    return fields


def _clean_apply(apply_to):
    if apply_to not in (APPLY_NEW, APPLY_LIVE):
        raise ValidationError({"apply_to": "Choose whether live pairs get this change too."})
    return apply_to


def _audit(template, actor, action, milestone, **data):
    audit.record(
        organization=template.organization,
        actor=actor,
        action=f"roadmap_template.{action}",
        target=template.program,
        data={"title": milestone.title, **data},
    )


@transaction.atomic
def add_milestone(*, template, actor, apply_to=APPLY_NEW, **data):
    """Add a milestone at the end of the template; with ``apply_to="live"`` also to each live
    pair's roadmap (due from their match's start)."""
    ensure_editable(template.program)
    _clean_apply(apply_to)
    data.setdefault("title", "")
    fields = _clean(data, template)
    if TemplateMilestone.objects.filter(template=template).count() >= MILESTONES_MAX:
        raise ValidationError(f"A roadmap holds at most {MILESTONES_MAX} milestones.")
    milestone = TemplateMilestone.objects.create(
        organization=template.organization,
        template=template,
        position=ordering.next_position(TemplateMilestone.objects.filter(template=template)),
        **fields,
    )
    applied = 0
    if apply_to == APPLY_LIVE:
        applied = _add_to_live(template, milestone)
    _audit(template, actor, "milestone_added", milestone, applied=applied, apply_to=apply_to)
    return milestone


def _add_to_live(template, milestone):
    days = offsets(template_milestones(template))[milestone.pk]
    roadmaps = list(live_roadmaps(template.program).select_related("match"))
    zone = zone_of(template.program)
    if not roadmaps:
        return 0
    ends = dict(
        Milestone.objects.filter(roadmap__in=roadmaps)
        .values_list("roadmap")
        .annotate(n=Max("position"))
        .order_by()
    )
    Milestone.objects.bulk_create(
        copy_of(
            milestone,
            roadmap=roadmap,
            due=start_date(roadmap.match, zone) + timedelta(days=days),
            position=ends.get(roadmap.pk, -1) + 1,
        )
        for roadmap in roadmaps
    )
    return len(roadmaps)


def copy_of(milestone, *, roadmap, due, position):
    """A pair's copy of a template milestone (unsaved)."""
    return Milestone(
        organization_id=roadmap.organization_id,
        roadmap=roadmap,
        template_milestone=milestone,
        position=position,
        due_date=due,
        **{name: getattr(milestone, name) for name in COPIED},
    )


def _live_not_started(template):
    return Milestone.objects.filter(
        organization=template.organization,
        template_milestone__template=template,
        roadmap__match__status__in=Match.OPEN,
        status=Milestone.Status.NOT_STARTED,
    )


@transaction.atomic
def update_milestone(*, milestone, actor, apply_to=APPLY_NEW, **data):
    """Change a template milestone; with ``apply_to="live"`` also its not-started copies in
    live pairs' roadmaps (their due dates move by as much as the template's)."""
    template = milestone.template
    ensure_editable(template.program)
    _clean_apply(apply_to)
    fields = _clean(data, template, milestone)
    before = offsets(template_milestones(template))
    for name, value in fields.items():
        setattr(milestone, name, value)
    milestone.save()
    applied = 0
    if apply_to == APPLY_LIVE:
        copies = _live_not_started(template)
        applied = copies.filter(template_milestone=milestone).update(
            **{name: getattr(milestone, name) for name in COPIED}
        )
        _shift_copies(template, before)
    _audit(
        template,
        actor,
        "milestone_changed",
        milestone,
        applied=applied,
        apply_to=apply_to,
        fields=sorted(fields),
    )
    return milestone


def _shift_copies(template, before):
    """Move the not-started live copies of each template milestone whose due offset changed
    (it, or one it waits for, moved) by the change: one update per distinct shift."""
    after = offsets(template_milestones(template))
    by_shift = {}
    for pk, days in after.items():
        if pk in before and days != before[pk]:
            by_shift.setdefault(days - before[pk], []).append(pk)
    for shift, pks in by_shift.items():
        _live_not_started(template).filter(
            template_milestone__in=pks, due_date__isnull=False
        ).update(due_date=F("due_date") + timedelta(days=shift))


@transaction.atomic
def delete_milestone(*, milestone, actor, apply_to=APPLY_NEW):
    """Remove a template milestone; with ``apply_to="live"`` also its not-started copies in
    live pairs' roadmaps (started, done and skipped ones stay, as the pair's own)."""
    template = milestone.template
    ensure_editable(template.program)
    _clean_apply(apply_to)
    removed = 0
    if apply_to == APPLY_LIVE:
        removed, _ = _live_not_started(template).filter(template_milestone=milestone).delete()
    before = offsets(template_milestones(template))
    title = milestone.title
    milestone.delete()
    if apply_to == APPLY_LIVE:
        _shift_copies(template, before)
    milestone.title = title
    _audit(template, actor, "milestone_deleted", milestone, applied=removed, apply_to=apply_to)


def clean_order(order, rows) -> list[int]:
    """``order`` as pks, refused unless it names each of ``rows`` (a roadmap's milestones, or a
    template's) exactly once."""
    try:
        order = [int(pk) for pk in order]
    except (TypeError, ValueError):
        raise ValidationError({"order": "Give the milestones' ids."}) from None
    if sorted(order) != sorted(row.pk for row in rows):
        raise ValidationError({"order": "Give each milestone of this roadmap once."})
    return order


@transaction.atomic
def reorder_milestones(*, template, order, actor):
    """Put the template's milestones in ``order`` (their pks, each once)."""
    ensure_editable(template.program)
    milestones = list(TemplateMilestone.objects.filter(template=template))
    order = clean_order(order, milestones)
    ordering.renumber(TemplateMilestone, milestones, order)
    audit.record(
        organization=template.organization,
        actor=actor,
        action="roadmap_template.reordered",
        target=template.program,
        data={"count": len(order)},
    )


def move_milestone(*, milestone, direction, actor):
    """One step up or down (``direction``: "up" or "down")."""
    template = milestone.template
    pks = list(TemplateMilestone.objects.filter(template=template).values_list("pk", flat=True))
    order = ordering.moved(
        pks, milestone.pk, direction=direction, direction_error="Move a milestone up or down."
    )
    # Reordered (and audited) even at either end, as before: the editability check runs too.
    reorder_milestones(template=template, order=order or pks, actor=actor)
