"""Capacity-aware assignment: maximise the cohort's total score under mentor capacities and
hard rules.

- Large pools: OR-Tools SimpleMinCostFlow on candidate arcs (each mentee's and each mentor's
  best partners, as many as seats per mentee call for: `candidate_k`, `Scorer.candidates`),
  to the mentors with seats left; every mentee also has an "unmatched" arc, so the flow is
  always feasible. A repair round then solves the mentees left unmatched against the
  mentors with seats left, over all their feasible pairs.
- Small pools (and the exact reference): scipy's linear_sum_assignment on the
  capacity-expanded matrix, or a dense min-cost flow over every feasible arc.

The objective is integer: each matched pair is worth round(score × 10⁶) + 1 (the +1 prefers
matching someone over leaving them out when scores tie at 0). Solvers are deterministic, and
arcs are built in a fixed order, so the same input gives the same output.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment

from .criteria import EXCLUDED, RULE_TEXT, SELF, Settings
from .data import Pool
from .scoring import Scorer, breakdown

SCALE = 1_000_000
SMALL_POOL_CELLS = 1_500_000  # free mentees × (seats + free mentees) for the exact LSA path
NO_FEASIBLE_MENTOR = "no_feasible_mentor"
MENTORS_FULL = "mentors_full"


@dataclass(frozen=True)
class Unmatched:
    mentee: int
    reason: str  # NO_FEASIBLE_MENTOR or MENTORS_FULL
    message: str
    rule: str | None = None  # the hard rule that ruled out the most mentors
    ruled_out: dict[str, int] = field(default_factory=dict)  # rule → mentors it rules out
    feasible_mentors: int = 0


@dataclass(frozen=True)
class Stats:
    mentees: int
    mentors: int
    seats: int
    matched: int
    unmatched: int
    coverage: float
    total_score: float
    mean_score: float
    min_score: float


@dataclass
class MatchResult:
    mentor_of: np.ndarray  # (n_mentees,) mentor index or -1
    score: np.ndarray  # (n_mentees,) exact score (float64), NaN if unmatched
    locked: np.ndarray  # (n_mentees,) bool
    unmatched: list[Unmatched]
    stats: Stats
    method: str
    timings: dict[str, float] = field(default_factory=dict)

    def pairs(self) -> list[tuple[int, int, float]]:
        """(mentee, mentor, score) for every matched mentee, by mentee index."""
        idx = np.flatnonzero(self.mentor_of >= 0)
        return [(int(i), int(self.mentor_of[i]), float(self.score[i])) for i in idx]


# ---------------------------------------------------------------------------------------------
# Solvers on arcs (mentee row position, mentor, integer gain)


def int_gain(scores: np.ndarray, bonus: float = 0.0) -> np.ndarray:
    return (
        np.rint(np.asarray(scores, np.float64) * SCALE).astype(np.int64) + 1 + round(bonus * SCALE)
    )


def solve_mcf(n_rows: int, capacity: np.ndarray, ei, mj, gain) -> np.ndarray:
    """Max-gain capacitated assignment on arcs (ei[k] ∈ [0, n_rows), mj[k]) → mentor per row
    (-1 = unmatched)."""
    m = len(capacity)
    out = np.full(n_rows, -1, np.int64)
    if n_rows == 0:
        return out
    smcf = min_cost_flow.SimpleMinCostFlow()
    sink = n_rows + m
    rows = np.arange(n_rows, dtype=np.int64)
    tails = np.concatenate([ei, rows, n_rows + np.arange(m)])
    heads = np.concatenate([n_rows + mj, np.full(n_rows, sink), np.full(m, sink)])
    caps = np.concatenate([np.ones(len(ei) + n_rows, np.int64), np.asarray(capacity, np.int64)])
    costs = np.concatenate([-np.asarray(gain, np.int64), np.zeros(n_rows + m, np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs  # OR-Tools keeps its own copy
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_rows] = 1
    supplies[sink] = -n_rows
    smcf.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = smcf.flows(np.arange(len(ei)))
    used = flows > 0
    out[np.asarray(ei)[used]] = np.asarray(mj)[used]
    return out


def solve_lsa(gain_matrix: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Exact max-gain assignment on a dense (rows × mentors) integer gain matrix, ≤ 0 meaning
    infeasible, by linear_sum_assignment on the capacity-expanded matrix plus one 'unmatched'
    column per row."""
    n, m = gain_matrix.shape
    out = np.full(n, -1, np.int64)
    if n == 0:
        return out
    slot_mentor = np.repeat(np.arange(m), np.asarray(capacity, np.int64))
    cost = np.zeros((n, len(slot_mentor) + n), np.float64)
    g = gain_matrix[:, slot_mentor].astype(np.float64)
    cost[:, : len(slot_mentor)] = np.where(g > 0, -g, 1.0)  # +1: worse than 'unmatched'
    r, c = linear_sum_assignment(cost)
    real = (c < len(slot_mentor)) & (cost[r, np.minimum(c, cost.shape[1] - 1)] < 0)
    out[r[real]] = slot_mentor[c[real]]
    return out


