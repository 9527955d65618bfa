"""Tests for wave_analysis.trial.effects: numbers checked against independent computations.

Reference values are computed inside each test from first principles (hand-written IRLS and
sandwich, statsmodels GLM with a fixed dispersion, a root-finder on the g-estimation equation,
numpy least squares), or are the known parameters of simulated data. Nothing is a number the
code under test produced and was pasted back.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import optimize, stats

from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, DAYS_PER_FORTNIGHT, FORTNIGHTS
from wave_analysis.exceptions import ArgumentError, WaveError
from wave_analysis.synthetic import trial as synthetic
from wave_analysis.trial import effects

# ---------------------------------------------------------------------------------------------
# Simulated data with known parameters


def sim_frame(seed: int, n: int, irr: float, alpha: float = 0.8) -> pd.DataFrame:
    """An analysis frame (as effects.analysis_frame returns) with NB2 outcomes of known IRR."""
    rng = np.random.default_rng(seed)
    practice = rng.integers(0, 5, n)
    baseline = rng.integers(14, 184, n)
    treated = rng.integers(0, 2, n)
    mu = np.exp(3.0 + np.log(irr) * treated + 0.4 * np.log(baseline / 40)
                + np.array([0, 0.2, -0.2, 0.1, 0.3])[practice])
    y = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu))
    return pd.DataFrame({
        "participant_id": [f"S{i}" for i in range(n)],
        "arm": np.array(ARMS)[treated], "treated": treated, "days_absent": y,
        "practice_id": [f"P{p}" for p in practice],
        "absence_band": np.where(baseline > 42, "over 6 weeks", "2-6 weeks"),
        "days_absent_baseline": baseline, "log_baseline_days": np.log(baseline),
    })


def sim_trial(seed: int, n: int, *, received_share: float = 0.8, effect: float = 0.7,
              contaminated: bool = False) -> TrialData:
    """A small complete TrialData: every SMS answered, so days absent = the simulated total."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"S{i:04d}" for i in range(n)])
    arm = np.array(ARMS)[np.arange(n) % 2]
    vs = arm == ARMS[1]
    received = vs & (rng.random(n) < received_share)
    baseline = rng.integers(14, 184, n)
    mu = 40 * np.where(received, effect, 1.0) * np.exp(0.3 * np.log(baseline / 40))
    total = np.minimum(rng.negative_binomial(1.5, 1.5 / (1.5 + mu)), FORTNIGHTS * 14)
    # Whole fortnights off first, then the remainder, then zeros.
    k = np.arange(FORTNIGHTS)
    days = np.clip(total[:, None] - DAYS_PER_FORTNIGHT * k[None, :], 0, DAYS_PER_FORTNIGHT)
    participants = pd.DataFrame({
        "participant_id": ids, "practice_id": [f"P{i % 3}" for i in range(n)], "arm": arm,
        "days_absent_baseline": baseline,
        "absence_band": np.where(baseline > 42, "over 6 weeks", "2-6 weeks"),
        "eq5d_index": rng.uniform(0.2, 0.9, n), "eq_vas": rng.integers(20, 90, n),
        "rtwse": rng.uniform(1.5, 5.5, n),
    })
    sms = pd.DataFrame({"participant_id": np.repeat(ids, FORTNIGHTS),
                        "fortnight": np.tile(k + 1, n), "days_off": days.ravel()})
    rows = []
    for tp, shift in (("6w", 0.05), ("6m", 0.1)):
        rows.append(pd.DataFrame({
            "participant_id": ids, "timepoint": tp, "days_absent_self_report": total,
            "productivity_loss_gbp": rng.gamma(1.0, 5000, n) * np.where(vs, 0.9, 1.0),
            "eq5d_index": np.clip(participants["eq5d_index"] + shift * vs
                                  + rng.normal(0, 0.1, n), -0.285, 1),
            "eq_vas": participants["eq_vas"] + rng.normal(0, 8, n),
            "rtwse": participants["rtwse"] + 0.3 * vs + rng.normal(0, 0.5, n),
        }))
    contacts = ids[received]
    if contaminated:
        contacts = np.append(contacts, ids[~vs][:2])
    empty = pd.DataFrame()
    return TrialData(practices=empty, screening=empty, participants=participants, sms=sms,
                     questionnaires=pd.concat(rows, ignore_index=True),
                     vsw_contacts=pd.DataFrame({"participant_id": contacts}),
                     withdrawals=empty, synthetic=True)


