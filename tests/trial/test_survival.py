"""Tests for wave_analysis.trial.survival (the input checks: test_survival_data.py).

Reference numbers come from (a) Fox and Weisberg's published Cox fit to the Rossi recidivism data
and (b) a ten-participant example computed by hand below (arithmetic written out in comments),
never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from wave_analysis.design import ARMS
from wave_analysis.exceptions import ArgumentError, FitError, ValidationError
from wave_analysis.trial import survival as sv

UC, VS = ARMS
REL = 2e-6  # results are rounded to 6 significant digits (wave_analysis._precision)

# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def tiny() -> pd.DataFrame:
    """Ten participants, hand-analysed below.

    usual_care:          14 return, 14 censored, 28 return, 42 return, 56 censored
    vocational_support:  14 return, 14 return, 28 censored, 28 return, 42 censored
    """
    rows = [
        ("U1", UC, 14, True), ("U2", UC, 14, False), ("U3", UC, 28, True), ("U4", UC, 42, True),
        ("U5", UC, 56, False),
        ("V1", VS, 14, True), ("V2", VS, 14, True), ("V3", VS, 28, False), ("V4", VS, 28, True),
        ("V5", VS, 42, False),
    ]
    df = pd.DataFrame(rows, columns=["participant_id", "arm", "duration", "event"])
    df["duration"] = df["duration"].astype(float)
    # Interval view of the same data: a return seen at day t happened in (t - 14, t].
    df["lower"] = np.where(df["event"], df["duration"] - 14, df["duration"])
    df["upper"] = np.where(df["event"], df["duration"], np.inf)
    return df


def fortnightly(n: int, *, seed: int, time_ratio: float = 0.7, shape: float = 1.2,
                crossing: bool = False) -> pd.DataFrame:
    """Seeded Weibull AFT return times, seen only at fortnight ends, with drop-out."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    if crossing:  # arms with very different shapes: hazards cross (non-proportional)
        t = np.where(x == 1, 60 * rng.weibull(3.0, n), 60 * rng.weibull(0.6, n))
    else:
        t = 80 * np.exp(np.log(time_ratio) * x) * rng.weibull(shape, n)
    k = np.ceil(t / 14)  # fortnight of return
    last_reply = rng.integers(1, 30, n)  # > 13: followed to the end
    seen = np.minimum(last_reply, 13)
    event = k <= seen
    last = np.where(event, k, seen)
    upper = np.where(event, last * 14.0, np.inf)
    lower = np.where(event, (last - 1) * 14.0, last * 14.0)
    return pd.DataFrame({"participant_id": [f"P{i:05d}" for i in range(n)],
                         "arm": np.array(ARMS)[x], "lower": lower, "upper": upper,
                         "event": event, "duration": np.where(event, upper, lower)})


# ---------------------------------------------------------------------------------------------
# Kaplan-Meier and median, by hand


def test_kaplan_meier_matches_hand_computation(tiny):
    km = sv.kaplan_meier(tiny)
    t = km.to_frame().set_index(["arm", "time"])
    # usual_care: 14: 1 of 5 -> 4/5; 28: at risk 3 (one censored at 14), 1 event -> 4/5*2/3;
    # 42: at risk 2, 1 event -> 4/5*2/3*1/2.
    assert t.loc[(UC, 14.0), "estimate"] == pytest.approx(4 / 5, rel=REL)
    assert t.loc[(UC, 28.0), "estimate"] == pytest.approx(8 / 15, rel=REL)
    assert t.loc[(UC, 42.0), "estimate"] == pytest.approx(4 / 15, rel=REL)
    assert t.loc[(UC, 28.0), "n_at_risk"] == 3
    # vocational_support: 14: 2 of 5 -> 3/5; 28: at risk 3, 1 event -> 3/5*2/3 = 2/5.
    assert t.loc[(VS, 14.0), "estimate"] == pytest.approx(3 / 5, rel=REL)
    assert t.loc[(VS, 28.0), "estimate"] == pytest.approx(2 / 5, rel=REL)
    assert t.loc[(VS, 42.0), "estimate"] == pytest.approx(2 / 5, rel=REL)
    med = km.medians.set_index("arm")["estimate"]
    assert med[UC] == 42 and med[VS] == 28  # first time S <= 0.5


