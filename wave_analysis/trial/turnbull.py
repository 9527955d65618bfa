"""Turnbull (NPMLE) curves of 'not yet returned' by arm, with bootstrap bands and RMST.

Input: one row per participant with ``arm``, ``lower``, ``upper`` (the return lies in
``(lower, upper]``; ``upper = inf`` when not seen), as ``trial.outcomes.return_times``.

Method
------
* The NPMLE puts its mass only on Turnbull's innermost intervals: the periods ``(a, b]`` between
  consecutive inspection times with ``a`` some participant's ``lower`` and ``b`` some ``upper``
  (Turnbull 1976). The masses maximise the concave log-likelihood over the simplex: Newton steps
  on the current support (a mass that would turn negative leaves it) until no mass changes by
  more than 1e-14, then the optimality conditions are checked and a violating period rejoins
  (an active-set method; exact to rounding error, far below the reported 6 significant digits,
  where the self-consistency EM algorithm can need 1e5 iterations). The curve is
  unique at the inspection times (the ends of the periods), where it is reported; between them
  the NPMLE does not say where in a period the returns fell, and the figure and the RMST take
  the curve as linear across each period (returns spread evenly within it).
* Confidence bands: pointwise percentile intervals from ``n_boot`` nonparametric bootstrap
  resamples of participants within each arm, drawn from ``numpy.random.SeedSequence(seed)``
  (one child per arm, in ``design.ARMS`` order), so the bands are reproducible.
* RMST up to ``tau``: the area under the (linear-within-period) Turnbull curve; the difference
  and ratio between arms take percentile intervals from the same bootstrap resamples.

``lifelines.KaplanMeierFitter.fit_interval_censoring`` gives the same curve (a test checks it);
it has no interval and is slower, which matters for the bootstrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument, check_ci_level, check_int
from wave_analysis._precision import rounded
from wave_analysis.design import (
    ARMS,
    CONTROL_ARM,
    DAYS_PER_FORTNIGHT,
    INTERVENTION_ARM,
    WINDOW_DAYS,
)
from wave_analysis.trial.survival_data import rounded_frame, validate_survival_data

__all__ = ["BOOTSTRAP_SEED", "TurnbullResult", "turnbull"]

BOOTSTRAP_SEED = 20240610  # default root of the bands' SeedSequence (any fixed integer will do)
_TOL = 1e-14  # Newton stops when no mass changes by more than this


def _support(lower: np.ndarray, upper: np.ndarray):
    """Inspection grid (0, every interval end) and the innermost periods: a boolean mask over
    the periods ``(grid[j], grid[j+1]]`` plus the open tail ``(grid[-1], inf)``."""
    grid = np.unique(np.concatenate([[0.0], lower, upper[np.isfinite(upper)]]))
    left = np.isin(grid, lower)
    right = np.concatenate([np.isin(grid[1:], upper), [np.isinf(upper).any()]])
    return grid, left & right


def _compatible(lower, upper, grid, inner) -> np.ndarray:
    """(n, m) 0/1 matrix: innermost period j lies inside participant i's interval."""
    start = grid
    end = np.concatenate([grid[1:], [np.inf]])
    a = (start[None, :] >= lower[:, None]) & (end[None, :] <= upper[:, None])
    return a[:, inner].astype(float)


def _loglik(a: np.ndarray, w: np.ndarray, p: np.ndarray) -> float:
    ap = a @ p
    return float(w @ np.log(ap)) if (ap > 0).all() else -np.inf


