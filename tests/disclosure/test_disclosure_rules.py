"""Each disclosure rule on small tables worked by hand; ACRO's functions as a cross-check when
``acro`` is installed."""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.disclosure import checks, rules, spec
from wave_analysis.disclosure.rules import FAIL, REVIEW, Thresholds


def _cells(findings, status=FAIL):
    return {(f.rule, f.row, f.column) for f in findings if f.status == status}


def test_a_count_of_3_fails_the_threshold_and_a_zero_is_reviewed():
    table = pd.DataFrame({"arm": ["a", "b", "c"], "n": [12, 3, 0]})
    found = rules.threshold(table, ["n"], threshold=10)
    assert _cells(found) == {("threshold", 1, "n")}
    assert _cells(found, REVIEW) == {("threshold", 2, "n")}
    assert rules.threshold(table.assign(n=[10, 11, 40]), ["n"]) == []  # 10 is enough


def test_statistics_of_fewer_than_10_units_fail_with_their_row():
    table = pd.DataFrame({"group": ["x", "y"], "n": [25, 9], "mean": [3.1, 4.2], "sd": [1.0, 2.0]})
    found = rules.units_threshold(table, "n", ["mean", "sd"], threshold=10)
    assert _cells(found) == {("threshold", 1, "n"), ("threshold", 1, "mean"),
                             ("threshold", 1, "sd")}


def test_nk_dominance_by_hand():
    # row 0: 50 + 45 = 95 of 100 -> 95% > 90%: fails; row 1: 40 + 30 = 70 of 100: passes;
    # row 2: 60 + 30 = 90 of 100 exactly: "more than K" fails only above 90%: passes.
    table = pd.DataFrame({"n": [12, 12, 12], "total": [100.0, 100.0, 100.0],
                          "top1": [50.0, 40.0, 60.0], "top2": [45.0, 30.0, 30.0]})
    found = rules.nk_dominance(table, "total", ["top1", "top2"], n=2, k=0.9)
    assert _cells(found) == {("nk_dominance", 0, "total")}


def test_p_percent_by_hand():
    # (total - top1 - top2) / top1: row 0 (100-80-15)/80 = 6.25% < 10%: fails;
    # row 1 (100-50-30)/50 = 40%: passes; row 2 (100-60-34)/60 = 10% exactly: passes.
    table = pd.DataFrame({"total": [100.0, 100.0, 100.0], "top1": [80.0, 50.0, 60.0],
                          "top2": [15.0, 30.0, 34.0]})
    found = rules.p_percent(table, "total", ["top1", "top2"], p=0.1)
    assert _cells(found) == {("p_percent", 0, "total")}


def test_a_minimum_column_fails_and_a_maximum_row_label_fails():
    table = pd.DataFrame({"stat": ["mean", "max"], "days_min": [0.0, 1.0], "value": [3.0, 9.0]})
    found = rules.extremes(table)
    assert ("extremes", 0, "days_min") in _cells(found)
    assert ("extremes", 1, "stat") in _cells(found)
    assert not [f for f in rules.extremes(table[["value"]])]


def test_residual_df_9_fails_and_10_passes():
    table = pd.DataFrame({"model": ["a", "b"], "df_resid": [9, 10]})
    assert _cells(rules.residual_df(table, "df_resid", minimum=10)) == {
        ("residual_df", 0, "df_resid")}
    assert rules.residual_df(table, 10) == []
    assert _cells(rules.residual_df(table, 9)) == {("residual_df", None, None)}
    assert _cells(rules.residual_df(table, None), REVIEW) == {("residual_df", None, None)}


def test_km_at_risk_7_fails():
    table = pd.DataFrame({"time": [0, 14, 28], "at_risk": [40, 22, 7], "events": [0, 18, 12]})
    found = rules.survival_steps(table, "at_risk", "events", threshold=10)
    assert _cells(found) == {("survival", 2, "at_risk")}
    few_events = table.assign(events=[0, 4, 12])
    assert ("survival", 1, "events") in _cells(rules.survival_steps(few_events, "at_risk",
                                                                     "events"))


def test_no_spec_is_review_never_pass():
    found = checks.check_table(pd.DataFrame({"n": [100]}), None, Thresholds())
    assert [f.rule for f in found] == ["no_spec"] and found[0].status == REVIEW


def test_a_spec_naming_a_missing_column_is_reviewed_not_passed():
    found = checks.check_table(pd.DataFrame({"n": [100]}), spec.frequency(counts=["count"]),
                               Thresholds())
    assert _cells(found, REVIEW) == {("threshold", None, "count")}


def test_differencing_names_both_tables():
    a = pd.DataFrame({"randomised": [60, 70]})
    b = pd.DataFrame({"randomised": [60, 64]})  # totals 130 and 124: 6 people apart
    c = pd.DataFrame({"randomised": [65, 65]})  # same total as a: nothing to subtract
    sdc = spec.frequency(counts=["randomised"])
    found = checks.differencing({"tables/a": (a, sdc), "tables/b": (b, sdc),
                                 "tables/c": (c, sdc)}, Thresholds())
    # a-b differ by 6 and b-c by 6 (both reviewed); a-c by 0 (nothing isolated)
    assert set(found) == {"tables/a", "tables/b", "tables/c"}
    assert "tables/b" in found["tables/a"][0].message
    assert "tables/a" in found["tables/b"][0].message
    assert all(f.status == REVIEW for fs in found.values() for f in fs)
    assert not any("tables/c" in f.message for f in found["tables/a"])


def test_specs_reject_bad_input():
    with pytest.raises(ValueError, match="counts must be at least one column name"):
        spec.frequency(counts=[])
    with pytest.raises(ValueError, match="top must be two column names"):
        spec.magnitude(units="n", values="total", top=["top1"])
    with pytest.raises(ValueError, match="spec kind must be one of"):
        spec.drawn_from("t", {"kind": "nonsense"})


# --- cross-check against ACRO (skipped unless `acro` is installed) ------------------------------

def test_threshold_and_dominance_agree_with_acro():
    acro_funcs = pytest.importorskip("acro.acro_tables")
    rows = [[50.0, 45.0, 5.0], [40.0, 30.0, 10.0, 10.0, 10.0], [80.0, 15.0, 5.0],
            [10.0] * 12, [3.0, 2.0]]
    for values in rows:
        s = pd.Series(values)
        frame = pd.DataFrame({"n": [len(values)], "total": [s.sum()],
                              "top1": [s.nlargest(1).iloc[-1]], "top2": [s.nlargest(2).iloc[-1]]})
        ours_nk = bool(rules.nk_dominance(frame, "total", ["top1", "top2"]))
        ours_p = bool([f for f in rules.p_percent(frame, "total", ["top1", "top2"])
                       if f.status == FAIL])
        ours_t = bool(rules.units_threshold(frame, "n", [], threshold=10))
        assert ours_nk == bool(acro_funcs.agg_nk(s)), values
        assert ours_p == bool(acro_funcs.agg_p_percent(s)), values
        assert ours_t == bool(acro_funcs.agg_threshold(s)), values