@pytest.mark.parametrize("level", [0.95, 0.8])
def test_kaplan_meier_band_is_log_log_greenwood(tiny, level):
    # usual_care at day 28: S = 8/15, Greenwood sum = 1/(5*4) + 1/(3*2);
    # log-log band: exp(-exp(log(-log S) +- z * sqrt(sum) / |log S|)).
    s = 8 / 15
    se = np.sqrt(1 / 20 + 1 / 6) / abs(np.log(s))
    z = stats.norm.ppf(0.5 + level / 2)
    centre = np.log(-np.log(s))
    lo, hi = np.exp(-np.exp(centre + z * se)), np.exp(-np.exp(centre - z * se))
    table = sv.kaplan_meier(tiny, ci_level=level).to_frame().set_index(["arm", "time"])
    row = table.loc[(UC, 28.0)]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=REL)
    assert row["ci_level"] == level


def test_median_interval_brackets_estimate():
    km = sv.kaplan_meier(fortnightly(600, seed=5), ci_level=0.9)
    m = km.medians
    assert (m["ci_low"] <= m["estimate"]).all() and (m["estimate"] <= m["ci_high"]).all()
    assert (m["ci_level"] == 0.9).all() and set(m["arm"]) == set(ARMS)


# ---------------------------------------------------------------------------------------------
# Log-rank, by hand


def test_log_rank_matches_hand_computation(tiny):
    # Event times 14, 28, 42 (N at risk, D events, n_UC at risk):
    #   14: N=10, D=3, n=5 -> E=1.5,  V = 3*(5/10)*(5/10)*(7/9) = 7/12
    #   28: N=6,  D=2, n=3 -> E=1,    V = 2*(3/6)*(3/6)*(4/5) = 2/5
    #   42: N=3,  D=1, n=2 -> E=2/3,  V = 1*(2/3)*(1/3)*(2/2) = 2/9
    # O_UC = 3, E_UC = 19/6, chi2 = (O - E)^2 / sum V.
    expected_uc = 1.5 + 1 + 2 / 3
    chi2 = (3 - expected_uc) ** 2 / (7 / 12 + 2 / 5 + 2 / 9)
    res = sv.log_rank(tiny)
    assert res.statistic == pytest.approx(chi2, rel=REL)
    assert res.p_value == pytest.approx(stats.chi2.sf(chi2, 1), rel=REL)
    assert res.observed == {UC: 3.0, VS: 3.0}
    assert res.expected[UC] == pytest.approx(expected_uc, rel=REL)
    assert res.expected[VS] == pytest.approx(6 - expected_uc, rel=REL)
    frame = res.to_frame()
    assert list(frame["arm"]) == list(ARMS) and (frame["df"] == 1).all()


def test_log_rank_detects_a_real_difference():
    assert sv.log_rank(fortnightly(2000, seed=1, time_ratio=0.6)).p_value < 1e-6
    assert sv.log_rank(fortnightly(2000, seed=1, time_ratio=1.0)).p_value > 0.01


# ---------------------------------------------------------------------------------------------
# Cox: published known answer (Rossi)


def test_cox_reproduces_fox_weisberg_rossi():
    """Fox J, Weisberg S. "Cox Proportional-Hazards Regression for Survival Data in R", appendix
    to An R Companion to Applied Regression (2nd ed., 2011), section 3:
    coxph(Surv(week, arrest) ~ fin + age + race + wexp + mar + paro + prio, data = Rossi)
    gives fin -0.3794 (se 0.1914), age -0.0574 (se 0.0220), prio 0.0915 (se 0.0286); R's coxph
    uses Efron ties, as lifelines does. ``fin`` (financial aid) plays the role of the arm."""
    from lifelines.datasets import load_rossi

    rossi = load_rossi().rename(columns={"week": "duration", "arrest": "event"})
    rossi["arm"] = np.where(rossi.pop("fin") == 1, VS, UC)
    res = sv.cox_ph(rossi, covariates=["age", "race", "wexp", "mar", "paro", "prio"])
    terms = res.terms.set_index("term")
    published = {  # term: (coef, se)
        sv.ARM_TERM: (-0.3794, 0.1914), "age": (-0.0574, 0.0220), "prio": (0.0915, 0.0286),
    }
    for term, (coef, se) in published.items():
        # "to 3 decimals": within half a unit of the third decimal.
        assert terms.loc[term, "coef"] == pytest.approx(coef, abs=5e-4), term
        assert terms.loc[term, "se"] == pytest.approx(se, abs=5e-4), term
    assert res.n == 432 and res.events == 114  # Rossi: 432 released, 114 arrested
    hr = np.exp(terms.loc[sv.ARM_TERM, "coef"])
    assert res.hazard_ratio["estimate"] == pytest.approx(hr, rel=1e-5)  # rounded coef


