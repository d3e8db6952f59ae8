"""The engine's optimum is proven, and true: pools with few distinct scores (discrete criteria
only, so scores tie everywhere) and hard rules that isolate groups, built here from people
(not from the synthetic generator), against an exact solver on every allowed pair.

Every time: the same objective and the same number matched as the exact solver, and the
certificate checked independently — no allowed pair has a positive reduced gain against the
duals it carries, and the duals' value is the assignment's value."""

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.engine import (
    COVERAGE,
    QUALITY,
    HardRules,
    Person,
    Scorer,
    Settings,
    assignment,
    build_pool,
    match,
)
from matching.engine.assignment import _solve_changed, coverage_bonus, int_gain, solve_mcf

# Discrete criteria only: a handful of distinct score values, so ties are everywhere.
WEIGHTS = {"language": 0.5, "location": 0.3, "goals": 0.2}


def people(draw, n, *, mentor, groups):
    out = []
    for k in range(n):
        group = draw(st.integers(0, groups - 1))
        out.append(
            Person(
                id=("m" if mentor else "e", k),
                goals=draw(st.lists(st.integers(0, 2), max_size=2, unique=True)),
                city=draw(st.integers(0, 1)),
                country=0,
                # A small minority speaks only language 9: the rule isolates them with the few
                # mentors who speak it too.
                languages=[9] if group == 0 else [draw(st.integers(0, 1)), 9 * (k % 7 == 0)],
                department=draw(st.integers(0, 3)),
                utc_offset=float(draw(st.sampled_from([0, 0, 0, 6]))),
                capacity=draw(st.integers(1, 3)) if mentor else 1,
            )
        )
    return out


@st.composite
def tied_pools(draw):
    n = draw(st.integers(1, 45))
    m = draw(st.integers(1, 14))
    groups = draw(st.integers(2, 8))  # group 0 is the isolated minority
    pool = build_pool(
        people(draw, n, mentor=False, groups=groups), people(draw, m, mentor=True, groups=groups)
    )
    rules = HardRules(
        shared_language=True,
        not_same_department=draw(st.booleans()),
        max_tz_hours=draw(st.sampled_from([None, 3.0])),
    )
    return pool, Settings(weights=WEIGHTS, hard_rules=rules)


def exact(gain, capacity):
    """Best total gain (≤ 0 = not allowed) by linear_sum_assignment on the capacity-expanded
    matrix plus one 'unmatched' column per mentee: (total, number matched)."""
    n, m = gain.shape
    slots = np.repeat(np.arange(m), capacity)
    cost = np.zeros((n, len(slots) + n))
    g = gain[:, slots].astype(np.float64)
    cost[:, : len(slots)] = np.where(g > 0, -g, 1.0)
    r, c = linear_sum_assignment(cost)
    real = (c < len(slots)) & (cost[r, np.minimum(c, cost.shape[1] - 1)] < 0)
    return int(gain[r[real], slots[c[real]]].sum()), int(real.sum())


def check_certificate(result, gain, capacity):
    """No allowed pair gains more than its mentee's and mentor's duals; they are ≥ 0, zero for
    the unmatched and for mentors with a free seat, and add up to the assignment's value."""
    cert = result.certificate
    assert cert.certified and cert.upper_bound == cert.objective
    u, v = cert.row_duals, cert.mentor_duals
    rows = cert.rows
    assert (u >= 0).all() and (v >= 0).all()
    reduced = gain[rows] - u[:, None] - v[None, :]
    assert (reduced[gain[rows] > 0] <= 1).all()  # ≤ 1: float32 rounding, as above
    assert (u[result.mentor_of[rows] < 0] == 0).all()
    load = np.bincount(result.mentor_of[result.mentor_of >= 0], minlength=len(v))
    assert (v[load < capacity] == 0).all()
    assert int(u.sum() + (capacity * v).sum()) == cert.objective


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=tied_pools(), objective=st.sampled_from([COVERAGE, QUALITY]), seed=st.integers(0, 9))
def test_the_certified_optimum_equals_the_exact_one(case, objective, seed):
    pool, s = case
    dense = Scorer(pool, s).dense()
    bonus = coverage_bonus(pool.mentees.n) if objective == COVERAGE else 0
    gain = np.where(dense >= 0, int_gain(dense, bonus), 0)
    best, best_matched = exact(gain, pool.mentors.capacity)
    # Tiny candidate sets force the pricing rounds to find what the candidates missed.
    for kwargs in ({"method": "flow", "k_mentee": 1, "k_mentor": 1}, {"method": "flow"}, {}):
        r = match(pool, s, objective=objective, seed=seed, **kwargs)
        rows = np.flatnonzero(r.mentor_of >= 0)
        # Equal, up to float32's rounding of a score (≤ one unit of 10⁻⁶ per pair) between
        # blocks of different shapes.
        assert abs(int(gain[rows, r.mentor_of[rows]].sum()) - best) <= len(rows), kwargs
        if objective == COVERAGE:
            assert r.stats.matched == best_matched
        assert (gain[rows, r.mentor_of[rows]] > 0).all()  # every pair allowed
        assert (np.bincount(r.mentor_of[rows], minlength=pool.mentors.n)
                <= pool.mentors.capacity).all()  # fmt: skip
        check_certificate(r, gain, pool.mentors.capacity)


