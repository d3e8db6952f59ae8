"""Writes and checks of the logic model: items (outcomes, outputs, activities, inputs), the links
between them, indicators, JSON export/import and what is missing before activation.

Every write is keyword-only, atomic, audited, and refused on a closed program. Invalid input
raises Django's ValidationError and writes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorship import audit, ordering

from .models import Indicator, LogicModelItem, LogicModelLink
from .services import ensure_editable

Kind = LogicModelItem.Kind
Measure = Indicator.Measure
Direction = Indicator.Direction

# The designer's order (outcomes first: plan backwards from the change you want) …
DESIGN_ORDER = [Kind.OUTCOME, Kind.OUTPUT, Kind.ACTIVITY, Kind.INPUT]
# … and the diagram's (read forwards: what goes in, what is done, what comes out, what changes).
FLOW_ORDER = [Kind.INPUT, Kind.ACTIVITY, Kind.OUTPUT, Kind.OUTCOME]

EXPORT_FORMAT = "mentorship.logic-model"
EXPORT_VERSION = 1
MAX_ITEMS = 300
MAX_INDICATORS = 150
TITLE_MAX = LogicModelItem._meta.get_field("title").max_length
QUESTION_MAX = Indicator._meta.get_field("survey_question").max_length
DESCRIPTION_MAX = 5000

_PERCENT = (Decimal(0), Decimal(100))
# Sensible ranges per measure, so a target of 800 % or a satisfaction of 9/5 is refused.
TARGET_RANGES = {
    Measure.MEETING_FREQUENCY: (Decimal(0), Decimal(31)),
    Measure.ENGAGEMENT_RATE: _PERCENT,
    Measure.MILESTONE_COMPLETION: _PERCENT,
    Measure.GOAL_ACHIEVEMENT: _PERCENT,
    Measure.SATISFACTION: (Decimal(1), Decimal(5)),
    Measure.CONFIDENCE_CHANGE: (Decimal(-100), Decimal(100)),
    Measure.REVIEW_COMPLETION: _PERCENT,
    Measure.RETENTION: _PERCENT,
    Measure.SURVEY_QUESTION: (Decimal(-9999999), Decimal(9999999)),
}


# --- Reading the whole model at once -------------------------------------------------------------


@dataclass
class LogicModel:
    """A program's items, links and indicators, read in three queries."""

    items: list = field(default_factory=list)
    links: list = field(default_factory=list)  # (source_id, target_id)
    indicators: list = field(default_factory=list)

    def __post_init__(self):
        self.by_id = {i.pk: i for i in self.items}
        self.targets = {i.pk: [] for i in self.items}
        self.sources = {i.pk: [] for i in self.items}
        for source, target in self.links:
            if source in self.by_id and target in self.by_id:
                self.targets[source].append(target)
                self.sources[target].append(source)
        self.indicators_of = {i.pk: [] for i in self.items}
        for indicator in self.indicators:
            if indicator.outcome_id in self.indicators_of:
                self.indicators_of[indicator.outcome_id].append(indicator)

    def of_kind(self, kind):
        return [i for i in self.items if i.kind == kind]


def load(program) -> LogicModel:
    items = list(LogicModelItem.objects.filter(program=program).order_by("kind", "position", "pk"))
    links = list(LogicModelLink.objects.filter(program=program).values_list("source", "target"))
    indicators = list(Indicator.objects.filter(program=program).order_by("position", "pk"))
    return LogicModel(items=items, links=links, indicators=indicators)


def missing_for_activation(program, model: LogicModel | None = None) -> list[str]:
    """Plain sentences naming what the logic model still lacks before the program goes active."""
    model = model or load(program)
    missing = []
    outcomes = model.of_kind(Kind.OUTCOME)
    if not outcomes:
        missing.append("Add at least one outcome: the change the program should make.")
    for outcome in outcomes:
        if not model.indicators_of[outcome.pk]:
            missing.append(f"Give the outcome “{outcome.title}” at least one indicator.")
    for indicator in model.indicators:
        if indicator.outcome_id is None:
            missing.append(f"Say which outcome the indicator “{indicator.title}” measures.")
        if indicator.target is None:
            missing.append(f"Set a target for the indicator “{indicator.title}”.")
        if indicator.measure == Measure.SURVEY_QUESTION and not indicator.survey_question:
            missing.append(f"Write the survey question of the indicator “{indicator.title}”.")
    for output in model.of_kind(Kind.OUTPUT):
        if not model.targets[output.pk]:
            missing.append(f"Link the output “{output.title}” to the outcome it serves.")
    for activity in model.of_kind(Kind.ACTIVITY):
        if not model.targets[activity.pk]:
            missing.append(f"Link the activity “{activity.title}” to the output it produces.")
    return missing


