"""Time to return to work: Kaplan-Meier, log-rank, Cox, RMST and interval-censored fits by arm.

Returns are seen through fortnightly SMS, so each is known only to lie in ``(lower, upper]``:
one fortnight, or several after missed replies, and missed replies are more common in usual care.
The **primary** analyses respect that interval censoring:

* ``trial.discrete_time.discrete_time_ph``: grouped-time proportional hazards (cloglog, interval
  likelihood, adjusted for the stratification factors): the headline hazard ratio;
* ``turnbull`` (``trial.turnbull``): the NPMLE curves with bootstrap bands and the RMST from them;
* ``weibull_aft_interval``: a parametric (Weibull AFT) check.

The right-censored functions here (Kaplan-Meier, log-rank, Cox, RMST on ``duration``/``event``)
are **sensitivity analyses**: they need one time per return, by default the right end of the
interval (the end of the fortnight where the return was seen), which favours the arm with fewer
missed replies. ``survival_data.with_durations(data, position="midpoint")`` gives the midpoint
version.

``wave_analysis.trial.outcomes`` produces the input table. The survival curve is the proportion
*not yet returned*; "lower is better" for the intervention, so a hazard ratio above 1 and a time
ratio below 1 both mean a faster return with vocational support. Comparisons are always
``design.INTERVENTION_ARM`` versus ``design.CONTROL_ARM`` (the reference). Figures:
``trial.plots.kaplan_meier`` and ``trial.plots.turnbull``.

Every estimate comes with a confidence interval at ``ci_level`` (any level in (0, 1); the
published WAVE report uses 80% for some outcomes). Results are frozen dataclasses, rounded to
``_precision.SIGNIFICANT_DIGITS`` significant digits when they are made (so tables and figures
are the same on every machine); ``to_frame()`` gives tidy rows with ``estimate``, ``ci_low``,
``ci_high``, ``ci_level`` where they apply.

Method notes
------------
* Kaplan-Meier bands are lifelines' pointwise exponential Greenwood ("log-log") intervals, the
  default of R's ``survfit(conf.type = "log-log")``; the median's interval is where the bands cross
  0.5 (Brookmeyer-Crowley style, as R's ``print.survfit``).
* Cox regression: lifelines ``CoxPHFitter`` with Efron ties (as R's ``coxph``); the Schoenfeld
  residual test is ``lifelines.statistics.proportional_hazard_test`` (rank time transform). An
  arm with no returns, non-convergence or a diverging coefficient (separation) raises
  ``FitError``; a lifelines convergence warning on a usable fit becomes a ``StatisticalWarning``.
* RMST at ``tau``: the area under the Kaplan-Meier curve up to ``tau`` with the analytic
  (Greenwood-type) variance ``sum_j A_j^2 d_j / (Y_j (Y_j - d_j))`` where ``A_j`` is the area from
  event time ``t_j`` to ``tau`` (Klein and Moeschberger 2003, section 4.5; the formula of R's
  ``survRM2``). ``method="bootstrap"`` instead resamples participants within arms with a seeded
  ``default_rng`` and reports percentile intervals.
* Interval censoring: ``WeibullAFTFitter.fit_interval_censoring`` with the arm indicator on the
  scale parameter; ``exp(coef)`` is the time ratio (acceleration factor).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from wave_analysis._checks import check_argument, check_ci_level, check_int, check_one_of
from wave_analysis._precision import round_sig, rounded
from wave_analysis.design import (
    ARM_LABELS,
    ARMS,
    CONTROL_ARM,
    DAYS_PER_FORTNIGHT,
    INTERVENTION_ARM,
    WINDOW_DAYS,
)
from wave_analysis.exceptions import FitError, StatisticalWarning
from wave_analysis.trial.survival_data import (
    ARM_TERM,
    design_matrix,
    rounded_frame,
    rounded_pair,
    validate_survival_data,
    with_durations,
)
from wave_analysis.trial.turnbull import TurnbullResult, turnbull

__all__ = [
    "ARM_TERM",
    "CoxResult",
    "IntervalAFTResult",
    "KaplanMeierResult",
    "LogRankResult",
    "RMSTResult",
    "TurnbullResult",
    "cox_ph",
    "interval_widths",
    "kaplan_meier",
    "log_rank",
    "rmst",
    "turnbull",
    "weibull_aft_interval",
    "with_durations",
]

RMST_METHODS = ("analytic", "bootstrap")


def interval_widths(data: pd.DataFrame) -> pd.DataFrame:
    """Per arm: returns observed and the share of them known only to an interval longer than one
    fortnight (a missed reply before the return). When the shares differ between arms, analyses
    that put each return at one end of its interval are biased between arms."""
    seen = data.loc[data["event"].astype(bool)]
    wide = (seen["upper"] - seen["lower"]) > DAYS_PER_FORTNIGHT
    out = pd.DataFrame({"arm": seen["arm"].to_numpy(), "wide": wide.to_numpy()})
    table = out.groupby("arm").agg(returns_observed=("wide", "size"),
                                   share_longer_than_a_fortnight=("wide", "mean"))
    return table.reindex([a for a in ARMS if a in table.index]).map(round_sig)


def _durations(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (data["arm"].to_numpy(), data["duration"].to_numpy(dtype=float),
            data["event"].to_numpy(dtype=bool))


def _arms_present(arm: np.ndarray) -> list[str]:
    return [a for a in ARMS if (arm == a).any()]


# ---------------------------------------------------------------------------------------------
# Kaplan-Meier and median


@dataclass(frozen=True)
class KaplanMeierResult:
    """Kaplan-Meier curves of 'not yet returned' by arm.

    ``table``: one row per arm and event/censoring time with ``n_at_risk``, ``events``,
    ``censored``, ``estimate`` (survival), ``ci_low``, ``ci_high``, ``ci_level``.
    ``medians``: one row per arm, median time to return in days (``inf`` when the curve never
    reaches 0.5) with its interval. ``fitters``: the lifelines fits, kept for plotting.
    """

    table: pd.DataFrame
    medians: pd.DataFrame
    ci_level: float
    fitters: Mapping[str, object] = field(repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def kaplan_meier(data: pd.DataFrame, *, ci_level: float = 0.95) -> KaplanMeierResult:
    """Kaplan-Meier estimate of the proportion not yet returned, by arm, with pointwise bands and
    the median time to return (needs ``arm``, ``duration``, ``event``)."""
    from lifelines import KaplanMeierFitter
    from lifelines.utils import qth_survival_times

    ci_level = check_ci_level(ci_level)
    validate_survival_data(data, columns=["duration", "event"], both_arms=False)
    arm, dur, ev = _durations(data)
    tables, medians, fitters = [], [], {}
    for a in _arms_present(arm):
        m = arm == a
        kmf = KaplanMeierFitter(alpha=1 - ci_level, label=ARM_LABELS[a])
        kmf.fit(dur[m], ev[m])
        et = kmf.event_table
        ci = kmf.confidence_interval_survival_function_
        tables.append(pd.DataFrame({
            "arm": a, "time": et.index.to_numpy(dtype=float),
            "n_at_risk": et["at_risk"].to_numpy(), "events": et["observed"].to_numpy(),
            "censored": et["censored"].to_numpy(),
            "estimate": kmf.survival_function_.iloc[:, 0].to_numpy(),
            "ci_low": ci.iloc[:, 0].to_numpy(), "ci_high": ci.iloc[:, 1].to_numpy(),
            "ci_level": ci_level,
        }))
        band = qth_survival_times(0.5, ci)  # lower band reaches 0.5 first
        medians.append({"arm": a, "n": int(m.sum()), "events": int(ev[m].sum()),
                        "estimate": float(kmf.median_survival_time_),
                        "ci_low": float(band.iloc[0, 0]), "ci_high": float(band.iloc[0, 1]),
                        "ci_level": ci_level})
        fitters[a] = kmf
    return KaplanMeierResult(table=rounded_frame(pd.concat(tables, ignore_index=True)),
                             medians=rounded_frame(pd.DataFrame(medians)), ci_level=ci_level,
                             fitters=fitters)


# ---------------------------------------------------------------------------------------------
# Log-rank


@dataclass(frozen=True)
class LogRankResult:
    """Log-rank test of equal return curves: chi-square on 1 df, per-arm observed and expected
    returns."""

    statistic: float
    p_value: float
    observed: Mapping[str, float]
    expected: Mapping[str, float]
    n: Mapping[str, int]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"test": "log-rank", "arm": a, "n": self.n[a],
                              "observed": self.observed[a], "expected": self.expected[a],
                              "statistic": self.statistic, "df": 1, "p_value": self.p_value}
                             for a in ARMS])


def log_rank(data: pd.DataFrame) -> LogRankResult:
    """Log-rank test between the arms (needs ``arm``, ``duration``, ``event``)."""
    from lifelines.statistics import logrank_test

    validate_survival_data(data, columns=["duration", "event"])
    arm, dur, ev = _durations(data)
    r, t = arm == CONTROL_ARM, arm == INTERVENTION_ARM
    res = logrank_test(dur[r], dur[t], ev[r], ev[t])
    # Observed and expected returns per arm (lifelines reports only the statistic).
    times, inv = np.unique(dur, return_inverse=True)
    n_t = len(times)
    d_all = np.bincount(inv, weights=ev, minlength=n_t)
    at_risk_all = np.cumsum(np.bincount(inv, minlength=n_t)[::-1])[::-1]
    observed, expected, n = {}, {}, {}
    for a, m in ((CONTROL_ARM, r), (INTERVENTION_ARM, t)):
        d = np.bincount(inv[m], weights=ev[m], minlength=n_t)
        y = np.cumsum(np.bincount(inv[m], minlength=n_t)[::-1])[::-1]
        observed[a] = float(d.sum())
        expected[a] = float((d_all * y / at_risk_all).sum())
        n[a] = int(m.sum())
    return LogRankResult(statistic=round_sig(float(res.test_statistic)),
                         p_value=round_sig(float(res.p_value)),
                         observed={a: round_sig(v) for a, v in observed.items()},
                         expected={a: round_sig(v) for a, v in expected.items()}, n=n)


# ---------------------------------------------------------------------------------------------
# Cox proportional hazards


@dataclass(frozen=True)
class CoxResult:
    """Cox model. ``terms``: one row per coefficient (``coef``, ``se``, ``estimate`` = hazard
    ratio, ``ci_low``/``ci_high`` on the HR scale, ``p_value``). ``ph_test``: Schoenfeld residual
    test per term (``statistic``, ``p_value``, ``time_transform``), empty when not run."""

    terms: pd.DataFrame
    ph_test: pd.DataFrame
    n: int
    events: int
    ci_level: float
    ties: str = "efron"
    strata: tuple[str, ...] = ()

    @property
    def hazard_ratio(self) -> pd.Series:
        """The arm's row: vocational support versus usual care."""
        return self.terms.set_index("term").loc[ARM_TERM]

    def to_frame(self) -> pd.DataFrame:
        out = self.terms.copy()
        out.insert(0, "model", "cox")
        return out


