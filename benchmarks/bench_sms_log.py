"""Time ``sms_from_log`` on a large generated SMS platform log (not the bundled cohort).

    .venv/bin/python benchmarks/bench_sms_log.py [--participants 100000] [--seed 12]

Builds a log of 13 fortnightly SMS per participant, one free-text reply to each (drawn from a
pool of readable and unreadable forms) and a second reply ("thanks") to 3% of them, then prints
the messages, the wall time of ``sms_from_log`` and the peak memory of the process. The log is
built outside the timing.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import pandas as pd

from wave_analysis.data.imports.sms_log import sms_from_log
from wave_analysis.design import DAYS_PER_FORTNIGHT, FORTNIGHTS

POOL = ["3", "none", "2 and a half", "back at work", "all", "not sure", "three days", "0",
        "Sorry for the late reply, 4", "sorry, 5", "every day", "2 or 3"] + \
    [str(i) for i in range(DAYS_PER_FORTNIGHT + 1)]


def make_log(n: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    ids = np.array([f"P{i:06d}" for i in range(n)], dtype=object)
    rand = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    people = pd.DataFrame({"participant_id": ids, "randomisation_date": rand})
    k = np.arange(1, FORTNIGHTS + 1)
    sent = (rand.to_numpy()[:, None] + (DAYS_PER_FORTNIGHT * k).astype("timedelta64[D]")
            + np.timedelta64(10, "h")).ravel()
    reply = sent + rng.integers(60, 3 * 86400, sent.shape).astype("timedelta64[s]")
    texts = np.array(POOL, dtype=object)[rng.integers(0, len(POOL), sent.shape)]
    twice = rng.random(sent.shape) < 0.03
    each = np.repeat(ids, FORTNIGHTS)
    log = pd.DataFrame({
        "participant_id": np.concatenate([each, each, each[twice]]),
        "direction": np.repeat(["out", "in", "in"], [sent.size, sent.size, twice.sum()]),
        "timestamp": np.concatenate([sent, reply, reply[twice] + np.timedelta64(60, "s")]),
        "text": np.concatenate([np.full(sent.size, "How many days?", dtype=object), texts,
                                np.full(twice.sum(), "thanks", dtype=object)]),
    })
    log["message_id"] = [f"m{i}" for i in range(len(log))]
    log["row"] = np.arange(2, len(log) + 2)
    return log, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    log, people = make_log(args.participants, args.seed)
    start = time.perf_counter()
    result = sms_from_log(log, people)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(log)} messages, {args.participants} participants: sms_from_log {seconds:.1f} s, "
          f"peak memory of the process {peak:.0f} MB")
    print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
