"""Negative binomial (NB2) regression by Newton's method with analytic derivatives.

statsmodels' ``NegativeBinomial`` optimises with BFGS and numerical line searches, which takes
about 30 s at a million rows; this solver takes a few Newton steps on (beta, log alpha) from a
Poisson start and is exact to the same likelihood (tests compare it with statsmodels and with R's
``MASS::glm.nb`` on the ``quine`` data).

Model: ``y ~ NB(mu, alpha)`` with ``log(mu) = X beta`` and ``var(y) = mu + alpha mu^2``
(R's ``theta`` is ``1 / alpha``). Log-likelihood per observation (Cameron and Trivedi 2013,
eq. 3.26), with ``r = 1 / alpha``::

    lgamma(y + r) - lgamma(r) - lgamma(y + 1) + r log(r / (r + mu)) + y log(mu / (r + mu))

Standard errors: two conventions
    ``information="observed"`` (the default, as Stata's ``nbreg`` and statsmodels): the inverse of
    the observed information (minus the Hessian of the log-likelihood) in (beta, alpha) jointly.
    ``information="expected"`` (as R's ``MASS::glm.nb``): the coefficients' covariance is
    ``(X' W X)^-1`` with the IRLS weights ``W = mu / (1 + alpha mu)`` at the MLE (the expected
    information, in which beta and alpha are orthogonal), and alpha's variance is the inverse of
    its own observed information with beta held fixed (glm.nb's ``SE.theta`` is this, on the theta
    scale: ``se(theta) = se(alpha) / alpha^2``). The two differ by a few per cent in small samples
    (up to 3% on MASS's quine data, 146 rows) and negligibly in large ones; use "expected" to
    compare with an analysis run in R. The estimates are the same.

A fit is returned only when it is a verified maximum:

* convergence needs both a small score and a small step: the score norm
  ``max_i |g_i| max(1, |theta_i|) / max(1, |loglik|)`` (``g`` the gradient in (beta, log alpha),
  ``theta_i`` the parameter) below ``SCORE_TOL`` (1e-9; rounding leaves about 1e-15) and the
  Newton step below ``tol`` (1e-10) relative to each parameter (``max(1, |theta_i|)``), so the
  estimates agree across CPUs far beyond the 6 significant digits reported (the project's
  precision rule, ``wave_analysis._precision``; measured: 1e-13 relative between OpenBLAS
  Haswell and SkylakeX kernels on the synthetic trial);
* each accepted step does not lower the log-likelihood (beyond rounding, 1e-12 relative): steps
  are halved until that holds, and a line search that gives up is a failure, never a step taken
  untested;
* the observed information at the solution must be positive definite (Cholesky) and every
  standard error finite.

Anything else raises ``FitError`` naming the cause. Inputs are checked first (``ArgumentError``):
shape, empty input, NaN or infinite values, negative or fractional counts, too few rows, every
outcome zero, a rank-deficient design. Separation is detected before fitting: when some direction
of the coefficients can push the fitted mean of every zero-outcome row towards 0 without changing
any other row (for example every participant of one arm, practice or stratum has 0 days), a log
rate ratio is infinite and its estimate does not exist; ``SeparationError`` (a ``FitError``) then
names the design column (``.column``, an index into ``X``) so the caller can name the arm or
practice.

Decision for data without overdispersion (identical outcomes, or a variance no larger than the
mean): the NB2 likelihood is then maximised at ``alpha = 0``, the boundary where the model is the
Poisson model, and the dispersion has no standard error. The solver does not return a fit with a
tiny alpha; it raises ``FitError`` saying the data show no overdispersion and that a Poisson model
(for example the robust Poisson sensitivity analysis) is the one to fit. The test: the score for
alpha at alpha = 0, ``sum((y - mu)^2 - y) / 2`` at the Poisson MLE, is not positive (Cameron and
Trivedi 1990), or the fit runs to ``alpha mu < 1e-10``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize, special

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.exceptions import ArgumentError, FitError

INFORMATION = ("observed", "expected")
SCORE_TOL = 1e-9  # scaled score norm for convergence (rounding leaves about 1e-15)
_ROUNDING = 1e-12  # relative log-likelihood change treated as rounding noise in the line search
_MIN_STEP = 2.0**-30  # the line search gives up below this fraction of the Newton step
_ALPHA_MU_FLOOR = 1e-10  # alpha * mean(mu) below this is the Poisson limit


@dataclass(frozen=True)
class NB2Fit:
    params: np.ndarray  # beta
    alpha: float  # var = mu + alpha mu^2 (R's theta = 1 / alpha)
    cov: np.ndarray  # covariance of (beta, alpha) under ``information``
    loglik: float
    iterations: int  # Newton steps
    score_norm: float  # scaled score norm at the solution (see the module docstring)
    information: str = "observed"  # "observed" (Stata, statsmodels) or "expected" (R glm.nb)

    @property
    def bse(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov)[:-1])

    @property
    def alpha_se(self) -> float:
        return float(np.sqrt(self.cov[-1, -1]))

    @property
    def theta(self) -> float:
        """R's ``theta = 1 / alpha``."""
        return 1.0 / self.alpha

    @property
    def theta_se(self) -> float:
        """Delta method: ``se(theta) = se(alpha) / alpha^2``."""
        return self.alpha_se / self.alpha**2


