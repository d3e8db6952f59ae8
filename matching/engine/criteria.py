"""Criteria, hard rules and settings; the exact per-pair formulas and their plain-words text.

Every criterion scores a (mentee, mentor) pair in [0, 1]; a pair's score is the weighted mean
of the criteria with a positive weight (weights normalised to sum to 1). The formulas:

skills        Σ_s min(wanted_s, teaches_s) / Σ_s wanted_s — how much of the wanted skill levels
              the mentor can teach (0 when the mentee lists none).
goals         ½ · shared goals / mentee's goals + ½ · [same industry].
experience    gap = mentor years − mentee years; 0 if gap ≤ 0, gap/ideal up to the ideal gap,
              then falling linearly to 0 at ideal + tolerance.
style         1 − ‖style_e − style_m‖² / 12 (three axes in [-1, 1]).
time_zone     working hours in common: max(0, workday − Δ) / workday, Δ the (circular) offset
              difference in hours.
availability  min(1, common weekly hours / min(target, mentee's hours)); 0 without hours.
language      1 if they share a language, else 0.
location      1 if both accept remote; otherwise, if both accept in person: 1 same city,
              ½ same country, else 0; 0 when one wants only remote and the other only in person.
custom:<q>    options the mentor shares / options the mentee chose (0 if unanswered).

Hard rules remove pairs: shared_language, max_tz_hours (Δ ≤ N), not_same_department,
not_same_reporting_line (mentor is the mentee's manager or vice versa, or they share a manager),
no_repair (pairs that were matched before). Admin-excluded pairs are always removed, and a
person is never matched with themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .data import MeetingFormat, Pool, popcount

SKILLS = "skills"
GOALS = "goals"
EXPERIENCE = "experience"
STYLE = "style"
TIME_ZONE = "time_zone"
AVAILABILITY = "availability"
LANGUAGE = "language"
LOCATION = "location"
STANDARD_CRITERIA = (SKILLS, GOALS, EXPERIENCE, STYLE, TIME_ZONE, AVAILABILITY, LANGUAGE, LOCATION)
CUSTOM_PREFIX = "custom:"

LABELS = {
    SKILLS: "Skill overlap",
    GOALS: "Goal and industry fit",
    EXPERIENCE: "Experience gap",
    STYLE: "Communication style",
    TIME_ZONE: "Time-zone overlap",
    AVAILABILITY: "Availability overlap",
    LANGUAGE: "Shared language",
    LOCATION: "Location and format fit",
}

# Hard rules (keys as stored in MatchingSettings.hard_rules), plus two that always apply.
SHARED_LANGUAGE = "shared_language"
MAX_TZ_HOURS = "max_tz_hours"
NOT_SAME_DEPARTMENT = "not_same_department"
NOT_SAME_REPORTING_LINE = "not_same_reporting_line"
NO_REPAIR = "no_repair"
EXCLUDED = "excluded"
SELF = "self"
RULE_TEXT = {
    SHARED_LANGUAGE: "no shared language",
    MAX_TZ_HOURS: "time zones too far apart",
    NOT_SAME_DEPARTMENT: "same department",
    NOT_SAME_REPORTING_LINE: "same reporting line",
    NO_REPAIR: "paired before",
    EXCLUDED: "excluded by an admin",
    SELF: "the same person",
}


@dataclass(frozen=True)
class HardRules:
    shared_language: bool = False
    max_tz_hours: float | None = None
    not_same_department: bool = False
    not_same_reporting_line: bool = False
    no_repair: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, object] | None) -> HardRules:
        """From ``MatchingSettings.hard_rules`` JSON: booleans, and a number (or null/false)
        for max_tz_hours."""
        data = dict(data or {})
        unknown = set(data) - {
            SHARED_LANGUAGE,
            MAX_TZ_HOURS,
            NOT_SAME_DEPARTMENT,
            NOT_SAME_REPORTING_LINE,
            NO_REPAIR,
        }
        if unknown:
            raise ValueError(f"unknown hard rule(s): {', '.join(sorted(unknown))}")
        tz = data.get(MAX_TZ_HOURS)
        if tz is True or (tz is not None and tz is not False and not isinstance(tz, int | float)):
            raise ValueError("max_tz_hours must be a number of hours")
        if tz is not None and tz is not False and not 0 <= float(tz) <= 24:
            raise ValueError("max_tz_hours must be between 0 and 24")
        return cls(
            shared_language=bool(data.get(SHARED_LANGUAGE, False)),
            max_tz_hours=None if tz is None or tz is False else float(tz),
            not_same_department=bool(data.get(NOT_SAME_DEPARTMENT, False)),
            not_same_reporting_line=bool(data.get(NOT_SAME_REPORTING_LINE, False)),
            no_repair=bool(data.get(NO_REPAIR, False)),
        )

    def active(self) -> list[str]:
        out = []
        if self.shared_language:
            out.append(SHARED_LANGUAGE)
        if self.max_tz_hours is not None:
            out.append(MAX_TZ_HOURS)
        if self.not_same_department:
            out.append(NOT_SAME_DEPARTMENT)
        if self.not_same_reporting_line:
            out.append(NOT_SAME_REPORTING_LINE)
        if self.no_repair:
            out.append(NO_REPAIR)
        return out


@dataclass(frozen=True)
class Settings:
    """Criterion weights (0–1; a weight of 0 leaves the criterion out), hard rules and the
    few tuning constants of the formulas."""

    weights: Mapping[str, float]
    hard_rules: HardRules = field(default_factory=HardRules)
    ideal_experience_gap: float = 5.0
    experience_tolerance: float = 15.0
    workday_hours: float = 9.0
    availability_target_hours: float = 4.0

    def __post_init__(self):
        if isinstance(self.hard_rules, Mapping):
            object.__setattr__(self, "hard_rules", HardRules.from_dict(self.hard_rules))
        for key, w in self.weights.items():
            if not isinstance(key, str):
                raise ValueError(f"criterion key {key!r} must be a string")
            if key not in STANDARD_CRITERIA and not key.startswith(CUSTOM_PREFIX):
                raise ValueError(f"unknown criterion {key!r}")
            if not isinstance(w, int | float) or isinstance(w, bool) or not 0 <= w <= 1:
                raise ValueError(f"weight of {key!r} must be a number from 0 to 1, got {w!r}")
        if self.ideal_experience_gap <= 0 or self.experience_tolerance <= 0:
            raise ValueError("ideal_experience_gap and experience_tolerance must be positive")
        if self.workday_hours <= 0 or self.availability_target_hours <= 0:
            raise ValueError("workday_hours and availability_target_hours must be positive")

    def active(self, pool: Pool) -> tuple[list[str], np.ndarray]:
        """The criteria with positive weight, in a fixed order, and their normalised weights.
        Raises ValueError for a custom question the pool doesn't have, or no positive weight."""
        questions = {custom_key(q): q for q in pool.questions}
        keys = [k for k in STANDARD_CRITERIA if self.weights.get(k, 0) > 0]
        for k, w in self.weights.items():
            if k.startswith(CUSTOM_PREFIX):
                if k not in questions:
                    raise ValueError(f"criterion {k!r}: the pool has no such custom question")
                if w > 0:
                    keys.append(k)
        if not keys:
            raise ValueError("at least one criterion needs a positive weight")
        w = np.array([float(self.weights[k]) for k in keys])
        return keys, w / w.sum()


