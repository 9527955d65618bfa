"""Discrete-time proportional hazards for grouped return-to-work times (the primary analysis).

Returns are seen through fortnightly SMS, so each is known only to lie in ``(lower, upper]``
(one fortnight, or several after missed replies); ``trial.outcomes.return_times`` gives the
intervals. The model has a piecewise-constant baseline with one parameter per period of the
inspection grid (the fortnights: the distinct finite ``lower``/``upper`` values) and a
complementary log-log link,

    P(no return in period k | at risk) = exp(-exp(alpha_k + x'beta)),

which is the grouped-time form of a continuous proportional-hazards model: ``exp(beta)`` is the
hazard ratio of the continuous-time Cox model (Prentice and Gloeckler 1978; Singer and Willett
2003, ch. 12). With ``S_i(t)`` the probability of no return by ``t``, participant ``i`` contributes

* ``S_i(lower) - S_i(upper)`` when the return was seen (the exact interval likelihood: a return
  after missed replies counts in every fortnight it may have fallen in, with no approximation);
* ``S_i(lower)`` when censored (the fortnights up to the last one known not yet returned).

When every return is known to one fortnight this is exactly the binomial GLM with cloglog link
on the person-fortnight table (``person_periods``); the tests check the agreement with
``statsmodels``. The fit is Newton-Raphson with step halving on the analytic score and observed
information (which also gives the standard errors, as statsmodels' Newton fit). Convergence needs
a score norm below 1e-8 and a log-likelihood change below 1e-10 (relative). A period in which the
estimated return probability is zero (no interval can place a return there, or the maximum lies
on the boundary) has its baseline fixed at zero hazard and is listed in ``zero_hazard_periods``.
A coefficient that diverges (separation: e.g. no returns in a practice) stops the fit with a
:class:`FitError` naming the term; results are rounded to ``_precision.SIGNIFICANT_DIGITS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import linalg, stats

from wave_analysis._checks import check_ci_level
from wave_analysis._precision import round_sig, rounded
from wave_analysis.design import ARMS
from wave_analysis.exceptions import FitError
from wave_analysis.trial.survival_data import (
    ARM_TERM,
    design_matrix,
    rounded_frame,
    rounded_pair,
    validate_survival_data,
)

__all__ = ["STRATIFICATION", "DiscreteTimeResult", "discrete_time_ph", "person_periods"]

STRATIFICATION = ("practice_id", "absence_band")  # the randomisation strata (participants table)
_MAX_ITER = 200
_SCORE_TOL = 1e-8
_LL_TOL = 1e-10
_ZERO_HAZARD = -30.0  # alpha_k + max(eta) below this: the period's hazard is 0 (exp(-30) ~ 1e-13)
_DIVERGED = 15.0  # |log hazard ratio| above this is separation, not an estimate


def _grid(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Inspection times: 0 and every finite interval end, sorted."""
    return np.unique(np.concatenate([[0.0], lower, upper[np.isfinite(upper)]]))


@dataclass(frozen=True)
class _Setup:
    before: np.ndarray  # (n, K) period fully survived: ends at or before lower
    window: np.ndarray  # (n, K) period inside (lower, upper] of a seen return
    event: np.ndarray  # (n,) bool
    x: np.ndarray  # (n, p) covariates, arm first
    grid: np.ndarray  # (K + 1,) period ends, grid[0] = 0


def _setup(data: pd.DataFrame, x: pd.DataFrame) -> _Setup:
    lo, up = data["lower"].to_numpy(dtype=float), data["upper"].to_numpy(dtype=float)
    grid = _grid(lo, up)
    ends = grid[1:]
    before = ends[None, :] <= lo[:, None]
    window = (ends[None, :] > lo[:, None]) & (ends[None, :] <= up[:, None])
    event = data["event"].to_numpy(dtype=bool)
    window &= event[:, None]
    return _Setup(before, window, event, x.to_numpy(dtype=float), grid)


