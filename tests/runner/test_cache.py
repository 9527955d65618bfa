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
    monkeypatch.setattr(sys, "version", "3.11.99 (test)")
    assert reason(overrides={"scale": 3}) == "environment changed"

    assert reason(overrides={"scale": 3}, force=True) == "--force"
    (project / "figures" / "10_alpha.png").unlink()
    assert reason(overrides={"scale": 3}) == "outputs missing or changed"
    assert (project / "figures" / "10_alpha.png").read_bytes() == b"15.0 a"


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
