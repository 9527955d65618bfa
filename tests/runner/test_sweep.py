"""Sweeps: the grid (product and list forms) checked before any task; a 2 x 2 grid of a fake
notebook on a local Dask cluster of two workers, its summary and a rerun that executes nothing;
a failing parameter set reported by name while the other sets finish."""

from __future__ import annotations

import functools
import textwrap

import pandas as pd
import pytest
from fake_notebooks import WRITE, make_nb

from wave_analysis import cli
from wave_analysis.exceptions import ConfigError, ParameterError
from wave_analysis.runner import sweep
from wave_analysis.runner.sweep import SweepOptions, expand_grid, read_grid, run_sweep, set_key

# The fake notebook's headline table: value = 2 (data/value.txt) * scale.
GRID = {"scale": [1.0, 3.0], "label": ["a", "b"]}
# Raises for one parameter set only (scale 3, label b).
FAIL = textwrap.dedent("""\
    if scale == 3 and label == "b":
        raise RuntimeError("no convergence at scale 3")
""")

# ----------------------------------------------------------------------------- the grid


def test_mapping_grid_is_the_product_in_the_order_written():
    assert expand_grid({"scale": [1, 2], "label": ["a", "b"]}) == [
        {"scale": 1, "label": "a"}, {"scale": 1, "label": "b"},
        {"scale": 2, "label": "a"}, {"scale": 2, "label": "b"}]


