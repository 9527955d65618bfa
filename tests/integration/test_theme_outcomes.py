"""Tests of integration.theme_outcomes (descriptive only)."""

from __future__ import annotations

from wave_analysis.integration.theme_outcomes import theme_outcomes


def test_theme_outcomes_counts_and_ranges(cases):
    res = theme_outcomes(cases)
    in_trial = cases.table[cases.table["in_trial"]]
    for theme in ("T1", "T2", "T3"):
        for flag, label in ((True, "with theme"), (False, "without theme")):
            sub = in_trial[in_trial[f"present_{theme}"] == flag]
            row = res.table.set_index(["theme_id", "group"]).loc[(theme, label)]
            assert row["n"] == len(sub)
            days = sub["days_absent"].dropna()
            if len(days):
                assert row["days_absent_min"] == days.min()
                assert row["days_absent_max"] == days.max()
            assert row["returned"] == int(sub["rtw_event"].fillna(False).sum())
    assert not any("p_value" in c or "test" in c for c in res.table.columns)
    assert "No statistical test" in res.note


def test_theme_outcomes_contrasting_only(cases):
    res = theme_outcomes(cases, contrasting=True)
    in_trial = cases.table[cases.table["in_trial"]]
    expected = [t for t in ("T1", "T2", "T3") if in_trial[f"present_{t}"].nunique() == 2]
    assert list(dict.fromkeys(res.table["theme_id"])) == expected
