"""How the roadmaps app's audit actions read (see the registry in ``mentorship.audit``): an
admin's edits of a program's roadmap template, and where they went (new pairs only, or also
the live pairs' not-started milestones). Imported by ``RoadmapsConfig.ready()``."""

from django.utils.html import format_html

from mentorship import audit
from programs.audit_messages import in_program

audit.group("roadmap_template", "Roadmap templates")


def _applied(line, verb):
    if line.get("apply_to") != "live":
        return " (for pairs who start from now on)"
    n = line.get("applied") or 0
    pairs = "1 live pair" if n == 1 else f"{n} live pairs"
    return format_html(" and {} it for {} who hadn't started it", verb, pairs)


def _milestone(verb, preposition, applied_verb):
    def sentence(line):
        return format_html(
            "{} {} the milestone “{}” {} the roadmap{}{}.",
            line.actor,
            verb,
            line.get("title") or "",
            preposition,
            in_program(line, "of"),
            _applied(line, applied_verb),
        )

    return sentence


audit.describe(
    "roadmap_template.milestone_added",
    "Roadmap milestone added",
    _milestone("added", "to", "added"),
)
audit.describe(
    "roadmap_template.milestone_changed",
    "Roadmap milestone changed",
    _milestone("changed", "in", "changed"),
)
audit.describe(
    "roadmap_template.milestone_deleted",
    "Roadmap milestone removed",
    _milestone("removed", "from", "removed"),
)


def _reordered(line):
    return format_html("{} reordered the roadmap{}.", line.actor, in_program(line, "of"))


audit.describe("roadmap_template.reordered", "Roadmap reordered", _reordered)