def _loglik(theta: np.ndarray, s: _Setup, free: np.ndarray, *, derivatives: bool = True):
    """Log-likelihood, score and Hessian in the free parameters (free baseline periods, then
    every coefficient). ``theta`` holds all K baseline log-hazards then the p coefficients."""
    k = s.before.shape[1]
    alpha, beta = theta[:k], theta[k:]
    eta = s.x @ beta
    w = np.where(free[None, :], np.exp(np.clip(alpha[None, :] + eta[:, None], -700, 700)), 0.0)
    h_low = (s.before * w).sum(axis=1)
    d = (s.window * w).sum(axis=1)
    with np.errstate(divide="ignore", over="ignore"):
        ll = -h_low.sum() + np.log(-np.expm1(-d[s.event])).sum()
        if not derivatives:
            return ll
        em1 = np.where(s.event, np.expm1(d), 1.0)
        g1 = np.where(s.event, 1.0 / em1, 0.0)
        g2 = np.where(s.event, -1.0 / (em1 * -np.expm1(-np.where(s.event, d, 1.0))), 0.0)
    c = (g1[:, None] * s.window - s.before) * w
    grad = np.concatenate([c.sum(axis=0), s.x.T @ c.sum(axis=1)])
    p = s.x.shape[1]
    hess = np.zeros((k + p, k + p))
    hess[:k, :k] = np.diag(c.sum(axis=0))
    hess[:k, k:] = c.T @ s.x
    hess[k:, :k] = hess[:k, k:].T
    hess[k:, k:] = (s.x * c.sum(axis=1)[:, None]).T @ s.x
    grad_d = np.hstack([s.window * w, d[:, None] * s.x])
    hess += grad_d.T @ (g2[:, None] * grad_d)
    keep = np.concatenate([free, np.ones(p, dtype=bool)])
    return ll, grad[keep], hess[np.ix_(keep, keep)]


def _direction(grad: np.ndarray, hess: np.ndarray) -> np.ndarray:
    """Newton step; Levenberg damping when the information is not positive definite."""
    info = -hess
    scale = max(1.0, float(np.abs(np.diag(info)).max()))
    for mu in (0.0, *(scale * 10.0**e for e in range(-8, 3))):
        try:
            factor = linalg.cho_factor(info + mu * np.eye(len(grad)))
        except linalg.LinAlgError:
            continue
        return linalg.cho_solve(factor, grad)
    return grad / scale


def _newton(s: _Setup, theta: np.ndarray, free: np.ndarray) -> tuple[np.ndarray, float, int]:
    """Maximise the log-likelihood over the free parameters; zero-hazard periods leave ``free``
    (updated in place). Raises FitError when the line search or the iteration limit fails."""
    k = len(free)
    ll = _loglik(theta, s, free, derivatives=False)
    for it in range(1, _MAX_ITER + 1):
        ll, grad, hess = _loglik(theta, s, free)
        keep = np.concatenate([free, np.ones(len(theta) - k, dtype=bool)])
        step = np.zeros_like(theta)
        step[keep] = _direction(grad, hess)
        for _ in range(40):
            trial = theta + step
            ll_new = _loglik(trial, s, free, derivatives=False)
            if np.isfinite(ll_new) and ll_new >= ll - 1e-12 * (1 + abs(ll)):
                break
            step /= 2
        else:
            raise FitError("the discrete-time model did not converge: the step-halving line "
                           "search could not increase the log-likelihood; check for sparse "
                           "covariate levels or fit fewer covariates")
        theta = trial
        eta_max = float((s.x @ theta[k:]).max())
        free &= theta[:k] + eta_max > _ZERO_HAZARD
        small_score = np.abs(grad).max() < _SCORE_TOL * (1 + abs(ll))
        if small_score and abs(ll_new - ll) < _LL_TOL * (1 + abs(ll)):
            return theta, float(ll_new), it
    raise FitError(f"the discrete-time model did not converge in {_MAX_ITER} Newton steps; "
                   "a coefficient may be drifting to infinity (separation): fit fewer "
                   "covariates or merge sparse levels")


