"""Zero-inflated negative binomial (NB2) sensitivity analysis of days absent.

statsmodels' ``ZeroInflatedNegativeBinomialP``: NB2 count part on arm and the primary covariates,
logit inflation part on log baseline absence (as in the SWAP trial). The IRR is the count part's:
the rate ratio among those "at risk" of absence.

Fitting: BFGS from statsmodels' start values, then Newton from the BFGS optimum to a tight
tolerance; the Newton polish is kept only if it does not lower the BFGS log-likelihood (beyond
rounding: ``LLF_NOISE`` relative). The fit counts as converged only when the Hessian is negative
definite, the Newton step the score (gradient) still asks for is below ``STEP_TOL`` in every
parameter, and every SE is finite; statsmodels' own convergence warnings are caught because this
check replaces them (no other warning is silenced). Converging far below the reported 6 significant
digits is what makes the rounded results identical on every CPU. The SEs come from the Hessian
obtained by differencing the analytic score (:func:`score_hessian`), not from statsmodels' second
differences of the log-likelihood, which are accurate to only about 5 digits.

When the fit with the requested inflation part fails this check, the inflation part falls back to
an intercept only; the result then says so in its model label ("[fallback]") and in its ``note``,
and a ``StatisticalWarning`` is issued. When that fails too, a ``FitError`` is raised.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import patsy
from statsmodels.discrete.count_model import ZeroInflatedNegativeBinomialP
from statsmodels.tools.sm_exceptions import ConvergenceWarning, HessianInversionWarning

from wave_analysis._checks import check_ci_level
from wave_analysis.design import label
from wave_analysis.exceptions import FitError, StatisticalWarning
from wave_analysis.trial.effect_data import (
    ADJUSTED,
    OUTCOME,
    RateRatio,
    check_rank,
    check_size,
    prepare,
    wald,
)

STEP_TOL = 1e-8  # largest remaining Newton step (any parameter) at an accepted optimum
NEWTON_TOL = 1e-12  # step size at which the Newton polish stops
LLF_NOISE = 1e-12  # relative change in the log-likelihood that is rounding, not a decrease


def _quiet_fit(mod, **kwargs):
    """``mod.fit`` with statsmodels' convergence warnings caught (``_judge`` checks instead),
    and numpy's floating-point warnings silenced: the optimiser's trial steps may visit
    parameters where log(0) or exp overflow occur; the accepted fit is checked for finiteness."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", HessianInversionWarning)
        return mod.fit(disp=0, **kwargs)


def score_hessian(mod, params: np.ndarray) -> np.ndarray:
    """The Hessian as central differences of statsmodels' analytic score, symmetrised.

    statsmodels' own ZINB Hessian is second differences of the log-likelihood, whose rounding
    noise (about 1e-16 |loglik| / 1e-8) reaches the 5th significant digit of the SEs, so they
    differed between CPU kernels; differencing the analytic score is accurate to about 1e-9."""
    k = params.size
    hess = np.empty((k, k))
    for j in range(k):
        step = np.finfo(float).eps ** (1 / 3) * max(abs(params[j]), 1.0)
        up, down = params.copy(), params.copy()
        up[j] += step
        down[j] -= step
        hess[:, j] = (mod.score(up) - mod.score(down)) / (2 * step)
    return (hess + hess.T) / 2


def _judge(mod, fit) -> tuple[str, np.ndarray | None]:
    """Why ``fit`` is not an acceptable optimum ("" when it is), and the standard errors."""
    params = np.asarray(fit.params, dtype=float)
    if not np.all(np.isfinite(params)) or not np.isfinite(fit.llf):
        return "non-finite estimates", None
    hess = score_hessian(mod, params)
    if not np.all(np.isfinite(hess)) or np.max(np.linalg.eigvalsh(hess)) >= 0:
        return "the Hessian is not negative definite (no unique optimum)", None
    step = np.max(np.abs(np.linalg.solve(-hess, mod.score(params))))
    if not step <= STEP_TOL:
        return f"a remaining Newton step of {step:.2g} (not converged)", None
    bse = np.sqrt(np.diag(np.linalg.inv(-hess)))
    if not np.all(np.isfinite(bse)):
        return "a standard error is not finite", None
    return "", pd.Series(bse, index=getattr(fit.params, "index", None))


def fit_zinb(y, x, z):
    """BFGS then a Newton polish kept only if it does not lower the log-likelihood. Returns
    ``(fit, problem, bse)``; ``problem`` is "" for an accepted optimum, ``bse`` its standard
    errors (from :func:`score_hessian`)."""
    mod = ZeroInflatedNegativeBinomialP(y, x, exog_infl=z, p=2)
    try:
        bfgs = _quiet_fit(mod, maxiter=2000, method="bfgs", gtol=1e-8)
    except (np.linalg.LinAlgError, ValueError) as err:
        return None, f"the optimiser failed ({err})", None
    fit = bfgs
    try:
        newton = _quiet_fit(mod, maxiter=200, method="newton", start_params=bfgs.params,
                            tol=NEWTON_TOL)
    except (np.linalg.LinAlgError, ValueError):
        newton = None
    if (newton is not None and np.isfinite(newton.llf)
            and newton.llf >= bfgs.llf - LLF_NOISE * max(1.0, abs(bfgs.llf))):
        fit = newton
    return (fit, *_judge(mod, fit))


def zero_inflated(frame: pd.DataFrame, *, ci_level: float = 0.8, covariates: str = ADJUSTED,
                  inflation: str = "log_baseline_days") -> RateRatio:
    """Zero-inflated NB2: count part on ``treated`` + ``covariates``, logit inflation part on
    ``inflation`` (a formula right-hand side; "1" for intercept only). Reports the count part's
    IRR; see the module docstring for the convergence check and the reported fallback."""
    check_ci_level(ci_level)
    what = "zero-inflated model"
    formula = f"{OUTCOME} ~ treated + {covariates}"
    data, note = prepare(frame, f"{formula} + {inflation}", what)
    if not (data[OUTCOME] == 0).any():
        raise FitError(f"{what}: no participant has 0 days absent, so there are no zeros to "
                       "model; report the negative binomial model instead")
    y, x = patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")
    check_rank(x.to_numpy(), list(x.columns), what)
    tried = []
    for part in dict.fromkeys([inflation, "1"]):
        z = patsy.dmatrix(part, data, return_type="dataframe", NA_action="raise")
        check_size(len(y), list(x.columns) + list(z.columns), what, extra=1)
        fit, problem, bse = fit_zinb(y, x, z)
        tried.append(f"{part} ({problem})" if problem else part)
        if problem:
            continue
        name = f"zero-inflated NB, adjusted (count part; inflation: {label(part)})"
        if part != inflation:
            name = ("zero-inflated NB, adjusted (count part; inflation: intercept only) "
                    "[fallback]")
            fallback = (f"fallback: the inflation part on {inflation} did not give an "
                        f"acceptable fit ({tried[0].split(' (', 1)[1][:-1]}); refitted with an "
                        "intercept-only inflation part")
            warnings.warn(f"{what}: {fallback}", StatisticalWarning, stacklevel=2)
            note = "; ".join(filter(None, [note, fallback]))
        return wald(name, fit.params["treated"], bse["treated"], ci_level, int(fit.nobs),
                    dispersion=float(fit.params["alpha"]), note=note,
                    method="Wald, observed information (Hessian from the analytic score)")
    raise FitError(f"{what}: no acceptable fit (inflation parts tried: {'; '.join(tried)}); "
                   "the data may have too few zeros or strata too small for the covariates")