# --- Validation helpers --------------------------------------------------------------------------


def _clean_kind(kind):
    if kind not in Kind.values:
        raise ValidationError({"kind": f"Choose a kind: {', '.join(Kind.values)}."})
    return Kind(kind)


def _clean_title(title, field_name="title"):
    title = (title or "").strip() if isinstance(title, str) else None
    if not title:
        raise ValidationError({field_name: "Give it a title."})
    if len(title) > TITLE_MAX:
        raise ValidationError({field_name: f"Keep the title under {TITLE_MAX} characters."})
    return title


def _clean_description(description):
    if description is None:
        return ""
    if not isinstance(description, str):
        raise ValidationError({"description": "The description must be text."})
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {"description": f"Keep the description under {DESCRIPTION_MAX} characters."}
        )
    return description


def _clean_target(target, measure):
    if target is None or target == "":
        return None
    if isinstance(target, bool):
        raise ValidationError({"target": "The target must be a number."})
    try:
        value = Decimal(str(target).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"target": "The target must be a number."}) from None
    if not value.is_finite():
        raise ValidationError({"target": "The target must be a number."})
    # The range first: quantizing a huge exponent (1e999999) would overflow.
    low, high = TARGET_RANGES[measure]
    if not low <= value <= high:
        label = Measure(measure).label
        raise ValidationError({"target": f"For “{label}” the target is between {low} and {high}."})
    return value.quantize(Decimal("0.01"))


def _clean_indicator_fields(
    *, program, title, measure, target, direction, survey_question, description, outcome
):
    if measure not in Measure.values:
        raise ValidationError({"measure": "Choose what the indicator measures from the list."})
    measure = Measure(measure)
    if direction not in Direction.values:
        raise ValidationError({"direction": "Choose “at least” or “at most”."})
    survey_question = (survey_question or "").strip()
    if measure == Measure.SURVEY_QUESTION and not survey_question:
        raise ValidationError({"survey_question": "Write the survey question this measures."})
    if measure != Measure.SURVEY_QUESTION:
        survey_question = ""
    if len(survey_question) > QUESTION_MAX:
        raise ValidationError(
            {"survey_question": f"Keep the question under {QUESTION_MAX} characters."}
        )
    if outcome is not None and (outcome.program_id != program.pk or outcome.kind != Kind.OUTCOME):
        raise ValidationError({"outcome": "Choose an outcome of this program."})
    return {
        "title": _clean_title(title),
        "description": _clean_description(description),
        "measure": measure,
        "target": _clean_target(target, measure),
        "direction": Direction(direction),
        "survey_question": survey_question,
        "outcome": outcome,
    }


def _record(program, actor, action, target=None, data=None):
    audit.record(
        organization=program.organization, actor=actor, action=action, target=target, data=data
    )


def _move(obj, siblings, action, *, direction, position, actor):
    """Move an item or indicator among ``siblings`` (a queryset, locked here); audited when it
    moved, unchanged (no audit entry) when it was at that end already."""
    program = obj.program
    ensure_editable(program)
    rows = list(siblings.select_for_update().order_by("position", "pk"))
    order = ordering.moved([r.pk for r in rows], obj.pk, direction=direction, position=position)
    if order is None:
        return obj
    ordering.renumber(type(obj), rows, order)
    obj.position = order.index(obj.pk)
    _record(program, actor, action, obj, {"position": obj.position})
    return obj


# --- Items ---------------------------------------------------------------------------------------


@transaction.atomic
def add_item(*, program, kind, title, description="", actor):
    ensure_editable(program)
    kind = _clean_kind(kind)
    title = _clean_title(title)
    description = _clean_description(description)
    siblings = LogicModelItem.objects.filter(program=program, kind=kind)
    if LogicModelItem.objects.filter(program=program).count() >= MAX_ITEMS:
        raise ValidationError(f"A logic model holds at most {MAX_ITEMS} items.")
    item = LogicModelItem.objects.create(
        organization=program.organization,
        program=program,
        kind=kind,
        title=title,
        description=description,
        position=ordering.next_position(siblings),
    )
    _record(program, actor, "logic_item.created", item, {"kind": kind})
    return item


