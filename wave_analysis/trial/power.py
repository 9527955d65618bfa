"""Analytic sample size and power for comparing two negative binomial rates.

Zhu & Lakkis (2014), "Sample size calculation for comparing two negative binomial rates",
Statistics in Medicine 33(3):376-387, doi 10.1002/sim.5947. Notation: control rate ``r0``
(events per unit of exposure), intervention rate ``r1 = irr * r0``, allocation ratio
``R = n1 / n0`` (intervention : control), mean exposure ``t``, dispersion ``k``
(``var = mu + k mu^2``). The Wald statistic for ``log(irr)`` has variance ``V / n0`` with::

    V(a, b) = 1 / I(a) + 1 / (R I(b))      I(r) = E_t[ t r / (1 + k t r) ]   (per-participant
                                                                              information)

For a fixed exposure ``I(r) = t r / (1 + k t r)`` and ``V`` is Zhu & Lakkis's
``(1/t)(1/r0 + 1/(R r1)) + (1 + R) k / R``. Under the alternative ``V1 = V(r0, r1)``; the null
variance ``V0`` is where the three methods differ:

* method 1: ``V0 = V(r0, r0)`` (both rates at the control rate);
* method 2: ``V0 = V1`` (the rates under the alternative; Keene et al. 2007, Friede & Schmidli
  2010); this is the power of the Wald test with the variance estimated from the data;
* method 3: ``V0 = V(r~, r~)`` with ``r~ = (r0 + R r1) / (1 + R)`` (the rate under the null
  constrained to the observed total; statsmodels' ``method_var="ftotal"``).

Then ``n0 = (z_{1-alpha/2} sqrt(V0) + z_{power} sqrt(V1))^2 / log(irr)^2`` (two-sided).

Variable follow-up: with ``exposure_cv > 0`` the exposure is gamma distributed with mean ``t`` and
that coefficient of variation, and ``I(r)`` is its expectation (numerical integration; the exact
large-sample information of the maximum-likelihood estimator, as in Tang 2015); ``exposure_cv=0``
gives Zhu & Lakkis's fixed-exposure formulas exactly.

Dropout and clustering: the analysable ``n0`` is inflated by ``design_effect / (1 - dropout)``
and rounded up; the intervention arm gets ``ceil(R n0)``. ``power_for_n`` reverses this (the
effective number is ``n (1 - dropout) / design_effect``) and counts both tails of the two-sided
test (as statsmodels' ``power_negbin_ratio_2indep``), so the power at the returned n is at least
the target. ``detectable_irr`` solves ``power_for_n = power`` for the IRR.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import integrate, optimize, stats

from wave_analysis._checks import check_argument, check_number, check_one_of, check_probability
from wave_analysis._precision import round_sig, rounded
from wave_analysis.exceptions import ArgumentError

METHODS = (1, 2, 3)
DIRECTIONS = ("decrease", "increase")


@dataclass(frozen=True)
class Design:
    """The assumptions shared by every calculation (rates per unit of exposure)."""

    control_rate: float
    dispersion: float  # k: var = mu + k mu^2
    exposure: float = 1.0  # mean follow-up t (the unit the rate is per)
    exposure_cv: float = 0.0  # coefficient of variation of follow-up (0: fixed)
    allocation: float = 1.0  # R = n_intervention / n_control
    alpha: float = 0.05  # two-sided
    method: int = 3  # Zhu & Lakkis method 1, 2 or 3
    dropout: float = 0.0  # share randomised without an outcome
    design_effect: float = 1.0  # inflation for clustering

    def __post_init__(self):
        check_number("control_rate", self.control_rate, positive=True)
        check_number("dispersion", self.dispersion, minimum=0)
        check_number("exposure", self.exposure, positive=True)
        check_number("exposure_cv", self.exposure_cv, minimum=0)
        check_number("allocation", self.allocation, positive=True)
        check_probability("alpha", self.alpha)
        check_one_of("method", self.method, METHODS, "Zhu & Lakkis 2014 methods")
        check_argument(isinstance(self.dropout, int | float) and not isinstance(self.dropout, bool)
                       and 0 <= self.dropout < 1, "dropout",
                       "a number at least 0 and below 1", self.dropout)
        check_number("design_effect", self.design_effect, minimum=1)


@dataclass(frozen=True)
class SampleSize:
    n_control: int  # to randomise (after dropout and design effect, rounded up)
    n_intervention: int
    n_total: int
    n_control_unrounded: float  # the formula's n0 inflated for dropout and design effect
    power: float  # achieved power at n_control (both tails)
    irr: float
    target_power: float
    v0: float  # null variance of log(irr) times n0
    v1: float  # alternative variance of log(irr) times n0

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)])


def _information(rate: float, d: Design) -> float:
    """Per-participant Fisher information for the log rate: E[t r / (1 + k t r)]."""
    k, t = d.dispersion, d.exposure

    def f(time):
        return time * rate / (1.0 + k * time * rate)

    if d.exposure_cv == 0:
        return f(t)
    shape = 1.0 / d.exposure_cv**2
    quantile = stats.gamma(shape, scale=t / shape).ppf  # integrate over the exposure's quantiles
    value, _ = integrate.quad(lambda u: f(quantile(u)), 0, 1, epsabs=0, epsrel=1e-11, limit=200)
    return value


def variances(irr: float, d: Design) -> tuple[float, float]:
    """``(V0, V1)``: the null and alternative variances of log(irr), per control participant."""
    r0, r1, ratio = d.control_rate, d.control_rate * irr, d.allocation

    def v(a, b):
        return 1.0 / _information(a, d) + 1.0 / (ratio * _information(b, d))

    v1 = v(r0, r1)
    if d.method == 1:
        return v(r0, r0), v1
    if d.method == 2:
        return v1, v1
    pooled = (r0 + ratio * r1) / (1.0 + ratio)
    return v(pooled, pooled), v1


def _check_irr(irr) -> float:
    irr = check_number("irr", irr, positive=True)
    check_argument(irr != 1, "irr", "a rate ratio other than 1 (no effect needs no trial)", irr)
    return irr


def _power_effective(irr: float, n_eff: float, d: Design) -> float:
    v0, v1 = variances(irr, d)
    z = stats.norm.isf(d.alpha / 2)
    shift = abs(math.log(irr)) * math.sqrt(n_eff)
    return float(stats.norm.cdf((shift - z * math.sqrt(v0)) / math.sqrt(v1))
                 + stats.norm.cdf((-shift - z * math.sqrt(v0)) / math.sqrt(v1)))


def _inflation(d: Design) -> float:
    return d.design_effect / (1.0 - d.dropout)


def sample_size(irr: float, *, design: Design, power: float = 0.8) -> SampleSize:
    """Participants to randomise per arm to detect ``irr`` with ``power`` (two-sided test)."""
    irr = _check_irr(irr)
    power = check_probability("power", power)
    v0, v1 = variances(irr, design)
    z_a, z_b = stats.norm.isf(design.alpha / 2), stats.norm.ppf(power)
    n0 = (z_a * math.sqrt(v0) + z_b * math.sqrt(v1)) ** 2 / math.log(irr) ** 2
    n_unrounded = n0 * _inflation(design)
    n_control = math.ceil(n_unrounded - 1e-9)
    n_intervention = math.ceil(design.allocation * n_control - 1e-9)
    achieved = _power_effective(irr, n_control / _inflation(design), design)
    return rounded(SampleSize(n_control, n_intervention, n_control + n_intervention,
                              float(n_unrounded), achieved, irr, power, float(v0), float(v1)))


def power_for_n(irr: float, n_control: float, *, design: Design) -> float:
    """Power of the two-sided test with ``n_control`` randomised to control (and
    ``allocation * n_control`` to the intervention), after dropout and design effect."""
    irr = _check_irr(irr)
    n_control = check_number("n_control", n_control, positive=True)
    return float(round_sig(_power_effective(irr, n_control / _inflation(design), design)))


def detectable_irr(n_control: float, *, design: Design, power: float = 0.8,
                   direction: str = "decrease") -> float:
    """The IRR detected with ``power`` by ``n_control`` per control arm (root of ``power_for_n``).

    For a decrease the power is not monotone over all IRRs below 1 when ``k > 0`` (a rate near 0
    has a large variance), so the root is the first crossing when moving away from 1."""
    n_control = check_number("n_control", n_control, positive=True)
    power = check_probability("power", power)
    check_one_of("direction", direction, DIRECTIONS)
    n_eff = n_control / _inflation(design)
    sign = -1.0 if direction == "decrease" else 1.0

    def gap(log_irr):
        return _power_effective(math.exp(log_irr), n_eff, design) - power

    grid = sign * np.geomspace(1e-4, 7.0, 400)
    values = [gap(x) for x in grid]
    above = [i for i, v in enumerate(values) if v >= 0]
    if not above:
        raise ArgumentError(f"n_control must be large enough to reach power {power} for some "
                            f"IRR ({direction}); got {n_control!r} (increase n_control)")
    i = above[0]
    if i == 0:
        raise ArgumentError(f"n_control must be small enough that an IRR within 1e-4 of 1 is "
                            f"not already detected; got {n_control!r}")
    root = optimize.brentq(gap, grid[i - 1], grid[i], xtol=1e-14, rtol=1e-13)
    return float(round_sig(math.exp(root)))


def dispersion_from_sd(mean: float, sd: float) -> float:
    """Moment estimate of k from one arm's mean and SD: ``var = mu + k mu^2`` gives
    ``k = (sd^2 - mu) / mu^2``."""
    mean = check_number("mean", mean, positive=True)
    sd = check_number("sd", sd, positive=True)
    check_argument(sd**2 > mean, "sd", f"above sqrt(mean) = {math.sqrt(mean):.4g} "
                   "(no overdispersion otherwise)", sd)
    return float(round_sig((sd**2 - mean) / mean**2))


def dispersion_from_ci(ci: tuple[float, float], *, ci_level: float, n: tuple[float, float],
                       means: tuple[float, float]) -> float:
    """The k for which the Wald variance ``sum_j (1/(n_j mu_j) + k/n_j)`` equals the variance
    implied by a published IRR interval ``ci`` at ``ci_level``; ``n`` and ``means`` are
    (control, intervention). Approximate: the published interval is from an adjusted model."""
    ci_level = check_probability("ci_level", ci_level)
    low, high = (check_number("ci", c, positive=True) for c in ci)
    check_argument(low < high, "ci", "(lower, upper) with lower < upper", ci)
    n0, n1 = (check_number("n", v, positive=True) for v in n)
    m0, m1 = (check_number("means", v, positive=True) for v in means)
    se = (math.log(high) - math.log(low)) / (2 * stats.norm.isf((1 - ci_level) / 2))
    k = (se**2 - 1 / (n0 * m0) - 1 / (n1 * m1)) / (1 / n0 + 1 / n1)
    check_argument(k > 0, "ci", "wide enough to imply overdispersion", ci)
    return float(round_sig(k))


def sample_size_grid(irrs, dispersions, *, design: Design, power: float = 0.8) -> pd.DataFrame:
    """``sample_size`` for every (IRR, dispersion) pair: one row each, with the n per arm."""
    rows = []
    for irr in irrs:
        for k in dispersions:
            res = sample_size(irr, design=replace(design, dispersion=k), power=power)
            rows.append({"irr": float(irr), "dispersion": float(k), "n_control": res.n_control,
                         "n_intervention": res.n_intervention, "n_total": res.n_total,
                         "n_control_unrounded": res.n_control_unrounded})
    return pd.DataFrame(rows)