def _check_estimable(data: pd.DataFrame, x: pd.DataFrame) -> None:
    """Name an arm or a covariate level with no returns before fitting (its ratio is 0)."""
    ev = data["event"].to_numpy(dtype=bool)
    for arm in ARMS:
        if not ev[data["arm"].to_numpy() == arm].any():
            raise FitError(f"no returns observed in arm {arm}: the hazard ratio is 0 with no "
                           "finite interval; report the numbers returning by arm instead")
    for term in x.columns[1:]:
        col = x[term].to_numpy()
        if set(np.unique(col)) <= {0.0, 1.0} and not ev[col == 1].any():
            raise FitError(f"no returns among participants with {term}: its hazard ratio is 0 "
                           "(separation); drop that covariate from covariates= or merge the "
                           "level with another")


@dataclass(frozen=True)
class DiscreteTimeResult:
    """Discrete-time (grouped) proportional-hazards fit, interval likelihood, cloglog link.

    ``hazard_ratio``: vocational support versus usual care (above 1 = faster return), with its
    Wald interval and p-value. ``terms``: every coefficient (``coef``, ``se`` from the observed
    information, ``estimate`` = hazard ratio, ``ci_low``, ``ci_high``, ``p_value``).
    ``baseline``: per period (``start``, ``end``) the baseline log-hazard ``alpha`` and the
    probability of returning in that period when at risk for the reference participant.
    """

    hazard_ratio: float
    hazard_ratio_ci: tuple[float, float]
    p_value: float
    terms: pd.DataFrame
    baseline: pd.DataFrame
    n: int
    events: int
    multi_period_events: int
    log_likelihood: float
    iterations: int
    ci_level: float
    covariates: tuple[str, ...]
    zero_hazard_periods: tuple[float, ...]

    def to_frame(self) -> pd.DataFrame:
        out = self.terms.copy()
        out.insert(0, "model", "discrete_time_cloglog")
        out["n"], out["events"] = self.n, self.events
        return out


def _information(theta: np.ndarray, s: _Setup, free: np.ndarray) -> np.ndarray:
    """Covariance of the free parameters: inverse observed information (must be finite, PD)."""
    _, _, hess = _loglik(theta, s, free)
    try:
        cov = linalg.cho_solve(linalg.cho_factor(-hess), np.eye(len(hess)))
    except linalg.LinAlgError as exc:
        raise FitError("the discrete-time model's information matrix is not positive definite "
                       "(a covariate is collinear with the arm or the baseline, or a level is "
                       "empty); fit fewer covariates") from exc
    if not np.isfinite(cov).all():
        raise FitError("the discrete-time model gave non-finite standard errors; fit fewer "
                       "covariates")
    return cov


def _terms(names, beta, se, ci_level: float) -> pd.DataFrame:
    z = stats.norm.ppf(0.5 + ci_level / 2)
    return pd.DataFrame({
        "term": list(names), "coef": beta, "se": se, "estimate": np.exp(beta),
        "ci_low": np.exp(beta - z * se), "ci_high": np.exp(beta + z * se), "ci_level": ci_level,
        "p_value": 2 * stats.norm.sf(np.abs(beta / se)),
    })


