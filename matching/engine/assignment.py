"""Capacity-aware assignment: the best matching of the whole cohort under mentor capacities and
hard rules, with a proof that it is the best.

- Objective (integer, exact): each matched pair is worth round(score × 10⁶) + 1 (the +1 makes
  a pair of score 0 better than no pair). ``objective="coverage"`` (the default) adds a bonus
  per pair larger than any total of scores, so the assignment matches as many mentees as the
  hard rules and capacities allow, and among those has the highest total score;
  ``"quality"`` drops the bonus (fewer, better pairs when that adds up to more). Pairs below
  ``min_score`` are never made.
- Large pools: OR-Tools SimpleMinCostFlow on candidate arcs (each mentee's and each mentor's
  best partners, `Scorer.candidates`), then a **certificate**: the LP duals of that optimum
  (a value per mentee and per mentor seat, `_duals`) price every allowed pair, streamed in
  blocks through the scorer (`_price`); pairs with positive reduced gain join the arcs and the
  flow is solved again, until none is left. Then the duals are feasible for the problem over
  all allowed pairs, so by LP duality (the transportation problem's polytope is integral) no
  assignment is worth more. If a round or time limit stops first, the duals still give a
  proven upper bound and the gap.
- Small pools (and the exact reference): scipy's linear_sum_assignment on the
  capacity-expanded matrix, or a min-cost flow over every allowed arc: exact by construction.

Solvers are deterministic and arcs are built in a fixed order; ties between equal scores in
candidate selection are broken by a seeded hash of the pair (`Scorer.tie`), so the same input
and seed give the same output and nobody is favoured for coming first.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .criteria import EXCLUDED, RULE_TEXT, SELF, Settings
from .data import Pool
from .scoring import _NUDGE, FEASIBLE, CandidateBound, Scorer, breakdown

SCALE = 1_000_000
SMALL_POOL_CELLS = 1_500_000  # free mentees × (seats + free mentees) for the exact LSA path
COVERAGE, QUALITY = "coverage", "quality"
OBJECTIVES = (COVERAGE, QUALITY)
NO_FEASIBLE_MENTOR = "no_feasible_mentor"
BELOW_MIN_SCORE = "below_min_score"
NEEDED_ELSEWHERE = "needed_elsewhere"  # coverage first: no rearrangement frees a place
MENTORS_FULL = "mentors_full"  # quality first: their places went to better-fitting pairs
MAX_PRICING_ROUNDS = 50


@dataclass(frozen=True)
class Certificate:
    """What is proven about the assignment, in the objective's integer units: ``objective`` is
    its value, ``upper_bound`` what no assignment over all allowed pairs can exceed (equal when
    ``certified``). ``rounds`` counts pricing rounds (every pair met so far, then a scan of
    the mentees who may have better ones), ``arcs_added`` the pairs the scans added. Gains
    come from the scorer's float32 scores (a pair's may differ by one unit between blocks of
    different shapes); the scores a result reports are recomputed exactly."""

    certified: bool
    objective: int
    upper_bound: int
    rounds: int = 0
    arcs_added: int = 0
    candidate_arcs: int = 0
    # The proof itself: a value per free mentee (in the order of ``rows``) and per mentor seat,
    # with row + mentor ≥ gain on every allowed pair when certified. Not stored with runs.
    rows: np.ndarray | None = field(default=None, repr=False, compare=False)
    row_duals: np.ndarray | None = field(default=None, repr=False, compare=False)
    mentor_duals: np.ndarray | None = field(default=None, repr=False, compare=False)
    bonus: int = 0

    @property
    def gap(self) -> float:
        """How far below the best possible the assignment may be, as a fraction."""
        return (self.upper_bound - self.objective) / self.upper_bound if self.upper_bound else 0.0


@dataclass(frozen=True)
class Unmatched:
    mentee: int
    reason: str  # NO_FEASIBLE_MENTOR, BELOW_MIN_SCORE, NEEDED_ELSEWHERE or MENTORS_FULL
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
    certificate: Certificate | None = None
    objective: str = COVERAGE

    def pairs(self) -> list[tuple[int, int, float]]:
        """(mentee, mentor, score) for every matched mentee, by mentee index."""
        idx = np.flatnonzero(self.mentor_of >= 0)
        return [(int(i), int(self.mentor_of[i]), float(self.score[i])) for i in idx]


# ---------------------------------------------------------------------------------------------
# Solvers on arcs (mentee row position, mentor, integer gain)


def int_gain(scores: np.ndarray, bonus: float | int = 0) -> np.ndarray:
    """Each pair's worth in the objective: round(score × 10⁶) + 1, plus ``bonus`` (an int is in
    those units; a float is a score, scaled like one)."""
    extra = bonus if isinstance(bonus, int | np.integer) else round(bonus * SCALE)
    return np.rint(np.asarray(scores, np.float64) * SCALE).astype(np.int64) + 1 + int(extra)


def coverage_bonus(n_rows: int) -> int:
    """A bonus per matched pair larger than any total of (score + 1) units over ``n_rows``
    mentees, so one more pair always outweighs every difference in scores."""
    return (n_rows + 1) * (SCALE + 1)


def solve_mcf(n_rows: int, capacity: np.ndarray, ei, mj, gain, cover: int = 0) -> np.ndarray:
    """Max-gain capacitated assignment on arcs (ei[k] ∈ [0, n_rows), mj[k]) → mentor per row
    (-1 = unmatched). ``cover``: the coverage bonus included in every gain; then the solver
    finds a maximum matching of the greatest gain without it (the same optimum, and the
    smaller costs take the cost-scaling solver fewer phases)."""
    m = len(capacity)
    out = np.full(n_rows, -1, np.int64)
    if n_rows == 0:
        return out
    smcf = min_cost_flow.SimpleMinCostFlow()
    sink = n_rows + m
    rows = np.arange(n_rows, dtype=np.int64)
    bypass = 0 if cover else n_rows  # a row's arc straight to the sink: it stays unmatched
    tails = np.concatenate([ei, rows[:bypass], n_rows + np.arange(m)])
    heads = np.concatenate([n_rows + mj, np.full(bypass, sink), np.full(m, sink)])
    caps = np.concatenate([np.ones(len(ei) + bypass, np.int64), np.asarray(capacity, np.int64)])
    costs = np.concatenate(
        [np.int64(cover) - np.asarray(gain, np.int64), np.zeros(bypass + m, np.int64)]
    )
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs  # OR-Tools keeps its own copy
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_rows] = 1
    supplies[sink] = -n_rows
    smcf.set_nodes_supplies(np.arange(sink + 1), supplies)
    status = smcf.solve_max_flow_with_min_cost() if cover else smcf.solve()
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
    objective: str = COVERAGE,
    min_score: float = 0.0,
    seed: int = 0,
    match_bonus: float = 0.0,
    max_rounds: int = MAX_PRICING_ROUNDS,
    time_limit: float | None = None,
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
    method: "auto" (exact LSA for small pools, else candidate min-cost flow with its
        certificate), "lsa", "flow", "exact_flow" (min-cost flow over every allowed arc).
    objective: "coverage" (as many matched as possible, then the best total) or "quality".
    min_score: pairs scoring below it are never made.
    seed: the tie-break among equal scores (`Scorer.tie`).
    match_bonus: added to every matched pair's score in the objective.
    max_rounds, time_limit: when "flow" stops pricing without a certificate (then the result
        carries the proven upper bound).
    k_mentee, k_mentor, stride, block_rows: candidate arcs for "flow", see `Scorer.candidates`.
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
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}")
    if not 0 <= min_score <= 1:
        raise ValueError("min_score must be between 0 and 1")
    sc = scorer if scorer is not None else Scorer(pool, settings, forbidden=excluded, seed=seed)
    t_build = time.perf_counter()

    mentor_of = np.full(n, -1, np.int64)
    mentor_of[locked[:, 0]] = locked[:, 1]
    free = np.flatnonzero(mentor_of < 0)
    seats = int(residual.sum())
    cover = coverage_bonus(len(free)) if objective == COVERAGE else 0
    bonus = round(match_bonus * SCALE) + cover
    if method == "auto":
        small = len(free) * (seats + len(free)) <= SMALL_POOL_CELLS
        method = "lsa" if small else "flow"
    timings = {}
    if method == "lsa":
        gains = _dense_gain(sc, free, bonus, min_score)
        t_score = time.perf_counter()
        got = solve_lsa(gains, residual)
        ri, mj = np.nonzero(gains > 0)
        u, v = _duals(len(free), residual, ri, mj, gains[ri, mj], got)
        value = int(u.sum() + (residual * v).sum())
        certificate = Certificate(True, value, value, 0, 0, len(ri), free, u, v, bonus)
    else:
        if method == "exact_flow":
            ei, mj, sv = _all_feasible_arcs(sc, free, block_rows, min_score)
            bound = CandidateBound(np.full(len(free), -np.inf), np.full(m, -np.inf))
        else:
            ei, mj, sv, bound = sc.candidates(
                free, k_mentee, k_mentor, stride, block_rows, capacity=residual, bounds=True
            )
            keep = sv >= min_score
            ei, mj, sv = ei[keep], mj[keep], sv[keep]
        t_score = time.perf_counter()
        pos = np.full(n, -1, np.int64)
        pos[free] = np.arange(len(free))
        got, certificate = _solve_certified(
            sc, free, pos, residual, pos[ei], mj, int_gain(sv, bonus), bound=bound,
            bonus=bonus, cover=cover, min_score=min_score, block_rows=block_rows,
            max_rounds=0 if method == "exact_flow" else max_rounds,
            deadline=None if time_limit is None else t0 + time_limit,
        )  # fmt: skip
        timings["arcs"] = float(len(ei) + certificate.arcs_added)
    mentor_of[free] = got
    t_assign = time.perf_counter()
    result = _finish(pool, settings, sc, mentor_of, locked, method, objective, min_score)
    result.certificate = certificate
    t_end = time.perf_counter()
    timings.update(
        prepare=t_build - t0,
        scoring=t_score - t_build,
        assignment=t_assign - t_score,
        finish=t_end - t_assign,
        total=t_end - t0,
    )
    result.timings = timings
    return result


NEAR = 20_000  # 0.02 of a score: pairs this close to entering are kept for the next solve
BUDGET = 1  # near pairs a scan keeps, per mentee and mentor
PER_ROW = 8  # past the budget, pairs a scan adds per mentee at most, the most improving first


def _solve_certified(
    sc, free, pos, capacity, ri, mj, gain, *, bound, bonus, cover, min_score, block_rows,
    max_rounds, deadline,
):  # fmt: skip
    """Solve on the arcs, then price every allowed pair against the duals, and re-solve with
    the pairs that would improve it, until none does (certified) or a limit stops it (bounded).

    Pricing is cheap where it can be: every pair met so far (the candidates and what scans
    added) is kept with its gain and priced directly; of the others, only the mentees whose
    `CandidateBound` (what a pair not met can score) leaves room for an improving pair are
    scored again — usually few, since a mentee's unmet pairs score below its own best ones —
    and not even those if their last scan showed every unmet pair at least some margin below
    entering and the duals have not moved by more since. The next solve runs on the pairs
    within NEAR of entering (those used have reduced gain 0)."""
    n_rows, m = len(free), len(capacity)
    capacity = np.asarray(capacity, np.int64)
    closed = capacity <= 0
    first = len(ri)
    if cover:
        more = _bridges(sc, free, pos, capacity, ri, mj, bonus, min_score, block_rows)
        ri, mj, gain = (np.concatenate([a, b]) for a, b in zip((ri, mj, gain), more, strict=True))
    rounds = added = 0
    near = np.ones(len(ri), bool)  # the arcs of the next solve
    # Per row, how far below entering every pair not met yet is at least, from its last scan
    # (−inf: never scanned), kept true as the duals move.
    slack = np.full(n_rows, -np.inf)
    last = got = changed = None  # changed: the arcs the last solve didn't have
    while True:
        got = _solve_changed(
            n_rows, capacity, ri[near], mj[near], gain[near], cover, got,
            None if changed is None else changed[near],
        )  # fmt: skip
        u, v = _duals(n_rows, capacity, ri[near], mj[near], gain[near], got)
        # A mentor with no seat left takes nobody: any value proves that (it adds nothing).
        v[closed] = bonus + SCALE + NEAR + 2
        # Strong duality on the arcs so far: the duals' value is the assignment's.
        value = int(u.sum() + (capacity * v).sum())
        proof = (free, u, v, bonus)
        red = gain - u[ri] - v[mj]
        excess = np.zeros(n_rows, np.int64)
        up = red > 0
        np.maximum.at(excess, ri[up], red[up])
        # Pairs not met, priced at the last duals, fall by at most Δu[i] + Δv[j] since. The
        # few mentors whose v fell the most (`_fallen`) are priced for every mentee (a thin
        # column scan), so that they don't lower every mentee's margin.
        fallen = np.empty(0, np.int64)
        if last is not None:
            dv = np.where(closed, 0, v - last[1])
            fallen = _fallen(dv)
            rest = np.delete(dv, fallen)
            slack += (u - last[0]) + rest.min(initial=0)
        last = (u, v)
        scan = _rows_to_scan(bound, u, v, bonus, closed)
        scan = scan[~(slack[scan] >= 0)]
        new = []
        rounds += 1
        known = None
        budget = int(BUDGET * (n_rows + m))  # near pairs kept per scan, the closest first
        others = np.ones(n_rows, bool)
        others[scan] = False
        for rows, mentors in ((scan, None), (np.flatnonzero(others), fallen)):
            if not len(rows) or (mentors is not None and not len(mentors)):
                continue
            if known is None:
                known = np.sort(ri * m + mj)  # (np.unique hashes: far slower here)
            *arcs, more, kept_to = _price(
                sc, free[rows], pos, u, v, bonus, min_score, block_rows, NEAR, known, budget,
                PER_ROW, mentors=mentors,
            )  # fmt: skip
            np.maximum(excess, more, out=excess)
            slack[rows] = kept_to[rows] if mentors is None else np.minimum(
                slack[rows], kept_to[rows]
            )  # fmt: skip
            new.append(arcs)
        new_ri, new_mj, new_gain = (
            (np.concatenate([a[k] for a in new]) for k in range(3))
            if new
            else (np.empty(0, np.int64),) * 3
        )
        if not excess.any():
            return got, Certificate(True, value, value, rounds, added, first, *proof)
        if rounds >= max_rounds or (deadline is not None and time.perf_counter() > deadline):
            bound_value = value + int(excess.sum())
            return got, Certificate(False, value, bound_value, rounds, added, first, *proof)
        added += int(len(new_ri))
        keep = red >= -NEAR
        changed = np.concatenate([keep & ~near, np.ones(len(new_ri), bool)])
        near = np.concatenate([keep, np.ones(len(new_ri), bool)])
        ri = np.concatenate([ri, new_ri])
        mj = np.concatenate([mj, new_mj])
        gain = np.concatenate([gain, new_gain])


def _solve_changed(n_rows, capacity, ri, mj, gain, cover, got=None, changed=None) -> np.ndarray:
    """`solve_mcf` on the arcs, one connected component at a time (of the graph of rows and
    mentors joined by the arcs), and only where they changed. Components are independent
    problems: hard rules often split a pool (time zones, languages), two smaller solves take
    the solver less time than one, and after a pricing round those without a ``changed`` arc
    keep ``got`` (the last solve's optimum: on a subset of its arcs that holds the pairs it
    uses, it is still optimal)."""
    m = len(capacity)
    out = np.full(n_rows, -1, np.int64) if got is None else got.copy()
    if len(ri) == 0:
        return out
    label = _components(n_rows, m, ri, mj)
    arc_label = label[ri]
    size = np.bincount(arc_label, minlength=label.max() + 1)
    dirty = size > 0
    if got is not None:
        dirty[:] = False
        dirty[arc_label[changed]] = True
    # Each large component alone; the small ones together (a solve has a fixed cost).
    big = dirty & (size >= SPLIT_ARCS)
    groups = [label == c for c in np.flatnonzero(big)]
    if (dirty & ~big).any():
        groups.append((dirty & ~big)[label])
    for node in groups:
        rows, mentors = np.flatnonzero(node[:n_rows]), np.flatnonzero(node[n_rows:])
        arc = node[ri]
        row_at = np.full(n_rows, -1, np.int64)
        row_at[rows] = np.arange(len(rows))
        mentor_at = np.full(m, -1, np.int64)
        mentor_at[mentors] = np.arange(len(mentors))
        part = solve_mcf(
            len(rows), capacity[mentors], row_at[ri[arc]], mentor_at[mj[arc]], gain[arc], cover
        )  # fmt: skip
        out[rows] = np.where(part >= 0, mentors[np.maximum(part, 0)], -1)
    return out


SPLIT_ARCS = 20_000  # a component with fewer arcs is solved with the other small ones


def _components(n_rows, m, ri, mj) -> np.ndarray:
    """The connected component of each node of the arc graph: rows 0…n_rows−1, then mentors."""
    graph = csr_matrix((np.ones(len(ri), np.int8), (ri, n_rows + mj)), (n_rows + m,) * 2)
    return connected_components(graph, directed=False)[1]


def _rank_in_groups(group) -> np.ndarray:
    """Each entry's place (0, 1, …) within its run of equal ``group`` values (sorted)."""
    first = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    return np.arange(len(group)) - np.repeat(first, np.diff(np.r_[first, len(group)]))