_DIVERGED = 15.0  # |log hazard ratio| beyond this is separation, not an estimate


def _cox_fit(x: pd.DataFrame, strata: list[str], ci_level: float):
    """lifelines' Cox fit, with no returns in an arm, non-convergence and separation (a
    diverging coefficient or a non-finite SE) raised as FitError instead of a warning and an
    absurd hazard ratio."""
    from lifelines import CoxPHFitter
    from lifelines.exceptions import ConvergenceError, ConvergenceWarning

    for arm_value, arm in ((0.0, CONTROL_ARM), (1.0, INTERVENTION_ARM)):
        if not x.loc[x[ARM_TERM] == arm_value, "event"].any():
            raise FitError(f"no returns observed in arm {arm}: the Cox hazard ratio is 0 or "
                           "infinite with no finite interval; report the numbers returning by "
                           "arm instead")
    cph = CoxPHFitter(alpha=1 - ci_level)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            cph.fit(x, "duration", "event", strata=strata or None)
        except ConvergenceError as exc:
            raise FitError("the Cox model did not converge (lifelines: "
                           f"{str(exc).splitlines()[0]}); fit fewer covariates or merge sparse "
                           "levels") from exc
    s = cph.summary
    bad = ~np.isfinite(s["se(coef)"].to_numpy()) | (s["coef"].abs().to_numpy() > _DIVERGED)
    if bad.any():
        raise FitError(f"the Cox coefficient of {s.index[bad][0]} diverges (separation: every "
                       "return in one group comes before every return in the other, or a level "
                       "has no returns); the hazard ratio is not estimable, report RMST or the "
                       "curves instead")
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            warnings.warn(f"Cox model: {str(w.message).splitlines()[0]}", StatisticalWarning,
                          stacklevel=3)
    return cph