@pytest.fixture(scope="module")
def big_frame():
    return sim_frame(11, 4000, irr=0.7)


@pytest.fixture(scope="module")
def small_trial():
    return sim_trial(5, 300)


@pytest.fixture(scope="module")
def synthetic_trial():
    return synthetic.make_trial()  # in memory: independent of the data/synthetic export


# ---------------------------------------------------------------------------------------------
# Negative binomial


def test_nb_recovers_known_irr(big_frame):
    r = effects.negative_binomial(big_frame, ci_level=0.95)
    assert r.estimate == pytest.approx(0.7, abs=3 * 0.7 * r.log_se)
    assert r.ci_low < 0.7 < r.ci_high
    assert r.dispersion == pytest.approx(0.8, rel=0.1)
    assert r.n == len(big_frame)


def test_nb_matches_glm_with_fixed_alpha(big_frame):
    r = effects.negative_binomial(big_frame, ci_level=0.95)
    # Given alpha, the NB2 score equations for the coefficients are those of a GLM.
    glm = smf.glm("days_absent ~ treated + " + effects.ADJUSTED, data=big_frame,
                  family=sm.families.NegativeBinomial(alpha=r.dispersion)).fit()
    assert np.log(r.estimate) == pytest.approx(glm.params["treated"], abs=1e-5)
    assert r.log_se == pytest.approx(glm.bse["treated"], rel=0.02)
    z = stats.norm.ppf(0.975)
    assert r.ci_low == pytest.approx(np.exp(glm.params["treated"] - z * r.log_se), rel=1e-5)


def test_ci_level_monotone_and_estimate_unchanged(big_frame):
    r80 = effects.negative_binomial(big_frame, ci_level=0.8)
    r95 = effects.negative_binomial(big_frame, ci_level=0.95)
    assert r80.estimate == pytest.approx(r95.estimate)
    assert r95.ci_low < r80.ci_low < r80.estimate < r80.ci_high < r95.ci_high
    assert (r80.ci_level, r95.ci_level) == (0.8, 0.95)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.2, True, "0.8"])
def test_bad_ci_level(big_frame, level):
    message = f"ci_level must be a number strictly between 0 and 1; got {level!r}"
    with pytest.raises(ArgumentError, match=re.escape(message)):
        effects.negative_binomial(big_frame, ci_level=level)


def test_bad_options_name_the_argument(big_frame):
    with pytest.raises(ArgumentError, match="cov_type must be one of HC0, HC1; got 'HC3'"):
        effects.poisson_robust(big_frame, cov_type="HC3")
    with pytest.raises(ArgumentError, match="results must be a non-empty sequence of results; "
                                            "got \\[\\]"):
        effects.results_frame([])


def test_empty_arm_is_a_clear_error(big_frame):
    one_arm = big_frame[big_frame["arm"] == "usual_care"]
    with pytest.raises(WaveError, match="no participants with 'days_absent' in arm "
                                        "'vocational_support'"):
        effects.negative_binomial(one_arm)
    with pytest.raises(WaveError, match="in arm 'vocational_support'"):
        effects.poisson_robust(one_arm)


def test_to_frame_is_tidy(big_frame):
    row = effects.negative_binomial(big_frame).to_frame()
    assert len(row) == 1
    assert {"model", "estimate", "ci_low", "ci_high", "ci_level", "p_value"} <= set(row.columns)


