"""Tests of integration.joint_display: counts, exemplars, findings, inferences, exports."""

from __future__ import annotations

import pandas as pd
import pytest
from integration_builders import SHORT, make_qual, speaker_of

from wave_analysis.exceptions import ArgumentError
from wave_analysis.integration.findings import quantitative_findings
from wave_analysis.integration.inferences import NOT_ASSESSED
from wave_analysis.integration.joint_display import QUOTE_MAX, joint_display
from wave_analysis.outputs import save_table


def test_joint_display_counts_by_group(joint):
    t = joint.table.set_index("theme_id")
    # patients: keys vs0 (I01+I03), vs1, SYN-9999, vs2 -> 4 interviewees
    assert (t["patient_of"] == 4).all()
    assert t.loc["T1", "patient_n"] == 2  # vs0 (I01) and SYN-9999 (I04)
    assert t.loc["T2", "patient_n"] == 2  # vs0, vs1
    assert t.loc["T3", "patient_n"] == 0
    assert t.loc["T1", "employer_n"] == 1 and t.loc["T1", "employer_of"] == 1
    assert t.loc["T1", "patient_share"] == pytest.approx(0.5)


def test_joint_display_missing_groups_and_silent_theme(joint):
    t = joint.table.set_index("theme_id")
    for g in ("vsw", "gp"):
        assert (t[f"{g}_n"] == 0).all() and (t[f"{g}_of"] == 0).all()
        assert t[f"{g}_share"].isna().all()
    assert any("no VSW interviews" in n for n in joint.notes)
    assert any("theme T3" in n for n in joint.notes)
    assert t.loc["T3", "exemplar_quote"] == ""
    assert "no coded segment" in joint.display_frame().set_index("Theme").loc[
        "Nobody mentions this", "Exemplar quote"]


def test_exemplar_is_longest_patient_segment_under_limit(joint, qual, vs_ids):
    t = joint.table.set_index("theme_id")
    # T1: the employer's segment is longer but over 300 characters; patients come first anyway;
    # among patient T1 segments (41 chars in I01, 15 in I04) the longest wins
    assert t.loc["T1", "exemplar_quote"] == SHORT
    assert t.loc["T1", "exemplar_speaker"] == speaker_of(qual, vs_ids[0])
    # T2: segments [0,20), [5,30), [0,10), [2,12) -> the 25-character one
    assert t.loc["T2", "exemplar_quote"] == SHORT[5:30]


def test_exemplar_falls_back_to_shortest_cut(trial):
    text = ("word " * 100).strip()
    q = make_qual([("I1", "vsw", None)], [("I1", "T1", 0, 400, "coder_1"),
                                          ("I1", "T1", 0, 350, "coder_1")],
                  texts={"I1": text})
    jd = joint_display(trial, q)
    quote = jd.table.set_index("theme_id").loc["T1", "exemplar_quote"]
    assert quote.endswith(" …") and len(quote) <= QUOTE_MAX + 2
    assert text.startswith(quote[:-2])


def test_joint_display_inference_and_finding(joint, trial):
    t = joint.table.set_index("theme_id")
    assert t.loc["T1", "meta_inference"] == "confirms" and t.loc["T1", "inference_note"] == "fits"
    assert t.loc["T2", "meta_inference"] == NOT_ASSESSED
    summary = quantitative_findings(trial).set_index("finding").loc["rtwse_change", "summary"]
    assert summary in t.loc["T1", "quantitative_finding"]
    assert t.loc["T2", "quantitative_finding"] == "not linked"


def test_joint_display_rejects_unknown_theme(trial, qual):
    with pytest.raises(ArgumentError, match=r"inferences must be keyed by themes of the "
                       r"codebook; got \['T9'\] \(themes: T1, T2, T3\)"):
        joint_display(trial, qual, inferences={"T9": {"inference": "confirms"}})


def test_joint_display_csv_round_trips(tmp_path, joint):
    # saved the way notebook 07 saves it: every computed column as CSV through save_table
    paths = save_table(joint.to_frame(), "jd", folder=tmp_path, formats=("csv",))
    assert [p.name for p in paths] == ["jd.csv"]
    back = pd.read_csv(tmp_path / "jd.csv")
    assert back["theme_id"].tolist() == joint.table["theme_id"].tolist()
    assert back.columns.tolist() == joint.table.columns.tolist()


def test_joint_display_exports(joint):
    md = joint.to_markdown()
    assert md.count("\n") == len(joint.table) + 2
    assert "| Self-efficacy |" in md
    html = joint.to_html()
    assert html.count("<tr") == len(joint.table) + 1
