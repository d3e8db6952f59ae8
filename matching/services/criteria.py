"""Writes on matching's inputs: the program's matching settings (questions, weights, hard
rules, career goal options), its custom questions, and participants' profiles.

Keyword-only, atomic and audited. Every function validates all of its input first and raises
Django's ``ValidationError`` (keyed by field) before anything is written.
"""

import math
import re
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentorship import audit
from mentorship.models import validate_email_address
from mentorship.permissions import has_perm
from mentorship.tenancy import get_membership
from programs.models import MENTOR_CAPACITY, Enrollment
from programs.services import ensure_editable

from . import languages as language_table
from .models import (
    CRITERION_QUESTIONS,
    HARD_RULE_QUESTIONS,
    Criterion,
    CustomQuestion,
    HardRule,
    MatchingSettings,
    Objective,
    Profile,
    ProfileQuestion,
)

# --- Limits the product promises -----------------------------------------------------------------

MIN_SCORE_MAX = 0.9  # a higher minimum fit would leave almost everyone out
MAX_SKILLS = 30
SKILL_NAME_MAX = 60
SKILL_LEVELS = (1, 5)
MAX_TZ_HOURS = (0, 12)
OPTIONS_PER_QUESTION = (2, 20)
OPTION_MAX = 100
MAX_GOAL_OPTIONS = 50
MAX_LANGUAGES = 10
SLOTS = 7 * 24
EDITABLE_STATUSES = (Enrollment.Status.ACTIVE, Enrollment.Status.APPLIED)

# The profile fields each standard question fills in.
QUESTION_FIELDS = {
    ProfileQuestion.SKILLS: ["skills"],
    ProfileQuestion.GOALS: ["industry", "career_goals", "career_goals_text"],
    ProfileQuestion.EXPERIENCE: ["years_experience"],
    ProfileQuestion.STYLE: [
        "style_direct_supportive",
        "style_structured_exploratory",
        "style_written_spoken",
    ],
    ProfileQuestion.MEETINGS: ["meeting_frequency", "meeting_format"],
    ProfileQuestion.LOCATION: ["city", "country"],
    ProfileQuestion.TIME_ZONE: ["time_zone"],
    ProfileQuestion.LANGUAGES: ["languages"],
    ProfileQuestion.AVAILABILITY: ["availability"],
    ProfileQuestion.DEPARTMENT: ["department", "manager_email"],
    ProfileQuestion.HOPES: ["hopes"],
}
FIELD_QUESTION = {f: q for q, fields in QUESTION_FIELDS.items() for f in fields}
PROFILE_FIELDS = [*FIELD_QUESTION, "custom_answers", "capacity"]
STYLE_FIELDS = QUESTION_FIELDS[ProfileQuestion.STYLE]
TEXT_LIMITS = {
    "industry": 100,
    "career_goals_text": 1000,
    "city": 100,
    "country": 100,
    "department": 100,
    "hopes": 2000,
}


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _clean_space(text):
    return re.sub(r"\s+", " ", text).strip()


# --- Matching settings ---------------------------------------------------------------------------


# A custom question's weight when its template gives none (as create_custom_question gives).
TEMPLATE_QUESTION_WEIGHT = 0.5
TEMPLATE_MATCHING_KEYS = {
    "questions",
    "career_goal_options",
    "weights",
    "hard_rules",
    "custom_questions",
}
CUSTOM_QUESTION_KEYS = {"text", "kind", "options", "weight"}


