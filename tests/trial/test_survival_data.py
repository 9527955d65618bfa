"""Tests for wave_analysis.trial.survival_data: the checks every survival fit runs first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.exceptions import ArgumentError, ValidationError
from wave_analysis.trial.survival_data import validate_survival_data

BOTH = ["duration", "event", "lower", "upper"]


@pytest.fixture
def good() -> pd.DataFrame:
    """Four participants, both views consistent: two returns seen, two censored."""
    return pd.DataFrame({
        "participant_id": ["A", "B", "C", "D"],
        "arm": [CONTROL_ARM, CONTROL_ARM, INTERVENTION_ARM, INTERVENTION_ARM],
        "duration": [14.0, 28.0, 42.0, 56.0],
        "event": [True, False, True, False],
        "lower": [0.0, 28.0, 28.0, 56.0],
        "upper": [14.0, np.inf, 42.0, np.inf],
    })


def test_consistent_data_passes(good):
    assert validate_survival_data(good, columns=BOTH) is None


def test_not_a_frame_is_an_argument_error(good):
    with pytest.raises(ArgumentError, match="data must be a pandas DataFrame; got 'dict'"):
        validate_survival_data(good.to_dict(), columns=["duration"])


def test_one_arm_is_allowed_only_when_asked(good):
    control = good[good["arm"] == CONTROL_ARM]
    validate_survival_data(control, columns=["duration", "event"], both_arms=False)
    with pytest.raises(ValidationError, match=f"no participants in arm {INTERVENTION_ARM}"):
        validate_survival_data(control, columns=["duration", "event"])


def test_each_time_problem_is_named(good):
    bad = good.astype({"duration": object, "event": object})
    bad.loc[0, "duration"] = "two weeks"
    bad.loc[1, "lower"] = np.inf
    bad.loc[2, "event"] = "yes"
    with pytest.raises(ValidationError) as err:
        validate_survival_data(bad, columns=BOTH)
    rules = {(p.column, p.rule) for p in err.value.problems}
    assert ("duration", "not a number") in rules
    assert ("lower", "infinite time") in rules
    assert ("event", "not boolean") in rules
    assert "participant_id A='two weeks'" in str(err.value)


def test_interval_problems_and_unreadable_events_together(good):
    bad = good.astype({"event": object})
    bad.loc[0, "upper"] = 0.0  # at lower: the interval is empty
    bad.loc[1, "upper"] = 40.0  # not seen, yet a finite upper
    bad.loc[2, "event"] = "yes"  # reported as not boolean, not as a clash
    with pytest.raises(ValidationError) as err:
        validate_survival_data(bad, columns=BOTH)
    found = [(p.column, p.rule.split(" (")[0], p.value) for p in err.value.problems]
    assert found == [
        ("event", "not boolean", "participant_id C='yes'"),
        ("upper", "upper must be greater than lower", "participant_id A=0.0"),
        ("upper", "upper must be finite when event is true and inf when it is false",
         "participant_id B=40.0"),
    ]


def test_long_lists_are_cut_and_rows_quoted_by_index_without_ids():
    n = 8
    data = pd.DataFrame({"arm": [CONTROL_ARM, INTERVENTION_ARM] * (n // 2),
                         "duration": -np.arange(1.0, n + 1)})
    with pytest.raises(ValidationError, match=r"index 0=-1\.0, 1=-2\.0, .*4=-5\.0 \(\+3 more\)"):
        validate_survival_data(data, columns=["duration"])
