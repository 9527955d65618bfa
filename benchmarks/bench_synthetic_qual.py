"""Benchmark: time to build the synthetic interview corpus (target: well under a second).

Run: .venv/bin/python benchmarks/bench_synthetic_qual.py [--repeats N]
Uses a participants frame shaped like the bundled cohort (130 randomised, 66 intervention arm,
10 practices) and reports the median and max wall time of ``make_qualitative`` over repeats,
plus the corpus size.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from wave_analysis.config import DEFAULT_SEED
from wave_analysis.design import CONDITION_GROUPS, CONTROL_ARM, INTERVENTION_ARM, SEXES
from wave_analysis.synthetic.interviews import make_qualitative


def cohort(seed: int = 0, n: int = 130, n_practices: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    arms = np.array([INTERVENTION_ARM] * 66 + [CONTROL_ARM] * (n - 66))
    return pd.DataFrame({
        "participant_id": [f"SYN-{i:04d}" for i in range(n)],
        "practice_id": [f"SYN-GP{i:02d}" for i in rng.integers(0, n_practices, n)],
        "arm": rng.permutation(arms),
        "randomisation_date": pd.Timestamp("2022-05-03")
        + pd.to_timedelta(rng.integers(0, 390, n), unit="D"),
        "sex": rng.choice(SEXES, n),
        "age": rng.integers(18, 67, n),
        "condition_group": rng.choice(CONDITION_GROUPS, n),
        "returned_to_work": rng.random(n) < 0.6,
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    people = cohort()
    times = []
    for i in range(args.repeats):
        start = time.perf_counter()
        q = make_qualitative(people, seed=DEFAULT_SEED + i)
        times.append(time.perf_counter() - start)
    words = sum(len(t.split()) for t in q.transcripts.values())
    print(f"make_qualitative: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {args.repeats} seeds; last corpus: "
          f"{len(q.transcripts)} transcripts, {words} words, {len(q.codings)} codings")


if __name__ == "__main__":
    main()
