"""The synthetic WAVE trial tables: seeded, calibrated to the published numbers.

SYNTHETIC DATA. Nothing here describes a real person. ``make_trial(seed=...)`` builds every trial
table from the trial stream of ``seed`` (:mod:`.seeds`); :mod:`.dataset` adds the interview
corpus and writes ``data/synthetic/``.

How calibration works. The published numbers are read from ``data/published_targets.yaml``
(``read_targets``; sources in ``published.md``); everything else is a free choice of this module
(constants below), recorded with the targets in the dataset's ``dataset.json``.

* Counts are imposed: practices, invitations, the randomised per arm and those with a primary
  outcome (the split of the few without one was not published: the control arm takes the larger
  half). Responders are the feasibility study's response rate times the invitations.
* Days absent: for each arm a fixed *target set* of integer values is built from
  negative-binomial quantiles (clipped to the 182-day window) whose mean and SD match the
  published arm mean and SD. Each participant gets a latent score
  ``BETA x z(log baseline absence) + practice effect + noise``; the arm's target values are handed
  out in the order of that score, so arm means and SDs are exact while baseline absence predicts the
  outcome. The published IRR (0.913, 80% CI 0.653 to 1.276) is covariate-adjusted while the raw
  ratio of means is 0.887, so the vocational-support arm's log baseline days are shifted by
  ``-DELTA``. ``BETA`` controls how much the covariates explain (the width of the adjusted CI)
  and ``DELTA`` the gap between raw and adjusted IRR; both were found by
  ``scripts/calibrate_synthetic.py`` for the default seed. They were re-tuned (from 1.0 / -0.04)
  when the generators moved to independent child streams of one ``SeedSequence``: on the new
  trial stream the old values gave an adjusted IRR of 1.30, so the vocational-support arm now
  has the longer baseline absence (mean 76 vs 62 days) and the adjusted IRR is 0.91.
* Each participant's total is spread over 13 fortnights as a return-to-work trajectory (whole
  fortnights off, then a partial one, with an occasional relapse). SMS replies go missing at
  random; the outcome rule of :mod:`trial.outcomes` then recovers the total exactly because
  participants with missing replies report the same total on the 6-month questionnaire (recall
  error is applied only to participants whose SMS record is complete). ``make_trial`` checks
  this, and the VSW contacts, with the :mod:`trial.outcomes` definitions.
* Productivity loss at 6 months: per-arm gamma quantile sets with the published mean and SD,
  assigned in the order of days absent plus noise.
* VSW contacts: ``N_CONTACTED`` of the vocational-support participants have at least one contact,
  with counts in the published range and the published mean (read as describing those contacted:
  an assumption); the others never engaged, which gives the complier analysis something to
  estimate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import optimize, stats

from wave_analysis.config import DEFAULT_SEED, PUBLISHED_TARGETS
from wave_analysis.data.model import TrialData
from wave_analysis.design import (
    ARMS,
    CONDITION_GROUPS,
    CONTROL_ARM,
    DAYS_PER_FORTNIGHT,
    EMPLOYMENT_TYPES,
    FORTNIGHTS,
    INELIGIBLE_REASONS,
    INTERVENTION_ARM,
    OCCUPATION_GROUPS,
    SEXES,
    WINDOW_DAYS,
)
from wave_analysis.exceptions import ConfigError, WaveError
from wave_analysis.synthetic.seeds import stream
from wave_analysis.trial.outcomes import (
    days_absent,
    days_absent_from_matrix,
    sms_matrix,
    vsw_contact_counts,
)

# The generator's free choices (not published; see the module docstring). The published
# numbers it imposes are read from data/published_targets.yaml (``read_targets``).
N_CONTACTED = 60  # vocational-support participants with at least one VSW contact
N_DECLINED = 22  # eligible but did not consent (a plausible figure)
INELIGIBLE_P = dict(zip(INELIGIBLE_REASONS, (0.18, 0.2, 0.16, 0.12, 0.04, 0.22, 0.08),
                        strict=True))  # shares of the ineligible responders (plausible)
# Covariate structure, tuned by scripts/calibrate_synthetic.py for DEFAULT_SEED.
BETA = 0.45
DELTA = -0.31

REGIONS = ("West Midlands", "North West", "East Midlands", "Yorkshire and the Humber",
           "South West")
START = pd.Timestamp("2022-05-03")
END = pd.Timestamp("2023-05-31")


# --- the published targets ----------------------------------------------------------------------

@dataclass(frozen=True)
class Targets:
    """The published numbers the generator imposes, as read from the targets file."""

    practices: int
    invitations: int
    randomised: dict[str, int]  # per arm
    with_outcome: int
    days_absent: dict[str, tuple[float, float]]  # per arm: mean, SD over 6 months
    productivity: dict[str, tuple[float, float]]  # per arm: mean, SD of the loss in GBP
    contacts_mean: float  # VSW contacts per participant contacted
    contacts_range: tuple[int, int]
    response_rate: float  # share of invitations answered (feasibility study)

    @property
    def no_outcome(self) -> dict[str, int]:
        """Participants without a primary outcome per arm. The split was not published: the
        control arm takes the larger half."""
        missing = sum(self.randomised.values()) - self.with_outcome
        return {CONTROL_ARM: missing - missing // 2, INTERVENTION_ARM: missing // 2}


def read_targets(path=PUBLISHED_TARGETS) -> Targets:
    """The published targets from ``path`` (``data/published_targets.yaml``), checked."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read as YAML ({' '.join(str(exc).split())})") \
            from None

    def number(*keys: str) -> float:
        value = data
        for i, key in enumerate(keys):
            if not isinstance(value, dict) or key not in value:
                raise ConfigError(f"{path}: missing {'/'.join(keys[:i + 1])} (the synthetic "
                                  "generator needs it)")
            value = value[key]
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{path}: {'/'.join(keys)} must be a number of at least 0; "
                              f"got {value!r}")
        return value

    counts, days, loss = ("counts",), ("days_absent_6m",), ("productivity_loss_6m_gbp",)
    per_arm = {arm: int(number(*counts, f"randomised_{arm}", "value")) for arm in ARMS}
    if sum(per_arm.values()) != number(*counts, "randomised", "value"):
        raise ConfigError(f"{path}: counts/randomised is not the sum of the randomised per arm")
    return Targets(
        practices=int(number(*counts, "practices", "value")),
        invitations=int(number(*counts, "invitations", "value")),
        randomised=per_arm,
        with_outcome=int(number(*counts, "with_primary_outcome", "value")),
        days_absent={arm: (number(*days, arm, "mean"), number(*days, arm, "sd")) for arm in ARMS},
        productivity={arm: (number(*loss, arm, "mean"), number(*loss, arm, "sd")) for arm in ARMS},
        contacts_mean=number("vsw_contacts", "mean"),
        contacts_range=(int(number("vsw_contacts", "min")), int(number("vsw_contacts", "max"))),
        response_rate=number("feasibility", "response_rate", "value"),
    )


