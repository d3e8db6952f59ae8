"""Input data for the matching engine: one side of a pool as numpy arrays, and a pool.

Everything here is plain Python/numpy: the Django layer turns profiles into `Person` records
(or builds `Side` arrays directly) and calls `build_pool`.

Conventions
- Sets (career goals, languages, custom-question options) are bitsets: ``uint64`` arrays of
  shape ``(n, words)``; bit ``b`` of the set is bit ``b % 64`` of word ``b // 64``.
- Weekly availability is a bitset of 168 hourly slots (slot = day * 24 + hour, Monday 00:00 UTC
  is slot 0) stored in 3 ``uint64`` words. Slots must be in UTC; `to_utc_slots` converts slots
  given in a person's local time.
- Unknown categorical values (industry, city, country, department, manager) are ``-1``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

SLOTS_PER_WEEK = 168
AVAILABILITY_WORDS = 3


class MeetingFormat(IntEnum):
    REMOTE = 0
    IN_PERSON = 1
    EITHER = 2

    @classmethod
    def parse(cls, value) -> MeetingFormat:
        if isinstance(value, MeetingFormat):
            return value
        if isinstance(value, int):
            return cls(value)
        return {"remote": cls.REMOTE, "in_person": cls.IN_PERSON, "either": cls.EITHER}[
            str(value).lower()
        ]


def words_for(bits: int) -> int:
    return max(1, (bits + 63) // 64)


def bitset_rows(rows: Sequence[Iterable[int]], n_bits: int) -> np.ndarray:
    """Bit positions per row → ``(len(rows), words)`` uint64 bitset."""
    out = np.zeros((len(rows), words_for(n_bits)), dtype=np.uint64)
    for r, bits in enumerate(rows):
        for b in bits:
            if not 0 <= b < n_bits:
                raise ValueError(f"bit {b} out of range 0..{n_bits - 1}")
            out[r, b >> 6] |= np.uint64(1) << np.uint64(b & 63)
    return out


def bits_of(words: np.ndarray) -> list[int]:
    """The bit positions set in one bitset row."""
    out = []
    for w, word in enumerate(np.asarray(words, dtype=np.uint64).tolist()):
        while word:
            low = word & -word
            out.append(w * 64 + low.bit_length() - 1)
            word ^= low
    return out


def popcount(words: np.ndarray) -> np.ndarray:
    """Number of set bits per row of a ``(n, words)`` bitset."""
    return np.bitwise_count(words).sum(axis=-1, dtype=np.int64)


def to_utc_slots(slots: Iterable[int], utc_offset_hours: float) -> list[int]:
    """Local weekly hour slots → UTC slots (whole-hour shift, wrapping around the week)."""
    shift = round(utc_offset_hours)
    return sorted({(s - shift) % SLOTS_PER_WEEK for s in slots})


@dataclass(frozen=True)
class Side:
    """One side of a pool (mentees or mentors) as arrays; ``n`` rows each.

    skills: ``(n, S)`` uint8, level 0–5 (0 = not listed). Mentees: want to learn; mentors: can
        teach. Both sides share the skill columns.
    goals, languages: ``(n, W)`` uint64 bitsets (same bit vocabulary on both sides).
    answers: question id → ``(n, W)`` uint64 bitset of chosen options (empty = not answered).
    capacity: mentors' capacity (ignored for mentees).
    ids / manager: person keys (ints) for reporting-line rules; manager -1 = none.
    """

    ids: np.ndarray
    skills: np.ndarray
    industry: np.ndarray
    years: np.ndarray
    goals: np.ndarray
    style: np.ndarray
    meeting_format: np.ndarray
    city: np.ndarray
    country: np.ndarray
    utc_offset: np.ndarray
    languages: np.ndarray
    availability: np.ndarray
    capacity: np.ndarray
    department: np.ndarray
    manager: np.ndarray
    answers: Mapping[Hashable, np.ndarray] = field(default_factory=dict)
    names: Sequence[str] | None = None

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def __post_init__(self):
        n = self.ids.shape[0]
        conv = {
            "ids": np.int64,
            "skills": np.uint8,
            "industry": np.int32,
            "years": np.float64,
            "goals": np.uint64,
            "style": np.float64,
            "meeting_format": np.int8,
            "city": np.int32,
            "country": np.int32,
            "utc_offset": np.float64,
            "languages": np.uint64,
            "availability": np.uint64,
            "capacity": np.int64,
            "department": np.int32,
            "manager": np.int64,
        }
        for name, dtype in conv.items():
            arr = np.ascontiguousarray(getattr(self, name), dtype=dtype)
            if arr.shape[0] != n:
                raise ValueError(f"{name}: expected {n} rows, got {arr.shape[0]}")
            object.__setattr__(self, name, arr)
        if self.skills.ndim != 2 or self.goals.ndim != 2 or self.languages.ndim != 2:
            raise ValueError("skills, goals and languages must be 2-d")
        if self.style.shape != (n, 3):
            raise ValueError("style must have shape (n, 3)")
        if self.availability.shape != (n, AVAILABILITY_WORDS):
            raise ValueError("availability must have shape (n, 3) uint64")
        if self.skills.size and self.skills.max() > 5:
            raise ValueError("skill levels must be 0–5")
        if np.abs(self.style).max(initial=0) > 1:
            raise ValueError("communication style axes must lie in [-1, 1]")
        if (self.capacity < 0).any():
            raise ValueError("capacity must be ≥ 0")
        answers = {}
        for q, arr in self.answers.items():
            arr = np.ascontiguousarray(arr, dtype=np.uint64)
            if arr.ndim != 2 or arr.shape[0] != n:
                raise ValueError(f"answers[{q!r}] must have shape (n, words)")
            answers[q] = arr
        object.__setattr__(self, "answers", answers)
        if self.names is not None and len(self.names) != n:
            raise ValueError("names must have one entry per row")

    def name(self, i: int, fallback: str) -> str:
        if self.names is not None and self.names[i]:
            return str(self.names[i])
        return fallback


@dataclass(frozen=True)
class Pool:
    """Mentees and mentors, plus pairs that were matched before (index pairs)."""

    mentees: Side
    mentors: Side
    previous_pairs: np.ndarray = field(default_factory=lambda: np.empty((0, 2), np.int64))
    # Labels for explanations, column/bit → human name (optional).
    skill_names: Sequence[str] | None = None
    # Custom question id (as in "custom:<id>") → its text, for labels (optional).
    question_names: Mapping[str, str] | None = None

    def __post_init__(self):
        prev = np.asarray(self.previous_pairs, dtype=np.int64).reshape(-1, 2)
        if len(prev) and (
            prev[:, 0].min() < 0
            or prev[:, 0].max() >= self.mentees.n
            or prev[:, 1].min() < 0
            or prev[:, 1].max() >= self.mentors.n
        ):
            raise ValueError("previous_pairs index out of range")
        object.__setattr__(self, "previous_pairs", prev)
        if self.mentees.skills.shape[1] != self.mentors.skills.shape[1]:
            raise ValueError("mentees and mentors must share skill columns")
        for name in ("goals", "languages"):
            if getattr(self.mentees, name).shape[1] != getattr(self.mentors, name).shape[1]:
                raise ValueError(f"mentees and mentors must share {name} bit vocabulary")
        for q, arr in self.mentees.answers.items():
            other = self.mentors.answers.get(q)
            if other is None or other.shape[1] != arr.shape[1]:
                raise ValueError(f"custom question {q!r} must be answered on both sides")

    @property
    def questions(self) -> list[Hashable]:
        return list(self.mentees.answers)


# ---------------------------------------------------------------------------------------------
# Records → arrays (what the Django layer uses)


@dataclass
class Person:
    """One participant's profile, with any hashable keys for skills, goals, languages, …"""

    id: Hashable
    name: str = ""
    skills: Mapping[Hashable, int] = field(default_factory=dict)
    industry: Hashable | None = None
    years: float = 0.0
    goals: Iterable[Hashable] = ()
    style: Sequence[float] = (0.0, 0.0, 0.0)
    meeting_format: MeetingFormat | str | int = MeetingFormat.EITHER
    city: Hashable | None = None
    country: Hashable | None = None
    utc_offset: float = 0.0
    languages: Iterable[Hashable] = ()
    availability: Iterable[int] = ()  # UTC hour slots 0..167
    capacity: int = 1
    department: Hashable | None = None
    manager: Hashable | None = None  # the manager's person id (same key space as `id`)
    answers: Mapping[Hashable, Iterable[Hashable]] = field(default_factory=dict)


