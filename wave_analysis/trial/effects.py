"""Treatment effects on days absent: the primary negative binomial analysis and its relatives.

Primary analysis (as planned for WAVE): negative binomial (NB2, log link) regression of days
absent over 6 months on arm, adjusted for the stratification variables (practice and baseline
absence band) and baseline absence (log days off before randomisation), on participants with the
outcome under the primary missing-reply rule. The effect is the incidence rate ratio (IRR) of
vocational support against usual care, with a Wald CI at any level (the published report uses 80%).

Sensitivity analyses (``sensitivity``), each an IRR of vocational support vs usual care:

* negative binomial without covariates;
* Poisson regression with the primary covariates and robust (HC0 sandwich) standard errors, which
  is valid whatever the variance function as long as the mean model holds;
* zero-inflated negative binomial (statsmodels ``ZeroInflatedNegativeBinomialP``, NB2 count
  part with the primary covariates, logit inflation part on log baseline absence, as in the SWAP
  trial). The IRR is the count part's: the rate ratio among those "at risk" of absence. When the
  fit does not converge, the inflation part falls back to an intercept only (the model name says
  so); when that fails too, a ``WaveError`` is raised.
* the primary model under each alternative missing-reply rule of :mod:`.outcomes`;
* complier average causal effect (CACE), receipt = at least one VSW contact. Estimator: the
  multiplicative structural mean model solved by g-estimation with randomisation as the
  instrument (Robins 1994; Clarke and Windmeijer 2010). With one-sided non-compliance it has the
  closed form of a Wald ratio of complier means::

      IRR_CACE = mean(Y | VS, received) / mu0c,
      mu0c = (mean(Y | UC) - (1 - pi) mean(Y | VS, not received)) / pi,

  where ``pi`` is the share of the vocational-support arm who received support. Assumptions:
  randomisation is an instrument (independent of potential outcomes), exclusion restriction
  (allocation changes absence only through receipt: never-takers in both arms have the same mean),
  and no defiers (usual care cannot receive VSW contacts: checked, an error otherwise). It is
  unadjusted for covariates (randomisation makes that unbiased). The CI is a seeded percentile
  bootstrap resampling participants within arm; ``log_se`` is the bootstrap SD of the log IRR and
  the p-value is the Wald test that uses it.

Secondary: ``productivity_difference`` (6-month productivity loss in GBP, VS minus UC, seeded
nonparametric bootstrap within arm, percentile or BCa interval) and ``questionnaire_effects``
(ANCOVA: OLS of each 6-week and 6-month questionnaire measure on arm and its baseline value).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from wave_analysis._checks import check_argument, check_ci_level, check_int, check_one_of
from wave_analysis.config import DEFAULT_SEED
from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, CONTROL_ARM, INTERVENTION_ARM, TIMEPOINTS
from wave_analysis.exceptions import WaveError
from wave_analysis.trial import outcomes
from wave_analysis.trial.nbreg import fit_nb2
from wave_analysis.trial.outcomes import PRIMARY_RULE, RULES, days_absent

ADJUSTED = "C(practice_id) + absence_band + log_baseline_days"
QUESTIONNAIRE_MEASURES = ("eq5d_index", "eq_vas", "rtwse")
BOOTSTRAP_METHODS = ("percentile", "bca")
COV_TYPES = ("HC0", "HC1")
MIN_BOOT = 100  # fewer resamples give an interval too rough to report


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
    method: str = "Wald"  # how the CI was obtained

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


# ---------------------------------------------------------------------------------------------
# Input checks


def _check_n_boot(n_boot: object) -> int:
    if isinstance(n_boot, np.integer):  # a count from numpy is as good as a Python int
        n_boot = int(n_boot)
    return check_int("n_boot", n_boot, minimum=MIN_BOOT)


def _check_arms(frame: pd.DataFrame, what: str, column: str) -> None:
    """Both arms need rows with a value in ``column``, else no comparison is possible."""
    if "arm" not in frame.columns or column not in frame.columns:
        raise WaveError(f"{what}: the analysis table needs columns 'arm' and {column!r}")
    counts = frame.loc[frame[column].notna(), "arm"].value_counts()
    empty = [a for a in ARMS if counts.get(a, 0) == 0]
    if empty:
        raise WaveError(f"{what}: no participants with {column!r} in arm "
                        f"{', '.join(map(repr, empty))}; both arms ({', '.join(ARMS)}) need "
                        "data; check the export's participants and follow-up tables")


# ---------------------------------------------------------------------------------------------
# Primary model


def analysis_frame(trial: TrialData, *, rule: str = PRIMARY_RULE) -> pd.DataFrame:
    """Participants with a derived outcome, joined to the covariates the models use."""
    outcome = days_absent(trial, rule=rule)
    frame = outcome.merge(trial.participants.drop(columns="arm"), on="participant_id")
    frame = frame.dropna(subset=["days_absent"]).reset_index(drop=True)
    frame["treated"] = (frame["arm"] == INTERVENTION_ARM).astype(int)
    frame["log_baseline_days"] = np.log(frame["days_absent_baseline"].astype(float))
    frame["days_absent"] = frame["days_absent"].round().astype(int)
    return frame


def _wald(model: str, beta: float, se: float, ci_level: float, n: int, *,
          dispersion: float | None = None, method: str = "Wald") -> RateRatio:
    ci_level = check_ci_level(ci_level)
    z = stats.norm.ppf(0.5 + ci_level / 2)
    p = 2 * stats.norm.sf(abs(beta / se))
    return RateRatio(model, float(np.exp(beta)), float(np.exp(beta - z * se)),
                     float(np.exp(beta + z * se)), ci_level, float(p), float(se), n, dispersion,
                     method)


def _categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """Text stratification columns as pandas categories: the formula builds the same dummies
    (levels in sorted order) several times faster on large data."""
    text = [c for c in ("practice_id", "absence_band")
            if c in frame.columns and not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.assign(**{c: frame[c].astype("category") for c in text}) if text else frame


def negative_binomial(frame: pd.DataFrame, *, adjusted: bool = True, ci_level: float = 0.8,
                      covariates: str = ADJUSTED, model: str | None = None) -> RateRatio:
    """NB2 regression of ``days_absent`` on ``treated`` (plus ``covariates`` when adjusted)."""
    check_ci_level(ci_level)
    _check_arms(frame, "negative binomial model", "days_absent")
    formula = "days_absent ~ treated" + (f" + {covariates}" if adjusted else "")
    y, X = patsy.dmatrices(formula, _categorical(frame), return_type="dataframe")
    fit = fit_nb2(y.iloc[:, 0].to_numpy(), X.to_numpy())
    i = list(X.columns).index("treated")
    name = model or ("negative binomial, adjusted" if adjusted else "negative binomial, unadjusted")
    return _wald(name, fit.params[i], fit.bse[i], ci_level, len(y), dispersion=fit.alpha)


def primary(trial: TrialData, *, ci_level: float = 0.8) -> RateRatio:
    """The primary adjusted IRR (80% CI by default, as published)."""
    return negative_binomial(analysis_frame(trial), adjusted=True, ci_level=ci_level,
                             model="primary: negative binomial, adjusted")


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
    (``cov_type`` HC0, the usual "robust Poisson", or HC1 with the n / (n - p) correction)."""
    check_ci_level(ci_level)
    _check_arms(frame, "Poisson model", "days_absent")
    check_one_of("cov_type", cov_type, COV_TYPES)
    formula = "days_absent ~ treated" + (f" + {covariates}" if covariates else "")
    fit = smf.glm(formula, data=frame, family=sm.families.Poisson()).fit(cov_type="HC0")
    se = float(fit.bse["treated"])
    if cov_type == "HC1":  # statsmodels' GLM applies no small-sample factor for HC1: do it here
        k = len(fit.params)
        se *= math.sqrt(fit.nobs / (fit.nobs - k))
    return _wald(f"Poisson, adjusted, robust ({cov_type}) SE", fit.params["treated"], se,
                 ci_level, int(fit.nobs), method=f"Wald, {cov_type} sandwich")