def test_cox_interval_at_any_level(tiny):
    data = fortnightly(500, seed=2)
    for level in (0.8, 0.95):
        hr = sv.cox_ph(data, ci_level=level, ph_test=False).hazard_ratio
        z = stats.norm.ppf(0.5 + level / 2)  # coef and se are rounded too: 1e-5
        assert hr["ci_low"] == pytest.approx(np.exp(hr["coef"] - z * hr["se"]), rel=1e-5)
        assert hr["ci_high"] == pytest.approx(np.exp(hr["coef"] + z * hr["se"]), rel=1e-5)
        assert hr["ci_level"] == level


def test_cox_categorical_covariate_and_strata():
    data = fortnightly(400, seed=3)
    data["condition_group"] = np.array(["mental_health", "musculoskeletal", "other"])[
        np.arange(len(data)) % 3]
    data["stratum"] = np.where(np.arange(len(data)) % 2 == 0, "a", "b")
    res = sv.cox_ph(data, covariates=["condition_group"], strata=["stratum"], ph_test=False)
    assert list(res.terms["term"]) == [sv.ARM_TERM, "condition_group[musculoskeletal]",
                                       "condition_group[other]"]
    assert res.strata == ("stratum",)


def test_proportional_hazards_check_flags_crossing_hazards():
    ok = sv.cox_ph(fortnightly(1500, seed=4)).ph_test.set_index("term")
    bad = sv.cox_ph(fortnightly(1500, seed=4, crossing=True)).ph_test.set_index("term")
    assert bad.loc[sv.ARM_TERM, "p_value"] < 1e-4
    assert ok.loc[sv.ARM_TERM, "p_value"] > 0.01


# ---------------------------------------------------------------------------------------------
# RMST, by hand


def test_rmst_matches_hand_computation(tiny):
    # tau = 42 (the shorter arm's longest time).
    # usual_care: 14*1 + 14*(4/5) + 14*(8/15) = 98/3.
    #   Variance: A_14 = 14*(4/5) + 14*(8/15) = 56/3, weight 1/(5*4); A_28 = 14*(8/15) = 112/15,
    #   weight 1/(3*2); A_42 = 0. Var = (56/3)^2/20 + (112/15)^2/6.
    # vocational_support: 14*1 + 14*(3/5) + 14*(2/5) = 28.
    #   Variance: A_14 = 14*(3/5 + 2/5) = 14, weight 2/(5*3); A_28 = 14*(2/5) = 28/5,
    #   weight 1/(3*2). Var = 14^2*2/15 + (28/5)^2/6.
    mu_u, var_u = 98 / 3, (56 / 3) ** 2 / 20 + (112 / 15) ** 2 / 6
    mu_v, var_v = 28.0, 14**2 * 2 / 15 + (28 / 5) ** 2 / 6
    res = sv.rmst(tiny, tau=42, ci_level=0.9)
    arms = res.per_arm.set_index("arm")
    assert arms.loc[UC, "estimate"] == pytest.approx(mu_u, rel=REL)
    assert arms.loc[VS, "estimate"] == pytest.approx(mu_v, rel=REL)
    assert arms.loc[UC, "se"] == pytest.approx(np.sqrt(var_u), rel=REL)
    assert arms.loc[VS, "se"] == pytest.approx(np.sqrt(var_v), rel=REL)
    z = stats.norm.ppf(0.95)
    diff, se_d = mu_v - mu_u, np.sqrt(var_u + var_v)
    assert res.difference == pytest.approx(diff, rel=REL)
    assert res.difference_ci == pytest.approx((diff - z * se_d, diff + z * se_d), rel=REL)
    assert res.ratio == pytest.approx(mu_v / mu_u, rel=REL)
    frame = res.to_frame()
    assert list(frame["quantity"]) == ["rmst", "rmst", "rmst_difference", "rmst_ratio"]
    assert {"estimate", "ci_low", "ci_high", "ci_level"} <= set(frame.columns)