def test_an_isolated_minority_keeps_the_only_mentors_who_can_serve_it():
    """Everyone ties, and only two mentors speak the minority's language: a first-come flow
    gave them to people with alternatives; coverage first must not."""
    majority = [Person(id=("e", k), languages=[0, 9] if k < 6 else [0]) for k in range(30)]
    minority = [Person(id=("x", k), languages=[9]) for k in range(4)]
    mentors = [Person(id=("m", k), languages=[0, 9], capacity=2) for k in range(2)]
    mentors += [Person(id=("n", k), languages=[0], capacity=3) for k in range(10)]
    pool = build_pool(majority + minority, mentors)
    s = Settings(weights={"language": 1.0}, hard_rules={"shared_language": True})
    r = match(pool, s, method="flow", k_mentee=1, k_mentor=1)
    assert r.stats.matched == 34 and r.unmatched == []
    assert r.certificate.certified and r.certificate.rounds >= 1
    minority_rows = range(30, 34)
    assert all(r.mentor_of[i] in (0, 1) for i in minority_rows)


def test_a_round_limit_reports_a_proven_bound():
    majority = [Person(id=("e", k), languages=[0, 9]) for k in range(60)]
    mentors = [Person(id=("m", k), languages=[0, 9], capacity=2) for k in range(30)]
    pool = build_pool(majority, mentors)
    s = Settings(weights={"language": 1.0})
    r = match(pool, s, method="flow", k_mentee=1, k_mentor=1, max_rounds=0, objective=QUALITY)
    cert = r.certificate
    assert cert.upper_bound >= cert.objective
    if not cert.certified:
        assert cert.gap > 0
    full = match(pool, s, method="lsa", objective=QUALITY).certificate
    assert cert.objective <= full.objective <= cert.upper_bound


def test_min_score_leaves_weak_pairs_unmade_and_says_so():
    mentees = [Person(id="a", languages=[0], city=1), Person(id="b", languages=[1], city=2)]
    mentors = [Person(id="m", languages=[0], city=1, capacity=2)]
    pool = build_pool(mentees, mentors)
    s = Settings(weights={"language": 0.5, "location": 0.5})
    r = match(pool, s, min_score=0.6)
    assert r.mentor_of.tolist() == [0, -1]
    (u,) = r.unmatched
    assert u.reason == "below_min_score" and "minimum fit of 0.60" in u.message
    with pytest.raises(ValueError):
        match(pool, s, min_score=1.5)


def test_locked_pairs_that_fill_mentors_still_get_a_certificate():
    """Locks use up every seat of some mentors: they take nobody more (their value in the
    proof is above any gain), and the rest is still proven optimal and equal to exact."""
    mentees = [Person(id=("e", k), languages=[k % 2], city=k % 3) for k in range(40)]
    mentors = [Person(id=("m", k), languages=[k % 2], city=k % 3, capacity=2) for k in range(12)]
    pool = build_pool(mentees, mentors)
    s = Settings(weights={"language": 0.6, "location": 0.4})
    locked = [(0, 0), (2, 0), (1, 1), (3, 1)]  # mentors 0 and 1 are full
    got = match(pool, s, method="flow", k_mentee=1, k_mentor=1, locked=locked)
    ref = match(pool, s, method="lsa", locked=locked)
    assert got.certificate.certified
    assert got.stats.matched == ref.stats.matched
    assert abs(got.stats.total_score - ref.stats.total_score) < 1e-4
    for mentor in (0, 1):
        assert sorted(np.flatnonzero(got.mentor_of == mentor)) == sorted(
            i for i, j in locked if j == mentor
        )