# --- target value sets ------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _nb_quantile_set(n: int, mean: float, sd: float) -> np.ndarray:
    """n integers in 0..182 from NB quantiles, with mean and SD matched to the targets."""
    p = (np.arange(n) + 0.5) / n

    def values(mu: float, theta: float) -> np.ndarray:
        return np.minimum(stats.nbinom.ppf(p, theta, theta / (theta + mu)), WINDOW_DAYS)

    def mu_for(theta: float) -> float:
        return optimize.brentq(lambda m: values(m, theta).mean() - mean, 1.0, 2000.0)

    theta = optimize.brentq(lambda t: values(mu_for(t), t).std(ddof=1) - sd, 0.15, 3.0)
    v = values(mu_for(theta), theta).astype(int)
    return _nudge_mean(v, mean, hi=WINDOW_DAYS)


def _nudge_mean(v: np.ndarray, mean: float, *, hi: int) -> np.ndarray:
    """Move single values by one day until the set's mean is as close to ``mean`` as it gets."""
    v = np.sort(v.copy())
    target_sum = int(round(mean * len(v)))
    step = 1 if target_sum > v.sum() else -1
    i = len(v) - 1
    while v.sum() != target_sum:
        j = i % len(v)
        if 0 < v[j] + step <= hi and v[j] > 0:
            v[j] += step
        i -= 1
    return np.sort(v)