@transaction.atomic
def update_item(*, item, title, description="", actor):
    ensure_editable(item.program)
    item.title = _clean_title(title)
    item.description = _clean_description(description)
    item.save(update_fields=["title", "description"])
    _record(item.program, actor, "logic_item.updated", item)
    return item


@transaction.atomic
def delete_item(*, item, actor):
    program = item.program
    ensure_editable(program)
    _record(program, actor, "logic_item.deleted", item, {"kind": item.kind, "title": item.title})
    item.delete()


@transaction.atomic
def move_item(*, item, direction=None, position=None, actor):
    siblings = LogicModelItem.objects.filter(program=item.program_id, kind=item.kind)
    return _move(
        item, siblings, "logic_item.moved", direction=direction, position=position, actor=actor
    )


@transaction.atomic
def set_links(*, item, target_ids, actor):
    """Replace what ``item`` links to: outputs → outcomes, activities → outputs,
    inputs → activities. Every target must be of the next kind and of the same program."""
    program = item.program
    ensure_editable(program)
    try:
        wanted = {int(t) for t in target_ids}
    except (TypeError, ValueError):
        raise ValidationError({"links": "Links are item ids."}) from None
    target_kind = LogicModelItem.LINKS_TO.get(item.kind)
    if target_kind is None:
        if wanted:
            raise ValidationError({"links": "Outcomes are where the model ends; they link on."})
        return []
    found = set(
        LogicModelItem.objects.filter(pk__in=wanted, program=program, kind=target_kind).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        label = Kind(target_kind).label.lower()
        raise ValidationError(
            {
                "links": f"A {item.get_kind_display().lower()} links only to a {label} of "
                "this program."
            }
        )
    current = set(LogicModelLink.objects.filter(source=item).values_list("target", flat=True))
    if current == wanted:
        return sorted(wanted)
    LogicModelLink.objects.filter(source=item).exclude(target__in=wanted).delete()
    LogicModelLink.objects.bulk_create(
        [
            LogicModelLink(
                organization=program.organization, program=program, source=item, target_id=t
            )
            for t in sorted(wanted - current)
        ]
    )
    _record(program, actor, "logic_item.links_set", item, {"targets": sorted(wanted)})
    return sorted(wanted)


# --- Indicators ----------------------------------------------------------------------------------


@transaction.atomic
def add_indicator(
    *,
    program,
    title,
    measure,
    target=None,
    direction=Direction.AT_LEAST,
    survey_question="",
    description="",
    outcome=None,
    actor,
):
    ensure_editable(program)
    fields = _clean_indicator_fields(
        program=program,
        title=title,
        measure=measure,
        target=target,
        direction=direction,
        survey_question=survey_question,
        description=description,
        outcome=outcome,
    )
    if Indicator.objects.filter(program=program).count() >= MAX_INDICATORS:
        raise ValidationError(f"A logic model holds at most {MAX_INDICATORS} indicators.")
    indicator = Indicator.objects.create(
        organization=program.organization,
        program=program,
        position=ordering.next_position(Indicator.objects.filter(program=program)),
        **fields,
    )
    _record(program, actor, "indicator.created", indicator)
    return indicator


@transaction.atomic
def update_indicator(
    *,
    indicator,
    title,
    measure,
    target=None,
    direction=Direction.AT_LEAST,
    survey_question="",
    description="",
    outcome=None,
    actor,
):
    program = indicator.program
    ensure_editable(program)
    fields = _clean_indicator_fields(
        program=program,
        title=title,
        measure=measure,
        target=target,
        direction=direction,
        survey_question=survey_question,
        description=description,
        outcome=outcome,
    )
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    _record(program, actor, "indicator.updated", indicator)
    return indicator


@transaction.atomic
def delete_indicator(*, indicator, actor):
    program = indicator.program
    ensure_editable(program)
    _record(program, actor, "indicator.deleted", indicator, {"title": indicator.title})
    indicator.delete()


@transaction.atomic
def move_indicator(*, indicator, direction=None, position=None, actor):
    siblings = Indicator.objects.filter(program=indicator.program_id)
    return _move(
        indicator, siblings, "indicator.moved", direction=direction, position=position, actor=actor
    )


# --- Export and import ---------------------------------------------------------------------------


def export_logic_model(program) -> dict:
    """The model as versioned JSON. Items get local ids ("outcome-1", …) that are stable for a
    given model and mean nothing outside this document."""
    model = load(program)
    local = {}
    items = []
    for kind in DESIGN_ORDER:
        for n, item in enumerate(model.of_kind(kind), start=1):
            local[item.pk] = f"{kind}-{n}"
            items.append(
                {
                    "id": local[item.pk],
                    "kind": str(kind),
                    "title": item.title,
                    "description": item.description,
                }
            )
    links = [
        {"source": local[source], "target": local[target]}
        for item in model.items
        for source, target in [(item.pk, t) for t in model.targets[item.pk]]
    ]
    links.sort(key=lambda link: (_id_key(link["source"]), _id_key(link["target"])))
    indicators = [
        {
            "title": i.title,
            "description": i.description,
            "measure": i.measure,
            "survey_question": i.survey_question,
            "target": None if i.target is None else str(i.target),
            "direction": i.direction,
            "outcome": local.get(i.outcome_id),
        }
        for i in model.indicators
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "program": program.name,
        "items": items,
        "links": links,
        "indicators": indicators,
    }


def _id_key(local_id):
    kind, _, n = local_id.rpartition("-")
    order = DESIGN_ORDER.index(kind) if kind in DESIGN_ORDER else len(DESIGN_ORDER)
    return (order, int(n) if n.isdigit() else 0, local_id)


def _errors_of(exc):
    if hasattr(exc, "error_dict"):
        return [
            f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
            for k, v in exc.message_dict.items()
        ]
    return exc.messages


def parse_logic_model(data) -> dict:
    """Validate a whole export document; return it cleaned. Raises one ValidationError listing
    every problem found (with where it is), so an import is all or nothing."""
    errors = []
    if not isinstance(data, dict):
        raise ValidationError(
            "The file must hold a JSON object with “items”, “links” and “indicators”."
        )
    if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        errors.append(f"“format” must be “{EXPORT_FORMAT}”.")
    if data.get("version") != EXPORT_VERSION:
        errors.append(
            f"“version” must be {EXPORT_VERSION} (this file says {data.get('version')!r})."
        )
    raw_items, raw_links = data.get("items"), data.get("links", [])
    raw_indicators = data.get("indicators", [])
    for name, value in (("items", raw_items), ("links", raw_links), ("indicators", raw_indicators)):
        if not isinstance(value, list):
            errors.append(f"“{name}” must be a list.")
    if errors:
        raise ValidationError(errors)
    if len(raw_items) > MAX_ITEMS or len(raw_indicators) > MAX_INDICATORS:
        raise ValidationError(f"At most {MAX_ITEMS} items and {MAX_INDICATORS} indicators.")

    items, kinds = [], {}
    for n, raw in enumerate(raw_items, start=1):
        where = f"items[{n}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be an object.")
            continue
        local_id = raw.get("id")
        if not isinstance(local_id, str) or not local_id.strip():
            errors.append(f"{where}: “id” must be a non-empty string.")
            continue
        if local_id in kinds:
            errors.append(f"{where}: the id “{local_id}” is used twice.")
            continue
        try:
            cleaned = {
                "id": local_id,
                "kind": _clean_kind(raw.get("kind")),
                "title": _clean_title(raw.get("title")),
                "description": _clean_description(raw.get("description", "")),
            }
        except ValidationError as exc:
            errors.extend(f"{where}: {e}" for e in _errors_of(exc))
            continue
        kinds[local_id] = cleaned["kind"]
        items.append(cleaned)

    links, seen = [], set()
    for n, raw in enumerate(raw_links, start=1):
        where = f"links[{n}]"
        if not isinstance(raw, dict) or not {"source", "target"} <= set(raw):
            errors.append(f"{where}: must be an object with “source” and “target”.")
            continue
        source, target = raw["source"], raw["target"]
        if not isinstance(source, str) or not isinstance(target, str):
            errors.append(f"{where}: “source” and “target” must be item ids.")
            continue
        if source not in kinds or target not in kinds:
            errors.append(f"{where}: “{source}” → “{target}” names an item that isn't in “items”.")
            continue
        if LogicModelItem.LINKS_TO.get(kinds[source]) != kinds[target]:
            errors.append(f"{where}: a {kinds[source]} can't link to a {kinds[target]}.")
            continue
        if (source, target) not in seen:
            seen.add((source, target))
            links.append((source, target))

    indicators = []
    for n, raw in enumerate(raw_indicators, start=1):
        where = f"indicators[{n}]"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be an object.")
            continue
        outcome = raw.get("outcome")
        if outcome is not None and kinds.get(outcome) != Kind.OUTCOME:
            errors.append(f"{where}: “outcome” must be the id of an outcome in “items”.")
            continue
        try:
            measure = raw.get("measure")
            fields = {
                "title": _clean_title(raw.get("title")),
                "description": _clean_description(raw.get("description", "")),
            }
            if measure not in Measure.values:
                raise ValidationError({"measure": f"unknown measure {measure!r}."})
            direction = raw.get("direction", Direction.AT_LEAST)
            if direction not in Direction.values:
                raise ValidationError({"direction": "must be “at_least” or “at_most”."})
            question = raw.get("survey_question") or ""
            if not isinstance(question, str) or len(question) > QUESTION_MAX:
                raise ValidationError(
                    {"survey_question": f"must be text, at most {QUESTION_MAX} characters."}
                )
            if measure == Measure.SURVEY_QUESTION and not question.strip():
                raise ValidationError({"survey_question": "is needed for a survey question."})
            fields.update(
                measure=Measure(measure),
                direction=Direction(direction),
                survey_question=question.strip() if measure == Measure.SURVEY_QUESTION else "",
                target=_clean_target(raw.get("target"), measure),
                outcome=outcome,
            )
        except ValidationError as exc:
            errors.extend(f"{where}: {e}" for e in _errors_of(exc))
            continue
        indicators.append(fields)
    if errors:
        raise ValidationError(errors)
    return {"items": items, "links": links, "indicators": indicators}


