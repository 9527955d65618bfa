"""The runner on tiny fake notebooks: typed parameters, cache keys, dependencies, parallel
workers, failures, a killed run, determinism and the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from wave_analysis import cli
from wave_analysis import runner as pipeline
from wave_analysis.exceptions import NotebookError, ParameterError

PARAMS = ('data_dir: str = "data"  # folder of the export\n'
          'figures_dir: str = "figures"  # where figures go\n'
          'tables_dir: str = "tables"  # where tables go\n'
          'scale: float = 1.0  # a number\n'
          'label: str = "a"  # a label')
# Reads the data and writes one "figure" and one table: no heavy imports, so kernels stay quick.
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


@pytest.fixture()
def project(tmp_path, monkeypatch):
    # a library and lock file of its own, so edits elsewhere in the checkout change no key
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "mod.py").write_text("x = 1\n")
    (tmp_path / "lock.txt").write_text("pandas==2.3.0\n")
    monkeypatch.setattr(pipeline, "LIBRARY_DIR", tmp_path / "lib")
    monkeypatch.setattr(pipeline, "LOCK_FILE", tmp_path / "lock.txt")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "value.txt").write_text("2")
    make_nb(tmp_path / "nbs", "10_alpha", WRITE.format(name="10_alpha"))
    return tmp_path


def run(root: Path, **kw):
    lines = []
    kw.setdefault("jobs", 2)
    results = pipeline.run_all(data_dir=root / "data", notebooks_dir=root / "nbs",
                               figures_dir=root / "figures", tables_dir=root / "tables",
                               reports_dir=root / "reports", log=lines.append, **kw)
    return {r.notebook: r for r in results}, lines


def manifest(root: Path) -> dict:
    return json.loads((root / "reports" / "manifest.json").read_text())["notebooks"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------- parameters


def test_parameters_cell_is_read_with_types_defaults_and_help():
    params = pipeline.parse_parameters(
        'n_boot: int = 2000  # bootstrap draws\nlevel: float = 0.8  # CI level\n'
        'arms: list[str] = ["a", "b"]  # arms\nflag = True  # untyped\nx: str | None = None\n')
    assert {k: (p.type, p.default, p.help) for k, p in params.items()} == {
        "n_boot": ("int", 2000, "bootstrap draws"), "level": ("float", 0.8, "CI level"),
        "arms": ("list[str]", ["a", "b"], "arms"), "flag": ("bool", True, "untyped"),
        "x": ("str | None", None, "")}
    with pytest.raises(ParameterError, match="line 1.*must be a literal"):
        pipeline.parse_parameters("n: int = len('abc')  # computed")


@pytest.mark.parametrize(("value", "annotation", "expected"), [
    (3, "float", 3.0), (0.5, "float", 0.5), (3, "int", 3), (True, "bool", True),
    ("x", "str", "x"), (["a"], "list[str]", ["a"]), (None, "str | None", None),
    ({"a": 1}, "dict", {"a": 1})])
def test_values_of_the_declared_type_are_accepted(value, annotation, expected):
    out = pipeline.coerce(value, annotation)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(("value", "annotation"), [
    ("3", "int"), (True, "int"), (2.5, "int"), ("x", "float"), (1, "bool"), (3, "str"),
    ([1], "list[str]"), ("a", "list"), (None, "str")])
def test_values_of_another_type_are_refused(value, annotation):
    with pytest.raises(TypeError, match=re.escape(f"expected {annotation}")):
        pipeline.coerce(value, annotation)


def test_bad_parameters_fail_before_any_kernel_starts(project):
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) nope"):
        run(project, overrides={"nope": 1})
    with pytest.raises(ParameterError, match="scale='big' is str, but 10_alpha declares "
                                             "scale: float"):
        run(project, overrides={"scale": "big"})
    with pytest.raises(ParameterError, match="data_dir .*missing.* does not exist"):
        pipeline.run_all(data_dir=project / "missing", notebooks_dir=project / "nbs",
                         reports_dir=project / "reports", log=lambda _: None)
    assert not (project / "reports").exists() and not (project / "figures").exists()


def test_cli_reports_a_parameter_error_in_one_line(capsys, tmp_path):
    (tmp_path / "p.yaml").write_text("no_such_parameter: 3\n")
    assert cli.main(["run", "--params", str(tmp_path / "p.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown parameter(s) no_such_parameter" in err
    assert cli.main(["run", "-p", "data_dir=[1, 2]"]) == 2
    assert "data_dir=[1, 2] is list, but" in capsys.readouterr().err


def test_cli_list_shows_types_defaults_and_help(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for nb in pipeline.list_notebooks():
        assert nb.stem in out
        for name, info in pipeline.notebook_parameters(nb).items():
            assert f"  {name}: {info['type']} = {info['default']!r}  # {info['help']}" in out


# ----------------------------------------------------------------------------- cache


def test_rerun_only_when_a_part_of_the_cache_key_changes(project, monkeypatch):
    first, lines = run(project)
    assert first["10_alpha"].status == "executed"
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"2.0 a"
    assert lines[0].startswith("10_alpha") and "executed" in lines[0] and " s " in lines[0]

    start = time.perf_counter()
    again, lines = run(project)
    assert again["10_alpha"].status == "cached" and "cached" in lines[0]
    assert time.perf_counter() - start < 1.0

    nb_path = project / "nbs" / "10_alpha.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].source = "# A retitled notebook\n\nMore narrative."
    nbformat.write(nb, nb_path)
    assert run(project)[0]["10_alpha"].status == "cached", "markdown edits do not rerun"

    def reason(**kw):
        result = run(project, **kw)[0]["10_alpha"]
        assert result.status == "executed"
        return result.reason

    nb.cells[2].source += "\n# a code edit"
    nbformat.write(nb, nb_path)
    assert reason() == "code changed"
    assert reason(overrides={"scale": 3}) == "parameters changed"
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"6.0 a"
    assert run(project, overrides={"scale": 3.0})[0]["10_alpha"].status == "cached"
    (project / "data" / "value.txt").write_text("5")
    assert reason(overrides={"scale": 3}) == "inputs changed"

    (project / "lib" / "mod.py").write_text("x = 2\n")
    assert reason(overrides={"scale": 3}) == "library changed"
    (project / "lib" / "new.py").write_text("y = 1\n")
    assert reason(overrides={"scale": 3}) == "library changed"

    (project / "lock.txt").write_text("pandas==2.3.1\n")
    assert reason(overrides={"scale": 3}) == "environment changed"
    monkeypatch.setattr(pipeline.sys, "version", "3.11.99 (test)")
    assert reason(overrides={"scale": 3}) == "environment changed"

    assert reason(overrides={"scale": 3}, force=True) == "--force"
    (project / "figures" / "10_alpha.png").unlink()
    assert reason(overrides={"scale": 3}) == "outputs missing or changed"
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"15.0 a"


def test_manifest_records_keys_hashes_parameters_and_versions(project):
    run(project, overrides={"label": "b"})
    entry = manifest(project)["10_alpha"]
    assert entry["status"] == "executed" and len(entry["key"]) == 64 and entry["seconds"] > 0
    assert set(entry["key_parts"]) == {"code", "parameters", "inputs", "library",
                                       "environment", "upstream"}
    assert entry["parameters"]["label"] == "b" and entry["parameters"]["scale"] == 1.0
    data_file = project / "data" / "value.txt"
    assert entry["inputs"] == {data_file.as_posix(): sha(data_file)}
    figure, table = project / "figures" / "10_alpha.png", project / "tables" / "10_alpha.csv"
    executed = project / "reports" / "notebooks" / "10_alpha.ipynb"
    assert entry["outputs"] == {p.as_posix(): sha(p) for p in (figure, table, executed)}
    whole = json.loads((project / "reports" / "manifest.json").read_text())
    assert whole["python"] == sys.version.split()[0]
    from importlib import metadata

    assert whole["packages"]["papermill"] == metadata.version("papermill")
    log = (project / "reports" / "logs" / "10_alpha.log").read_text()
    assert "[10_alpha] ok" in log


def test_executed_notebooks_are_byte_identical_across_runs(project):
    run(project)
    executed = project / "reports" / "notebooks" / "10_alpha.ipynb"
    first = executed.read_bytes()
    run(project, force=True)
    assert executed.read_bytes() == first
    text = first.decode()
    for noise in ("start_time", "end_time", '"duration"', "iopub.execute_input", ".staging"):
        assert noise not in text
    nb = nbformat.reads(text, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert str(project / "figures") in injected[0].source, "final folders, not staging ones"


# ----------------------------------------------------------------------------- dependencies


def test_dependent_notebook_runs_after_its_upstream_and_reruns_with_it(project):
    nbs = project / "nbs"
    make_nb(nbs, "20_down", textwrap.dedent("""\
        from pathlib import Path
        up = float(Path(tables_dir, "10_alpha.csv").read_text().split()[1])
        Path(tables_dir, "20_down.csv").write_text(f"value\\n{up + 1}\\n")
    """), depends_on=["10_alpha"])
    make_nb(nbs, "30_other", "x = 1")
    results, _ = run(project)
    assert [r.status for r in results.values()] == ["executed"] * 3
    assert list(results) == ["10_alpha", "20_down", "30_other"]
    assert (project / "tables" / "20_down.csv").read_text() == "value\n3.0\n"
    assert set(manifest(project)["20_down"]["outputs"]) == {
        (project / "tables" / "20_down.csv").as_posix(),
        (project / "reports" / "notebooks" / "20_down.ipynb").as_posix()}

    nb_path = nbs / "10_alpha.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("* scale", "* scale * 10")
    nbformat.write(nb, nb_path)
    results, _ = run(project)
    assert {n: r.status for n, r in results.items()} == {
        "10_alpha": "executed", "20_down": "executed", "30_other": "cached"}
    assert results["20_down"].reason == "upstream changed"
    assert (project / "tables" / "20_down.csv").read_text() == "value\n21.0\n"
    # --only on the dependent brings its upstream along (cached here)
    results, _ = run(project, only=["20"])
    assert list(results) == ["10_alpha", "20_down"]


def test_independent_notebooks_run_in_parallel(project):
    stamp = textwrap.dedent("""\
        import time
        from pathlib import Path
        start = time.time(); time.sleep(4)  # long enough to overlap on a loaded machine
        Path(tables_dir, "{name}.txt").write_text(f"{{start}} {{time.time()}}")
    """)
    for name in ("40_p", "41_q"):
        make_nb(project / "nbs", name, stamp.format(name=name))
    run(project, only=["40", "41"], jobs=2)
    (a0, a1), (b0, b1) = ([float(x) for x in (project / "tables" / f"{n}.txt").read_text()
                           .split()] for n in ("40_p", "41_q"))
    assert max(a0, b0) < min(a1, b1), "the two kernels were running at the same time"


# ----------------------------------------------------------------------------- failures


def test_failure_is_reported_and_independent_notebooks_finish(project):
    run(project)
    good = {p: p.read_bytes() for p in (project / "figures").iterdir()}
    nb_path = project / "nbs" / "10_alpha.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    # the figure is written, then the notebook fails: the old figure must survive
    nb.cells.append(nbformat.v4.new_code_cell("x = 1"))
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('bad value in cell')"))
    nb.cells[2].source = nb.cells[2].source.replace("* scale", "* scale * 100")
    nbformat.write(nb, nb_path)
    make_nb(project / "nbs", "20_down", "y = 2", depends_on=["10_alpha"])
    make_nb(project / "nbs", "30_other", WRITE.format(name="30_other"))
    with pytest.raises(NotebookError, match=r"10_alpha cell 5: ValueError: bad value in cell"):
        run(project)
    entries = manifest(project)
    assert entries["10_alpha"]["status"] == "failed"
    assert entries["10_alpha"]["error"]["cell"] == 5  # In [5]: after the injected cell
    assert entries["20_down"]["status"] == "blocked"
    assert entries["30_other"]["status"] == "executed"
    assert (project / "figures" / "30_other.png").is_file()
    assert {p: p.read_bytes() for p in good} == good
    failed = nbformat.read(project / "reports" / "notebooks" / "10_alpha.failed.ipynb", 4)
    assert "An Exception was encountered" in failed.cells[0].source
    assert any(o.get("ename") == "ValueError" for c in failed.cells if c.cell_type == "code"
               for o in c.outputs)
    assert (project / "reports" / "notebooks" / "10_alpha.ipynb").is_file(), "good copy kept"
    assert not list((project / "reports" / ".staging").glob("*"))


def test_dead_kernel_is_a_failure_not_a_hang(project):
    make_nb(project / "nbs", "50_dies", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    with pytest.raises(NotebookError, match="50_dies .*DeadKernelError"):
        run(project, timeout=60)
    assert manifest(project)["10_alpha"]["status"] == "executed"


def test_killed_run_leaves_the_previous_outputs_whole(project):
    run(project)
    before = {p: p.read_bytes() for p in [*(project / "figures").iterdir(),
                                          *(project / "tables").iterdir(),
                                          project / "reports" / "notebooks" / "10_alpha.ipynb"]}
    marker = project / "started"
    nb_path = project / "nbs" / "10_alpha.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].source = nb.cells[2].source.replace("* scale", "* scale * 7")
    nb.cells.append(nbformat.v4.new_code_cell(
        f"import time; open({str(marker)!r}, 'w').close(); time.sleep(60)"))
    nbformat.write(nb, nb_path)
    script = (f"from wave_analysis import runner as pipeline; from pathlib import Path; r = Path("
              f"{str(project)!r}); pipeline.run_all(data_dir=r / 'data', notebooks_dir=r / "
              "'nbs', figures_dir=r / 'figures', tables_dir=r / 'tables', reports_dir=r / "
              "'reports', log=lambda _: None)")
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not marker.exists():
            assert time.time() < deadline and proc.poll() is None, "run never reached the cell"
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner, its workers and the kernel
        proc.wait()
    assert {p: p.read_bytes() for p in before} == before
    leftovers = [p for d in ("figures", "tables", "reports/notebooks")
                 for p in (project / d).iterdir() if p not in before]
    assert leftovers == []
    assert manifest(project)["10_alpha"]["status"] == "executed"
    # the next run recovers: the notebook reruns (its code changed) and nothing is stale
    nb.cells.pop()
    nbformat.write(nb, nb_path)
    assert run(project)[0]["10_alpha"].status == "executed"
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"14.0 a"


def test_a_dependency_cycle_is_refused(project):
    make_nb(project / "nbs", "60_a", "x = 1", depends_on=["61_b"])
    make_nb(project / "nbs", "61_b", "x = 1", depends_on=["60_a"])
    with pytest.raises(ParameterError, match="cycle"):
        run(project)
