"""Synthetic pools for tests and benchmarks (vectorised; 50,000 people in well under a second)."""

from __future__ import annotations

import numpy as np

from .data import Pool, Side

N_SKILLS = 30
N_GOALS = 12
N_INDUSTRIES = 10
N_LANGUAGES = 6
N_CITIES = 40
N_COUNTRIES = 8
N_DEPARTMENTS = 25
OFFSETS = np.array([-8, -7, -5, -4, -3, 0, 0, 0, 1, 1, 1, 2, 3, 5.5, 8, 9, 10], float)


def _bitset(rng, n, n_bits, p) -> np.ndarray:
    bits = rng.random((n, n_bits)) < p
    weights = np.uint64(1) << np.arange(n_bits, dtype=np.uint64)
    return (bits * weights).sum(axis=1, dtype=np.uint64)[:, None]


def _availability(rng, n, offsets) -> np.ndarray:
    """Each person is free a few evening/lunch hours on a few weekdays (local time)."""
    out = np.zeros((n, 3), np.uint64)
    days = rng.random((n, 7)) < 0.4
    hours = rng.choice([8, 12, 13, 17, 18, 19], size=(n, 2))
    for d in range(7):
        for h in range(hours.shape[1]):
            slot = (d * 24 + hours[:, h] - np.rint(offsets).astype(int)) % 168
            on = days[:, d]
            w, b = slot // 64, (slot % 64).astype(np.uint64)
            for word in range(3):
                sel = on & (w == word)
                out[sel, word] |= np.uint64(1) << b[sel]
    return out


def side(rng, n, *, mentor: bool, capacity=3, id_offset=0, questions=2) -> Side:
    skills = np.zeros((n, N_SKILLS), np.uint8)
    k = 3 if not mentor else 5
    for _ in range(k):
        cols = rng.integers(0, N_SKILLS, n)
        skills[np.arange(n), cols] = rng.integers(1, 6, n)
    years = rng.integers(8, 30, n) if mentor else rng.integers(0, 12, n)
    offsets = rng.choice(OFFSETS, n)
    country = rng.integers(0, N_COUNTRIES, n)
    n_people = 10**7
    return Side(
        ids=np.arange(n) + id_offset,
        skills=skills,
        industry=rng.integers(-1, N_INDUSTRIES, n),
        years=years.astype(float),
        goals=_bitset(rng, n, N_GOALS, 0.2),
        style=rng.uniform(-1, 1, (n, 3)),
        meeting_format=rng.choice([0, 1, 2], n, p=[0.5, 0.15, 0.35]),
        city=country * (N_CITIES // N_COUNTRIES) + rng.integers(0, N_CITIES // N_COUNTRIES, n),
        country=country,
        utc_offset=offsets,
        languages=_bitset(rng, n, N_LANGUAGES, 0.3) | np.uint64(1),
        availability=_availability(rng, n, offsets),
        capacity=np.broadcast_to(np.asarray(capacity), (n,)).copy() if mentor else np.ones(n),
        department=rng.integers(0, N_DEPARTMENTS, n),
        manager=np.where(rng.random(n) < 0.9, n_people + rng.integers(0, max(1, n // 8), n), -1),
        answers={f"q{q}": _bitset(rng, n, 4, 0.35) for q in range(questions)},
    )


def pool(n_mentees, n_mentors, capacity=3, seed=0, questions=2) -> Pool:
    rng = np.random.default_rng(seed)
    e = side(rng, n_mentees, mentor=False, questions=questions)
    m = side(
        rng, n_mentors, mentor=True, capacity=capacity, id_offset=n_mentees, questions=questions
    )
    return Pool(mentees=e, mentors=m)


DEFAULT_WEIGHTS = {
    "skills": 0.8,
    "goals": 0.6,
    "experience": 0.4,
    "style": 0.3,
    "time_zone": 0.3,
    "availability": 0.5,
    "language": 0.5,
    "location": 0.2,
    "custom:q0": 0.3,
    "custom:q1": 0.2,
}