def _gamma_quantile_set(n: int, mean: float, sd: float) -> np.ndarray:
    p = (np.arange(n) + 0.5) / n

    def cv_gap(shape: float) -> float:
        q = stats.gamma.ppf(p, shape)
        return q.std(ddof=1) / q.mean() - sd / mean

    shape = optimize.brentq(cv_gap, 0.05, 20.0)
    q = stats.gamma.ppf(p, shape)
    return np.round(q / q.mean() * mean, 2)


def _contact_counts(rng: np.random.Generator, n: int, targets: Targets) -> np.ndarray:
    """n counts in the published range with the published mean exactly (to 0.05) and both ends
    of the range present."""
    lo, hi = targets.contacts_range
    counts = np.clip(rng.poisson(targets.contacts_mean - 1, n) + 1, lo, hi)
    counts[0], counts[1] = lo, hi
    target = int(round(targets.contacts_mean * n))
    order = rng.permutation(np.arange(2, n))
    i = 0
    while counts.sum() != target:
        j = order[i % len(order)]
        step = 1 if counts.sum() < target else -1
        if lo <= counts[j] + step <= hi - 1:
            counts[j] += step
        i += 1
    return counts


# --- the generator ----------------------------------------------------------------------------

def make_trial(seed: int = DEFAULT_SEED, *, beta: float = BETA, delta: float = DELTA,
               targets: Targets | None = None) -> TrialData:
    """Build the synthetic trial tables from the trial stream of ``seed`` (see
    :mod:`.seeds`). Same seed, same tables. ``targets`` defaults to ``read_targets()``."""
    targets = targets or read_targets()
    rng = np.random.default_rng(stream(seed, "trial"))
    practices = _practices(rng, targets)
    participants = _participants(rng, practices, targets, delta=delta)
    totals = _assign_days_absent(rng, participants, targets, beta=beta)
    days = _trajectories(rng, totals)
    withdrawals, last_fortnight = _withdrawals(rng, participants, totals, days)
    sms = _sms(rng, participants, days, last_fortnight)
    course = _Course(days=days, totals=totals, last_fortnight=last_fortnight)
    questionnaires = _questionnaires(rng, participants, sms, course, targets)
    vsw = _vsw_contacts(rng, participants, targets)
    screening = _screening(rng, practices, participants, targets)
    trial = TrialData(practices=practices, screening=screening, participants=participants,
                      sms=sms, questionnaires=questionnaires, vsw_contacts=vsw,
                      withdrawals=withdrawals, source=None, synthetic=True)
    _check_derived(trial, totals, targets)
    return trial


def _check_derived(trial: TrialData, totals: np.ndarray, targets: Targets) -> None:
    """The trial.outcomes definitions must give back what the generator imposed."""
    derived = days_absent(trial)["days_absent"].to_numpy()
    same = np.isclose(derived, totals) | (np.isnan(derived) & np.isnan(totals))
    if not same.all():
        raise WaveError(f"synthetic generator bug: the outcome rule does not recover the "
                        f"calibrated totals for {int((~same).sum())} participants")
    contacts = vsw_contact_counts(trial)
    contacted = contacts[contacts > 0]
    if len(contacted) != N_CONTACTED or abs(contacted.mean() - targets.contacts_mean) > 0.05:
        raise WaveError(f"synthetic generator bug: {len(contacted)} participants contacted with "
                        f"{contacted.mean():.2f} contacts on average; expected {N_CONTACTED} "
                        f"with {targets.contacts_mean}")


def _practices(rng: np.random.Generator, targets: Targets) -> pd.DataFrame:
    n = targets.practices
    return pd.DataFrame({
        "practice_id": [f"SYN-P{i:02d}" for i in range(1, n + 1)],
        "practice_name": [f"Synthetic Practice {i:02d}" for i in range(1, n + 1)],
        "region": [REGIONS[i % len(REGIONS)] for i in range(n)],
        "list_size": pd.array(np.round(rng.uniform(4_000, 22_000, n), -1).astype(int),
                              dtype="Int64"),
        "imd_quintile": pd.array(rng.integers(1, 6, n), dtype="Int64"),
    })


