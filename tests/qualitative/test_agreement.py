"""Tests of qualitative.agreement: kappa and alpha against worked and published examples.
"""

from __future__ import annotations

import pytest
from qual_builders import KRIPP_OBS_C, KRIPP_OBS_K, qual, two_coder_text, words

from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ValidationError
from wave_analysis.qualitative.agreement import agreement, cohen_kappa_characters


def test_kappa_known_answer_from_the_brief():
    # 1,000 characters; A codes 200, B codes 150, both 100:
    # p_o = (100 + 750) / 1000 = 0.85; p_e = 0.2*0.15 + 0.8*0.85 = 0.71; kappa = 0.14/0.29
    assert cohen_kappa_characters(1000, 200, 150, 100) == pytest.approx(0.14 / 0.29)
    assert round(cohen_kappa_characters(1000, 200, 150, 100), 3) == 0.483
    data = two_coder_text(1000, [(0, 120), (120, 200)], [(100, 250)])
    row = agreement(data).by_transcript.iloc[0]
    assert (row["a"], row["b"], row["both"], row["length"]) == (200, 150, 100, 1000)
    assert row["percent_agreement"] == pytest.approx(0.85)
    assert round(row["kappa"], 3) == 0.483


def test_kappa_wikipedia_worked_example():
    # Wikipedia, "Cohen's kappa", worked example: 50 items, both yes 20, A yes/B no 5,
    # A no/B yes 10, both no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4.
    # As characters: A codes [0, 25), B codes [0, 20) + [25, 35).
    data = two_coder_text(50, [(0, 25)], [(0, 20), (25, 35)])
    assert agreement(data).by_code.loc[0, "kappa"] == pytest.approx(0.4)


def test_alpha_character_level_published_binary_example():
    a = [(i, i + 1) for i, v in enumerate(KRIPP_OBS_C) if v]
    b = [(i, i + 1) for i, v in enumerate(KRIPP_OBS_K) if v]
    row = agreement(two_coder_text(10, a, b)).by_code.iloc[0]
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
    by_code = agreement(data).by_code.set_index("code_id")
    assert round(by_code.loc["C1", "alpha_presence"], 3) == 0.095
    # presence kappa by hand: p_o = 6/10, p_A = 0.2, p_B = 0.4, p_e = 0.08 + 0.48 = 0.56
    assert by_code.loc["C1", "presence_kappa"] == pytest.approx((0.6 - 0.56) / (1 - 0.56))
    assert by_code.loc["C3", "presence_kappa"] != by_code.loc["C3", "presence_kappa"]  # NaN
    assert by_code.loc["C1", "interviews"] == 10


def test_agreement_only_uses_double_coded_transcripts(small):
    res = agreement(small)
    assert set(res.by_transcript["interview_id"]) == {"i1"}
    assert res.coders == ("coder_1", "coder_2")
    with pytest.raises(ValidationError,
                       match=r"agreement needs two coders; codings has 1 \(coder_1\)"):
        agreement(QualData(small.interviews, small.codebook,
                             small.codings[small.codings["coder"] == "coder_1"],
                             small.transcripts))


def test_pooled_agreement_sums_transcripts():
    ivs = [("a", "patient", "P001"), ("b", "patient", "P002")]
    rows = [("a", "C1", 0, 40, "coder_1"), ("a", "C1", 10, 40, "coder_2"),
            ("b", "C1", 0, 10, "coder_1"), ("b", "C1", 50, 60, "coder_2")]
    res = agreement(qual(ivs, rows, {"a": words(100), "b": words(100)}))
    pooled = res.by_code.iloc[0]
    assert (pooled["length"], pooled["a"], pooled["b"], pooled["both"]) == (200, 50, 40, 30)
    assert pooled["kappa"] == pytest.approx(cohen_kappa_characters(200, 50, 40, 30))