BRIDGES = 4  # per seat to spare: a mentor's best mentees of the parts short of seats


def _bridges(sc, free, pos, capacity, ri, mj, bonus, min_score, block_rows):
    """Arcs between the parts of the candidate graph, for coverage: when everyone's best
    partners are alike (one language, one city), the candidate arcs fall apart into parts with
    more mentees than seats and parts with seats to spare, and no flow on them matches everyone
    it could. Each mentor of a part with seats to spare gets its best few mentees of the parts
    short of seats (equal scores by the tie hash), so the first solve already crosses over."""
    none = (np.empty(0, np.int64),) * 3
    n_rows, m = len(free), len(capacity)
    if len(ri) == 0:
        return none
    label = _components(n_rows, m, ri, mj)
    count = label.max() + 1
    rows_in = np.bincount(label[:n_rows], minlength=count)
    seats_in = np.bincount(label[n_rows:], weights=capacity, minlength=count)
    short, spare = rows_in > seats_in, seats_in > rows_in
    rows = np.flatnonzero(short[label[:n_rows]])
    mentors = np.flatnonzero(spare[label[n_rows:]] & (capacity > 0))
    if not len(rows) or not len(mentors):
        return none
    want = np.zeros(m, np.int64)
    want[mentors] = BRIDGES * capacity[mentors]
    floor = np.float32(min_score) if min_score > 0 else FEASIBLE
    found = []  # (row positions, mentors, scores, keys): each block's best per mentor
    for r, cols, out in sc.raw_blocks(free[rows], block_rows, mentors):
        cols = np.arange(m) if cols is None else cols
        key = out - sc.tie(r[:, None], cols[None, :]).astype(np.float32) * np.float32(
            _NUDGE / 2**32
        )  # fmt: skip
        key[out < floor] = -np.inf
        k = min(int(want[cols].max(initial=0)), len(r))
        if k == 0:
            continue
        top = np.argpartition(-key, k - 1, axis=0)[:k]  # (k, columns): row indices
        at = (top, np.arange(len(cols))[None, :])
        ok = np.isfinite(key[at])
        found.append((
            pos[r[top[ok]]], np.broadcast_to(cols, top.shape)[ok], out[at][ok], key[at][ok]
        ))  # fmt: skip
    if not found:
        return none
    pr, pm, ps, pk = (np.concatenate([f[i] for f in found]) for i in range(4))
    order = np.lexsort((-pk, pm))
    pr, pm, ps = pr[order], pm[order], ps[order]
    keep = _rank_in_groups(pm) < want[pm]
    return pr[keep], pm[keep], int_gain(np.clip(ps[keep], 0.0, 1.0), bonus)