def _participants(rng, practices: pd.DataFrame, targets: Targets, *,
                  delta: float) -> pd.DataFrame:
    n = sum(targets.randomised.values())
    weights = practices["list_size"].to_numpy(float)
    practice = rng.choice(practices["practice_id"].to_numpy(), n, p=weights / weights.sum())
    span = (END - START).days - 30
    rand_dates = START + pd.to_timedelta(np.sort(rng.integers(20, span, n)), unit="D")
    # Allocation: the published split in a random order of randomisation.
    arm = rng.permutation([a for a in ARMS for _ in range(targets.randomised[a])])
    log_days = rng.normal(np.log(50), 0.65, n) - delta * (arm == INTERVENTION_ARM)
    baseline = np.clip(np.round(np.exp(log_days)), 14, 183).astype(int)
    band = np.where(baseline <= 42, "2-6 weeks", "over 6 weeks")
    condition = rng.choice(CONDITION_GROUPS, n, p=[0.5, 0.35, 0.15])
    eq5d = np.clip(rng.normal(0.55, 0.22, n) - 0.1 * (condition == "mental_health"), -0.285, 1)
    return pd.DataFrame({
        "participant_id": [f"SYN-{i:04d}" for i in range(1, n + 1)],
        "practice_id": practice,
        "arm": arm,
        "randomisation_date": rand_dates.astype("datetime64[ns]"),
        "stratum": [f"{p} | {b}" for p, b in zip(practice, band, strict=True)],
        "age": pd.array(np.clip(np.round(rng.normal(44, 11, n)), 18, 68).astype(int),
                        dtype="Int64"),
        "sex": rng.choice(SEXES, n, p=[0.6, 0.4]),
        "condition_group": condition,
        "days_absent_baseline": pd.array(baseline, dtype="Int64"),
        "absence_band": band,
        "occupation": rng.choice(OCCUPATION_GROUPS, n,
                                 p=[0.06, 0.16, 0.12, 0.12, 0.1, 0.16, 0.1, 0.08, 0.1]),
        "employment_type": rng.choice(EMPLOYMENT_TYPES, n, p=[0.62, 0.3, 0.08]),
        "eq5d_index": np.round(eq5d, 3),
        "eq_vas": pd.array(np.clip(np.round(rng.normal(55, 18, n)), 0, 100).astype(int),
                           dtype="Int64"),
        "rtwse": np.round(np.clip(rng.normal(3.6, 0.9, n), 1, 6), 2),
    })


def _assign_days_absent(rng, participants: pd.DataFrame, targets: Targets, *,
                        beta: float) -> np.ndarray:
    """Total days absent per participant (NaN for those without an outcome)."""
    n = len(participants)
    log_base = np.log(participants["days_absent_baseline"].to_numpy(float))
    z = (log_base - log_base.mean()) / log_base.std()
    practice_effect = dict(zip(sorted(participants["practice_id"].unique()),
                               rng.normal(0, 0.3, targets.practices), strict=False))
    latent = (beta * z + participants["practice_id"].map(practice_effect).to_numpy()
              + rng.normal(0, 1, n))
    totals = np.full(n, np.nan)
    for arm, (mean, sd) in targets.days_absent.items():
        members = np.flatnonzero(participants["arm"].to_numpy() == arm)
        no_outcome = rng.choice(members, targets.no_outcome[arm], replace=False)
        analysed = np.setdiff1d(members, no_outcome)
        target = _nb_quantile_set(len(analysed), mean, sd).copy()
        totals[analysed[np.argsort(latent[analysed], kind="stable")]] = target
    return totals


def _withdrawals(rng, participants: pd.DataFrame, totals: np.ndarray,
                 days: np.ndarray) -> tuple[pd.DataFrame, dict[str, int]]:
    """Those without an outcome are lost early (at most 4 SMS replies); 3 more withdraw late
    with data retained, chosen among participants whose remaining fortnights repeat their last
    value (so neighbour interpolation recovers their total exactly).

    Returns the table and, per withdrawn participant, the last fortnight they could reply to.
    """
    rows, last_fortnight = [], {}
    early_idx = np.flatnonzero(np.isnan(totals))
    last_late = 11
    flat_tail = (days[:, last_late - 1:] == days[:, [last_late - 1]]).all(axis=1)
    candidates = np.flatnonzero(~np.isnan(totals) & flat_tail)
    late_idx = rng.choice(candidates, 3, replace=False)
    for idx, early in [(i, True) for i in early_idx] + [(i, False) for i in late_idx]:
        p = participants.iloc[idx]
        last = int(rng.integers(1, 5)) if early else last_late
        last_fortnight[p["participant_id"]] = last
        rows.append({
            "participant_id": p["participant_id"],
            "withdrawal_date": p["randomisation_date"] + pd.Timedelta(days=14 * last + 3),
            "withdrawal_type": "lost_to_follow_up" if early and rng.random() < 0.6 else "withdrew",
            "data_retained": True,
        })
    table = pd.DataFrame(rows).sort_values("participant_id", ignore_index=True)
    table["withdrawal_date"] = table["withdrawal_date"].astype("datetime64[ns]")
    table["data_retained"] = table["data_retained"].astype("boolean")
    return table, last_fortnight