def clean_template_matching(section):
    """A program template's ``matching`` section (``programs.catalog``), cleaned by the same
    functions as an admin's save: {"settings": the MatchingSettings fields, "custom_questions":
    [{text, kind, options, weight}]}. Raises ValidationError by field, so a template can't hold
    what an admin couldn't save."""
    if not isinstance(section, dict):
        raise ValidationError("Give a template's matching settings as a mapping.")
    errors = {}
    unknown = sorted(set(section) - TEMPLATE_MATCHING_KEYS)
    if unknown:
        errors["matching"] = f"Unknown matching settings: {', '.join(map(str, unknown))}."
    # As clean_settings does; a new program has no custom questions (their weights are below).
    questions = _clean_questions(section.get("questions", []), errors)
    weights, hard_rules = {}, {}
    if "questions" not in errors:
        weights = _clean_weights(section.get("weights", {}), questions, set(), errors)
        hard_rules = _clean_hard_rules(section.get("hard_rules", {}), questions, errors)
    goal_options = clean_goal_options(section.get("career_goal_options", []), errors)
    custom, problems, seen = [], [], set()
    entries = section.get("custom_questions", [])
    if not isinstance(entries, list | tuple) or not all(isinstance(q, dict) for q in entries):
        problems.append("Give custom questions as a list of {text, kind, options}.")
        entries = []
    for entry in entries:
        extra = sorted(set(entry) - CUSTOM_QUESTION_KEYS)
        if extra:
            problems.append(f"Unknown custom question fields: {', '.join(map(str, extra))}.")
            continue
        try:
            text, options = _clean_custom_question(
                entry.get("text"), entry.get("kind"), entry.get("options")
            )
        except ValidationError as exc:
            problems.extend(f"“{entry.get('text')}”: {m}" for m in exc.messages)
            continue
        weight = entry.get("weight", TEMPLATE_QUESTION_WEIGHT)
        if not _is_number(weight) or not 0 <= weight <= 1:
            problems.append(f"The weight of “{text}” must be between 0 and 1.")
            continue
        if text.casefold() in seen:
            problems.append(f"“{text}” is asked twice.")
            continue
        seen.add(text.casefold())
        custom.append(
            {"text": text, "kind": entry["kind"], "options": options, "weight": float(weight)}
        )
    if problems:
        errors["custom_questions"] = problems
    if errors:
        raise ValidationError(errors)
    return {
        "settings": {
            "questions": questions,
            "weights": weights,
            "hard_rules": hard_rules,
            "career_goal_options": goal_options,
        },
        "custom_questions": custom,
    }


def template_matching(program):
    """The cleaned matching section of the template ``program`` was created from, or None
    (no template, an unknown one, or one without a matching section: the defaults apply)."""
    from programs import catalog

    template = catalog.TEMPLATES.get(program.template_key) if program.template_key else None
    if not template or "matching" not in template:
        return None
    return clean_template_matching(template["matching"])


def initial_settings(program):
    """An unsaved MatchingSettings as ensure_settings would first create it: the program's
    template's settings, else the defaults (without the template's custom questions, which
    only exist once created)."""
    template = template_matching(program)
    return MatchingSettings(
        organization=program.organization,
        program=program,
        **(template["settings"] if template else {}),
    )


def set_up_program(*, program, template_key, actor):
    """A new program (`programs.hooks.program_created`): made from a template, it gets the
    template's profile questions, weights, hard rules and custom questions at once, so the
    criteria page and the profile form show them from the start."""
    if template_key:
        ensure_settings(program)


@transaction.atomic
def ensure_settings(program):
    """The program's matching settings, created the first time: from the program's template
    (its questions, goal options, weights, hard rules and custom questions) when it was made
    from one, else with the defaults. The template's custom questions are created only then,
    once."""
    settings = MatchingSettings.objects.filter(program=program).first()
    if settings is not None:
        return settings
    template = template_matching(program)
    settings, created = MatchingSettings.objects.get_or_create(
        program=program,
        defaults={
            "organization": program.organization,
            **(template["settings"] if template else {}),
        },
    )
    if created and template and template["custom_questions"]:
        last = CustomQuestion.objects.filter(program=program).order_by("-position").first()
        start = (last.position + 1) if last else 0
        weights = dict(settings.weights)
        for position, entry in enumerate(template["custom_questions"], start=start):
            question = CustomQuestion.objects.create(
                organization=program.organization,
                program=program,
                text=entry["text"],
                kind=entry["kind"],
                options=entry["options"],
                position=position,
            )
            weights[question.criterion_key] = entry["weight"]
        settings.weights = weights
        settings.save(update_fields=["weights", "updated_at"])
    return settings