def _zinb_fit(y, x, z):
    from statsmodels.discrete.count_model import ZeroInflatedNegativeBinomialP

    mod = ZeroInflatedNegativeBinomialP(y, x, exog_infl=z, p=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence is judged below
        fit = mod.fit(disp=0, maxiter=2000, method="bfgs")
        # Newton polish from the BFGS optimum: a sharper optimum and a Hessian-based SE.
        fit = mod.fit(disp=0, maxiter=100, method="newton", start_params=fit.params)
    ok = bool(fit.mle_retvals.get("converged", False)) and np.isfinite(fit.bse["treated"])
    return fit, ok


def zero_inflated(frame: pd.DataFrame, *, ci_level: float = 0.8, covariates: str = ADJUSTED,
                  inflation: str = "log_baseline_days") -> RateRatio:
    """Zero-inflated NB2: count part on ``treated`` + ``covariates``, logit inflation part on
    ``inflation`` (a formula right-hand side; "1" for intercept only). Reports the count part's
    IRR. Falls back to an intercept-only inflation part when the fit does not converge."""
    check_ci_level(ci_level)
    _check_arms(frame, "zero-inflated model", "days_absent")
    if not (frame["days_absent"] == 0).any():
        raise WaveError("zero-inflated model: no participant has 0 days absent, so there are no "
                        "zeros to model; report the negative binomial model instead")
    y, x = patsy.dmatrices(f"days_absent ~ treated + {covariates}", frame,
                           return_type="dataframe")
    tried = []
    for part in dict.fromkeys([inflation, "1"]):
        z = patsy.dmatrix(part, frame, return_type="dataframe")
        fit, ok = _zinb_fit(y, x, z)
        tried.append(part)
        if ok:
            label = "intercept only" if part == "1" else part
            name = f"zero-inflated NB, adjusted (count part; inflation: {label})"
            if part != inflation:
                name += " [fallback]"
            return _wald(name, fit.params["treated"], fit.bse["treated"], ci_level,
                         int(fit.nobs), dispersion=float(fit.params["alpha"]))
    raise WaveError(f"zero-inflated negative binomial did not converge (inflation parts tried: "
                    f"{', '.join(tried)}); the data may have too few zeros or strata too small "
                    "for the covariates")


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


def _cace_ratio(y0_sum, n0, y1r_sum, n1r, y1n_sum, n1):
    """Complier rate ratio from sums (vectorised over bootstrap replicates); NaN if undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = n1r / n1
        mu1c = y1r_sum / n1r
        mu_nt = np.where(n1 - n1r > 0, y1n_sum / np.maximum(n1 - n1r, 1), 0.0)
        mu0c = (y0_sum / n0 - (1 - pi) * mu_nt) / pi
        ratio = mu1c / mu0c
    return np.where((mu0c > 0) & (mu1c > 0) & (n1r > 0), ratio, np.nan)


def cace(trial: TrialData, *, ci_level: float = 0.8, n_boot: int = 2000,
         seed: int = DEFAULT_SEED, rule: str = PRIMARY_RULE) -> RateRatio:
    """Complier average causal effect as a rate ratio (receipt = at least one VSW contact); see the
    module docstring for the estimator and its assumptions."""
    ci_level, n_boot = check_ci_level(ci_level), _check_n_boot(n_boot)
    frame = analysis_frame(trial, rule=rule)
    _check_arms(frame, "CACE", "days_absent")
    got = receipt(trial).reindex(frame["participant_id"]).to_numpy(dtype=bool)
    y = frame["days_absent"].to_numpy(dtype=float)
    uc = frame["arm"].to_numpy() == CONTROL_ARM
    y0, y1, r1 = y[uc], y[~uc], got[~uc]
    if not r1.any():
        raise WaveError(f"CACE: nobody in the {INTERVENTION_ARM} arm with an outcome had a VSW "
                        "contact, so the complier effect is not identified")
    est = float(_cace_ratio(y0.sum(), len(y0), y1[r1].sum(), r1.sum(), y1[~r1].sum(), len(y1)))
    if not np.isfinite(est):
        raise WaveError("CACE: the estimated complier mean under usual care is not positive; "
                        "the rate ratio is undefined for these data")
    rng = np.random.default_rng(seed)
    i0 = rng.integers(0, len(y0), size=(n_boot, len(y0)))
    i1 = rng.integers(0, len(y1), size=(n_boot, len(y1)))
    b_y1, b_r1 = y1[i1], r1[i1]
    boot = _cace_ratio(y0[i0].sum(axis=1), len(y0), (b_y1 * b_r1).sum(axis=1), b_r1.sum(axis=1),
                       (b_y1 * ~b_r1).sum(axis=1), len(y1))
    ok = np.isfinite(boot)
    if ok.mean() < 0.99:
        raise WaveError(f"CACE bootstrap: the rate ratio was undefined in {(~ok).sum()} of "
                        f"{n_boot} resamples; the complier share is too small for a stable CI")
    logs = np.log(boot[ok])
    lo, hi = np.quantile(boot[ok], [0.5 - ci_level / 2, 0.5 + ci_level / 2])
    se = float(logs.std(ddof=1))
    p = float(2 * stats.norm.sf(abs(np.log(est) / se)))
    return RateRatio("CACE: receipt = at least 1 VSW contact (g-estimation, unadjusted)", est,
                     float(lo), float(hi), ci_level, p, se, len(y),
                     method=f"percentile bootstrap within arm, {n_boot} resamples, seed {seed}")


def sensitivity(trial: TrialData, *, ci_level: float = 0.8, n_boot: int = 2000,
                seed: int = DEFAULT_SEED) -> list[RateRatio]:
    """The primary model and its sensitivity analyses, each as a :class:`RateRatio` (primary
    first). ``n_boot`` and ``seed`` drive the CACE bootstrap."""
    ci_level, n_boot = check_ci_level(ci_level), _check_n_boot(n_boot)
    frame = analysis_frame(trial)
    out = [
        negative_binomial(frame, ci_level=ci_level, model="primary: negative binomial, adjusted"),
        negative_binomial(frame, adjusted=False, ci_level=ci_level),
        poisson_robust(frame, ci_level=ci_level),
        zero_inflated(frame, ci_level=ci_level),
    ]
    for rule in RULES:
        if rule != PRIMARY_RULE:
            out.append(negative_binomial(analysis_frame(trial, rule=rule), ci_level=ci_level,
                                         model=f"negative binomial, adjusted; missing-reply rule "
                                               f"{rule}"))
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
    ci_level, n_boot = check_ci_level(ci_level), _check_n_boot(n_boot)
    check_one_of("method", method, BOOTSTRAP_METHODS)
    check_one_of("timepoint", timepoint, TIMEPOINTS)
    q = trial.questionnaires
    data = (q.loc[q["timepoint"] == timepoint, ["participant_id", "productivity_loss_gbp"]]
            .merge(trial.participants[["participant_id", "arm"]], on="participant_id")
            .dropna(subset=["productivity_loss_gbp"]))
    _check_arms(data, f"productivity loss at {timepoint}", "productivity_loss_gbp")
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
    return MeanDifference(
        outcome="productivity_loss_gbp", timepoint=timepoint, estimate=float(est),
        ci_low=float(lo), ci_high=float(hi), ci_level=ci_level, p_value=p,
        method=f"{method} bootstrap within arm, {n_boot} resamples, seed {seed}", **summary)


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
            data = (follow[["participant_id", m]].rename(columns={m: "y"})
                    .merge(trial.participants[["participant_id", "arm", m]]
                           .rename(columns={m: "baseline"}), on="participant_id")
                    .dropna(subset=["y", "baseline"]))
            _check_arms(data, f"questionnaire {m} at {tp}", "y")
            data = data.assign(y=data["y"].astype(float), baseline=data["baseline"].astype(float),
                               treated=(data["arm"] == INTERVENTION_ARM).astype(int))
            fit = smf.ols("y ~ treated + baseline", data=data).fit()
            lo, hi = fit.conf_int(alpha=1 - ci_level).loc["treated"]
            out.append(MeanDifference(
                outcome=m, timepoint=tp, estimate=float(fit.params["treated"]),
                ci_low=float(lo), ci_high=float(hi), ci_level=ci_level,
                p_value=float(fit.pvalues["treated"]),
                method="ANCOVA (OLS on arm + baseline value), t-based CI",
                **_arm_summary(data["y"], data["arm"])))
    return out

