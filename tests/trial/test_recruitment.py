"""Tests for wave_analysis.trial.recruitment: CONSORT counts, recruitment tables, feasibility
RAG (the figures: test_trial_plots.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from wave_analysis.config import SYNTHETIC_DIR
from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS
from wave_analysis.exceptions import ArgumentError, ValidationError, WaveError
from wave_analysis.trial import recruitment as rc


@pytest.fixture(scope="module")
def trial():
    """The bundled export when present, else the same cohort generated in memory."""
    if (SYNTHETIC_DIR / "participants.csv").is_file():
        from wave_analysis.data import load as io

        return io.load_trial(SYNTHETIC_DIR)
    from wave_analysis.synthetic import trial as synthetic

    return synthetic.make_trial()


def _b(values):
    return pd.array(values, dtype="boolean")


def small_trial() -> TrialData:
    """10 invitations whose every CONSORT count is known by construction:
    3 no reply; 1 replied but not assessed; 2 not eligible (no_fit_note, missing reason);
    1 declined; 1 eligible, consent not recorded; 2 randomised (P1 usual care, P2 vocational)."""
    screening = pd.DataFrame({
        "invitation_id": [f"I{i}" for i in range(10)],
        "practice_id": ["A", "A", "A", "B", "B", "B", "A", "B", "A", "B"],
        "invitation_date": pd.to_datetime(["2022-01-03"] * 5 + ["2022-02-10"] * 5),
        "responded": _b([False, False, False, True, True, True, True, True, True, True]),
        "eligible": _b([None, None, None, None, False, False, True, True, True, True]),
        "ineligible_reason": [None, None, None, None, "no_fit_note", None, None, None, None,
                              None],
        "consented": _b([None, None, None, None, None, None, False, None, True, True]),
        "participant_id": [None] * 8 + ["P1", "P2"],
    })
    participants = pd.DataFrame({
        "participant_id": ["P1", "P2"], "practice_id": ["A", "B"], "arm": list(ARMS),
        "randomisation_date": pd.to_datetime(["2022-01-20", "2022-03-01"]),
    })
    sms = pd.DataFrame({"participant_id": ["P1", "P1", "P2"], "fortnight": [1, 2, 1],
                        "sent_date": pd.to_datetime(["2022-02-03", None, "2022-03-15"]),
                        "reply_date": pd.to_datetime(["2022-02-04", None, None]),
                        "days_off": pd.array([3, None, None], dtype="Int64")})
    contacts = pd.DataFrame({"contact_id": ["C1", "C2"], "participant_id": ["P2", "P2"],
                             "contact_date": pd.to_datetime(["2022-03-05", "2022-03-20"]),
                             "mode": ["phone", "video"], "minutes": [40, 20], "step": [1, 2]})
    withdrawals = pd.DataFrame({"participant_id": ["P1"],
                                "withdrawal_date": pd.to_datetime(["2022-04-01"]),
                                "withdrawal_type": ["lost_to_follow_up"],
                                "data_retained": _b([True])})
    practices = pd.DataFrame({"practice_id": ["A", "B", "C"]})
    return TrialData(practices=practices, screening=screening, participants=participants,
                     sms=sms, questionnaires=pd.DataFrame(), vsw_contacts=contacts,
                     withdrawals=withdrawals)


PRIMARY_SMALL = pd.DataFrame({"participant_id": ["P1", "P2"], "days_absent": [10.0, np.nan]})


def test_small_flow_every_count_known():
    flow = rc.consort_flow(small_trial(), primary=PRIMARY_SMALL)
    assert (flow.invited, flow.responded, flow.not_responded) == (10, 7, 3)
    assert (flow.not_assessed, flow.assessed, flow.excluded) == (1, 6, 4)
    assert flow.ineligible["no_fit_note"] == 1 and flow.ineligible["not_recorded"] == 1
    assert sum(flow.ineligible.values()) == 2
    assert (flow.declined, flow.other_excluded, flow.randomised) == (1, 1, 2)
    assert flow.allocated == {"usual_care": 1, "vocational_support": 1}
    assert flow.received == {"usual_care": 0, "vocational_support": 1}
    assert flow.withdrawn["usual_care"] == {"withdrew": 0, "lost_to_follow_up": 1, "died": 0}
    assert sum(flow.withdrawn["vocational_support"].values()) == 0
    assert flow.analysed == {"usual_care": 1, "vocational_support": 0}
    assert flow.not_analysed("vocational_support") == 1


def test_small_flow_table_is_tidy_and_consistent():
    frame = rc.consort_flow(small_trial(), primary=PRIMARY_SMALL).to_frame()
    assert list(frame.columns) == ["stage", "arm", "n", "detail"]
    get = frame.set_index(["stage", "arm", "detail"])["n"]
    assert get[("excluded", "all", "total")] == 4
    assert get[("excluded", "all", "not_eligible:no_fit_note")] == 1
    assert get[("withdrawn_or_lost", "usual_care", "lost_to_follow_up")] == 1
    assert get[("not_received_intervention", "vocational_support", "no VSW contact")] == 0
    # boxes add up: assessed = excluded + randomised
    assert get[("assessed", "all", "total")] == (get[("excluded", "all", "total")]
                                                 + get[("randomised", "all", "total")])


def test_synthetic_flow_matches_independent_pandas(trial):
    from wave_analysis.trial import outcomes

    flow = rc.consort_flow(trial)
    s, p = trial.screening, trial.participants
    assert flow.invited == len(s)
    assert flow.responded == int((s["responded"] == True).sum())  # noqa: E712
    assert flow.declined == int(((s["eligible"] == True) & (s["consented"] == False)).sum())  # noqa: E712
    counts = s.loc[(s["eligible"] == False), "ineligible_reason"].value_counts()  # noqa: E712
    for reason, n in counts.items():
        assert flow.ineligible[reason] == n
    assert flow.allocated == p["arm"].value_counts().to_dict()
    contacted = p[p["participant_id"].isin(set(trial.vsw_contacts["participant_id"]))]
    assert flow.received["vocational_support"] == (contacted["arm"] == "vocational_support").sum()
    d = outcomes.days_absent(trial)
    assert flow.analysed == d.dropna(subset=["days_absent"])["arm"].value_counts().to_dict()
    w = trial.withdrawals.merge(p, on="participant_id")
    for (arm, kind), n in w.groupby(["arm", "withdrawal_type"]).size().items():
        assert flow.withdrawn[arm][kind] == n
    assert flow.assessed == flow.excluded + flow.randomised


def test_broken_links_are_all_reported():
    t = small_trial()
    s = t.screening.copy()
    s.loc[9, "participant_id"] = "P9"  # unknown id, and P2 now has no invitation
    bad = dataclasses.replace(t, screening=s, vsw_contacts=t.vsw_contacts.assign(
        participant_id=["P2", "PX"]))
    with pytest.raises(ValidationError, match="P9") as err:
        rc.consort_flow(bad, primary=PRIMARY_SMALL)
    text = str(err.value)
    assert "PX" in text or "and" in text
    values = {p.value for p in err.value.problems}
    assert {"P9", "P2", "PX"} <= values


def test_missing_column_is_named():
    t = small_trial()
    with pytest.raises(WaveError, match="screening: missing column.*consented"):
        rc.consort_flow(dataclasses.replace(t, screening=t.screening.drop(columns="consented")),
                        primary=PRIMARY_SMALL)


def test_recruitment_by_practice_small():
    out = rc.recruitment_by_practice(small_trial(), total=True).set_index("practice_id")
    assert out.loc["A", "invited"] == 5 and out.loc["B", "invited"] == 5
    assert out.loc["A", "responded"] == 2 + 0 and out.loc["B", "responded"] == 5
    assert out.loc["A", "randomised"] == 1
    assert out.loc["A", "randomised_per_1000_invited"] == pytest.approx(200.0)
    assert out.loc["C", "invited"] == 0 and np.isnan(out.loc["C", "response_rate"])
    assert out.loc["All practices", "randomised"] == 2
    assert out.loc["All practices", "response_rate"] == pytest.approx(7 / 10)


def test_recruitment_by_practice_synthetic(trial):
    out = rc.recruitment_by_practice(trial)
    expected = trial.screening.groupby("practice_id")["responded"].agg(["size", "sum"])
    got = out.set_index("practice_id")
    assert (got.loc[expected.index, "invited"] == expected["size"]).all()
    assert (got.loc[expected.index, "responded"] == expected["sum"]).all()
    assert got["randomised"].sum() == len(trial.participants)


def test_recruitment_by_month_small_fills_gaps():
    out = rc.recruitment_by_month(small_trial())
    assert out["month"].tolist() == ["2022-01", "2022-02", "2022-03"]
    assert out["randomised"].tolist() == [1, 0, 1]
    assert out["cumulative_randomised"].tolist() == [1, 1, 2]
    assert out["invited"].tolist() == [5, 5, 0]
    assert out["randomised_vocational_support"].tolist() == [0, 0, 1]


def test_recruitment_by_month_synthetic(trial):
    out = rc.recruitment_by_month(trial)
    months = trial.participants["randomisation_date"].dt.strftime("%Y-%m").value_counts()
    got = out.set_index("month")["randomised"]
    assert (got.loc[months.index] == months).all()
    assert out["cumulative_randomised"].iloc[-1] == len(trial.participants)


@pytest.mark.parametrize(("value", "status"), [(1.0, "green"), (0.99, "amber"), (0.5, "amber"),
                                               (0.4999, "red"), (2.0, "green"), (0.0, "red")])
def test_rag_boundaries_inclusive(value, status):
    assert rc.rag_status(value, green=1.0, amber=0.5) == status


@pytest.mark.parametrize(("value", "status"), [(0.05, "green"), (0.06, "amber"), (0.1, "amber"),
                                               (0.11, "red")])
def test_rag_lower_is_better(value, status):
    assert rc.rag_status(value, green=0.05, amber=0.1, higher_is_better=False) == status


def test_rag_bad_thresholds_and_values():
    with pytest.raises(ArgumentError, match=r"green must be at least amber \(0.8\) when higher is "
                                            "better; got 0.5"):
        rc.rag_status(0.7, green=0.5, amber=0.8)
    with pytest.raises(ArgumentError, match=r"green must be at most amber \(0.1\) when lower is "
                                            "better; got 0.2"):
        rc.rag_status(0.7, green=0.2, amber=0.1, higher_is_better=False)
    with pytest.raises(ArgumentError, match="green must be a finite number; got nan"):
        rc.rag_status(0.7, green=np.nan, amber=0.5)
    with pytest.raises(ArgumentError, match="amber must be a finite number; got '0.5'"):
        rc.rag_status(0.7, green=0.8, amber="0.5")
    with pytest.raises(ArgumentError, match="value must be a finite number; got nan .check that "
                                            "the data behind the criterion are not empty"):
        rc.rag_status(np.nan, green=0.8, amber=0.5)


def test_feasibility_names_the_threshold_argument():
    with pytest.raises(ArgumentError, match=r"engagement_green must be at least engagement_amber "
                                            r"\(0.6\) when higher is better; got 0.4"):
        rc.feasibility(small_trial(), engagement_green=0.4)
    with pytest.raises(ArgumentError, match="sms_reply_amber must be a finite number; got inf"):
        rc.feasibility(small_trial(), sms_reply_amber=np.inf)


def test_feasibility_small_known_values():
    crit = {c.name: c for c in rc.feasibility(small_trial(), sms_reply_green=0.9,
                                              sms_reply_amber=0.4)}
    assert crit["engagement"].value == 1.0 and crit["engagement"].status == "green"
    # 2 sent SMS (one unsent after withdrawal), 1 replied
    assert (crit["sms reply rate"].numerator, crit["sms reply rate"].denominator) == (1, 2)
    assert crit["sms reply rate"].status == "amber"
    # A and B both first invite on 2022-01-03 (C never): to the last randomisation on
    # 2022-03-01 that is 57 days + the end day, twice
    months = 2 * (57 + 1) / (365.25 / 12)
    assert crit["recruitment rate"].value == pytest.approx(2 / months)
    assert crit["recruitment rate"].status == "amber"


def test_feasibility_synthetic_independent(trial):
    crit = {c.name: c for c in rc.feasibility(trial)}
    vs = trial.participants.query("arm == 'vocational_support'")["participant_id"]
    engaged = vs.isin(trial.vsw_contacts["participant_id"]).mean()
    assert crit["engagement"].value == pytest.approx(engaged)
    sent = trial.sms.dropna(subset=["sent_date"])
    assert crit["sms reply rate"].value == pytest.approx(sent["reply_date"].notna().mean())
    frame = rc.criteria_frame(crit.values())
    assert set(frame["status"]) <= set(rc.RAG_STATUSES)
    assert list(frame.columns[:5]) == ["name", "value", "green", "amber", "status"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        crit["engagement"].value = 0.0

