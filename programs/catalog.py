"""Ready-made program templates: cadences, a full logic model with indicators and targets,
foundation text and an agreement. Creating a program from a template copies them; from then on
the program is the admin's to edit.

Each template is a JSON file in ``templates_data/``, named by its key (``career-transition.json``),
checked when first loaded by the checks an admin's input goes through: its logic model by a JSON
import's (``logic_model.parse_logic_model``), its cadences by the program's field validators, its
agreement by a saved agreement's. So a template can't hold what an admin couldn't enter, and a
broken file stops the load with an error naming the file and each problem.

The apps above own their sections of a template (matching: the profile questions, weights and
rules, in ``matching/templates_data/``). They add them through the ``template_sections`` hook,
so ``TEMPLATES[key]`` reads as the whole template.
"""

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError

from . import hooks, logic_model, services
from .models import Program

DATA_DIR = Path(__file__).parent / "templates_data"

# What a template file holds: every key, each of its type ("position" orders the picker).
FIELDS = {
    "position": int,
    "name": str,
    "summary": str,
    "cadences": dict,
    "outcomes": list,
    "outputs": list,
    "activities": list,
    "inputs": list,
    "indicators": list,
    "foundation": dict,
    "agreement": str,
}
FOUNDATION_FIELDS = {"values": str, "goals": str, "rules_of_engagement": list}
# The program fields a template presets.
CADENCES = {
    "checkin_every_weeks",
    "review_every_weeks",
    "meeting_minutes",
    "matching_mode",
    "default_mentor_capacity",
}
# The logic model's sections in the file: the kind of their items, and the section their links
# point into (an output lists the outcomes it serves, and so on).
SECTIONS = {
    "outcomes": ("outcome", None),
    "outputs": ("output", "outcomes"),
    "activities": ("activity", "outputs"),
    "inputs": ("input", "activities"),
}
INDICATOR_FIELDS = ["title", "measure", "target", "direction", "survey_question", "description"]
TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "an object"}


def __getattr__(name):
    # Loaded on first use rather than on import: the apps above connect their sections' hook in
    # their ready(). The old module constants (CAREER_TRANSITION, …) still name the templates.
    if name == "TEMPLATES":
        return templates()
    key = name.lower().replace("_", "-")
    if name.isupper() and key in templates():
        return templates()[key]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def templates() -> dict[str, dict]:
    """Every template by key, in the picker's order, with the sections the apps above add."""
    loaded = {}
    for path in DATA_DIR.glob("*.json"):
        template = load_data_file(path, check_template)
        for sections in hooks.template_sections.send(key=path.stem):
            if clash := sorted(sections.keys() & template.keys()):
                raise ImproperlyConfigured(f"{path}: another app redefines {', '.join(clash)}.")
            template.update(sections)
        loaded[path.stem] = template
    return dict(sorted(loaded.items(), key=lambda item: (item[1]["position"], item[0])))


def load_data_file(path, check):
    """The JSON object in ``path``, once ``check`` (which raises ValidationError) has passed it.

    Its ``"$comment"``, a note for whoever edits the file, is left out. Any problem raises
    ImproperlyConfigured naming the file and listing every problem: shipped data is broken,
    not someone's input. Matching reads its sections of the templates with it too.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path} can't be read as JSON: {exc}") from exc
    if isinstance(data, dict):
        data.pop("$comment", None)
    try:
        check(data)
    except ValidationError as exc:
        problems = (
            [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
            if hasattr(exc, "error_dict")
            else exc.messages
        )
        listed = "\n".join(f"- {p}" for p in problems)
        raise ImproperlyConfigured(f"{path} is not a valid template file:\n{listed}") from exc
    return data


def check_template(template):
    """Raise a ValidationError listing everything wrong with a template file's content."""
    problems = _shape(template, FIELDS, "template")
    if problems:  # the checks below read these keys
        raise ValidationError(problems)
    problems += _shape(template["foundation"], FOUNDATION_FIELDS, "foundation")
    rules = template["foundation"].get("rules_of_engagement", [])
    if isinstance(rules, list) and not all(isinstance(r, str) and r.strip() for r in rules):
        problems.append("foundation: “rules_of_engagement” must be a list of sentences.")
    problems += _cadence_problems(template["cadences"])
    for section, (_, target) in SECTIONS.items():
        fields = {"id": str, "title": str, "description": str} | ({target: list} if target else {})
        for n, entry in enumerate(template[section], start=1):
            problems += _shape(entry, fields, f"{section}[{n}]")
    for n, entry in enumerate(template["indicators"], start=1):
        problems += _shape(entry, {"outcome": str}, f"indicators[{n}]", INDICATOR_FIELDS)
    if not problems:  # the document built for the import's check needs well-formed entries
        document = logic_model_document(template)
        problems += _failures(logic_model.parse_logic_model, document, "logic model: ")
    problems += _failures(services.check_agreement_body, template["agreement"], "agreement: ")
    if problems:
        raise ValidationError(problems)