def _clean_questions(questions, errors):
    if not isinstance(questions, list | tuple) or not all(isinstance(q, str) for q in questions):
        errors["questions"] = "Give the questions as a list of names."
        return []
    unknown = sorted(set(questions) - set(ProfileQuestion.values))
    if unknown:
        errors["questions"] = f"Unknown profile questions: {', '.join(unknown)}."
        return []
    return [q for q in ProfileQuestion.values if q in questions]


def clean_goal_options(options, errors=None):
    errors = {} if errors is None else errors
    if isinstance(options, str):
        options = options.splitlines()
    if not isinstance(options, list | tuple) or not all(isinstance(o, str) for o in options):
        errors["career_goal_options"] = "Give the career goals as a list of texts."
        return []
    cleaned, seen = [], set()
    for option in options:
        option = _clean_space(option)
        if not option or option.casefold() in seen:
            continue
        if len(option) > OPTION_MAX:
            errors["career_goal_options"] = (
                f"Keep each career goal under {OPTION_MAX} characters: “{option[:30]}…”."
            )
            return []
        seen.add(option.casefold())
        cleaned.append(option)
    if len(cleaned) > MAX_GOAL_OPTIONS:
        errors["career_goal_options"] = f"Offer at most {MAX_GOAL_OPTIONS} career goals."
    return cleaned


def _clean_weights(weights, questions, custom_keys, errors):
    if not isinstance(weights, dict):
        errors["weights"] = "Give the weights as criterion → number from 0 to 1."
        return {}
    known = set(Criterion.values) | custom_keys
    problems = []
    unknown = sorted(k for k in weights if k not in known)
    if unknown:
        problems.append(f"Unknown criteria: {', '.join(map(str, unknown))}.")
    cleaned = {}
    for key, value in weights.items():
        if key not in known:
            continue
        if not _is_number(value) or not 0 <= value <= 1:
            problems.append(f"The weight of “{criterion_label(key)}” must be between 0 and 1.")
            continue
        cleaned[key] = round(float(value), 4)
        question = CRITERION_QUESTIONS.get(key)
        if question and value > 0 and question not in questions:
            problems.append(
                f"“{criterion_label(key)}” can't have a weight: the program doesn't ask "
                f"“{ProfileQuestion(question).label}”. Ask it or set the weight to 0."
            )
    if problems:
        errors["weights"] = problems
        return {}
    for criterion in Criterion.values:
        cleaned.setdefault(criterion, 0.0)
    for key in custom_keys:
        cleaned.setdefault(key, 0.0)
    return cleaned


def _clean_hard_rules(hard_rules, questions, errors):
    if not isinstance(hard_rules, dict):
        errors["hard_rules"] = "Give the hard rules as rule → on/off (hours for time zones)."
        return {}
    problems = []
    unknown = sorted(k for k in hard_rules if k not in HardRule.values)
    if unknown:
        problems.append(f"Unknown hard rules: {', '.join(map(str, unknown))}.")
    cleaned = {}
    for rule, value in hard_rules.items():
        if rule not in HardRule.values or value is None or value is False:
            continue
        label = HardRule(rule).label
        if rule == HardRule.MAX_TZ_HOURS:
            if not _is_int(value) or not MAX_TZ_HOURS[0] <= value <= MAX_TZ_HOURS[1]:
                problems.append(
                    f"“{label}”: N must be a whole number of hours from {MAX_TZ_HOURS[0]} "
                    f"to {MAX_TZ_HOURS[1]}."
                )
                continue
        elif value is not True:
            problems.append(f"“{label}” is either on (true) or off (false).")
            continue
        question = HARD_RULE_QUESTIONS.get(rule)
        if question and question not in questions:
            problems.append(
                f"“{label}” needs the question “{ProfileQuestion(question).label}”, which "
                "the program doesn't ask. Ask it or switch the rule off."
            )
            continue
        cleaned[rule] = value
    if problems:
        errors["hard_rules"] = problems
    return cleaned


