"""Matching engine benchmark: synthetic pools, wall time, peak memory, the certificate and the
gap against an exact solver.

    .venv/bin/python benchmarks/matching.py                 # the issue's sizes except 50k
    .venv/bin/python benchmarks/matching.py --huge          # adds 50,000 × 15,000
    .venv/bin/python benchmarks/matching.py --sizes 2000x600x3 --no-exact
    .venv/bin/python benchmarks/matching.py --kinds ties rules

A size is MENTEESxMENTORSxCAPACITY; a kind is a pool: "standard" (the synthetic generator, all
criteria), "ties" (discrete criteria only: few distinct scores) and "rules" (ties, plus hard
rules that isolate a language minority and split by department and time zone). See
benchmarks/README.md for what the columns mean.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import inspect  # noqa: E402

from matching.engine import Pool, Settings, Side, greedy, match  # noqa: E402
from matching.engine import synthetic as syn  # noqa: E402

DEFAULT_SIZES = ["1000x300x3", "10000x3000x3", "9000x3000x3"]
HUGE = "50000x15000x3"
HARD_RULES = {"not_same_reporting_line": True, "max_tz_hours": 6}
KINDS = ["standard", "ties", "rules"]
TIE_WEIGHTS = {"language": 0.4, "location": 0.3, "goals": 0.3}
RULES = {"shared_language": True, "not_same_department": True, "max_tz_hours": 3}
# Older engines (for a before/after table) take no objective and carry no certificate.
HAS_OBJECTIVE = "objective" in inspect.signature(match).parameters


def tied_pool(n, m, cap, seed, *, minority) -> Pool:
    """Discrete profiles only (two languages, four cities, four goals, five departments, two
    time zones), so scores tie everywhere; with ``minority``, 3 % of mentees speak only a
    third language that 1 % of mentors speak too. Built here, not by the synthetic
    generator, so the engine is not measured only on the pools it was tuned on."""
    rng = np.random.default_rng(seed)

    def side(k, is_mentor, offset):
        lang = (np.uint64(1) << rng.integers(0, 2, k).astype(np.uint64))[:, None]
        if minority:
            few = rng.random(k) < (0.01 if is_mentor else 0.03)
            lang[few, 0] = (lang[few, 0] if is_mentor else np.uint64(0)) | np.uint64(4)
        return Side(
            ids=np.arange(k) + offset,
            skills=np.zeros((k, 1), np.uint8),
            industry=np.full(k, -1),
            years=np.zeros(k),
            goals=syn._bitset(rng, k, 4, 0.3),
            style=np.zeros((k, 3)),
            meeting_format=np.full(k, 2),
            city=rng.integers(0, 4, k),
            country=np.zeros(k, np.int64),
            utc_offset=rng.choice([0.0, 0.0, 0.0, 5.0], k),
            languages=lang,
            availability=np.zeros((k, 3), np.uint64),
            capacity=np.full(k, cap) if is_mentor else np.ones(k),
            department=rng.integers(0, 5, k),
            manager=np.full(k, -1),
        )

    return Pool(mentees=side(n, False, 0), mentors=side(m, True, n))


def pool_for(kind, n, m, cap, seed):
    if kind == "standard":
        return syn.pool(n, m, capacity=cap, seed=seed), Settings(
            weights=syn.DEFAULT_WEIGHTS, hard_rules=HARD_RULES
        )
    pool = tied_pool(n, m, cap, seed, minority=kind == "rules")
    return pool, Settings(weights=TIE_WEIGHTS, hard_rules=RULES if kind == "rules" else {})


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(kind, n, m, cap, args) -> dict:
    pool, settings = pool_for(kind, n, m, cap, args.seed)
    row = {"kind": kind, "size": f"{n:,}×{m:,}", "cap": cap,
           "seats": int(pool.mentors.capacity.sum())}  # fmt: skip
    gc.collect()
    rss0 = maxrss_mb()
    t = time.perf_counter()
    res = match(pool, settings)
    row["wall"] = time.perf_counter() - t
    row["rss_delta"] = maxrss_mb() - rss0
    tm = res.timings
    cert = getattr(res, "certificate", None)
    row |= {
        "certified": "yes" if cert is not None and cert.certified else "no",
        "rounds": cert.rounds if cert is not None else None,
        "added": cert.arcs_added if cert is not None else None,
    }
    row |= {
        "method": res.method,
        "arcs": int(tm.get("arcs", 0)),
        "scoring": tm["prepare"] + tm["scoring"],
        "assign": tm["assignment"],
        "matched": res.stats.matched,
        "mean": res.stats.mean_score,
        "total": res.stats.total_score,
    }
    if not args.no_tracemalloc:
        gc.collect()
        tracemalloc.start()
        match(pool, settings)
        row["py_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    g_of, g_score = greedy(pool, settings)
    row["greedy_total"] = float(np.nansum(g_score))
    if not args.no_exact and n * m <= args.exact_max_cells:
        gc.collect()
        t = time.perf_counter()
        exact = match(pool, settings, method="exact_flow")
        row["exact_time"] = time.perf_counter() - t
        row["exact_arcs"] = int(exact.timings.get("arcs", 0))
        row["exact_total"] = exact.stats.total_score
        row["exact_matched"] = exact.stats.matched
        row["exact_on"] = "same pool"
    elif not args.no_exact:
        # Too many arcs for a dense flow here: compare on a smaller pool of the same shape.
        f = (args.exact_max_cells / (n * m)) ** 0.5
        sn, sm = int(n * f), int(m * f)
        small, _ = pool_for(kind, sn, sm, cap, args.seed)
        ours = match(small, settings, method="flow")
        t = time.perf_counter()
        exact = match(small, settings, method="exact_flow")
        row["exact_time"] = time.perf_counter() - t
        row["exact_arcs"] = int(exact.timings.get("arcs", 0))
        row["exact_on"] = f"{sn:,}×{sm:,}"
        row["exact_total"] = exact.stats.total_score
        row["gap_small"] = 100 * (1 - ours.stats.total_score / exact.stats.total_score)
        row["missed_small"] = exact.stats.matched - ours.stats.matched
        gs = greedy(small, settings)[1]
        row["greedy_gap_small"] = 100 * (1 - np.nansum(gs) / exact.stats.total_score)
    if "exact_total" in row and row["exact_on"] == "same pool":
        row["gap"] = 100 * (1 - row["total"] / row["exact_total"])
        row["greedy_gap"] = 100 * (1 - row["greedy_total"] / row["exact_total"])
        row["missed"] = row["exact_matched"] - row["matched"]
    elif "gap_small" in row:
        row["gap"], row["greedy_gap"] = row["gap_small"], row["greedy_gap_small"]
        row["missed"] = row["missed_small"]
    return row


def fmt(v, spec):
    if v is None:
        width = "".join(ch for ch in spec.split(".")[0] if ch.isdigit())
        return format("—", f">{width}")
    return format(v, spec)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=None, help="e.g. 1000x300x3 10000x3000x3")
    ap.add_argument("--huge", action="store_true", help=f"also run {HUGE} (takes a while)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS, help="pools to build")
    ap.add_argument("--no-exact", action="store_true", help="skip the exact reference")
    ap.add_argument("--no-tracemalloc", action="store_true", help="skip the memory re-run")
    ap.add_argument(
        "--exact-max-cells",
        type=float,
        default=31e6,
        help="largest mentees×mentors for a dense exact flow on the same pool (default 31e6)",
    )
    args = ap.parse_args(argv)
    sizes = list(args.sizes or DEFAULT_SIZES)
    if args.huge:
        sizes.append(HUGE)
    print(
        f"matching benchmark · {os.cpu_count()} cores · numpy {np.__version__} · "
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"
    )
    print(f"hard rules: {HARD_RULES}; weights: {syn.DEFAULT_WEIGHTS}")
    rows = []
    for kind in args.kinds:
        for size in sizes:
            n, m, cap = (int(x) for x in size.lower().split("x"))
            row = run_size(kind, n, m, cap, args)
            rows.append(row)
            print(f"  done {kind} {row['size']} in {row['wall']:.2f} s", flush=True)
    head = (
        f"{'kind':>8} {'size':>15} {'cap':>3} {'seats':>7} {'method':>6} {'arcs':>9} "
        f"{'score s':>8} {'assign s':>8} {'total s':>8} {'py peak MB':>10} {'rss+ MB':>8} "
        f"{'matched':>8} {'missed':>6} {'mean':>6} {'gap %':>7} {'cert':>4} {'rounds':>6} "
        f"{'added':>7} {'greedy gap %':>12} {'exact on':>14} {'exact s':>8}"
    )
    print()
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['kind']:>8} {r['size']:>15} {r['cap']:>3} {r['seats']:>7,} {r['method']:>6} "
            f"{r['arcs']:>9,} {r['scoring']:>8.3f} {r['assign']:>8.3f} {r['wall']:>8.3f} "
            f"{fmt(r.get('py_peak'), '>10.0f')} {r['rss_delta']:>8.0f} {r['matched']:>8,} "
            f"{fmt(r.get('missed'), '>6')} {r['mean']:>6.4f} {fmt(r.get('gap'), '>7.4f')} "
            f"{r['certified']:>4} {fmt(r['rounds'], '>6')} {fmt(r['added'], '>7,')} "
            f"{fmt(r.get('greedy_gap'), '>12.3f')} {r.get('exact_on', '—'):>14} "
            f"{fmt(r.get('exact_time'), '>8.1f')}"
        )
    print(
        "\ntotal s = scoring + assignment + repair + exact per-pair scores and unmatched reasons"
        " (the whole match() call; pool construction excluded).\n"
        "py peak MB = tracemalloc peak of a second match() call (numpy + Python allocations;"
        " OR-Tools' C++ memory is not traced).\n"
        "rss+ MB = growth of the process's ru_maxrss high-water mark during the timed call"
        " (0 when an earlier, larger run already set the mark).\n"
        "gap % = 1 − total score / exact optimum (dense min-cost flow over every feasible arc);"
        " 'exact on' names the pool it was computed on when smaller than the benchmarked one.\n"
        "missed = mentees the exact solver matches and the engine doesn't (coverage).\n"
        "cert = proven optimal over every allowed pair; rounds = pricing scans of every allowed"
        " pair; added = pairs those scans added to the candidate arcs."
    )


if __name__ == "__main__":
    main()
