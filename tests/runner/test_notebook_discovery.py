"""Finding notebooks, choosing them with --only and reading the notebooks they depend on."""

from __future__ import annotations

import pytest
from fake_notebooks import make_nb

from wave_analysis.exceptions import ArgumentError
from wave_analysis.runner import notebooks
from wave_analysis.runner.notebooks import (
    code_sources,
    list_notebooks,
    notebook_dependencies,
    read_notebook,
    select,
)


@pytest.fixture()
def folder(tmp_path):
    for name in ("20_beta", "10_alpha", "11_alpha_more", ".10_hidden"):
        make_nb(tmp_path, name, "x = 1")
    (tmp_path / "notes.md").write_text("not a notebook")
    return tmp_path


def test_notebooks_are_listed_by_name_without_hidden_ones(folder):
    assert [p.name for p in list_notebooks(folder)] == [
        "10_alpha.ipynb", "11_alpha_more.ipynb", "20_beta.ipynb"]


def test_only_selects_by_full_name_or_prefix(folder):
    found = list_notebooks(folder)
    assert select(found, None) == found and select(found, []) == found
    assert [p.stem for p in select(found, ["20_beta"])] == ["20_beta"]
    assert [p.stem for p in select(found, ["10"])] == ["10_alpha"]
    assert [p.stem for p in select(found, ["1", "20"])] == [
        "10_alpha", "11_alpha_more", "20_beta"]
    with pytest.raises(ArgumentError, match="no notebook named 99, 30_x; choose from 10_alpha, "
                                            "11_alpha_more, 20_beta"):
        select(found, ["10", "99", "30_x"])


def test_dependencies_come_from_metadata_and_the_runner_table(tmp_path, monkeypatch):
    down = make_nb(tmp_path, "20_down", "x = 1", depends_on=["10_up", "05_first"])
    assert notebook_dependencies(down) == ("10_up", "05_first")
    assert notebook_dependencies(make_nb(tmp_path, "10_up", "x = 1")) == ()
    monkeypatch.setitem(notebooks.DEPENDS_ON, "20_down", ("10_up", "07_other"))
    assert notebook_dependencies(down) == ("10_up", "07_other", "05_first")


def test_only_code_cells_are_code(tmp_path):
    path = make_nb(tmp_path, "10_a", "x = 1", "y = 2", markdown="# Title")
    nb = read_notebook(path)
    assert code_sources(nb)[1:] == ["x = 1", "y = 2"]
    assert code_sources(nb)[0].startswith("data_dir: str")
