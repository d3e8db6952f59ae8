"""Matching engine benchmark: synthetic pools, wall time, peak memory, optimality gap.

    .venv/bin/python benchmarks/matching.py                 # the issue's sizes except 50k
    .venv/bin/python benchmarks/matching.py --huge          # adds 50,000 × 15,000
    .venv/bin/python benchmarks/matching.py --sizes 2000x600x3 --no-exact

A size is MENTEESxMENTORSxCAPACITY. See benchmarks/README.md for what the columns mean.
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

from matching.engine import Settings, greedy, match  # noqa: E402
from matching.engine import synthetic as syn  # noqa: E402

DEFAULT_SIZES = ["1000x300x3", "10000x3000x3", "9000x3000x3"]
HUGE = "50000x15000x3"
HARD_RULES = {"not_same_reporting_line": True, "max_tz_hours": 6}


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(n, m, cap, args) -> dict:
    pool = syn.pool(n, m, capacity=cap, seed=args.seed)
    settings = Settings(weights=syn.DEFAULT_WEIGHTS, hard_rules=HARD_RULES)
    row = {"size": f"{n:,}×{m:,}", "cap": cap, "seats": int(pool.mentors.capacity.sum())}
    gc.collect()
    rss0 = maxrss_mb()
    t = time.perf_counter()
    res = match(pool, settings)
    row["wall"] = time.perf_counter() - t
    row["rss_delta"] = maxrss_mb() - rss0
    tm = res.timings
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
        row["exact_on"] = "same pool"
    elif not args.no_exact:
        # Too many arcs for a dense flow here: compare on a smaller pool of the same shape.
        f = (args.exact_max_cells / (n * m)) ** 0.5
        sn, sm = int(n * f), int(m * f)
        small = syn.pool(sn, sm, capacity=cap, seed=args.seed)
        ours = match(small, settings, method="flow")
        t = time.perf_counter()
        exact = match(small, settings, method="exact_flow")
        row["exact_time"] = time.perf_counter() - t
        row["exact_arcs"] = int(exact.timings.get("arcs", 0))
        row["exact_on"] = f"{sn:,}×{sm:,}"
        row["exact_total"] = exact.stats.total_score
        row["gap_small"] = 100 * (1 - ours.stats.total_score / exact.stats.total_score)
        gs = greedy(small, settings)[1]
        row["greedy_gap_small"] = 100 * (1 - np.nansum(gs) / exact.stats.total_score)
    if "exact_total" in row and row["exact_on"] == "same pool":
        row["gap"] = 100 * (1 - row["total"] / row["exact_total"])
        row["greedy_gap"] = 100 * (1 - row["greedy_total"] / row["exact_total"])
    elif "gap_small" in row:
        row["gap"], row["greedy_gap"] = row["gap_small"], row["greedy_gap_small"]
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
    for size in sizes:
        n, m, cap = (int(x) for x in size.lower().split("x"))
        row = run_size(n, m, cap, args)
        rows.append(row)
        print(f"  done {row['size']} in {row['wall']:.2f} s", flush=True)
    head = (
        f"{'size':>15} {'cap':>3} {'seats':>7} {'method':>6} {'arcs':>9} {'score s':>8} "
        f"{'assign s':>8} {'total s':>8} {'py peak MB':>10} {'rss+ MB':>8} {'matched':>8} "
        f"{'mean':>6} {'gap %':>7} {'greedy gap %':>12} {'exact on':>14} {'exact s':>8}"
    )
    print()
    print(head)
    print("-" * len(head))
    for r in rows:
        print(
            f"{r['size']:>15} {r['cap']:>3} {r['seats']:>7,} {r['method']:>6} {r['arcs']:>9,} "
            f"{r['scoring']:>8.3f} {r['assign']:>8.3f} {r['wall']:>8.3f} "
            f"{fmt(r.get('py_peak'), '>10.0f')} {r['rss_delta']:>8.0f} {r['matched']:>8,} "
            f"{r['mean']:>6.4f} {fmt(r.get('gap'), '>7.4f')} {fmt(r.get('greedy_gap'), '>12.3f')} "
            f"{r.get('exact_on', '—'):>14} {fmt(r.get('exact_time'), '>8.1f')}"
        )
    print(
        "\ntotal s = scoring + assignment + repair + exact per-pair scores and unmatched reasons"
        " (the whole match() call; pool construction excluded).\n"
        "py peak MB = tracemalloc peak of a second match() call (numpy + Python allocations;"
        " OR-Tools' C++ memory is not traced).\n"
        "rss+ MB = growth of the process's ru_maxrss high-water mark during the timed call"
        " (0 when an earlier, larger run already set the mark).\n"
        "gap % = 1 − total score / exact optimum (dense min-cost flow over every feasible arc);"
        " 'exact on' names the pool it was computed on when smaller than the benchmarked one."
    )


if __name__ == "__main__":
    main()
