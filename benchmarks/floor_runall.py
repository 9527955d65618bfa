"""The floor for a full run: one plain Python process that imports the stack once and calls the
same library functions the notebooks call.

It executes each notebook's code cells with ``exec`` in a fresh namespace (parameters cell first,
then the runner's values), in one interpreter, with no kernel, no papermill and no rendering of
rich outputs. That is the least work any runner of this collection can do, so
``bench_runall.py`` reports the real runner's time as a multiple of it.

    python benchmarks/floor_runall.py --data data/synthetic --out /tmp/floor
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from wave_analysis.config import resolve  # noqa: E402
from wave_analysis.runner.notebooks import list_notebooks, select  # noqa: E402
from wave_analysis.runner.parameters import notebook_parameters  # noqa: E402


def code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text("utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def run(data_dir: Path, out: Path, notebooks: list[Path]) -> dict[str, float]:
    from IPython.display import display  # noqa: F401  (notebooks call it; import once)

    times = {}
    for path in notebooks:
        start = time.perf_counter()
        declared = notebook_parameters(path)
        values = {"data_dir": str(data_dir), "figures_dir": str(out / "figures"),
                  "tables_dir": str(out / "tables")}
        namespace = {"__name__": "__main__"}
        for i, source in enumerate(code_cells(path)):
            # cell magics and shell escapes are not Python; notebooks here use none
            with contextlib.redirect_stdout(io.StringIO()):  # displays print; discard them
                exec(compile(source, f"{path.name}[{i}]", "exec"), namespace)
            if i == 0:  # after the parameters cell, as papermill injects them
                namespace.update({k: v for k, v in values.items() if k in declared})
        plt.close("all")
        times[path.stem] = time.perf_counter() - start
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/synthetic")
    parser.add_argument("--out", required=True, help="folder for figures/ and tables/")
    parser.add_argument("--only", nargs="+", help="notebook names or prefixes")
    args = parser.parse_args()
    notebooks = select(list_notebooks(), args.only)
    times = run(resolve(args.data), Path(args.out), notebooks)
    json.dump(times, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
