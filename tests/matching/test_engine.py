"""The pure matching engine: optimality against brute force, rules, determinism, explanations."""

import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import (
    MENTORS_FULL,
    NEEDED_ELSEWHERE,
    NO_FEASIBLE_MENTOR,
    HardRules,
    Person,
    Scorer,
    Settings,
    breakdown,
    broken_rules,
    build_pool,
    criterion_facts,
    criterion_text,
    explain,
    explanation_text,
    greedy,
    match,
    to_utc_slots,
)
from matching.engine import synthetic as syn
from matching.engine.assignment import coverage_bonus, int_gain

WEIGHTS = {
    "skills": 0.8,
    "goals": 0.6,
    "experience": 0.4,
    "style": 0.3,
    "time_zone": 0.3,
    "availability": 0.5,
    "language": 0.5,
    "location": 0.2,
    "custom:color": 0.4,
}


def random_person(rng, pid, *, mentor):
    return Person(
        id=pid,
        name=f"P{pid}",
        skills={s: int(rng.integers(1, 6)) for s in rng.choice(6, rng.integers(0, 4), False)},
        industry=int(rng.integers(0, 3)) if rng.random() < 0.8 else None,
        years=float(rng.integers(0, 25)),
        goals=[int(g) for g in rng.choice(5, rng.integers(0, 3), False)],
        style=tuple(rng.uniform(-1, 1, 3).round(2)),
        meeting_format=str(rng.choice(["remote", "in_person", "either"])),
        city=int(rng.integers(0, 3)),
        country=int(rng.integers(0, 2)),
        utc_offset=float(rng.choice([-5, 0, 1, 3, 5.5, 9])),
        languages=[int(x) for x in rng.choice(3, rng.integers(1, 3), False)],
        availability=[int(x) for x in rng.choice(168, rng.integers(0, 8), False)],
        capacity=int(rng.integers(0, 3)) if mentor else 1,
        department=int(rng.integers(0, 3)),
        manager=int(rng.integers(100, 103)) if rng.random() < 0.7 else None,
        answers={"color": [str(c) for c in rng.choice(["r", "g", "b"], rng.integers(0, 3))]},
    )


def random_pool(seed, n, m, repeat=0):
    rng = np.random.default_rng(seed)
    mentees = [random_person(rng, i, mentor=False) for i in range(n)]
    mentors = [random_person(rng, 50 + j, mentor=True) for j in range(m)]
    # a reporting line inside the pool: mentee 0's manager is mentor 0
    if n and m:
        mentees[0].manager = 50
    prev = [
        (int(rng.integers(0, n)), 50 + int(rng.integers(0, m))) for _ in range(repeat if n else 0)
    ]
    return build_pool(mentees, mentors, previous_pairs=prev)


rules = st.builds(
    HardRules,
    shared_language=st.booleans(),
    max_tz_hours=st.one_of(st.none(), st.sampled_from([0.0, 2.0, 5.0])),
    not_same_department=st.booleans(),
    not_same_reporting_line=st.booleans(),
    no_repair=st.booleans(),
)


def brute_force(gain, capacity, locked_rows=()):
    """Best total integer gain over every assignment (gain ≤ 0 = infeasible), enumerated."""
    n, m = gain.shape
    free = [i for i in range(n) if i not in set(locked_rows)]
    if not free:
        return 0
    choice = np.array(list(itertools.product(range(-1, m), repeat=len(free))))
    padded = np.hstack([gain[free], np.ones((len(free), 1), gain.dtype)])  # column -1: unmatched
    g = padded[np.arange(len(free)), choice]  # (combos, free)
    ok = ((g > 0) | (choice < 0)).all(1)
    for j in range(m):
        ok &= (choice == j).sum(1) <= capacity[j]
    totals = np.where(choice >= 0, g, 0).sum(1)
    return int(totals[ok].max())