FALLEN_SHARE = 0.01  # of the mentors: those whose v fell the most, priced column-wise


def _fallen(dv) -> np.ndarray:
    """The mentors whose dual fell the most since the last round (at most FALLEN_SHARE of
    them, only those that fell)."""
    k = min(int(np.ceil(FALLEN_SHARE * len(dv))), len(dv))
    if k == 0:
        return np.empty(0, np.int64)
    worst = np.argpartition(dv, k - 1)[:k]
    return np.sort(worst[dv[worst] < 0])


def _rows_to_scan(bound, u, v, bonus, closed) -> np.ndarray:
    """Row positions that may have an improving pair not met yet: some mentor j with
    min(G(row bound), G(col bound j)) − u − v[j] > 0, G a score's gain. Found without
    pairing every row with every mentor: sort the mentors by v; a row needs
    v[j] < G(row) − u and G(col j) − v[j] > u for one j, i.e. the best G(col) − v among the
    mentors below its v threshold beats u. Mentors with no seat (``closed``) can't improve
    anything (their v is above every gain)."""
    g_row = _bound_gain(bound.row, bonus)
    g_col = np.where(closed, -np.inf, _bound_gain(bound.col, bonus))
    order = np.argsort(v, kind="stable")
    vs = v[order]
    best = np.maximum.accumulate(np.r_[-np.inf, (g_col - v)[order]])
    k = np.searchsorted(vs, g_row - u, side="left")  # mentors with v < G(row) − u
    return np.flatnonzero(best[k] > u)


