"""Benchmark wave_analysis.trial.survival on a large seeded synthetic cohort.

Usage: .venv/bin/python benchmarks/bench_survival.py [--n 1000000] [--cox-n N] [--seed 2022]

Times (wall clock, including input validation): Kaplan-Meier by arm, log-rank (floor: these two
plus outcome derivation and the negative binomial fit, measured elsewhere, within 30 s), RMST at
182 days, the Cox fit (on ``--cox-n`` participants, the full cohort by default, without the
Schoenfeld test), the Cox fit with the Schoenfeld test and the interval-censored Weibull AFT on a
100,000 subsample. Peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (floor: 4 GB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd

from wave_analysis.design import ARMS, DAYS_PER_FORTNIGHT, FORTNIGHTS
from wave_analysis.trial import survival as sv


def synthetic_cohort(n: int, *, seed: int) -> pd.DataFrame:
    """Two arms 1:1, Weibull return times (time ratio 0.8), seen at fortnight ends, drop-out."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    t = 80 * np.exp(np.log(0.8) * x) * rng.weibull(1.2, n)
    k = np.ceil(t / DAYS_PER_FORTNIGHT)
    seen = np.minimum(rng.integers(1, 2 * FORTNIGHTS, n), FORTNIGHTS)  # last replied fortnight
    event = k <= seen
    last = np.where(event, k, seen)
    upper = np.where(event, last * DAYS_PER_FORTNIGHT, np.inf)
    lower = np.where(event, (last - 1) * DAYS_PER_FORTNIGHT, last * DAYS_PER_FORTNIGHT)
    return pd.DataFrame({"participant_id": np.char.add("P", np.arange(n).astype(str)),
                         "arm": np.array(ARMS)[x], "lower": lower, "upper": upper,
                         "event": event, "duration": np.where(event, upper, lower)})


def timed(label: str, rows: list, n: int, func, *args, **kwargs):
    start = time.perf_counter()
    out = func(*args, **kwargs)
    rows.append((label, n, time.perf_counter() - start))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--cox-n", type=int, default=None, help="Cox subsample (default: all)")
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args(argv)

    rows: list[tuple[str, int, float]] = []
    data = timed("generate cohort (not part of the floor)", rows, args.n, synthetic_cohort,
                 args.n, seed=args.seed)
    timed("Kaplan-Meier by arm (+ medians)", rows, args.n, sv.kaplan_meier, data)
    lr = timed("log-rank", rows, args.n, sv.log_rank, data)
    timed("RMST tau=182 (analytic)", rows, args.n, sv.rmst, data)
    cox_n = args.n if args.cox_n is None else min(args.cox_n, args.n)
    cox_data = data if cox_n == args.n else data.sample(n=cox_n, random_state=args.seed)
    cox = timed("Cox HR (no PH test)", rows, cox_n, sv.cox_ph, cox_data, ph_test=False)
    sub = data.sample(n=min(100_000, args.n), random_state=args.seed)
    timed("Cox HR + Schoenfeld PH test", rows, len(sub), sv.cox_ph, sub)
    aft = timed("Weibull AFT, interval-censored", rows, len(sub), sv.weibull_aft_interval, sub)

    floor = rows[1][2] + rows[2][2]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{'step':42s} {'n':>10s} {'seconds':>9s}")
    for label, n, sec in rows:
        print(f"{label:42s} {n:>10,d} {sec:9.2f}")
    print(f"{'KM + log-rank (floor part)':42s} {args.n:>10,d} {floor:9.2f}")
    print(f"peak memory (ru_maxrss): {peak_mb:,.0f} MB (floor 4,096 MB)")
    print(f"check: log-rank chi2={lr.statistic:.1f}, Cox HR={cox.hazard_ratio['estimate']:.3f}, "
          f"AFT time ratio={aft.time_ratio:.3f} (simulated 0.8)")
    return 0 if peak_mb < 4096 else 1


if __name__ == "__main__":
    sys.exit(main())
