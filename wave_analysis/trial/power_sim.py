"""Simulated power of the planned negative binomial analysis, run in batches on Dask.

Data (per trial): ``n_control`` and ``round(allocation * n_control)`` participants randomised;
after dropout ``round(n (1 - dropout))`` per arm are analysed. Days absent of participant ``i`` in
arm ``j`` are negative binomial with mean ``mu_j f_i`` and dispersion ``k``
(``var = mu + k mu^2`` given ``f``): a Poisson draw with a gamma(1/k, k) multiplier. ``f_i`` is a
product of cluster frailties, each gamma with mean 1 and variance ``v`` (``v`` is the squared
coefficient of variation of the cluster means, ICC-like: on the log scale about
``v / (v + k + 1/mu)`` of the variance lies between clusters): practices (``practices``
clusters, participant ``i`` of either arm in practice ``i % practices``) with variance
``practice_variance``, and vocational support workers in the intervention arm only (``vsws``
workers, participant ``i`` with worker ``i % vsws``; partially nested) with ``vsw_variance``.
With ``cap`` the days are truncated at the follow-up window (182 days): the analysis model is
then misspecified, as it is in the trial.

Analysis (per trial): the arm-only NB2 model ``log mu = b0 + b1 arm``, fitted exactly and
vectorised over all trials of a batch: the MLEs of the arm means are the sample means, so
``log IRR = log(mean1 / mean0)``; the dispersion solves the profile score
``sum_i [psi(y_i + r) - psi(r)] + sum_j n_j log(r / (r + mean_j)) = 0`` (``r = 1/k``) by
safeguarded Newton steps on ``log r`` for all trials at once (bracketed, bisection when a step
leaves the bracket, converged when every step is below 1e-12); data with no overdispersion
(``sum (y - mean)^2 <= sum y``) get ``k = 0`` (the Poisson limit). At the MLE the observed
information of ``(b0, b1)`` is block diagonal with ``k``, and
``var(log IRR) = sum_j (1/(n_j mean_j) + k/n_j)``. The Wald test rejects when
``|log IRR| / se > z_{1-alpha/2}``; its analytic counterpart is Zhu & Lakkis's method 2
(``trial.power``). A trial in which an arm has no days absent has no finite estimate and counts
as not rejected (``n_failed``). ``adjusted=True`` fits the NB2 model with practice indicators by
``trial.nbreg.fit_nb2`` per trial instead (slow; a fit that fails counts in ``n_failed``).

Seeds: batch ``b`` of scenario ``s`` draws from ``SeedSequence(seed, spawn_key=(s, b))`` only, so
the results do not depend on how batches are spread over workers or the order they finish in.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from wave_analysis._checks import check_argument, check_int, check_number, check_probability
from wave_analysis._precision import rounded
from wave_analysis.exceptions import FitError, StatisticalWarning
from wave_analysis.trial.nbreg import fit_nb2

WINDOW_DAYS = 182
_NEWTON_TOL = 1e-12
_MAX_NEWTON = 100


@dataclass(frozen=True)
class Scenario:
    n_control: int  # randomised to usual care
    irr: float  # true rate ratio, intervention / control
    control_mean: float  # mean days absent under usual care (uncapped)
    dispersion: float  # k: var = mu + k mu^2
    allocation: float = 1.0  # n_intervention / n_control
    cap: float | None = None  # truncate days at this value (182: the window), None: uncapped
    dropout: float = 0.0  # share of each arm without an outcome
    alpha: float = 0.05  # two-sided
    practices: int = 0  # number of practices with a frailty (0: none)
    practice_variance: float = 0.0  # variance of the practice frailty (mean 1)
    vsws: int = 0  # vocational support workers in the intervention arm (0: none)
    vsw_variance: float = 0.0  # variance of the worker frailty (mean 1)
    adjusted: bool = False  # fit_nb2 with practice indicators per trial instead of arm-only

    def __post_init__(self):
        check_int("n_control", self.n_control, minimum=2)
        check_number("irr", self.irr, positive=True)
        check_number("control_mean", self.control_mean, positive=True)
        check_number("dispersion", self.dispersion, minimum=0)
        check_number("allocation", self.allocation, positive=True)
        check_argument(self.cap is None or (isinstance(self.cap, int | float)
                                            and not isinstance(self.cap, bool) and self.cap >= 1),
                       "cap", "None or a number of at least 1 (182: the window)", self.cap)
        check_argument(isinstance(self.dropout, int | float) and not isinstance(self.dropout, bool)
                       and 0 <= self.dropout < 1, "dropout", "a number at least 0 and below 1",
                       self.dropout)
        check_probability("alpha", self.alpha)
        for name in ("practices", "vsws"):
            check_int(name, getattr(self, name), minimum=0)
        for name in ("practice_variance", "vsw_variance"):
            check_number(name, getattr(self, name), minimum=0)
        check_argument(self.n_analysed[0] >= 2 and self.n_analysed[1] >= 2, "n_control",
                       "large enough to leave 2 analysed participants per arm", self.n_control)

    @property
    def n_randomised(self) -> tuple[int, int]:
        return self.n_control, max(1, round(self.allocation * self.n_control))

    @property
    def n_analysed(self) -> tuple[int, int]:
        return tuple(round(n * (1 - self.dropout)) for n in self.n_randomised)


@dataclass(frozen=True)
class SimulatedPower:
    power: float
    mcse: float  # Monte Carlo standard error of power
    n_sims: int
    n_rejected: int
    n_failed: int  # trials without a finite estimate (counted as not rejected)
    n_control: int
    irr: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(self)])


# --- data -------------------------------------------------------------------------------------

def _frailty(rng, variance: float, size: tuple[int, int]) -> np.ndarray:
    if variance == 0 or size[1] == 0:
        return np.ones(size)
    return rng.gamma(1.0 / variance, variance, size=size)


def _arm(rng, mean: np.ndarray, k: float, cap) -> np.ndarray:
    lam = mean if k == 0 else mean * rng.gamma(1.0 / k, k, size=mean.shape)
    y = rng.poisson(lam).astype(float)
    return y if cap is None else np.minimum(y, float(cap))


def simulate_days(scenario: Scenario, rng: np.random.Generator, n_trials: int,
                  width: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(y0, y1)``: arrays (trials x randomised participants) of days absent. ``width``
    draws that many control participants (and ``allocation`` times as many in the
    intervention arm) so that a smaller n uses the first columns of the same draws."""
    s = scenario
    n0 = s.n_control if width is None else width
    n1 = max(1, round(s.allocation * n0))
    practice = _frailty(rng, s.practice_variance, (n_trials, s.practices))
    vsw = _frailty(rng, s.vsw_variance, (n_trials, s.vsws))
    f0, f1 = np.ones((n_trials, n0)), np.ones((n_trials, n1))
    if s.practices:
        f0 = f0 * practice[:, np.arange(n0) % s.practices]
        f1 = f1 * practice[:, np.arange(n1) % s.practices]
    if s.vsws:
        f1 = f1 * vsw[:, np.arange(n1) % s.vsws]
    y0 = _arm(rng, s.control_mean * f0, s.dispersion, s.cap)
    y1 = _arm(rng, s.control_mean * s.irr * f1, s.dispersion, s.cap)
    return y0, y1