def _bound_gain(score_bound, bonus) -> np.ndarray:
    """The gain a pair scoring at most ``score_bound`` may have, one unit up for float32, as
    float64 (−inf: no feasible pair; +inf: no bound)."""
    b = np.minimum(np.asarray(score_bound, np.float64), 1.0)
    g = np.ceil(b * SCALE) + 2 + bonus
    return np.where(b < 0, -np.inf, np.where(np.isinf(score_bound), np.inf, g))


def _duals(n_rows, capacity, ri, mj, gain, row_mentor):
    """LP duals of an optimal assignment on the arcs (ri[k], mj[k]) worth gain[k]: u ≥ 0 per
    row, v ≥ 0 per mentor (a seat's value), with u[i] + v[j] ≥ gain on every arc and equality
    on the arcs used (complementary slackness: an unmatched row has u = 0, a mentor with a free
    seat v = 0).

    v is the least solution of the difference constraints those imply — longest paths from
    v = max(0, gains of unmatched rows) along "row i moves from its mentor j' to j" (weight
    gain[i, j] − gain[i, j']) — found by label correcting, frontier by frontier. An optimum
    has no positive cycle, so it ends; a violated check means the assignment wasn't optimal."""
    m = len(capacity)
    ri, mj, gain = np.asarray(ri, np.int64), np.asarray(mj, np.int64), np.asarray(gain, np.int64)
    matched = row_mentor >= 0
    own = np.zeros(n_rows, np.int64)
    is_own = row_mentor[ri] == mj
    np.maximum.at(own, ri[is_own], gain[is_own])  # a duplicated arc: the one used is the best
    v = np.zeros(m, np.int64)
    un = ~matched[ri]
    np.maximum.at(v, mj[un], gain[un])
    moves = matched[ri] & ~is_own
    src = row_mentor[ri[moves]]
    dst, w = mj[moves], gain[moves] - own[ri[moves]]
    order = np.argsort(src, kind="stable")
    src, dst, w = src[order], dst[order], w[order]
    ptr = np.searchsorted(src, np.arange(m + 1))
    frontier = np.arange(m)
    for _ in range(m + 2):
        counts = ptr[frontier + 1] - ptr[frontier]
        total = int(counts.sum())
        if total == 0:
            break
        starts = np.repeat(ptr[frontier] - np.cumsum(counts) + counts, counts)
        k = starts + np.arange(total)
        cand = v[src[k]] + w[k]
        better = cand > v[dst[k]]
        if not better.any():
            break
        d = dst[k][better]
        np.maximum.at(v, d, cand[better])
        seen = np.zeros(m, bool)
        seen[d] = True
        frontier = np.flatnonzero(seen)
    else:
        raise RuntimeError("assignment duals did not converge: the flow was not optimal")
    u = np.where(matched, own - v[np.maximum(row_mentor, 0)], 0)
    load = np.bincount(row_mentor[matched], minlength=m)
    if (u < 0).any() or (v[load < np.asarray(capacity)] != 0).any():
        raise RuntimeError("assignment duals are infeasible: the flow was not optimal")
    return u, v