def test_rmst_tau_between_event_times(tiny):
    # tau = 35: usual_care 14 + 14*(4/5) + 7*(8/15) = 29.4666...; the day-42 return is ignored.
    res = sv.rmst(tiny, tau=35)
    uc = res.per_arm.set_index("arm").loc[UC, "estimate"]
    assert uc == pytest.approx(14 + 11.2 + 56 / 15, rel=REL)


def test_rmst_bootstrap_is_seeded_and_agrees_with_analytic():
    data = fortnightly(400, seed=6)
    a = sv.rmst(data, method="bootstrap", n_boot=300, seed=11)
    b = sv.rmst(data, method="bootstrap", n_boot=300, seed=11)
    c = sv.rmst(data, method="bootstrap", n_boot=300, seed=12)
    pd.testing.assert_frame_equal(a.to_frame(), b.to_frame())
    assert a.difference_ci != c.difference_ci
    analytic = sv.rmst(data)
    assert a.difference == analytic.difference
    assert a.difference_se == pytest.approx(analytic.difference_se, rel=0.2)
    assert a.to_frame()["method"].eq("bootstrap").all() and a.seed == 11


# ---------------------------------------------------------------------------------------------
# Interval censoring


def test_weibull_aft_recovers_time_ratio():
    data = fortnightly(3000, seed=7, time_ratio=0.7)
    res = sv.weibull_aft_interval(data, ci_level=0.95)
    assert res.time_ratio == pytest.approx(0.7, abs=0.05)
    assert res.time_ratio_ci[0] < 0.7 < res.time_ratio_ci[1]
    narrow = sv.weibull_aft_interval(data, ci_level=0.8)
    assert narrow.time_ratio == pytest.approx(res.time_ratio, rel=REL)
    assert res.time_ratio_ci[0] < narrow.time_ratio_ci[0] < narrow.time_ratio_ci[1] \
        < res.time_ratio_ci[1]
    row = res.to_frame().iloc[0]
    assert row["quantity"] == "time_ratio" and row["ci_level"] == 0.95


@pytest.mark.slow  # over half a second: make test, not make quick
def test_turnbull_equals_kaplan_meier_on_a_common_inspection_grid(tiny):
    # With every participant inspected at the same fortnight ends (and censored at one), the
    # Turnbull NPMLE at those ends equals the Kaplan-Meier estimate (hand values above).
    tb = sv.turnbull(tiny, times=[0, 14, 28, 42]).to_frame().set_index(["arm", "time"])
    assert tb.loc[(UC, 14.0), "estimate"] == pytest.approx(4 / 5, rel=REL)
    assert tb.loc[(UC, 28.0), "estimate"] == pytest.approx(8 / 15, rel=REL)
    assert tb.loc[(UC, 42.0), "estimate"] == pytest.approx(4 / 15, rel=REL)
    assert tb.loc[(VS, 28.0), "estimate"] == pytest.approx(2 / 5, rel=REL)
    res = sv.turnbull(tiny)
    med = res.medians.set_index("arm")["estimate"]
    assert med[UC] == 42 and med[VS] == 28
    # RMST: tau defaults to the shorter arm's last inspection (42); the curve is linear between
    # inspections: usual care 14 (1 + 4/5)/2 + 14 (4/5 + 8/15)/2 + 14 (8/15 + 4/15)/2.
    rm = res.rmst.set_index("quantity")
    assert res.tau == 42
    uc = 14 * (1 + 0.8) / 2 + 14 * (0.8 + 8 / 15) / 2 + 14 * (8 / 15 + 4 / 15) / 2
    vs = 14 * (1 + 0.6) / 2 + 14 * (0.6 + 0.4) / 2 + 14 * 0.4
    assert rm.loc["rmst"].set_index("arm").loc[UC, "estimate"] == pytest.approx(uc, rel=REL)
    assert rm.loc["rmst_difference", "estimate"] == pytest.approx(vs - uc, rel=REL)