def criterion_label(key, custom_questions=None):
    if key in Criterion.values:
        return Criterion(key).label
    for question in custom_questions or []:
        if question.criterion_key == key:
            return question.text
    return str(key)


def clean_settings(*, program, questions, weights, hard_rules, career_goal_options):
    """The settings as they would be saved, or a ValidationError by field. Writes nothing
    (the criteria page's preview uses it on settings not saved yet)."""
    custom_keys = {
        f"custom:{pk}"
        for pk in CustomQuestion.objects.filter(program=program).values_list("pk", flat=True)
    }
    errors = {}
    questions = _clean_questions(questions, errors)
    if "questions" not in errors:
        weights = _clean_weights(weights, questions, custom_keys, errors)
        hard_rules = _clean_hard_rules(hard_rules, questions, errors)
    goal_options = clean_goal_options(career_goal_options, errors)
    if errors:
        raise ValidationError(errors)
    return {
        "questions": questions,
        "weights": weights,
        "hard_rules": hard_rules,
        "career_goal_options": goal_options,
    }


@transaction.atomic
def save_settings(
    *,
    program,
    questions,
    weights,
    hard_rules,
    career_goal_options,
    actor,
    request_expiry_days=None,
    objective=None,
    min_score=None,
):
    ensure_editable(program)
    if request_expiry_days is not None and not 1 <= request_expiry_days <= 30:
        raise ValidationError({"request_expiry_days": "From 1 to 30 days."})
    if objective is not None and objective not in Objective.values:
        raise ValidationError({"objective": "Choose “everyone matched first” or “quality first”."})
    if min_score is not None and not 0 <= min_score <= MIN_SCORE_MAX:
        raise ValidationError({"min_score": "The minimum fit is from 0 to 90 %."})
    settings = ensure_settings(program)
    settings = MatchingSettings.objects.select_for_update().get(pk=settings.pk)
    cleaned = clean_settings(
        program=program,
        questions=questions,
        weights=weights,
        hard_rules=hard_rules,
        career_goal_options=career_goal_options,
    )
    for field, value in cleaned.items():
        setattr(settings, field, value)
    if request_expiry_days is not None:
        settings.request_expiry_days = request_expiry_days
    if objective is not None:
        settings.objective = objective
    if min_score is not None:
        settings.min_score = round(float(min_score), 2)
    questions, weights, hard_rules = cleaned["questions"], cleaned["weights"], cleaned["hard_rules"]
    settings.save()
    audit.record(
        organization=program.organization,
        actor=actor,
        action="matching.settings_saved",
        target=program,
        data={
            "questions": questions,
            "weights": weights,
            "hard_rules": hard_rules,
            "objective": settings.objective,
            "min_score": settings.min_score,
        },
    )
    return settings


# --- Custom questions ----------------------------------------------------------------------------


def _clean_custom_question(text, kind, options):
    errors = {}
    text = _clean_space(text) if isinstance(text, str) else ""
    if not text:
        errors["text"] = "Write the question."
    elif len(text) > 300:
        errors["text"] = "Keep the question under 300 characters."
    if kind not in CustomQuestion.Kind.values:
        errors["kind"] = "Choose single or multiple choice."
    if isinstance(options, str):
        options = options.splitlines()
    if not isinstance(options, list | tuple) or not all(isinstance(o, str) for o in options):
        errors["options"] = "Give the options as a list of texts."
        options = []
    cleaned, seen = [], set()
    for option in options:
        option = _clean_space(option)
        if not option:
            continue
        if option.casefold() in seen:
            errors["options"] = f"“{option}” is listed twice; each option must be unique."
            break
        if len(option) > OPTION_MAX:
            errors["options"] = f"Keep each option under {OPTION_MAX} characters."
            break
        seen.add(option.casefold())
        cleaned.append(option)
    low, high = OPTIONS_PER_QUESTION
    if "options" not in errors and not low <= len(cleaned) <= high:
        errors["options"] = f"Give from {low} to {high} options."
    if errors:
        raise ValidationError(errors)
    return text, cleaned