@st.composite
def split_arcs(draw):
    """Arcs of a few disjoint groups of rows and mentors (as hard rules split a pool), some
    groups small enough to be solved together."""
    ri, mj, rows, mentors, caps = [], [], 0, 0, []
    for _ in range(draw(st.integers(1, 4))):
        n, m = draw(st.integers(1, 12)), draw(st.integers(1, 5))
        for i in range(n):
            for j in draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=m, unique=True)):
                ri.append(rows + i)
                mj.append(mentors + j)
        caps += draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
        rows, mentors = rows + n, mentors + m
    gain = draw(st.lists(st.integers(1, 5), min_size=len(ri), max_size=len(ri)))
    changed = draw(st.lists(st.booleans(), min_size=len(ri), max_size=len(ri)))
    return rows, np.array(caps), np.array(ri), np.array(mj), np.array(gain), np.array(changed)


def _value(got, ri, mj, gain):
    return int(gain[got[ri] == mj].sum())


@settings(max_examples=150, deadline=None)
@given(split_arcs(), st.sampled_from([0, 1000]), st.sampled_from([1, 10**6]))
def test_solving_component_by_component_is_exact(case, cover, split):
    """A solve one connected component at a time, and a re-solve of only the components
    holding changed arcs (the others keep the last optimum), are worth as much as one solve
    of every arc."""
    n, cap, ri, mj, gain, changed = case
    gain = gain + cover
    whole = solve_mcf(n, cap, ri, mj, gain, cover)
    with patch.object(assignment, "SPLIT_ARCS", split):
        assert _value(_solve_changed(n, cap, ri, mj, gain, cover), ri, mj, gain) == _value(
            whole, ri, mj, gain
        )
        # The last solve had only the unchanged arcs; it is re-solved where arcs were added.
        old = ~changed
        got = solve_mcf(n, cap, ri[old], mj[old], gain[old], cover)
        again = _solve_changed(n, cap, ri, mj, gain, cover, got, changed)
    assert _value(again, ri, mj, gain) == _value(whole, ri, mj, gain)
    assert all(np.bincount(again[again >= 0], minlength=len(cap)) <= cap)
    assert all((again[i] == -1) or (again[i], i) in set(zip(mj, ri, strict=True)) for i in range(n))


def test_a_candidate_graph_split_by_language_is_bridged_before_the_first_solve():
    """Everyone's best partners speak their language, and one language has more mentees than
    seats while the other has seats to spare: the first solve already matches everyone (no
    pricing round allowed), some across languages."""
    mentees = [Person(id=("a", k), languages=[0], city=k % 2) for k in range(40)]
    mentees += [Person(id=("b", k), languages=[1], city=k % 2) for k in range(20)]
    mentors = [Person(id=("m", k), languages=[0], city=k % 2, capacity=2) for k in range(15)]
    mentors += [Person(id=("n", k), languages=[1], city=k % 2, capacity=2) for k in range(15)]
    pool = build_pool(mentees, mentors)
    s = Settings(weights={"language": 0.7, "location": 0.3})
    first = match(pool, s, method="flow", k_mentee=1, k_mentor=1, max_rounds=0)
    assert first.stats.matched == 60
    assert match(pool, s, method="lsa").stats.matched == 60


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 40),
    st.integers(1, 4),
    st.data(),
)
def test_each_rows_best_pairs_are_kept_whatever_the_path(rows, ncols, per_row, data):
    """`_best_per_row` keeps, per row, the largest reduced gains (equal ones by the tie hash),
    the same whether it sorts the entries or selects in a dense block."""
    hit = np.array(data.draw(st.lists(st.booleans(), min_size=rows * ncols, max_size=rows * ncols)))
    ii, jl = np.nonzero(hit.reshape(rows, ncols))
    if len(ii) == 0:
        return
    red = np.array(data.draw(st.lists(st.integers(-3, 3), min_size=len(ii), max_size=len(ii))))
    ok = np.array(data.draw(st.lists(st.booleans(), min_size=len(ii), max_size=len(ii))))
    tie = lambda e, m: ((e * 2654435761 + m * 40503) % 2**32).astype(np.uint32)  # noqa: E731
    got = assignment._best_per_row(ok, ii, jl, red, tie, ii, jl, ncols, per_row)
    want = ok.copy()
    for r in range(rows):
        mine = [k for k in np.flatnonzero(ok) if ii[k] == r]
        if len(mine) > per_row:
            mine.sort(key=lambda k: (-red[k], int(tie(ii[k], jl[k])) >> 12))  # its top bits
            for k in mine[per_row:]:
                want[k] = False
    if not (want != ok).any():
        assert got is None
    else:
        assert got.tolist() == want.tolist()
