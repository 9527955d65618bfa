"""Tests of qualitative.counts: theme counts by hand and against naive character sets.
"""

from __future__ import annotations

import pytest
from qual_builders import chars, naive_tree_theme, qual, random_qual, words

from wave_analysis.exceptions import ArgumentError
from wave_analysis.qualitative.counts import theme_counts, theme_matrix


def test_unknown_coder_and_level_are_named(small):
    with pytest.raises(ArgumentError, match="coder must be one of coder_1, coder_2; got 'coder_9' "
                       r"\(coder labels come from the 'coder' column of codings\)"):
        theme_counts(small, coder="coder_9")
    with pytest.raises(ArgumentError,
                       match="level must be one of theme, subtheme, code; got 'category'"):
        theme_counts(small, level="category")


def test_theme_counts_by_hand(small):
    t = theme_counts(small).to_frame().set_index(["stakeholder_group", "theme_id"])
    # patients: T1 segments C1 [0,10) + C2 [5,20) in i1 -> 2 segments, union 20 characters
    assert t.loc[("patient", "T1"), "segments"] == 2
    assert t.loc[("patient", "T1"), "characters"] == 20
    assert t.loc[("patient", "T1"), "transcript_characters"] == 160
    assert t.loc[("patient", "T1"), "coverage"] == pytest.approx(20 / 160)
    assert t.loc[("patient", "T1"), "interviewees"] == 1
    assert t.loc[("patient", "T1"), "share_interviewees"] == pytest.approx(0.5)
    # T2 in both patients: [15,30) + [50,60) in i1, [0,10) in i2
    assert t.loc[("patient", "T2"), "characters"] == 35
    assert t.loc[("patient", "T2"), "share_interviewees"] == pytest.approx(1.0)
    # the GP has nothing coded, but still counts in the denominator
    assert t.loc[("gp", "T1"), "interviewees_in_group"] == 1
    assert t.loc[("gp", "T1"), "share_interviewees"] == 0
    assert list(t.index.get_level_values(0).unique()) == ["patient", "employer", "gp"]


def test_theme_counts_other_coder_and_subtheme_level(small):
    t2 = theme_counts(small, coder="coder_2").to_frame().set_index(
        ["stakeholder_group", "theme_id"])
    assert t2.loc[("patient", "T1"), "characters"] == 100
    sub = theme_counts(small, level="subtheme")
    assert sub.table["subtheme_id"].unique().tolist() == ["S1"]
    # only C1 segments have a subtheme: i1 [0,10) and i3 [10,30)
    assert sub.pivot("characters").loc["S1"].tolist() == [10, 20, 0]


def test_patient_interviewed_twice_counts_once():
    ivs = [("a", "patient", "P001"), ("b", "patient", "P001"), ("c", "patient", "P002")]
    texts = {k: words(20) for k in "abc"}
    cods = [("a", "C1", 0, 5, "coder_1"), ("b", "C1", 0, 5, "coder_1")]
    t = theme_counts(qual(ivs, cods, texts)).to_frame().set_index("theme_id")
    assert t.loc["T1", "segments"] == 2
    assert t.loc["T1", "interviewees"] == 1
    assert t.loc["T1", "interviewees_in_group"] == 2


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_theme_counts_match_naive_character_sets(seed):
    data = random_qual(seed)
    got = theme_matrix(data, value="characters")
    seg = theme_matrix(data, value="segments")
    c1 = data.codings[data.codings["coder"] == "coder_1"]
    for iv in got.index:
        for theme in got.columns:
            rows = c1[(c1["interview_id"] == iv) & (c1["code_id"].map(naive_tree_theme) == theme)]
            assert got.loc[iv, theme] == len(chars(zip(rows["start"], rows["end"],
                                                       strict=True)))
            assert seg.loc[iv, theme] == len(rows)
