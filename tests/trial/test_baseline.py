"""Tests for wave_analysis.trial.baseline: Table 1 (tableone) by arm."""

from __future__ import annotations

import numpy as np
import pytest

from wave_analysis.config import SYNTHETIC_DIR
from wave_analysis.design import ARM_LABELS
from wave_analysis.exceptions import ArgumentError, ValidationError, WaveError
from wave_analysis.trial import baseline as tables


@pytest.fixture(scope="module")
def trial():
    if (SYNTHETIC_DIR / "participants.csv").is_file():
        from wave_analysis.data import load as io

        return io.load_trial(SYNTHETIC_DIR)
    from wave_analysis.synthetic import trial as synthetic

    return synthetic.make_trial()


@pytest.fixture(scope="module")
def table1(trial):
    return tables.table_one_frame(tables.table_one(trial))


def _cell(frame, variable_start, column, level=""):
    rows = frame[frame["variable"].str.startswith(variable_start) & (frame["level"] == level)]
    assert len(rows) == 1, (variable_start, level)
    return rows.iloc[0][column]


def test_table1_mean_sd_equals_numpy(trial, table1):
    p = trial.participants
    for arm, label in ARM_LABELS.items():
        age = p.loc[p["arm"] == arm, "age"].to_numpy(float)
        assert _cell(table1, "Age, years", label) == f"{age.mean():.1f} ({age.std(ddof=1):.1f})"
        rtwse = p.loc[p["arm"] == arm, "rtwse"].to_numpy(float)
        assert _cell(table1, "Return-to-work", label) == \
            f"{rtwse.mean():.2f} ({rtwse.std(ddof=1):.2f})"


def test_table1_median_iqr_and_counts(trial, table1):
    p = trial.participants
    days = p.loc[p["arm"] == "usual_care", "days_absent_baseline"].to_numpy(float)
    q1, med, q3 = np.percentile(days, [25, 50, 75])
    assert _cell(table1, "Days off work", "Usual care") == f"{med:.0f} [{q1:.0f},{q3:.0f}]"
    vs = p[p["arm"] == "vocational_support"]
    n_f = int((vs["sex"] == "female").sum())
    assert _cell(table1, "Sex", "Vocational support", "Female") == \
        f"{n_f} ({100 * n_f / len(vs):.1f})"
    assert _cell(table1, "n", "overall") == str(len(p))


def test_table1_has_no_pvalues_and_every_level(table1):
    assert not any("p-value" in c.lower() for c in table1.columns)
    assert list(table1.columns) == ["variable", "level", "missing", "overall", "Usual care",
                                    "Vocational support"]
    assert (table1["variable"].str.startswith("Occupation")).sum() == 9
    assert "median [Q1,Q3]" in _row_label(table1, "EQ-5D-5L index")


def _row_label(frame, start):
    return frame.loc[frame["variable"].str.startswith(start), "variable"].iloc[0]


def test_table1_bad_input(trial):
    with pytest.raises(WaveError, match="missing column.*eq_vas"):
        tables.table_one(trial.participants.drop(columns="eq_vas"))
    with pytest.raises(ArgumentError, match=r"nonnormal must be Table 1 variables \(age, .*\); "
                                            r"got \('age_x',\)"):
        tables.table_one(trial, nonnormal=("age_x",))
    with pytest.raises(ValidationError, match="column 'arm': 'placebo' is not one of usual_care, "
                                              "vocational_support"):
        tables.table_one(trial.participants.assign(arm="placebo"))
    with pytest.raises(ValidationError, match="participants: has no rows"):
        tables.table_one(trial.participants.iloc[:0])