@pytest.mark.slow  # over half a second: make test, not make quick
def test_turnbull_agrees_with_lifelines():
    from lifelines import KaplanMeierFitter

    data = fortnightly(300, seed=8)
    # missed replies: widen some return intervals by a fortnight
    widen = (np.arange(300) % 4 == 0) & data["event"].to_numpy() & (data["lower"] >= 14)
    data.loc[widen, "lower"] -= 14
    res = sv.turnbull(data, n_boot=20)
    for arm in ARMS:
        m = data["arm"] == arm
        kmf = KaplanMeierFitter().fit_interval_censoring(
            data.loc[m, "lower"] + 1e-6, data.loc[m, "upper"], timeline=np.arange(0, 183, 14.0))
        ours = res.table.loc[res.table["arm"] == arm, "estimate"].to_numpy()
        # lifelines stops its EM early (about 1e-4); ours is exact to rounding
        assert ours == pytest.approx(kmf.survival_function_.iloc[:, 1].to_numpy(), abs=2e-3)


@pytest.mark.slow
def test_turnbull_bands_are_seeded_and_bracket_the_curve(tiny):
    data = fortnightly(200, seed=9)
    a = sv.turnbull(data, n_boot=200, seed=3)
    b = sv.turnbull(data, n_boot=200, seed=3)
    c = sv.turnbull(data, n_boot=200, seed=4)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.rmst, b.rmst)
    assert not a.table["ci_low"].equals(c.table["ci_low"])
    t = a.table
    assert ((t["ci_low"] <= t["estimate"] + 1e-9) & (t["estimate"] <= t["ci_high"] + 1e-9)).all()
    diff = a.rmst.set_index("quantity").loc["rmst_difference"]
    assert diff["ci_low"] < diff["estimate"] < diff["ci_high"]


def test_midpoint_and_left_durations():
    data = pd.DataFrame({"arm": [UC, VS, VS], "lower": [14.0, 0.0, 28.0],
                         "upper": [42.0, 14.0, np.inf], "event": [True, True, False]})
    assert sv.with_durations(data)["duration"].tolist() == [42.0, 14.0, 28.0]
    assert sv.with_durations(data, position="midpoint")["duration"].tolist() == [28.0, 7.0, 28.0]
    assert sv.with_durations(data, position="left")["duration"].tolist() == [15.0, 1.0, 28.0]
    with pytest.raises(ArgumentError, match="position must be one of"):
        sv.with_durations(data, position="centre")


# ---------------------------------------------------------------------------------------------
# Adversarial inputs for Cox: one clear FitError, never an absurd hazard ratio


def test_cox_perfect_separation_is_a_fit_error():
    # every vocational-support return comes before every usual-care return
    data = pd.DataFrame({"arm": [UC] * 6 + [VS] * 6,
                         "duration": [70.0, 84, 98, 112, 126, 140, 14, 14, 28, 28, 42, 42],
                         "event": True})
    with pytest.raises(FitError, match=r"arm\[vocational_support\] diverges \(separation"):
        sv.cox_ph(data, ph_test=False)


def test_cox_arm_with_no_returns_is_a_fit_error(tiny):
    data = tiny.assign(event=np.where(tiny["arm"] == VS, False, tiny["event"]))
    with pytest.raises(FitError, match="no returns observed in arm vocational_support"):
        sv.cox_ph(data)
    # the descriptive analyses stay correct: a flat curve and a valid test
    km = sv.kaplan_meier(data).to_frame()
    assert (km.loc[km["arm"] == VS, "estimate"] == 1.0).all()
    assert 0 <= sv.log_rank(data).p_value <= 1