def _newton_on_support(a: np.ndarray, w: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Maximise sum w log(A p) over the simplex restricted to the current support (p > 0):
    Newton steps under sum(p) = 1; a step that would make a mass negative stops at the
    boundary and drops that period from the support."""
    for _ in range(500):
        sup = np.flatnonzero(p > 0)
        ap = a @ p
        g = (w / ap) @ a[:, sup]
        h = -(a[:, sup].T * (w / ap**2)) @ a[:, sup]
        k = len(sup)
        kkt = np.zeros((k + 1, k + 1))
        kkt[:k, :k], kkt[:k, k], kkt[k, :k] = h, 1.0, 1.0
        d = np.linalg.lstsq(kkt, np.concatenate([-g, [0.0]]), rcond=None)[0][:k]
        neg = d < 0
        t = min(1.0, float((-p[sup][neg] / d[neg]).min())) if neg.any() else 1.0
        ll = _loglik(a, w, p)
        while True:
            new = p.copy()
            new[sup] = np.maximum(p[sup] + t * d, 0.0)
            if _loglik(a, w, new) >= ll - 1e-13 * abs(ll) or t < 1e-12:
                break
            t /= 2
        new[sup[np.abs(new[sup]) <= 1e-15]] = 0.0
        new /= new.sum()
        if np.abs(new - p).max() < _TOL:
            return new
        p = new
    return p  # pragma: no cover - Newton on a few dozen periods converges in far fewer steps


def _npmle(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """NPMLE masses (m,) on the innermost periods for participant weights ``w`` (n,): Newton on
    the support, then the optimality check (no period outside the support may have a
    gradient above the total weight, Gentleman and Geyer 1994); a violator joins the support."""
    keep = w > 0
    a, w = a[keep], w[keep]
    total = w.sum()
    p = a.any(axis=0).astype(float)
    p /= p.sum()
    for _ in range(a.shape[1] + 10):
        p = _newton_on_support(a, w, p)
        g = (w / (a @ p)) @ a
        outside = np.flatnonzero(p == 0)
        if not outside.size or g[outside].max() <= total * (1 + 1e-10):
            return p
        j = outside[np.argmax(g[outside])]
        p = p * (1 - 1e-3)
        p[j] = 1e-3
    return p  # pragma: no cover


def _curve(p: np.ndarray, grid: np.ndarray, inner: np.ndarray, times: np.ndarray) -> np.ndarray:
    """S at ``times`` (B, T): 1 - mass in periods ending at or before t, linear within a
    period."""
    mass = np.zeros((p.shape[0], len(grid)))  # mass of period j sits at its end grid[j+1]
    mass[:, np.flatnonzero(inner[:-1]) + 1] = p[:, : inner[:-1].sum()]
    s_grid = np.clip(1.0 - np.cumsum(mass, axis=1), 0.0, 1.0)
    return np.vstack([np.interp(times, grid, row) for row in s_grid])


def _area(s: np.ndarray, times: np.ndarray, tau: float) -> np.ndarray:
    """Area under curves ``s`` (B, T) (linear between ``times``) on [0, tau]."""
    grid = np.unique(np.concatenate([times[times < tau], [tau]]))
    vals = np.vstack([np.interp(grid, times, row) for row in s])
    return ((vals[:, 1:] + vals[:, :-1]) / 2 * np.diff(grid)).sum(axis=1)


@dataclass(frozen=True)
class TurnbullResult:
    """Turnbull curves by arm with bootstrap bands, medians and RMST.

    ``table``: per arm and time ``estimate`` (proportion not yet returned), ``ci_low``,
    ``ci_high`` (pointwise percentile bands), ``ci_level``. ``medians``: the first inspection
    time at which the curve is at or below 0.5 (``inf`` if never). ``rmst``: restricted mean
    time to return up to ``tau`` per arm, and the difference and ratio vocational support vs
    usual care, with percentile intervals (``quantity``, ``arm``, ``estimate``, ``se``,
    ``ci_low``, ``ci_high``).
    """

    table: pd.DataFrame
    medians: pd.DataFrame
    rmst: pd.DataFrame
    tau: float
    ci_level: float
    n_boot: int
    seed: int

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def _fit_curve(lower, upper, weights, times) -> np.ndarray:
    """Turnbull curve (T,) at ``times`` for participants with positive ``weights``: grid,
    innermost periods and masses of that (re)sample, linear between its inspection times."""
    keep = weights > 0
    lower, upper, weights = lower[keep], upper[keep], weights[keep]
    grid, inner = _support(lower, upper)
    p = _npmle(_compatible(lower, upper, grid, inner), weights)
    return _curve(p[None, :], grid, inner, times)[0]


def _arm_fit(lower, upper, times, tau, *, n_boot: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Point curve and ``n_boot`` bootstrap curves (rows, at ``times``) and their areas up to
    ``tau``. Each resample gets its own innermost periods (a period split only by a participant
    who was not drawn is one period of that resample)."""
    n = len(lower)
    weights = np.vstack([np.ones(n), rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot)])
    curves = np.vstack([_fit_curve(lower, upper, w, times) for w in weights.astype(float)])
    return curves, _area(curves, times, tau)


