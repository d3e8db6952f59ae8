"""Participants' matching profiles: who may edit one, each field's cleaning, and the save.

Keyword-only, atomic and audited; every field is validated before anything is written.
"""

import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentorship import audit
from mentorship.models import validate_email_address
from mentorship.permissions import has_perm
from mentorship.tenancy import get_membership
from programs.models import MENTOR_CAPACITY, Enrollment
from programs.services import ensure_editable

from .. import languages as language_table
from ..constants import (
    EDITABLE_STATUSES,
    FIELD_QUESTION,
    MAX_LANGUAGES,
    MAX_SKILLS,
    PROFILE_FIELDS,
    SKILL_LEVELS,
    SKILL_NAME_MAX,
    SLOTS,
    STYLE_FIELDS,
    TEXT_LIMITS,
)
from ..models import CustomQuestion, Profile, ProfileQuestion
from .checks import clean_space, is_int, is_number

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
        if not isinstance(name, str) or not clean_space(name):
            raise ValidationError("Every skill needs a name.")
        key = clean_space(name).casefold()
        if len(key) > SKILL_NAME_MAX:
            raise ValidationError(f"Keep skill names under {SKILL_NAME_MAX} characters.")
        if key in cleaned:
            raise ValidationError(f"“{key}” is listed twice.")
        if not is_int(level) or not SKILL_LEVELS[0] <= level <= SKILL_LEVELS[1]:
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
    if not isinstance(slots, list | tuple) or not all(is_int(s) for s in slots):
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
            option = options.get(clean_space(goal).casefold())
            if option is None:
                raise ValidationError(
                    f"“{goal[:60]}” is not one of the program's career goals; "
                    "write it in your own words instead."
                )
            if option not in cleaned:
                cleaned.append(option)
        return cleaned
    if name in STYLE_FIELDS:
        if not is_number(value) or not -1 <= value <= 1:
            raise ValidationError("Must be a number from -1 to 1.")
        return float(value)
    if name == "years_experience":
        if value is None:
            return None
        if not is_int(value) or not 0 <= value <= 60:
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
        if not is_int(value) or not low <= value <= high:
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
    from ..queries import settings_for

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
