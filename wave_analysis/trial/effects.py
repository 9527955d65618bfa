"""Treatment effects on days absent: the primary negative binomial analysis and its relatives.

Primary analysis (as planned for WAVE): negative binomial (NB2, log link) regression of days
absent over 6 months on arm, adjusted for the stratification variables (practice and baseline
absence band) and baseline absence (log days off before randomisation), on participants with the
outcome under the primary missing-reply rule. The effect is the intention-to-treat incidence rate
ratio (IRR) of vocational support against usual care (the effect of OFFERING support), with a Wald
CI at any level (the published report uses 80%).

Standard errors: by default from the observed information (the negative inverse Hessian of the
log-likelihood in the coefficients and the dispersion), as Stata's ``nbreg`` and statsmodels do.
R's ``MASS::glm.nb`` reports coefficient SEs from the expected (Fisher) information with the
dispersion held fixed; the two differ by a few per cent (3-8% on standard data). Pass
``information="expected"`` to get R's standard errors, e.g. to compare with an analysis run in R.

Before any rate-ratio model is fitted, :mod:`.effect_data` checks the data: missing or infinite
covariates are refused (naming the column and participants), an arm with only zeros stops the
analysis (the IRR is not estimable), and a stratum (practice, baseline-absence band) with only
zeros is left out of the fit with a ``note`` that the tidy table carries (the IRR is then the
limit of the pre-specified model's estimate; see that module).

Sensitivity analyses (``sensitivity``), each an IRR of vocational support vs usual care:

* negative binomial without covariates;
* Poisson regression with the primary covariates and robust (HC0 sandwich) standard errors, which
  is valid whatever the variance function as long as the mean model holds;
* zero-inflated negative binomial (:mod:`.zinb`; count-part IRR; a fallback to an intercept-only
  inflation part is labelled and noted);
* the primary model under each alternative missing-reply rule of :mod:`.outcomes`;
* complier average causal effect (:mod:`.cace`): the IRR among compliers, those who would receive
  at least one VSW contact when offered support (the effect of RECEIVING support, beside the ITT
  effect of offering it); g-estimation with randomisation as the instrument, assuming the
  exclusion restriction and no usual-care contacts; percentile bootstrap CI and a p-value from
  the same replicates, with undefined replicates counted (``boot_undefined``).

Secondary: ``productivity_difference`` (6-month productivity loss in GBP, VS minus UC, seeded
nonparametric bootstrap within arm, percentile or BCa interval) and ``questionnaire_effects``
(ANCOVA: OLS of each 6-week and 6-month questionnaire measure on arm and its baseline value).

Every result is rounded to ``_precision.SIGNIFICANT_DIGITS`` significant digits when it is built,
so tables and figures are identical on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import stats

from wave_analysis._checks import check_argument, check_ci_level, check_one_of
from wave_analysis._precision import rounded
from wave_analysis.config import DEFAULT_SEED
from wave_analysis.data.model import TrialData
from wave_analysis.design import (
    ARMS,
    CONTROL_ARM,
    INTERVENTION_ARM,
    MISSING_RULE_LABELS,
    TIMEPOINTS,
)
from wave_analysis.exceptions import FitError
from wave_analysis.trial.cace import cace, receipt
from wave_analysis.trial.effect_data import (
    ADJUSTED,
    OUTCOME,
    RateRatio,
    analysis_frame,
    categorical,
    check_arms,
    check_complete,
    check_n_boot,
    check_rank,
    check_size,
    prepare,
    wald,
)
from wave_analysis.trial.nbreg import fit_nb2
from wave_analysis.trial.outcomes import PRIMARY_RULE, RULES
from wave_analysis.trial.zinb import zero_inflated

__all__ = [
    "ADJUSTED", "INFORMATION", "MeanDifference", "RateRatio", "analysis_frame", "cace",
    "negative_binomial", "poisson_robust", "primary", "productivity_difference",
    "published_comparison", "questionnaire_effects", "receipt", "results_frame", "sensitivity",
    "zero_inflated",
]

QUESTIONNAIRE_MEASURES = ("eq5d_index", "eq_vas", "rtwse")
BOOTSTRAP_METHODS = ("percentile", "bca")
COV_TYPES = ("HC0", "HC1")
INFORMATION = ("observed", "expected")  # NB SE convention: Stata/statsmodels, or R glm.nb
PRIMARY_MODEL = "primary: negative binomial, adjusted"
_categorical = categorical  # the name tests/trial/test_nbreg.py uses


# ---------------------------------------------------------------------------------------------
# Primary model


def _fit_nb(y: np.ndarray, X: pd.DataFrame, what: str, information: str):
    """``fit_nb2`` with the failure named: which model, and which design column when known."""
    kwargs = {"information": information} if information != "observed" else {}
    try:
        return fit_nb2(y, X.to_numpy(), **kwargs)
    except FitError as err:
        column = getattr(err, "column", None)
        where = f" (design column {X.columns[column]!r})" if column is not None else ""
        raise FitError(f"{what}: {err}{where}") from err


def negative_binomial(frame: pd.DataFrame, *, adjusted: bool = True, ci_level: float = 0.8,
                      covariates: str = ADJUSTED, model: str | None = None,
                      information: str = "observed") -> RateRatio:
    """NB2 regression of ``days_absent`` on ``treated`` (plus ``covariates`` when adjusted).

    ``information``: "observed" (default; Stata, statsmodels) or "expected" (R ``glm.nb``'s
    coefficient SEs); see the module docstring. The data checks of :mod:`.effect_data` run first.
    """
    check_ci_level(ci_level)
    check_one_of("information", information, INFORMATION)
    name = model or ("negative binomial, adjusted" if adjusted else "negative binomial, unadjusted")
    formula = f"{OUTCOME} ~ treated" + (f" + {covariates}" if adjusted else "")
    data, note = prepare(frame, formula, name)
    y, X = patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")
    names = list(X.columns)
    check_size(len(y), names, name, extra=1)
    check_rank(X.to_numpy(), names, name)
    fit = _fit_nb(y.iloc[:, 0].to_numpy(), X, name, information)
    i = names.index("treated")
    return wald(name, fit.params[i], fit.bse[i], ci_level, len(y), dispersion=fit.alpha,
                method=f"Wald, {information} information", note=note)


def primary(trial: TrialData, *, ci_level: float = 0.8, information: str = "observed"
            ) -> RateRatio:
    """The primary adjusted ITT IRR (80% CI by default, as published).

    Standard errors follow the observed-information convention (as Stata and statsmodels);
    ``information="expected"`` gives R ``glm.nb``'s coefficient SEs, which differ by 3-8% on
    standard data. A practice or baseline-absence band whose outcomes are all 0 is left out of
    the fit and named in ``note``; an arm whose outcomes are all 0 raises ``FitError`` (the IRR is
    not estimable). The CACE (``cace``) estimates the effect of receiving support among compliers;
    this IRR is the effect of offering it."""
    return negative_binomial(analysis_frame(trial), adjusted=True, ci_level=ci_level,
                             model=PRIMARY_MODEL, information=information)


def published_comparison(result: RateRatio, target: Mapping) -> pd.DataFrame:
    """Published beside obtained for the IRR and its CI limits.

    ``target`` is the ``primary_irr`` entry of ``data/published_targets.yaml`` (``estimate``,
    ``ci_low``, ``ci_high``, ``ci_level``, ``tolerance_absolute``, ``source``)."""
    keys = ("estimate", "ci_low", "ci_high", "ci_level")
    check_argument(all(k in target for k in keys), "target",
                   "a mapping with " + ", ".join(keys), dict(target),
                   "the primary_irr entry of data/published_targets.yaml")
    check_argument(math.isclose(float(target["ci_level"]), result.ci_level),
                   "target['ci_level']", f"the result's ci_level {result.ci_level}",
                   target["ci_level"], f"refit with ci_level={target['ci_level']}")
    tol = target.get("tolerance_absolute")
    rows = []
    for key in ("estimate", "ci_low", "ci_high"):
        published, obtained = float(target[key]), float(getattr(result, key))
        rows.append({"quantity": key, "published": published, "obtained": obtained,
                     "difference": obtained - published, "ci_level": result.ci_level,
                     "tolerance": tol,
                     "within_tolerance": None if tol is None
                     else bool(abs(obtained - published) <= float(tol)),
                     "source": target.get("source")})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Sensitivity models


def poisson_robust(frame: pd.DataFrame, *, ci_level: float = 0.8, covariates: str = ADJUSTED,
                   cov_type: str = "HC0") -> RateRatio:
    """Poisson GLM of ``days_absent`` on ``treated`` + ``covariates`` with a sandwich variance
    (``cov_type`` HC0, the usual "robust Poisson", or HC1 with the n / (n - p) correction).
    The data checks of :mod:`.effect_data` run first; a fit that does not converge raises
    ``FitError``."""
    check_ci_level(ci_level)
    check_one_of("cov_type", cov_type, COV_TYPES)
    name = f"Poisson, adjusted, robust ({cov_type}) SE"
    formula = f"{OUTCOME} ~ treated" + (f" + {covariates}" if covariates else "")
    data, note = prepare(frame, formula, name)
    y, X = patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")
    check_size(len(y), list(X.columns), name)
    check_rank(X.to_numpy(), list(X.columns), name)
    fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(cov_type="HC0", tol=1e-12,
                                                          maxiter=200)
    if not fit.converged:
        raise FitError(f"{name}: the Poisson fit did not converge in 200 iterations; check for "
                       "a stratum with very few participants or extreme counts")
    se = float(fit.bse["treated"])
    if cov_type == "HC1":  # statsmodels' GLM applies no small-sample factor for HC1: do it here
        k = len(fit.params)
        se *= math.sqrt(fit.nobs / (fit.nobs - k))
    return wald(name, fit.params["treated"], se, ci_level, int(fit.nobs),
                method=f"Wald, {cov_type} sandwich", note=note)


def sensitivity(trial: TrialData, *, ci_level: float = 0.8, n_boot: int = 2000,
                seed: int = DEFAULT_SEED, information: str = "observed") -> list[RateRatio]:
    """The primary model and its sensitivity analyses, each as a :class:`RateRatio` (primary
    first). ``n_boot`` and ``seed`` drive the CACE bootstrap; ``information`` the SE convention of
    the negative binomial models (see ``primary``)."""
    ci_level, n_boot = check_ci_level(ci_level), check_n_boot(n_boot)
    check_one_of("information", information, INFORMATION)
    frame = analysis_frame(trial)
    out = [
        negative_binomial(frame, ci_level=ci_level, model=PRIMARY_MODEL, information=information),
        negative_binomial(frame, adjusted=False, ci_level=ci_level, information=information),
        poisson_robust(frame, ci_level=ci_level),
        zero_inflated(frame, ci_level=ci_level),
    ]
    for rule in RULES:
        if rule != PRIMARY_RULE:
            out.append(negative_binomial(analysis_frame(trial, rule=rule), ci_level=ci_level,
                                         model=f"negative binomial, adjusted; missing-reply rule: "
                                               f"{MISSING_RULE_LABELS[rule]}",
                                         information=information))
    out.append(cace(trial, ci_level=ci_level, n_boot=n_boot, seed=seed))
    return out


def results_frame(results: Sequence) -> pd.DataFrame:
    """Stack the ``to_frame()`` rows of several results into one tidy table."""
    check_argument(len(results) > 0, "results", "a non-empty sequence of results", results)
    # Row dicts rather than concat: concat warns when a column is all-NA in one piece.
    return pd.DataFrame([row for r in results for row in r.to_frame().to_dict("records")])


# ---------------------------------------------------------------------------------------------
# Secondary outcomes


@dataclass(frozen=True)
class MeanDifference:
    """A difference in means, vocational support minus usual care, with per-arm summaries."""

    outcome: str
    timepoint: str
    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    p_value: float | None
    method: str
    n_usual_care: int
    n_vocational_support: int
    mean_usual_care: float
    mean_vocational_support: float
    sd_usual_care: float
    sd_vocational_support: float
    note: str = ""  # participants left out (complete cases), when any

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)])


def _arm_summary(values: pd.Series, arm: pd.Series) -> dict:
    out = {}
    for a in ARMS:
        v = values[arm == a]
        out[f"n_{a}"] = int(v.size)
        out[f"mean_{a}"] = float(v.mean())
        out[f"sd_{a}"] = float(v.std(ddof=1)) if v.size > 1 else float("nan")
    return out


def _bca_interval(boot: np.ndarray, est: float, jack: np.ndarray, ci_level: float):
    """Efron's bias-corrected and accelerated interval from replicates and jackknife values."""
    prop = np.clip((boot < est).mean(), 1 / (2 * boot.size), 1 - 1 / (2 * boot.size))
    z0 = stats.norm.ppf(prop)
    d = jack.mean() - jack
    denom = 6 * (d**2).sum() ** 1.5
    a = (d**3).sum() / denom if denom > 0 else 0.0
    zs = stats.norm.ppf([0.5 - ci_level / 2, 0.5 + ci_level / 2])
    adj = stats.norm.cdf(z0 + (z0 + zs) / (1 - a * (z0 + zs)))
    return np.quantile(boot, adj)


