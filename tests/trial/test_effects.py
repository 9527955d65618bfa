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
import patsy
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import optimize, stats

from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, DAYS_PER_FORTNIGHT, FORTNIGHTS, MISSING_RULE_LABELS
from wave_analysis.exceptions import (
    ArgumentError,
    FitError,
    StatisticalWarning,
    ValidationError,
    WaveError,
)
from wave_analysis.synthetic import trial as synthetic
from wave_analysis.trial import cace as cace_module
from wave_analysis.trial import effects, zinb

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
    # results carry 6 significant digits (wave_analysis._precision): compare to that precision
    assert r0.estimate == pytest.approx(np.exp(beta[1]), rel=5e-6)
    assert r0.log_se == pytest.approx(np.sqrt(hc0[1, 1]), rel=5e-6)
    r1 = effects.poisson_robust(frame, covariates="x", ci_level=0.95, cov_type="HC1")
    n, p = design.shape
    assert r1.log_se == pytest.approx(np.sqrt(hc0[1, 1] * n / (n - p)), rel=5e-6)


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
    assert r.estimate == pytest.approx(np.exp(psi), rel=5e-6)  # 6 significant digits
    assert r.ci_low < r.estimate < r.ci_high
    # Simulated effect among receivers is 0.7: the 80% interval should not be far from it.
    assert r.ci_low < 0.7 * 1.25 and r.ci_high > 0.7 / 1.25


def test_cace_with_full_receipt_is_the_ratio_of_means():
    trial = sim_trial(8, 200, received_share=1.0)
    r = effects.cace(trial, n_boot=200)
    frame = effects.analysis_frame(trial)
    means = frame.groupby("arm")["days_absent"].mean()
    assert r.estimate == pytest.approx(means["vocational_support"] / means["usual_care"],
                                       rel=5e-6)


def test_cace_bootstrap_is_seeded(small_trial):
    a = effects.cace(small_trial, n_boot=300, seed=7)
    b = effects.cace(small_trial, n_boot=300, seed=7)
    c = effects.cace(small_trial, n_boot=300, seed=8)
    assert (a.ci_low, a.ci_high, a.p_value) == (b.ci_low, b.ci_high, b.p_value)
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
    assert r.estimate == pytest.approx(means["vocational_support"] - means["usual_care"],
                                       rel=5e-6)
    assert (r.mean_usual_care, r.sd_vocational_support) == pytest.approx(
        (means["usual_care"], sds["vocational_support"]), rel=5e-6)
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
    assert r.estimate == pytest.approx(beta[1], rel=5e-6)
    assert (r.ci_low, r.ci_high) == pytest.approx((beta[1] - t * se, beta[1] + t * se),
                                                  rel=5e-6)
    assert r.p_value == pytest.approx(2 * stats.t.sf(abs(beta[1] / se), df), rel=5e-6)
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
    for rule in ("interpolate", "pro_rata", "worst_case"):  # named by their design labels
        assert any(MISSING_RULE_LABELS[rule] in n for n in names)
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
    assert table["difference"].iloc[0] == pytest.approx(-0.01, abs=1e-6)
    with pytest.raises(ArgumentError, match=r"target\['ci_level'\] must be the result's ci_level "
                                            r"0.8; got 0.95 \(refit with ci_level=0.95\)"):
        effects.published_comparison(r, {**target, "ci_level": 0.95})
    with pytest.raises(ArgumentError, match="target must be a mapping with estimate, ci_low, "
                                            "ci_high, ci_level; got .*primary_irr entry"):
        effects.published_comparison(r, {"estimate": 0.9})



# ---------------------------------------------------------------------------------------------
# Precision, SE convention, data checks and adversarial inputs (issue 10)


def _sig_digits_ok(value) -> bool:
    return value is None or not isinstance(value, float) or value == float(f"{value:.6g}")