def cox_ph(data: pd.DataFrame, *, covariates: Sequence[str] = (), strata: Sequence[str] = (),
           ci_level: float = 0.95, ph_test: bool = True) -> CoxResult:
    """Cox proportional-hazards model of return to work on arm (+ covariates), Efron ties.

    ``strata`` fits a stratified model (e.g. the randomisation stratum). ``ph_test`` runs the
    scaled Schoenfeld residual test (costly on very large data: switch it off there).
    """
    from lifelines.statistics import proportional_hazard_test

    ci_level = check_ci_level(ci_level)
    covariates, strata = list(covariates), list(strata)
    validate_survival_data(data, columns=["duration", "event", *covariates, *strata])
    x = design_matrix(data, covariates)
    x["duration"] = data["duration"].to_numpy(dtype=float)
    x["event"] = data["event"].to_numpy(dtype=bool)
    for s in strata:
        x[s] = data[s].to_numpy()
    cph = _cox_fit(x, strata, ci_level)
    s = cph.summary
    terms = pd.DataFrame({
        "term": s.index.to_list(), "coef": s["coef"].to_numpy(), "se": s["se(coef)"].to_numpy(),
        "estimate": s["exp(coef)"].to_numpy(),
        "ci_low": np.exp(cph.confidence_intervals_.iloc[:, 0].to_numpy()),
        "ci_high": np.exp(cph.confidence_intervals_.iloc[:, 1].to_numpy()),
        "ci_level": ci_level, "p_value": s["p"].to_numpy(),
    })
    ph = pd.DataFrame(columns=["term", "statistic", "p_value", "time_transform"])
    if ph_test:
        t = proportional_hazard_test(cph, x, time_transform="rank")
        ph = pd.DataFrame({"term": t.summary.index.to_list(),
                           "statistic": t.summary["test_statistic"].to_numpy(),
                           "p_value": t.summary["p"].to_numpy(), "time_transform": "rank"})
    return CoxResult(terms=rounded_frame(terms), ph_test=rounded_frame(ph), n=len(x),
                     events=int(x["event"].sum()), ci_level=ci_level, strata=tuple(strata))