# --- vectorised arm-only estimator ----------------------------------------------------------

def _tail_counts(y0, y1) -> np.ndarray:
    """``T[t, m]``: participants of trial ``t`` with more than ``m`` days (both arms), so that
    ``sum_i [psi(y_i + r) - psi(r)] = sum_m T[t, m] / (r + m)`` (digamma's recurrence)."""
    y = np.concatenate([y0, y1], axis=1).astype(np.int64)
    width = int(y.max()) + 1
    offsets = (np.arange(len(y)) * (width + 1))[:, None]
    hist = np.bincount((y + offsets).ravel(), minlength=len(y) * (width + 1))
    hist = hist.reshape(len(y), width + 1)
    return (y.shape[1] - np.cumsum(hist, axis=1))[:, :width].astype(float)


def _score(r: np.ndarray, tails: np.ndarray, sizes: tuple[int, int], m0, m1):
    """Profile score in r = 1/k and its derivative, for every trial (rows)."""
    inv = 1.0 / (r[:, None] + np.arange(tails.shape[1]))
    score = (tails * inv).sum(axis=1)
    slope = -(tails * inv**2).sum(axis=1)
    for n, m in zip(sizes, (m0, m1), strict=True):
        score += n * np.log(r / (r + m))
        slope += n * m / (r * (r + m))
    return score, slope


