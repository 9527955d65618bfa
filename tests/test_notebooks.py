"""Every notebook runs end to end through papermill on the synthetic data, and stays thin."""

from __future__ import annotations

import ast

import nbformat
import pytest

from wave_analysis import pipeline
from wave_analysis.exceptions import NotebookError, ParameterError

NOTEBOOKS = pipeline.list_notebooks()
SMALL = {"n_boot": 200}  # fewer bootstrap draws keep the suite quick


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
    params = pipeline.notebook_parameters(path)
    assert "data_dir" in params
    for name, info in params.items():
        assert info["help"], f"parameter {name} needs a trailing comment"
        assert info["type"] != "None", f"parameter {name} needs a type annotation"


@pytest.mark.slow
def test_every_notebook_executes_on_synthetic_data(tmp_path, synthetic_dir):
    declared = set().union(*(pipeline.notebook_parameters(p) for p in NOTEBOOKS))
    results = pipeline.run_all(
        data_dir=synthetic_dir, figures_dir=tmp_path / "figures", tables_dir=tmp_path / "tables",
        output_dir=tmp_path / "executed",
        overrides={k: v for k, v in SMALL.items() if k in declared}, log=lambda _: None)
    assert [r.notebook for r in results] == [p.stem for p in NOTEBOOKS]
    assert all(r.ok for r in results)
    assert sorted(p.name for p in (tmp_path / "executed").glob("*.ipynb")) == \
        sorted(p.name for p in NOTEBOOKS)
    assert list((tmp_path / "figures").glob("00_*.png")), "notebook 00 saved its figure"


def test_unknown_parameter_is_refused_before_any_kernel_starts(tmp_path):
    with pytest.raises(ParameterError, match="unknown parameter.*no_such_thing"):
        pipeline.run_all(overrides={"no_such_thing": 1}, output_dir=tmp_path)
    with pytest.raises(ParameterError, match="no notebook named 99_missing"):
        pipeline.run_all(only=["99_missing"], output_dir=tmp_path)
    assert not any(tmp_path.iterdir())


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
        pipeline.run_all(data_dir=synthetic_dir, notebooks_dir=src, output_dir=out,
                         figures_dir=tmp_path / "f", tables_dir=tmp_path / "t",
                         log=lambda _: None)
    assert (out / "99_broken.ipynb").read_text() == "good copy"
    assert (out / "99_broken.failed.ipynb").exists()
