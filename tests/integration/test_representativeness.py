"""Tests of integration.representativeness."""

from __future__ import annotations

import pytest
from integration_builders import make_qual

from wave_analysis.design import CONTROL_ARM
from wave_analysis.integration.representativeness import COMPARISON_GROUPS, representativeness


def test_representativeness_groups(trial, qual, vs_ids):
    rep = representativeness(trial, qual)
    t = rep.table
    sex = t[t["characteristic"] == "Sex"].groupby("comparison")["denominator"].first()
    n_vs = len(vs_ids)
    assert sex["interviewed"] == 3  # vs0, vs1, vs2; SYN-9999 is not in the trial
    assert sex["other_intervention"] == n_vs - 3
    assert sex[CONTROL_ARM] == int((trial.participants["arm"] == CONTROL_ARM).sum())
    assert any("not in the trial" in n for n in rep.notes)
    interviewed = trial.participants.set_index("participant_id").loc[vs_ids[:3]]
    female = t[(t["characteristic"] == "Sex") & (t["level"] == "female")
               & (t["comparison"] == "interviewed")]
    assert female["n"].iloc[0] == int((interviewed["sex"] == "female").sum())
    age = t[(t["characteristic"] == "Age (years)") & (t["comparison"] == "interviewed")]
    assert age["mean"].iloc[0] == pytest.approx(interviewed["age"].astype(float).mean())
    wide = rep.wide()
    assert list(wide.columns[2:]) == list(COMPARISON_GROUPS.values())


def test_participant_without_interview_moves_to_rest_of_arm(trial, vs_ids):
    q = make_qual([("I1", "patient", vs_ids[0])], [("I1", "T1", 0, 5, "coder_1")])
    sex = representativeness(trial, q).table.query("characteristic == 'Sex'") \
        .groupby("comparison")["denominator"].first()
    assert sex["interviewed"] == 1 and sex["other_intervention"] == len(vs_ids) - 1