@transaction.atomic
def create_custom_question(*, program, text, kind, options, actor):
    ensure_editable(program)
    text, options = _clean_custom_question(text, kind, options)
    last = CustomQuestion.objects.filter(program=program).order_by("-position").first()
    question = CustomQuestion.objects.create(
        organization=program.organization,
        program=program,
        text=text,
        kind=kind,
        options=options,
        position=(last.position + 1) if last else 0,
    )
    settings = ensure_settings(program)
    settings.weights = {**settings.weights, question.criterion_key: 0.5}
    settings.save(update_fields=["weights", "updated_at"])
    audit.record(
        organization=program.organization,
        actor=actor,
        action="matching.custom_question_created",
        target=question,
    )
    return question


def _prune_answers(question, keep_options=None):
    """Drop answers to ``question`` (or the options it no longer has) from every profile."""
    key = str(question.pk)
    profiles = list(
        Profile.objects.filter(
            organization=question.organization,
            enrollment__program_id=question.program_id,
            custom_answers__has_key=key,
        )
    )
    for profile in profiles:
        answers = dict(profile.custom_answers)
        kept = [o for o in answers.get(key, []) if keep_options and o in keep_options]
        if kept:
            answers[key] = kept
        else:
            answers.pop(key, None)
        profile.custom_answers = answers
    Profile.objects.bulk_update(profiles, ["custom_answers"])


@transaction.atomic
def update_custom_question(*, question, text, kind, options, actor):
    ensure_editable(question.program)
    text, options = _clean_custom_question(text, kind, options)
    question.text, question.kind, question.options = text, kind, options
    question.save()
    _prune_answers(question, keep_options=set(options))
    if kind == CustomQuestion.Kind.SINGLE:  # a multi answer can't stand as a single one
        profiles = list(
            Profile.objects.filter(
                organization=question.organization,
                enrollment__program_id=question.program_id,
                custom_answers__has_key=str(question.pk),
            )
        )
        for profile in profiles:
            if len(profile.custom_answers[str(question.pk)]) > 1:
                profile.custom_answers = {
                    k: v for k, v in profile.custom_answers.items() if k != str(question.pk)
                }
        Profile.objects.bulk_update(profiles, ["custom_answers"])
    audit.record(
        organization=question.organization,
        actor=actor,
        action="matching.custom_question_updated",
        target=question,
    )
    return question


@transaction.atomic
def delete_custom_question(*, question, actor):
    program = question.program
    ensure_editable(program)
    _prune_answers(question)
    settings = MatchingSettings.objects.filter(program=program).first()
    if settings is not None and question.criterion_key in settings.weights:
        settings.weights = {
            k: v for k, v in settings.weights.items() if k != question.criterion_key
        }
        settings.save(update_fields=["weights", "updated_at"])
    audit.record(
        organization=question.organization,
        actor=actor,
        action="matching.custom_question_deleted",
        target=question,
        data={"text": question.text},
    )
    question.delete()


# --- Profiles ------------------------------------------------------------------------------------


def can_edit_profile(actor, enrollment):
    """The participant themself (active or applied) or an admin of the organization."""
    if actor is None or not actor.is_authenticated:
        return False
    if enrollment.user_id == actor.pk and enrollment.status in EDITABLE_STATUSES:
        return True
    return has_perm(get_membership(enrollment.organization, actor), "manage_programs")


