"""From the database to the matching engine: a program's pool of mentees and mentors.

Reads every profile in one query and turns it into ``engine.Person`` records; the engine does
the rest in numpy. People are keyed by their lower-cased email, which is also how a profile
names its line manager, so reporting-line rules work across both sides.
"""

import datetime
import zoneinfo
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from programs.models import Enrollment

from .. import engine
from ..models import CRITERION_QUESTIONS, HardRule


@dataclass
class ProgramPool:
    pool: engine.Pool
    mentees: list[Enrollment]  # index → enrolment, as in the pool
    mentors: list[Enrollment]


def utc_offset_hours(time_zone: str, on: datetime.date | None = None) -> float:
    """The zone's offset from UTC on a given day (DST included), in hours; 0 when unknown."""
    if not time_zone:
        return 0.0
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0.0
    day = on or timezone.now().date()
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=zone)
    return moment.utcoffset().total_seconds() / 3600


def person(enrollment: Enrollment, capacity: int, day) -> engine.Person:
    profile = getattr(enrollment, "profile", None)
    key = enrollment.email.lower()
    if profile is None:
        return engine.Person(id=key, name=enrollment.display_name, capacity=capacity)
    offset = utc_offset_hours(profile.time_zone, day)
    return engine.Person(
        id=key,
        name=enrollment.display_name,
        skills={name.lower(): level for name, level in profile.skills.items()},
        industry=profile.industry.lower() or None,
        years=float(profile.years_experience or 0),
        goals=[g.lower() for g in profile.career_goals],
        style=(
            profile.style_direct_supportive,
            profile.style_structured_exploratory,
            profile.style_written_spoken,
        ),
        meeting_format=profile.meeting_format,
        city=profile.city.lower() or None,
        country=profile.country.lower() or None,
        utc_offset=offset,
        languages=[lang.lower() for lang in profile.languages],
        availability=engine.to_utc_slots(profile.availability, offset),
        capacity=capacity,
        department=profile.department.lower() or None,
        manager=profile.manager_email.lower() or None,
        answers={str(q): list(options) for q, options in profile.custom_answers.items()},
    )


def question_names(program):
    """Custom question id → its text, so explanations name the question, not its number."""
    from ..models import CustomQuestion

    return {
        str(pk): text
        for pk, text in CustomQuestion.objects.filter(program=program).values_list("pk", "text")
    }


def load_pool(program, *, previous_pairs=()) -> ProgramPool:
    """Who is still to be matched, as an engine pool: active mentees without an open match,
    and active mentors with seats left (their capacity minus their open matches)."""
    from ..models import Match

    enrollments = list(
        Enrollment.objects.filter(program=program, status=Enrollment.Status.ACTIVE)
        .select_related("user", "profile")
        .order_by("pk")
    )
    open_matches = Match.objects.filter(program=program, status__in=Match.OPEN)
    matched_mentees = set(open_matches.values_list("mentee_id", flat=True))
    seats_taken = Counter(open_matches.values_list("mentor_id", flat=True))
    default = program.default_mentor_capacity
    mentees = [
        e for e in enrollments if e.role == Enrollment.Role.MENTEE and e.pk not in matched_mentees
    ]
    mentors, people = [], []
    for e in enrollments:
        if e.role == Enrollment.Role.MENTOR:
            left = (e.capacity or default) - seats_taken[e.pk]
            if left > 0:
                mentors.append(e)
                people.append((e, left))
    day = program.start_date or timezone.now().date()
    pool = engine.build_pool(
        [person(e, default, day) for e in mentees],
        [person(e, left, day) for e, left in people],
        previous_pairs=previous_pairs,
        question_names=question_names(program),
    )
    return ProgramPool(pool=pool, mentees=mentees, mentors=mentors)


def engine_settings(settings) -> engine.Settings:
    """``MatchingSettings`` → ``engine.Settings``: only what the program asks counts."""
    asked = set(settings.questions)
    weights = {
        key: float(weight)
        for key, weight in settings.weights.items()
        if key.startswith(engine.CUSTOM_PREFIX) or CRITERION_QUESTIONS.get(key) in asked
    }
    rules = {
        rule: value
        for rule, value in (settings.hard_rules or {}).items()
        if value not in (None, False) and rule in HardRule.values
    }
    return engine.Settings(weights=weights, hard_rules=engine.HardRules.from_dict(rules))
