"""Analytic sample size and power (wave_analysis.trial.power).

Known answers: Zhu & Lakkis (2014), Statistics in Medicine 33:376-387, doi 10.1002/sim.5947:
  * r0 0.8, IRR 0.85, t 0.75, k 0.4, power 0.8, alpha 0.05 two-sided -> 1311 per arm (method 3;
    by hand: V1 = (1/0.75)(1/0.8 + 1/0.68) + 2 * 0.4 = 4.42745, r~ = 0.74,
    V0 = (1/0.75)(2/0.74) + 0.8 = 4.40360, n = (1.959964 sqrt(V0) + 0.841621 sqrt(V1))^2
    / log(0.85)^2 = 1310.73);
  * r0 3, IRR 0.7, k 0 (Poisson), t 1, power 0.8 -> 49 per arm (method 3);
  * r0 5, IRR 2, k 0.5, t 1, power 0.8 -> 22.37386 / 21.23734 / 20.85564 unrounded n per arm for
    methods 1 / 2 / 3 (hand check of method 2: 1.3 (1.959964 + 0.841621)^2 / log(2)^2 = 21.2373).
statsmodels.stats.rates.power_negbin_ratio_2indep: rate1 = intervention, rate2 = control,
nobs1 = intervention n, nobs_ratio = n_control / n_intervention = 1 / R; method_var="alt" is
method 2 and "ftotal" is method 3 (method 1 has no statsmodels counterpart).
"""

import pytest
from statsmodels.stats.rates import power_negbin_ratio_2indep

from wave_analysis.exceptions import ArgumentError
from wave_analysis.trial import plots
from wave_analysis.trial.power import (
    Design,
    detectable_irr,
    dispersion_from_ci,
    dispersion_from_sd,
    power_for_n,
    sample_size,
    sample_size_grid,
)


def test_zhu_lakkis_1311():
    res = sample_size(0.85, design=Design(0.8, 0.4, exposure=0.75, method=3), power=0.8)
    assert res.n_control == res.n_intervention == 1311
    assert res.power >= 0.8


def test_poisson_49():
    assert sample_size(0.7, design=Design(3, 0, method=3), power=0.8).n_control == 49


@pytest.mark.parametrize(("method", "expected"), [(1, 22.37386), (2, 21.23734), (3, 20.85564)])
def test_three_methods(method, expected):
    res = sample_size(2, design=Design(5, 0.5, method=method), power=0.8)
    assert res.n_control_unrounded == pytest.approx(expected, rel=2e-6)


@pytest.mark.parametrize(("method", "method_var"), [(2, "alt"), (3, "ftotal")])
@pytest.mark.parametrize("ratio", [1, 2, 0.5])
def test_agrees_with_statsmodels(method, method_var, ratio):
    d = Design(0.8, 0.4, exposure=0.75, method=method, allocation=ratio)
    ours = power_for_n(0.85, 500, design=d)
    theirs = power_negbin_ratio_2indep(0.68, 0.8, 500 * ratio, nobs_ratio=1 / ratio,
                                       exposure=0.75, dispersion=0.4, method_var=method_var,
                                       return_results=False)
    assert ours == pytest.approx(float(theirs), rel=1e-5)


def test_dropout_and_design_effect_inflate():
    base = sample_size(0.8, design=Design(42.66, 1.8), power=0.9)
    more = sample_size(0.8, design=Design(42.66, 1.8, dropout=0.1, design_effect=1.2), power=0.9)
    assert more.n_control_unrounded == pytest.approx(base.n_control_unrounded * 1.2 / 0.9, rel=1e-5)


