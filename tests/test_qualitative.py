"""Tests of wave_analysis.qualitative on small hand-made QualData objects.

Reference values are either worked by hand in comments, recomputed by a naive character-set
implementation in this file (independent of the sweep-line code), or published (sources cited).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from wave_analysis import qualitative as q
from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ValidationError, WaveError

# --- builders ----------------------------------------------------------------------------------

CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Working with the VSW", "theme"),
        ("S1", "T1", "Trust", "subtheme"),
        ("C1", "S1", "Felt listened to", "code"),
        ("C2", "T1", "Practical help", "code"),
        ("T2", None, "Employer contact", "theme"),
        ("C3", "T2", "Phased return", "code"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)


def interviews(rows):
    return pd.DataFrame(rows, columns=["interview_id", "stakeholder_group", "participant_id"]) \
        .assign(practice_id=None, interview_date=pd.Timestamp("2021-06-01"),
                transcript_file=lambda d: d["interview_id"] + ".txt")


def codings(rows):
    frame = pd.DataFrame(rows, columns=["interview_id", "code_id", "start", "end", "coder"])
    return frame.astype({"start": "Int64", "end": "Int64"})


def qual(ivs, cods, texts, codebook=CODEBOOK):
    return QualData(interviews=interviews(ivs), codebook=codebook, codings=codings(cods),
                    transcripts=texts)


def words(n: int) -> str:
    """A transcript of n characters made of 4-letter words and spaces ('abcd efgh ...')."""
    text = " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] * 4 for i in range(n // 5 + 2))
    return text[:n]


@pytest.fixture
def small() -> QualData:
    ivs = [("i1", "patient", "P001"), ("i2", "patient", "P002"), ("i3", "employer", None),
           ("i4", "gp", None)]
    texts = {"i1": words(100), "i2": words(60), "i3": words(80), "i4": words(40)}
    cods = [
        ("i1", "C1", 0, 10, "coder_1"),
        ("i1", "C2", 5, 20, "coder_1"),   # overlaps C1: theme T1 covers [0, 20) = 20 chars
        ("i1", "C3", 15, 30, "coder_1"),  # overlaps C2 (T1) by 5 chars
        ("i1", "C3", 50, 60, "coder_1"),
        ("i2", "C3", 0, 10, "coder_1"),
        ("i3", "C1", 10, 30, "coder_1"),
        ("i3", "C3", 33, 40, "coder_1"),  # 3 characters after the C1 segment
        ("i1", "C1", 0, 100, "coder_2"),  # second coder: ignored by default
    ]
    return qual(ivs, cods, texts)


# --- naive references (character sets; no intervals, no sorting) -------------------------------

def chars(segments):
    return set(itertools.chain.from_iterable(range(s, e) for s, e in segments))


def naive_tree_theme(code: str) -> str:
    parent = dict(zip(CODEBOOK["code_id"], CODEBOOK["parent_id"], strict=True))
    while parent[code] is not None:
        code = parent[code]
    return code


# --- codebook tree -----------------------------------------------------------------------------

def test_roll_up_gives_theme_and_subtheme_per_coding(small):
    rolled = q.roll_up(small)
    assert len(rolled) == len(small.codings)
    got = dict(zip(rolled["code_id"], zip(rolled["theme_id"], rolled["subtheme_id"],
                                          strict=True), strict=False))
    assert got["C1"] == ("T1", "S1")
    assert got["C2"][0] == "T1" and pd.isna(got["C2"][1])
    assert got["C3"][0] == "T2" and pd.isna(got["C3"][1])
    assert len(q.roll_up(small, coder="coder_2")) == 1


def test_code_tree_reports_a_cycle():
    book = pd.DataFrame([("T1", None, "t", "theme"), ("A", "B", "a", "subtheme"),
                         ("B", "A", "b", "subtheme")],
                        columns=["code_id", "parent_id", "name", "level"])
    with pytest.raises(ValidationError, match=r"cycle in the codebook tree: (A -> B -> A|B -> A)"):
        q.code_tree(book)


def test_code_tree_reports_unknown_parent_and_non_theme_root():
    book = pd.DataFrame([("T1", None, "t", "theme"), ("C1", "X9", "c", "code"),
                         ("S2", None, "s", "subtheme"), ("C2", "S2", "c2", "code")],
                        columns=["code_id", "parent_id", "name", "level"])
    with pytest.raises(ValidationError, match="code 'C1' has an unknown parent"):
        q.code_tree(book)
    with pytest.raises(ValidationError, match="root 'S2', which is not a theme") as err:
        q.code_tree(book[book["code_id"] != "C1"])
    assert len(err.value.problems) == 2  # S2 itself and C2 under it


def test_codings_problems_are_reported_together(small):
    bad = small.codings.copy()
    bad.loc[0, "code_id"] = "NOPE"
    bad.loc[1, "end"] = 3  # before start 5
    bad.loc[2, "end"] = 101  # transcript i1 has 100 characters
    broken = QualData(small.interviews, small.codebook, bad, small.transcripts)
    with pytest.raises(ValidationError, match="3 validation problems") as err:
        q.theme_counts(broken)
    text = err.value.report()
    assert "codings:2: column 'code_id': 'NOPE' code_id not in the codebook" in text
    assert "end must be greater than start" in text
    assert "end is past the end of the transcript" in text


def test_unknown_coder_and_level_are_named(small):
    with pytest.raises(WaveError, match="coder must be one of coder_1, coder_2; got 'coder_9'"):
        q.theme_counts(small, coder="coder_9")
    with pytest.raises(WaveError, match="level must be one of theme, subtheme, code"):
        q.theme_counts(small, level="category")


# --- theme counts ------------------------------------------------------------------------------

def test_theme_counts_by_hand(small):
    t = q.theme_counts(small).to_frame().set_index(["stakeholder_group", "theme_id"])
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
    t2 = q.theme_counts(small, coder="coder_2").to_frame().set_index(
        ["stakeholder_group", "theme_id"])
    assert t2.loc[("patient", "T1"), "characters"] == 100
    sub = q.theme_counts(small, level="subtheme")
    assert sub.table["subtheme_id"].unique().tolist() == ["S1"]
    # only C1 segments have a subtheme: i1 [0,10) and i3 [10,30)
    assert sub.pivot("characters").loc["S1"].tolist() == [10, 20, 0]


def test_patient_interviewed_twice_counts_once():
    ivs = [("a", "patient", "P001"), ("b", "patient", "P001"), ("c", "patient", "P002")]
    texts = {k: words(20) for k in "abc"}
    cods = [("a", "C1", 0, 5, "coder_1"), ("b", "C1", 0, 5, "coder_1")]
    t = q.theme_counts(qual(ivs, cods, texts)).to_frame().set_index("theme_id")
    assert t.loc["T1", "segments"] == 2
    assert t.loc["T1", "interviewees"] == 1
    assert t.loc["T1", "interviewees_in_group"] == 2


def random_qual(seed: int, n_interviews: int = 6, n_codings: int = 120) -> QualData:
    rng = np.random.default_rng(seed)
    groups = ["patient", "employer", "vsw", "gp"]
    ivs = [(f"i{k}", groups[k % 4], f"P{k:03d}" if k % 4 == 0 else None)
           for k in range(n_interviews)]
    lengths = rng.integers(150, 400, n_interviews)
    texts = {f"i{k}": words(int(n)) for k, n in enumerate(lengths)}
    rows = []
    for _ in range(n_codings):
        k = int(rng.integers(n_interviews))
        s = int(rng.integers(0, lengths[k] - 1))
        e = int(min(lengths[k], s + rng.integers(1, 60)))
        rows.append((f"i{k}", str(rng.choice(["C1", "C2", "C3", "S1", "T2"])), s, e,
                     str(rng.choice(["coder_1", "coder_2"]))))
    return qual(ivs, rows, texts)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_theme_counts_match_naive_character_sets(seed):
    data = random_qual(seed)
    got = q.theme_matrix(data, value="characters")
    seg = q.theme_matrix(data, value="segments")
    c1 = data.codings[data.codings["coder"] == "coder_1"]
    for iv in got.index:
        for theme in got.columns:
            rows = c1[(c1["interview_id"] == iv) & (c1["code_id"].map(naive_tree_theme) == theme)]
            assert got.loc[iv, theme] == len(chars(zip(rows["start"], rows["end"],
                                                       strict=True)))
            assert seg.loc[iv, theme] == len(rows)


# --- co-occurrence -----------------------------------------------------------------------------

def test_cooccurrence_segment_level_by_hand(small):
    co = q.cooccurrence(small)
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
    assert q.cooccurrence(small, within=2).counts.loc["T1", "T2"] == 1
    assert q.cooccurrence(small, within=3).counts.loc["T1", "T2"] == 2
    with pytest.raises(WaveError, match="within must be None"):
        q.cooccurrence(small, within=-1)


def test_touching_segments_cooccur_only_with_within_zero():
    ivs = [("a", "patient", "P001")]
    cods = [("a", "C1", 0, 5, "coder_1"), ("a", "C3", 5, 9, "coder_1")]
    data = qual(ivs, cods, {"a": words(20)})
    assert q.cooccurrence(data).counts.loc["T1", "T2"] == 0
    assert q.cooccurrence(data, within=0).counts.loc["T1", "T2"] == 1


def test_cooccurrence_interview_level_jaccard_equals_c(small):
    co = q.cooccurrence(small, unit="interview")
    # T1 in i1, i3; T2 in i1, i2, i3 -> both in 2 interviews
    assert co.counts.loc["T1", "T2"] == 2
    assert co.c_coefficient.loc["T1", "T2"] == pytest.approx(2 / (2 + 3 - 2))
    assert co.jaccard.loc["T1", "T2"] == pytest.approx(co.c_coefficient.loc["T1", "T2"])


@pytest.mark.parametrize("within", [None, 0, 7])
def test_cooccurrence_pairs_match_naive_double_loop(within):
    data = random_qual(11, n_codings=150)
    co = q.cooccurrence(data, level="code", within=within)
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


# --- quotes ------------------------------------------------------------------------------------

def test_speaker_labels_are_deterministic_within_group():
    ivs = interviews([("z9", "patient", "P010"), ("a1", "patient", "P002"),
                      ("e1", "employer", None), ("v2", "vsw", None), ("v1", "vsw", None),
                      ("g", "gp", None), ("a2", "patient", "P002")])
    labels = q.speaker_labels(ivs)
    assert labels.to_dict() == {"z9": "Patient 02", "a1": "Patient 01", "e1": "Employer 01",
                                "v2": "VSW 02", "v1": "VSW 01", "g": "GP 01", "a2": "Patient 01"}
    assert q.speaker_labels(ivs.iloc[::-1]).sort_index().equals(labels.sort_index())


def test_quotes_text_context_and_astral_characters():
    # emoji and other astral characters are one code point each in Python str
    text = "I said \U0001F600 we talk\u00e9d about going back to work slowly every week."
    start = text.index("going")
    end = text.index(" slowly")
    ivs = [("i1", "patient", "P001")]
    data = qual(ivs, [("i1", "C3", start, end, "coder_1")], {"i1": text})
    out = q.quotes(data, context=12)
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
    a = q.segment_ids(["i1", "i1"], [0, 0], [5, 5], ["C1", "C2"])
    b = q.segment_ids(["i1", "i1"], [0, 0], [5, 5], ["C1", "C2"])
    assert list(a) == list(b)
    assert a[0] != a[1]


def test_quotes_filter_by_theme_group_and_outcome(small):
    under_t1 = q.quotes(small, code="T1")
    assert set(under_t1["code_id"]) == {"C1", "C2"}
    assert list(under_t1["stakeholder_group"]) == ["patient", "patient", "employer"]
    assert set(q.quotes(small, code="S1")["code_id"]) == {"C1"}
    assert set(q.quotes(small, stakeholder_group="employer")["interview_id"]) == {"i3"}
    outcome = pd.DataFrame({"participant_id": ["P001", "P002"], "returned": [True, False]})
    got = q.quotes(small, code="T2", interview_frame=outcome, where={"returned": True})
    assert set(got["interview_id"]) == {"i1"} and got["returned"].all()
    with pytest.raises(WaveError, match="cannot filter quotes on 'arm'"):
        q.quotes(small, where={"arm": "usual_care"})
    with pytest.raises(WaveError, match="code 'T9' is not in the codebook"):
        q.quotes(small, code="T9")


def test_quote_matrix_and_markdown(small):
    texts = dict(small.transcripts)
    texts["i3"] = texts["i3"][:15] + "x|y" + texts["i3"][18:]  # inside the C1 segment [10, 30)
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    rows = q.quotes(data)
    matrix = q.quote_matrix(rows, max_per_cell=1)
    assert list(matrix.index) == ["T1", "T2"]
    assert list(matrix.columns) == ["patient", "employer"]
    assert matrix.loc["T1", "patient"].count("\u201c") == 1
    assert matrix.loc["T1", "patient"].endswith("(Patient 01)")
    md = q.quote_matrix_markdown(rows, row_names={"T1": "Working with the VSW"})
    assert md.splitlines()[0] == "| theme_id | patient | employer |"
    assert "| Working with the VSW |" in md
    assert "x\\|y" in md  # the pipe inside the quote is escaped
    assert "P001" not in md and "P001" not in matrix.to_csv()


# --- agreement ---------------------------------------------------------------------------------

def two_coder_text(length, a_segments, b_segments, code="C1"):
    ivs = [("i1", "patient", "P001")]
    rows = [("i1", code, s, e, "coder_1") for s, e in a_segments] + \
        [("i1", code, s, e, "coder_2") for s, e in b_segments]
    return qual(ivs, rows, {"i1": words(length)})


def test_kappa_known_answer_from_the_brief():
    # 1,000 characters; A codes 200, B codes 150, both 100:
    # p_o = (100 + 750) / 1000 = 0.85; p_e = 0.2*0.15 + 0.8*0.85 = 0.71; kappa = 0.14/0.29
    assert q.cohen_kappa_characters(1000, 200, 150, 100) == pytest.approx(0.14 / 0.29)
    assert round(q.cohen_kappa_characters(1000, 200, 150, 100), 3) == 0.483
    data = two_coder_text(1000, [(0, 120), (120, 200)], [(100, 250)])
    row = q.agreement(data).by_transcript.iloc[0]
    assert (row["a"], row["b"], row["both"], row["length"]) == (200, 150, 100, 1000)
    assert row["percent_agreement"] == pytest.approx(0.85)
    assert round(row["kappa"], 3) == 0.483


def test_kappa_wikipedia_worked_example():
    # Wikipedia, "Cohen's kappa", worked example: 50 items, both yes 20, A yes/B no 5,
    # A no/B yes 10, both no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
    # As characters: A codes [0, 25), B codes [0, 20) + [25, 35).
    data = two_coder_text(50, [(0, 25)], [(0, 20), (25, 35)])
    assert q.agreement(data).by_code.loc[0, "kappa"] == pytest.approx(0.4)


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, Departmental Papers (ASC) 43,
# https://repository.upenn.edu/asc_papers/43 -- section A, "Binary or dichotomous data, two
# observers, no missing data": 10 units, published alpha = 0.095.
# (Coincidences o00=10, o01=o10=4, o11=2, n0=14, n1=6: alpha = 1 - 19*4/(14*6) = 0.0952.)
KRIPP_OBS_C = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
KRIPP_OBS_K = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def test_alpha_character_level_published_binary_example():
    a = [(i, i + 1) for i, v in enumerate(KRIPP_OBS_C) if v]
    b = [(i, i + 1) for i, v in enumerate(KRIPP_OBS_K) if v]
    row = q.agreement(two_coder_text(10, a, b)).by_code.iloc[0]
    assert round(row["alpha_characters"], 3) == 0.095


def test_alpha_and_kappa_presence_level_published_binary_example():
    # the same reliability data with the 10 units as interviews (1 = code used there)
    ivs = [(f"i{k}", "patient", f"P{k:03d}") for k in range(10)]
    rows = []
    for k, (c, kk) in enumerate(zip(KRIPP_OBS_C, KRIPP_OBS_K, strict=True)):
        # every interview is double coded (a C3 segment by both); C1 carries the data
        rows += [(f"i{k}", "C3", 0, 2, "coder_1"), (f"i{k}", "C3", 0, 2, "coder_2")]
        rows += [(f"i{k}", "C1", 3, 6, "coder_1")] * c + [(f"i{k}", "C1", 3, 6, "coder_2")] * kk
    data = qual(ivs, rows, {f"i{k}": words(10) for k in range(10)})
    by_code = q.agreement(data).by_code.set_index("code_id")
    assert round(by_code.loc["C1", "alpha_presence"], 3) == 0.095
    # presence kappa by hand: p_o = 6/10, p_A = 0.2, p_B = 0.4, p_e = 0.08 + 0.48 = 0.56
    assert by_code.loc["C1", "presence_kappa"] == pytest.approx((0.6 - 0.56) / (1 - 0.56))
    assert by_code.loc["C3", "presence_kappa"] != by_code.loc["C3", "presence_kappa"]  # NaN
    assert by_code.loc["C1", "interviews"] == 10


def test_agreement_only_uses_double_coded_transcripts(small):
    res = q.agreement(small)
    assert set(res.by_transcript["interview_id"]) == {"i1"}
    assert res.coders == ("coder_1", "coder_2")
    with pytest.raises(WaveError, match="agreement needs two coders"):
        q.agreement(QualData(small.interviews, small.codebook,
                             small.codings[small.codings["coder"] == "coder_1"],
                             small.transcripts))


def test_pooled_agreement_sums_transcripts():
    ivs = [("a", "patient", "P001"), ("b", "patient", "P002")]
    rows = [("a", "C1", 0, 40, "coder_1"), ("a", "C1", 10, 40, "coder_2"),
            ("b", "C1", 0, 10, "coder_1"), ("b", "C1", 50, 60, "coder_2")]
    res = q.agreement(qual(ivs, rows, {"a": words(100), "b": words(100)}))
    pooled = res.by_code.iloc[0]
    assert (pooled["length"], pooled["a"], pooled["b"], pooled["both"]) == (200, 50, 40, 30)
    assert pooled["kappa"] == pytest.approx(q.cohen_kappa_characters(200, 50, 40, 30))


# --- transcripts and drawing -------------------------------------------------------------------

def test_lone_surrogate_in_transcript_is_refused(small):
    texts = dict(small.transcripts)
    texts["i2"] = "bad \udcff text" + texts["i2"][13:]
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    with pytest.raises(WaveError, match="interview i2 contains a lone surrogate"):
        q.theme_counts(data)


def test_missing_transcript_is_named(small):
    texts = {k: v for k, v in small.transcripts.items() if k != "i4"}
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    with pytest.raises(WaveError, match="no text for interview i4"):
        q.theme_counts(data)


def test_heatmaps_draw_the_numbers(small):
    counts = q.theme_counts(small)
    fig = q.plot_group_heatmap(counts, value="segments")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    drawn = np.asarray(ax.images[0].get_array())
    assert (drawn == counts.pivot("segments").to_numpy()).all()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Working with the VSW",
                                                            "Employer contact"]
    co = q.cooccurrence(small)
    fig2 = q.plot_cooccurrence_heatmap(co)
    assert np.allclose(np.asarray(fig2.axes[0].images[0].get_array()),
                       co.c_coefficient.to_numpy())
    matrix = q.theme_matrix(small, value="present")
    fig3 = q.plot_interview_heatmap(matrix, labels=q.speaker_labels(small.interviews))
    labels = [t.get_text() for t in fig3.axes[0].get_yticklabels()]
    assert labels == ["Patient 01", "Patient 02", "Employer 01", "GP 01"]


def test_results_do_not_depend_on_codings_row_order(small):
    shuffled = small.codings.sample(frac=1.0, random_state=np.random.default_rng(5).integers(1e6))
    other = QualData(small.interviews, small.codebook, shuffled.reset_index(drop=True),
                     small.transcripts)
    pd.testing.assert_frame_equal(q.theme_counts(small).table, q.theme_counts(other).table)
    pd.testing.assert_frame_equal(q.cooccurrence(small).to_frame(),
                                  q.cooccurrence(other).to_frame())
    assert q.quote_matrix_markdown(q.quotes(small)) == q.quote_matrix_markdown(q.quotes(other))
    assert q.quotes(small).to_csv() == q.quotes(other).to_csv()


def test_quotes_where_accepts_a_list_of_values(small):
    got = q.quotes(small, where={"stakeholder_group": ["employer", "gp"]})
    assert set(got["stakeholder_group"]) == {"employer"}  # the GP has no coded segment
    assert len(got) == 2