def _trajectories(rng, totals: np.ndarray) -> np.ndarray:
    """Spread each total over 13 fortnights: whole fortnights off, a partial one, then back,
    with a relapse (days moved to a later fortnight) for about one in six."""
    n = len(totals)
    days = np.zeros((n, FORTNIGHTS), dtype=int)
    filled = np.nan_to_num(totals, nan=rng.integers(20, 120))
    for i, total in enumerate(filled.astype(int)):
        full, part = divmod(total, DAYS_PER_FORTNIGHT)
        days[i, :full] = DAYS_PER_FORTNIGHT
        if full < FORTNIGHTS:
            days[i, full] = part
        if 28 <= total <= 140 and rng.random() < 1 / 6:
            moved = min(int(rng.integers(3, 12)), days[i, full - 1])
            later = int(rng.integers(full + 2, FORTNIGHTS)) if full + 2 < FORTNIGHTS else None
            if later is not None and days[i, later] + moved <= DAYS_PER_FORTNIGHT:
                days[i, full - 1] -= moved
                days[i, later] += moved
    return days


def _sms(rng, participants: pd.DataFrame, days: np.ndarray,
         last_fortnight: dict[str, int]) -> pd.DataFrame:
    """One row per participant per fortnight; replies missing at random (reply rate about 80%),
    none after withdrawal."""
    n = len(participants)
    propensity = rng.beta(8, 2, n)
    reply = rng.random((n, FORTNIGHTS)) < propensity[:, None]
    ids = participants["participant_id"].to_numpy()
    for i, pid in enumerate(ids):
        if pid in last_fortnight:
            last = last_fortnight[pid]
            if last >= 10:  # late withdrawals answered every SMS until they left
                reply[i, :last] = True
            reply[i, last:] = False
    rand = participants["randomisation_date"].to_numpy()
    fortnight = np.arange(1, FORTNIGHTS + 1)
    sent = rand[:, None] + (fortnight * DAYS_PER_FORTNIGHT).astype("timedelta64[D]")
    lag = rng.choice([0, 0, 0, 1, 1, 2, 3], (n, FORTNIGHTS)).astype("timedelta64[D]")
    withdrawn_after = np.array([last_fortnight.get(pid, FORTNIGHTS) for pid in ids])
    was_sent = fortnight[None, :] <= np.maximum(withdrawn_after, 0)[:, None]
    frame = pd.DataFrame({
        "participant_id": np.repeat(ids, FORTNIGHTS),
        "fortnight": pd.array(np.tile(fortnight, n), dtype="Int64"),
        "sent_date": pd.Series(np.where(was_sent, sent, np.datetime64("NaT")).ravel()),
        "reply_date": pd.Series(np.where(reply, sent + lag, np.datetime64("NaT")).ravel()),
        "days_off": pd.array(np.where(reply, days, 0).ravel(), dtype="Int64"),
    })
    frame.loc[~reply.ravel(), "days_off"] = pd.NA
    for col in ("sent_date", "reply_date"):
        frame[col] = frame[col].astype("datetime64[ns]")
    return frame


@dataclass(frozen=True)
class _Course:
    """Each participant's follow-up as generated: days off per fortnight, total days absent (NaN
    without an outcome) and, for those who withdrew, the last fortnight they could reply to."""

    days: np.ndarray
    totals: np.ndarray
    last_fortnight: dict[str, int]