class _Vocab:
    def __init__(self):
        self.index: dict[Hashable, int] = {}

    def __call__(self, key) -> int:
        if key is None or key == "":
            return -1
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def __len__(self):
        return len(self.index)

    def names(self) -> list[str]:
        return [str(k) for k in self.index]


def build_pool(
    mentees: Sequence[Person],
    mentors: Sequence[Person],
    previous_pairs: Iterable[tuple[Hashable, Hashable]] = (),
    questions: Iterable[Hashable] | None = None,
    question_names: Mapping[Hashable, str] | None = None,
) -> Pool:
    """Build a `Pool` from records. ``previous_pairs`` are (mentee id, mentor id) person ids;
    pairs naming people not in the pool are ignored. ``questions`` limits which custom
    questions become criteria (default: every question anyone answered)."""
    people = _Vocab()
    for p in (*mentees, *mentors):
        people(p.id)
    skills, goals, langs = _Vocab(), _Vocab(), _Vocab()
    industries, cities, countries, departments = _Vocab(), _Vocab(), _Vocab(), _Vocab()
    everyone = (*mentees, *mentors)
    for p in everyone:
        for k in p.skills:
            skills(k)
        for g in p.goals:
            goals(g)
        for lang in p.languages:
            langs(lang)
    if questions is None:
        qs: list[Hashable] = []
        for p in everyone:
            qs.extend(q for q in p.answers if q not in qs)
    else:
        qs = list(questions)
    options = {q: _Vocab() for q in qs}
    for p in everyone:
        for q in qs:
            for o in p.answers.get(q, ()):
                options[q](o)

    def side(records: Sequence[Person]) -> Side:
        n = len(records)
        sk = np.zeros((n, len(skills)), np.uint8)
        for r, p in enumerate(records):
            for k, level in p.skills.items():
                if not 0 <= int(level) <= 5:
                    raise ValueError(f"skill level {level!r} for {p.id!r} is not 1–5")
                sk[r, skills(k)] = int(level)
        avail = bitset_rows([list(p.availability) for p in records], SLOTS_PER_WEEK)
        avail = np.hstack([avail, np.zeros((n, AVAILABILITY_WORDS - avail.shape[1]), np.uint64)])
        mgr = [people(p.manager) if p.manager is not None else -1 for p in records]
        return Side(
            ids=np.array([people(p.id) for p in records], np.int64),
            names=[p.name for p in records],
            skills=sk,
            industry=np.array([industries(p.industry) for p in records], np.int32),
            years=np.array([float(p.years or 0) for p in records]),
            goals=bitset_rows([[goals(g) for g in p.goals] for p in records], len(goals)),
            style=np.array([list(p.style) for p in records], float).reshape(n, 3),
            meeting_format=np.array([MeetingFormat.parse(p.meeting_format) for p in records]),
            city=np.array([cities(p.city) for p in records], np.int32),
            country=np.array([countries(p.country) for p in records], np.int32),
            utc_offset=np.array([float(p.utc_offset or 0) for p in records]),
            languages=bitset_rows([[langs(x) for x in p.languages] for p in records], len(langs)),
            availability=avail,
            capacity=np.array([int(p.capacity) for p in records], np.int64),
            department=np.array([departments(p.department) for p in records], np.int32),
            manager=np.array(mgr, np.int64),
            answers={
                q: bitset_rows(
                    [[options[q](o) for o in p.answers.get(q, ())] for p in records],
                    len(options[q]),
                )
                for q in qs
            },
        )

    e_side, m_side = side(mentees), side(mentors)
    e_index = {p.id: i for i, p in enumerate(mentees)}
    m_index = {p.id: j for j, p in enumerate(mentors)}
    prev = [(e_index[a], m_index[b]) for a, b in previous_pairs if a in e_index and b in m_index]
    return Pool(
        mentees=e_side,
        mentors=m_side,
        previous_pairs=np.array(prev, np.int64).reshape(-1, 2),
        skill_names=skills.names(),
        question_names={str(k): v for k, v in (question_names or {}).items()},
    )