def custom_key(question: Hashable) -> str:
    return f"{CUSTOM_PREFIX}{question}"


def question_of(pool: Pool, key: str) -> Hashable:
    for q in pool.questions:
        if custom_key(q) == key:
            return q
    raise KeyError(key)


# ---------------------------------------------------------------------------------------------
# Scalar formulas shared by the dense scorer (as lookup tables) and the pair scorer.


def experience_score(gap: np.ndarray, settings: Settings) -> np.ndarray:
    ideal, tol = settings.ideal_experience_gap, settings.experience_tolerance
    gap = np.asarray(gap, dtype=np.float64)
    rising = gap / ideal
    falling = 1.0 - (gap - ideal) / tol
    out = np.where(gap <= ideal, rising, falling)
    return np.clip(np.where(gap <= 0, 0.0, out), 0.0, 1.0)


def tz_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)) % 24.0
    return np.minimum(d, 24.0 - d)


def tz_score(dist: np.ndarray, settings: Settings) -> np.ndarray:
    wd = settings.workday_hours
    return np.maximum(0.0, wd - np.asarray(dist, np.float64)) / wd


def location_score(fe, fm, city_e, city_m, country_e, country_m) -> np.ndarray:
    """Broadcasting formula (used by both scorers)."""
    remote_ok = (fe != MeetingFormat.IN_PERSON) & (fm != MeetingFormat.IN_PERSON)
    person_ok = (fe != MeetingFormat.REMOTE) & (fm != MeetingFormat.REMOTE)
    same_city = (city_e == city_m) & (city_e >= 0)
    same_country = (country_e == country_m) & (country_e >= 0)
    near = np.where(same_city, np.float32(1.0), np.where(same_country, 0.5, 0.0)).astype(np.float32)
    return np.where(remote_ok, np.float32(1.0), np.where(person_ok, near, np.float32(0.0)))


