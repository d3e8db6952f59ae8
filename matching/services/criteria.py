"""The criteria page's writes: the program's matching settings (questions, weights, hard rules,
career goal options, objective) and its custom questions.

Keyword-only, atomic and audited. Every function validates all of its input first and raises
Django's ``ValidationError`` (keyed by field) before anything is written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorship import audit
from programs.services import ensure_editable

from ..constants import (
    MAX_GOAL_OPTIONS,
    MAX_TZ_HOURS,
    MIN_SCORE_MAX,
    OPTION_MAX,
    OPTIONS_PER_QUESTION,
)
from ..models import (
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
from .checks import clean_space, is_int, is_number

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
    """A program template's matching section (`matching.defaults`), cleaned by the same
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
        if not is_number(weight) or not 0 <= weight <= 1:
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
    from .. import defaults  # not at the top: defaults imports this module's cleaner

    section = defaults.template_section(program.template_key)
    return None if section is None else clean_template_matching(section)


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
        option = clean_space(option)
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
        if not is_number(value) or not 0 <= value <= 1:
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
            if not is_int(value) or not MAX_TZ_HOURS[0] <= value <= MAX_TZ_HOURS[1]:
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
    text = clean_space(text) if isinstance(text, str) else ""
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
        option = clean_space(option)
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