# ---------------------------------------------------------------------------------------------
# Restricted mean time to return


def _km_steps(dur: np.ndarray, ev: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         np.ndarray]:
    """Distinct event times, events, numbers at risk and KM survival just after each."""
    times, inv = np.unique(dur, return_inverse=True)
    d = np.bincount(inv, weights=ev, minlength=len(times))
    y = np.cumsum(np.bincount(inv, minlength=len(times))[::-1])[::-1]
    keep = d > 0
    times, d, y = times[keep], d[keep], y[keep].astype(float)
    surv = np.cumprod(1 - d / y)
    return times, d, y, surv


def _rmst_one(dur: np.ndarray, ev: np.ndarray, tau: float) -> tuple[float, float]:
    """Area under the KM curve on [0, tau] and its Greenwood-type variance (survRM2's formula)."""
    times, d, y, surv = _km_steps(dur, ev)
    inside = times <= tau
    times, d, y, surv = times[inside], d[inside], y[inside], surv[inside]
    grid = np.concatenate([[0.0], times, [tau]])
    level = np.concatenate([[1.0], surv])  # S on [grid[k], grid[k+1])
    pieces = level * np.diff(grid)
    area = float(pieces.sum())
    # A_j: area from t_j to tau = sum of the pieces after t_j.
    a_after = np.cumsum(pieces[::-1])[::-1][1:]
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(y > d, d / (y * (y - d)), 0.0)  # survRM2: 0 where the curve hits 0
    return area, float((a_after**2 * w).sum())