def _write_model(program, parsed, *, replace):
    if replace:
        Indicator.objects.filter(program=program).delete()
        LogicModelItem.objects.filter(program=program).delete()  # links cascade
    offsets = {}
    for kind in Kind.values:
        offsets[kind] = ordering.next_position(
            LogicModelItem.objects.filter(program=program, kind=kind)
        )
    objects = []
    for cleaned in parsed["items"]:
        kind = cleaned["kind"]
        objects.append(
            LogicModelItem(
                organization=program.organization,
                program=program,
                kind=kind,
                title=cleaned["title"],
                description=cleaned["description"],
                position=offsets[kind],
            )
        )
        offsets[kind] += 1
    LogicModelItem.objects.bulk_create(objects)
    pk_of = {c["id"]: obj.pk for c, obj in zip(parsed["items"], objects, strict=True)}
    LogicModelLink.objects.bulk_create(
        [
            LogicModelLink(
                organization=program.organization,
                program=program,
                source_id=pk_of[s],
                target_id=pk_of[t],
            )
            for s, t in parsed["links"]
        ]
    )
    start = ordering.next_position(Indicator.objects.filter(program=program))
    Indicator.objects.bulk_create(
        [
            Indicator(
                organization=program.organization,
                program=program,
                position=start + n,
                **{k: v for k, v in fields.items() if k != "outcome"},
                outcome_id=pk_of[fields["outcome"]] if fields["outcome"] else None,
            )
            for n, fields in enumerate(parsed["indicators"])
        ]
    )
    return {
        "items": len(objects),
        "links": len(parsed["links"]),
        "indicators": len(parsed["indicators"]),
    }


@transaction.atomic
def import_logic_model(*, program, data, actor, replace=True, audit_it=True):
    """Replace (or extend) the program's logic model with an exported one. Everything is
    validated before anything is written."""
    ensure_editable(program)
    parsed = parse_logic_model(data)
    if not replace:
        existing = LogicModelItem.objects.filter(program=program).count()
        if existing + len(parsed["items"]) > MAX_ITEMS:
            raise ValidationError(f"A logic model holds at most {MAX_ITEMS} items.")
    counts = _write_model(program, parsed, replace=replace)
    if audit_it:
        _record(program, actor, "logic_model.imported", program, {**counts, "replace": replace})
    return counts