def test_list_grid_is_one_set_per_item(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text("- {scale: 1.5}\n- {scale: 2, label: x}\n")
    assert read_grid(path) == [{"scale": 1.5}, {"scale": 2, "label": "x"}]


@pytest.mark.parametrize(("grid", "message"), [
    ({"scale": 1}, "scale must map to a non-empty list of values"),
    ({"scale": []}, "scale must map to a non-empty list of values"),
    ([{"scale": 1}, 3], "item 2 must be a mapping"),
    ([{"scale": 1}, {"scale": 1}], "the same parameter set is listed twice"),
    ("scale", "must be a non-empty mapping"),
    (None, "must be a non-empty mapping"),
])
def test_malformed_grid_is_a_config_error(grid, message):
    with pytest.raises(ConfigError, match=message):
        expand_grid(grid)


def test_set_key_is_readable_stable_and_distinct():
    key = set_key({"show_overall": True})
    assert key.startswith("show_overall-true-") and len(key.rsplit("-", 1)[1]) == 8
    assert key == set_key({"show_overall": True})
    assert key != set_key({"show_overall": False})
    assert set_key({"a": 1, "b": 2}) == set_key({"b": 2, "a": 1})


def test_unreadable_grid_file_is_a_config_error(tmp_path):
    path = tmp_path / "grid.yaml"
    with pytest.raises(ConfigError, match="grid file not found"):
        read_grid(path)
    path.write_text("scale: [1, 2\n")
    with pytest.raises(ConfigError, match=r"not valid YAML: .*\(line 2, column 1\)"):
        read_grid(path)


def _never(*args, **kwargs):
    raise AssertionError("a task started")


@pytest.mark.parametrize(("sets", "message"), [
    ([{"scale": 1.0}, {"sigma": 2}], r"grid set 2 \(sigma=2\): unknown parameter\(s\) sigma"),
    ([{"scale": "big"}], r"grid set 1 \(scale=\"big\"\): .*declares scale: float"),
    ([{"label": ["a"]}], r"grid set 1 .*declares label: str"),
])
def test_bad_set_is_a_parameter_error_before_any_task(project, monkeypatch, sets, message):
    monkeypatch.setattr(sweep, "dask_client", _never)
    monkeypatch.setattr(sweep, "execute_set", _never)
    with pytest.raises(ParameterError, match=message):
        run_sweep(_options(project, sets))
    assert not (project / "runs").exists()


def test_bad_grid_on_the_command_line_is_one_line(tmp_path, capsys):
    grid = tmp_path / "grid.yaml"
    grid.write_text("show_overall: [true, maybe]\n")
    assert cli.main(["sweep", "02_baseline", "--grid", str(grid), "--name", "t"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "grid set 2 (show_overall=\"maybe\")" in err and "show_overall: bool" in err


# ----------------------------------------------------------------------------- on a cluster


def _options(project, sets, **kw) -> SweepOptions:
    return SweepOptions("10_alpha", sets, "grid", data_dir=project / "data",
                        notebooks_dir=project / "nbs", runs_dir=project / "runs",
                        headline="10_alpha", **kw)


@pytest.fixture(scope="module")
def scheduler():
    """One local cluster of two worker processes for the module's sweeps."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@pytest.mark.slow
def test_two_by_two_grid_then_a_rerun_that_executes_nothing(project, scheduler):
    sets = expand_grid(GRID)
    lines = []
    result = run_sweep(_options(project, sets, scheduler=scheduler), log=lines.append)
    assert [r.status for r in result.results] == ["executed"] * 4
    assert len(lines) == 4
    summary = pd.read_csv(result.summary_csv)
    assert list(summary["scale"]) == [1.0, 1.0, 3.0, 3.0]
    assert list(summary["label"]) == ["a", "b", "a", "b"]
    # the headline the fake notebook computed: 2 (value.txt) * scale
    assert list(summary["1: value"]) == [2.0, 2.0, 6.0, 6.0]
    for r in result.results:
        team = result.folder / r.key / "team_only"
        assert (team / "tables" / "10_alpha.csv").is_file()
        assert (team / "notebooks" / "10_alpha.ipynb").is_file()
        assert (result.folder / r.key / "manifest.json").is_file()
    md = result.summary_md.read_text()
    assert md.count("| executed |") == 4
    csv_before = result.summary_csv.read_bytes()

    # the same sweep again: every set cached, so no scheduler is contacted (this address
    # would fail) and the summary is the same but for the status
    again = run_sweep(_options(project, sets, scheduler="tcp://nowhere:1"), log=lines.append)
    assert [r.status for r in again.results] == ["cached"] * 4
    assert again.summary_csv.read_bytes() == csv_before.replace(b",executed,", b",cached,")
    # a set added to the grid: only it runs
    third = run_sweep(_options(project, [*sets, {"scale": 5.0, "label": "a"}],
                               scheduler=scheduler))
    assert [r.status for r in third.results] == ["cached"] * 4 + ["executed"]
    assert pd.read_csv(third.summary_csv)["1: value"].iloc[-1] == 10.0


@pytest.mark.slow
def test_failing_set_is_reported_while_the_others_finish(project, scheduler, monkeypatch,
                                                         capsys):
    make_nb(project / "nbs", "10_alpha", FAIL, WRITE.format(name="10_alpha"))
    grid = project / "grid.yaml"
    grid.write_text("scale: [1.0, 3.0]\nlabel: [a, b]\n")
    monkeypatch.setattr(cli, "SweepOptions", functools.partial(
        SweepOptions, notebooks_dir=project / "nbs", runs_dir=project / "runs"))
    code = cli.main(["sweep", "10_alpha", "--grid", str(grid), "--name", "fails",
                     "--headline", "10_alpha", "--scheduler", scheduler,
                     "--data", str(project / "data")])
    out, err = capsys.readouterr()
    assert code == 2
    failed = set_key({"scale": 3.0, "label": "b"})
    assert f"FAILED {failed}: cell" in err and "no convergence at scale 3" in err
    assert "1 of 4 parameter sets failed" in err
    assert "4 parameter sets: 3 executed, 0 cached, 1 failed" in out
    summary = pd.read_csv(project / "runs" / "fails" / "sweep_summary.csv")
    assert list(summary["status"]) == ["executed", "executed", "executed", "failed"]
    assert list(summary["1: value"].iloc[:3]) == [2.0, 2.0, 6.0]
    assert pd.isna(summary["1: value"].iloc[3])
    assert "RuntimeError: no convergence at scale 3" in summary["error"].iloc[3]
    assert (project / "runs" / "fails" / failed / "team_only" / "notebooks"
            / "10_alpha.failed.ipynb").is_file()
