"""The matching engine: plain Python/numpy, no Django.

Typical use from the Django layer::

    pool = build_pool(mentee_people, mentor_people, previous_pairs=[(mentee_id, mentor_id)])
    settings = Settings(weights=ms.weights, hard_rules=HardRules.from_dict(ms.hard_rules))
    result = match(pool, settings, locked=[(i, j)], excluded=[(i, j)])
    for i, j, score in result.pairs(): ...
    bd = breakdown(pool, settings, mentee_idx, mentor_idx)   # per-criterion bars, exact
    total, items = explain(pool, settings, i, j)             # plain words per criterion
    top_idx, top_score = Scorer(pool, settings).top_mentors(k=5)  # mentee-chooses mode
"""

from .assignment import (
    BELOW_MIN_SCORE,
    COVERAGE,
    MENTORS_FULL,
    NEEDED_ELSEWHERE,
    NO_FEASIBLE_MENTOR,
    OBJECTIVES,
    QUALITY,
    Certificate,
    MatchResult,
    Stats,
    Unmatched,
    greedy,
    match,
    solve_lsa,
    solve_mcf,
    statistics,
)
from .criteria import (
    CUSTOM_PREFIX,
    LABELS,
    RULE_TEXT,
    STANDARD_CRITERIA,
    HardRules,
    Settings,
    broken_rules,
    criterion_facts,
    criterion_text,
    custom_key,
    explanation_text,
)
from .data import (
    MeetingFormat,
    Person,
    Pool,
    Side,
    bits_of,
    bitset_rows,
    build_pool,
    popcount,
    to_utc_slots,
)
from .scoring import Breakdown, CriterionExplanation, Scorer, breakdown, explain

__all__ = [
    "BELOW_MIN_SCORE",
    "COVERAGE",
    "CUSTOM_PREFIX",
    "LABELS",
    "MENTORS_FULL",
    "NEEDED_ELSEWHERE",
    "NO_FEASIBLE_MENTOR",
    "OBJECTIVES",
    "QUALITY",
    "RULE_TEXT",
    "STANDARD_CRITERIA",
    "Breakdown",
    "Certificate",
    "CriterionExplanation",
    "HardRules",
    "MatchResult",
    "MeetingFormat",
    "Person",
    "Pool",
    "Scorer",
    "Settings",
    "Side",
    "Stats",
    "Unmatched",
    "bits_of",
    "bitset_rows",
    "breakdown",
    "broken_rules",
    "build_pool",
    "criterion_facts",
    "criterion_text",
    "custom_key",
    "explain",
    "explanation_text",
    "greedy",
    "match",
    "popcount",
    "solve_lsa",
    "solve_mcf",
    "statistics",
    "to_utc_slots",
]
