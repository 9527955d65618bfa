"""Tests for wave_analysis.trial.outcomes: outcome rules on hand-made SMS matrices and the
single definitions of SMS answered/replied, VSW contacts and receipt on hand-built tables (each
expected value worked out by hand)."""

import numpy as np
import pandas as pd
import pytest

from wave_analysis.data.model import TrialData
from wave_analysis.exceptions import ArgumentError
from wave_analysis.trial import outcomes
from wave_analysis.trial.outcomes import days_absent_from_matrix, return_intervals

N = np.nan


def row(*values):
    return np.array([values], dtype=float)


COMPLETE = row(14, 14, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3)  # 41 days
GAPPY = row(14, N, 14, 6, N, 0, 0, 0, 0, 0, N, 0, 0)  # replies sum 34, 3 missing, 10 replies


def test_complete_replies_are_summed_under_every_rule():
    for rule in ("sms_questionnaire", "interpolate", "pro_rata", "worst_case"):
        assert days_absent_from_matrix(COMPLETE, np.array([99.0]), rule=rule)[0] == 41


def test_primary_rule_uses_questionnaire_bounded_by_missing_fortnights():
    # 6-month self-report 50: the 3 missing fortnights take 50 - 34 = 16 days
    assert days_absent_from_matrix(GAPPY, np.array([50.0]))[0] == 50
    # self-report below the SMS sum: missing fortnights take 0, never negative
    assert days_absent_from_matrix(GAPPY, np.array([20.0]))[0] == 34
    # self-report beyond what 3 missing fortnights can hold: capped at 34 + 42
    assert days_absent_from_matrix(GAPPY, np.array([150.0]))[0] == 76


def test_interpolation_when_no_questionnaire():
    # fortnight 2: mean(14, 14) = 14; fortnight 5: mean(6, 0) = 3; fortnight 11: mean(0, 0) = 0
    assert days_absent_from_matrix(GAPPY, np.array([N]))[0] == 34 + 14 + 3
    assert days_absent_from_matrix(GAPPY, None, rule="interpolate")[0] == 51
    ends = row(N, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, N)  # one-sided at both ends
    assert days_absent_from_matrix(ends, None, rule="interpolate")[0] == 13 * 7


def test_pro_rata_and_worst_case():
    assert days_absent_from_matrix(GAPPY, None, rule="pro_rata")[0] == pytest.approx(34 / 10 * 13)
    assert days_absent_from_matrix(GAPPY, None, rule="worst_case")[0] == 34 + 3 * 14


def test_too_few_replies_and_no_questionnaire_gives_no_outcome():
    sparse = row(14, 14, 14, N, N, N, N, N, N, N, N, N, N)
    assert np.isnan(days_absent_from_matrix(sparse, np.array([N]))[0])
    assert days_absent_from_matrix(sparse, np.array([100.0]))[0] == 100
    assert days_absent_from_matrix(sparse, None, min_replies=3, rule="interpolate")[0] == 182


def test_unknown_rule_is_a_clear_error():
    with pytest.raises(ArgumentError, match="rule must be one of sms_questionnaire, interpolate, "
                                            "pro_rata, worst_case; got 'lovely'"):
        days_absent_from_matrix(COMPLETE, None, rule="lovely")
    with pytest.raises(ArgumentError, match="min_replies must be a whole number of at least 0; "
                                            "got -1"):
        days_absent_from_matrix(COMPLETE, None, min_replies=-1)