@dataclass(frozen=True)
class RMSTResult:
    """Restricted mean time to return (days not yet returned within ``tau``) per arm, and the
    difference and ratio vocational support versus usual care."""

    tau: float
    per_arm: pd.DataFrame
    difference: float
    difference_se: float
    difference_ci: tuple[float, float]
    ratio: float
    ratio_ci: tuple[float, float]
    ci_level: float
    method: str
    n_boot: int | None = None
    seed: int | None = None

    def to_frame(self) -> pd.DataFrame:
        contrast = f"{INTERVENTION_ARM} vs {CONTROL_ARM}"
        rows = [{"quantity": "rmst", "arm": r.arm, "estimate": r.estimate, "se": r.se,
                 "ci_low": r.ci_low, "ci_high": r.ci_high} for r in self.per_arm.itertuples()]
        rows.append({"quantity": "rmst_difference", "arm": contrast, "estimate": self.difference,
                     "se": self.difference_se, "ci_low": self.difference_ci[0],
                     "ci_high": self.difference_ci[1]})
        rows.append({"quantity": "rmst_ratio", "arm": contrast, "estimate": self.ratio,
                     "ci_low": self.ratio_ci[0], "ci_high": self.ratio_ci[1]})
        out = pd.DataFrame(rows)
        out["tau"], out["ci_level"], out["method"] = self.tau, self.ci_level, self.method
        return out


def _rmst_bootstrap(groups: Mapping[str, tuple[np.ndarray, np.ndarray]], tau: float,
                    ci_level: float, *, n_boot: int, seed: int):
    """Percentile intervals from ``n_boot`` resamples within each arm: per-arm SEs and CIs, and
    the SE and CI of the difference and the CI of the ratio (intervention vs control)."""
    rng = np.random.default_rng(seed)
    boot = {}
    for a in ARMS:  # fixed arm order keeps the random stream reproducible
        g_dur, g_ev = groups[a]
        idx = rng.integers(0, len(g_dur), size=(int(n_boot), len(g_dur)))
        boot[a] = np.array([_rmst_one(g_dur[i], g_ev[i], tau)[0] for i in idx])
    q = [(1 - ci_level) / 2, (1 + ci_level) / 2]
    se = {a: float(boot[a].std(ddof=1)) for a in ARMS}
    ci = {a: tuple(np.quantile(boot[a], q)) for a in ARMS}
    se_d = float((boot[INTERVENTION_ARM] - boot[CONTROL_ARM]).std(ddof=1))
    diff_ci = tuple(np.quantile(boot[INTERVENTION_ARM] - boot[CONTROL_ARM], q))
    ratio_ci = tuple(np.quantile(boot[INTERVENTION_ARM] / boot[CONTROL_ARM], q))
    return se, ci, se_d, diff_ci, ratio_ci


def rmst(data: pd.DataFrame, *, tau: float = WINDOW_DAYS, ci_level: float = 0.95,
         method: str = "analytic", n_boot: int = 2000, seed: int | None = None) -> RMSTResult:
    """Restricted mean time to return up to ``tau`` days (default the 182-day window) per arm.

    ``method="analytic"``: Greenwood-type variance, normal intervals (ratio on the log scale).
    ``method="bootstrap"``: ``n_boot`` resamples within each arm drawn with
    ``numpy.random.default_rng(seed)`` (``seed`` required), percentile intervals.
    ``tau`` may not exceed the shortest follow-up of the two arms' longest times (the curve is
    undefined beyond it).
    """
    ci_level = check_ci_level(ci_level)
    check_one_of("method", method, RMST_METHODS)
    if method == "bootstrap":
        check_argument(seed is not None, "seed", "given when method='bootstrap'", seed,
                       "so the interval is reproducible")
        check_int("n_boot", int(n_boot) if isinstance(n_boot, np.integer) else n_boot,
                  minimum=2)
    validate_survival_data(data, columns=["duration", "event"])
    check_argument(isinstance(tau, int | float) and 0 < tau < np.inf, "tau",
                   "a positive finite number of days", tau)
    arm, dur, ev = _durations(data)
    groups = {a: (dur[arm == a], ev[arm == a]) for a in ARMS}
    horizon = min(float(g[0].max()) for g in groups.values())
    check_argument(tau <= horizon, "tau", f"at most {horizon:g} days", tau,
                   "the shorter arm's longest follow-up; beyond it the curve is undefined")
    z = stats.norm.ppf(0.5 + ci_level / 2)
    est = {a: _rmst_one(*groups[a], tau) for a in ARMS}
    mu = {a: est[a][0] for a in ARMS}
    diff = mu[INTERVENTION_ARM] - mu[CONTROL_ARM]
    ratio = mu[INTERVENTION_ARM] / mu[CONTROL_ARM]
    if method == "analytic":
        se = {a: np.sqrt(est[a][1]) for a in ARMS}
        ci = {a: (mu[a] - z * se[a], mu[a] + z * se[a]) for a in ARMS}
        se_d = np.hypot(se[INTERVENTION_ARM], se[CONTROL_ARM])
        diff_ci = (diff - z * se_d, diff + z * se_d)
        se_lr = np.hypot(se[INTERVENTION_ARM] / mu[INTERVENTION_ARM],
                         se[CONTROL_ARM] / mu[CONTROL_ARM])  # delta method, log scale
        ratio_ci = (ratio * np.exp(-z * se_lr), ratio * np.exp(z * se_lr))
    else:
        se, ci, se_d, diff_ci, ratio_ci = _rmst_bootstrap(groups, tau, ci_level, n_boot=n_boot,
                                                          seed=seed)
    per_arm = pd.DataFrame([{"arm": a, "n": len(groups[a][0]), "estimate": mu[a],
                             "se": float(se[a]), "ci_low": float(ci[a][0]),
                             "ci_high": float(ci[a][1]), "ci_level": ci_level} for a in ARMS])
    return rounded(RMSTResult(
                      tau=float(tau), per_arm=rounded_frame(per_arm), difference=float(diff),
                      difference_se=float(se_d), difference_ci=rounded_pair(diff_ci),
                      ratio=float(ratio), ratio_ci=rounded_pair(ratio_ci), ci_level=ci_level,
                      method=method, n_boot=int(n_boot) if method == "bootstrap" else None,
                      seed=seed if method == "bootstrap" else None))


