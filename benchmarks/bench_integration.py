"""Time the mixed-methods integration on the bundled synthetic export.

    .venv/bin/python benchmarks/bench_integration.py [--repeat 5]

Prints the median wall time of each integration step (case matrix, joint display, themes against
outcomes, representativeness) over ``--repeat`` runs; the data are loaded once, outside the timing.
"""

from __future__ import annotations

import argparse
import statistics
import time

from wave_analysis.config import SYNTHETIC_DIR
from wave_analysis.data import load as io
from wave_analysis.integration.cases import case_matrix
from wave_analysis.integration.findings import quantitative_findings
from wave_analysis.integration.joint_display import joint_display
from wave_analysis.integration.representativeness import representativeness
from wave_analysis.integration.theme_outcomes import theme_outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    trial = io.load_trial(SYNTHETIC_DIR)
    qual = io.load_qualitative(SYNTHETIC_DIR, trial=trial)
    cases = case_matrix(trial, qual)
    steps = {
        "case_matrix (theme)": lambda: case_matrix(trial, qual),
        "case_matrix (code)": lambda: case_matrix(trial, qual, level="code"),
        "joint_display": lambda: joint_display(trial, qual, cases=cases),
        "theme_outcomes": lambda: theme_outcomes(cases),
        "representativeness": lambda: representativeness(trial, qual),
        "quantitative_findings": lambda: quantitative_findings(trial),
    }
    print(f"{len(qual.interviews)} interviews, {len(qual.codings)} codings, "
          f"{len(trial.participants)} participants; median of {args.repeat} runs")
    for name, step in steps.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
        print(f"{name:24s} {1000 * statistics.median(times):8.1f} ms")


if __name__ == "__main__":
    main()