# ---------------------------------------------------------------------------------------------


def _validate_pairs(pairs, n, m, what) -> np.ndarray:
    arr = np.asarray(list(pairs) if not isinstance(pairs, np.ndarray) else pairs, np.int64)
    arr = arr.reshape(-1, 2)
    if len(arr) and (
        arr[:, 0].min() < 0 or arr[:, 0].max() >= n or arr[:, 1].min() < 0 or arr[:, 1].max() >= m
    ):
        raise ValueError(f"{what}: index out of range")
    return arr


def match(
    pool: Pool,
    settings: Settings,
    *,
    locked=(),
    excluded=(),
    method: str = "auto",
    match_bonus: float = 0.0,
    k_mentee: int | None = None,
    k_mentor: int | None = None,
    stride: int = 4,
    block_rows: int = 2048,
    scorer: Scorer | None = None,
) -> MatchResult:
    """Assign mentees to mentors.

    locked: (mentee, mentor) index pairs kept as they are (they use up capacity; hard rules
        are not re-checked for them — an admin chose them).
    excluded: (mentee, mentor) pairs an admin rejected (or a rematch's previous mentor): never
        proposed.
    method: "auto" (exact LSA for small pools, else candidate min-cost flow), "lsa", "flow"
        (candidate min-cost flow), "exact_flow" (min-cost flow over every feasible arc).
    match_bonus: added to every matched pair's score in the objective (favours coverage).
    k_mentee, k_mentor, stride, block_rows: candidate arcs for "flow", see `Scorer.candidates`
        (None: from seats per mentee and each mentor's capacity, `candidate_k`).
    """
    t0 = time.perf_counter()
    E, M = pool.mentees, pool.mentors
    n, m = E.n, M.n
    locked = _validate_pairs(locked, n, m, "locked")
    excluded = _validate_pairs(excluded, n, m, "excluded")
    if len(np.unique(locked[:, 0])) != len(locked):
        raise ValueError("locked: a mentee is locked to more than one mentor")
    residual = M.capacity - np.bincount(locked[:, 1], minlength=m)
    if (residual < 0).any():
        raise ValueError("locked: more pairs than the mentor's capacity")
    if method not in ("auto", "lsa", "flow", "exact_flow"):
        raise ValueError(f"unknown method {method!r}")
    sc = scorer if scorer is not None else Scorer(pool, settings, forbidden=excluded)
    t_build = time.perf_counter()

    mentor_of = np.full(n, -1, np.int64)
    mentor_of[locked[:, 0]] = locked[:, 1]
    free = np.flatnonzero(mentor_of < 0)
    seats = int(residual.sum())
    if method == "auto":
        small = len(free) * (seats + len(free)) <= SMALL_POOL_CELLS
        method = "lsa" if small else "flow"
    timings = {}
    if method == "lsa":
        gains = _dense_gain(sc, free, match_bonus)
        t_score = time.perf_counter()
        got = solve_lsa(gains, residual)
    else:
        if method == "exact_flow":
            ei, mj, sv = _all_feasible_arcs(sc, free, block_rows)
        else:
            ei, mj, sv = sc.candidates(
                free, k_mentee, k_mentor, stride, block_rows, capacity=residual
            )
        t_score = time.perf_counter()
        pos = np.full(n, -1, np.int64)
        pos[free] = np.arange(len(free))
        got = solve_mcf(len(free), residual, pos[ei], mj, int_gain(sv, match_bonus))
        timings["arcs"] = float(len(ei))
    mentor_of[free] = got
    t_assign = time.perf_counter()
    if method == "flow":
        _repair(sc, mentor_of, free, residual, match_bonus)
    t_repair = time.perf_counter()
    result = _finish(pool, settings, sc, mentor_of, locked, method)
    t_end = time.perf_counter()
    timings.update(
        prepare=t_build - t0,
        scoring=t_score - t_build,
        assignment=(t_assign - t_score) + (t_repair - t_assign),
        finish=t_end - t_repair,
        total=t_end - t0,
    )
    result.timings = timings
    return result