def any_shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Broadcasting: do two bitsets (last axis = words) intersect?"""
    out = (a[..., 0] & b[..., 0]) != 0
    for w in range(1, a.shape[-1]):
        out |= (a[..., w] & b[..., w]) != 0
    return out


def rule_masks(pool: Pool, settings: Settings, ei, mj) -> dict[str, np.ndarray]:
    """Violations per active hard rule for broadcastable index arrays ``ei``/``mj`` (e.g.
    ``rows[:, None]`` and ``cols[None, :]``, or two equal-length pair arrays). Excluded pairs
    and previous pairs are sparse and handled by the callers (`pair_in`)."""
    E, M, hr = pool.mentees, pool.mentors, settings.hard_rules
    out = {}
    out[SELF] = E.ids[ei] == M.ids[mj]
    if hr.shared_language:
        out[SHARED_LANGUAGE] = ~any_shared(E.languages[ei], M.languages[mj])
    if hr.max_tz_hours is not None:
        out[MAX_TZ_HOURS] = tz_distance(E.utc_offset[ei], M.utc_offset[mj]) > hr.max_tz_hours
    if hr.not_same_department:
        d = E.department[ei]
        out[NOT_SAME_DEPARTMENT] = (d == M.department[mj]) & (d >= 0)
    if hr.not_same_reporting_line:
        me, mm = E.manager[ei], M.manager[mj]
        out[NOT_SAME_REPORTING_LINE] = (
            (me == M.ids[mj]) | (mm == E.ids[ei]) | ((me == mm) & (me >= 0))
        )
    return out


def pair_in(pairs: np.ndarray, ei: np.ndarray, mj: np.ndarray, n_mentors: int) -> np.ndarray:
    """Which of the pairs (ei[k], mj[k]) occur in the (p, 2) array ``pairs``."""
    ei, mj = np.broadcast_arrays(np.asarray(ei, np.int64), np.asarray(mj, np.int64))
    if len(pairs) == 0:
        return np.zeros(ei.shape, bool)
    keys = np.unique(pairs[:, 0] * n_mentors + pairs[:, 1])
    return np.isin(ei * n_mentors + mj, keys)


def broken_rules(pool: Pool, settings: Settings, ei, mj) -> list[list[str]]:
    """For pairs (ei[k], mj[k]): the hard rules each one breaks (keys of ``RULE_TEXT``), empty
    when the pair may be made. For checking a few pairs by hand, e.g. an admin's swap."""
    ei, mj = np.asarray(ei, np.int64), np.asarray(mj, np.int64)
    masks = rule_masks(pool, settings, ei, mj)
    if settings.hard_rules.no_repair:
        masks[NO_REPAIR] = pair_in(pool.previous_pairs, ei, mj, pool.mentors.n)
    return [[rule for rule, mask in masks.items() if mask[k]] for k in range(len(ei))]


# ---------------------------------------------------------------------------------------------
# Exact per-pair criterion scores (float64), the reference that explanations use.