def _price(
    sc: Scorer, free, pos, u, v, bonus, min_score, block_rows, near=0, known=None, budget=None,
    per_row=None, mentors=None,
):  # fmt: skip
    """Every allowed pair of the mentees ``free`` (and the ``mentors``, if given; not below
    ``min_score``, not in ``known``:
    row position × m + mentor, sorted) whose reduced gain — gain minus its row's and mentor's
    duals — exceeds −``near``: (row positions, mentors, gains), per row position the largest
    positive reduced gain (what the duals fall short by, for the upper bound; all zero when
    the duals are feasible), and per row position how far below entering every pair of it not
    returned (nor known) is at least. When more than ``budget`` pairs are that close, the
    closest are kept (every positive one included), and past the budget a row's ``per_row``
    most improving ones only. Scores are compared in float32 first, with a margin for
    float32's rounding of the large dual values, then exactly in integers."""
    m = len(v)
    # reduced > F ⟺ rint(s·SCALE) ≥ u + v − bonus + F ⟸ s·SCALE ≥ u + v − bonus + F − ½. With
    # the coverage bonus the duals are about 0 or about one bonus each; comparing them in
    # float32 would lose every digit that matters, so each is split into its multiple of the
    # bonus (ku, kv) and a small rest: s·SCALE ≥ bonus·(ku + kv − 1) + (ru + rv + F − ½). A pair
    # whose multiples add up to 2 can never improve (s ≤ 1), one whose add up to 0 always
    # does; the others compare rests.
    if bonus > 0:
        ku, kv = np.rint(u / bonus).astype(np.int64), np.rint(v / bonus).astype(np.int64)
        ru, rv = u - ku * bonus, v - kv * bonus
        never_r, never_c = ku >= 1, kv >= 1
        always_r, always_c = ku <= 0, kv <= 0
    else:
        ru, rv = u, v
    b = rv.astype(np.float64) / SCALE
    b32 = b.astype(np.float32)
    top_b = float(np.abs(b).max(initial=0))
    # Allowed: feasible and not below min_score (as the candidates', on clipped scores).
    floor = np.float32(min_score) if min_score > 0 else FEASIBLE
    parts, excess = [], np.zeros(len(u), np.int64)  # per row position
    held, floor_red = 0, -near  # pairs kept so far; they all have reduced gain > floor_red
    dropped = np.full(len(u), -np.inf)  # per row, the best pair the per-row cap left out
    th = None
    a32, a_floor = _row_thresholds(ru, floor_red, top_b), floor_red
    for rows, cols, out in sc.raw_blocks(free, block_rows, mentors):
        if floor_red != a_floor:  # the floor rose: fewer pairs need a closer look
            a32, a_floor = _row_thresholds(ru, floor_red, top_b), floor_red
        p = pos[rows]
        bc = b32 if cols is None else b32[cols]
        if th is None or th.size < out.size:
            th = np.empty(out.size, np.float32)
        t = th[: out.size].reshape(out.shape)
        np.add(a32[p][:, None], bc[None, :], out=t)
        hit = out >= t
        if bonus > 0:
            kvc = kv if cols is None else kv[cols]
            if (ku[p] + kvc.max(initial=0) >= 2).any():
                nc = never_c if cols is None else never_c[cols]
                hit &= ~(never_r[p][:, None] & nc[None, :])
            if (ku[p] + kvc.min(initial=0) <= 0).any():
                ac = always_c if cols is None else always_c[cols]
                hit |= always_r[p][:, None] & ac[None, :]
            if (np.abs(ku[p]) > 1).any() or (np.abs(kvc) > 1).any():  # can't happen; be safe
                hit |= out >= 0
        hit &= out >= floor
        ii, jl = np.nonzero(hit)  # row-major: sorted by ii, then jl
        if len(ii) == 0:
            continue
        jj = jl if cols is None else cols[jl]
        g = int_gain(np.clip(out[hit], 0.0, 1.0), bonus)
        red = g - u[p[ii]] - v[jj]
        fresh = np.ones(len(ii), bool)  # not known: known pairs are priced by the caller
        if known is not None and len(known):
            key = p[ii] * m + jj
            at = np.minimum(np.searchsorted(known, key), len(known) - 1)
            fresh = known[at] != key
        ok = (red > floor_red) & fresh
        if per_row is not None and held > (budget or 0) and ok.any():
            # Past the budget, a row's best few only: many more would each improve it alone,
            # but not together (ties), and each one added slows the next solve. Rows come
            # whole, so a row's best are its best over all mentors.
            keep = _best_per_row(ok, ii, jl, red, sc.tie, rows[ii], jj, out.shape[1], per_row)
            if keep is not None:
                out_ = ok & ~keep
                np.maximum.at(dropped, p[ii[out_]], red[out_].astype(np.float64))
                ok = keep
        if ok.any():
            parts.append((p[ii[ok]], jj[ok].astype(np.int64), g[ok], red[ok]))
            held += int(ok.sum())
        up = (red > 0) & fresh
        if up.any():
            np.maximum.at(excess, p[ii[up]], red[up])
        if budget is not None and held > 2 * budget and floor_red < 0:
            parts, floor_red = _closest(parts, budget, floor_red)
            held = sum(len(x[0]) for x in parts)
    if budget is not None and held > budget and floor_red < 0:
        parts, floor_red = _closest(parts, budget, floor_red)
    kept_to = -np.maximum(dropped, floor_red)
    if not parts:
        empty = np.empty(0, np.int64)
        return empty, empty, empty, excess, kept_to
    return (*(np.concatenate([x[i] for x in parts]) for i in range(3)), excess, kept_to)