def _dispersion(y0, y1, m0, m1) -> np.ndarray:
    """k = 1/r solving the profile score; 0 where the data show no overdispersion."""
    excess = (((y0 - m0[:, None]) ** 2 - y0).sum(axis=1)
              + ((y1 - m1[:, None]) ** 2 - y1).sum(axis=1))
    over = excess > 0
    k = np.zeros(len(m0))
    if not over.any():
        return k
    y0, y1, m0, m1 = y0[over], y1[over], m0[over], m1[over]
    mom = excess[over] / ((m0**2) * y0.shape[1] + (m1**2) * y1.shape[1])
    x = np.log(1.0 / np.clip(mom, 1e-6, 1e6))  # log r, method-of-moments start
    tails, sizes = _tail_counts(y0, y1), (y0.shape[1], y1.shape[1])
    lo, hi = np.full_like(x, -30.0), np.full_like(x, 30.0)
    for _ in range(_MAX_NEWTON):
        r = np.exp(x)
        score, slope = _score(r, tails, sizes, m0, m1)
        lo = np.where(score > 0, x, lo)  # the score falls through its root as r grows
        hi = np.where(score <= 0, x, hi)
        step = -score / (slope * r)  # Newton on log r
        new = x + step
        outside = ~np.isfinite(new) | (new <= lo) | (new >= hi)
        new = np.where(outside, (lo + hi) / 2, new)
        done = np.abs(new - x) < _NEWTON_TOL * np.maximum(1.0, np.abs(x))
        x = new
        if done.all():
            break
    else:
        raise FitError(f"the dispersion did not converge in {_MAX_NEWTON} steps for "
                       f"{int((~done).sum())} of {len(x)} trials; check the scenario")
    k[over] = np.exp(-x)
    return k


def arm_only_tests(y0: np.ndarray, y1: np.ndarray, alpha: float) -> dict[str, np.ndarray]:
    """Arm-only NB2 Wald tests for every row (trial) of ``y0`` and ``y1``: ``log_irr``, ``se``,
    ``dispersion``, ``reject`` and ``valid`` (both arm means positive)."""
    m0, m1 = y0.mean(axis=1), y1.mean(axis=1)
    valid = (m0 > 0) & (m1 > 0)
    log_irr = np.full(len(m0), np.nan)
    se = np.full(len(m0), np.nan)
    k = np.full(len(m0), np.nan)
    if valid.any():
        a0, a1 = m0[valid], m1[valid]
        k[valid] = _dispersion(y0[valid], y1[valid], a0, a1)
        n0, n1 = y0.shape[1], y1.shape[1]
        log_irr[valid] = np.log(a1 / a0)
        se[valid] = np.sqrt(1 / (n0 * a0) + k[valid] / n0 + 1 / (n1 * a1) + k[valid] / n1)
    with np.errstate(invalid="ignore"):
        reject = valid & (np.abs(log_irr) / se > stats.norm.isf(alpha / 2))
    return {"log_irr": log_irr, "se": se, "dispersion": k, "reject": reject, "valid": valid}


