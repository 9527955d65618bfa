"""Tests for wave_analysis.trial.delivery: dose, mode, minutes, timing and steps of VSW support."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from wave_analysis.config import SYNTHETIC_DIR
from wave_analysis.data.model import TrialData
from wave_analysis.exceptions import ArgumentError, ValidationError, WaveError
from wave_analysis.trial import delivery as dl


@pytest.fixture(scope="module")
def trial():
    if (SYNTHETIC_DIR / "participants.csv").is_file():
        from wave_analysis.data import load as io

        return io.load_trial(SYNTHETIC_DIR)
    from wave_analysis.synthetic import trial as synthetic

    return synthetic.make_trial()


def small_trial() -> TrialData:
    """Intervention arm V1 (3 contacts), V2 (1), V3 (none); U1 in usual care with 1 contact."""
    participants = pd.DataFrame({
        "participant_id": ["V1", "V2", "V3", "U1"],
        "arm": ["vocational_support"] * 3 + ["usual_care"],
        "randomisation_date": pd.to_datetime(["2022-01-01", "2022-01-10", "2022-02-01",
                                              "2022-01-01"]),
    })
    contacts = pd.DataFrame({
        "contact_id": ["C1", "C2", "C3", "C4", "C5"],
        "participant_id": ["V1", "V1", "V1", "V2", "U1"],
        "contact_date": pd.to_datetime(["2022-01-11", "2022-01-04", "2022-01-30", "2022-01-31",
                                        "2022-01-05"]),
        "mode": ["phone", "phone", "video", "phone", "phone"],
        "minutes": pd.array([30, 60, 15, 45, 20], dtype="Int64"),
        "step": pd.array([2, 1, 3, 1, 1], dtype="Int64"),
    })
    empty = pd.DataFrame()
    return TrialData(practices=empty, screening=empty, participants=participants, sms=empty,
                     questionnaires=empty, vsw_contacts=contacts, withdrawals=empty)


def test_per_participant_small():
    pp = dl.per_participant(small_trial()).set_index("participant_id")
    assert pp.index.tolist() == ["V1", "V2", "V3"]
    assert pp["contacts"].tolist() == [3, 1, 0]
    assert pp["minutes_total"].tolist() == [105, 45, 0]
    assert pp.loc["V1", "days_to_first_contact"] == 3  # earliest contact, not the first row
    assert pp.loc["V2", "days_to_first_contact"] == 21
    assert np.isnan(pp.loc["V3", "days_to_first_contact"])
    assert pp["highest_step"].tolist() == [3, 1, 0]


def test_summary_small_against_numpy():
    s = dl.delivery_summary(small_trial())
    assert (s.allocated, s.contacted, s.not_contacted, s.contacts) == (3, 2, 1, 4)
    assert s.contacts_other_arms == 1
    st = s.stats.set_index(["measure", "population"])
    row = st.loc[("contacts per participant", "allocated")]
    assert row["mean"] == pytest.approx(np.mean([3, 1, 0]))
    assert row["sd"] == pytest.approx(np.std([3, 1, 0], ddof=1))
    assert (row["min"], row["max"], row["median"]) == (0, 3, 1)
    row = st.loc[("contacts per participant", "contacted")]
    assert row["mean"] == 2 and row["n"] == 2
    row = st.loc[("minutes per contact", "contacts")]
    assert row["mean"] == pytest.approx(np.mean([30, 60, 15, 45]))
    assert row["q1"] == pytest.approx(np.percentile([30, 60, 15, 45], 25))
    assert st.loc[("days to first contact", "contacted"), "median"] == 12
    frame = s.to_frame()
    assert {"measure", "population", "n", "mean", "sd"} <= set(frame.columns)


def test_modes_and_steps_small():
    modes = dl.mode_shares(small_trial()).set_index("mode")
    assert modes.loc["phone", "contacts"] == 3 and modes.loc["video", "contacts"] == 1
    assert modes.loc["phone", "share_of_contacts"] == pytest.approx(0.75)
    assert modes.loc["video", "minutes_mean"] == 15
    assert modes.loc["phone", "participants"] == 2
    steps = dl.steps_reached(small_trial()).set_index("step")
    assert steps["participants"].tolist() == [1, 1, 0, 1]
    assert steps.loc[2, "reached_at_least"] == pytest.approx(1 / 3)
    assert steps["share"].sum() == pytest.approx(1.0)


def test_synthetic_against_independent_pandas(trial):
    p, c = trial.participants, trial.vsw_contacts
    vs = p.loc[p["arm"] == "vocational_support", "participant_id"]
    per = c.groupby("participant_id").size().reindex(vs, fill_value=0)
    s = dl.delivery_summary(trial)
    st = s.stats.set_index(["measure", "population"])
    assert s.allocated == len(vs) and s.not_contacted == int((per == 0).sum())
    assert st.loc[("contacts per participant", "allocated"), "mean"] == pytest.approx(per.mean())
    assert st.loc[("contacts per participant", "allocated"), "sd"] == pytest.approx(per.std())
    seen = per[per > 0]
    assert st.loc[("contacts per participant", "contacted"), "max"] == seen.max()
    first = (c.groupby("participant_id")["contact_date"].min()
             - p.set_index("participant_id")["randomisation_date"]).dropna().dt.days
    assert st.loc[("days to first contact", "contacted"), "median"] == first.median()
    modes = dl.mode_shares(trial).set_index("mode")
    assert modes["contacts"].sum() == len(c)
    assert modes.loc["video", "share_of_contacts"] == pytest.approx((c["mode"] == "video").mean())
    steps = dl.steps_reached(trial)
    highest = c.groupby("participant_id")["step"].max().reindex(vs, fill_value=0)
    assert steps.set_index("step")["participants"].to_dict() == {
        k: int((highest == k).sum()) for k in range(4)}


def test_bad_links_are_reported_together():
    t = small_trial()
    c = t.vsw_contacts.copy()
    c.loc[0, "participant_id"] = "ZZ"
    c.loc[1, "contact_date"] = pd.Timestamp("2021-12-25")
    with pytest.raises(ValidationError, match="2 validation problems") as err:
        dl.per_participant(dataclasses.replace(t, vsw_contacts=c))
    assert {p.column for p in err.value.problems} == {"participant_id", "contact_date"}
    assert "C2: 2021-12-25" in str(err.value)


def test_unknown_or_empty_arm_and_missing_column():
    t = small_trial()
    with pytest.raises(ArgumentError, match="arm must be one of usual_care, vocational_support; "
                                            "got 'other'"):
        dl.per_participant(t, arm="other")
    with pytest.raises(ArgumentError, match="arm must be one of .*; got 'other'"):
        dl.mode_shares(t, arm="other")
    no_control = dataclasses.replace(t, participants=t.participants.iloc[:3],
                                     vsw_contacts=t.vsw_contacts.iloc[:4])
    with pytest.raises(WaveError, match="no participant is allocated to arm 'usual_care'; arms "
                                        "present: vocational_support"):
        dl.per_participant(no_control, arm="usual_care")
    with pytest.raises(WaveError, match="vsw_contacts: missing column.*minutes"):
        dl.delivery_summary(dataclasses.replace(t, vsw_contacts=t.vsw_contacts.drop(
            columns="minutes")))

