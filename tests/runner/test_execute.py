"""Execution: dependency order, parallel workers, failures that leave earlier outputs whole, a
killed run, and executed notebooks with the same bytes in two separate processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import nbformat
import pytest
from fake_notebooks import WRITE, make_nb, manifest, run

from wave_analysis.config import REPO_ROOT
from wave_analysis.exceptions import NotebookError
from wave_analysis.runner import staging

# Runs the fake project under argv[1] in a fresh interpreter (argv[2]: "force" or not).
RUN_SCRIPT = textwrap.dedent("""\
    import sys
    from pathlib import Path
    sys.path.insert(0, {here!r})
    from fake_notebooks import run
    run(Path(sys.argv[1]), force=sys.argv[2] == "force")
""").format(here=os.path.dirname(__file__))


def run_in_new_process(root, *, force=False, **popen):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONHASHSEED": "12345"}
    return subprocess.Popen([sys.executable, "-c", RUN_SCRIPT, str(root),
                             "force" if force else "-"], env=env, **popen)


@pytest.mark.slow
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


@pytest.mark.slow  # a timing test: two kernels sleep 4 s each
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


@pytest.mark.slow
def test_executed_notebooks_have_the_same_bytes_in_two_separate_processes(project):
    run(project)
    outputs = [project / "reports" / "notebooks" / "10_alpha.ipynb",
               project / "figures" / "10_alpha.png", project / "tables" / "10_alpha.csv"]
    first = {p: p.read_bytes() for p in outputs}
    assert run_in_new_process(project, force=True).wait(timeout=300) == 0
    assert manifest(project)["10_alpha"]["reason"] == "--force", "the second run did execute"
    assert {p: p.read_bytes() for p in outputs} == first
    text = first[outputs[0]].decode()
    for noise in ("start_time", "end_time", '"duration"', "iopub.execute_input", ".staging"):
        assert noise not in text
    nb = nbformat.reads(text, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert str(project / "figures") in injected[0].source, "final folders, not staging ones"


@pytest.mark.slow
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
    assert not (project / "reports" / ".staging").exists(), "no staging folder left behind"


@pytest.mark.slow
def test_dead_kernel_is_a_failure_not_a_hang(project):
    make_nb(project / "nbs", "50_dies", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    with pytest.raises(NotebookError, match="50_dies .*DeadKernelError"):
        run(project, timeout=60)
    assert manifest(project)["10_alpha"]["status"] == "executed"


@pytest.mark.slow
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
    proc = run_in_new_process(project, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
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


def test_a_move_across_filesystems_is_an_atomic_copy(tmp_path, monkeypatch):
    src, dst = tmp_path / "stage" / "a.png", tmp_path / "final" / "sub" / "a.png"
    src.parent.mkdir()
    src.write_bytes(b"new")
    replace = os.replace

    def no_rename_from_staging(a, b):
        if os.fspath(a) == os.fspath(src):
            raise OSError(18, "Invalid cross-device link")
        return replace(a, b)

    monkeypatch.setattr(os, "replace", no_rename_from_staging)
    staging.move(src, dst)
    assert dst.read_bytes() == b"new" and not src.exists()
    assert [p.name for p in dst.parent.iterdir()] == ["a.png"], "no temporary file left"


def test_the_runner_imports_no_analysis_code_and_no_heavy_library():
    code = ("import sys, wave_analysis.runner.execute, wave_analysis.runner.site; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('wave_analysis') "
            "or m.split('.')[0] in ('pandas', 'numpy', 'papermill', 'nbformat', 'tqdm'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}).stdout
    outside = [m for m in out.split() if not m.startswith("wave_analysis.runner")]
    # _sidecars: where artefact metadata lives (stdlib only), shared with outputs and the report
    assert outside == ["wave_analysis", "wave_analysis._atomic", "wave_analysis._sidecars",
                       "wave_analysis.config", "wave_analysis.exceptions"]