def _row_thresholds(ru, floor_red, top_b) -> np.ndarray:
    """Per row, the float32 a such that a + b[j] (in float32) ≤ (ru + rv[j] + floor_red − ½)
    / SCALE for every mentor j, |b[j]| ≤ top_b: rounding a, b and their sum each err by at
    most half a float32 step, so a is lowered by those three steps (doubled, to be safe)."""
    a = (ru.astype(np.float64) + floor_red - 0.5) / SCALE
    mag = np.abs(a)
    steps = (
        np.spacing(mag.astype(np.float32))
        + np.spacing(np.float32(top_b))
        + np.spacing((mag + top_b).astype(np.float32))
    ).astype(np.float64)
    return (a - steps).astype(np.float32)


def _best_per_row(ok, ii, jl, red, tie, mentee, mentor, ncols, per_row) -> np.ndarray | None:
    """Of the entries ``ok`` (block row ``ii``, column ``jl``, sorted by both), each row's
    ``per_row`` of the largest ``red``, equal ones by the tie hash of (mentee, mentor); None when
    no row has more. A dense top-k per row on a few rows at a time: sorting millions of
    improving pairs (an unmatched mentee and free mentors) cost more than the scan."""
    sel = np.flatnonzero(ok)
    count = np.bincount(ii[sel], minlength=int(ii[-1]) + 1)
    heavy = count > per_row
    if not heavy.any():
        return None
    keep = ok.copy()
    sel = sel[heavy[ii[sel]]]
    keep[sel] = False
    # Larger is better: the reduced gain (|red| < 2⁴²), then a lower tie hash (its top bits).
    key = (red[sel].astype(np.int64) << 20) + (
        (1 << 20) - 1 - (tie(mentee[sel], mentor[sel]) >> 12).astype(np.int64)
    )
    rows = np.flatnonzero(heavy)
    if len(sel) * 16 < len(rows) * ncols:  # few per row: sorting them is cheaper
        order = np.lexsort((-key, ii[sel]))
        ranked = sel[order]
        keep[ranked[_rank_in_groups(ii[ranked]) < per_row]] = True
        return keep
    code = ii[sel].astype(np.int64) * ncols + jl[sel]
    step = max(1, (1 << 22) // max(ncols, 1))  # rows per dense chunk: ~32 MB
    # Distinct fillers below every key: selection slows down tenfold on many equal values.
    low = np.iinfo(np.int64).min + np.arange(ncols)
    for r0 in range(0, len(rows), step):
        chunk = rows[r0 : r0 + step]
        lo, hi = np.searchsorted(code, [chunk[0] * ncols, (chunk[-1] + 1) * ncols])
        dense = np.empty((len(chunk), ncols), np.int64)
        dense[:] = low
        at = np.searchsorted(chunk, ii[sel[lo:hi]])
        dense[at, jl[sel[lo:hi]]] = key[lo:hi]
        top = np.argpartition(dense, ncols - per_row, axis=1)[:, ncols - per_row :]
        want = chunk[:, None] * ncols + top
        keep[sel[np.searchsorted(code, want.ravel())]] = True
    return keep


def _closest(parts, budget, floor_red):
    """Keep about ``budget`` of the collected pairs, the closest to entering (all positive
    ones), and the reduced gain every dropped pair is at most."""
    red = np.concatenate([x[3] for x in parts])
    cols = [np.concatenate([x[i] for x in parts]) for i in range(3)]
    k = min(budget, len(red) - 1)
    cut = min(int(np.partition(red, len(red) - 1 - k)[len(red) - 1 - k]), 0)
    floor_red = max(floor_red, cut)
    keep = red > floor_red
    return [(*(c[keep] for c in cols), red[keep])], floor_red


def _dense_gain(sc: Scorer, rows: np.ndarray, bonus: int, min_score: float) -> np.ndarray:
    c = sc.scores_for(rows)
    return np.where((c >= 0) & (c >= min_score), int_gain(np.clip(c, 0, 1), bonus), 0)


def _all_feasible_arcs(sc: Scorer, rows, block_rows, min_score=0.0):
    parts = []
    for r, c in sc.blocks(np.asarray(rows, np.int64), block_rows):
        ii, jj = np.nonzero((c >= 0) & (c >= min_score))
        parts.append((r[ii], jj.astype(np.int64), c[ii, jj]))
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
    return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))


