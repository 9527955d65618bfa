"""Simulated power (wave_analysis.trial.power_sim): agreement with the analytic power, type I
error, the exact arm-only estimator against statsmodels, and identical results however the
batches run (serially, on 1 or 2 Dask workers)."""

from dataclasses import replace

import numpy as np
import pytest
import statsmodels.api as sm

from wave_analysis.exceptions import ArgumentError, StatisticalWarning
from wave_analysis.trial.power import Design, power_for_n
from wave_analysis.trial.power_sim import (
    Scenario,
    arm_only_tests,
    run_batch,
    simulate_days,
    simulate_grid,
    simulate_power,
    smallest_n,
)


def test_simulated_power_matches_analytic_method_2():
    # The arm-only Wald test estimates the variance at the MLEs: Zhu & Lakkis method 2.
    s = Scenario(150, 0.75, 42.66, 1.8)
    sim = simulate_power(s, n_sims=2000, batch_size=500, seed=11, client="serial")
    analytic = power_for_n(0.75, 150, design=Design(42.66, 1.8, method=2))
    assert abs(sim.power - analytic) < 3 * sim.mcse, (sim, analytic)


def test_type_one_error():
    s = Scenario(150, 1.0, 42.66, 1.8)
    sim = simulate_power(s, n_sims=2000, batch_size=500, seed=12, client="serial")
    assert abs(sim.power - 0.05) < 3 * np.sqrt(0.05 * 0.95 / 2000), sim


def test_cap_lowers_power():
    free = simulate_power(Scenario(200, 0.8, 42.66, 1.8), n_sims=600, seed=3, client="serial")
    capped = simulate_power(Scenario(200, 0.8, 42.66, 1.8, cap=182), n_sims=600, seed=3,
                            client="serial")
    assert capped.power < free.power


def test_estimator_equals_statsmodels():
    rng = np.random.default_rng(5)
    y0, y1 = simulate_days(Scenario(40, 0.7, 20.0, 1.2, cap=182), rng, 25)
    ours = arm_only_tests(y0, y1, 0.05)
    X = np.column_stack([np.ones(80), np.r_[np.zeros(40), np.ones(40)]])
    for i in range(25):
        fit = sm.NegativeBinomial(np.r_[y0[i], y1[i]], X).fit(disp=0, method="newton",
                                                                maxiter=200, tol=1e-12)
        assert ours["log_irr"][i] == pytest.approx(fit.params[1], rel=1e-7)
        assert ours["se"][i] == pytest.approx(fit.bse[1], rel=1e-5)
        assert ours["dispersion"][i] == pytest.approx(fit.params[2], rel=1e-5)


def test_no_overdispersion_and_empty_arm():
    y0 = np.array([[5.0, 5, 5, 5], [0, 0, 0, 0]])
    y1 = np.array([[4.0, 4, 4, 4], [1, 2, 3, 4]])
    res = arm_only_tests(y0, y1, 0.05)
    assert res["dispersion"][0] == 0 and res["valid"].tolist() == [True, False]
    assert not res["reject"][1]


def test_adjusted_path_equals_arm_only_without_practices():
    # fit_nb2 on [1, arm] is the same model as the vectorised estimator: same decisions.
    s = Scenario(60, 0.7, 42.66, 1.8, cap=182)
    fast = run_batch(s, (0, 0), 40, 8)
    slow = run_batch(replace(s, adjusted=True), (0, 0), 40, 8)
    assert np.array_equal(fast, slow)
    assert 0 < (fast == 1).sum() < 40


def test_failed_trials_warn():
    with pytest.warns(StatisticalWarning, match="had no finite estimate"):
        res = simulate_power(Scenario(5, 0.8, 0.05, 0.0), n_sims=50, seed=1, client="serial")
    assert res.n_failed > 0 and res.n_rejected + res.n_failed <= 50


def test_clustering_and_adjusted_run():
    s = Scenario(60, 0.8, 42.66, 1.8, practices=5, practice_variance=0.1, vsws=3,
                 vsw_variance=0.2, adjusted=True)
    res = simulate_power(s, n_sims=20, batch_size=10, seed=1, client="serial")
    assert res.n_sims == 20 and 0 <= res.power <= 1


def test_smallest_n_reuses_seeds():
    s = Scenario(10, 0.7, 42.66, 1.8)
    best, table = smallest_n(s, power=0.8, n_low=50, n_high=400, n_sims=200, seed=2)
    assert best.power >= 0.8
    below = table[table.n_control < best.n_control]
    assert (below.power < 0.8).all()


def test_seed_keys():
    s = Scenario(50, 0.8, 42.66, 1.8)
    grid = simulate_grid([s, s], n_sims=300, batch_size=100, seed=4)
    alone = simulate_power(s, n_sims=300, batch_size=100, seed=4, client="serial")
    assert grid.n_rejected[0] == alone.n_rejected  # scenario 0 has the same keys either way
    assert not np.array_equal(run_batch(s, (0, 0), 100, 4), run_batch(s, (1, 0), 100, 4))
    assert np.array_equal(run_batch(s, (1, 0), 100, 4), run_batch(s, (1, 0), 100, 4))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_control": 1}, "n_control must be a whole number of at least 2"),
    ({"dispersion": -1}, "dispersion must be a finite number of at least 0"),
    ({"cap": 0}, "cap must be None or a number of at least 1"),
    ({"dropout": 1.0}, "dropout must be a number at least 0 and below 1"),
])
def test_bad_scenario(kwargs, match):
    base = {"n_control": 50, "irr": 0.8, "control_mean": 40.0, "dispersion": 1.8}
    with pytest.raises(ArgumentError, match=match):
        Scenario(**{**base, **kwargs})


def test_bad_run_arguments():
    s = Scenario(50, 0.8, 40.0, 1.8)
    with pytest.raises(ArgumentError, match="n_sims must be a whole number of at least 1"):
        simulate_power(s, n_sims=0, client="serial")
    with pytest.raises(ArgumentError, match="client must be"):
        simulate_power(s, n_sims=10, client=42)


@pytest.mark.slow
def test_serial_one_and_two_workers_identical():
    from dask.distributed import Client, LocalCluster

    s = Scenario(100, 0.8, 42.66, 1.8, cap=182)
    serial = simulate_grid([s, s], n_sims=400, batch_size=50, seed=9, client="serial")
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            dask = simulate_grid([s, s], n_sims=400, batch_size=50, seed=9, client=client)
        assert dask.equals(serial), workers


@pytest.mark.slow
def test_default_local_cluster():
    s = Scenario(50, 0.8, 42.66, 1.8)
    serial = simulate_power(s, n_sims=100, batch_size=25, seed=3, client="serial")
    assert simulate_power(s, n_sims=100, batch_size=25, seed=3, n_workers=1) == serial
