"""Writes on programs: the program and its lifecycle, foundation, agreement versions, cohorts.

The logic model's writes live in ``programs.logic_model``, enrolment's in
``programs.enrolment``. All are keyword-only, atomic and audited.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from mentorship import audit

from . import hooks
from .models import AgreementTemplate, Cohort, Foundation, Program

Status = Program.Status

# Which status may follow which. Closing keeps everything, read-only.
TRANSITIONS = {
    Status.DRAFT: {Status.PILOT, Status.ACTIVE},
    Status.PILOT: {Status.ACTIVE, Status.CLOSED},
    Status.ACTIVE: {Status.CLOSED},
    Status.CLOSED: set(),
}

PROGRAM_FIELDS = [
    "name",
    "description",
    "format",
    "start_date",
    "end_date",
    "time_zone",
    "checkin_every_weeks",
    "review_every_weeks",
    "meeting_minutes",
    "matching_mode",
    "default_mentor_capacity",
    "join_link_enabled",
]

DEFAULT_AGREEMENT = """## Our mentoring agreement

**{{ mentor_name }}** (mentor) and **{{ mentee_name }}** (mentee) agree to work together in
*{{ program_name }}* from {{ start_date }} to {{ end_date }}.

- We meet {{ checkin_cadence }}, for about {{ meeting_length }}.
- We review how it is going {{ review_cadence }}.
- What we discuss stays between us unless we both agree otherwise.
- Either of us can end the mentorship by talking to the other and to the program admin.
"""


def ensure_editable(program):
    if program.is_closed:
        raise ValidationError("This program is closed; its data is read-only.")


# Words the program URLs use themselves (/programs/new/, /programs/mine/, /programs/join/…).
RESERVED_SLUGS = {"new", "mine", "join"}


def _unique_slug(organization, name, exclude_pk=None):
    base = slugify(name)[:50] or "program"
    if base in RESERVED_SLUGS:
        base = f"{base}-program"
    slug, n = base, 2
    taken = Program.objects.filter(organization=organization)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Dates a program or cohort may have: a typo like 0202 or 20255 is refused, not stored.
EARLIEST_DATE = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10


def check_date(value, field):
    if value is None:
        return
    latest = timezone.localdate().replace(month=1, day=1)
    latest = latest.replace(year=latest.year + YEARS_AHEAD + 1) - datetime.timedelta(days=1)
    if not EARLIEST_DATE <= value <= latest:
        first, last = (f"{d.day} {d:%b %Y}" for d in (EARLIEST_DATE, latest))
        raise ValidationError({field: f"Choose a date between {first} and {last}."})


def _validated(program):
    """Model validation (ranges, choices, dates) as one ValidationError keyed by field."""
    program.full_clean(exclude=["organization", "slug", "join_token"], validate_unique=False)
    check_date(program.start_date, "start_date")
    check_date(program.end_date, "end_date")
    if program.start_date and program.end_date and program.end_date < program.start_date:
        raise ValidationError({"end_date": "The end date must be on or after the start date."})


@transaction.atomic
def create_program(*, organization, actor, name, template_key="", **fields):
    """Create a draft program, from scratch or from a template of ``programs.catalog``."""
    from . import catalog

    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown program fields: {', '.join(sorted(unknown))}.")
    if template_key and template_key not in catalog.TEMPLATES:
        raise ValidationError({"template": f"Unknown template “{template_key}”."})
    program = Program(organization=organization, name=name.strip(), template_key=template_key)
    if template_key:
        catalog.apply_settings(program, template_key)
    for key, value in fields.items():
        setattr(program, key, value)
    _validated(program)
    program.slug = _unique_slug(organization, program.name)
    program.save()
    Foundation.objects.create(organization=organization, program=program)
    if template_key:
        catalog.apply_content(program=program, key=template_key, actor=actor)
    else:
        save_agreement_template(
            program=program, body=DEFAULT_AGREEMENT, actor=actor, audit_it=False
        )
    hooks.program_created.send(program=program, template_key=template_key or "", actor=actor)
    audit.record(
        organization=organization,
        actor=actor,
        action="program.created",
        target=program,
        data={"template": template_key} if template_key else {},
    )
    return program


@transaction.atomic
def update_program(*, program, actor, **fields):
    ensure_editable(program)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown program fields: {', '.join(sorted(unknown))}.")
    changed = {k: v for k, v in fields.items() if getattr(program, k) != v}
    for key, value in changed.items():
        setattr(program, key, value)
    _validated(program)
    # The slug stays as it was made: renaming a program keeps its links (bookmarks, emails)
    # working. Only what changed: a stale copy must not write back other fields (its status).
    program.save(update_fields=[*changed, "updated_at"])
    if changed:
        audit.record(
            organization=program.organization,
            actor=actor,
            action="program.updated",
            target=program,
            data={"fields": sorted(changed)},
        )
    return program


def readiness(program):
    """What is missing before the program may go active: a list of plain sentences."""
    from .logic_model import missing_for_activation

    missing = missing_for_activation(program)
    if not program.start_date:
        missing.append("Set the program's start date.")
    return missing


@transaction.atomic
def change_status(*, program, status, actor):
    program = Program.objects.select_for_update().get(pk=program.pk)
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status “{status}”."})
    if status not in TRANSITIONS[program.status]:
        raise ValidationError(
            {
                "status": f"A {program.get_status_display().lower()} program can't become "
                f"{Status(status).label.lower()}."
            }
        )
    if status in (Status.ACTIVE, Status.PILOT):
        missing = readiness(program)
        if missing:
            raise ValidationError({"status": ["Not ready yet:", *missing]})
    old = program.status
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    audit.record(
        organization=program.organization,
        actor=actor,
        action="program.status_changed",
        target=program,
        data={"from": old, "to": status},
    )
    if status == Status.CLOSED:
        hooks.program_closed.send(program=program, actor=actor)
    return program


@transaction.atomic
def delete_program(*, program, actor):
    if program.status != Status.DRAFT:
        raise ValidationError("Only draft programs can be deleted; close this one instead.")
    audit.record(
        organization=program.organization,
        actor=actor,
        action="program.deleted",
        target=program,
        data={"name": program.name},
    )
    program.delete()


# --- Foundation and agreement --------------------------------------------------------------------


def _clean_rules(rules):
    if isinstance(rules, str):
        rules = rules.splitlines()
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ValidationError({"rules_of_engagement": "Give the rules as a list of sentences."})
    cleaned = [r.strip() for r in rules if r.strip()]
    if any(len(r) > 500 for r in cleaned):
        raise ValidationError({"rules_of_engagement": "Keep each rule under 500 characters."})
    return cleaned


@transaction.atomic
def save_foundation(*, program, actor, values, goals, rules_of_engagement):
    ensure_editable(program)
    foundation = program.foundation
    foundation.values = values.strip()
    foundation.goals = goals.strip()
    foundation.rules_of_engagement = _clean_rules(rules_of_engagement)
    foundation.save()
    audit.record(
        organization=program.organization,
        actor=actor,
        action="program.foundation_saved",
        target=program,
    )
    return foundation


def current_agreement_template(program):
    return AgreementTemplate.objects.filter(program=program).order_by("-version").first()


def check_agreement_body(body):
    from .agreements import check_placeholders

    if not body.strip():
        raise ValidationError({"body": "The agreement can't be empty."})
    check_placeholders(body)


@transaction.atomic
def save_agreement_template(*, program, body, actor, audit_it=True):
    """Save the agreement as a new version (when it changed): signed agreements keep theirs."""
    ensure_editable(program)
    body = body.strip()
    check_agreement_body(body)
    current = current_agreement_template(program)
    if current is not None and current.body == body:
        return current
    template = AgreementTemplate.objects.create(
        organization=program.organization,
        program=program,
        version=(current.version + 1) if current else 1,
        body=body,
        created_by=actor,
    )
    if audit_it:
        audit.record(
            organization=program.organization,
            actor=actor,
            action="program.agreement_saved",
            target=program,
            data={"version": template.version},
        )
    return template


# --- Cohorts -------------------------------------------------------------------------------------


def _save_cohort(cohort):
    cohort.name = cohort.name.strip()
    if not cohort.name:
        raise ValidationError({"name": "Give the cohort a name."})
    if cohort.start_date is None:
        raise ValidationError({"start_date": "Give the cohort a start date."})
    check_date(cohort.start_date, "start_date")
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError:
        raise ValidationError({"name": f"There is already a cohort “{cohort.name}”."}) from None
    return cohort


@transaction.atomic
def create_cohort(*, program, name, start_date, actor):
    ensure_editable(program)
    cohort = _save_cohort(
        Cohort(organization=program.organization, program=program, name=name, start_date=start_date)
    )
    audit.record(
        organization=program.organization, actor=actor, action="cohort.created", target=cohort
    )
    return cohort


@transaction.atomic
def update_cohort(*, cohort, name, start_date, actor):
    ensure_editable(cohort.program)
    cohort.name, cohort.start_date = name, start_date
    _save_cohort(cohort)
    audit.record(
        organization=cohort.organization, actor=actor, action="cohort.updated", target=cohort
    )
    return cohort


@transaction.atomic
def delete_cohort(*, cohort, actor):
    ensure_editable(cohort.program)
    audit.record(
        organization=cohort.organization,
        actor=actor,
        action="cohort.deleted",
        target=cohort,
        data={"name": cohort.name},
    )
    cohort.delete()