def _adjusted_tests(y0, y1, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    n0, n1 = y0.shape[1], y1.shape[1]
    arm = np.r_[np.zeros(n0), np.ones(n1)]
    columns = [np.ones(n0 + n1), arm]
    if scenario.practices > 1:
        practice = np.r_[np.arange(n0), np.arange(n1)] % scenario.practices
        columns += [(practice == p).astype(float) for p in range(1, scenario.practices)]
    X = np.column_stack(columns)
    z = stats.norm.isf(scenario.alpha / 2)
    reject, valid = np.zeros(len(y0), bool), np.zeros(len(y0), bool)
    for i in range(len(y0)):
        try:
            fit = fit_nb2(np.r_[y0[i], y1[i]], X)
        except FitError:
            continue
        valid[i] = True
        reject[i] = abs(fit.params[1]) / fit.bse[1] > z
    return reject, valid


def run_batch(scenario: Scenario, key: tuple[int, int], size: int, seed: int,
              width: int | None = None) -> np.ndarray:
    """Decisions of one batch: int8 array, 1 rejected, 0 accepted, -1 no finite estimate."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))
    y0, y1 = simulate_days(scenario, rng, size, width)
    m0, m1 = scenario.n_analysed
    y0, y1 = y0[:, :m0], y1[:, :m1]
    if scenario.adjusted:
        reject, valid = _adjusted_tests(y0, y1, scenario)
    else:
        res = arm_only_tests(y0, y1, scenario.alpha)
        reject, valid = res["reject"], res["valid"]
    return np.where(valid, reject.astype(np.int8), np.int8(-1))


# --- running batches: serially or on Dask -----------------------------------------------------

def _batch_sizes(n_sims: int, batch_size: int) -> list[int]:
    full, rest = divmod(n_sims, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def _local_client(n_workers: int | None):
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415 (heavy, optional path)

    # ":0": any free port, so a second cluster never warns that the default 8787 is taken.
    cluster = LocalCluster(n_workers=n_workers or min(2, os.cpu_count() or 1), processes=True,
                           threads_per_worker=1, dashboard_address=":0")
    return Client(cluster), cluster


def _run_tasks(tasks: list[tuple], client, n_workers: int | None) -> list[np.ndarray]:
    """Run ``run_batch(*task)`` for every task, in task order. ``client``: "serial" (in this
    process), a ``dask.distributed.Client``, a scheduler address, or None (the scheduler in
    ``DASK_SCHEDULER_ADDRESS`` if set, else a new LocalCluster closed afterwards)."""
    if client == "serial":
        return [run_batch(*task) for task in tasks]
    from dask.distributed import Client  # noqa: PLC0415 (heavy, optional path)

    owned = []
    if client is None and os.environ.get("DASK_SCHEDULER_ADDRESS"):
        client = os.environ["DASK_SCHEDULER_ADDRESS"]
    if client is None:
        client, cluster = _local_client(n_workers)
        owned = [client, cluster]
    elif isinstance(client, str):
        client = Client(client)
        owned = [client]
    check_argument(isinstance(client, Client), "client",
                   '"serial", None, a scheduler address or a dask.distributed.Client', client)
    try:
        futures = [client.submit(run_batch, *task, pure=False) for task in tasks]
        return client.gather(futures)
    finally:
        for thing in owned:
            thing.close()


def _summary(decisions: np.ndarray, scenario: Scenario) -> SimulatedPower:
    n = len(decisions)
    rejected = int((decisions == 1).sum())
    failed = int((decisions == -1).sum())
    if failed:
        warnings.warn(f"{failed} of {n} simulated trials (n_control {scenario.n_control}, IRR "
                      f"{scenario.irr}) had no finite estimate (an arm without days absent, or a "
                      "failed fit); they count as not rejected", StatisticalWarning, stacklevel=3)
    p = rejected / n
    return rounded(SimulatedPower(p, math.sqrt(p * (1 - p) / n), n, rejected,
                                  failed, scenario.n_control,
                                  float(scenario.irr)))


def _check_run(n_sims, batch_size, seed) -> None:
    check_int("n_sims", n_sims, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    check_int("seed", seed, minimum=0)


def simulate_grid(scenarios, *, n_sims: int, batch_size: int = 500, seed: int = 2022,
                  client="serial", n_workers: int | None = None) -> pd.DataFrame:
    """Simulated power of every scenario (one row each, with its Monte Carlo SE); all batches
    of all scenarios are submitted together. Batch ``b`` of scenario ``s`` (its position in
    ``scenarios``) uses ``SeedSequence(seed, spawn_key=(s, b))``."""
    _check_run(n_sims, batch_size, seed)
    scenarios = list(scenarios)
    check_argument(bool(scenarios) and all(isinstance(s, Scenario) for s in scenarios),
                   "scenarios", "a non-empty list of Scenario", scenarios)
    sizes = _batch_sizes(n_sims, batch_size)
    tasks = [(s, (i, b), size, seed) for i, s in enumerate(scenarios)
             for b, size in enumerate(sizes)]
    results = _run_tasks(tasks, client, n_workers)
    rows = []
    for i, s in enumerate(scenarios):
        part = np.concatenate(results[i * len(sizes):(i + 1) * len(sizes)])
        rows.append({**asdict(s), **asdict(_summary(part, s))})
    return pd.DataFrame(rows)


def simulate_power(scenario: Scenario, *, n_sims: int, batch_size: int = 500, seed: int = 2022,
                   client=None, n_workers: int | None = None) -> SimulatedPower:
    """Simulated power of ``scenario`` (scenario index 0 in the seed keys), on Dask by default
    (see ``_run_tasks`` for ``client``; ``client="serial"`` runs in this process)."""
    _check_run(n_sims, batch_size, seed)
    check_argument(isinstance(scenario, Scenario), "scenario", "a Scenario", scenario)
    tasks = [(scenario, (0, b), size, seed)
             for b, size in enumerate(_batch_sizes(n_sims, batch_size))]
    return _summary(np.concatenate(_run_tasks(tasks, client, n_workers)), scenario)


def smallest_n(scenario: Scenario, *, power: float, n_low: int, n_high: int, n_sims: int,
               batch_size: int = 500, seed: int = 2022, client="serial",
               n_workers: int | None = None) -> tuple[SimulatedPower, pd.DataFrame]:
    """Smallest ``n_control`` in ``[n_low, n_high]`` whose simulated power reaches ``power``,
    by bisection. Common random numbers: every candidate uses the same batches, drawn at width
    ``n_high`` and cut to the candidate's first columns, so simulated power rises with n up to
    the Monte Carlo noise of the largest n. Returns the result at that n and every candidate."""
    power = check_probability("power", power)
    _check_run(n_sims, batch_size, seed)
    check_int("n_low", n_low, minimum=2)
    check_int("n_high", n_high, minimum=n_low)
    sizes = _batch_sizes(n_sims, batch_size)
    tried: dict[int, SimulatedPower] = {}

    def evaluate(n):
        s = replace(scenario, n_control=n)
        tasks = [(s, (0, b), size, seed, n_high) for b, size in enumerate(sizes)]
        tried[n] = _summary(np.concatenate(_run_tasks(tasks, client, n_workers)), s)
        return tried[n].power

    check_argument(evaluate(n_high) >= power, "n_high",
                   f"large enough to reach power {power} (simulated {tried[n_high].power})",
                   n_high)
    lo, hi = n_low, n_high
    if evaluate(lo) >= power:
        hi = lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if evaluate(mid) >= power else (mid, hi)
    table = pd.DataFrame([asdict(tried[n]) for n in sorted(tried)])
    return tried[hi], table
