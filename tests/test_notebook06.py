"""Notebook 06 (qualitative themes) and the helpers it added to wave_analysis.qualitative.

Small hand-made QualData objects: expected values are worked by hand in comments. The notebook is
executed on the real NVivo fixture in ../shared/fixtures (skipped when that folder is absent).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from wave_analysis import qualitative as q
from wave_analysis.config import KERNEL_NAME, NOTEBOOKS_DIR
from wave_analysis.data.model import QualData
from wave_analysis.exceptions import WaveError

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
NVIVO = SHARED_FIXTURES / "refi-qda" / "nvivo12-win-oltas0517.qdpx"

CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Working with the VSW", "theme"),
        ("S1", "T1", "Trust", "subtheme"),
        ("C1", "S1", "Felt listened to", "code"),
        ("C2", "S1", "Honest", "code"),
        ("C4", "T1", "Practical help", "code"),
        ("T2", None, "Employer contact", "theme"),
        ("T3", None, "Unused theme", "theme"),
        ("S3", "T3", "Unused subtheme", "subtheme"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)


def words(n: int) -> str:
    text = " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] * 4 for i in range(n // 5 + 2))
    return text[:n]


def make(cods, ivs=None) -> QualData:
    ivs = ivs or [("i1", "patient", "P001"), ("i2", "patient", "P002"), ("i3", "gp", None)]
    interviews = pd.DataFrame(ivs, columns=["interview_id", "stakeholder_group",
                                            "participant_id"]).assign(
        practice_id=None, interview_date=pd.Timestamp("2021-06-01"),
        transcript_file=lambda d: d["interview_id"] + ".txt")
    codings = pd.DataFrame(cods, columns=["interview_id", "code_id", "start", "end", "coder"])
    return QualData(interviews, CODEBOOK, codings.astype({"start": "Int64", "end": "Int64"}),
                    {i: words(200) for i in interviews["interview_id"]})


def test_codebook_summary_counts_levels_under_each_theme():
    got = q.codebook_summary(CODEBOOK)
    # T1: subtheme S1, codes C1, C2 (under S1) and C4, deepest C1/C2 at depth 2;
    # T2: nothing below; T3: one subtheme at depth 1
    assert got["theme_id"].tolist() == ["T1", "T2", "T3"]
    assert got["name"].tolist() == ["Working with the VSW", "Employer contact", "Unused theme"]
    assert got["subthemes"].tolist() == [1, 0, 1]
    assert got["codes"].tolist() == [3, 0, 0]
    assert got["depth"].tolist() == [2, 0, 1]


def test_pick_quotes_spreads_speakers_and_offers_a_passage_once():
    data = make([
        ("i1", "C1", 0, 10, "coder_1"),
        ("i1", "C2", 0, 10, "coder_1"),    # same passage, second code of T1: offered once
        ("i1", "C4", 20, 30, "coder_1"),
        ("i1", "C4", 40, 50, "coder_1"),
        ("i2", "C1", 60, 70, "coder_1"),
        ("i3", "C4", 5, 15, "coder_1"),
        ("i3", "T2", 100, 110, "coder_1"),
    ])
    rows = q.quotes(data)
    picked = q.pick_quotes(rows, per_cell=2)
    t1_patient = picked[(picked["theme_id"] == "T1") & (picked["stakeholder_group"] == "patient")]
    # Patient 01 (i1) has three T1 passages, Patient 02 (i2) one: one each before a second
    assert t1_patient["speaker"].tolist() == ["Patient 01", "Patient 02"]
    assert t1_patient["start"].tolist() == [0, 60]
    assert len(picked) == 4  # T1 x patient: 2, T1 x gp: 1, T2 x gp: 1
    three = q.pick_quotes(rows, per_cell=3)
    t1_patient = three[(three["theme_id"] == "T1") & (three["stakeholder_group"] == "patient")]
    assert t1_patient["start"].tolist() == [0, 60, 20]  # the i1 duplicate [0, 10) is not repeated
    # subtheme level: only codings under S1 have a subtheme; one passage per interview remains
    sub = q.pick_quotes(rows, rows="subtheme_id", per_cell=5)
    assert sub["subtheme_id"].tolist() == ["S1", "S1"]
    assert sorted(sub["interview_id"]) == ["i1", "i2"]
    # code level: rows follow row_order (codebook order), not the order of first appearance
    by_code = q.pick_quotes(rows, rows="code_id", per_cell=1, row_order=CODEBOOK["code_id"])
    assert pd.unique(by_code["code_id"]).tolist() == ["C1", "C2", "C4", "T2"]
    unordered = q.pick_quotes(rows.iloc[::-1], rows="code_id", per_cell=1)
    assert pd.unique(unordered["code_id"]).tolist() == ["T2", "C4", "C1", "C2"]
    with pytest.raises(WaveError, match="per_cell must be 1 or more"):
        q.pick_quotes(rows, per_cell=0)
    with pytest.raises(WaveError, match="no column 'arm'"):
        q.pick_quotes(rows, columns="arm")


def test_write_quote_matrix_files_hold_labels_not_ids(tmp_path):
    data = make([("i1", "C1", 0, 10, "coder_1"), ("i2", "C4", 20, 30, "coder_1"),
                 ("i3", "T2", 100, 110, "coder_1")])
    rows = q.quotes(data)
    names = {"T1": "Working with the VSW", "T2": "Employer contact"}
    paths = q.write_quote_matrix(rows, "06_quote_matrix", folder=tmp_path / "t", row_names=names)
    assert [p.name for p in paths] == ["06_quote_matrix.csv", "06_quote_matrix.md"]
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == \
        ["06_quote_matrix.csv", "06_quote_matrix.md"]  # no temporary files left behind
    csv = pd.read_csv(paths[0])
    assert csv.columns.tolist() == ["theme_id", "name", "patient", "gp"]
    assert csv["name"].tolist() == ["Working with the VSW", "Employer contact"]
    quote = " ".join(data.transcripts["i2"][20:30].split())  # whitespace is collapsed
    assert csv.loc[0, "patient"].split("\n")[1] == f"\u201c{quote}\u201d (Patient 02)"
    md = paths[1].read_text(encoding="utf-8")
    assert md == q.quote_matrix_markdown(rows, row_names=names)
    for text in (paths[0].read_text(encoding="utf-8"), md):
        assert "P001" not in text and "i1" not in text


def test_plot_agreement_draws_the_statistics():
    # i1 double coded: coder_1 codes C1 on [0, 50), coder_2 on [0, 40) and C4 only coder_2
    data = make([("i1", "C1", 0, 50, "coder_1"), ("i1", "C1", 0, 40, "coder_2"),
                 ("i1", "C4", 100, 120, "coder_2"), ("i2", "C1", 0, 10, "coder_1")])
    agree = q.agreement(data)
    fig = q.plot_agreement(agree, values=("kappa", "presence_kappa"),
                           names={"C1": "Felt listened to"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    expected = agree.by_code[["kappa", "presence_kappa"]].to_numpy().T.ravel()
    # presence on one transcript: C1 used by both (p_e = 1, kappa undefined: "n/a", no bar);
    # C4 by coder_2 only (p_o = 0, p_e = 0*1 + 1*0 = 0, kappa 0)
    assert np.isnan(expected[2]) and expected[3] == 0
    assert np.allclose(widths, np.nan_to_num(expected))
    assert sum(t.get_text() == "n/a" for t in ax.texts) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Felt listened to", "C4"]
    # C1 by hand: length 200, a=50, b=40, both=40: p_o=190/200, p_e=.25*.2+.75*.8=.65
    assert widths[0] == pytest.approx((0.95 - 0.65) / (1 - 0.65))
    with pytest.raises(WaveError, match="value must be one of"):
        q.plot_agreement(agree, values=("nonsense",))


@pytest.mark.slow
def test_notebook_runs_on_a_real_nvivo_project(tmp_path):
    if not NVIVO.is_file():
        pytest.skip(f"shared fixture {NVIVO} is absent")
    import papermill

    figures, tables = tmp_path / "figures", tmp_path / "tables"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "06_qualitative_themes.ipynb"), str(tmp_path / "06.ipynb"),
        parameters={"qdpx_file": str(NVIVO), "figures_dir": str(figures),
                    "tables_dir": str(tables), "coder": "someone_else"},
        kernel_name=KERNEL_NAME, progress_bar=False)
    counts = pd.read_csv(tables / "06_theme_counts.csv")
    # the fixture's README: 303 codings by one coder, every one rolls up to exactly one theme
    assert counts["segments"].sum() == 303
    assert set(counts["stakeholder_group"]) == {"patient"}  # the notebook's default group
    assert (counts["coder"] == "coder_1").all()  # unknown coder fell back to the first
    pairs = pd.read_csv(tables / "06_cooccurrence.csv")
    n_themes = len(counts)
    assert (pairs["unit"].value_counts() == n_themes * (n_themes - 1) // 2).all()
    # one coder: no agreement; real data: no quote matrix and no per-interview figure on disk
    assert sorted(p.name for p in tables.glob("*.csv")) == ["06_cooccurrence.csv",
                                                           "06_theme_counts.csv"]
    assert not list(figures.glob("06_themes_by_interview.*"))
    assert (figures / "06_themes_by_group.png").is_file()


def test_cooccurrence_heatmap_names_and_blank_diagonal():
    # i1: C1 [0, 10) overlaps C4 [5, 20) (both T1) and T2 [15, 30): T1-T2 co-occur once
    data = make([("i1", "C1", 0, 10, "coder_1"), ("i1", "C4", 5, 20, "coder_1"),
                 ("i1", "T2", 15, 30, "coder_1")])
    co = q.cooccurrence(data)
    fig = q.plot_cooccurrence_heatmap(co, names={"T1": "Working with the VSW"}, diagonal=False)
    drawn = np.ma.filled(fig.axes[0].images[0].get_array().astype(float), np.nan)
    assert np.isnan(np.diag(drawn)).all()
    # T1 has 2 segments, T2 one, one overlapping pair: c = 1 / (2 + 1 - 1)
    assert drawn[0, 1] == drawn[1, 0] == pytest.approx(0.5)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == \
        ["Working with the VSW", "T2", "T3"]
    assert np.diag(co.c_coefficient.to_numpy())[:2].tolist() == [1.0, 1.0]  # result untouched