def pair_criteria(pool: Pool, settings: Settings, keys, ei, mj) -> tuple[np.ndarray, dict]:
    """Scores ``(p, len(keys))`` for pairs (ei[k], mj[k]) and the raw details the explanations
    quote (counts, hours, …)."""
    E, M = pool.mentees, pool.mentors
    ei, mj = np.asarray(ei, np.int64), np.asarray(mj, np.int64)
    p = len(ei)
    cols, det = [], {}
    for key in keys:
        if key == SKILLS:
            w = E.skills[ei].astype(np.float64)
            t = M.skills[mj].astype(np.float64)
            den = w.sum(1)
            s = np.divide(np.minimum(w, t).sum(1), den, out=np.zeros(p), where=den > 0)
            det[SKILLS] = ((w > 0).sum(1), ((w > 0) & (t > 0)).sum(1), ((w > 0) & (t >= w)).sum(1))
        elif key == GOALS:
            ge = popcount(E.goals[ei])
            shared = popcount(E.goals[ei] & M.goals[mj])
            g = np.divide(shared, ge, out=np.zeros(p), where=ge > 0)
            ind = (E.industry[ei] >= 0) & (E.industry[ei] == M.industry[mj])
            s = 0.5 * g + 0.5 * ind
            det[GOALS] = (ge, shared, ind)
        elif key == EXPERIENCE:
            gap = M.years[mj] - E.years[ei]
            s = experience_score(gap, settings)
            det[EXPERIENCE] = (gap,)
        elif key == STYLE:
            diff = E.style[ei] - M.style[mj]
            s = 1.0 - (diff**2).sum(1) / 12.0
            det[STYLE] = (np.abs(diff),)
        elif key == TIME_ZONE:
            d = tz_distance(E.utc_offset[ei], M.utc_offset[mj])
            s = tz_score(d, settings)
            det[TIME_ZONE] = (d,)
        elif key == AVAILABILITY:
            h = popcount(E.availability[ei] & M.availability[mj])
            target = np.minimum(settings.availability_target_hours, popcount(E.availability[ei]))
            s = np.minimum(1.0, np.divide(h, target, out=np.zeros(p), where=target > 0))
            det[AVAILABILITY] = (h,)
        elif key == LANGUAGE:
            s = any_shared(E.languages[ei], M.languages[mj]).astype(np.float64)
            det[LANGUAGE] = (popcount(E.languages[ei] & M.languages[mj]),)
        elif key == LOCATION:
            s = location_score(
                E.meeting_format[ei],
                M.meeting_format[mj],
                E.city[ei],
                M.city[mj],
                E.country[ei],
                M.country[mj],
            ).astype(np.float64)
            det[LOCATION] = (
                E.meeting_format[ei],
                M.meeting_format[mj],
                (E.city[ei] == M.city[mj]) & (E.city[ei] >= 0),
                (E.country[ei] == M.country[mj]) & (E.country[ei] >= 0),
            )
        else:
            q = question_of(pool, key)
            ae, am = E.answers[q][ei], M.answers[q][mj]
            ne, shared = popcount(ae), popcount(ae & am)
            s = np.divide(shared, ne, out=np.zeros(p), where=ne > 0)
            det[key] = (ne, shared)
        cols.append(np.asarray(s, np.float64))
    scores = np.stack(cols, axis=1) if cols else np.zeros((p, 0))
    return scores, det


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def criterion_text(key: str, k: int, det: dict, mentee: str, mentor: str) -> str:
    """Plain words for criterion ``key`` of the k-th pair in ``det``."""
    return explanation_text(key, criterion_facts(key, k, det), mentee, mentor)


def criterion_facts(key: str, k: int, det: dict) -> list:
    """The few numbers behind criterion ``key``'s words for the k-th pair in ``det`` (plain
    ints and floats, to store as JSON): ``explanation_text`` words them for any reader."""
    if key == STYLE:
        diff = det[STYLE][0][k]
        return [int(np.argmax(diff)) if diff.max() > 0.5 else -1]
    if key == LOCATION:
        fe, fm, city, country = (a[k] for a in det[LOCATION])
        remote_ok = fe != MeetingFormat.IN_PERSON and fm != MeetingFormat.IN_PERSON
        person_ok = fe != MeetingFormat.REMOTE and fm != MeetingFormat.REMOTE
        return [int(remote_ok), int(person_ok), int(city), int(country)]
    if key in (EXPERIENCE, TIME_ZONE):
        return [float(det[key][0][k])]
    return [int(a[k]) for a in det[key]]


class _Voice:
    """Names or "you", with the verbs that go with them, for a reader who may be one of the
    pair (``reader`` is "mentee", "mentor" or None for a third person such as an admin)."""

    def __init__(self, mentee: str, mentor: str, reader: str | None):
        self.reader = reader
        self.mentee = "you" if reader == "mentee" else mentee
        self.mentor = "you" if reader == "mentor" else mentor
        self.mentee_s = "your" if reader == "mentee" else f"{mentee}'s"
        self.mentee_wants = "you want" if reader == "mentee" else f"{mentee} wants"
        self.mentor_has = "you have" if reader == "mentor" else f"{mentor} has"


