"""Tests of integration.findings against plain pandas on the trial tables."""

from __future__ import annotations

import pytest

from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.integration.findings import FINDINGS, quantitative_findings


def test_rtwse_change_matches_plain_pandas(trial):
    f = quantitative_findings(trial).set_index("finding")
    q = trial.questionnaires
    m = (q.loc[q["timepoint"] == "6m", ["participant_id", "rtwse"]]
         .merge(trial.participants[["participant_id", "arm", "rtwse"]], on="participant_id",
                suffixes=("_6m", "_0")).dropna(subset=["rtwse_6m", "rtwse_0"]))
    change = (m["rtwse_6m"] - m["rtwse_0"]).groupby(m["arm"]).mean()
    assert f.loc["rtwse_change", f"value_{INTERVENTION_ARM}"] == \
        pytest.approx(change[INTERVENTION_ARM])
    assert f.loc["rtwse_change", f"value_{CONTROL_ARM}"] == pytest.approx(change[CONTROL_ARM])
    assert f.loc["rtwse_change", "difference"] == \
        pytest.approx(change[INTERVENTION_ARM] - change[CONTROL_ARM])
    assert set(f.index) == set(FINDINGS)


def test_vsw_contacts_finding(trial):
    f = quantitative_findings(trial).set_index("finding").loc["vsw_contacts"]
    per = trial.vsw_contacts.groupby("participant_id").size()
    assert f[f"value_{INTERVENTION_ARM}"] == pytest.approx(per.mean())
    assert f[f"n_{INTERVENTION_ARM}"] == per.size
    assert f"range {per.min()}-{per.max()}" in f["summary"]
