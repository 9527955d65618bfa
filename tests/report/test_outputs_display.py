"""outputs with the report model: ``Outputs.table(display=...)`` writes ``<name>.table.json``
beside unchanged tidy files, under the same privacy rule; ``Outputs.figure`` records a title
and caption in its sidecar; disclosure control sees the display file as part of its table."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wave_analysis import outputs  # noqa: E402
from wave_analysis.disclosure.artefacts import collect  # noqa: E402
from wave_analysis.exceptions import ArgumentError, PrivacyError  # noqa: E402
from wave_analysis.report import Column, DisplayTable, Row  # noqa: E402

FRAME = pd.DataFrame({"arm": ["usual_care", "vocational_support"], "n": [64, 66],
                      "share": [0.4923076923, 0.5076923077]})


def _display(**changes) -> DisplayTable:
    base = dict(name="draft", title="Allocation",
                columns=(Column("arm", "Arm"), Column("n", "n (%)", align="decimal")),
                rows=(Row(("Usual care", "64 (49.2%)")), Row(("Vocational support",
                                                               "66 (50.8%)"))),
                source_note="Randomisation log; notebook 01")
    base.update(changes)
    return DisplayTable(**base)


def test_display_is_written_beside_byte_identical_tidy_files(tmp_path):
    plain, with_display = tmp_path / "a", tmp_path / "b"
    outputs.save_table(FRAME, "01_alloc", folder=plain, synthetic=True)
    written = outputs.save_table(FRAME, "01_alloc", folder=with_display, synthetic=True,
                                 display=_display())
    assert [p.name for p in written] == ["01_alloc.csv", "01_alloc.md", "01_alloc.table.json"]
    for ext in ("csv", "md"):
        assert (plain / f"01_alloc.{ext}").read_bytes() == \
            (with_display / f"01_alloc.{ext}").read_bytes()
        assert outputs.sidecar_path(plain / f"01_alloc.{ext}").read_bytes() == \
            outputs.sidecar_path(with_display / f"01_alloc.{ext}").read_bytes()
    table = DisplayTable.from_json(with_display / "01_alloc.table.json")
    # the saved view carries the artefact's name and flags, whatever the builder set
    assert (table.name, table.synthetic, table.participant_level) == ("01_alloc", True, False)
    side = json.loads(outputs.sidecar_path(with_display / "01_alloc.table.json").read_text())
    assert side["kind"] == "display_table" and side["synthetic"] is True


def test_participant_level_display_of_real_data_is_not_written_to_a_shared_folder(
        tmp_path, monkeypatch):
    monkeypatch.setattr(outputs, "SHARED_FOLDERS", (tmp_path,))
    with pytest.raises(PrivacyError):
        outputs.save_table(FRAME, "07_cases", folder=tmp_path, participant_level=True,
                           display=_display())
    assert list(tmp_path.iterdir()) == []
    out = outputs.Outputs(tmp_path, tmp_path, synthetic=False)
    assert out.table(FRAME, "07_cases", participant_level=True, display=_display()) == []
    assert not (tmp_path / "07_cases.table.json").exists()


def test_display_must_be_a_display_table(tmp_path):
    with pytest.raises(ArgumentError, match="display must be a wave_analysis.report"):
        outputs.save_table(FRAME, "x", folder=tmp_path, display="<table>")
    assert not (tmp_path / "x.csv").exists()  # refused before anything is written


def test_figure_title_and_caption_go_into_the_sidecar_only_when_given(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [2, 1])
    out = outputs.Outputs(tmp_path, tmp_path, synthetic=True)
    out.figure(fig, "with", title="Recruitment over time",
               caption="Cumulative randomised by month against the target.")
    side = json.loads(outputs.sidecar_path(tmp_path / "with.png").read_text())
    assert side["title"] == "Recruitment over time"
    assert side["caption"] == "Cumulative randomised by month against the target."
    out.figure(fig, "without")
    side = json.loads(outputs.sidecar_path(tmp_path / "without.svg").read_text())
    assert "title" not in side and "caption" not in side
    with pytest.raises(ArgumentError, match="caption must be a non-empty string or None"):
        out.figure(fig, "blank", caption=" ")
    plt.close(fig)


def test_disclosure_sees_the_display_file_as_part_of_its_table(tmp_path):
    outputs.save_table(FRAME, "01_alloc", folder=tmp_path, synthetic=True, display=_display())
    (artefact,) = collect({"tables": tmp_path})
    assert artefact.name == "01_alloc"
    assert sorted(f.name for f in artefact.files) == ["01_alloc.csv", "01_alloc.md",
                                                      "01_alloc.table.json"]


def test_show_table_stamps_the_notebook_synthetic_flag(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(outputs, "show_object", shown.append)
    outputs.Outputs(tmp_path, tmp_path, synthetic=True).show_table(_display())
    (table,) = shown
    assert table.synthetic is True and table.name == "draft"
    assert list(tmp_path.iterdir()) == []  # shown, not written