def test_single_participant_per_arm():
    data = pd.DataFrame({"arm": [UC, VS], "duration": [28.0, 14.0], "event": [True, True]})
    with pytest.raises(FitError, match="diverges|did not converge"):
        sv.cox_ph(data, ph_test=False)
    assert sv.kaplan_meier(data).medians["estimate"].tolist() == [28.0, 14.0]


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize("func", [sv.kaplan_meier, sv.log_rank, sv.cox_ph, sv.rmst])
def test_missing_column_is_named(tiny, func):
    with pytest.raises(ValidationError, match="column 'event'.*required column is missing"):
        func(tiny.drop(columns="event"))


def test_negative_time_names_participant(tiny):
    tiny.loc[2, "duration"] = -3.0
    with pytest.raises(ValidationError, match=r"column 'duration'.*U3=-3\.0.*negative time"):
        sv.log_rank(tiny)


def test_unknown_arm_names_value_and_allowed(tiny):
    tiny.loc[0, "arm"] = "control"
    with pytest.raises(ValidationError, match=r"column 'arm': \"participant_id U1='control'\" is "
                                              r"not one of usual_care, vocational_support"):
        sv.kaplan_meier(tiny)


def test_every_problem_reported_at_once(tiny):
    tiny.loc[0, "arm"] = "control"
    tiny.loc[1, "duration"] = -1.0
    tiny.loc[2, "participant_id"] = "U1"
    with pytest.raises(ValidationError) as err:
        sv.rmst(tiny)
    assert {p.column for p in err.value.problems} == {"arm", "duration", "participant_id"}


def test_one_arm_only_is_refused_for_comparisons(tiny):
    with pytest.raises(ValidationError, match="no participants in arm vocational_support"):
        sv.log_rank(tiny[tiny["arm"] == UC])


def test_interval_checks(tiny):
    bad = tiny.copy()
    bad.loc[0, "upper"] = 0.0  # event at or before lower
    with pytest.raises(ValidationError, match="upper must be greater than lower"):
        sv.weibull_aft_interval(bad)
    bad = tiny.copy()
    bad.loc[1, "upper"] = 28.0  # censored but finite upper
    with pytest.raises(ValidationError, match="upper must be finite when event is true"):
        sv.turnbull(bad)


def test_option_errors(tiny):
    with pytest.raises(ArgumentError, match="ci_level must be a number strictly between 0 and 1; "
                                            "got 95"):
        sv.kaplan_meier(tiny, ci_level=95)
    with pytest.raises(ArgumentError, match="tau must be at most 42 days; got 50 .the shorter "
                                            "arm's longest follow-up"):
        sv.rmst(tiny, tau=50)
    with pytest.raises(ArgumentError, match="tau must be a positive finite number of days; got 0"):
        sv.rmst(tiny, tau=0)
    with pytest.raises(ArgumentError, match="seed must be given when method='bootstrap'; got None"):
        sv.rmst(tiny, method="bootstrap")
    with pytest.raises(ArgumentError, match="n_boot must be a whole number of at least 2; got 1"):
        sv.rmst(tiny, method="bootstrap", seed=1, n_boot=1)
    with pytest.raises(ArgumentError, match="method must be one of analytic, bootstrap; "
                                            "got 'jackknife'"):
        sv.rmst(tiny, method="jackknife")


def test_input_is_not_modified(tiny):
    before = tiny.copy()
    sv.cox_ph(tiny, ph_test=False)
    sv.rmst(tiny, tau=42)
    sv.weibull_aft_interval(tiny)
    pd.testing.assert_frame_equal(tiny, before)



def test_interval_widths_counts_returns_known_only_to_a_longer_interval():
    times = pd.DataFrame({
        "arm": ["usual_care"] * 3 + ["vocational_support"] * 2,
        "lower": [0.0, 14.0, 28.0, 0.0, 14.0],
        "upper": [14.0, 42.0, np.inf, 28.0, 28.0],
        "event": [True, True, False, True, True],
    })
    out = sv.interval_widths(times)
    assert out.index.tolist() == ["usual_care", "vocational_support"]
    assert out["returns_observed"].tolist() == [2, 2]  # the censored row is not a return
    assert out["share_longer_than_a_fortnight"].tolist() == [0.5, 0.5]