def test_variable_follow_up_needs_more_and_cv0_limit():
    fixed = sample_size(0.85, design=Design(0.8, 0.4, exposure=0.75), power=0.8)
    tiny = sample_size(0.85, design=Design(0.8, 0.4, exposure=0.75, exposure_cv=1e-4), power=0.8)
    varied = sample_size(0.85, design=Design(0.8, 0.4, exposure=0.75, exposure_cv=0.5), power=0.8)
    assert tiny.n_control_unrounded == pytest.approx(fixed.n_control_unrounded, rel=1e-6)
    assert varied.n_control > fixed.n_control


def test_detectable_irr_inverts_power():
    d = Design(42.66, 1.8, dropout=0.1)
    irr = detectable_irr(360, design=d, power=0.9)
    assert power_for_n(irr, 360, design=d) == pytest.approx(0.9, abs=1e-5)
    up = detectable_irr(360, design=d, power=0.9, direction="increase")
    assert up > 1 and power_for_n(up, 360, design=d) == pytest.approx(0.9, abs=1e-5)


def test_sample_size_round_trip():
    d = Design(42.66, 1.8, dropout=0.1)
    res = sample_size(0.8, design=d, power=0.9)
    assert power_for_n(0.8, res.n_control, design=d) >= 0.9
    assert power_for_n(0.8, res.n_control - 1, design=d) < 0.9


@pytest.mark.parametrize(("call", "match"), [
    (lambda: Design(-1, 0.4), "control_rate must be a positive finite number"),
    (lambda: Design(1, -0.1), "dispersion must be a finite number of at least 0"),
    (lambda: Design(1, 0.4, method=4), "method must be one of 1, 2, 3"),
    (lambda: Design(1, 0.4, dropout=1), "dropout must be a number at least 0 and below 1"),
    (lambda: Design(1, 0.4, alpha=0), "alpha must be a number strictly between 0 and 1"),
    (lambda: Design(1, 0.4, design_effect=0.5), "design_effect must be a finite"),
    (lambda: sample_size(1, design=Design(1, 0.4)), "irr must be a rate ratio other than 1"),
    (lambda: sample_size(float("nan"), design=Design(1, 0.4)), "irr must be a positive finite"),
    (lambda: sample_size(0.8, design=Design(1, 0.4), power=1.2), "power must be a number strictly"),
    (lambda: detectable_irr(1, design=Design(1, 0.4), power=0.9), "n_control must be large enough"),
])
def test_bad_input(call, match):
    with pytest.raises(ArgumentError, match=match):
        call()


def test_dispersion_from_published_numbers():
    # usual care: mean 42.66, SD 57.67 (HTA report): (57.67^2 - 42.66) / 42.66^2 = 1.80406
    assert dispersion_from_sd(42.66, 57.67) == pytest.approx(1.80406, rel=1e-6)
    with pytest.raises(ArgumentError, match="sd must be above sqrt"):
        dispersion_from_sd(42.66, 6)
    # 80% CI 0.653-1.276: se = log(1.276/0.653) / (2 * 1.281552) = 0.261368; with the 125
    # analysed split as randomised (61.54 / 63.46): k = (se^2 - 1/(61.54*42.66)
    # - 1/(63.46*37.86)) / (1/61.54 + 1/63.46) = 2.10935
    k = dispersion_from_ci((0.653, 1.276), ci_level=0.8, n=(125 * 64 / 130, 125 * 66 / 130),
                           means=(42.66, 37.86))
    assert k == pytest.approx(2.10935, rel=1e-5)


def test_grid_and_plot():
    grid = sample_size_grid([0.75, 0.8], [1.6, 2.1], design=Design(42.66, 1.8), power=0.9)
    assert len(grid) == 4
    assert grid.set_index(["irr", "dispersion"]).n_control.loc[(0.8, 2.1)] > \
        grid.set_index(["irr", "dispersion"]).n_control.loc[(0.8, 1.6)]
    fig = plots.sample_size_grid(grid, planned_per_arm=360)
    assert len(fig.axes[0].lines) == 3
    with pytest.raises(ArgumentError, match="grid must be the frame"):
        plots.sample_size_grid(grid.drop(columns="irr"))