def objective_value(gain, mentor_of, rows):
    return sum(int(gain[i, mentor_of[i]]) for i in rows if mentor_of[i] >= 0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(0, 6),
    m=st.integers(1, 4),
    hard=rules,
    repeat=st.integers(0, 3),
)
def test_optimal_feasible_and_deterministic(seed, n, m, hard, repeat):
    pool = random_pool(seed, n, m, repeat)
    s = Settings(weights=WEIGHTS, hard_rules=hard)
    dense = Scorer(pool, s).dense()
    for objective, bonus in (("quality", 0), ("coverage", coverage_bonus(n))):
        gain = np.where(dense >= 0, int_gain(dense, bonus), 0)
        best = brute_force(gain, pool.mentors.capacity)
        for method in ("lsa", "flow", "exact_flow"):
            r = match(pool, s, method=method, objective=objective)
            assert objective_value(gain, r.mentor_of, range(n)) == best, (objective, method)
            # The engine scores in float32 (scans and candidates sum in their own order), so
            # a pair's gain may round one unit (10⁻⁶ of a score) off the dense matrix's.
            assert r.certificate.certified
            assert abs(r.certificate.objective - best) <= max(n, 1), (objective, method)
            check_result(pool, s, dense, hard, r, m)
            again = match(pool, s, method=method, objective=objective)
            assert np.array_equal(again.mentor_of, r.mentor_of)
            assert np.array_equal(again.score, r.score, equal_nan=True)
            load = np.bincount(r.mentor_of[r.mentor_of >= 0], minlength=m)
            for u in r.unmatched:
                feasible = np.flatnonzero(dense[u.mentee] >= 0)
                if len(feasible) == 0:
                    assert u.reason == NO_FEASIBLE_MENTOR and u.rule is not None
                else:
                    assert u.reason == (
                        NEEDED_ELSEWHERE if objective == "coverage" else MENTORS_FULL
                    )
                    assert (load[feasible] >= pool.mentors.capacity[feasible]).all()


def check_result(pool, s, dense, hard, r, m):
    """Capacities and hard rules hold, explanations add up, every unmatched mentee has a reason."""
    assigned = r.mentor_of[r.mentor_of >= 0]
    assert (np.bincount(assigned, minlength=m) <= pool.mentors.capacity).all()
    for i in np.flatnonzero(r.mentor_of >= 0):
        assert dense[i, r.mentor_of[i]] >= 0  # passes every hard rule
    if hard.no_repair:
        prev = {tuple(p) for p in pool.previous_pairs.tolist()}
        assert not any((i, j) in prev for i, j, _ in r.pairs())
    for i, j, score in r.pairs():
        total, items = explain(pool, s, i, j)
        assert total == pytest.approx(score, abs=1e-12)
        assert sum(it.contribution for it in items) == pytest.approx(score, abs=1e-12)
    assert {u.mentee for u in r.unmatched} == set(np.flatnonzero(r.mentor_of < 0).tolist())


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 6), m=st.integers(1, 4), data=st.data())
def test_locked_and_excluded_pairs_are_honoured(seed, n, m, data):
    pool = random_pool(seed, n, m)
    s = Settings(weights=WEIGHTS)
    cap = pool.mentors.capacity
    locked, load = [], np.zeros(m, int)
    for i in range(n):
        j = data.draw(st.integers(-1, m - 1))
        if j >= 0 and load[j] < cap[j] and data.draw(st.booleans()):
            locked.append((i, j))
            load[j] += 1
    excluded = data.draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)), max_size=6)
    )
    dense = Scorer(pool, s, forbidden=np.array(excluded).reshape(-1, 2)).dense()
    gain = np.where(dense >= 0, int_gain(dense), 0)
    best = brute_force(gain, cap - load, [i for i, _ in locked])
    for method in ("lsa", "flow"):
        r = match(pool, s, locked=locked, excluded=excluded, method=method, objective="quality")
        for i, j in locked:
            assert r.mentor_of[i] == j and r.locked[i]
        free = [i for i in range(n) if i not in {a for a, _ in locked}]
        for i in free:
            assert (i, int(r.mentor_of[i])) not in set(map(tuple, excluded))
        assert objective_value(gain, r.mentor_of, free) == best
        assert (np.bincount(r.mentor_of[r.mentor_of >= 0], minlength=m) <= cap).all()