def productivity_difference(trial: TrialData, *, n_boot: int = 2000, seed: int = DEFAULT_SEED,
                            ci_level: float = 0.95, method: str = "percentile",
                            timepoint: str = "6m") -> MeanDifference:
    """Mean productivity loss (GBP) at ``timepoint``, vocational support minus usual care, with a
    seeded nonparametric bootstrap CI: participants are resampled with replacement within arm
    (the arm sizes are fixed by design); ``method`` "percentile" or "bca" (bias-corrected and
    accelerated, with jackknife acceleration). Participants without a returned questionnaire or
    without a productivity value are left out (complete cases)."""
    ci_level, n_boot = check_ci_level(ci_level), check_n_boot(n_boot)
    check_one_of("method", method, BOOTSTRAP_METHODS)
    check_one_of("timepoint", timepoint, TIMEPOINTS)
    q = trial.questionnaires
    returned = (q.loc[q["timepoint"] == timepoint, ["participant_id", "productivity_loss_gbp"]]
                .merge(trial.participants[["participant_id", "arm"]], on="participant_id"))
    data = returned.dropna(subset=["productivity_loss_gbp"])
    check_arms(data, f"productivity loss at {timepoint}", "productivity_loss_gbp")
    check_complete(data, ["productivity_loss_gbp"], f"productivity loss at {timepoint}")
    note = _left_out(len(returned) - len(data), f"a {timepoint} questionnaire",
                     "productivity_loss_gbp")
    values = data["productivity_loss_gbp"].astype(float)
    summary = _arm_summary(values, data["arm"])
    y0 = values[data["arm"] == CONTROL_ARM].to_numpy()
    y1 = values[data["arm"] == INTERVENTION_ARM].to_numpy()
    est = y1.mean() - y0.mean()
    rng = np.random.default_rng(seed)
    boot = (y1[rng.integers(0, y1.size, (n_boot, y1.size))].mean(axis=1)
            - y0[rng.integers(0, y0.size, (n_boot, y0.size))].mean(axis=1))
    if method == "percentile":
        lo, hi = np.quantile(boot, [0.5 - ci_level / 2, 0.5 + ci_level / 2])
    else:
        # Jackknife of the difference: drop one participant at a time from either arm.
        jack = np.concatenate([
            y1.mean() - (y0.sum() - y0) / (y0.size - 1),
            (y1.sum() - y1) / (y1.size - 1) - y0.mean(),
        ])
        lo, hi = _bca_interval(boot, est, jack, ci_level)
    # Two-sided bootstrap p-value under the null of no difference: the share of replicates,
    # centred on their mean, at least as far from 0 as the estimate (+1 smoothing).
    p = float(min(1.0, ((np.abs(boot - boot.mean()) >= abs(est)).sum() + 1) / (n_boot + 1)))
    return rounded(MeanDifference(
        outcome="productivity_loss_gbp", timepoint=timepoint, estimate=float(est),
        ci_low=float(lo), ci_high=float(hi), ci_level=ci_level, p_value=p,
        method=f"{method} bootstrap within arm, {n_boot} resamples, seed {seed}", **summary,
        note=note))