class SeparationError(FitError):
    """Every outcome in part of the design is 0, so a log rate ratio is infinite.

    ``column`` is the index of the design column whose coefficient would be infinite (None when
    the separating direction involves several columns, all listed in ``columns``); ``level`` is 1
    when the rows with that column = 1 all have outcome 0 (log rate ratio -inf), 0 when the rows
    with that column = 0 do (+inf), None otherwise; ``rows`` are the indices of the rows whose
    fitted mean would go to 0 (all have outcome 0), so a caller can name the arm, practice or
    stratum they share, or drop them as a documented fallback."""

    def __init__(self, message: str, *, column: int | None, rows: np.ndarray,
                 level: int | None = None, columns: tuple[int, ...] = ()):
        super().__init__(message)
        self.column = column
        self.level = level
        self.columns = columns or ((column,) if column is not None else ())
        self.rows = rows


class _Counts:
    """The outcome with its distinct values: counts take few values (0-182 days), so the special
    functions of ``y + 1/alpha`` are evaluated once per distinct value, not once per row."""

    def __init__(self, y: np.ndarray):
        self.y = y
        self.values, self.index = np.unique(y, return_inverse=True)
        self.lgamma_y1 = float(np.sum(special.gammaln(self.values + 1.0)[self.index]))

    def per_row(self, func, r: float) -> np.ndarray:
        return func(self.values + r)[self.index]


def _loglik(c: _Counts, eta, alpha) -> float:
    y, r = c.y, 1.0 / alpha
    mu = np.exp(eta)
    lg = c.per_row(special.gammaln, r)
    return float(np.sum(lg - special.gammaln(r) + r * (np.log(r) - np.log(r + mu))
                        + y * (eta - np.log(r + mu))) - c.lgamma_y1)


def _derivatives(c: _Counts, X, eta, alpha):
    """Gradient and Hessian of the log-likelihood in (beta, alpha)."""
    y, a, r = c.y, alpha, 1.0 / alpha
    mu = np.exp(eta)
    one_am = 1.0 + a * mu
    resid = y - mu
    # one pass over X for the beta score and the beta-alpha cross derivative
    g_beta, h_ba = (X.T @ np.column_stack([resid / one_am, -resid * mu / one_am**2])).T
    d = special.digamma(r) - c.per_row(special.digamma, r) + np.log1p(a * mu)
    g_alpha = np.sum(d / a**2 + resid / (a * one_am))
    root_w = np.sqrt(mu * (1.0 + a * y)) / one_am  # Hessian weights w = root_w^2 > 0
    Xw = X * root_w[:, None]
    h_bb = -(Xw.T @ Xw)
    trigamma = special.polygamma(1, r) - c.per_row(lambda v: special.polygamma(1, v), r)
    h_aa = np.sum(-trigamma / a**4 + mu / (a**2 * one_am) - 2 * d / a**3
                  - resid * (1 + 2 * a * mu) / (a * one_am) ** 2)
    p = X.shape[1]
    grad = np.append(g_beta, g_alpha)
    hess = np.empty((p + 1, p + 1))
    hess[:p, :p], hess[:p, p], hess[p, :p], hess[p, p] = h_bb, h_ba, h_ba, h_aa
    return grad, hess


def _log_alpha_scale(grad, hess, a: float):
    """Gradient and Hessian in (beta, t = log alpha) by the chain rule."""
    grad_t = grad.copy()
    grad_t[-1] = a * grad[-1]
    hess_t = hess.copy()
    hess_t[:-1, -1] = hess_t[-1, :-1] = a * hess[:-1, -1]
    hess_t[-1, -1] = a * a * hess[-1, -1] + a * grad[-1]
    return grad_t, hess_t


def _score_norm(grad_t, theta, loglik: float) -> float:
    return float(np.max(np.abs(grad_t) * np.maximum(1.0, np.abs(theta)))
                 / max(1.0, abs(loglik)))