def test_dense_scores_match_exact_breakdown_and_flow_is_near_optimal():
    pool = syn.pool(500, 150, capacity=3, seed=3)
    s = Settings(
        weights=syn.DEFAULT_WEIGHTS,
        hard_rules={"not_same_reporting_line": True, "max_tz_hours": 5, "shared_language": True},
    )
    sc = Scorer(pool, s)
    dense = sc.dense()
    ii, jj = np.nonzero(dense >= 0)
    bd = breakdown(pool, s, ii, jj)
    assert np.abs(bd.totals - dense[ii, jj]).max() < 1e-5
    assert np.allclose(bd.contributions.sum(1), bd.totals, rtol=0, atol=1e-12)
    assert ((bd.scores >= 0) & (bd.scores <= 1)).all()
    exact = match(pool, s, method="lsa")
    flow = match(pool, s, method="flow")
    reference = match(pool, s, method="exact_flow")
    assert reference.stats.total_score == pytest.approx(exact.stats.total_score, rel=1e-6)
    assert flow.certificate.certified
    # Equal up to float32's rounding of a score (one unit of 10⁻⁶ per pair at most): blocks of
    # different shapes may round a sum differently.
    assert abs(flow.certificate.objective - exact.certificate.objective) <= flow.stats.matched
    assert flow.stats.matched == exact.stats.matched
    g_mentor_of, g_score = greedy(pool, s)
    assert np.nansum(g_score) <= exact.stats.total_score + 1e-6
    top, vals = sc.top_mentors(k=5)
    best = dense.max(1)
    has = best >= 0
    assert np.allclose(vals[has, 0], best[has])
    assert (np.diff(np.nan_to_num(vals, nan=-1), axis=1) <= 0).all()


def test_candidates_hold_every_mentees_and_mentors_top_k():
    pool = syn.pool(700, 200, seed=5)
    s = Settings(weights=syn.DEFAULT_WEIGHTS, hard_rules={"max_tz_hours": 4})
    sc = Scorer(pool, s)
    dense = sc.dense()
    ei, mj, sv = sc.candidates(np.arange(700), k_mentee=3, k_mentor=3, stride=4, block_rows=256)
    assert len(np.unique(ei * 200 + mj)) == len(ei)
    assert np.allclose(sv, dense[ei, mj], atol=1e-6) and (sv >= 0).all()
    have = np.zeros_like(dense, bool)
    have[ei, mj] = True
    kth_row = -np.sort(-dense, axis=1)[:, 2] + 1e-6
    assert have[(dense >= kth_row[:, None]) & (dense >= 0)].all()
    kth_col = -np.sort(-dense, axis=0)[2, :] + 1e-6
    assert have[(dense >= kth_col[None, :]) & (dense >= 0)].all()
    assert len(ei) < 0.25 * dense.size


def assert_bound_holds(dense, ei, mj, bound, capacity):
    """Every allowed pair with a mentor who has a seat, that is not a candidate, scores at
    most what the bound says."""
    left_out = (dense >= 0) & (np.asarray(capacity)[None, :] > 0)
    left_out[ei, mj] = False
    limit = np.minimum(bound.row[:, None], bound.col[None, :])
    assert (dense[left_out] <= limit[left_out]).all()


@pytest.mark.parametrize("k", [1, 3, None])
def test_candidate_bounds_hold_on_tied_and_varied_pools(k):
    """What `candidates` says of the pairs it left out is true: on a pool of continuous scores
    and on one where a few discrete criteria make scores tie everywhere."""
    varied = syn.pool(600, 180, seed=3)
    tied = syn.pool(600, 180, seed=4)
    for pool, weights in ((varied, syn.DEFAULT_WEIGHTS), (tied, {"language": 1, "goals": 1})):
        sc = Scorer(pool, Settings(weights=weights, hard_rules={"max_tz_hours": 4}))
        dense = sc.dense()
        ei, mj, _, bound = sc.candidates(
            np.arange(600), k_mentee=k, k_mentor=k, block_rows=128, bounds=True
        )
        assert_bound_holds(dense, ei, mj, bound, pool.mentors.capacity)
        assert np.isfinite(bound.row).mean() > 0.9  # a bound, not "anything"