def _questionnaires(rng, participants: pd.DataFrame, sms: pd.DataFrame, course: _Course,
                    targets: Targets) -> pd.DataFrame:
    """6-week and 6-month questionnaires (rows only for returned ones)."""
    ids = participants["participant_id"].to_numpy()
    n = len(ids)
    days, totals = course.days, course.totals
    last = np.array([course.last_fortnight.get(pid, FORTNIGHTS + 1) for pid in ids])
    returned = {"6w": (rng.random(n) < 0.85) & (last > 3),
                "6m": (rng.random(n) < 0.75) & (last > FORTNIGHTS)}
    mat = sms_matrix(sms, ids)
    incomplete = np.isnan(mat).any(axis=1)
    analysed = ~np.isnan(totals)
    # Participants whose total the SMS alone cannot recover must have returned the 6-month form.
    without_q = days_absent_from_matrix(mat, None)
    needs_q = analysed & incomplete & ~np.isclose(np.nan_to_num(without_q, nan=-1), totals)
    returned["6m"] |= needs_q & (last > FORTNIGHTS)
    q6m_days = np.where(incomplete, totals,
                        np.round(np.nan_to_num(totals) * np.exp(rng.normal(0, 0.12, n))))
    self_report = {
        "6m": np.clip(q6m_days, 0, WINDOW_DAYS),
        "6w": np.clip(np.round(days[:, :3].sum(axis=1) * np.exp(rng.normal(0, 0.1, n))), 0, 42),
    }
    productivity = _productivity(rng, participants, totals, returned["6m"], targets)
    daily_earnings = np.exp(rng.normal(np.log(105), 0.35, n))
    rows = []
    for tp, fortnight_now, gain in (("6w", 3, 0.4), ("6m", 13, 1.0)):
        measures = _follow_up_measures(rng, participants, days[:, fortnight_now - 1], gain)
        # 6 weeks: absence days valued at a daily earnings figure, plus presenteeism.
        loss = (np.round((self_report["6w"] + rng.uniform(0, 4, n)) * daily_earnings, 2)
                if tp == "6w" else productivity)
        for i in np.flatnonzero(returned[tp]):
            rows.append({
                "participant_id": ids[i], "timepoint": tp,
                "returned_date": participants["randomisation_date"].iloc[i]
                + pd.Timedelta(days=(42 if tp == "6w" else 182) + int(rng.integers(3, 25))),
                "days_absent_self_report": int(self_report[tp][i]),
                "work_status": measures["work_status"][i],
                "productivity_loss_gbp": float(np.nan_to_num(loss[i], nan=0.0)),
                "eq5d_index": round(float(measures["eq5d_index"][i]), 3),
                "eq_vas": int(measures["eq_vas"][i]),
                "rtwse": round(float(measures["rtwse"][i]), 2),
            })
    frame = pd.DataFrame(rows).sort_values(["participant_id", "timepoint"], ignore_index=True)
    frame["returned_date"] = frame["returned_date"].astype("datetime64[ns]")
    for col in ("days_absent_self_report", "eq_vas"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _productivity(rng, participants: pd.DataFrame, totals: np.ndarray, returned: np.ndarray,
                  targets: Targets) -> np.ndarray:
    """Productivity loss at 6 months: per-arm gamma quantile sets with the published mean and
    SD, assigned to the returned forms in the order of days absent plus noise."""
    productivity = np.full(len(participants), np.nan)
    for arm, (mean, sd) in targets.productivity.items():
        members = np.flatnonzero(returned & ((participants["arm"] == arm).to_numpy()))
        score = np.nan_to_num(totals[members], nan=60) + rng.normal(0, 35, len(members))
        productivity[members[np.argsort(score, kind="stable")]] = _gamma_quantile_set(
            len(members), mean, sd)
    return productivity


def _follow_up_measures(rng, participants: pd.DataFrame, days_now: np.ndarray,
                        gain: float) -> dict[str, np.ndarray]:
    """Work status, EQ-5D, EQ-VAS and RTW self-efficacy at a follow-up, from the days off in
    that fortnight (``gain`` scales the change since baseline)."""
    n = len(participants)
    base = participants[["eq5d_index", "eq_vas", "rtwse"]].to_numpy(float)
    arm_vs = (participants["arm"] == INTERVENTION_ARM).to_numpy()
    at_work = days_now < DAYS_PER_FORTNIGHT
    status = np.where(days_now == 0, "working_full",
                      np.where(at_work, "working_reduced", "off_sick"))
    left = rng.random(n) < 0.04
    status = np.where(left & (status == "off_sick"), "left_job", status)
    eq5d = np.clip(base[:, 0] + gain * (0.12 * at_work + rng.normal(0.03, 0.12, n)), -0.285, 1)
    vas = np.clip(np.round(base[:, 1] + gain * (10 * at_work + rng.normal(3, 12, n))), 0, 100)
    rtwse = np.clip(base[:, 2] + gain * (0.5 * at_work + 0.3 * arm_vs + rng.normal(0, 0.6, n)),
                    1, 6)
    return {"work_status": status, "eq5d_index": eq5d, "eq_vas": vas, "rtwse": rtwse}


def _vsw_contacts(rng, participants: pd.DataFrame, targets: Targets) -> pd.DataFrame:
    vs = participants.loc[participants["arm"] == INTERVENTION_ARM]
    engaged = np.sort(rng.choice(len(vs), N_CONTACTED, replace=False))
    counts = _contact_counts(rng, N_CONTACTED, targets)
    rows = []
    for k, (i, count) in enumerate(zip(engaged, counts, strict=True)):
        p = vs.iloc[i]
        day = int(rng.integers(3, 22))
        for c in range(count):
            step = 1 if c == 0 else (3 if c >= 5 and rng.random() < 0.2 else 2)
            minutes = int(rng.integers(40, 76)) if step == 1 else int(rng.integers(15, 46))
            rows.append({
                "contact_id": f"SYN-C{k + 1:03d}-{c + 1:02d}",
                "participant_id": p["participant_id"],
                "contact_date": p["randomisation_date"] + pd.Timedelta(days=day),
                "mode": "video" if rng.random() < 0.25 else "phone",
                "minutes": minutes, "step": step,
            })
            day += int(rng.integers(7, 22))
    frame = pd.DataFrame(rows)
    frame["contact_date"] = frame["contact_date"].astype("datetime64[ns]")
    for col in ("minutes", "step"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _screening(rng, practices: pd.DataFrame, participants: pd.DataFrame,
               targets: Targets) -> pd.DataFrame:
    n_rand = len(participants)
    weights = practices["list_size"].to_numpy(float)
    n_other = targets.invitations - n_rand
    practice = rng.choice(practices["practice_id"].to_numpy(), n_other, p=weights / weights.sum())
    span = (END - START).days
    inv_date = START + pd.to_timedelta(rng.integers(0, span, n_other), unit="D")
    n_responded = int(round(targets.response_rate * targets.invitations))
    n_ineligible = n_responded - n_rand - N_DECLINED
    status = np.array(["no_reply"] * (n_other - n_responded + n_rand)
                      + ["declined"] * N_DECLINED + ["ineligible"] * n_ineligible)
    status = rng.permutation(status)
    reasons = rng.choice(list(INELIGIBLE_P), n_other, p=list(INELIGIBLE_P.values()))
    other = pd.DataFrame({
        "practice_id": practice, "invitation_date": inv_date,
        "responded": status != "no_reply",
        "eligible": pd.array(np.where(status == "no_reply", None, status == "declined"),
                             dtype="boolean"),
        "ineligible_reason": np.where(status == "ineligible", reasons, None),
        "consented": pd.array(np.where(status == "declined", False, None), dtype="boolean"),
        "participant_id": None,
    })
    lead = pd.to_timedelta(rng.integers(7, 29, n_rand), unit="D")
    randomised = pd.DataFrame({
        "practice_id": participants["practice_id"].to_numpy(),
        "invitation_date": (participants["randomisation_date"] - lead).to_numpy(),
        "responded": True, "eligible": True, "ineligible_reason": None, "consented": True,
        "participant_id": participants["participant_id"].to_numpy(),
    })
    frame = pd.concat([other, randomised], ignore_index=True)
    frame = frame.sort_values(["invitation_date", "practice_id"], kind="stable", ignore_index=True)
    frame.insert(0, "invitation_id", [f"SYN-INV{i:05d}" for i in range(1, len(frame) + 1)])
    frame["invitation_date"] = frame["invitation_date"].astype("datetime64[ns]")
    for col in ("responded", "eligible", "consented"):
        frame[col] = frame[col].astype("boolean")
    frame["ineligible_reason"] = frame["ineligible_reason"].astype(object)
    frame["participant_id"] = frame["participant_id"].astype(object)
    return frame