def _finish(
    pool, settings, sc: Scorer, mentor_of, locked, method, objective=COVERAGE, min_score=0.0
) -> MatchResult:
    n = len(mentor_of)
    score = np.full(n, np.nan)
    hit = np.flatnonzero(mentor_of >= 0)
    if len(hit):
        score[hit] = breakdown(pool, settings, hit, mentor_of[hit]).totals
    is_locked = np.zeros(n, bool)
    is_locked[locked[:, 0]] = True
    unmatched = unmatched_reasons(
        pool, settings, sc, np.flatnonzero(mentor_of < 0), mentor_of, objective, min_score
    )
    return MatchResult(
        mentor_of=mentor_of,
        score=score,
        locked=is_locked,
        unmatched=unmatched,
        stats=statistics(pool, mentor_of, score),
        method=method,
        objective=objective,
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


def unmatched_reasons(
    pool, settings, sc: Scorer, rows, mentor_of, objective=COVERAGE, min_score=0.0
) -> list[Unmatched]:
    """Why each mentee in ``rows`` has no mentor, true of an optimal assignment: no mentor
    passes the hard rules (naming the rule that ruled out the most); none who does reaches the
    minimum score; or every mentor who does is full and — coverage first — no rearrangement
    of the other pairs frees a place without leaving someone else out, or — quality first —
    their places went to pairs that fit better."""
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
        if min_score > 0:
            reach = ((sc.scores_for(r) >= min_score) & ~bad).sum(1).tolist()
        else:
            reach = feasible
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
            elif reach[k] == 0:
                msg = (
                    f"None of the {_mentors(feasible[k])} who pass the hard rules reaches the "
                    f"minimum fit of {min_score:.2f}"
                )
                out.append(Unmatched(i, BELOW_MIN_SCORE, msg, None, nonzero, feasible[k]))
            elif room[k] and reach[k] == feasible[k]:
                msg = "Left unmatched although a mentor who passes the hard rules has room"
                out.append(Unmatched(i, MENTORS_FULL, msg, None, nonzero, feasible[k]))
            elif objective == COVERAGE:
                msg = (
                    f"The {_mentors(reach[k])} who could take them {_are(reach[k])} full, and "
                    "no other arrangement of the pairs frees a place without leaving someone "
                    "else out"
                )
                out.append(Unmatched(i, NEEDED_ELSEWHERE, msg, None, nonzero, feasible[k]))
            else:
                msg = (
                    f"The {_mentors(reach[k])} who could take them {_are(reach[k])} full with "
                    "pairs that fit better (quality first)"
                )
                out.append(Unmatched(i, MENTORS_FULL, msg, None, nonzero, feasible[k]))
    return out


def _mentors(k: int) -> str:
    return "mentor" if k == 1 else f"{k} mentors"


def _are(k: int) -> str:
    return "is" if k == 1 else "are"


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
