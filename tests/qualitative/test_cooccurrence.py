"""Tests of qualitative.cooccurrence by hand and against a naive double loop.
"""

from __future__ import annotations

import itertools

import pytest
from qual_builders import qual, random_qual, words

from wave_analysis.exceptions import ArgumentError
from wave_analysis.qualitative.cooccurrence import cooccurrence


def test_cooccurrence_segment_level_by_hand(small):
    co = cooccurrence(small)
    # T1 segments: i1 C1 [0,10), i1 C2 [5,20), i3 C1 [10,30)  -> n1 = 3
    # T2 segments: i1 [15,30), i1 [50,60), i2 [0,10), i3 [33,40) -> n2 = 4
    # overlapping T1-T2 pairs: i1 C2 [5,20) with [15,30) only -> n12 = 1
    assert co.counts.loc["T1", "T1"] == 3 and co.counts.loc["T2", "T2"] == 4
    assert co.counts.loc["T1", "T2"] == 1 == co.counts.loc["T2", "T1"]
    assert co.c_coefficient.loc["T1", "T2"] == pytest.approx(1 / (3 + 4 - 1))
    # characters: T1 covers 20 (i1) + 20 (i3) = 40, T2 covers 15+10+10+7 = 42, shared 5
    assert co.jaccard.loc["T1", "T2"] == pytest.approx(5 / (40 + 42 - 5))
    row = co.to_frame().iloc[0]
    assert (row["a"], row["b"], row["n_a"], row["n_b"], row["n_ab"]) == ("T1", "T2", 3, 4, 1)


def test_cooccurrence_within_distance(small):
    # i3: C1 [10,30) and C3 [33,40) are 3 characters apart
    assert cooccurrence(small, within=2).counts.loc["T1", "T2"] == 1
    assert cooccurrence(small, within=3).counts.loc["T1", "T2"] == 2
    with pytest.raises(ArgumentError, match=r"within must be None \(overlap\) or a whole number "
                       "of at least 0; got -1"):
        cooccurrence(small, within=-1)


def test_touching_segments_cooccur_only_with_within_zero():
    ivs = [("a", "patient", "P001")]
    cods = [("a", "C1", 0, 5, "coder_1"), ("a", "C3", 5, 9, "coder_1")]
    data = qual(ivs, cods, {"a": words(20)})
    assert cooccurrence(data).counts.loc["T1", "T2"] == 0
    assert cooccurrence(data, within=0).counts.loc["T1", "T2"] == 1


def test_cooccurrence_interview_level_jaccard_equals_c(small):
    co = cooccurrence(small, unit="interview")
    # T1 in i1, i3; T2 in i1, i2, i3 -> both in 2 interviews
    assert co.counts.loc["T1", "T2"] == 2
    assert co.c_coefficient.loc["T1", "T2"] == pytest.approx(2 / (2 + 3 - 2))
    assert co.jaccard.loc["T1", "T2"] == pytest.approx(co.c_coefficient.loc["T1", "T2"])


@pytest.mark.parametrize("within", [None, 0, 7])
def test_cooccurrence_pairs_match_naive_double_loop(within):
    data = random_qual(11, n_codings=150)
    co = cooccurrence(data, level="code", within=within)
    c1 = data.codings[data.codings["coder"] == "coder_1"]
    segs = list(zip(c1["interview_id"], c1["code_id"], c1["start"], c1["end"], strict=True))
    expected = dict.fromkeys(itertools.permutations(co.counts.index, 2), 0)
    for (iv_x, cx, sx, ex), (iv_y, cy, sy, ey) in itertools.combinations(segs, 2):
        if iv_x != iv_y or cx == cy:
            continue
        gap = max(sx, sy) - min(ex, ey)
        if gap < 0 if within is None else gap <= within:
            expected[(cx, cy)] += 1
            expected[(cy, cx)] += 1
    assert sum(expected.values()) > 0
    for (a, b), n in expected.items():
        assert co.counts.loc[a, b] == n, (a, b)
