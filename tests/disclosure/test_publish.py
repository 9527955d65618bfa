"""publish on a small fake run folder: the failing table is withheld until released with a
reason; a participant-level artefact is never shared nor released; a planted id blocks."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wave_analysis import cli, outputs  # noqa: E402
from wave_analysis.disclosure import Identifiers, publish, release, spec  # noqa: E402
from wave_analysis.disclosure.publish import SHAREABLE, TEAM_ONLY  # noqa: E402
from wave_analysis.exceptions import ArgumentError, PrivacyError  # noqa: E402

IDS = Identifiers({"participant id": frozenset({"P-0007"})}, {})


@pytest.fixture
def run(tmp_path):
    """runs/NAME with team_only/{figures,tables} holding four artefacts."""
    root = tmp_path / "run"
    tables, figures = root / TEAM_ONLY / "tables", root / TEAM_ONLY / "figures"
    counts = spec.frequency(counts=["n"])
    outputs.save_table(pd.DataFrame({"arm": ["a", "b"], "n": [40, 55]}), "ok", folder=tables,
                       sdc=counts)
    outputs.save_table(pd.DataFrame({"arm": ["a", "b"], "n": [40, 3]}), "small", folder=tables,
                       sdc=counts)
    outputs.save_table(pd.DataFrame({"id": ["P-0007"], "days": [12]}), "cases", folder=tables,
                       participant_level=True, sdc=spec.other("one row per person"))
    outputs.save_table(pd.DataFrame({"arm": ["a"], "n": [80], "note": ["see P-0007"]}),
                       "leaky", folder=tables, sdc=counts)
    outputs.save_text("# notes\n", "notes", ext="md", folder=tables)  # no spec
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [40, 55])
    outputs.save_figure(fig, "ok", folder=figures, sdc=spec.drawn_from("ok", counts))
    plt.close(fig)
    return root


def _publish(root, **kw):
    return publish(root / TEAM_ONLY, root / SHAREABLE, root / "disclosure", identifiers=IDS,
                   blocking=True, **kw)


def _results(root):
    return json.loads((root / "disclosure" / "results.json").read_text())["results"]


def test_only_passing_artefacts_are_shared(run):
    summary = _publish(run)
    assert sorted(p.name for p in (run / SHAREABLE / "tables").iterdir() if p.is_file()) == [
        "ok.csv", "ok.md"]
    assert sorted(p.name for p in (run / SHAREABLE / "figures").iterdir() if p.is_file()) == [
        "ok.png", "ok.svg"]  # the figure draws the passing table
    assert (run / SHAREABLE / "figures" / ".artefacts" / "ok.png.json").is_file()
    res = _results(run)
    assert res["tables/small"]["status"] == "fail"
    assert res["tables/small"]["failing_cells"][0] | {"message": ""} == {
        "rule": "threshold", "status": "fail", "row": 1, "column": "n", "value": 3,
        "message": ""}
    assert res["tables/small"]["analysis"]["name"] == "small"
    assert res["tables/cases"]["rules"] == ["identifiers", "other", "participant_level"]
    assert res["tables/leaky"]["rules"] == ["identifiers"]
    assert "participant id 'P-0007'" in res["tables/leaky"]["identifiers"][0]
    assert res["tables/notes"]["status"] == "review"  # no spec: never a silent pass
    assert (summary.passed, summary.failed, summary.review) == (2, 3, 1)
    assert "2 pass, 3 fail, 1 review" in summary.line()
    assert "| tables/small | fail |" in (run / "disclosure" / "summary.md").read_text()


def test_a_withheld_table_is_shared_after_release_with_a_reason(run):
    _publish(run)
    assert not (run / SHAREABLE / "tables" / "small.csv").exists()
    with pytest.raises(ArgumentError, match="reason must be a sentence"):
        release(run, "tables/small", reason="  ")
    path = release(run, "small", reason="the 3 are staff, not participants")
    assert path == run / SHAREABLE / "tables" / "small.csv" and path.is_file()
    record = _results(run)["tables/small"]
    assert record["released"]["reason"] == "the 3 are staff, not participants"
    assert record["exception"] == "the 3 are staff, not participants"
    assert record["released"]["time"] and record["destination"] == "shareable (released)"
    assert "the 3 are staff" in (run / "disclosure" / "summary.md").read_text()


def test_a_participant_level_artefact_is_never_released(run):
    _publish(run)
    with pytest.raises(PrivacyError, match="tables/cases shows individual participants"):
        release(run, "tables/cases", reason="we need it")
    assert not (run / SHAREABLE / "tables" / "cases.csv").exists()


def test_suppression_shares_a_protected_table(run):
    outputs.save_table(pd.DataFrame({"practice": ["A", "B"], "usual": [20, 3],
                                     "support": [18, 14]}), "grid",
                       folder=run / TEAM_ONLY / "tables",
                       sdc=spec.frequency(counts=["usual", "support"]))
    _publish(run, on_fail="suppress")
    shared = pd.read_csv(run / SHAREABLE / "tables" / "grid.csv")
    # the 3, its row partner (14), its column partner (20) and the corner (18): with two rows
    # and two columns every cell goes
    assert shared.isin(["[c]"]).sum().sum() == 4
    assert _results(run)["tables/grid"]["destination"] == "shareable (treated)"


def test_not_blocking_records_only(run):
    summary = publish(run / TEAM_ONLY, None, run / "disclosure", identifiers=IDS,
                      blocking=False)
    assert not (run / SHAREABLE).exists()
    assert "recorded, not blocking" in summary.line()
    first = (run / "disclosure" / "results.json").read_bytes()
    publish(run / TEAM_ONLY, None, run / "disclosure", identifiers=IDS, blocking=False)
    assert (run / "disclosure" / "results.json").read_bytes() == first  # no dates: reproducible


def test_unknown_artefact_and_bad_option(run):
    _publish(run)
    with pytest.raises(ArgumentError, match="nope: no such artefact"):
        release(run, "nope", reason="x")
    with pytest.raises(ArgumentError, match="on_fail must be one of"):
        _publish(run, on_fail="hide")


def test_release_command(run, capsys):
    _publish(run)
    assert cli.main(["release", "tables/small", "--reason", "checked by hand", "--run",
                     str(run)]) == 0
    assert "released tables/small" in capsys.readouterr().out
    assert cli.main(["release", "tables/cases", "--reason", "x", "--run", str(run)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: tables/cases shows individual participants") and \
        err.count("\n") == 1
