"""Tests of integration.cases: joins of interviewed patients to their trial outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from integration_builders import CODEBOOK, make_qual, row_of, speaker_of

from wave_analysis.design import INTERVENTION_ARM, age_band
from wave_analysis.exceptions import ArgumentError
from wave_analysis.integration.cases import case_matrix
from wave_analysis.integration.joint_display import joint_display
from wave_analysis.qualitative.interviewees import speaker_labels
from wave_analysis.trial import outcomes


def test_age_band_edges():
    assert [age_band(a) for a in (18, 34, 35, 49, 50, 90)] == \
        ["18-34", "18-34", "35-49", "35-49", "50+", "50+"]
    assert age_band(np.nan) is None
    with pytest.raises(ArgumentError, match="age 16 is below 18: the trial recruited adults only"):
        age_band(16)


@pytest.mark.slow  # over half a second: make test, not make quick
def test_case_matrix_one_row_per_patient(cases):
    # I01 and I03 are one patient; I04, I06 and I02 the others; the employer is not a case
    assert len(cases.table) == 4
    assert cases.table["speaker"].tolist() == sorted(cases.table["speaker"])
    assert all(s.startswith("Patient ") for s in cases.table["speaker"])


def test_case_matrix_joins_outcomes(trial, vs_ids, qual, cases):
    speaker = speaker_of(qual, vs_ids[1])
    row = row_of(cases, speaker)
    days = outcomes.days_absent(trial).set_index("participant_id")["days_absent"]
    rt = outcomes.return_times(trial, definition="first").set_index("participant_id")
    expected_days = days[vs_ids[1]]
    assert (np.isnan(row["days_absent"]) and np.isnan(expected_days)) or \
        row["days_absent"] == expected_days
    assert row["rtw_days"] == rt.loc[vs_ids[1], "duration"]
    assert bool(row["rtw_event"]) == bool(rt.loc[vs_ids[1], "event"])
    contacts = int((trial.vsw_contacts["participant_id"] == vs_ids[1]).sum())
    assert row["vsw_contacts"] == contacts
    person = trial.participants.set_index("participant_id").loc[vs_ids[1]]
    assert row["sex"] == person["sex"] and row["condition_group"] == person["condition_group"]
    assert row["age_band"] == age_band(person["age"])
    assert row["arm"] == INTERVENTION_ARM and row["in_trial"]


def test_patient_interviewed_twice_sums_segments(qual, vs_ids, cases):
    labels = speaker_labels(qual.interviews).to_numpy()
    speaker = set(labels[(qual.interviews["participant_id"] == vs_ids[0]).to_numpy()])
    assert len(speaker) == 1
    row = row_of(cases, speaker.pop())
    # coder_1: I01 has one T1 segment and one T2 segment, I03 one T2 segment
    assert row["segments_T1"] == 1 and row["segments_T2"] == 2
    assert row["present_T1"] and row["present_T2"] and not row["present_T3"]


def test_interviewee_without_trial_record_keeps_row_with_note(qual, cases):
    speaker = speaker_of(qual, "SYN-9999")
    row = row_of(cases, speaker)
    assert not row["in_trial"]
    assert np.isnan(row["days_absent"]) and pd.isna(row["arm"]) and pd.isna(row["practice"])
    assert row["segments_T1"] == 1  # themes are still there
    assert any(speaker in n and "not found in the trial" in n for n in cases.notes)


def test_uncoded_patient_and_silent_theme(qual, vs_ids, cases):
    speaker = speaker_of(qual, vs_ids[2])
    row = row_of(cases, speaker)
    assert row["segments_T1"] == row["segments_T2"] == 0
    assert any("not coded by coder_1" in n and speaker in n for n in cases.notes)
    assert not cases.table["present_T3"].any() and (cases.table["segments_T3"] == 0).all()
    assert any("theme T3" in n for n in cases.notes)


def test_patient_without_participant_id_is_noted(trial):
    q = make_qual([("I1", "patient", None)], [("I1", "T1", 0, 5, "coder_1")])
    cm = case_matrix(trial, q)
    assert len(cm.table) == 1 and not cm.table["in_trial"].iloc[0]
    assert any("without a trial participant id" in n for n in cm.notes)


def test_other_coder_counts_only_their_segments(trial, qual):
    cm = case_matrix(trial, qual, coder="coder_2")
    assert cm.table["segments_T2"].sum() == 1 and cm.table["segments_T1"].sum() == 0
    with pytest.raises(ArgumentError, match="coder must be one of coder_1, coder_2; got 'coder_9'"):
        case_matrix(trial, qual, coder="coder_9")


def test_case_matrix_at_code_level(trial, qual, vs_ids):
    cm = case_matrix(trial, qual, level="code")
    assert cm.level == "code"
    assert cm.themes["theme_id"].tolist() == CODEBOOK["code_id"].tolist()
    row = row_of(cm, speaker_of(qual, vs_ids[1]))
    # I02: one T2.1 segment and one segment coded directly at T2
    assert row["segments_T2_1"] == 1 and row["segments_T2"] == 1
    with pytest.raises(ArgumentError,
                       match="level must be one of theme, subtheme, code; got 'topic'"):
        case_matrix(trial, qual, level="topic")


def test_presence_and_segments_views(cases):
    pres = cases.presence()
    assert list(pres.columns) == ["Self-efficacy", "Obstacles", "Nobody mentions this"]
    assert pres.to_numpy().dtype == bool
    assert (cases.segments().to_numpy() > 0).tolist() == pres.to_numpy().tolist()


def test_same_case_matrix_from_qdpx(tmp_path, trial, qual, cases):
    from wave_analysis.data import qdpx

    path = qdpx.write_qdpx(qual, tmp_path / "project.qdpx")
    again = qdpx.read_qdpx(path).to_qualdata()
    cm = case_matrix(trial, again)
    pd.testing.assert_frame_equal(cm.table, cases.table)


def test_outputs_are_deterministic(trial, qual):
    a = case_matrix(trial, qual).table.to_csv(index=False)
    b = case_matrix(trial, qual).table.to_csv(index=False)
    assert a == b
    ja = joint_display(trial, qual).to_markdown()
    assert ja == joint_display(trial, qual).to_markdown()