def test_results_carry_six_significant_digits(synthetic_trial):
    results = effects.sensitivity(synthetic_trial, n_boot=300, seed=1)
    results += effects.questionnaire_effects(synthetic_trial)
    results.append(effects.productivity_difference(synthetic_trial, n_boot=300))
    for r in results:
        assert all(_sig_digits_ok(v) for v in r.__dict__.values()), r


def test_information_option(big_frame):
    check = effects.fit_nb2.__code__.co_varnames[:effects.fit_nb2.__code__.co_argcount
                                                  + effects.fit_nb2.__code__.co_kwonlyargcount]
    with pytest.raises(ArgumentError, match="information must be one of observed, expected; "
                                            "got 'fisher'"):
        effects.negative_binomial(big_frame, information="fisher")
    if "information" not in check:
        pytest.skip("trial.nbreg.fit_nb2 has no information= option yet (the nb helper adds it)")
    obs = effects.negative_binomial(big_frame, ci_level=0.95)
    exp = effects.negative_binomial(big_frame, ci_level=0.95, information="expected")
    assert exp.estimate == obs.estimate and exp.method == "Wald, expected information"
    # Expected information for the coefficients at fixed alpha = the GLM's IRLS covariance, as in
    # R's glm.nb (which reports summary.glm of the final IRLS fit).
    glm = smf.glm("days_absent ~ treated + " + effects.ADJUSTED, data=big_frame,
                  family=sm.families.NegativeBinomial(alpha=exp.dispersion)).fit()
    assert exp.log_se == pytest.approx(glm.bse["treated"], rel=1e-4)


def _adv(seed: int = 1, n: int = 125) -> pd.DataFrame:
    """A trial-sized analysis frame: 125 participants, 10 practices."""
    frame = sim_frame(seed, n, irr=0.75)
    return frame.assign(practice_id=[f"P{i % 10:02d}" for i in range(n)])


MODELS = [effects.negative_binomial, effects.poisson_robust, effects.zero_inflated]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("arm", ARMS)
def test_all_zero_arm_is_not_estimable(model, arm):
    frame = _adv()
    frame.loc[frame["arm"] == arm, "days_absent"] = 0
    with pytest.raises(FitError, match=f"every participant in arm '{arm}' .* has 0 days absent, "
                                       "so the rate ratio is not estimable"):
        model(frame)


@pytest.mark.parametrize("practice", ["P00", "P04"])  # the reference level and another
def test_all_zero_practice_is_left_out_with_a_note(practice):
    frame = _adv()
    frame.loc[frame["practice_id"] == practice, "days_absent"] = 0
    kept = frame[frame["practice_id"] != practice]
    with pytest.warns(StatisticalWarning, match=f"practice_id '{practice}'"):
        r = effects.negative_binomial(frame)
    assert r.n == len(kept) and f"practice_id '{practice}' ({len(frame) - len(kept)} " in r.note
    assert "left out of the fit" in effects.results_frame([r])["note"].iloc[0]
    # The IRR is the limit of the full model's MLE: statsmodels' Poisson GLM on ALL rows drives
    # the practice's coefficient towards -infinity and lands on the same treatment effect.
    with pytest.warns(StatisticalWarning):
        pois = effects.poisson_robust(frame)
    full = smf.glm("days_absent ~ treated + " + effects.ADJUSTED, data=frame,
                   family=sm.families.Poisson()).fit()
    assert pois.estimate == pytest.approx(np.exp(full.params["treated"]), rel=1e-5)
    # and for the NB: GLM NB (alpha fixed at the fitted value) on all rows, same limit
    nb_full = smf.glm("days_absent ~ treated + " + effects.ADJUSTED, data=frame,
                      family=sm.families.NegativeBinomial(alpha=r.dispersion)).fit()
    assert r.estimate == pytest.approx(np.exp(nb_full.params["treated"]), rel=1e-4)


