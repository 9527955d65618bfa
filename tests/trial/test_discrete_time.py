"""Tests for wave_analysis.trial.discrete_time (grouped-time proportional hazards).

Known answer: when every return is known to one period, the interval likelihood is the binomial
GLM with complementary log-log link on the person-period table, so coefficients and standard
errors must equal ``statsmodels`` GLM(Binomial(link=CLogLog)) fitted by Newton (observed
information) on ``person_periods``; the reference is computed in the test from statsmodels, never
from the code under test. With returns known only to several periods, the fit is checked against
a direct numerical maximisation of the interval likelihood ``S(lower) - S(upper)`` written out
independently below (scipy.optimize).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize

from wave_analysis.design import ARMS
from wave_analysis.exceptions import FitError, ValidationError
from wave_analysis.trial import discrete_time as dt
from wave_analysis.trial.survival_data import ARM_TERM

UC, VS = ARMS


def grouped(n: int, *, seed: int, hr: float = 1.5, miss: float = 0.0) -> pd.DataFrame:
    """Seeded exponential return times with a practice effect, seen at fortnight ends; with
    probability ``miss`` a reply is missed, so a return can be known only to several
    fortnights."""
    rng = np.random.default_rng(seed)
    arm = rng.integers(0, 2, n)
    practice = rng.integers(0, 3, n)
    band = rng.integers(0, 2, n)
    rate = 0.02 * hr**arm * np.exp(0.3 * practice - 0.4 * band)
    t = rng.exponential(1 / rate)
    replied = rng.random((n, 13)) >= miss
    ends = 14.0 * np.arange(1, 14)
    lower, upper, event = np.zeros(n), np.full(n, np.inf), np.zeros(n, dtype=bool)
    for i in range(n):
        seen = ends[replied[i]]
        after = seen[seen >= t[i]]
        before = seen[seen < t[i]]
        lower[i] = before.max() if before.size else 0.0
        if after.size:
            upper[i], event[i] = after.min(), True
    return pd.DataFrame({"participant_id": [f"P{i:04d}" for i in range(n)],
                         "arm": np.array(ARMS)[arm], "lower": lower, "upper": upper,
                         "event": event, "practice_id": [f"GP{p}" for p in practice],
                         "absence_band": np.array(["2-6 weeks", "over 6 weeks"])[band]})


def statsmodels_cloglog(pp: pd.DataFrame):
    x = pd.get_dummies(pp[["period", "practice_id", "absence_band"]].astype(str),
                       dtype=float)
    x = x.drop(columns=["practice_id_GP0", "absence_band_2-6 weeks"])
    x.insert(0, ARM_TERM, (pp["arm"] == VS).astype(float))
    fam = sm.families.Binomial(link=sm.families.links.CLogLog())
    return sm.GLM(pp["event"], x, family=fam).fit(method="newton", tol=1e-12, maxiter=100)


def test_equals_statsmodels_cloglog_glm_on_the_person_period_table():
    data = grouped(400, seed=1)
    res = dt.discrete_time_ph(data)
    assert res.multi_period_events == 0
    pp = dt.person_periods(data, covariates=dt.STRATIFICATION)
    assert not pp["approximate"].any()
    ref = statsmodels_cloglog(pp)
    terms = res.terms.set_index("term")
    for term in terms.index:
        sm_name = term.replace("[", "_").replace("]", "") if term != ARM_TERM else term
        assert terms.loc[term, "coef"] == pytest.approx(ref.params[sm_name], rel=1e-5, abs=1e-6)
        assert terms.loc[term, "se"] == pytest.approx(ref.bse[sm_name], rel=1e-5)
    assert res.hazard_ratio == pytest.approx(np.exp(ref.params[ARM_TERM]), rel=1e-5)
    assert res.log_likelihood == pytest.approx(ref.llf, rel=1e-6)
    assert res.hazard_ratio_ci[0] < res.hazard_ratio < res.hazard_ratio_ci[1]


def test_person_periods_rows():
    data = pd.DataFrame({"participant_id": ["a", "b", "c"], "arm": [UC, VS, VS],
                         "lower": [14.0, 0.0, 14.0], "upper": [28.0, np.inf, 70.0],
                         "event": [True, False, True]})
    pp = dt.person_periods(data)
    # grid 0, 14, 28, 70: a at risk in periods 1, 2 (return in 2); b contributes nothing;
    # c returned in (14, 70]: at risk in 1, 2, 3, the return placed in period 3 (28, 70] (the
    # right end; flagged as approximate).
    assert pp["participant_id"].tolist() == ["a", "a", "c", "c", "c"]
    assert pp["event"].tolist() == [0, 1, 0, 0, 1]
    assert pp["approximate"].tolist() == [False, False, True, True, True]


def independent_interval_loglik(theta, data, covariates):
    """S(lower) - S(upper) written directly: periods between the distinct interval ends."""
    x = pd.get_dummies(data[list(covariates)].astype(str), drop_first=True, dtype=float)
    x.insert(0, "arm", (data["arm"] == VS).astype(float))
    grid = np.unique(np.r_[0.0, data["lower"], data["upper"][np.isfinite(data["upper"])]])
    k = len(grid) - 1
    eta = x.to_numpy() @ theta[k:]
    cum = np.r_[0.0, np.cumsum(np.exp(theta[:k]))]  # baseline cumulative hazard at grid
    big_l = np.interp(data["lower"], grid, cum)
    up = data["upper"].to_numpy()
    big_u = np.where(np.isfinite(up), np.interp(np.where(np.isfinite(up), up, 0), grid, cum),
                     np.inf)
    s_l, s_u = np.exp(-np.exp(eta) * big_l), np.exp(-np.exp(eta) * big_u)
    with np.errstate(divide="ignore", invalid="ignore"):  # BFGS may try absurd values
        return np.log(s_l - s_u).sum()


@pytest.mark.slow
def test_multi_period_returns_use_the_exact_interval_likelihood():
    data = grouped(300, seed=3, miss=0.3)
    res = dt.discrete_time_ph(data)
    assert res.multi_period_events > 20
    k = len(res.baseline)
    start = np.r_[np.full(k, -3.0), np.zeros(res.terms.shape[0])]
    opt = optimize.minimize(lambda th: -independent_interval_loglik(th, data, dt.STRATIFICATION),
                            start, method="BFGS", options={"gtol": 1e-7, "maxiter": 5000})
    assert -opt.fun == pytest.approx(res.log_likelihood, rel=2e-6)  # 6 significant digits
    assert res.terms["coef"].to_numpy() == pytest.approx(opt.x[k:], abs=2e-3)


def test_right_end_shortcut_differs_when_replies_are_missed():
    data = grouped(300, seed=3, miss=0.3)
    exact = dt.discrete_time_ph(data, covariates=())
    shortcut = data.assign(lower=np.where(data["event"], data["upper"] - 14, data["lower"]))
    assert dt.discrete_time_ph(shortcut, covariates=()).hazard_ratio != exact.hazard_ratio


def test_recovers_the_hazard_ratio_and_reports_rounded_values():
    res = dt.discrete_time_ph(grouped(3000, seed=5, hr=1.5))
    assert res.hazard_ratio == pytest.approx(1.5, rel=0.1)
    assert res.hazard_ratio == float(f"{res.hazard_ratio:.6g}")
    assert set(res.to_frame()["model"]) == {"discrete_time_cloglog"}


def test_periods_with_no_possible_return_have_zero_hazard():
    data = grouped(200, seed=2)
    data = data[data["upper"] != 14.0]  # nobody returns in the first fortnight
    res = dt.discrete_time_ph(data.reset_index(drop=True), covariates=())
    assert 14.0 in res.zero_hazard_periods
    assert res.baseline.loc[0, "return_probability"] == 0.0


# ---------------------------------------------------------------------------------------------
# Adversarial inputs: a correct result or one clear WaveError


def test_arm_with_no_returns_is_a_fit_error():
    data = grouped(100, seed=4)
    data.loc[data["arm"] == VS, ["upper", "event"]] = [np.inf, False]
    with pytest.raises(FitError, match="no returns observed in arm vocational_support"):
        dt.discrete_time_ph(data)


def test_practice_with_no_returns_is_named():
    data = grouped(100, seed=4)
    data.loc[data["practice_id"] == "GP2", ["upper", "event"]] = [np.inf, False]
    with pytest.raises(FitError, match=r"no returns among participants with practice_id\[GP2\]"):
        dt.discrete_time_ph(data)


def test_separation_is_a_fit_error():
    data = grouped(100, seed=4)
    # every GP2 participant returns in the first fortnight; nobody else does
    gp2 = data["practice_id"] == "GP2"
    data.loc[gp2, ["lower", "upper", "event"]] = [0.0, 14.0, True]
    data.loc[~gp2 & (data["upper"] == 14.0), "upper"] = 28.0
    with pytest.raises(FitError, match=r"practice_id\[GP2\] diverges \(separation"):
        dt.discrete_time_ph(data)


def test_one_participant_per_arm():
    data = pd.DataFrame({"arm": [UC, VS], "lower": [14.0, 0.0], "upper": [28.0, 14.0],
                         "event": [True, True]})
    with pytest.raises(FitError, match="diverges|not converge|not positive definite"):
        dt.discrete_time_ph(data, covariates=())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_covariate_is_a_validation_error(bad):
    data = grouped(60, seed=6).assign(age=40.0)
    data.loc[3, "age"] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValidationError, match="age"):
            dt.discrete_time_ph(data, covariates=("age",))
