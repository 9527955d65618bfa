"""Benchmark wave_analysis.trial.power_sim: the vectorised arm-only NB test against a
statsmodels-per-trial loop, the 10,000-trial timing and 1 vs 2 Dask workers.

Usage: PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_power.py [--trials 1000] [--n 360]
       [--big-sims 160000] [--seed 2022]

1. ``--trials`` simulated trials (``--n`` per arm, capped at 182 days, IRR 0.8, k 1.8, mean
   42.66) tested by the vectorised estimator and by ``statsmodels`` ``NegativeBinomial`` (arm-only,
   Newton, one fit per trial) on the same data: the number of trials with a different
   reject/accept decision (floor: 0) and the speed ratio (floor: 20x).
2. 10,000 trials of 720 participants (360 per arm), serially in this process (floor: 10 s).
3. ``--big-sims`` trials of 720 on a LocalCluster of 1 and of 2 worker processes (cluster start-up
   excluded): wall times reported, not asserted (this machine's second core is shared).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings

import numpy as np
import statsmodels.api as sm
from dask.distributed import Client, LocalCluster
from scipy import stats

from wave_analysis.trial.power_sim import Scenario, arm_only_tests, simulate_days, simulate_power


def statsmodels_decisions(y0, y1, alpha: float) -> np.ndarray:
    n0, n1 = y0.shape[1], y1.shape[1]
    X = np.column_stack([np.ones(n0 + n1), np.r_[np.zeros(n0), np.ones(n1)]])
    z = stats.norm.isf(alpha / 2)
    out = np.zeros(len(y0), bool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(len(y0)):
            fit = sm.NegativeBinomial(np.r_[y0[i], y1[i]], X).fit(disp=0, method="newton",
                                                                  maxiter=200)
            out[i] = abs(fit.params[1] / fit.bse[1]) > z
    return out


def compare(trials: int, n: int, seed: int) -> bool:
    s = Scenario(n, 0.8, 42.66, 1.8, cap=182)
    y0, y1 = simulate_days(s, np.random.default_rng(seed), trials)
    t0 = time.perf_counter()
    ours = arm_only_tests(y0, y1, 0.05)
    t_vec = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = statsmodels_decisions(y0, y1, 0.05)
    t_sm = time.perf_counter() - t0
    differ = int((ours["reject"] != theirs).sum())
    print(f"1. {trials} trials of {2 * n}: decisions differ in {differ}; vectorised {t_vec:.3f} s,"
          f" statsmodels loop {t_sm:.1f} s, ratio {t_sm / t_vec:.0f}x (floor 20x)")
    return differ == 0 and t_sm / t_vec >= 20


def ten_thousand(seed: int) -> bool:
    s = Scenario(360, 0.8, 42.66, 1.8, cap=182)
    t0 = time.perf_counter()
    res = simulate_power(s, n_sims=10_000, batch_size=1000, seed=seed, client="serial")
    took = time.perf_counter() - t0
    print(f"2. 10,000 trials of 720 (capped): {took:.2f} s (floor 10 s); power {res.power} "
          f"(MCSE {res.mcse})")
    return took < 10


def workers(big: int, seed: int) -> None:
    s = Scenario(360, 0.8, 42.66, 1.8, cap=182)
    for n_workers in (1, 2):
        with LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            t0 = time.perf_counter()
            res = simulate_power(s, n_sims=big, batch_size=2000, seed=seed, client=client)
            took = time.perf_counter() - t0
        print(f"3. {big} trials of 720 on {n_workers} worker(s): {took:.1f} s; power {res.power}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=1000)
    p.add_argument("--n", type=int, default=360)
    p.add_argument("--big-sims", type=int, default=160_000)
    p.add_argument("--seed", type=int, default=2022)
    args = p.parse_args(argv)
    ok = compare(args.trials, args.n, args.seed)
    ok = ten_thousand(args.seed) and ok
    workers(args.big_sims, args.seed)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
