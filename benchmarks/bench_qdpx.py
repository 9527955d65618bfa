"""Benchmark: import the real 1.4 MB NVivo 12 export (floor: median under 1 s).

Run: .venv/bin/python benchmarks/bench_qdpx.py [--runs 7]
Needs ../shared/fixtures/refi-qda/ beside the repository; exits with status 2 when absent.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wave_analysis.data.qdpx import read_qdpx, write_qdpx

FIXTURE = (Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "refi-qda"
           / "nvivo12-win-oltas0517.qdpx")
FLOOR_S = 1.0


def _time(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not FIXTURE.exists():
        print(f"fixture absent: {FIXTURE}", file=sys.stderr)
        return 2
    mapping = {"*": "patient"}
    result = read_qdpx(FIXTURE, mapping=mapping)  # warm-up (imports, caches)
    imp = _time(lambda: read_qdpx(FIXTURE, mapping=mapping), args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        qual = result.to_qualdata()
        exp = _time(lambda: write_qdpx(qual, Path(tmp) / "out.qdpx"), args.runs)
    size_mb = FIXTURE.stat().st_size / 1e6
    print(f"fixture: {FIXTURE.name} ({size_mb:.2f} MB), {result.report.n_codings} codings, "
          f"{sum(map(len, result.transcripts.values()))} characters")
    print(f"import  median {statistics.median(imp):.3f} s  (min {min(imp):.3f}, "
          f"max {max(imp):.3f}, {args.runs} runs; floor {FLOOR_S:.1f} s)")
    print(f"export  median {statistics.median(exp):.3f} s  (min {min(exp):.3f}, "
          f"max {max(exp):.3f}, {args.runs} runs)")
    return 0 if statistics.median(imp) < FLOOR_S else 1


if __name__ == "__main__":
    sys.exit(main())
