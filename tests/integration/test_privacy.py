"""Tests of integration.privacy: practice labels and no identifier in any output."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from wave_analysis.config import REPO_ROOT, SYNTHETIC_DIR
from wave_analysis.integration.cases import case_matrix, theme_table
from wave_analysis.integration.display import style_case_matrix
from wave_analysis.integration.findings import quantitative_findings
from wave_analysis.integration.inferences import read_inferences
from wave_analysis.integration.joint_display import joint_display
from wave_analysis.integration.privacy import find_identifiers, practice_labels
from wave_analysis.integration.representativeness import representativeness
from wave_analysis.integration.theme_outcomes import theme_outcomes


def test_practice_labels_sorted_letters():
    labels = practice_labels(["P3", "P1", "P2", "P1", None])
    assert labels == {"P1": "Practice A", "P2": "Practice B", "P3": "Practice C"}
    many = practice_labels([f"P{i:02d}" for i in range(28)])
    assert many["P25"] == "Practice Z" and many["P26"] == "Practice AA"


def shared_outputs(trial, qual, cases, joint):
    rep = representativeness(trial, qual)
    res = theme_outcomes(cases)
    return {"case_matrix": cases.table, "joint": joint.table,
            "joint_display": joint.display_frame(),
            "joint_md": joint.to_markdown(), "joint_html": joint.to_html(),
            "theme_outcomes": res.table, "theme_points": res.points, "rep": rep.table,
            "rep_wide": rep.wide(), "findings": quantitative_findings(trial),
            "styled": style_case_matrix(cases).to_html()}


def test_outputs_carry_no_identifiers(trial, qual, cases, joint):
    for name, out in shared_outputs(trial, qual, cases, joint).items():
        text = out if isinstance(out, str) else out.to_csv(index=False) + " ".join(out.columns)
        assert "SYN-" not in text, name
        assert ".txt" not in text, name
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), name
        assert find_identifiers(out, trial=trial, qual=qual) == [], name


def test_find_identifiers_catches_planted_ids(trial, qual, vs_ids):
    frame = pd.DataFrame({"a": [vs_ids[0], "I03.txt", "2023-03-01", "XI05"]})
    found = find_identifiers(frame, trial=trial, qual=qual)
    assert vs_ids[0] in found and "I03.txt" in found and "2023-03-01" in found
    assert "I05" not in found  # only part of a longer token
    assert find_identifiers("Patient 01 in Practice A", trial=trial, qual=qual) == []


@pytest.mark.skipif(not (SYNTHETIC_DIR / "interviews.csv").is_file(),
                    reason="data/synthetic has no qualitative tables yet")
def test_synthetic_export_integrates():
    from wave_analysis.data import load as io

    trial = io.load_trial(SYNTHETIC_DIR)
    qual = io.load_qualitative(SYNTHETIC_DIR, trial=trial)
    cm = case_matrix(trial, qual)
    n_patients = qual.interviews.loc[qual.interviews["stakeholder_group"] == "patient",
                                     "participant_id"].nunique()
    assert len(cm.table) == n_patients and cm.table["in_trial"].all()
    themes = theme_table(qual)["theme_id"].tolist()
    inf = read_inferences(REPO_ROOT / "data" / "joint_display_inferences.yaml",
                             theme_ids=themes)
    jd = joint_display(trial, qual, inferences=inf, cases=cm)
    for out in (cm.table, jd.display_frame(), representativeness(trial, qual).wide()):
        assert find_identifiers(out, trial=trial, qual=qual) == []
