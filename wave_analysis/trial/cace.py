"""Complier average causal effect (CACE) of vocational support on days absent.

Estimand: the rate ratio of days absent, vocational support vs usual care, among compliers: those
who would receive at least one VSW contact when offered vocational support. It answers "what
does support do for those who take it up", where the ITT IRR of the primary analysis answers
"what does offering support do". With one-sided non-compliance (usual care cannot receive VSW
contacts) compliers are the vocational-support participants with a contact and their
counterparts in usual care.

Estimator: the multiplicative structural mean model solved by g-estimation with randomisation as
the instrument (Robins 1994; Clarke and Windmeijer 2010), which has the closed form of a Wald ratio
of complier means::

    IRR_CACE = mean(Y | VS, received) / mu0c,
    mu0c = (mean(Y | UC) - (1 - pi) mean(Y | VS, not received)) / pi,

where ``pi`` is the share of the vocational-support arm who received support. Assumptions:
randomisation is an instrument (independent of potential outcomes); exclusion restriction
(allocation changes absence only through receipt: never-takers in both arms have the same mean);
no defiers (usual care cannot receive VSW contacts: checked, an error otherwise). Unadjusted for
covariates (randomisation makes that unbiased).

Interval and p-value come from the same seeded bootstrap (participants resampled within arm), so
they agree: the percentile interval of the ratio replicates, and the p-value twice the smaller
share of log-ratio replicates on either side of 0 (the smallest reportable p-value is
1 / n_boot). A replicate whose ratio is undefined (complier mean under usual care <= 0, or no
complier with any absence) is not dropped, which would truncate the interval: it is counted in
``boot_undefined`` and placed at the extreme it tends to (+infinity when the usual-care complier
mean is <= 0, 0 when the complier mean under support is 0; in both tails when neither is
defined). The note reports the count; above ``UNRELIABLE_SHARE`` of the replicates the interval
is called unreliable, and when the undefined replicates reach into the interval's tail its bound
would be infinite, so a ``FitError`` is raised instead.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from wave_analysis._checks import check_ci_level
from wave_analysis._precision import rounded
from wave_analysis.config import DEFAULT_SEED
from wave_analysis.data.model import TrialData
from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.exceptions import FitError, StatisticalWarning, WaveError
from wave_analysis.trial import outcomes
from wave_analysis.trial.effect_data import (
    OUTCOME,
    RateRatio,
    analysis_frame,
    check_arms,
    check_n_boot,
)
from wave_analysis.trial.outcomes import PRIMARY_RULE

UNRELIABLE_SHARE = 0.01  # more undefined replicates than this: the interval is unreliable
MODEL = "CACE: receipt = at least 1 VSW contact (g-estimation, unadjusted)"


def receipt(trial: TrialData) -> pd.Series:
    """True for participants with at least one VSW contact (the CACE's definition of receipt),
    indexed by ``participant_id``. Raises when a usual-care participant had a contact, which
    breaks the one-sided non-compliance the CACE estimator assumes."""
    p = trial.participants
    got = p["participant_id"].map(outcomes.received_intervention(trial)).astype(bool)
    defiers = p.loc[got & (p["arm"] != INTERVENTION_ARM), "participant_id"].tolist()
    if defiers:
        shown = ", ".join(defiers[:5]) + (f" (+{len(defiers) - 5} more)" if len(defiers) > 5
                                          else "")
        raise WaveError(f"vsw_contacts: participant_id {shown} in arm {CONTROL_ARM!r} had VSW "
                        "contacts; the CACE assumes usual care cannot receive support. Check the "
                        "contact records or the randomisation list")
    return pd.Series(got.to_numpy(), index=p["participant_id"].to_numpy(), name="received")


def log_ratio(y0_sum, n0, y1r_sum, n1r, y1n_sum, n1):
    """Log complier rate ratio from sums (vectorised over replicates): +inf when the usual-care
    complier mean is <= 0, -inf when the complier mean under support is 0, NaN when neither
    side is defined (no complier in the resample, or both undefined)."""
    y0_sum, n1r = np.asarray(y0_sum, dtype=float), np.asarray(n1r, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = n1r / n1
        mu1c = np.asarray(y1r_sum, dtype=float) / n1r
        mu_nt = np.where(n1 - n1r > 0, y1n_sum / np.maximum(n1 - n1r, 1), 0.0)
        mu0c = (y0_sum / n0 - (1 - pi) * mu_nt) / pi
        out = np.log(mu1c) - np.log(np.where(mu0c > 0, mu0c, np.nan))
    out = np.where((mu0c <= 0) & (mu1c > 0), np.inf, out)
    out = np.where((mu1c == 0) & (mu0c > 0), -np.inf, out)
    return np.where(n1r > 0, out, np.nan)


def _quantile(values: np.ndarray, q: float) -> float:
    """numpy's default (linear) quantile of ``values``, or NaN when it would use an infinite
    (or undefined, then NaN) replicate."""
    ordered = np.sort(values)  # NaN sorts last
    h = (ordered.size - 1) * q
    below, above = ordered[int(np.floor(h))], ordered[int(np.ceil(h))]
    if not (np.isfinite(below) and np.isfinite(above)):
        return float("nan")
    return float(below + (above - below) * (h - np.floor(h)))


def _interval(logs: np.ndarray, ci_level: float) -> tuple[float, float]:
    """Percentile interval of the ratio replicates; undefined (NaN) ones count at both extremes
    (NaN in a bound: the interval is unbounded on that side)."""
    with np.errstate(over="ignore"):
        ratio = np.exp(logs)  # +inf stays +inf, -inf gives 0 (an unbounded log interval)
    ratio = np.where(ratio == 0, -np.inf, ratio)
    lo = _quantile(np.where(np.isnan(logs), -np.inf, ratio), 0.5 - ci_level / 2)
    hi = _quantile(np.where(np.isnan(logs), np.inf, ratio), 0.5 + ci_level / 2)
    return lo, hi


def _replicates(y0, y1, r1, n_boot: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    i0 = rng.integers(0, len(y0), size=(n_boot, len(y0)))
    i1 = rng.integers(0, len(y1), size=(n_boot, len(y1)))
    b_y1, b_r1 = y1[i1], r1[i1]
    return log_ratio(y0[i0].sum(axis=1), len(y0), (b_y1 * b_r1).sum(axis=1), b_r1.sum(axis=1),
                     (b_y1 * ~b_r1).sum(axis=1), len(y1))


def _undefined_note(undefined: int, n_boot: int) -> str:
    if not undefined:
        return ""
    note = (f"{undefined} of {n_boot} bootstrap resamples gave an undefined ratio (complier mean "
            "under usual care <= 0, or no complier absence); counted at the extreme they tend "
            "to, not dropped")
    if undefined > UNRELIABLE_SHARE * n_boot:
        note += (f"; more than {UNRELIABLE_SHARE:.0%} of resamples: the interval is unreliable "
                 "(the complier share is small)")
        warnings.warn(f"CACE: {note}", StatisticalWarning, stacklevel=3)
    return note


def cace(trial: TrialData, *, ci_level: float = 0.8, n_boot: int = 2000,
         seed: int = DEFAULT_SEED, rule: str = PRIMARY_RULE) -> RateRatio:
    """Complier average causal effect as a rate ratio (receipt = at least one VSW contact); see
    the module docstring for the estimand, the estimator, its assumptions and the bootstrap."""
    ci_level, n_boot = check_ci_level(ci_level), check_n_boot(n_boot)
    frame = analysis_frame(trial, rule=rule)
    check_arms(frame, "CACE", OUTCOME)
    got = receipt(trial).reindex(frame["participant_id"]).to_numpy(dtype=bool)
    y = frame[OUTCOME].to_numpy(dtype=float)
    uc = frame["arm"].to_numpy() == CONTROL_ARM
    y0, y1, r1 = y[uc], y[~uc], got[~uc]
    if not r1.any():
        raise FitError(f"CACE: nobody in the {INTERVENTION_ARM} arm with an outcome had a VSW "
                       "contact, so the complier effect is not identified")
    est = float(log_ratio(y0.sum(), len(y0), y1[r1].sum(), r1.sum(), y1[~r1].sum(), len(y1)))
    if not np.isfinite(est):
        raise FitError("CACE: the estimated complier mean is not positive in one arm (under "
                       "usual care it is the arm mean minus the never-takers' share); the rate "
                       "ratio is 0, infinite or undefined for these data")
    logs = _replicates(y0, y1, r1, n_boot, seed)
    undefined = int((~np.isfinite(logs)).sum())
    lo, hi = _interval(logs, ci_level)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise FitError(f"CACE bootstrap: {undefined} of {n_boot} resamples gave an undefined or "
                       f"infinite ratio, so the {ci_level:.0%} interval is unbounded; the complier "
                       "share is too small for a bootstrap interval")
    below = int(np.sum(logs <= 0) + np.isnan(logs).sum())
    above = int(np.sum(logs >= 0) + np.isnan(logs).sum())
    p = max(min(1.0, 2 * min(below, above) / n_boot), 1 / n_boot)
    return rounded(RateRatio(
        MODEL, float(np.exp(est)), lo, hi, ci_level, p, None, len(y),
        method=f"percentile bootstrap within arm, {n_boot} resamples, seed {seed}; p-value from "
               "the same replicates",
        note=_undefined_note(undefined, n_boot), boot_undefined=undefined))
