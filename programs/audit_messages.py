"""How the programs app's audit actions read (see the registry in ``mentorship.audit``):
programs, cohorts, enrolment and the logic model. Imported by ``ProgramsConfig.ready()``."""

from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.html import format_html

from mentorship import audit
from mentorship.permissions import has_perm

from .models import Enrollment, LogicModelItem, Program


def _program_page(name):
    def url(obj, viewer):
        if not has_perm(viewer, "view_programs"):
            return None
        program = obj if isinstance(obj, Program) else obj.program
        return reverse(f"programs:{name}", args=[program.organization.slug, program.slug])

    return url


audit.target_kind(
    "programs.program",
    url=_program_page("detail"),
    text=lambda program: program.name,
    select_related=("organization",),
)
audit.target_kind(
    "programs.cohort",
    url=_program_page("cohorts"),
    text=lambda cohort: cohort.name,
    select_related=("program__organization",),
)
audit.target_kind(
    "programs.enrollment",
    url=_program_page("enrollments"),
    text=lambda enrollment: enrollment.display_name,
    select_related=("program__organization", "user"),
)
for _label in ("programs.logicmodelitem", "programs.indicator"):
    audit.target_kind(
        _label,
        url=_program_page("logic-model"),
        text=lambda item: f"“{item.title}”",
        select_related=("program__organization",),
    )


def program_of(line, obj=None):
    """The program of the entry's target (or of ``obj``), linked; None once the target is gone
    (whether its program still exists is not known then)."""
    obj = obj if obj is not None else line.obj
    if obj is None:
        return None
    program = obj if isinstance(obj, Program) else obj.program
    return line.link_to(program)


def in_program(line, preposition="in", obj=None):
    """ " in <program>" ("to", "into"…), or nothing once the target is gone."""
    program = program_of(line, obj)
    return format_html(" {} {}", preposition, program) if program is not None else ""


def role_with_article(role):
    label = Enrollment.Role(role).label.lower() if role in Enrollment.Role.values else "participant"
    return f"a {label}"


# --- Programs ------------------------------------------------------------------------------------

audit.group("program", "Programs")


def _created(line):
    key = line.get("template")
    if key:
        from .catalog import TEMPLATES

        name = TEMPLATES.get(key, {}).get("name") or key
        return format_html(
            "{} created the program {} from the template “{}”.", line.actor, line.thing(), name
        )
    return format_html("{} created the program {}.", line.actor, line.thing())


FIELD_WORDS = {
    "checkin_every_weeks": "check-in cadence",
    "review_every_weeks": "review cadence",
    "meeting_minutes": "meeting length",
    "default_mentor_capacity": "default mentor capacity",
    "join_link_enabled": "join link",
}