def eli_pool():
    eli = Person(
        id="eli",
        name="Eli",
        skills={"python": 3, "sql": 2, "ux": 4},
        languages=["en"],
        utc_offset=0,
        department="eng",
        manager="boss",
        goals=["lead"],
    )
    ana = Person(
        id="ana",
        name="Ana",
        skills={"python": 5, "sql": 1, "go": 5},
        languages=["en", "fr"],
        utc_offset=3,
        department="ops",
        capacity=1,
        years=10,
        goals=["lead"],
    )
    bo = Person(
        id="boss",
        name="Bo",
        skills={"ux": 5},
        languages=["fr"],
        utc_offset=0,
        department="eng",
        capacity=2,
    )
    return build_pool([eli], [ana, bo])


def test_explanations_in_plain_words():
    pool = eli_pool()
    s = Settings(weights={"skills": 1, "time_zone": 0.5, "language": 0.5, "experience": 0.2})
    total, items = explain(pool, s, 0, 0)
    text = {it.key: it.text for it in items}
    assert (
        text["skills"]
        == "Ana can teach 2 of the 3 skills Eli wants to learn (1 at the level wanted)"
    )
    assert text["time_zone"] == "3 hours apart"
    assert text["language"] == "Share 1 language"
    assert text["experience"] == "Ana has 10 more years of experience"
    weights = {it.key: it.weight for it in items}
    assert weights == pytest.approx(
        {"skills": 1 / 2.2, "time_zone": 0.5 / 2.2, "language": 0.5 / 2.2, "experience": 0.2 / 2.2}
    )
    # skills: min(3,5) + min(2,1) + min(4,0) over 3+2+4
    assert items[0].score == pytest.approx(4 / 9)
    assert total == pytest.approx(sum(it.contribution for it in items))


def test_unmatched_reason_names_the_rule_that_ruled_out_most():
    pool = eli_pool()
    s = Settings(
        weights={"skills": 1},
        hard_rules={"shared_language": True, "not_same_reporting_line": True, "max_tz_hours": 2},
    )
    r = match(pool, s)
    # Ana: 3 h apart; Bo: no shared language, and Eli's manager
    assert r.mentor_of.tolist() == [-1]
    (u,) = r.unmatched
    assert u.reason == NO_FEASIBLE_MENTOR
    assert u.ruled_out == {"shared_language": 1, "max_tz_hours": 1, "not_same_reporting_line": 1}
    assert u.rule == "shared_language"
    assert "no shared language" in u.message


def test_mentors_full_reason_and_stats():
    people = [Person(id=i, skills={"a": 3}) for i in range(3)]
    mentor = Person(id="m", skills={"a": 3}, capacity=1)
    r = match(build_pool(people, [mentor]), Settings(weights={"skills": 1}))
    assert r.stats.matched == 1 and r.stats.unmatched == 2
    assert r.stats.coverage == pytest.approx(1 / 3)
    assert r.stats.mean_score == pytest.approx(1.0)
    assert [u.reason for u in r.unmatched] == [NEEDED_ELSEWHERE, NEEDED_ELSEWHERE]
    assert "The mentor who could take them is full" in r.unmatched[0].message
    assert r.mentor_of.tolist() == [0, -1, -1]  # deterministic (a tie: any one of them)


def test_rematch_never_proposes_the_previous_mentor():
    people = [Person(id="e", skills={"a": 3})]
    mentors = [Person(id="m1", skills={"a": 3}), Person(id="m2", skills={"a": 1})]
    pool = build_pool(people, mentors, previous_pairs=[("e", "m1")])
    s = Settings(weights={"skills": 1}, hard_rules={"no_repair": True})
    assert match(pool, s).mentor_of.tolist() == [1]
    # the same through an admin exclusion
    pool2 = build_pool(people, mentors)
    assert match(pool2, Settings(weights={"skills": 1}), excluded=[(0, 0)]).mentor_of.tolist() == [
        1
    ]


