"""Tests of qualitative.codebook: the code tree, the codebook summary, codings checks and
roll-up.
"""

from __future__ import annotations

import pandas as pd
import pytest
from qual_builders import NESTED_CODEBOOK

from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ValidationError
from wave_analysis.qualitative.codebook import code_tree, codebook_summary, roll_up
from wave_analysis.qualitative.counts import theme_counts


def test_roll_up_gives_theme_and_subtheme_per_coding(small):
    rolled = roll_up(small)
    assert len(rolled) == len(small.codings)
    got = dict(zip(rolled["code_id"], zip(rolled["theme_id"], rolled["subtheme_id"],
                                          strict=True), strict=False))
    assert got["C1"] == ("T1", "S1")
    assert got["C2"][0] == "T1" and pd.isna(got["C2"][1])
    assert got["C3"][0] == "T2" and pd.isna(got["C3"][1])
    assert len(roll_up(small, coder="coder_2")) == 1


def test_code_tree_reports_a_cycle():
    book = pd.DataFrame([("T1", None, "t", "theme"), ("A", "B", "a", "subtheme"),
                         ("B", "A", "b", "subtheme")],
                        columns=["code_id", "parent_id", "name", "level"])
    with pytest.raises(ValidationError, match=r"cycle in the codebook tree: (A -> B -> A|B -> A)"):
        code_tree(book)


def test_code_tree_reports_unknown_parent_and_non_theme_root():
    book = pd.DataFrame([("T1", None, "t", "theme"), ("C1", "X9", "c", "code"),
                         ("S2", None, "s", "subtheme"), ("C2", "S2", "c2", "code")],
                        columns=["code_id", "parent_id", "name", "level"])
    with pytest.raises(ValidationError, match="code 'C1' has an unknown parent"):
        code_tree(book)
    with pytest.raises(ValidationError, match="root 'S2', which is not a theme") as err:
        code_tree(book[book["code_id"] != "C1"])
    assert len(err.value.problems) == 2  # S2 itself and C2 under it


def test_codings_problems_are_reported_together(small):
    bad = small.codings.copy()
    bad.loc[0, "code_id"] = "NOPE"
    bad.loc[1, "end"] = 3  # before start 5
    bad.loc[2, "end"] = 101  # transcript i1 has 100 characters
    broken = QualData(small.interviews, small.codebook, bad, small.transcripts)
    with pytest.raises(ValidationError, match="3 validation problems") as err:
        theme_counts(broken)
    text = err.value.report()
    assert "codings:2: column 'code_id': 'NOPE' code_id not in the codebook" in text
    assert "end must be greater than start" in text
    assert "end is past the end of the transcript" in text


def test_codebook_summary_counts_levels_under_each_theme():
    got = codebook_summary(NESTED_CODEBOOK)
    # T1: subtheme S1, codes C1, C2 (under S1) and C4, deepest C1/C2 at depth 2;
    # T2: nothing below; T3: one subtheme at depth 1
    assert got["theme_id"].tolist() == ["T1", "T2", "T3"]
    assert got["name"].tolist() == ["Working with the VSW", "Employer contact", "Unused theme"]
    assert got["subthemes"].tolist() == [1, 0, 1]
    assert got["codes"].tolist() == [3, 0, 0]
    assert got["depth"].tolist() == [2, 0, 1]