def _shape(value, fields, where, optional=()):
    """What's wrong with the object ``value``: missing or unknown keys (the ``optional`` ones
    may be left out, and hold text) and values of the wrong type."""
    if not isinstance(value, dict):
        return [f"{where}: must be an object."]
    types = fields | dict.fromkeys(optional, str)
    problems = [f"{where}: “{key}” is missing." for key in fields if key not in value]
    problems += [f"{where}: unknown key “{key}”." for key in value if key not in types]
    problems += [
        f"{where}: “{key}” must be {TYPE_NAMES[types[key]]}."
        for key, item in value.items()
        # bool is an int to Python, never a position or a count to us
        if key in types and (not isinstance(item, types[key]) or isinstance(item, bool))
    ]
    return problems


def _failures(check, value, where=""):
    try:
        check(value)
    except ValidationError as exc:
        return [f"{where}{m}" for m in exc.messages]
    return []


def _cadence_problems(cadences):
    unknown = sorted(set(cadences) - CADENCES)
    if unknown:
        return [f"cadences: unknown program settings {', '.join(unknown)}."]
    others = [f.name for f in Program._meta.fields if f.name not in cadences]
    try:
        Program(**cadences).clean_fields(exclude=others)  # the validators of an admin's save
    except ValidationError as exc:
        return [f"cadences: {name}: {m}" for name, ms in exc.message_dict.items() for m in ms]
    return []


def logic_model_document(template) -> dict:
    """A template's logic model in the export format, so it validates like an import."""
    items, links = [], []
    for section, (kind, target) in SECTIONS.items():
        for entry in template[section]:
            local_id = f"{kind}:{entry['id']}"
            items.append(
                {
                    "id": local_id,
                    "kind": kind,
                    "title": entry["title"],
                    "description": entry["description"],
                }
            )
            if target:
                target_kind = SECTIONS[target][0]
                links += [
                    {"source": local_id, "target": f"{target_kind}:{t}"} for t in entry[target]
                ]
    indicators = [{**i, "outcome": f"outcome:{i['outcome']}"} for i in template["indicators"]]
    return {
        "format": logic_model.EXPORT_FORMAT,
        "version": logic_model.EXPORT_VERSION,
        "items": items,
        "links": links,
        "indicators": indicators,
    }


def logic_model_data(key) -> dict:
    """The logic model of the template ``key`` in the export format."""
    return logic_model_document(templates()[key])


def _template(key):
    try:
        return templates()[key]
    except KeyError:
        raise ValidationError({"template": f"Unknown template “{key}”."}) from None


def apply_settings(program, key):
    """Copy a template's cadences and settings onto an unsaved program."""
    template = _template(key)
    for name, value in template["cadences"].items():
        setattr(program, name, value)
    if not program.description:
        program.description = template["summary"]


def apply_content(*, program, key, actor):
    """Copy a template's logic model, indicators, foundation and agreement into a program
    (inside create_program's transaction, which writes the audit entry)."""
    template = _template(key)
    logic_model.import_logic_model(
        program=program, data=logic_model_data(key), actor=actor, replace=True, audit_it=False
    )
    foundation = program.foundation
    foundation.values = template["foundation"]["values"]
    foundation.goals = template["foundation"]["goals"]
    foundation.rules_of_engagement = list(template["foundation"]["rules_of_engagement"])
    foundation.save()
    services.save_agreement_template(
        program=program, body=template["agreement"], actor=actor, audit_it=False
    )