def _dense_gain(sc: Scorer, rows: np.ndarray, bonus: float) -> np.ndarray:
    c = sc.scores_for(rows)
    return np.where(c >= 0, int_gain(c, bonus), 0)


def _all_feasible_arcs(sc: Scorer, rows, block_rows):
    parts = []
    for r, c in sc.blocks(np.asarray(rows, np.int64), block_rows):
        ii, jj = np.nonzero(c >= 0)
        parts.append((r[ii], jj.astype(np.int64), c[ii, jj]))
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def _repair(sc: Scorer, mentor_of, free, capacity, bonus):
    """Mentees left unmatched by the candidate flow get a second, dense chance against the
    mentors with seats left (so nobody stays out while a feasible mentor has room)."""
    left = free[mentor_of[free] < 0]
    # capacity is what is left after the locks, so count only the free mentees' mentors
    used = np.bincount(mentor_of[free][mentor_of[free] >= 0], minlength=len(capacity))
    room = capacity - used
    open_mentors = np.flatnonzero(room > 0)
    if len(left) == 0 or len(open_mentors) == 0:
        return
    for b0 in range(0, len(left), 4096):
        rows = left[b0 : b0 + 4096]
        c = sc.scores_for(rows)[:, open_mentors]
        ii, jj = np.nonzero(c >= 0)
        if len(ii) == 0:
            continue
        got = solve_mcf(len(rows), room[open_mentors], ii, jj, int_gain(c[ii, jj], bonus))
        hit = got >= 0
        mentor_of[rows[hit]] = open_mentors[got[hit]]
        np.subtract.at(room, open_mentors[got[hit]], 1)
        open_mentors = np.flatnonzero(room > 0)
        if len(open_mentors) == 0:
            break


def _finish(pool, settings, sc: Scorer, mentor_of, locked, method) -> MatchResult:
    n = len(mentor_of)
    score = np.full(n, np.nan)
    hit = np.flatnonzero(mentor_of >= 0)
    if len(hit):
        score[hit] = breakdown(pool, settings, hit, mentor_of[hit]).totals
    is_locked = np.zeros(n, bool)
    is_locked[locked[:, 0]] = True
    unmatched = unmatched_reasons(pool, settings, sc, np.flatnonzero(mentor_of < 0), mentor_of)
    return MatchResult(
        mentor_of=mentor_of,
        score=score,
        locked=is_locked,
        unmatched=unmatched,
        stats=statistics(pool, mentor_of, score),
        method=method,
    )


