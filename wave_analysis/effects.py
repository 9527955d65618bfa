"""Treatment effects on days absent: the primary negative binomial analysis and its relatives.

Primary analysis (as planned for WAVE): negative binomial (NB2, log link) regression of days
absent over 6 months on arm, adjusted for the stratification variables (practice and baseline
absence band) and baseline absence (log days off before randomisation), on participants with the
outcome under the primary missing-reply rule. The effect is the incidence rate ratio (IRR) of
vocational support against usual care, with a Wald CI at any level (the published report uses 80%).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from wave_analysis.data_model import TrialData
from wave_analysis.exceptions import WaveError
from wave_analysis.outcomes import PRIMARY_RULE, days_absent

ADJUSTED = "C(practice_id) + absence_band + log_baseline_days"


@dataclass(frozen=True)
class RateRatio:
    """An incidence rate ratio of vocational support vs usual care."""

    model: str
    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    p_value: float
    log_se: float
    n: int
    dispersion: float | None = None  # NB2 alpha (var = mu + alpha mu^2); theta = 1 / alpha

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def analysis_frame(trial: TrialData, *, rule: str = PRIMARY_RULE) -> pd.DataFrame:
    """Participants with a derived outcome, joined to the covariates the models use."""
    outcome = days_absent(trial, rule=rule)
    frame = outcome.merge(trial.participants.drop(columns="arm"), on="participant_id")
    frame = frame.dropna(subset=["days_absent"]).reset_index(drop=True)
    frame["treated"] = (frame["arm"] == "vocational_support").astype(int)
    frame["log_baseline_days"] = np.log(frame["days_absent_baseline"].astype(float))
    frame["days_absent"] = frame["days_absent"].round().astype(int)
    return frame


def _wald(model: str, beta: float, se: float, ci_level: float, n: int,
          dispersion: float | None = None) -> RateRatio:
    if not 0 < ci_level < 1:
        raise WaveError(f"ci_level must be between 0 and 1 (got {ci_level}); e.g. 0.8 or 0.95")
    z = stats.norm.ppf(0.5 + ci_level / 2)
    p = 2 * stats.norm.sf(abs(beta / se))
    return RateRatio(model, float(np.exp(beta)), float(np.exp(beta - z * se)),
                     float(np.exp(beta + z * se)), ci_level, float(p), float(se), n, dispersion)


def negative_binomial(frame: pd.DataFrame, *, adjusted: bool = True, ci_level: float = 0.8,
                      covariates: str = ADJUSTED, model: str | None = None) -> RateRatio:
    """NB2 regression of ``days_absent`` on ``treated`` (plus ``covariates`` when adjusted)."""
    formula = "days_absent ~ treated" + (f" + {covariates}" if adjusted else "")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter is checked below instead
        fit = smf.negativebinomial(formula, data=frame).fit(disp=0, maxiter=500)
    if not fit.mle_retvals.get("converged", True):
        raise WaveError(f"negative binomial model did not converge ({formula}); check for "
                        "empty strata or a constant outcome")
    name = model or ("negative binomial, adjusted" if adjusted else "negative binomial, unadjusted")
    return _wald(name, fit.params["treated"], fit.bse["treated"], ci_level, int(fit.nobs),
                 float(fit.params["alpha"]))


def primary(trial: TrialData, *, ci_level: float = 0.8) -> RateRatio:
    """The primary adjusted IRR (80% CI by default, as published)."""
    return negative_binomial(analysis_frame(trial), adjusted=True, ci_level=ci_level,
                             model="primary: negative binomial, adjusted")