def explanation_text(
    key: str, facts: list, mentee: str, mentor: str, reader: str | None = None
) -> str:
    """Plain words for one criterion of a pair, from its ``criterion_facts``: about the two
    people by name, or to one of them ("you") when ``reader`` is "mentee" or "mentor"."""
    text = _explanation_text(key, facts, _Voice(mentee, mentor, reader))
    return text[:1].upper() + text[1:]


def _explanation_text(key: str, facts: list, v: _Voice) -> str:
    if key == SKILLS:
        wanted, taught, full = facts
        if wanted == 0:
            return f"{v.mentee} listed no skills to learn"
        if wanted == 1:
            can = "can" if taught else "can't"
            text = f"{v.mentor} {can} teach the skill {v.mentee_wants} to learn"
            return text + (" (not at the level wanted)" if taught and not full else "")
        if taught == 0:
            how_many = f"none of the {wanted} skills"
        elif taught == wanted:
            how_many = "both skills" if wanted == 2 else f"all {wanted} skills"
        else:
            how_many = f"{taught} of the {wanted} skills"
        text = f"{v.mentor} can teach {how_many} {v.mentee_wants} to learn"
        if taught and full < taught:
            text += " (none at the level wanted)" if full == 0 else f" ({full} at the level wanted)"
        return text
    if key == GOALS:
        ge, shared, same_industry = facts
        industry = "same industry" if same_industry else "different industry"
        if not ge:
            goals = f"{v.mentee} listed no career goals"
        elif ge == 1:
            verb = (
                {"mentee": f"{v.mentor} shares", "mentor": "you share"}.get(v.reader, "shares")
                if shared
                else {"mentee": f"{v.mentor} doesn't share", "mentor": "you don't share"}.get(
                    v.reader, "doesn't share"
                )
            )
            goals = f"{verb} {v.mentee_s} career goal"
        else:
            verb = {"mentee": f"{v.mentor} shares", "mentor": "you share"}.get(v.reader, "shares")
            if shared == 0:
                how_many = f"none of {v.mentee_s} {ge}"
            elif shared == ge:
                how_many = f"both of {v.mentee_s}" if ge == 2 else f"all {ge} of {v.mentee_s}"
            else:
                how_many = f"{shared} of {v.mentee_s} {ge}"
            goals = f"{verb} {how_many} career goals"
        return f"{goals[0].upper()}{goals[1:]}; {industry}"
    if key == EXPERIENCE:
        (gap,) = facts
        if gap <= 0:
            return f"{v.mentor_has} no more experience than {v.mentee}"
        than = " than you" if v.reader == "mentee" else ""
        years = "year" if gap == 1 else "years"
        return f"{v.mentor_has} {gap:g} more {years} of experience{than}"
    if key == STYLE:
        (worst,) = facts
        axes = ("direct↔supportive", "structured↔exploratory", "written↔spoken")
        if worst < 0:
            return "Similar communication styles"
        return f"Communication styles differ most on {axes[worst]}"
    if key == TIME_ZONE:
        (d,) = facts
        if d == 0:
            return "Same time zone"
        return f"{d:g} hour apart" if d == 1 else f"{d:g} hours apart"
    if key == AVAILABILITY:
        (h,) = facts
        return f"{_plural(h, 'weekly hour')} in common" if h else "No weekly hours in common"
    if key == LANGUAGE:
        (n,) = facts
        return f"Share {_plural(n, 'language')}" if n else "No shared language"
    if key == LOCATION:
        remote_ok, person_ok, city, country = facts
        if remote_ok:
            return "Both can meet remotely" + (" (same city)" if city else "")
        if not person_ok:
            return "One wants to meet only remotely, the other only in person"
        if city:
            return "Can meet in person: same city"
        return "Can meet in person but in different cities" + (" (same country)" if country else "")
    ne, shared = facts
    if ne == 0:
        return f"{v.mentee} did not answer"
    if ne == 1:
        return f"Same answer as {v.mentee_s} choice" if shared else "Different answers"
    if shared == 0:
        return f"None of {v.mentee_s} {ne} choices in common"
    if shared == ne:
        both = "Both" if ne == 2 else f"All {ne}"
        return f"{both} of {v.mentee_s} choices in common"
    return f"Same answer on {shared} of {v.mentee_s} {ne} choices"
