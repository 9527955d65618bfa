"""Tests for wave_analysis.trial.quality on a hand-built trial whose answers are counted by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wave_analysis.data.model import TrialData
from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.exceptions import Problem
from wave_analysis.trial import quality

SENT, REPLY = pd.Timestamp("2022-03-01"), pd.Timestamp("2022-03-02")
NAT = pd.NaT


@pytest.fixture
def small() -> TrialData:
    """P1 and P2 in usual care, P3 in vocational support; seven SMS rows:

    P1 f1 answered (3); P1 f2 replied but unreadable; P2 f1 answered (0); P2 f2 answered (14);
    P3 f1 sent, no reply; P3 f2 never sent (withdrawn); PX f1 answered but PX was never randomised.
    """
    participants = pd.DataFrame({"participant_id": ["P1", "P2", "P3"],
                                 "arm": [CONTROL_ARM, CONTROL_ARM, INTERVENTION_ARM],
                                 "age": [40.0, np.nan, 50.0]})
    sms = pd.DataFrame({
        "participant_id": ["P1", "P1", "P2", "P2", "P3", "P3", "PX"],
        "fortnight": [1, 2, 1, 2, 1, 2, 1],
        "sent_date": [SENT, SENT, SENT, SENT, SENT, NAT, SENT],
        "reply_date": [REPLY, REPLY, REPLY, REPLY, NAT, NAT, REPLY],
        "days_off": pd.array([3, None, 0, 14, None, None, 5], dtype="Int64"),
    })
    questionnaires = pd.DataFrame({"participant_id": ["P1", "P2", "P1", "P3"],
                                   "timepoint": ["6w", "6w", "6m", "6w"],
                                   "eq_vas": [70.0, np.nan, 60.0, 80.0]})
    empty = pd.DataFrame()
    return TrialData(practices=pd.DataFrame({"practice_id": ["A", "B"]}), screening=empty,
                     participants=participants, sms=sms, questionnaires=questionnaires,
                     vsw_contacts=empty, withdrawals=empty)


def test_problems_frame_one_row_per_problem():
    problems = [Problem("sms.csv", "days_off", 4, -1, "is negative", "correct the reply"),
                Problem("participants.csv", None, None, None, "is empty", "export it again")]
    frame = quality.problems_frame(problems)
    assert list(frame.columns) == ["file", "row", "column", "value", "rule", "fix"]
    assert frame.iloc[0].tolist() == ["sms.csv", 4, "days_off", -1, "is negative",
                                      "correct the reply"]
    assert frame.loc[1, "file"] == "participants.csv" and frame.loc[1, "column"] is None
    empty = quality.problems_frame([])
    assert empty.empty and list(empty.columns) == list(frame.columns)


def test_table_sizes(small):
    sizes = quality.table_sizes(small).set_index("table")
    assert sizes.index.tolist() == ["practices", "screening", "participants", "sms",
                                    "questionnaires", "vsw_contacts", "withdrawals"]
    assert sizes.loc["practices"].tolist() == [2, 1]
    assert sizes.loc["participants"].tolist() == [3, 3]
    assert sizes.loc["sms"].tolist() == [7, 5]
    assert sizes.loc["screening"].tolist() == [0, 0]


def test_missingness_lists_only_columns_with_gaps(small):
    miss = quality.missingness(small)
    assert list(miss.columns) == ["table", "column", "missing", "rows", "share_missing"]
    got = {(r.table, r.column): (r.missing, r.rows) for r in miss.itertuples()}
    assert got == {("participants", "age"): (1, 3),
                   ("sms", "sent_date"): (1, 7),  # P3 f2, never sent
                   ("sms", "reply_date"): (2, 7),  # P3 f1 and f2
                   ("sms", "days_off"): (3, 7),  # P1 f2 unreadable, P3 f1 and f2
                   ("questionnaires", "eq_vas"): (1, 4)}
    assert miss["share_missing"].tolist() == pytest.approx([1 / 3, 1 / 7, 2 / 7, 3 / 7, 1 / 4])


def test_sms_reply_rate_counts_answered_sms_by_arm_and_fortnight(small):
    rate = quality.sms_reply_rate(small)
    rows = {(r.arm, r.fortnight): (r.replies, r.sent, r.reply_rate) for r in rate.itertuples()}
    # PX is not randomised: left out. The unreadable reply (P1 f2) and the unsent SMS (P3 f2)
    # count as unanswered; the denominator is every SMS row of randomised participants.
    assert rows == {(CONTROL_ARM, 1): (2, 2, 1.0), (CONTROL_ARM, 2): (1, 2, 0.5),
                    (INTERVENTION_ARM, 1): (0, 1, 0.0), (INTERVENTION_ARM, 2): (0, 1, 0.0)}
    assert rate["fortnight"].dtype.kind == "i"


def test_questionnaire_returns_share_of_randomised(small):
    out = quality.questionnaire_returns(small)
    rows = {(r.timepoint, r.arm): (r.returned, r.randomised, r.share_returned)
            for r in out.itertuples()}
    # Only cells with at least one questionnaire appear (no 6m row for vocational support).
    assert rows == {("6w", CONTROL_ARM): (2, 2, 1.0), ("6m", CONTROL_ARM): (1, 2, 0.5),
                    ("6w", INTERVENTION_ARM): (1, 1, 1.0)}
