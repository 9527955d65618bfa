"""Every notebook runs end to end through papermill on the synthetic data, and stays thin."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from wave_analysis.config import FIGURES_DIR, REPO_ROOT
from wave_analysis.exceptions import ArgumentError, NotebookError, ParameterError
from wave_analysis.runner.execute import RunOptions, run_all
from wave_analysis.runner.manifest import load_manifest
from wave_analysis.runner.notebooks import list_notebooks
from wave_analysis.runner.parameters import notebook_parameters

NOTEBOOKS = list_notebooks()


def _code(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    return nb, [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin_and_stripped(path):
    nb, cells = _code(path)
    assert nb.metadata["kernelspec"]["name"] == "wave-analysis"
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    for cell in cells:
        assert cell.outputs == [] and cell.execution_count is None, "strip outputs before commit"
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef
                                                          | ast.AsyncFunctionDef | ast.Lambda)]
        assert not defs, "notebooks define no functions: move the logic into wave_analysis"
    params = notebook_parameters(path)
    assert "data_dir" in params
    for name, info in params.items():
        assert info["help"], f"parameter {name} needs a trailing comment"
        assert info["type"] != "None", f"parameter {name} needs a type annotation"


@pytest.fixture(scope="session")
def full_run(tmp_path_factory, synthetic_dir):
    """ONE full run of the collection on the bundled synthetic data with every default (so its
    figures can be compared with the committed ones), HTML site included; reused below."""
    root = tmp_path_factory.mktemp("full_run")
    folders = {"figures_dir": root / "figures", "tables_dir": root / "tables",
               "reports_dir": root / "reports"}
    try:
        results = run_all(RunOptions(data_dir=synthetic_dir, site=True, **folders),
                          log=lambda _: None)
        error = None
    except NotebookError as err:
        results, error = None, err
    return {"results": results, "error": error, **folders}


@pytest.mark.slow
def test_every_notebook_executes_on_synthetic_data(full_run):
    assert full_run["error"] is None, str(full_run["error"])
    results = full_run["results"]
    assert [r.notebook for r in results] == [p.stem for p in NOTEBOOKS]
    assert all(r.ok and r.status == "executed" for r in results)
    executed = full_run["reports_dir"] / "notebooks"
    assert sorted(p.name for p in executed.glob("*.ipynb")) == sorted(p.name for p in NOTEBOOKS)
    assert list(full_run["figures_dir"].glob("00_*.png")), "notebook 00 saved its figure"


def _committed_figures() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z", "figures"], cwd=REPO_ROOT, check=True,
                             capture_output=True, text=True).stdout
        return sorted(REPO_ROOT / name for name in out.split("\0") if name)
    except (OSError, subprocess.CalledProcessError):  # not a git checkout
        return sorted(p for p in FIGURES_DIR.glob("*") if p.is_file())


@pytest.mark.slow
def test_committed_figures_are_what_the_code_produces(full_run):
    assert full_run["error"] is None, str(full_run["error"])
    produced = {p.name: p for p in full_run["figures_dir"].iterdir() if p.is_file()}
    committed = {p.name: p for p in _committed_figures()}
    fix = "run `wave-analysis run` (or `make run`) and commit figures/"
    problems = []
    for name, path in sorted(committed.items()):
        if name not in produced:
            problems.append(f"figures/{name} is committed but no notebook writes it any more: "
                            f"`git rm figures/{name}`")
        elif not path.is_file() or path.read_bytes() != produced[name].read_bytes():
            problems.append(f"figures/{name} differs from what the code now produces: {fix}")
    problems += [f"figures/{name} is produced but not committed: {fix}"
                 for name in sorted(set(produced) - set(committed))]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_outputs_are_byte_identical_across_runs(full_run):
    """Two real notebooks run again (--force) by a separate process: every figure, table and
    executed notebook they write has the same bytes (the manifest holds the sha256 of each)."""
    assert full_run["error"] is None, str(full_run["error"])
    folders = {k: str(full_run[k]) for k in ("figures_dir", "tables_dir", "reports_dir")}
    names = [p.stem for p in NOTEBOOKS if p.stem[:2] in ("00", "04")]
    manifest = load_manifest(full_run["reports_dir"])["notebooks"]
    before = {n: manifest[n]["outputs"] for n in names}
    assert all(before.values())
    script = ("import sys; from wave_analysis.runner.execute import RunOptions, run_all; "
              f"r = run_all(RunOptions(only={names!r}, force=True, **{folders!r}), "
              "log=lambda _: None); sys.exit([x.status for x in r] != ['executed'] * len(r))")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONHASHSEED": "4321"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    manifest = load_manifest(full_run["reports_dir"])["notebooks"]
    assert [manifest[n]["reason"] for n in names] == ["--force"] * len(names)
    assert {n: manifest[n]["outputs"] for n in names} == before


@pytest.mark.slow
def test_report_site_opens_in_a_browser(full_run):
    from site_checks import browser, reader_problems

    assert full_run["error"] is None, str(full_run["error"])
    index = full_run["reports_dir"] / "site" / "index.html"
    text = index.read_text()
    for nb in NOTEBOOKS:
        assert f'href="{nb.stem}.html"' in text
    for png in full_run["figures_dir"].glob("*.png"):
        assert f'src="figures/{png.name}"' in text
    driver = browser()
    try:
        assert reader_problems(driver, index) == []
    finally:
        driver.quit()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_clean_with_one_source(path):
    """Hygiene (README "Reproducible runs"): the .ipynb is the only source, stored without
    outputs, run metadata or pairing, so `git diff` shows source changes only."""
    raw = json.loads(path.read_text("utf-8"))
    assert set(raw["metadata"]) <= {"kernelspec", "language_info"}, (
        f"{path.name}: notebook metadata {sorted(raw['metadata'])}: rebuild it with "
        "scripts/build_notebook.py or clear outputs and metadata before committing")
    ids = [c.get("id") for c in raw["cells"]]
    assert all(ids) and len(set(ids)) == len(ids), "every cell has a stable, unique id"
    for cell in raw["cells"]:
        extra = set(cell["metadata"]) - {"tags"}
        assert not extra, f"{path.name} cell {cell.get('id')}: run metadata {sorted(extra)}"
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path.name} cell {cell.get('id')} has outputs: clear them before committing")
    twins = [p.name for p in path.parent.iterdir()
             if p.stem == path.stem and p.suffix in (".py", ".md", ".Rmd", ".qmd")]
    assert not twins, f"{path.name}: one source only, remove {twins} (no jupytext pairing)"


def test_unknown_parameter_is_refused_before_any_kernel_starts(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameter.*no_such_thing"):
        run_all(RunOptions(overrides={"no_such_thing": 1}, output_dir=tmp_path))
    with pytest.raises(ArgumentError, match="no notebook named 99_missing"):
        run_all(RunOptions(only=["99_missing"], output_dir=tmp_path))
    assert not any(tmp_path.iterdir())


@pytest.mark.slow  # over half a second: make test, not make quick
def test_failing_notebook_is_reported_and_good_copy_kept(tmp_path, synthetic_dir):
    src = tmp_path / "notebooks"
    src.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('data_dir: str = "x"  # folder',
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, src / "99_broken.ipynb")
    out = tmp_path / "executed"
    out.mkdir()
    (out / "99_broken.ipynb").write_text("good copy")
    with pytest.raises(NotebookError, match="99_broken cell .*ZeroDivisionError"):
        run_all(RunOptions(data_dir=synthetic_dir, notebooks_dir=src, output_dir=out,
                           figures_dir=tmp_path / "f", tables_dir=tmp_path / "t"),
                log=lambda _: None)
    assert (out / "99_broken.ipynb").read_text() == "good copy"
    assert (out / "99_broken.failed.ipynb").exists()