def test_single_practice_and_huge_counts():
    frame = _adv()
    one = effects.negative_binomial(frame.assign(practice_id="P00"))
    assert np.isfinite([one.estimate, one.ci_low, one.ci_high]).all() and one.note == ""
    # Poisson estimating equations are scale-free: counts times 1e6 give the same IRR and SE.
    base = effects.poisson_robust(frame)
    huge = effects.poisson_robust(frame.assign(days_absent=frame["days_absent"] * 10**6))
    assert (huge.estimate, huge.log_se) == pytest.approx((base.estimate, base.log_se), rel=1e-5)
    nb = effects.negative_binomial(frame.assign(days_absent=frame["days_absent"] * 10**6))
    assert np.isfinite([nb.estimate, nb.ci_low, nb.ci_high, nb.p_value]).all()


@pytest.mark.parametrize("model", MODELS)
def test_too_few_or_identical_outcomes(model):
    frame = _adv()
    with pytest.raises(FitError, match=r"[45] participants for a model with \d+ parameters"):
        effects.negative_binomial(frame.iloc[:5])
    with pytest.raises(FitError, match=r"every participant has the same days absent \(7\)"):
        model(frame.assign(days_absent=7))


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(("column", "value"), [("log_baseline_days", np.nan),
                                               ("log_baseline_days", -np.inf),
                                               ("practice_id", None)])
def test_missing_or_infinite_covariates_are_refused(model, column, value):
    frame = _adv()
    frame.loc[[3, 40], column] = value
    with pytest.raises(ValidationError, match=f"column '{column}': '2 missing or infinite "
                                              "value\\(s\\) for S3, S40'"):
        model(frame)


def test_fit_error_names_the_design_column(big_frame, monkeypatch):
    def fail(y, X, **kwargs):
        err = FitError("quasi-complete separation")
        err.column = 1
        raise err

    monkeypatch.setattr(effects, "fit_nb2", fail)
    with pytest.raises(FitError, match="negative binomial, adjusted: quasi-complete separation "
                                       "\\(design column 'C\\(practice_id\\)\\[T.P1\\]'\\)"):
        effects.negative_binomial(big_frame)


# ---------------------------------------------------------------------------------------------
# ZINB: polish, Hessian and a reported fallback


def test_zinb_hessian_is_the_jacobian_of_the_score():
    from statsmodels.discrete.count_model import ZeroInflatedNegativeBinomialP
    from statsmodels.tools.numdiff import approx_fprime

    frame = sim_frame(3, 600, irr=0.6, alpha=0.5)
    frame.loc[frame.index % 4 == 0, "days_absent"] = 0
    y, x = patsy.dmatrices("days_absent ~ treated + log_baseline_days", frame)
    z = patsy.dmatrix("log_baseline_days", frame)
    fit, problem, bse = zinb.fit_zinb(y, x, z)
    assert problem == ""
    mod = ZeroInflatedNegativeBinomialP(y, x, exog_infl=z, p=2)
    params = np.asarray(fit.params)
    assert np.max(np.abs(mod.score(params))) < 1e-8  # polished far below reporting precision
    ref = approx_fprime(params, mod.score, epsilon=1e-5, centered=True)  # independent step
    assert zinb.score_hessian(mod, params) == pytest.approx((ref + ref.T) / 2, rel=1e-6,
                                                            abs=1e-6)
    assert np.asarray(bse) == pytest.approx(np.sqrt(np.diag(np.linalg.inv(-ref))), rel=1e-6)


def test_zinb_fallback_is_reported(monkeypatch):
    frame = sim_frame(3, 1500, irr=0.6, alpha=0.5)
    frame.loc[frame.index % 4 == 0, "days_absent"] = 0
    real = zinb.fit_zinb

    def first_fails(y, x, z):
        fit, _, bse = real(y, x, z)
        return (fit, "a remaining Newton step of 0.1 (not converged)", None) if z.shape[1] > 1 \
            else (fit, "", bse)

    monkeypatch.setattr(zinb, "fit_zinb", first_fails)
    with pytest.warns(StatisticalWarning, match="fallback: the inflation part on "
                                                "log_baseline_days did not give an acceptable "
                                                "fit \\(a remaining Newton step of 0.1"):
        r = effects.zero_inflated(frame)
    assert r.model.endswith("[fallback]") and "intercept only" in r.model
    row = effects.results_frame([r]).iloc[0]
    assert row["note"].startswith("fallback: the inflation part") and np.isfinite(row.estimate)

    monkeypatch.setattr(zinb, "fit_zinb", lambda y, x, z: (None, "non-finite estimates", None))
    with pytest.raises(FitError, match="no acceptable fit \\(inflation parts tried: "
                                       "log_baseline_days \\(non-finite estimates\\); 1"):
        effects.zero_inflated(frame)