# ---------------------------------------------------------------------------------------------
# Input checks


def _bad_rows(values: np.ndarray) -> str | None:
    """'2 rows (first: row 5)' for rows holding NaN or +/-inf, None when every value is finite."""
    finite = np.isfinite(values)
    bad = ~finite if finite.ndim == 1 else ~finite.all(axis=1)
    if not bad.any():
        return None
    n = int(bad.sum())
    return f"{n} row{'s' * (n != 1)} with NaN or infinite values (first: row {int(np.argmax(bad))})"


def _check_inputs(y, X) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    check_argument(y.ndim == 1, "y", "one-dimensional (one outcome per row)", y.shape)
    check_argument(X.ndim == 2, "X", "a two-dimensional design matrix (rows x columns)", X.shape)
    check_argument(y.size > 0 and X.shape[1] > 0, "y and X", "non-empty (at least one row and "
                   "one column, the intercept)", f"{y.size} rows, {X.shape[1]} columns")
    check_argument(X.shape[0] == y.shape[0], "X",
                   f"a design matrix with one row per outcome ({y.shape[0]} rows)",
                   f"{X.shape[0]} rows")
    for name, values in (("y", y), ("X", X)):
        bad = _bad_rows(values)
        check_argument(bad is None, name, "finite numbers (no NaN or infinite values)", bad,
                       "drop those rows, or impute the missing values, before fitting")
    bad = (y < 0) | (y != np.round(y))
    check_argument(not bad.any(), "y", "whole numbers of 0 or more (negative binomial counts)",
                   float(y[bad][0]) if bad.any() else None)
    n, p = X.shape
    if n < p + 2:
        raise ArgumentError(f"too few rows: n = {n} for {p} coefficient{'s' * (p != 1)} and the "
                            f"dispersion (the negative binomial model needs at least {p + 2} rows)")
    if not y.any():
        raise ArgumentError(f"every outcome is 0 ({n} rows): the negative binomial model has no "
                            "information about the rate or the dispersion; check the outcome "
                            "column or report the counts descriptively")
    return y, X