def _rmst_rows(area: dict, q, ci_level: float) -> list[dict]:
    rows = [{"quantity": "rmst", "arm": arm, "estimate": area[arm][0],
             "se": area[arm][1:].std(ddof=1), "ci_low": np.quantile(area[arm][1:], q[0]),
             "ci_high": np.quantile(area[arm][1:], q[1])} for arm in ARMS]
    contrast = f"{INTERVENTION_ARM} vs {CONTROL_ARM}"
    diff = area[INTERVENTION_ARM] - area[CONTROL_ARM]
    ratio = area[INTERVENTION_ARM] / area[CONTROL_ARM]
    rows.append({"quantity": "rmst_difference", "arm": contrast, "estimate": diff[0],
                 "se": diff[1:].std(ddof=1), "ci_low": np.quantile(diff[1:], q[0]),
                 "ci_high": np.quantile(diff[1:], q[1])})
    rows.append({"quantity": "rmst_ratio", "arm": contrast, "estimate": ratio[0],
                 "se": np.nan, "ci_low": np.quantile(ratio[1:], q[0]),
                 "ci_high": np.quantile(ratio[1:], q[1])})
    return [{**r, "ci_level": ci_level} for r in rows]


def turnbull(data: pd.DataFrame, *, times: Sequence[float] | None = None,
             ci_level: float = 0.95, n_boot: int = 1000, seed: int = BOOTSTRAP_SEED,
             tau: float | None = None) -> TurnbullResult:
    """Turnbull estimate of 'not yet returned' by arm for ``(lower, upper]`` data, with
    pointwise bootstrap bands at ``ci_level``, medians and the RMST up to ``tau`` days.

    ``times`` (default the fortnight ends 0, 14, ..., 182) are where the curve is reported;
    between inspection times it is linear. ``n_boot`` resamples within each arm (at least 20)
    from ``SeedSequence(seed)``. ``tau`` may not exceed either arm's last inspection time; the
    default is the 182-day window, or that last inspection time when it is earlier (the ``tau``
    column of ``rmst`` says which was used).
    """
    ci_level = check_ci_level(ci_level)
    n_boot = check_int("n_boot", n_boot, minimum=20)
    seed = check_int("seed", seed, minimum=0)
    validate_survival_data(data, columns=["lower", "upper"])
    grid = (np.arange(0, WINDOW_DAYS + 1, DAYS_PER_FORTNIGHT, dtype=float) if times is None
            else np.unique(np.asarray(times, dtype=float)))
    check_argument(grid.size > 0 and np.isfinite(grid).all() and grid.min() >= 0, "times",
                   "finite days since randomisation, >= 0", times)
    arm = data["arm"].to_numpy()
    lo, up = data["lower"].to_numpy(dtype=float), data["upper"].to_numpy(dtype=float)
    seen = np.where(np.isfinite(up), up, lo)  # last inspection time of each participant
    horizon = min(float(seen[arm == a].max()) for a in ARMS)
    tau = min(float(WINDOW_DAYS), horizon) if tau is None else tau
    check_argument(isinstance(tau, int | float) and 0 < tau <= horizon, "tau",
                   f"a number of days in (0, {horizon:g}]", tau,
                   "the shorter arm's last inspection time; beyond it the curve is unknown")
    times_all = np.unique(np.concatenate([grid, [0.0, float(tau)]]))
    rngs = [np.random.default_rng(c) for c in np.random.SeedSequence(seed).spawn(len(ARMS))]
    q = ((1 - ci_level) / 2, (1 + ci_level) / 2)
    tables, medians, area = [], [], {}
    for a, rng in zip(ARMS, rngs, strict=True):
        m = arm == a
        curves, area[a] = _arm_fit(lo[m], up[m], times_all, float(tau), n_boot=n_boot, rng=rng)
        keep = np.isin(times_all, grid)
        boot = curves[1:, keep]
        tables.append(pd.DataFrame({"arm": a, "time": grid, "estimate": curves[0, keep],
                                    "ci_low": np.quantile(boot, q[0], axis=0),
                                    "ci_high": np.quantile(boot, q[1], axis=0),
                                    "ci_level": ci_level}))
        hit = grid[curves[0, keep] <= 0.5]
        medians.append({"arm": a, "n": int(m.sum()), "events": int(np.isfinite(up[m]).sum()),
                        "estimate": float(hit[0]) if hit.size else np.inf})
    return rounded(TurnbullResult(
        table=rounded_frame(pd.concat(tables, ignore_index=True)),
        medians=rounded_frame(pd.DataFrame(medians)),
        rmst=rounded_frame(pd.DataFrame(_rmst_rows(area, q, ci_level)).assign(tau=float(tau))),
        tau=float(tau), ci_level=ci_level, n_boot=n_boot, seed=seed))