def clean_skills(skills):
    """{name: level}: names with collapsed whitespace, lower case; levels 1–5."""
    if isinstance(skills, list):  # [{"name": …, "level": …}] is accepted too
        if not all(isinstance(s, dict) for s in skills):
            raise ValidationError("Give skills as name → level.")
        pairs = [(s.get("name"), s.get("level")) for s in skills]
    elif isinstance(skills, dict):
        pairs = list(skills.items())
    else:
        raise ValidationError("Give skills as name → level.")
    cleaned = {}
    for name, level in pairs:
        if not isinstance(name, str) or not _clean_space(name):
            raise ValidationError("Every skill needs a name.")
        key = _clean_space(name).casefold()
        if len(key) > SKILL_NAME_MAX:
            raise ValidationError(f"Keep skill names under {SKILL_NAME_MAX} characters.")
        if key in cleaned:
            raise ValidationError(f"“{key}” is listed twice.")
        if not _is_int(level) or not SKILL_LEVELS[0] <= level <= SKILL_LEVELS[1]:
            raise ValidationError(
                f"The level of “{key}” must be from {SKILL_LEVELS[0]} to {SKILL_LEVELS[1]}."
            )
        cleaned[key] = level
    if len(cleaned) > MAX_SKILLS:
        raise ValidationError(f"List at most {MAX_SKILLS} skills.")
    return cleaned


def clean_languages(value):
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Give languages as a list (or comma-separated text).")
    cleaned = []
    for raw in value:
        if not raw.strip():
            continue
        code = language_table.normalise(raw)
        if code is None:
            raise ValidationError(f"“{raw.strip()[:40]}” isn't a language we know.")
        if code not in cleaned:
            cleaned.append(code)
    if len(cleaned) > MAX_LANGUAGES:
        raise ValidationError(f"List at most {MAX_LANGUAGES} languages.")
    return cleaned


def clean_availability(slots):
    if not isinstance(slots, list | tuple) or not all(_is_int(s) for s in slots):
        raise ValidationError("Give availability as a list of hour slots (0–167).")
    if any(not 0 <= s < SLOTS for s in slots):
        raise ValidationError(f"Hour slots run from 0 (Monday 00:00) to {SLOTS - 1}.")
    return sorted(set(slots))


def clean_custom_answers(answers, questions):
    if not isinstance(answers, dict):
        raise ValidationError("Give answers as question id → chosen options.")
    by_id = {str(q.pk): q for q in questions}
    cleaned = {}
    for key, chosen in answers.items():
        question = by_id.get(str(key))
        if question is None:
            raise ValidationError(f"The program has no question {key}.")
        if isinstance(chosen, str):
            chosen = [chosen] if chosen else []
        if not isinstance(chosen, list | tuple) or not all(isinstance(c, str) for c in chosen):
            raise ValidationError(f"“{question.text}”: give the chosen options as a list.")
        chosen = list(dict.fromkeys(chosen))
        invalid = [c for c in chosen if c not in question.options]
        if invalid:
            raise ValidationError(f"“{question.text}”: “{invalid[0]}” is not one of its options.")
        if question.kind == CustomQuestion.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(f"“{question.text}”: choose exactly one option.")
        if chosen:
            cleaned[str(question.pk)] = chosen
    return cleaned


