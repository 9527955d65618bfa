"""``wave-analysis report --docx``: a run folder's Word reports land in team_only/ (with the
team-only supplement) and shareable/ (only what passed disclosure, never participant-level)."""

from __future__ import annotations

import json
import shutil

import pytest
import word_fixtures as wf
from docx_checks import open_docx, placed_tables

from wave_analysis import cli
from wave_analysis.runner import folders as run_folders


@pytest.fixture()
def run_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(run_folders, "RUNS_DIR", tmp_path / "runs")
    root = tmp_path / "runs" / "export-1"
    made = wf.make_run(root / "team_only")
    (root / "manifest.json").write_text(json.dumps(wf.manifest()))
    shutil.copytree(made["checklists"], root / "checklists")
    shared = root / "shareable"
    for kind in ("figures", "tables"):  # what disclosure control passed: no case matrix
        shutil.copytree(made[kind], shared / kind,
                        ignore=lambda _d, names: [n for n in names if "case_matrix" in n])
    return root


def _text(path) -> str:
    doc = open_docx(path)
    return doc.element.xml + "".join(p.caption for p in placed_tables(doc))


@pytest.mark.slow  # over half a second: make test, not make quick
def test_report_docx_for_a_run_folder(run_dir, capsys):
    assert cli.main(["report", "--docx", "--run", "export-1"]) == 0
    out = capsys.readouterr().out
    team, shared = run_dir / "team_only", run_dir / "shareable"
    assert sorted(p.name for p in team.glob("*.docx")) == ["wave_report.docx",
                                                         "wave_report_team_only.docx"]
    assert sorted(p.name for p in shared.glob("*.docx")) == ["wave_report.docx"]
    assert "P001" in _text(team / "wave_report_team_only.docx")
    for path in (team / "wave_report.docx", shared / "wave_report.docx"):
        assert "P001" not in _text(path) and "Case matrix" not in _text(path)
    assert "Table A1. CONSORT 2025" in _text(team / "wave_report.docx")
    assert "CONSORT" not in _text(shared / "wave_report.docx")  # checklists stay private
    assert "do not share" in out and "passed disclosure control" in out


@pytest.mark.slow  # over half a second: make test, not make quick
def test_report_needs_a_kind_and_an_existing_run(run_dir, capsys):
    assert cli.main(["report", "--run", "export-1"]) == 2
    assert "say which report to build, e.g. --docx" in capsys.readouterr().err
    assert cli.main(["report", "--docx", "--run", "nowhere"]) == 2
    assert "holds no run (no manifest.json)" in capsys.readouterr().err


@pytest.mark.slow  # over half a second: make test, not make quick
def test_bad_reference_docx_is_one_line(run_dir, tmp_path, capsys):
    bad = tmp_path / "house.docx"
    bad.write_text("plain text")
    assert cli.main(["report", "--docx", "--run", "export-1", "--reference-docx",
                     str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a Word .docx document" in err