# ---------------------------------------------------------------------------------------------
# Poisson with a sandwich variance


def test_poisson_robust_se_matches_hand_sandwich():
    x = np.array([0.1, 0.5, -0.3, 1.2, 0.8, -1.0, 0.0, 0.4, -0.6, 1.5, 0.9, -0.2])
    treated = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    y = np.array([3, 1, 4, 2, 9, 0, 2, 5, 1, 7, 6, 2])
    frame = pd.DataFrame({"days_absent": y, "treated": treated, "x": x,
                          "arm": np.array(ARMS)[treated]})
    design = np.column_stack([np.ones_like(x), treated, x])
    beta = np.zeros(3)
    for _ in range(50):  # Newton-Raphson for the Poisson MLE
        mu = np.exp(design @ beta)
        beta += np.linalg.solve(design.T @ (mu[:, None] * design), design.T @ (y - mu))
    mu = np.exp(design @ beta)
    bread = np.linalg.inv(design.T @ (mu[:, None] * design))
    meat = design.T @ (((y - mu) ** 2)[:, None] * design)
    hc0 = bread @ meat @ bread
    r0 = effects.poisson_robust(frame, covariates="x", ci_level=0.95)
    assert np.log(r0.estimate) == pytest.approx(beta[1], abs=1e-8)
    assert r0.log_se == pytest.approx(np.sqrt(hc0[1, 1]), rel=1e-6)
    r1 = effects.poisson_robust(frame, covariates="x", ci_level=0.95, cov_type="HC1")
    n, p = design.shape
    assert r1.log_se == pytest.approx(np.sqrt(hc0[1, 1] * n / (n - p)), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# Zero-inflated negative binomial


def test_zinb_recovers_count_irr():
    frame = sim_frame(3, 3000, irr=0.6, alpha=0.5)
    rng = np.random.default_rng(4)
    # Structural zeros more likely with short baseline absence (the inflation covariate).
    p_zero = 1 / (1 + np.exp(-(2.0 - 0.8 * frame["log_baseline_days"])))
    frame.loc[rng.random(len(frame)) < p_zero, "days_absent"] = 0
    r = effects.zero_inflated(frame, ci_level=0.95)
    assert "count part" in r.model and "fallback" not in r.model
    assert r.ci_low < 0.6 < r.ci_high
    assert r.estimate == pytest.approx(0.6, abs=0.06)


def test_zinb_without_zeros_is_a_clear_error(big_frame):
    frame = big_frame.assign(days_absent=big_frame["days_absent"] + 1)
    with pytest.raises(WaveError, match="no participant has 0 days absent"):
        effects.zero_inflated(frame)


# ---------------------------------------------------------------------------------------------
# Complier average causal effect


def test_cace_solves_the_g_estimation_equation(small_trial):
    r = effects.cace(small_trial, ci_level=0.8, n_boot=500, seed=1)
    frame = effects.analysis_frame(small_trial)
    got = frame["participant_id"].isin(small_trial.vsw_contacts["participant_id"]).to_numpy()
    y = frame["days_absent"].to_numpy(float)
    z = (frame["arm"] == "vocational_support").to_numpy()

    # E[Y exp(-psi D) | Z=1] = E[Y | Z=0]: a multiplicative structural mean model, by root-finding.
    def gap(psi):
        return (y[z] * np.exp(-psi * got[z])).mean() - y[~z].mean()

    psi = optimize.brentq(gap, -5, 5)
    assert r.estimate == pytest.approx(np.exp(psi), rel=1e-9)
    assert r.ci_low < r.estimate < r.ci_high
    # Simulated effect among receivers is 0.7: the 80% interval should not be far from it.
    assert r.ci_low < 0.7 * 1.25 and r.ci_high > 0.7 / 1.25


def test_cace_with_full_receipt_is_the_ratio_of_means():
    trial = sim_trial(8, 200, received_share=1.0)
    r = effects.cace(trial, n_boot=200)
    frame = effects.analysis_frame(trial)
    means = frame.groupby("arm")["days_absent"].mean()
    assert r.estimate == pytest.approx(means["vocational_support"] / means["usual_care"])


def test_cace_bootstrap_is_seeded(small_trial):
    a = effects.cace(small_trial, n_boot=300, seed=7)
    b = effects.cace(small_trial, n_boot=300, seed=7)
    c = effects.cace(small_trial, n_boot=300, seed=8)
    assert (a.ci_low, a.ci_high, a.log_se) == (b.ci_low, b.ci_high, b.log_se)
    assert (a.ci_low, a.ci_high) != (c.ci_low, c.ci_high)
    assert a.estimate == c.estimate


def test_cace_rejects_usual_care_with_contacts():
    trial = sim_trial(9, 100, contaminated=True)
    with pytest.raises(WaveError, match="in arm 'usual_care' had VSW contacts"):
        effects.cace(trial, n_boot=200)


# ---------------------------------------------------------------------------------------------
# Productivity and questionnaires


def test_productivity_difference_numbers(small_trial):
    r = effects.productivity_difference(small_trial, n_boot=4000, seed=3)
    q = small_trial.questionnaires
    q6 = q[q["timepoint"] == "6m"].merge(small_trial.participants[["participant_id", "arm"]])
    g = q6.groupby("arm")["productivity_loss_gbp"]
    means, sds, ns = g.mean(), g.std(), g.size()
    assert r.estimate == pytest.approx(means["vocational_support"] - means["usual_care"])
    assert (r.mean_usual_care, r.sd_vocational_support) == pytest.approx(
        (means["usual_care"], sds["vocational_support"]))
    assert (r.n_usual_care, r.n_vocational_support) == (ns["usual_care"], ns["vocational_support"])
    # The bootstrap interval is close to the normal-theory (Welch) one for n = 150 per arm.
    se = np.sqrt((sds**2 / ns).sum())
    z = stats.norm.ppf(0.975)
    assert r.ci_low == pytest.approx(r.estimate - z * se, abs=0.15 * se)
    assert r.ci_high == pytest.approx(r.estimate + z * se, abs=0.15 * se)


def test_productivity_bootstrap_seeded_and_levels(small_trial):
    a = effects.productivity_difference(small_trial, n_boot=500, seed=1)
    b = effects.productivity_difference(small_trial, n_boot=500, seed=1)
    assert a == b
    narrow = effects.productivity_difference(small_trial, n_boot=500, seed=1, ci_level=0.8)
    assert a.ci_low < narrow.ci_low < narrow.ci_high < a.ci_high
    bca = effects.productivity_difference(small_trial, n_boot=2000, seed=1, method="bca")
    assert bca.ci_low < bca.estimate < bca.ci_high


def test_productivity_bad_input(small_trial):
    with pytest.raises(ArgumentError, match="n_boot must be a whole number of at least 100; "
                                            "got 10"):
        effects.productivity_difference(small_trial, n_boot=10)
    with pytest.raises(ArgumentError, match="method must be one of percentile, bca; got 'basic'"):
        effects.productivity_difference(small_trial, method="basic")
    with pytest.raises(ArgumentError, match="timepoint must be one of 6w, 6m; got '12m'"):
        effects.productivity_difference(small_trial, timepoint="12m")
    # a count from numpy is accepted like a Python int
    assert effects.productivity_difference(small_trial, n_boot=np.int64(200)).ci_level == 0.95
    q = small_trial.questionnaires
    vs_ids = small_trial.participants.loc[small_trial.participants["arm"] == "vocational_support",
                                          "participant_id"]
    no_vs = TrialData(**{**small_trial.__dict__,
                         "questionnaires": q[~q["participant_id"].isin(vs_ids)]})
    with pytest.raises(WaveError, match="no participants .* in arm 'vocational_support'"):
        effects.productivity_difference(no_vs)


def test_questionnaire_ancova_matches_least_squares(small_trial):
    results = effects.questionnaire_effects(small_trial, ci_level=0.9)
    assert [(r.outcome, r.timepoint) for r in results] == [
        (m, t) for t in ("6w", "6m") for m in ("eq5d_index", "eq_vas", "rtwse")]
    r = next(r for r in results if (r.outcome, r.timepoint) == ("rtwse", "6m"))
    q = small_trial.questionnaires
    d = q[q["timepoint"] == "6m"][["participant_id", "rtwse"]].merge(
        small_trial.participants[["participant_id", "arm", "rtwse"]], on="participant_id",
        suffixes=("", "_base"))
    x = np.column_stack([np.ones(len(d)), d["arm"] == "vocational_support", d["rtwse_base"]])
    y = d["rtwse"].to_numpy(float)
    beta, rss, *_ = np.linalg.lstsq(x.astype(float), y, rcond=None)
    df = len(y) - 3
    se = np.sqrt(rss[0] / df * np.linalg.inv(x.T.astype(float) @ x.astype(float))[1, 1])
    t = stats.t.ppf(0.95, df)
    assert r.estimate == pytest.approx(beta[1])
    assert (r.ci_low, r.ci_high) == pytest.approx((beta[1] - t * se, beta[1] + t * se))
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(beta[1] / se), df))
    assert r.ci_low < 0.3 < r.ci_high  # the simulated shift