def _clean_field(name, value, *, settings, custom_questions, enrollment):
    """One profile field, cleaned; raises ValidationError with a plain message."""
    if name == "skills":
        return clean_skills(value)
    if name == "languages":
        return clean_languages(value)
    if name == "availability":
        return clean_availability(value)
    if name == "custom_answers":
        return clean_custom_answers(value, custom_questions)
    if name == "career_goals":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Give career goals as a list.")
        options = {o.casefold(): o for o in settings.career_goal_options}
        cleaned = []
        for goal in value:
            option = options.get(_clean_space(goal).casefold())
            if option is None:
                raise ValidationError(
                    f"“{goal[:60]}” is not one of the program's career goals; "
                    "write it in your own words instead."
                )
            if option not in cleaned:
                cleaned.append(option)
        return cleaned
    if name in STYLE_FIELDS:
        if not _is_number(value) or not -1 <= value <= 1:
            raise ValidationError("Must be a number from -1 to 1.")
        return float(value)
    if name == "years_experience":
        if value is None:
            return None
        if not _is_int(value) or not 0 <= value <= 60:
            raise ValidationError("Give whole years from 0 to 60.")
        return value
    if name == "time_zone":
        if not isinstance(value, str):
            raise ValidationError("Choose a time zone.")
        if value and value not in zoneinfo.available_timezones():
            raise ValidationError(f"“{value[:64]}” is not a time zone we know.")
        return value
    if name == "meeting_frequency":
        if value not in Profile.Frequency.values:
            raise ValidationError("Choose how often you'd like to meet.")
        return value
    if name == "meeting_format":
        if value not in Profile.MeetingFormat.values:
            raise ValidationError("Choose remote, in person or either.")
        return value
    if name == "manager_email":
        if not isinstance(value, str):
            raise ValidationError("Enter an email address.")
        value = value.strip().lower()
        if value:
            validate_email_address(value)
        return value
    if name == "capacity":
        if enrollment.role != Enrollment.Role.MENTOR:
            raise ValidationError("Only mentors have a capacity.")
        low, high = MENTOR_CAPACITY
        if not _is_int(value) or not low <= value <= high:
            raise ValidationError(f"Take from {low} to {high} mentees.")
        return value
    # Plain texts.
    if not isinstance(value, str):
        raise ValidationError("Enter text.")
    value = value.strip()
    if len(value) > TEXT_LIMITS[name]:
        raise ValidationError(f"Keep it under {TEXT_LIMITS[name]} characters.")
    return value


@transaction.atomic
def save_profile(*, enrollment, actor, **fields):
    """Create or update the profile of ``enrollment`` with ``fields`` (any subset)."""
    from .queries import settings_for

    program = enrollment.program
    if not can_edit_profile(actor, enrollment):
        raise PermissionDenied("You may only edit your own profile.")
    ensure_editable(program)
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise ValidationError(f"Unknown profile fields: {', '.join(unknown)}.")
    settings = settings_for(program)
    custom_questions = list(CustomQuestion.objects.filter(program=program))
    profile = Profile.objects.select_for_update().filter(enrollment=enrollment).first()
    if profile is None:
        profile = Profile(organization=enrollment.organization, enrollment=enrollment)
    errors, cleaned = {}, {}
    for name, value in list(fields.items()):
        if name == "capacity" and value is None:
            continue  # nothing to change (mentees have none; mentors keep theirs)
        question = FIELD_QUESTION.get(name)
        if question and question not in settings.questions:
            if getattr(profile, name) == value:  # sent back unchanged (an API round trip)
                continue
            errors[name] = (
                f"This program doesn't ask about “{ProfileQuestion(question).label.lower()}”."
            )
            continue
        try:
            cleaned[name] = _clean_field(
                name,
                value,
                settings=settings,
                custom_questions=custom_questions,
                enrollment=enrollment,
            )
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    capacity = cleaned.pop("capacity", None)
    changed = sorted(k for k, v in cleaned.items() if getattr(profile, k) != v)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    created = profile.pk is None
    profile.save()
    if capacity is not None and capacity != enrollment.capacity:
        enrollment.capacity = capacity
        enrollment.save(update_fields=["capacity", "updated_at"])
        changed.append("capacity")
    audit.record(
        organization=enrollment.organization,
        actor=actor,
        action="matching.profile_saved",
        target=enrollment,
        data={
            "created": created,
            "fields": changed,
            "by": "self" if actor.pk == enrollment.user_id else "admin",
        },
    )
    return profile
