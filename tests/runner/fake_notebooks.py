"""Tiny fake notebooks for the runner's tests: no heavy imports, so kernels stay quick."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import nbformat

from wave_analysis.runner.execute import RunOptions, run_all

PARAMS = ('data_dir: str = "data"  # folder of the export\n'
          'figures_dir: str = "figures"  # where figures go\n'
          'tables_dir: str = "tables"  # where tables go\n'
          'scale: float = 1.0  # a number\n'
          'label: str = "a"  # a label')
# Reads the data and writes one "figure" and one table.
WRITE = textwrap.dedent("""\
    from pathlib import Path
    value = float((Path(data_dir) / "value.txt").read_text()) * scale
    Path(figures_dir, "{name}.png").write_bytes(f"{{value}} {{label}}".encode())
    Path(tables_dir, "{name}.csv").write_text(f"value\\n{{value}}\\n")
""")


def make_nb(folder: Path, name: str, *code: str, params: str = PARAMS,
            depends_on: list[str] | None = None, markdown: str = "# A notebook") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    if depends_on:
        nb.metadata["wave_analysis"] = {"depends_on": depends_on}
    nb.cells = [nbformat.v4.new_markdown_cell(markdown),
                nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(c) for c in code)]
    for i, cell in enumerate(nb.cells):
        cell.id = f"c{i}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def options(root: Path, **kw) -> RunOptions:
    """Run options for the fake project under ``root`` (two workers unless told)."""
    kw.setdefault("jobs", 2)
    return RunOptions(data_dir=root / "data", notebooks_dir=root / "nbs",
                      figures_dir=root / "figures", tables_dir=root / "tables",
                      reports_dir=root / "reports", **kw)


def run(root: Path, **kw):
    """Run the fake project; (notebook -> RunResult, the lines logged)."""
    lines = []
    results = run_all(options(root, **kw), log=lines.append)
    return {r.notebook: r for r in results}, lines


def manifest(root: Path) -> dict:
    return json.loads((root / "reports" / "manifest.json").read_text())["notebooks"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