# ---------------------------------------------------------------------------------------------
# CACE: undefined replicates counted, interval and p-value from the same replicates


def test_cace_log_ratio_directions():
    # usual care mean 2 over 10; VS arm of 10 with 2 compliers: never-takers' mean decides mu0c
    lr = cace_module.log_ratio(
        y0_sum=np.array([20, 20, 20, 20]), n0=10, y1r_sum=np.array([4, 0, 6, 0]),
        n1r=np.array([2, 2, 2, 0]), y1n_sum=np.array([8, 8, 40, 8]), n1=10)
    # mu0c = (2 - 0.8 * 1) / 0.2 = 6 -> log(2 / 6); complier mean 0 -> -inf;
    # mu0c = (2 - 0.8 * 5) / 0.2 < 0 -> +inf; no complier -> undefined (NaN)
    assert lr[0] == pytest.approx(np.log(2 / 6))
    assert lr[1] == -np.inf and lr[2] == np.inf and np.isnan(lr[3])


def test_cace_counts_undefined_replicates_and_p_agrees_with_ci():
    trial = sim_trial(21, 300, received_share=0.2, effect=0.5)
    with pytest.warns(StatisticalWarning, match="the interval is unreliable"):
        r = effects.cace(trial, ci_level=0.8, n_boot=1000, seed=3)
    assert r.boot_undefined > 10  # over 1% of 1000: called unreliable
    assert f"{r.boot_undefined} of 1000 bootstrap resamples gave an undefined ratio" in r.note
    assert np.isfinite([r.ci_low, r.ci_high]).all() and r.log_se is None
    for level in (0.5, 0.8, 0.9):
        s = effects.cace(trial, ci_level=level, n_boot=1000, seed=3)
        excludes_one = s.ci_low > 1 or s.ci_high < 1
        assert excludes_one == (s.p_value < 1 - level), (level, s)


def test_cace_unbounded_interval_is_an_error():
    trial = sim_trial(21, 120, received_share=0.2, effect=0.5)  # 10% of resamples undefined
    with pytest.raises(FitError, match="CACE bootstrap: 100 of 1000 resamples gave an undefined "
                                       "or infinite ratio, so the 80% interval is unbounded"):
        effects.cace(trial, ci_level=0.8, n_boot=1000, seed=3)


# ---------------------------------------------------------------------------------------------
# Secondary outcomes: complete cases counted, infinite values refused


def test_questionnaire_and_productivity_notes(small_trial):
    p = small_trial.participants.copy()
    p.loc[:4, "rtwse"] = np.nan
    trial = TrialData(**{**small_trial.__dict__, "participants": p})
    r = next(r for r in effects.questionnaire_effects(trial) if r.outcome == "rtwse")
    assert r.note == "5 participant(s) with a 6w rtwse value but no baseline rtwse left out " \
                     "(complete cases)"
    assert r.n_usual_care + r.n_vocational_support == len(p) - 5
    p.loc[7, "rtwse"] = np.inf
    with pytest.raises(ValidationError, match="column 'baseline'"):
        effects.questionnaire_effects(TrialData(**{**small_trial.__dict__, "participants": p}))
    q = small_trial.questionnaires.copy()
    q.loc[q.index[-3:], "productivity_loss_gbp"] = np.nan
    prod = effects.productivity_difference(
        TrialData(**{**small_trial.__dict__, "questionnaires": q}), n_boot=200)
    assert prod.note.startswith("3 participant(s) with a 6m questionnaire but no "
                                "productivity_loss_gbp left out")