def statistics(pool: Pool, mentor_of: np.ndarray, score: np.ndarray) -> Stats:
    matched = mentor_of >= 0
    s = score[matched]
    n = len(mentor_of)
    return Stats(
        mentees=n,
        mentors=pool.mentors.n,
        seats=int(pool.mentors.capacity.sum()),
        matched=int(matched.sum()),
        unmatched=int(n - matched.sum()),
        coverage=float(matched.mean()) if n else 1.0,
        total_score=float(s.sum()),
        mean_score=float(s.mean()) if len(s) else 0.0,
        min_score=float(s.min()) if len(s) else 0.0,
    )


def unmatched_reasons(pool, settings, sc: Scorer, rows, mentor_of) -> list[Unmatched]:
    """Why each mentee in ``rows`` has no mentor: no mentor passes the hard rules (naming the
    rule that ruled out the most), or every mentor who does is full."""
    out = []
    m = pool.mentors.n
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=m)
    full = load >= pool.mentors.capacity
    order = [SELF, *settings.hard_rules.active(), EXCLUDED]
    for b0 in range(0, len(rows), 512):
        r = np.asarray(rows[b0 : b0 + 512], np.int64)
        masks = sc.rule_masks(r)
        rules = [rule for rule in order if rule in masks]
        bad = np.zeros((len(r), m), bool)
        for v in masks.values():
            bad |= v
        counts = np.column_stack([masks[rule].sum(1) for rule in rules]).tolist()
        feasible = (m - bad.sum(1)).tolist()
        room = (~bad & ~full[None, :]).any(1).tolist()
        for k, i in enumerate(r.tolist()):
            nonzero = {rule: c for rule, c in zip(rules, counts[k], strict=True) if c}
            if feasible[k] == 0:
                rule = max(nonzero, key=lambda x: nonzero[x]) if nonzero else None
                if m == 0:
                    msg = "There are no mentors in the pool"
                else:
                    msg = (
                        f"No mentor passes the hard rules; most were ruled out by "
                        f"'{RULE_TEXT[rule]}' ({nonzero[rule]} of {m})"
                    )
                out.append(Unmatched(i, NO_FEASIBLE_MENTOR, msg, rule, nonzero, 0))
            else:
                msg = f"All {feasible[k]} mentor(s) who pass the hard rules are full"
                if room[k]:
                    msg = "Left unmatched although a feasible mentor has room"
                out.append(Unmatched(i, MENTORS_FULL, msg, None, nonzero, feasible[k]))
    return out


# ---------------------------------------------------------------------------------------------


def greedy(
    pool: Pool,
    settings: Settings,
    *,
    excluded=(),
    scorer: Scorer | None = None,
    k_mentee: int | None = None,
    k_mentor: int | None = None,
    stride: int = 4,
    block_rows: int = 2048,
):
    """Baseline: take candidate pairs best-first (ties by mentee, then mentor index), skipping
    mentees already matched and full mentors. Returns mentor_of (n,) and exact scores."""
    sc = (
        scorer
        if scorer is not None
        else Scorer(
            pool, settings, forbidden=_validate_pairs(excluded, pool.mentees.n, pool.mentors.n, "x")
        )
    )
    rows = np.arange(pool.mentees.n)
    ei, mj, sv = sc.candidates(rows, k_mentee, k_mentor, stride, block_rows)
    order = np.lexsort((mj, ei, -sv))
    room = pool.mentors.capacity.copy()
    mentor_of = np.full(pool.mentees.n, -1, np.int64)
    for i, j in zip(ei[order].tolist(), mj[order].tolist(), strict=True):
        if mentor_of[i] < 0 and room[j] > 0:
            mentor_of[i] = j
            room[j] -= 1
    score = np.full(pool.mentees.n, np.nan)
    hit = np.flatnonzero(mentor_of >= 0)
    if len(hit):
        score[hit] = breakdown(pool, settings, hit, mentor_of[hit]).totals
    return mentor_of, score
