"""Benchmark: theme counts and co-occurrence over 1,000,000 synthetic codings.

Target (issue): both within 5 s on a 2-core machine. Run:

    .venv/bin/python benchmarks/bench_qualitative.py [--codings 1000000] [--seed 7]

The corpus: 2,000 interviews of 40,000 characters (4 stakeholder groups), a codebook of 6 themes x
3 subthemes x 4 codes, 500 segments of 20-600 characters per interview for coder_1 (so segments
overlap several others, as in dense real coding).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from wave_analysis.data.model import QualData
from wave_analysis.qualitative.cooccurrence import cooccurrence
from wave_analysis.qualitative.counts import theme_counts


def make_corpus(n_codings: int, seed: int) -> QualData:
    rng = np.random.default_rng(seed)
    n_interviews, length = 2000, 40_000
    groups = np.array(["patient", "employer", "vsw", "gp"])
    ids = [f"I{k:05d}" for k in range(n_interviews)]
    group = groups[np.arange(n_interviews) % 4]
    interviews = pd.DataFrame({
        "interview_id": ids, "stakeholder_group": group,
        "participant_id": [f"P{k:05d}" if g == "patient" else None for k, g in zip(
            range(n_interviews), group, strict=True)],
        "practice_id": None, "interview_date": pd.Timestamp("2021-06-01"),
        "transcript_file": [f"{i}.txt" for i in ids],
    })
    rows = []
    for t in range(6):
        rows.append((f"T{t}", None, f"theme {t}", "theme"))
        for s in range(3):
            rows.append((f"T{t}S{s}", f"T{t}", f"subtheme {t}.{s}", "subtheme"))
            rows += [(f"T{t}S{s}C{c}", f"T{t}S{s}", f"code {t}.{s}.{c}", "code")
                     for c in range(4)]
    codebook = pd.DataFrame(rows, columns=["code_id", "parent_id", "name", "level"])
    codebook["description"] = None
    leaves = codebook.loc[codebook["level"] == "code", "code_id"].to_numpy()
    start = rng.integers(0, length - 600, n_codings)
    codings = pd.DataFrame({
        "interview_id": np.asarray(ids, dtype=object)[rng.integers(0, n_interviews, n_codings)],
        "code_id": leaves[rng.integers(0, len(leaves), n_codings)],
        "start": start, "end": start + rng.integers(20, 600, n_codings),
        "coder": "coder_1",
    })
    text = "word " * (length // 5)  # one shared string: only lengths matter here
    return QualData(interviews, codebook, codings, transcripts=dict.fromkeys(ids, text))


def timed(label: str, fn):
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<44s} {time.perf_counter() - t0:6.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = timed(f"build corpus ({args.codings:,} codings)",
                 lambda: make_corpus(args.codings, args.seed))
    counts = timed("theme_counts(level='theme')", lambda: theme_counts(data))
    timed("theme_counts(level='code')", lambda: theme_counts(data, level="code"))
    seg = timed("cooccurrence(unit='segment', level='theme')", lambda: cooccurrence(data))
    timed("cooccurrence(unit='segment', within=50)", lambda: cooccurrence(data, within=50))
    timed("cooccurrence(unit='segment', level='code')", lambda: cooccurrence(data, level="code"))
    timed("cooccurrence(unit='interview')", lambda: cooccurrence(data, unit="interview"))
    print(f"segments counted: {int(counts.table['segments'].sum()):,}; "
          f"co-occurring theme pairs: {int(np.triu(seg.counts.to_numpy(), 1).sum()):,}")


if __name__ == "__main__":
    main()