def test_department_and_self_rules():
    e = [Person(id="x", department="d1"), Person(id="y", department="d2")]
    m = [Person(id="x", department="d9"), Person(id="z", department="d1", capacity=2)]
    s = Settings(weights={"style": 1}, hard_rules={"not_same_department": True})
    dense = Scorer(build_pool(e, m), s).dense()
    assert (dense < 0).tolist() == [[True, True], [False, False]]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": {"skills": 1.5}}, "from 0 to 1"),
        ({"weights": {"skills": -0.1}}, "from 0 to 1"),
        ({"weights": {"charisma": 0.5}}, "unknown criterion"),
        ({"weights": {"skills": 1}, "hard_rules": {"max_tz_hours": 30}}, "between 0 and 24"),
        ({"weights": {"skills": 1}, "hard_rules": {"be_nice": True}}, "unknown hard rule"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Settings(**kwargs)


def test_bad_match_input_is_rejected():
    pool = eli_pool()
    with pytest.raises(ValueError, match="no such custom question"):
        Scorer(pool, Settings(weights={"custom:7": 0.5}))
    with pytest.raises(ValueError, match="positive weight"):
        Scorer(pool, Settings(weights={"skills": 0}))
    s = Settings(weights={"skills": 1})
    with pytest.raises(ValueError, match="out of range"):
        match(pool, s, locked=[(0, 5)])
    with pytest.raises(ValueError, match="capacity"):
        match(
            build_pool([Person(id=1), Person(id=2)], [Person(id=3, capacity=1)]),
            s,
            locked=[(0, 0), (1, 0)],
        )


def test_utc_slots_wrap_around_the_week():
    assert to_utc_slots([0, 9], 2) == [7, 166]


@pytest.mark.parametrize(
    ("key", "facts", "reader", "expected"),
    [
        (
            "skills",
            [3, 2, 1],
            None,
            "Ana can teach 2 of the 3 skills Eli wants to learn (1 at the level wanted)",
        ),
        ("skills", [3, 2, 2], "mentee", "Ana can teach 2 of the 3 skills you want to learn"),
        ("skills", [3, 2, 2], "mentor", "You can teach 2 of the 3 skills Eli wants to learn"),
        ("skills", [0, 0, 0], "mentee", "You listed no skills to learn"),
        # One skill, none, all: never "1 of the 1 skills".
        ("skills", [1, 1, 1], "mentee", "Ana can teach the skill you want to learn"),
        ("skills", [1, 0, 0], "mentee", "Ana can't teach the skill you want to learn"),
        (
            "skills",
            [1, 1, 0],
            "mentor",
            "You can teach the skill Eli wants to learn (not at the level wanted)",
        ),
        ("skills", [3, 0, 0], "mentee", "Ana can teach none of the 3 skills you want to learn"),
        ("skills", [2, 2, 2], "mentee", "Ana can teach both skills you want to learn"),
        ("goals", [2, 2, 1], "mentor", "You share both of Eli's career goals; same industry"),
        ("goals", [2, 1, 1], None, "Shares 1 of Eli's 2 career goals; same industry"),
        ("goals", [2, 1, 0], "mentee", "Ana shares 1 of your 2 career goals; different industry"),
        ("goals", [1, 1, 0], "mentor", "You share Eli's career goal; different industry"),
        ("goals", [1, 0, 1], "mentee", "Ana doesn't share your career goal; same industry"),
        ("goals", [3, 0, 1], "mentee", "Ana shares none of your 3 career goals; same industry"),
        ("goals", [3, 3, 0], "mentee", "Ana shares all 3 of your career goals; different industry"),
        ("goals", [0, 0, 0], "mentee", "You listed no career goals; different industry"),
        ("experience", [10.0], None, "Ana has 10 more years of experience"),
        ("experience", [10.0], "mentee", "Ana has 10 more years of experience than you"),
        ("experience", [2.5], "mentor", "You have 2.5 more years of experience"),
        ("experience", [1.0], "mentee", "Ana has 1 more year of experience than you"),
        ("experience", [-1.0], "mentee", "Ana has no more experience than you"),
        ("style", [-1], "mentee", "Similar communication styles"),
        ("style", [2], None, "Communication styles differ most on written↔spoken"),
        ("time_zone", [0.0], None, "Same time zone"),
        ("availability", [1], "mentor", "1 weekly hour in common"),
        ("language", [0], "mentee", "No shared language"),
        ("location", [0, 1, 1, 1], None, "Can meet in person: same city"),
        ("custom:q", [2, 1], "mentee", "Same answer on 1 of your 2 choices"),
        ("custom:q", [0, 0], "mentee", "You did not answer"),
        ("custom:q", [3, 0], None, "None of Eli's 3 choices in common"),
        ("custom:q", [3, 3], "mentee", "All 3 of your choices in common"),
        ("custom:q", [1, 1], "mentee", "Same answer as your choice"),
        ("custom:q", [1, 0], "mentor", "Different answers"),
    ],
)
def test_explanations_said_to_either_person(key, facts, reader, expected):
    assert explanation_text(key, facts, "Eli", "Ana", reader) == expected


def test_facts_word_the_same_as_the_details():
    """``criterion_text`` (from the engine's details) and ``explanation_text`` (from the stored
    facts) say the same thing."""
    pool = eli_pool()
    s = Settings(
        weights=dict.fromkeys(
            (
                "skills",
                "goals",
                "experience",
                "style",
                "time_zone",
                "availability",
                "language",
                "location",
            ),
            1,
        )
    )
    bd = breakdown(pool, s, [0, 0], [0, 1])
    for k in range(2):
        for key in bd.keys:
            facts = criterion_facts(key, k, bd.details)
            assert json.loads(json.dumps(facts)) == facts  # stored as JSON as they are
            assert explanation_text(key, facts, "Eli", "Ana") == criterion_text(
                key, k, bd.details, "Eli", "Ana"
            )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    n=st.integers(1, 40),
    m=st.integers(1, 25),
    hard=rules,
    repeat=st.integers(0, 5),
)
def test_fast_scorer_agrees_with_the_per_pair_reference(seed, n, m, hard, repeat):
    """The blockwise scorer (grouped by time zone, factorised tables, sparse skills) says of
    every pair what the plain per-pair functions say: infeasible exactly when a hard rule is
    broken, else the exact breakdown's total; its candidates and top mentors agree too."""
    pool = random_pool(seed, n, m, repeat)
    s = Settings(weights=WEIGHTS, hard_rules=hard)
    sc = Scorer(pool, s)
    dense = sc.dense()
    ii, jj = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(m), indexing="ij"))
    broken = np.array([bool(rules_) for rules_ in broken_rules(pool, s, ii, jj)])
    assert np.array_equal(dense[ii, jj] < 0, broken)
    ok = ~broken
    totals = breakdown(pool, s, ii[ok], jj[ok]).totals
    assert np.abs(dense[ii[ok], jj[ok]] - totals).max(initial=0) < 1e-5
    ei, mj, sv, bound = sc.candidates(np.arange(n), capacity=pool.mentors.capacity, bounds=True)
    assert (dense[ei, mj] >= 0).all() and np.allclose(sv, dense[ei, mj], atol=1e-6)
    assert_bound_holds(dense, ei, mj, bound, pool.mentors.capacity)
    top, vals = sc.top_mentors(k=3)
    for i in range(n):
        feasible = np.sort(dense[i][dense[i] >= 0])[::-1][:3]
        got = vals[i][top[i] >= 0]
        assert np.allclose(got, feasible, atol=1e-6)


def test_labels_name_custom_questions_and_hours_read_well():
    eli = Person(id="eli", answers={"7": ["Berlin"]}, utc_offset=1)
    ana = Person(id="ana", answers={"7": ["Berlin"]}, utc_offset=0, capacity=1)
    pool = build_pool([eli], [ana], question_names={7: "Which office do you work from?"})
    s = Settings(weights={"custom:7": 1, "time_zone": 1})
    bd = breakdown(pool, s, np.array([0]), np.array([0]))
    assert dict(zip(bd.keys, bd.labels, strict=True))["custom:7"] == (
        "Which office do you work from?"
    )
    unnamed = build_pool([eli], [ana])
    assert "Custom question" in breakdown(unnamed, s, np.array([0]), np.array([0])).labels
    assert explanation_text("time_zone", (1,), "Eli", "Ana") == "1 hour apart"
    assert explanation_text("time_zone", (2,), "Eli", "Ana") == "2 hours apart"
