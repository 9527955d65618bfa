"""Cache keys: a notebook reruns exactly when a part of its key changes (code, parameters, input
data, library, environment, upstream notebooks), and never for a markdown edit."""

from __future__ import annotations

import sys
import time

import nbformat
import pytest
from fake_notebooks import make_nb, run

from wave_analysis.exceptions import ConfigError
from wave_analysis.runner import cache
from wave_analysis.runner.manifest import load_manifest


def reason(project, **overrides) -> str:
    """Why ``10_alpha`` would run now (empty: cached), from its key and the manifest, without
    running it."""
    nbs = sorted((project / "nbs").glob("*.ipynb"))
    common = {k: str(project / v) for k, v in (("data_dir", "data"), ("figures_dir", "figures"),
                                                ("tables_dir", "tables"))}
    task = cache.plan(nbs, common=common, overrides=overrides, everything=nbs)["10_alpha"]
    entry = load_manifest(project / "reports")["notebooks"].get("10_alpha")
    return cache.cache_miss_reason(task, entry,
                                   project / "reports" / "notebooks" / "10_alpha.ipynb")


@pytest.mark.slow
def test_a_notebook_reruns_only_when_its_key_changed_or_its_outputs_went(project):
    assert reason(project) == "not run before"
    first, lines = run(project)
    assert first["10_alpha"].status == "executed" and first["10_alpha"].reason == "not run before"
    assert lines[0].startswith("10_alpha") and "executed" in lines[0] and " s " in lines[0]
    start = time.perf_counter()
    again, lines = run(project)
    assert again["10_alpha"].status == "cached" and "cached" in lines[0]
    assert time.perf_counter() - start < 1.0
    assert reason(project) == ""

    (project / "figures" / "10_alpha.png").unlink()
    assert reason(project) == "outputs missing or changed"
    result = run(project, overrides={"scale": 3})[0]["10_alpha"]
    assert (result.status, result.reason) == ("executed", "parameters changed")
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"6.0 a"
    assert run(project, overrides={"scale": 3.0})[0]["10_alpha"].status == "cached"
    result = run(project, overrides={"scale": 3}, force=True)[0]["10_alpha"]
    assert (result.status, result.reason) == ("executed", "--force")


@pytest.mark.slow  # over half a second: make test, not make quick
def test_each_part_of_the_key_is_named_when_it_changes(project):
    run(project)
    nb_path = project / "nbs" / "10_alpha.ipynb"
    nb_text = nb_path.read_text()

    def edit_cell(index):
        nb = nbformat.read(nb_path, as_version=4)
        nb.cells[index].source += "\n# an edit"
        nbformat.write(nb, nb_path)
        return lambda: nb_path.write_text(nb_text)

    def write(path, text):
        old = path.read_text() if path.exists() else None
        path.write_text(text)
        return lambda: path.write_text(old) if old is not None else path.unlink()

    def python_version():
        patch = pytest.MonkeyPatch()  # its own, so undoing it keeps the project's patches
        patch.setattr(sys, "version", "3.11.99 (test)")
        return patch.undo

    executed = project / "reports" / "notebooks" / "10_alpha.ipynb"
    changes = [
        ("", lambda: edit_cell(0), {}),  # markdown
        ("code changed", lambda: edit_cell(2), {}),
        ("parameters changed", lambda: (lambda: None), {"label": "b"}),
        ("inputs changed", lambda: write(project / "data" / "value.txt", "5"), {}),
        ("library changed", lambda: write(project / "lib" / "mod.py", "x = 2\n"), {}),
        ("library changed", lambda: write(project / "lib" / "new.py", "y = 1\n"), {}),
        ("environment changed", lambda: write(project / "lock.txt", "pandas==2.3.1\n"), {}),
        ("environment changed", python_version, {}),
        ("executed notebook missing", executed.unlink, {})]  # last: not undone
    for expected, change, overrides in changes:
        undo = change()
        assert reason(project, **overrides) == expected
        if expected != "executed notebook missing":
            undo()
            assert reason(project) == "", f"undoing the change for {expected!r}"


def test_folder_hash_covers_every_visible_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.csv").write_text("1")
    (tmp_path / "sub" / "b.csv").write_text("2")
    (tmp_path / ".hidden").write_text("x")
    hashes = cache.hash_folder(tmp_path)
    assert sorted(hashes) == ["a.csv", "sub/b.csv"]
    assert hashes["a.csv"] == cache.file_hash(tmp_path / "a.csv")
    assert cache.hash_folder(tmp_path / "a.csv") == {"a.csv": hashes["a.csv"]}


def test_library_hash_covers_package_data_but_not_byte_code(tmp_path):
    (tmp_path / "mod.py").write_text("x = 1\n")
    before = cache.library_hash(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    assert cache.library_hash(tmp_path) == before
    (tmp_path / "banks.yaml").write_text("a: 1\n")
    assert cache.library_hash(tmp_path) != before
    assert cache.LIBRARY_DIR.name == "wave_analysis", "the whole package, not the runner"


def test_an_upstream_key_is_part_of_the_downstream_key(project):
    nbs = project / "nbs"
    make_nb(nbs, "20_down", "y = 1", depends_on=["10_alpha"],
            params='data_dir: str = "data"  # only this')
    everything = sorted(nbs.glob("*.ipynb"))
    common = {"data_dir": str(project / "data")}

    def keys(**overrides):
        tasks = cache.plan(everything[1:], common=common, overrides=overrides,
                           everything=everything)
        assert list(tasks) == ["10_alpha", "20_down"], "upstream first, brought along"
        return {name: (task.key, task.parts) for name, task in tasks.items()}

    before, after = keys(), keys(scale=2)
    assert before["10_alpha"][0] != after["10_alpha"][0]
    changed = [k for k, v in after["20_down"][1].items() if before["20_down"][1][k] != v]
    assert changed == ["upstream"]


def test_a_dependency_cycle_or_a_missing_upstream_is_refused(project):
    make_nb(project / "nbs", "60_a", "x = 1", depends_on=["61_b"])
    make_nb(project / "nbs", "61_b", "x = 1", depends_on=["60_a"])
    with pytest.raises(ConfigError, match="notebook dependencies form a cycle: 60_a -> 61_b "
                                          "-> 60_a"):
        run(project)
    make_nb(project / "nbs", "61_b", "x = 1", depends_on=["62_gone"])
    with pytest.raises(ConfigError, match="61_b.ipynb depends on '62_gone', which is not a "
                                          "notebook in"):
        run(project)
    assert not (project / "reports").exists()