def _field_word(name):
    if name in FIELD_WORDS:
        return FIELD_WORDS[name]
    try:
        return str(Program._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field since removed
        return audit.humanize(name)


def _updated(line):
    names = line.get("fields", [])
    names = [f for f in names if isinstance(f, str)] if isinstance(names, list) else []
    order = [f.name for f in Program._meta.fields]  # as the settings form shows them
    names.sort(key=lambda f: order.index(f) if f in order else len(order))
    fields = [_field_word(f) for f in names]
    if not fields:
        return format_html("{} changed the settings of the program {}.", line.actor, line.thing())
    return format_html(
        "{} changed the {} of the program {}.",
        line.actor,
        audit.join_words(fields),
        line.thing(),
    )


def _status_changed(line):
    old, new = line.get("from"), line.get("to")
    if new == Program.Status.PILOT:
        return format_html("{} started the program {} as a pilot.", line.actor, line.thing())
    if new == Program.Status.ACTIVE:
        after = " after its pilot" if old == Program.Status.PILOT else ""
        return format_html("{} made the program {} active{}.", line.actor, line.thing(), after)
    if new == Program.Status.CLOSED:
        return format_html("{} closed the program {}.", line.actor, line.thing())
    return format_html(
        "{} changed the status of the program {} from {} to {}.",
        line.actor,
        line.thing(),
        old,
        new,
    )


audit.describe("program.created", "Program created", _created)
audit.describe("program.updated", "Program settings changed", _updated)
audit.describe("program.status_changed", "Program status changed", _status_changed)
audit.describe(
    "program.deleted",
    "Program deleted",
    lambda line: format_html(
        "{} deleted the program “{}”.", line.actor, line.get("name") or line.entry.target_repr
    ),
)
audit.describe(
    "program.foundation_saved",
    "Foundation saved",
    lambda line: format_html(
        "{} saved the {} of the program {}.",
        line.actor,
        line.link("foundation", _program_page("foundation")(line.obj, line.viewer))
        if line.obj
        else "foundation",
        line.thing(),
    ),
)
audit.describe(
    "program.agreement_saved",
    "Agreement saved",
    lambda line: format_html(
        "{} saved version {} of the {} of the program {}.",
        line.actor,
        line.get("version", "?"),
        line.link("agreement", _program_page("agreement")(line.obj, line.viewer))
        if line.obj
        else "agreement",
        line.thing(),
    ),
)

# --- Cohorts -------------------------------------------------------------------------------------

audit.group("cohort", "Cohorts")
audit.describe(
    "cohort.created",
    "Cohort added",
    lambda line: format_html(
        "{} added the cohort {}{}.", line.actor, line.thing(), in_program(line, "to")
    ),
)
audit.describe(
    "cohort.updated",
    "Cohort edited",
    lambda line: format_html(
        "{} edited the cohort {}{}.", line.actor, line.thing(), in_program(line, "of")
    ),
)
audit.describe("cohort.deleted", "Cohort deleted", "{actor} deleted the cohort “{name}”.")

# --- Enrolment -----------------------------------------------------------------------------------

audit.group("enrollment", "Enrolments")


def person(line):
    """The enrolled person: linked by their current name, else the address recorded."""
    if line.obj is not None:
        return line.thing()
    return format_html("{}", line.get("email") or line.entry.target_repr or "someone")


def _invited(line):
    role = role_with_article(line.get("role"))
    csv = " (from a CSV file)" if line.get("source") == "csv" else ""
    if line.get("status") == Enrollment.Status.ACTIVE:
        who, verb = person(line), "added"
    else:
        who, verb = line.get("email") or person(line), "invited"
    return format_html(
        "{} {} {}{} as {}{}.", line.actor, verb, who, in_program(line, "to"), role, csv
    )


def _imported(line):
    rows = line.get("rows", 0)
    people = "1 person" if rows == 1 else f"{rows} people"
    return format_html(
        "{} imported {}{} from a CSV file.", line.actor, people, in_program(line, "into")
    )


def _role_of(line):
    return role_with_article(line.get("role") or getattr(line.obj, "role", ""))


audit.describe("enrollment.invited", "Participant invited or added", _invited)
audit.describe("enrollment.imported", "Participants imported", _imported)
audit.describe(
    "enrollment.linked",
    "Enrolment activated on joining",
    lambda line: format_html(
        "{} joined the organization, so their enrolment{} became active.",
        line.actor,
        in_program(line),
    ),
)
audit.describe(
    "enrollment.applied",
    "Applied to a program",
    lambda line: format_html(
        "{} applied{} as {}.", line.actor, in_program(line, "to join"), _role_of(line)
    ),
)
# The admin's decisions, recorded as ``enrollment.<new status>``.
audit.describe(
    f"enrollment.{Enrollment.Status.ACTIVE}",
    "Application accepted",
    lambda line: format_html(
        "{} accepted {}{}{}.",
        line.actor,
        person(line),
        in_program(line, "into"),
        format_html(" as {}", _role_of(line)) if line.obj else "",
    ),
)
audit.describe(
    f"enrollment.{Enrollment.Status.DECLINED}",
    "Application declined",
    lambda line: format_html(
        "{} declined the application of {}{}.", line.actor, person(line), in_program(line, "to")
    ),
)
audit.describe(
    f"enrollment.{Enrollment.Status.WITHDRAWN}",
    "Participant withdrawn",
    lambda line: format_html(
        "{} withdrew {}{}.", line.actor, person(line), in_program(line, "from")
    ),
)

# --- Logic model ---------------------------------------------------------------------------------

KIND_WORDS = {
    LogicModelItem.Kind.OUTCOME: ("outcome", "outcomes"),
    LogicModelItem.Kind.OUTPUT: ("output", "outputs"),
    LogicModelItem.Kind.ACTIVITY: ("activity", "activities"),
    LogicModelItem.Kind.INPUT: ("input", "inputs"),
}


def _kind(line):
    kind = line.obj.kind if line.obj is not None else line.get("kind")
    return KIND_WORDS.get(kind, ("item", "items"))[0]


def _item(line):
    """“Title”, linked to the designer while the item exists."""
    return line.thing(f"“{line.get('title') or line.entry.target_repr}”")


def _model_of(line):
    if line.obj is None:
        return "the logic model"
    return format_html("the logic model of {}", program_of(line))


def _links_set(line):
    targets = line.get("targets", [])
    count = len(targets) if isinstance(targets, list) else 0
    if count == 0:
        return format_html(
            "{} removed the links of the {} {} in {}.",
            line.actor,
            _kind(line),
            _item(line),
            _model_of(line),
        )
    kind = line.obj.kind if line.obj is not None else None
    singular, plural = KIND_WORDS.get(LogicModelItem.LINKS_TO.get(kind), ("item", "items"))
    return format_html(
        "{} linked the {} {} to {} {} in {}.",
        line.actor,
        _kind(line),
        _item(line),
        count,
        singular if count == 1 else plural,
        _model_of(line),
    )


def _position(line):
    position = line.get("position")
    return position + 1 if isinstance(position, int) else "a new place"


audit.group("logic_item", "Logic model items")
audit.describe(
    "logic_item.created",
    "Item added",
    lambda line: format_html(
        "{} added the {} {} to {}.", line.actor, _kind(line), _item(line), _model_of(line)
    ),
)
audit.describe(
    "logic_item.updated",
    "Item edited",
    lambda line: format_html(
        "{} edited the {} {} in {}.", line.actor, _kind(line), _item(line), _model_of(line)
    ),
)
audit.describe(
    "logic_item.deleted",
    "Item removed",
    lambda line: format_html(
        "{} removed the {} {} from {}.", line.actor, _kind(line), _item(line), _model_of(line)
    ),
)
audit.describe(
    "logic_item.moved",
    "Item moved",
    lambda line: format_html(
        "{} moved the {} {} to position {} in {}.",
        line.actor,
        _kind(line),
        _item(line),
        _position(line),
        _model_of(line),
    ),
)
audit.describe("logic_item.links_set", "Item links changed", _links_set)

audit.group("indicator", "Indicators")
audit.describe(
    "indicator.created",
    "Indicator added",
    lambda line: format_html(
        "{} added the indicator {} to {}.", line.actor, _item(line), _model_of(line)
    ),
)
audit.describe(
    "indicator.updated",
    "Indicator edited",
    lambda line: format_html(
        "{} edited the indicator {} in {}.", line.actor, _item(line), _model_of(line)
    ),
)
audit.describe(
    "indicator.deleted",
    "Indicator removed",
    lambda line: format_html(
        "{} removed the indicator {} from {}.", line.actor, _item(line), _model_of(line)
    ),
)
audit.describe(
    "indicator.moved",
    "Indicator moved",
    lambda line: format_html(
        "{} moved the indicator {} to position {} in {}.",
        line.actor,
        _item(line),
        _position(line),
        _model_of(line),
    ),
)


def _imported_model(line):
    counts = ", ".join(
        f"{line.get(key, 0)} {word if line.get(key, 0) != 1 else word[:-1]}"
        for key, word in (("items", "items"), ("links", "links"), ("indicators", "indicators"))
    )
    how = "replacing the one it had" if line.get("replace", True) else "added to the one it had"
    return format_html(
        "{} imported a logic model{} ({}), {}.", line.actor, in_program(line, "into"), counts, how
    )


audit.group("logic_model", "Logic model")
audit.describe("logic_model.imported", "Logic model imported", _imported_model)