def test_first_return_interval():
    mat = np.vstack([
        row(14, 14, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # returns in fortnight 3: (28, 42]
        row(14, N, N, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # gap: last known off at day 14 -> (14, 56]
        row(*[14] * 13),  # never returns: censored at 182
        row(14, 14, 14, N, N, N, N, N, N, N, N, N, N),  # lost: censored at 42
        row(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # back in fortnight 1: (0, 14]
    ])
    out = return_intervals(mat)
    assert out["lower"].tolist() == [28, 14, 182, 42, 0]
    assert out["upper"].tolist() == [42, 56, np.inf, np.inf, 14]
    assert out["event"].tolist() == [True, True, False, False, True]
    assert out["duration"].tolist() == [42, 56, 182, 42, 14]


def test_sustained_return_needs_two_consecutive_replied_zero_fortnights():
    mat = np.vstack([
        row(14, 14, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),  # zeros in 4 and 5: (56, 70]
        row(14, 0, 6, 0, N, 0, 0, 0, 0, 0, 0, 0, 0),  # relapse, gap: first pair is 6-7 (84, 98]
        row(14, 0, 14, 0, 14, 0, 14, 0, 14, 0, 14, 0, 14),  # never sustained
    ])
    out = return_intervals(mat, definition="sustained")
    assert out["lower"].tolist() == [56, 84, 182]
    assert out["upper"].tolist() == [70, 98, np.inf]
    with pytest.raises(ArgumentError, match="definition must be one of first, sustained; "
                                            "got 'eventual'"):
        return_intervals(mat, definition="eventual")


# ---------------------------------------------------------------------------------------------
# One definition each: SMS answered and replied, VSW contacts, receipt of the intervention

SENT = pd.Timestamp("2022-03-01")
REPLY = pd.Timestamp("2022-03-02")


def follow_up() -> pd.DataFrame:
    """Five SMS rows on which the two "replied" definitions differ:

    row 0: sent, replied "3"            -> answered, replied
    row 1: sent, replied "off a bit"    -> not answered (unreadable), replied
    row 2: sent, no reply               -> neither
    row 3: sent, days off keyed in by the team without a reply date -> answered, replied
    row 4: not sent (withdrawn), days off left from a test message -> answered, not replied
    """
    return pd.DataFrame({
        "participant_id": ["A", "A", "A", "B", "B"],
        "fortnight": [1, 2, 3, 1, 2],
        "sent_date": [SENT, SENT, SENT, SENT, pd.NaT],
        "reply_date": [REPLY, REPLY, pd.NaT, pd.NaT, pd.NaT],
        "days_off": pd.array([3, None, None, 14, 0], dtype="Int64"),
    })


def test_sms_answered_counts_usable_days_off_only():
    answered = outcomes.sms_answered(follow_up())
    assert answered.name == "answered"
    assert answered.tolist() == [True, False, False, True, True]


def test_sms_replied_counts_any_reply_to_a_sent_sms():
    replied = outcomes.sms_replied(follow_up())
    assert replied.name == "replied"
    assert replied.tolist() == [True, True, False, True, False]
    # the two definitions differ exactly on the unreadable reply and the unsent SMS
    differ = outcomes.sms_answered(follow_up()) != replied
    assert differ.tolist() == [False, True, False, False, True]


def contacts_trial() -> TrialData:
    """P1 three contacts, P2 one, P3 none (randomised, never contacted)."""
    participants = pd.DataFrame({"participant_id": ["P1", "P2", "P3"],
                                 "arm": ["vocational_support", "vocational_support",
                                         "usual_care"]})
    contacts = pd.DataFrame({"participant_id": ["P2", "P1", "P1", "P1"]})
    empty = pd.DataFrame()
    return TrialData(practices=empty, screening=empty, participants=participants, sms=empty,
                     questionnaires=empty, vsw_contacts=contacts, withdrawals=empty)


def test_vsw_contact_counts_include_participants_never_contacted():
    counts = outcomes.vsw_contact_counts(contacts_trial())
    assert counts.name == "vsw_contacts"
    assert counts.to_dict() == {"P1": 3, "P2": 1, "P3": 0}
    assert counts.index.tolist() == ["P1", "P2", "P3"]  # the order of participants


def test_received_intervention_is_at_least_one_contact():
    received = outcomes.received_intervention(contacts_trial())
    assert received.name == "received"
    assert received.to_dict() == {"P1": True, "P2": True, "P3": False}
