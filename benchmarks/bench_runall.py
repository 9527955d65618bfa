"""Benchmark of `wave-analysis run` against its floor, measured side by side in one run.

    .venv/bin/python benchmarks/bench_runall.py [--data data/synthetic] [--jobs N]

1. floor: benchmarks/floor_runall.py, one plain Python process that imports the stack once and
   calls the same library functions the notebooks call (their code cells, exec'd);
2. cold: the runner on the whole collection with an empty cache (fresh output folders), the
   default process pool (one per core);
3. warm: the same command again with nothing changed (a fresh interpreter: what a user waits
   for, interpreter start-up included);
4. one edit: a code cell of one notebook changed (in a copy of notebooks/): only it reruns.
Floors on the 2-core machine: cold <= 2.0 x floor, warm <= 1.0 s. Nothing in the repository is
written: every output goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUN = """
import json, sys
from pathlib import Path
from wave_analysis.runner.execute import RunOptions, run_all
root, data, nbs, jobs = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
results = run_all(RunOptions(data_dir=data, notebooks_dir=nbs, figures_dir=root / "figures",
                             tables_dir=root / "tables", reports_dir=root / "reports",
                             jobs=int(jobs) if jobs != "0" else None, site=True),
                  log=lambda _: None)
print(json.dumps({r.notebook: r.status for r in results}))
"""


def timed(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=REPO, check=True, capture_output=True, text=True).stdout
    return time.perf_counter() - start, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(REPO / "data" / "synthetic"))
    parser.add_argument("--jobs", type=int, default=0, help="0: one per core")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-runall-"))
    try:
        nbs = work / "notebooks"
        shutil.copytree(REPO / "notebooks", nbs)
        run = [sys.executable, "-c", RUN, str(work / "out"), args.data, str(nbs), str(args.jobs)]
        floor, _ = timed([sys.executable, str(REPO / "benchmarks" / "floor_runall.py"),
                          "--data", args.data, "--out", str(work / "floor")])
        cold, out = timed(run)
        statuses = json.loads(out.splitlines()[-1])
        warm, out = timed(run)
        warm_statuses = json.loads(out.splitlines()[-1])
        first = sorted(statuses)[0]
        nb = json.loads((nbs / f"{first}.ipynb").read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        code[-1]["source"] = "".join(code[-1]["source"]) + "\n# edited\n"
        (nbs / f"{first}.ipynb").write_text(json.dumps(nb, indent=1))
        edit, out = timed(run)
        edit_statuses = json.loads(out.splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rerun = sorted(n for n, s in edit_statuses.items() if s == "executed")
    print(f"notebooks: {len(statuses)} ({', '.join(sorted(statuses))})")
    print(f"floor (one process, library calls):  {floor:6.1f} s")
    print(f"cold run (empty cache, pool):         {cold:6.1f} s  = {cold / floor:.2f} x floor "
          f"(target <= 2.0)")
    print(f"second run, nothing changed:          {warm:6.2f} s  (target <= 1.0; "
          f"{sum(s == 'cached' for s in warm_statuses.values())} cached)")
    print(f"after editing {first}:  {edit:6.1f} s, reran {rerun}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