# ---------------------------------------------------------------------------------------------
# Interval-censored fits


@dataclass(frozen=True)
class IntervalAFTResult:
    """Weibull accelerated failure time fit to the interval-censored return times.

    ``time_ratio``: vocational support versus usual care (below 1 = faster return) with its
    interval; ``params``: every parameter on the log scale (``lambda_``/``rho_`` rows)."""

    time_ratio: float
    time_ratio_ci: tuple[float, float]
    p_value: float
    params: pd.DataFrame
    n: int
    log_likelihood: float
    ci_level: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"model": "weibull_aft_interval", "term": ARM_TERM,
                              "quantity": "time_ratio", "estimate": self.time_ratio,
                              "ci_low": self.time_ratio_ci[0], "ci_high": self.time_ratio_ci[1],
                              "ci_level": self.ci_level, "p_value": self.p_value, "n": self.n}])


def weibull_aft_interval(data: pd.DataFrame, *, ci_level: float = 0.95) -> IntervalAFTResult:
    """Weibull AFT on ``(lower, upper]`` with the arm on the scale parameter (needs ``arm``,
    ``lower``, ``upper``)."""
    from lifelines import WeibullAFTFitter

    ci_level = check_ci_level(ci_level)
    validate_survival_data(data, columns=["lower", "upper"])
    x = pd.DataFrame({"lower": data["lower"].to_numpy(dtype=float),
                      "upper": data["upper"].to_numpy(dtype=float),
                      ARM_TERM: (data["arm"] == INTERVENTION_ARM).to_numpy(dtype=float)})
    aft = WeibullAFTFitter(alpha=1 - ci_level)
    aft.fit_interval_censoring(x, "lower", "upper")
    s = aft.summary
    ci = aft.confidence_intervals_
    key = ("lambda_", ARM_TERM)
    params = pd.DataFrame({
        "parameter": [p for p, _ in s.index], "term": [t for _, t in s.index],
        "coef": s["coef"].to_numpy(), "se": s["se(coef)"].to_numpy(),
        "ci_low": ci.iloc[:, 0].to_numpy(), "ci_high": ci.iloc[:, 1].to_numpy(),
        "ci_level": ci_level, "p_value": s["p"].to_numpy(),
    })
    return rounded(IntervalAFTResult(
        time_ratio=float(np.exp(s.loc[key, "coef"])),
        time_ratio_ci=rounded_pair(np.exp(ci.loc[key].to_numpy(dtype=float))),
        p_value=float(s.loc[key, "p"]), params=rounded_frame(params), n=len(x),
        log_likelihood=float(aft.log_likelihood_), ci_level=ci_level))
