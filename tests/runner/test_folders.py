"""Where a run writes: the canonical run (bundled synthetic data, verified, default parameters, no
name) into figures/ and reports/, any other run into runs/NAME/ with team_only/ and shareable/."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from wave_analysis.config import (
    EXECUTED_DIR,
    FIGURES_DIR,
    REPO_ROOT,
    REPORTS_DIR,
    SYNTHETIC_DIR,
    TABLES_DIR,
)
from wave_analysis.exceptions import ArgumentError
from wave_analysis.runner import staging
from wave_analysis.runner.cache import Task
from wave_analysis.runner.execute import RunOptions
from wave_analysis.runner.folders import (
    CANONICAL,
    RUN_FOLDER,
    RUNS_DIR,
    derived_name,
    plan_folders,
)


@pytest.mark.parametrize("data", [SYNTHETIC_DIR, "data/synthetic", str(SYNTHETIC_DIR) + "/"])
@pytest.mark.parametrize("only", [(), ("03_days_absent",)])
def test_the_bundled_verified_data_with_defaults_is_the_canonical_run(data, only):
    folders = plan_folders(data, {}, None, only, synthetic=True)
    assert (folders.kind, folders.name, folders.why) == (CANONICAL, CANONICAL, "")
    assert folders.canonical and folders.shareable is None and folders.team_only is None
    assert (folders.figures, folders.tables, folders.notebooks) == (FIGURES_DIR, TABLES_DIR,
                                                                   EXECUTED_DIR)
    assert folders.manifest == REPORTS_DIR / "manifest.json"
    assert folders.site == REPORTS_DIR / "site"
    assert folders.disclosure == REPORTS_DIR / "disclosure"


@pytest.mark.parametrize(("data", "overrides", "name", "synthetic", "why"), [
    (SYNTHETIC_DIR, {"ci_level": 0.95}, None, True, "parameters differ from the defaults "
                                                    "(ci_level)"),
    (SYNTHETIC_DIR, {}, "mine", True, "--name mine"),
    (SYNTHETIC_DIR, {}, None, False, "the bundled data is not verified synthetic"),
    ("/srv/export", {}, None, False, "the data is not the bundled synthetic data"),
    ("/srv/export", {}, None, True, "the data is not the bundled synthetic data")])
def test_any_other_run_gets_its_own_folder(data, overrides, name, synthetic, why):
    folders = plan_folders(data, overrides, name, (), synthetic=synthetic)
    assert folders.kind == RUN_FOLDER and not folders.canonical and folders.why == why
    root = RUNS_DIR / folders.name
    assert folders.root == root and folders.manifest == root / "manifest.json"
    team = root / "team_only"
    assert folders.team_only == team
    assert (folders.figures, folders.tables, folders.notebooks, folders.logs, folders.site) == (
        team / "figures", team / "tables", team / "notebooks", team / "logs", team / "site")
    assert folders.shareable == root / "shareable"
    assert folders.shareable_site == root / "shareable" / "site"
    assert folders.disclosure == root / "disclosure"
    for path in (folders.figures, folders.tables, folders.site):
        assert FIGURES_DIR not in (path, *path.parents) and REPORTS_DIR not in path.parents


def test_derived_names_are_readable_and_differ_with_data_parameters_and_only():
    name = derived_name("/srv/My Export (May 2024)", {}, ())
    assert name.startswith("my-export-may-2024-") and len(name.rsplit("-", 1)[1]) == 8
    base = plan_folders(SYNTHETIC_DIR, {"ci_level": 0.95}, None, ("03",)).name
    assert base.startswith("synthetic-")
    assert plan_folders("data/synthetic", {"ci_level": 0.95}, None, ("03",)).name == base
    others = {plan_folders(SYNTHETIC_DIR, {"ci_level": 0.9}, None, ("03",)).name,
              plan_folders(SYNTHETIC_DIR, {"ci_level": 0.95}, None, ("04",)).name,
              plan_folders(SYNTHETIC_DIR, {"ci_level": 0.95}, None, ()).name,
              plan_folders("/srv/synthetic", {"ci_level": 0.95}, None, ("03",)).name}
    assert base not in others and len(others) == 4
    assert plan_folders(SYNTHETIC_DIR, {"ci_level": 0.95}, "trial-a").name == "trial-a"


@pytest.mark.parametrize("bad", ["", ".hidden", "../up", "a/b", "with space", "x" * 65, "é"])
def test_a_bad_run_name_is_refused(bad):
    with pytest.raises(ArgumentError, match="a run name is one folder name under runs/"):
        plan_folders(SYNTHETIC_DIR, {}, bad)


@pytest.mark.parametrize("canonical", [True, False])
def test_run_options_carry_every_folder(canonical):
    folders = (plan_folders(SYNTHETIC_DIR, {}, None) if canonical
               else plan_folders("/srv/export", {}, "x", synthetic=False))
    options = RunOptions(**folders.run_options())
    assert {f.name for f in dataclasses.fields(RunOptions)} >= set(folders.run_options())
    paths = options.folders()
    assert (paths.reports, paths.executed, paths.logs, paths.site) == (
        folders.reports, folders.notebooks, folders.logs, folders.site)
    assert (options.figures_dir, options.tables_dir) == (folders.figures, folders.tables)
    if canonical:
        assert paths.staging == REPORTS_DIR / ".staging"
    else:
        assert paths.staging.parent == folders.team_only
        assert RUNS_DIR == REPO_ROOT / "runs"


def test_runs_is_ignored_by_git():
    ignored = (REPO_ROOT / ".gitignore").read_text().splitlines()
    assert "runs/" in ignored or "/runs/" in ignored


def test_artefact_sidecars_are_staged_and_promoted_with_their_outputs(tmp_path):
    """A notebook's ``.artefacts/<file>.json`` sidecars move into place with the files they
    describe, are listed among its outputs, and go when the notebook stops writing them."""
    final = tmp_path / "team_only" / "figures"
    task = Task("10_x", tmp_path / "10_x.ipynb", {"figures_dir": str(final)}, (), {})
    staged = staging.prepare(task, tmp_path / ".staging" / "10_x", {})
    stage = Path(staged.parameters["figures_dir"])
    assert stage != final and stage.is_relative_to(tmp_path / ".staging")
    (stage / ".artefacts").mkdir()
    (stage / "10_x.png").write_bytes(b"png")
    (stage / ".artefacts" / "10_x.png.json").write_text('{"participant_level": true}')
    outputs = staging.promote(staged, {})
    assert (final / "10_x.png").read_bytes() == b"png"
    assert (final / ".artefacts" / "10_x.png.json").is_file()
    assert len(outputs) == 2
    again = staging.prepare(task, tmp_path / ".staging" / "10_x", {})
    assert staging.promote(again, outputs) == {}
    assert not (final / "10_x.png").exists()
    assert not (final / ".artefacts" / "10_x.png.json").exists()
