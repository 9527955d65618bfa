"""Tests of qualitative.quotes: quote text and context, filters, segment ids, quote matrices
and the spread choice of quotes.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from qual_builders import NESTED_CODEBOOK, nested, qual

from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ArgumentError
from wave_analysis.outputs import save_table
from wave_analysis.qualitative.quotes import (
    pick_quotes,
    quote_matrix,
    quote_matrix_markdown,
    quote_matrix_table,
    quotes,
    segment_ids,
)


def test_quotes_text_context_and_astral_characters():
    # emoji and other astral characters are one code point each in Python str
    text = "I said \U0001F600 we talk\u00e9d about going back to work slowly every week."
    start = text.index("going")
    end = text.index(" slowly")
    ivs = [("i1", "patient", "P001")]
    data = qual(ivs, [("i1", "C3", start, end, "coder_1")], {"i1": text})
    out = quotes(data, context=12)
    row = out.iloc[0]
    assert row["text"] == "going back to work"
    # the 12 characters before 'going' are "alk\u00e9d about ": the cut word is dropped
    assert row["before"] == "about"
    assert row["after"] == "slowly"
    assert row["speaker"] == "Patient 01"
    assert re.fullmatch(r"i1:\d+-\d+:[0-9a-f]{8}", row["segment_id"])
    assert row["segment_id"].startswith(f"i1:{start}-{end}:")
    assert "participant_id" not in out.columns


def test_segment_ids_are_stable_and_distinct():
    a = segment_ids(["i1", "i1"], [0, 0], [5, 5], ["C1", "C2"])
    b = segment_ids(["i1", "i1"], [0, 0], [5, 5], ["C1", "C2"])
    assert list(a) == list(b)
    assert a[0] != a[1]


def test_quotes_filter_by_theme_group_and_outcome(small):
    under_t1 = quotes(small, code="T1")
    assert set(under_t1["code_id"]) == {"C1", "C2"}
    assert list(under_t1["stakeholder_group"]) == ["patient", "patient", "employer"]
    assert set(quotes(small, code="S1")["code_id"]) == {"C1"}
    assert set(quotes(small, stakeholder_group="employer")["interview_id"]) == {"i3"}
    outcome = pd.DataFrame({"participant_id": ["P001", "P002"], "returned": [True, False]})
    got = quotes(small, code="T2", interview_frame=outcome, where={"returned": True})
    assert set(got["interview_id"]) == {"i1"} and got["returned"].all()
    with pytest.raises(ArgumentError, match="where must be keyed by interview columns; got 'arm' "
                       r"\(available: interview_id, stakeholder_group, "):
        quotes(small, where={"arm": "usual_care"})
    with pytest.raises(ArgumentError, match="code must be a code_id of the codebook; got 'T9'"):
        quotes(small, code="T9")


def test_quote_matrix_and_markdown(small):
    texts = dict(small.transcripts)
    texts["i3"] = texts["i3"][:15] + "x|y" + texts["i3"][18:]  # inside the C1 segment [10, 30)
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    rows = quotes(data)
    matrix = quote_matrix(rows, max_per_cell=1)
    assert list(matrix.index) == ["T1", "T2"]
    assert list(matrix.columns) == ["patient", "employer"]
    assert matrix.loc["T1", "patient"].count("\u201c") == 1
    assert matrix.loc["T1", "patient"].endswith("(Patient 01)")
    md = quote_matrix_markdown(rows, row_names={"T1": "Working with the VSW"})
    assert md.splitlines()[0] == "| theme_id | patient | employer |"
    assert "| Working with the VSW |" in md
    assert "x\\|y" in md  # the pipe inside the quote is escaped
    assert "P001" not in md and "P001" not in matrix.to_csv()


def test_quotes_where_accepts_a_list_of_values(small):
    got = quotes(small, where={"stakeholder_group": ["employer", "gp"]})
    assert set(got["stakeholder_group"]) == {"employer"}  # the GP has no coded segment
    assert len(got) == 2


def test_pick_quotes_spreads_speakers_and_offers_a_passage_once():
    data = nested([
        ("i1", "C1", 0, 10, "coder_1"),
        ("i1", "C2", 0, 10, "coder_1"),    # same passage, second code of T1: offered once
        ("i1", "C4", 20, 30, "coder_1"),
        ("i1", "C4", 40, 50, "coder_1"),
        ("i2", "C1", 60, 70, "coder_1"),
        ("i3", "C4", 5, 15, "coder_1"),
        ("i3", "T2", 100, 110, "coder_1"),
    ])
    rows = quotes(data)
    picked = pick_quotes(rows, per_cell=2)
    t1_patient = picked[(picked["theme_id"] == "T1") & (picked["stakeholder_group"] == "patient")]
    # Patient 01 (i1) has three T1 passages, Patient 02 (i2) one: one each before a second
    assert t1_patient["speaker"].tolist() == ["Patient 01", "Patient 02"]
    assert t1_patient["start"].tolist() == [0, 60]
    assert len(picked) == 4  # T1 x patient: 2, T1 x gp: 1, T2 x gp: 1
    three = pick_quotes(rows, per_cell=3)
    t1_patient = three[(three["theme_id"] == "T1") & (three["stakeholder_group"] == "patient")]
    assert t1_patient["start"].tolist() == [0, 60, 20]  # the i1 duplicate [0, 10) is not repeated
    # subtheme level: only codings under S1 have a subtheme; one passage per interview remains
    sub = pick_quotes(rows, rows="subtheme_id", per_cell=5)
    assert sub["subtheme_id"].tolist() == ["S1", "S1"]
    assert sorted(sub["interview_id"]) == ["i1", "i2"]
    # code level: rows follow row_order (codebook order), not the order of first appearance
    by_code = pick_quotes(rows, rows="code_id", per_cell=1, row_order=NESTED_CODEBOOK["code_id"])
    assert pd.unique(by_code["code_id"]).tolist() == ["C1", "C2", "C4", "T2"]
    unordered = pick_quotes(rows.iloc[::-1], rows="code_id", per_cell=1)
    assert pd.unique(unordered["code_id"]).tolist() == ["T2", "C4", "C1", "C2"]
    with pytest.raises(ArgumentError, match="per_cell must be a whole number of at least 1; got 0"):
        pick_quotes(rows, per_cell=0)
    with pytest.raises(ArgumentError, match=r"quote table column must be one of segment_id, .*; "
                       r"got 'arm' \(pass the output of quotes\(\)\)"):
        pick_quotes(rows, columns="arm")


def test_quote_matrix_table_holds_labels_not_ids(tmp_path):
    data = nested([("i1", "C1", 0, 10, "coder_1"), ("i2", "C4", 20, 30, "coder_1"),
                   ("i3", "T2", 100, 110, "coder_1")])
    rows = quotes(data)
    names = {"T1": "Working with the VSW", "T2": "Employer contact"}
    table = quote_matrix_table(rows, row_names=names)
    # saved the way notebook 06 saves it: the CSV bytes are the table's to_csv
    paths = save_table(table, "06_quote_matrix", folder=tmp_path / "t", formats=("csv",),
                       synthetic=True, participant_level=True)
    assert [p.name for p in paths] == ["06_quote_matrix.csv"]
    assert paths[0].read_text(encoding="utf-8") == table.to_csv(index=False, lineterminator="\n")
    csv = pd.read_csv(paths[0])
    assert csv.columns.tolist() == ["theme_id", "name", "patient", "gp"]
    assert csv["name"].tolist() == ["Working with the VSW", "Employer contact"]
    quote = " ".join(data.transcripts["i2"][20:30].split())  # whitespace is collapsed
    assert csv.loc[0, "patient"].split("\n")[1] == f"\u201c{quote}\u201d (Patient 02)"
    assert quote_matrix_table(rows).columns.tolist() == ["theme_id", "patient", "gp"]
    md = quote_matrix_markdown(rows, row_names=names)
    assert md.splitlines()[2].startswith("| Working with the VSW |")
    for text in (paths[0].read_text(encoding="utf-8"), md):
        assert "P001" not in text and "i1" not in text