def questionnaire_effects(trial: TrialData, *, ci_level: float = 0.95,
                          measures: Sequence[str] = QUESTIONNAIRE_MEASURES,
                          timepoints: Sequence[str] = TIMEPOINTS
                          ) -> list[MeanDifference]:
    """ANCOVA for each questionnaire measure and follow-up point: OLS of the follow-up value on
    arm and the participant's baseline value (from ``participants``), complete cases. The
    estimate is the adjusted mean difference (VS minus UC) with a t-based CI; the per-arm means
    and SDs are the unadjusted follow-up values of the analysed participants."""
    ci_level = check_ci_level(ci_level)
    for m in measures:
        check_one_of("measures", m, QUESTIONNAIRE_MEASURES)
    for tp in timepoints:
        check_one_of("timepoints", tp, TIMEPOINTS)
    out = []
    q = trial.questionnaires
    for tp in timepoints:
        follow = q.loc[q["timepoint"] == tp]
        for m in measures:
            out.append(_ancova(trial, follow, m, tp, ci_level))
    return out


def _ancova(trial: TrialData, follow: pd.DataFrame, measure: str, timepoint: str,
            ci_level: float) -> MeanDifference:
    """One ANCOVA of ``questionnaire_effects``; participants with a follow-up value but no
    baseline value are counted in the note (complete cases), infinite values refused."""
    what = f"questionnaire {measure} at {timepoint}"
    joined = (follow[["participant_id", measure]].rename(columns={measure: "y"})
              .merge(trial.participants[["participant_id", "arm", measure]]
                     .rename(columns={measure: "baseline"}), on="participant_id")
              .dropna(subset=["y"]))
    data = joined.dropna(subset=["baseline"])
    check_arms(data, what, "y")
    data = data.assign(y=data["y"].astype(float), baseline=data["baseline"].astype(float),
                       treated=(data["arm"] == INTERVENTION_ARM).astype(int))
    check_complete(data, ["y", "baseline"], what)
    y, X = patsy.dmatrices("y ~ treated + baseline", data, return_type="dataframe",
                           NA_action="raise")
    check_size(len(y), list(X.columns), what, extra=1)
    check_rank(X.to_numpy(), list(X.columns), what)
    fit = sm.OLS(y, X).fit()
    lo, hi = fit.conf_int(alpha=1 - ci_level).loc["treated"]
    return rounded(MeanDifference(
        outcome=measure, timepoint=timepoint, estimate=float(fit.params["treated"]),
        ci_low=float(lo), ci_high=float(hi), ci_level=ci_level,
        p_value=float(fit.pvalues["treated"]),
        method="ANCOVA (OLS on arm + baseline value), t-based CI",
        **_arm_summary(data["y"], data["arm"]),
        note=_left_out(len(joined) - len(data), f"a {timepoint} {measure} value",
                       f"baseline {measure}")))


def _left_out(count: int, having: str, missing: str) -> str:
    if not count:
        return ""
    return (f"{count} participant(s) with {having} but no {missing} left out (complete "
            "cases)")