def test_questionnaire_bad_measure_or_timepoint(small_trial):
    with pytest.raises(ArgumentError, match="measures must be one of eq5d_index, eq_vas, rtwse; "
                                            "got 'sf12'"):
        effects.questionnaire_effects(small_trial, measures=("rtwse", "sf12"))
    with pytest.raises(ArgumentError, match="timepoints must be one of 6w, 6m; got '3m'"):
        effects.questionnaire_effects(small_trial, timepoints=("3m",))


# ---------------------------------------------------------------------------------------------
# The whole set on the synthetic cohort


def test_sensitivity_on_synthetic_cohort(synthetic_trial):
    results = effects.sensitivity(synthetic_trial, ci_level=0.8, n_boot=300, seed=1)
    names = [r.model for r in results]
    assert len(results) == 8
    assert results[0] == effects.primary(synthetic_trial, ci_level=0.8)
    for rule in ("interpolate", "pro_rata", "worst_case"):
        assert any(rule in n for n in names)
    assert any(n.startswith("zero-inflated") for n in names)
    assert any(n.startswith("CACE") for n in names)
    table = effects.results_frame(results)
    assert (table["ci_low"] < table["estimate"]).all()
    assert (table["estimate"] < table["ci_high"]).all()
    assert (table["ci_level"] == 0.8).all()


def test_published_comparison_flags_misses(big_frame):
    r = effects.negative_binomial(big_frame, ci_level=0.8)
    target = {"estimate": r.estimate + 0.01, "ci_low": r.ci_low, "ci_high": r.ci_high + 0.5,
              "ci_level": 0.8, "tolerance_absolute": 0.02, "source": "test"}
    table = effects.published_comparison(r, target)
    assert table["within_tolerance"].tolist() == [True, True, False]
    assert table["difference"].iloc[0] == pytest.approx(-0.01)
    with pytest.raises(ArgumentError, match=r"target\['ci_level'\] must be the result's ci_level "
                                            r"0.8; got 0.95 \(refit with ci_level=0.95\)"):
        effects.published_comparison(r, {**target, "ci_level": 0.95})
    with pytest.raises(ArgumentError, match="target must be a mapping with estimate, ci_low, "
                                            "ci_high, ci_level; got .*primary_irr entry"):
        effects.published_comparison(r, {"estimate": 0.9})