def _scaled_gram(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``X'X`` with columns scaled to unit length (so the rank tolerance does not depend on the
    covariates' units) and the scale; one pass over the data, shared by the checks below."""
    gram = X.T @ X
    scale = np.sqrt(np.diag(gram))
    scale = np.where(scale > 0, scale, 1.0)
    return gram / np.outer(scale, scale), scale


def _check_rank(gram_s: np.ndarray) -> None:
    if np.linalg.matrix_rank(gram_s, hermitian=True) < len(gram_s):
        raise ArgumentError("the design matrix is rank deficient (an empty stratum or a covariate "
                            "that repeats another); drop or merge the offending level")


# ---------------------------------------------------------------------------------------------
# Separation: some coefficient direction sends every zero-outcome row's mean to 0


def _separation_message(j: int, level: int) -> str:
    sign = "-infinite (rate ratio 0)" if level == 1 else "+infinite"
    return (f"quasi-complete separation: every row with design column {j} = {level} has outcome 0, "
            f"so the log rate ratio of column {j} would be {sign} and its maximum-likelihood "
            "estimate does not exist; merge or drop that level, or report the counts "
            "descriptively")


def _check_separation(y: np.ndarray, X: np.ndarray, gram_s: np.ndarray, scale: np.ndarray) -> None:
    """Raise ``SeparationError`` when the NB (and Poisson) MLE does not exist.

    The MLE of a log-linear count model exists unless some direction ``d`` has ``X_i d = 0`` for
    every row with ``y > 0`` and ``X_i d <= 0``, not all 0, for the rows with ``y = 0`` (Haberman
    1974; Santos Silva and Tenreyro 2010). A 0/1 column whose 1 rows (or, with an intercept, whose
    0 rows) all have outcome 0 is the common case and is named; a general direction is found by
    a linear programme, run only when the rows with ``y > 0`` do not identify the coefficients."""
    binary = np.all((X == 0) | (X == 1), axis=0)
    constant = np.all(X == X[:1], axis=0)
    total, sums1 = y.sum(), y @ X
    for j in np.flatnonzero(binary & ~constant):
        for level, empty in ((1, sums1[j] == 0), (0, sums1[j] == total and constant.any())):
            if empty:
                raise SeparationError(_separation_message(int(j), level), column=int(j),
                                      level=level, rows=np.flatnonzero(X[:, j] == level))
    zero = np.flatnonzero(y == 0)
    X0 = X[zero] / scale
    values, vectors = np.linalg.eigh(gram_s - X0.T @ X0)  # the rows with y > 0
    null = vectors[:, values <= values.max() * X.shape[1] * 1e-12]
    if null.shape[1]:
        _separating_direction(X / scale, null, zero)


def _separating_direction(Xs: np.ndarray, null: np.ndarray, zero: np.ndarray) -> None:
    """LP over the null space of the positive rows: maximise sum(-Z c) subject to
    -1 <= Z c <= 0 with ``Z = X_0 N``; a positive optimum is a separating direction."""
    Z = np.unique(np.round(Xs[zero] @ null, 12), axis=0)
    k = Z.shape[1]
    res = optimize.linprog(Z.sum(axis=0), A_ub=np.vstack([Z, -Z]),
                           b_ub=np.concatenate([np.zeros(len(Z)), np.ones(len(Z))]),
                           bounds=[(None, None)] * k, method="highs")
    if res.status != 0 or res.fun > -1e-7:
        return
    d = null @ res.x
    columns = tuple(int(j) for j in np.flatnonzero(np.abs(d) > 1e-6 * np.abs(d).max()))
    rows = np.flatnonzero(Xs @ d < -1e-7)
    raise SeparationError(
        "quasi-complete separation: the rows with outcome 0 can be fitted exactly by sending a "
        f"combination of design columns {list(columns)} to infinity ({len(rows)} rows with "
        f"outcome 0, first: row {rows[0]}; for example a reference level of a factor whose rows "
        "all have outcome 0), so the maximum-likelihood estimate does not exist; merge or drop "
        "that level, or report the counts descriptively",
        column=columns[0] if len(columns) == 1 else None, columns=columns, rows=rows)


# ---------------------------------------------------------------------------------------------
# Fitting


def _poisson_start(y, X, iterations: int = 30) -> np.ndarray:
    """Poisson IRLS (with step halving): the starting point for Newton and the reference for the
    overdispersion check."""
    beta = np.zeros(X.shape[1])
    intercept = np.all(X == 1, axis=0)
    if intercept.any():
        beta[np.argmax(intercept)] = np.log(y.mean())
    eta = X @ beta
    dev = np.sum(y * eta - np.exp(eta))
    for _ in range(iterations):
        mu = np.exp(eta)
        Xw = X * np.sqrt(mu)[:, None]
        try:
            step = linalg.solve(Xw.T @ Xw, X.T @ (y - mu), assume_a="pos")
        except (linalg.LinAlgError, ValueError):  # only a starting point: Newton takes over
            break
        size = 1.0
        while size > 1e-6:
            with np.errstate(over="ignore", invalid="ignore"):
                trial_eta = X @ (beta + size * step)
                value = np.sum(y * trial_eta - np.exp(trial_eta))
            if np.isfinite(value) and value >= dev - _ROUNDING * abs(dev):
                break
            size /= 2
        beta, eta, dev = beta + size * step, trial_eta, value
        if np.max(np.abs(size * step)) < 1e-6:
            break
    return beta


def _check_overdispersion(y, X, beta) -> float:
    """The starting alpha; ``FitError`` when the data show no overdispersion (see docstring)."""
    mu = np.exp(X @ beta)
    if np.sum((y - mu) ** 2 - y) <= 0:
        raise FitError(_NO_OVERDISPERSION)
    moment = np.sum(((y - mu) ** 2 - y) / mu**2) / max(len(y) - X.shape[1], 1)
    return max(moment, 0.01 / float(np.mean(y)))


_NO_OVERDISPERSION = (
    "the data show no overdispersion: the outcomes vary no more than a Poisson model predicts "
    "(identical outcomes, or a variance no larger than the mean), so the negative binomial "
    "dispersion is estimated at 0, the Poisson limit, where it has no standard error; fit a "
    "Poisson model instead (for example the robust Poisson sensitivity analysis)")


def _ascent_direction(grad_t, hess_t) -> np.ndarray:
    """The Newton step when -H is positive definite, else a Levenberg-Marquardt step."""
    info = -hess_t
    shift = 0.0
    ridge = np.maximum(np.abs(np.diag(info)), 1e-12)
    for _ in range(40):
        try:
            factor = linalg.cho_factor(info + shift * np.diag(ridge))
        except linalg.LinAlgError:
            shift = max(shift * 10, 1e-8)
            continue
        return linalg.cho_solve(factor, grad_t)
    raise FitError("the information matrix could not be made positive definite during the "
                   "Newton iterations (the design may be nearly singular: rescale covariates)")


@dataclass
class _Solution:
    theta: np.ndarray  # (beta, log alpha)
    loglik: float
    iterations: int
    score_norm: float
    hess: np.ndarray  # Hessian in (beta, alpha) at theta


def _newton(counts: _Counts, X, theta, max_iter: int, tol: float) -> _Solution:
    """Maximise the log-likelihood in (beta, log alpha) from ``theta``; see the module docstring
    for the convergence rule."""
    current = _loglik(counts, X @ theta[:-1], np.exp(theta[-1]))
    norm = np.inf
    for iteration in range(1, max_iter + 1):
        a = float(np.exp(theta[-1]))
        grad, hess = _derivatives(counts, X, X @ theta[:-1], a)
        grad_t, hess_t = _log_alpha_scale(grad, hess, a)
        norm = _score_norm(grad_t, theta, current)
        step = _ascent_direction(grad_t, hess_t)
        small = np.max(np.abs(step) / np.maximum(1.0, np.abs(theta))) < tol
        if small and norm < SCORE_TOL:
            return _Solution(theta, current, iteration - 1, norm, hess)
        size, trial, value = 1.0, theta, -np.inf
        while size >= _MIN_STEP:
            trial = theta + size * step
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                value = _loglik(counts, X @ trial[:-1], np.exp(trial[-1]))
            if np.isfinite(value) and value >= current - _ROUNDING * max(1.0, abs(current)):
                break
            size /= 2
        else:
            raise FitError(f"negative binomial fit failed: the line search failed at Newton step "
                           f"{iteration} (no step along the search direction raises the "
                           f"log-likelihood; score norm {norm:.3g}); the model may be "
                           "near-separated or badly scaled (rescale covariates)")
        theta, current = trial, value
        if theta[-1] < np.log(1e-6) and (np.exp(theta[-1]) * float(np.mean(
                np.exp(X @ theta[:-1]))) < _ALPHA_MU_FLOOR):
            raise FitError(_NO_OVERDISPERSION)
    raise FitError(f"negative binomial fit did not converge after {max_iter} iterations (score "
                   f"norm {norm:.3g}, needs < {SCORE_TOL:g}); check for a near-empty stratum or "
                   "covariates on very different scales")


def _covariance(X, sol: _Solution, information: str) -> np.ndarray:
    """Covariance of (beta, alpha) at the MLE under ``information``; ``FitError`` unless the
    observed information is positive definite and every variance finite."""
    try:
        factor = linalg.cho_factor(-sol.hess)
    except linalg.LinAlgError:
        raise FitError("the information matrix is not positive definite: an arm, practice or "
                       "stratum may have all-zero outcomes (separation), or the model is not "
                       "identified; check the outcome counts by group") from None
    if information == "observed":
        cov = linalg.cho_solve(factor, np.eye(len(sol.hess)))
    else:  # R glm.nb: (X'WX)^-1 for beta; alpha from its own observed information
        alpha = float(np.exp(sol.theta[-1]))
        mu = np.exp(X @ sol.theta[:-1])
        w = mu / (1.0 + alpha * mu)
        cov = np.zeros_like(sol.hess)
        with np.errstate(all="ignore"):
            cov[:-1, :-1] = linalg.inv((X * w[:, None]).T @ X, check_finite=False)
        cov[-1, -1] = -1.0 / sol.hess[-1, -1]
    if not (np.all(np.isfinite(cov)) and np.all(np.diag(cov) > 0)):
        raise FitError("standard errors are not finite (the information matrix is numerically "
                       "singular); check for a near-empty stratum or rescale covariates")
    return cov


def fit_nb2(y, X, *, max_iter: int = 100, tol: float = 1e-10,
            information: str = "observed") -> NB2Fit:
    """Maximum-likelihood NB2 fit. ``X`` must include the intercept column.

    ``tol`` is the relative size of the last Newton step (per parameter, ``max(1, |value|)``);
    ``information`` picks the SE convention (see the module docstring). Raises ``ArgumentError``
    for bad input, ``SeparationError`` when an estimate would be infinite and ``FitError`` when
    the fit cannot be verified as a maximum."""
    check_one_of("information", information, INFORMATION,
                 "observed: Stata/statsmodels; expected: R glm.nb")
    y, X = _check_inputs(y, X)
    gram_s, scale = _scaled_gram(X)
    _check_rank(gram_s)
    _check_separation(y, X, gram_s, scale)
    beta = _poisson_start(y, X)
    alpha = _check_overdispersion(y, X, beta)
    sol = _newton(_Counts(y), X, np.append(beta, np.log(alpha)), max_iter, tol)
    cov = _covariance(X, sol, information)
    return NB2Fit(sol.theta[:-1].copy(), float(np.exp(sol.theta[-1])), cov, sol.loglik,
                  sol.iterations, sol.score_norm, information)
