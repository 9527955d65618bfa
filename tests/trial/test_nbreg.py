"""Tests for wave_analysis.trial.nbreg: the Newton NB2 solver agrees with statsmodels'
NegativeBinomial (the reference)."""

import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from wave_analysis.exceptions import ArgumentError, WaveError
from wave_analysis.trial.nbreg import fit_nb2


def _reference(y, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # statsmodels' own Newton-Raphson: BFGS stops with a precision-loss warning (not
        # converged) on the synthetic primary model although it sits at the same optimum
        fit = sm.NegativeBinomial(y, X, loglike_method="nb2").fit(disp=0, maxiter=200,
                                                                  method="newton")
    assert fit.mle_retvals["converged"]
    return fit


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_statsmodels_on_simulated_counts(seed):
    rng = np.random.default_rng(seed)
    n = 400
    X = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.normal(size=n),
                         rng.integers(0, 3, n) == 1])
    mu = np.exp(2.5 - 0.2 * X[:, 1] + 0.4 * X[:, 2] + 0.3 * X[:, 3])
    y = np.minimum(rng.negative_binomial(0.6, 0.6 / (0.6 + mu)), 182)
    ours, ref = fit_nb2(y, X), _reference(y, X)
    np.testing.assert_allclose(ours.params, ref.params[:-1], atol=1e-4)
    np.testing.assert_allclose(ours.alpha, ref.params[-1], rtol=1e-4)
    np.testing.assert_allclose(ours.bse, ref.bse[:-1], rtol=1e-4)
    assert ours.loglik == pytest.approx(ref.llf, abs=1e-6)


def test_matches_statsmodels_on_the_synthetic_primary_model(trial):
    import patsy

    from wave_analysis.trial import effects

    frame = effects._categorical(effects.analysis_frame(trial))
    y, X = patsy.dmatrices("days_absent ~ treated + " + effects.ADJUSTED, frame,
                           return_type="dataframe")
    ours, ref = fit_nb2(y.iloc[:, 0].to_numpy(), X.to_numpy()), _reference(y, X)
    i = list(X.columns).index("treated")
    assert ours.params[i] == pytest.approx(ref.params["treated"], abs=1e-4)
    assert ours.bse[i] == pytest.approx(ref.bse["treated"], rel=1e-4)


def test_bad_input_is_a_clear_error():
    X = np.column_stack([np.ones(4), [0, 1, 0, 1]])
    with pytest.raises(ArgumentError, match="y must be whole numbers of 0 or more .*; got -2.0"):
        fit_nb2(np.array([1, -2, 3, 4]), X)
    with pytest.raises(ArgumentError, match="y must be whole numbers of 0 or more .*; got 2.5"):
        fit_nb2(np.array([1, 2.5, 3, 4]), X)
    with pytest.raises(WaveError, match="rank deficient"):
        fit_nb2(np.array([1, 2, 3, 4]), np.column_stack([X, X[:, 1]]))
    with pytest.raises(ArgumentError, match=r"X must be a design matrix with one row per outcome "
                                            r"\(3 rows\); got '4 rows'"):
        fit_nb2(np.array([1, 2, 3]), X)
