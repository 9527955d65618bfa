"""Benchmark the quantitative pipeline on large seeded synthetic cohorts.

Usage: .venv/bin/python benchmarks/bench_quantitative.py [--sizes 100000 1000000] [--cox-n 200000]
       [--seed 2022]

For each cohort size (13 fortnights per participant) it times, wall clock:

1. outcome derivation: ``outcomes.sms_matrix`` from the long SMS frame (one row per participant
   and fortnight, ``participant_id`` strings, nullable ``Int64`` columns as ``io.load_trial``
   returns them) plus ``outcomes.days_absent_from_matrix`` under the primary rule
   (floor: 10 s at 1,000,000 participants);
2. the primary adjusted negative binomial fit (``effects.negative_binomial``, formula
   ``effects.ADJUSTED`` with 10 practices);
3. Kaplan-Meier by arm and 4. the log-rank test on ``outcomes.return_intervals`` output;
   (floor: steps 1-4 together within 30 s at 1,000,000);
5. the Cox fit (``survival.cox_ph`` without the Schoenfeld test) on a random subsample of
   ``--cox-n`` participants: reported, not part of the floor.

Peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` of the whole run (floor: 4 GB).
Exits 1 when a floor is missed. The cohort generator is vectorised and lives here on purpose
(``synthetic.make_trial`` is tuned for the 130-participant trial); generation is not timed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd

from wave_analysis.design import ARMS, DAYS_PER_FORTNIGHT, FORTNIGHTS
from wave_analysis.trial import effects, outcomes
from wave_analysis.trial import survival as sv

FLOOR_DERIVATION_S = 10.0  # at 1,000,000 participants
FLOOR_FOUR_STEPS_S = 30.0
FLOOR_MEMORY_MB = 4096.0
FLOOR_N = 1_000_000


def make_cohort(n: int, *, seed: int, irr: float = 0.9) -> tuple[pd.DataFrame, pd.DataFrame,
                                                                  np.ndarray]:
    """Participants (covariates), the long SMS frame, and 6-month self-reports (NaN if none)."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("P", np.char.zfill(np.arange(n).astype(str), 7)).astype(object)
    arm = rng.integers(0, 2, n)
    practice = rng.integers(0, 10, n)
    baseline = rng.integers(14, 184, n)
    mu = 40 * np.exp(np.log(irr) * arm + 0.3 * np.log(baseline / 40)
                     + np.linspace(-0.2, 0.2, 10)[practice])
    total = np.minimum(rng.negative_binomial(0.8, 0.8 / (0.8 + mu)), FORTNIGHTS * 14)
    k = np.arange(FORTNIGHTS)
    days = np.clip(total[:, None] - DAYS_PER_FORTNIGHT * k[None, :], 0, DAYS_PER_FORTNIGHT)
    missing = rng.random((n, FORTNIGHTS)) < 0.12
    participants = pd.DataFrame({
        "participant_id": ids, "arm": np.array(ARMS)[arm],
        "practice_id": np.char.add("PR", practice.astype(str)).astype(object),
        "days_absent_baseline": baseline,
        "absence_band": np.where(baseline > 42, "over 6 weeks", "2-6 weeks").astype(object),
    })
    days_off = pd.array(days.ravel(), dtype="Int64")
    days_off[missing.ravel()] = pd.NA
    sms = pd.DataFrame({
        "participant_id": np.repeat(ids, FORTNIGHTS),  # repeats references to n strings
        "fortnight": pd.array(np.tile(k + 1, n), dtype="Int64"),
        "days_off": days_off,
    })
    q6m = np.where(rng.random(n) < 0.75, total, np.nan)
    return participants, sms, q6m


def timed(rows: list, label: str, n: int, func, *args, **kwargs):
    start = time.perf_counter()
    out = func(*args, **kwargs)
    rows.append((label, n, time.perf_counter() - start))
    return out


def run(n: int, *, seed: int, cox_n: int) -> dict[str, float]:
    participants, sms, q6m = make_cohort(n, seed=seed)
    ids = participants["participant_id"].to_numpy()
    rows: list[tuple[str, int, float]] = []
    mat = timed(rows, "sms_matrix (long frame -> matrix)", n, outcomes.sms_matrix, sms, ids)
    days = timed(rows, "days_absent_from_matrix (primary rule)", n,
                 outcomes.days_absent_from_matrix, mat, q6m)
    frame = participants.assign(days_absent=days).dropna(subset=["days_absent"])
    frame = frame.assign(days_absent=frame["days_absent"].round().astype(int),
                         treated=(frame["arm"] == ARMS[1]).astype(int),
                         log_baseline_days=np.log(frame["days_absent_baseline"].astype(float)))
    irr = timed(rows, "negative binomial, adjusted", len(frame), effects.negative_binomial, frame)
    ret = outcomes.return_intervals(mat)
    surv = pd.DataFrame({"participant_id": ids, "arm": participants["arm"].to_numpy(), **ret})
    timed(rows, "Kaplan-Meier by arm", n, sv.kaplan_meier, surv)
    timed(rows, "log-rank", n, sv.log_rank, surv)
    sub = surv if cox_n >= n else surv.sample(n=cox_n, random_state=seed)
    cox = timed(rows, "Cox HR, no PH test (not in floor)", len(sub), sv.cox_ph, sub,
                ph_test=False)
    for label, m, sec in rows:
        print(f"{label:42s} {m:>10,d} {sec:9.2f}")
    sec = {label: s for label, _, s in rows}
    derivation = sec["sms_matrix (long frame -> matrix)"] + sec[
        "days_absent_from_matrix (primary rule)"]
    four = derivation + sec["negative binomial, adjusted"] + sec["Kaplan-Meier by arm"] + sec[
        "log-rank"]
    print(f"{'= outcome derivation (1)':42s} {n:>10,d} {derivation:9.2f}")
    print(f"{'= four steps (1-4)':42s} {n:>10,d} {four:9.2f}")
    print(f"check: IRR {irr.estimate:.3f} (simulated 0.9 before clipping), "
          f"Cox HR {cox.hazard_ratio['estimate']:.3f}")
    return {"derivation": derivation, "four": four}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--cox-n", type=int, default=200_000, help="Cox subsample size")
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args(argv)

    print(f"{'step':42s} {'n':>10s} {'seconds':>9s}")
    failures = []
    for n in args.sizes:
        res = run(n, seed=args.seed, cox_n=args.cox_n)
        if n >= FLOOR_N:
            if res["derivation"] > FLOOR_DERIVATION_S:
                failures.append(f"outcome derivation {res['derivation']:.1f} s > "
                                f"{FLOOR_DERIVATION_S:.0f} s at n={n:,}")
            if res["four"] > FLOOR_FOUR_STEPS_S:
                failures.append(f"four steps {res['four']:.1f} s > {FLOOR_FOUR_STEPS_S:.0f} s "
                                f"at n={n:,}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory (ru_maxrss): {peak_mb:,.0f} MB (floor {FLOOR_MEMORY_MB:,.0f} MB)")
    if peak_mb > FLOOR_MEMORY_MB:
        failures.append(f"peak memory {peak_mb:,.0f} MB > {FLOOR_MEMORY_MB:,.0f} MB")
    for f in failures:
        print(f"FLOOR MISSED: {f}", file=sys.stderr)
    if not any(n >= FLOOR_N for n in args.sizes):
        print(f"note: floors apply at n >= {FLOOR_N:,}; none was run")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