def discrete_time_ph(data: pd.DataFrame, *, covariates: Sequence[str] = STRATIFICATION,
                     ci_level: float = 0.95) -> DiscreteTimeResult:
    """Grouped-time proportional-hazards model of return to work on arm + ``covariates``.

    ``data``: one row per participant with ``arm``, ``lower``, ``upper``, ``event`` and the
    covariates (default the stratification factors ``practice_id`` and ``absence_band``: merge
    them from ``trial.participants``); text covariates become treatment-coded dummies. Returns
    the hazard ratio (intervention vs control) with a Wald interval at ``ci_level``. Raises
    :class:`FitError` when an arm or a covariate level has no returns, when a coefficient
    diverges (separation) or when the fit does not converge.
    """
    ci_level = check_ci_level(ci_level)
    covariates = tuple(covariates)
    validate_survival_data(data, columns=["lower", "upper", "event", *covariates])
    x = design_matrix(data, covariates)
    _check_estimable(data, x)
    s = _setup(data, x)
    k = s.before.shape[1]
    free = s.window.any(axis=0)  # a period no return interval covers has hazard 0 exactly
    at_risk = (~s.before).sum() or 1
    theta = np.concatenate([np.full(k, np.log(max(s.event.sum(), 1) / at_risk)),
                            np.zeros(x.shape[1])])
    theta, ll, iterations = _newton(s, theta, free)
    beta = theta[k:]
    cov = _information(theta, s, free)
    se = np.sqrt(np.diag(cov)[int(free.sum()):])
    bad = np.abs(beta) > _DIVERGED
    if bad.any():
        raise FitError(f"the coefficient of {x.columns[bad][0]} diverges (separation: its "
                       "participants all return, or none do, within the same periods); drop "
                       "or merge that covariate")
    terms = rounded_frame(_terms(x.columns, beta, se, ci_level))
    alpha = np.where(free, theta[:k], -np.inf)
    baseline = rounded_frame(pd.DataFrame({
        "period": np.arange(1, k + 1), "start": s.grid[:-1], "end": s.grid[1:], "alpha": alpha,
        "return_probability": -np.expm1(-np.exp(alpha))}))
    arm = terms.set_index("term").loc[ARM_TERM]
    n_periods = (s.window.sum(axis=1) > 1) & s.event
    return rounded(DiscreteTimeResult(
        hazard_ratio=float(arm["estimate"]),
        hazard_ratio_ci=rounded_pair((arm["ci_low"], arm["ci_high"])),
        p_value=float(arm["p_value"]), terms=terms, baseline=baseline, n=len(data),
        events=int(s.event.sum()), multi_period_events=int(n_periods.sum()),
        log_likelihood=round_sig(float(ll)), iterations=iterations, ci_level=ci_level,
        covariates=covariates, zero_hazard_periods=tuple(float(e) for e in s.grid[1:][~free])))


def person_periods(data: pd.DataFrame, *, covariates: Sequence[str] = ()) -> pd.DataFrame:
    """The person-period table: one row per participant per period at risk (``period``,
    ``start``, ``end``, ``event`` 0/1, ``arm`` and the covariates).

    A censored participant contributes the periods up to ``lower``; a return known to one period
    contributes the periods before it and the return period. This is the table of the binomial
    cloglog GLM, which ``discrete_time_ph`` equals when every return is known to one period. A
    return known only to several periods (missed replies) is placed in the last of them and its
    rows get ``approximate = True`` (the right-end approximation; ``discrete_time_ph`` uses the
    exact interval likelihood instead).
    """
    covariates = tuple(covariates)
    validate_survival_data(data, columns=["lower", "upper", "event", *covariates],
                           both_arms=False)
    s = _setup(data, design_matrix(data, ()))
    last = s.window & (np.cumsum(s.window[:, ::-1], axis=1)[:, ::-1] == 1)
    rows, cols = np.nonzero(s.before | s.window)
    src = data.reset_index(drop=True).iloc[rows]
    out = pd.DataFrame({c: src[c].to_numpy() for c in
                        ("participant_id", "arm", *covariates) if c in data.columns})
    out["period"] = cols + 1
    out["start"], out["end"] = s.grid[cols], s.grid[cols + 1]
    out["event"] = last[rows, cols].astype(int)
    out["approximate"] = (s.window.sum(axis=1) > 1)[rows]
    return out
