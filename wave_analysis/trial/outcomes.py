"""Derive the trial outcomes from the fortnightly SMS and the follow-up questionnaires.

Primary outcome: days absent from work over the 182-day window after randomisation (13 SMS
fortnights of 14 days). Each SMS asks how many of the last 14 days the participant was off work
sick, so a participant who answered all 13 has ``days_absent = sum(days_off)``.

Rules for missing SMS replies (``rule=``):

``"sms_questionnaire"`` (primary)
    Replied fortnights count as reported. When some are missing and the 6-month questionnaire
    reports days absent since randomisation (``Q``), the missing fortnights together take
    ``Q - sum(replied)``, bounded to ``[0, 14 x missing]`` (the questionnaire fills the gap but
    cannot contradict the SMS). Without a 6-month self-report, each missing fortnight takes the mean
    of the nearest replied fortnight before and after it (one side at the ends), provided at least
    ``min_replies`` fortnights were answered; otherwise the outcome is missing.
``"interpolate"``
    Neighbour interpolation only (the questionnaire is ignored), same ``min_replies``.
``"pro_rata"``
    The mean of the replied fortnights times 13 (requires ``min_replies``).
``"worst_case"``
    Every missing fortnight counts as 14 days off (requires ``min_replies``): the most
    pessimistic single imputation.

Time to return to work (``return_times``): a participant has *returned* in the first fortnight
whose reply reports fewer than 14 days off, and has made a *sustained* return at the end of the
first two consecutive replied fortnights with 0 days off. Both are interval-censored: the event lies
in ``(lower, upper]`` days, where ``lower`` is the end of the last fortnight known to be before the
event and ``upper`` the end of the fortnight where it was seen. Participants who never report the
event are right-censored at the end of their last replied fortnight (earlier when they withdrew).

Follow-up and delivery, per SMS row or per participant (one definition each, used everywhere):

``sms_answered``: the SMS carries a usable ``days_off`` (data for the outcome; a withdrawal's
unsent SMS counts as unanswered). ``sms_replied``: the SMS was sent and got any reply (a reply date
or days off, even when the text could not be read as a number): engagement with follow-up, the
feasibility criterion. ``vsw_contact_counts``: VSW contacts per participant (0 when none);
``received_intervention``: at least one VSW contact (the CACE's definition of receipt).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wave_analysis._checks import check_int, check_one_of
from wave_analysis.data.model import TrialData
from wave_analysis.design import DAYS_PER_FORTNIGHT, FORTNIGHTS

RULES = ("sms_questionnaire", "interpolate", "pro_rata", "worst_case")
PRIMARY_RULE = "sms_questionnaire"
MIN_REPLIES = 7


def sms_matrix(sms: pd.DataFrame, participant_ids) -> np.ndarray:
    """Days off as a (participants x 13) float array with NaN for no reply."""
    ids = pd.Index(participant_ids)
    mat = np.full((len(ids), FORTNIGHTS), np.nan)
    rows = ids.get_indexer(sms["participant_id"])
    days = sms["days_off"].to_numpy(dtype=float, na_value=np.nan)  # no object round trip
    keep = (rows >= 0) & ~np.isnan(days)
    cols = sms["fortnight"].to_numpy(dtype=np.int64)[keep] - 1
    mat[rows[keep], cols] = days[keep]
    return mat


def _interpolate_missing(mat: np.ndarray) -> np.ndarray:
    """Fill NaNs with the mean of the nearest replied fortnight on each side (vectorised)."""
    observed = ~np.isnan(mat)
    n, k = mat.shape
    idx = np.where(observed, np.arange(k), -1)
    prev_idx = np.maximum.accumulate(idx, axis=1)
    idx_rev = np.where(observed, np.arange(k), k)[:, ::-1]
    next_idx = np.minimum.accumulate(idx_rev, axis=1)[:, ::-1]
    rows = np.arange(n)[:, None]
    prev_val = np.where(prev_idx >= 0, mat[rows, np.clip(prev_idx, 0, k - 1)], np.nan)
    next_val = np.where(next_idx < k, mat[rows, np.clip(next_idx, 0, k - 1)], np.nan)
    # mean of the two neighbours, or the one that exists (NaN when neither does)
    fill = np.where(np.isnan(prev_val), next_val,
                    np.where(np.isnan(next_val), prev_val, (prev_val + next_val) / 2))
    return np.where(observed, mat, fill)


def days_absent_from_matrix(mat: np.ndarray, q6m: np.ndarray | None = None, *,
                            rule: str = PRIMARY_RULE, min_replies: int = MIN_REPLIES) -> np.ndarray:
    """Apply a missing-reply rule to a (participants x 13) matrix; NaN where not derivable."""
    check_one_of("rule", rule, RULES)
    check_int("min_replies", min_replies, minimum=0)
    observed = ~np.isnan(mat)
    n_obs = observed.sum(axis=1)
    n_miss = FORTNIGHTS - n_obs
    obs_sum = np.where(observed, mat, 0.0).sum(axis=1)
    enough = n_obs >= min_replies
    if rule == "pro_rata":
        with np.errstate(invalid="ignore", divide="ignore"):
            out = obs_sum / n_obs * FORTNIGHTS
    elif rule == "worst_case":
        out = obs_sum + DAYS_PER_FORTNIGHT * n_miss
    else:
        out = np.nansum(_interpolate_missing(mat), axis=1)
    out = np.where(enough, out, np.nan)
    if rule == PRIMARY_RULE and q6m is not None:
        q = np.asarray(q6m, dtype=float)
        from_q = obs_sum + np.clip(q - obs_sum, 0, DAYS_PER_FORTNIGHT * n_miss)
        out = np.where(np.isnan(q) | (n_miss == 0), out, from_q)
    out = np.where(n_obs == FORTNIGHTS, obs_sum, out)
    return out


def sms_answered(sms: pd.DataFrame) -> pd.Series:
    """Per SMS row: the reply gives a usable number of days off (see the module docstring)."""
    return sms["days_off"].notna().rename("answered")


def sms_replied(sms: pd.DataFrame) -> pd.Series:
    """Per SMS row: the SMS was sent and got any reply, readable or not."""
    sent = sms["sent_date"].notna()
    return (sent & (sms["reply_date"].notna() | sms["days_off"].notna())).rename("replied")


def vsw_contact_counts(trial: TrialData) -> pd.Series:
    """VSW contacts per randomised participant (0 when none), indexed by ``participant_id``."""
    ids = trial.participants["participant_id"].astype(str)
    counts = trial.vsw_contacts.groupby(trial.vsw_contacts["participant_id"].astype(str)).size()
    return counts.reindex(ids).fillna(0).astype("int64").rename("vsw_contacts")


def received_intervention(trial: TrialData) -> pd.Series:
    """True for participants with at least one VSW contact, indexed by ``participant_id``."""
    return (vsw_contact_counts(trial) > 0).rename("received")


def six_month_self_report(trial: TrialData, participant_ids) -> np.ndarray:
    """Days absent since randomisation reported on the 6-month questionnaire, aligned with
    ``participant_ids`` (NaN where not returned or not answered)."""
    q = trial.questionnaires
    q6 = q.loc[q["timepoint"] == "6m"].set_index("participant_id")["days_absent_self_report"]
    return q6.reindex(pd.Index(participant_ids)).astype(float).to_numpy()


def days_absent(trial: TrialData, *, rule: str = PRIMARY_RULE,
                min_replies: int = MIN_REPLIES) -> pd.DataFrame:
    """One row per randomised participant: ``days_absent`` (NaN when not derivable) and the
    number of SMS replies, under the chosen missing-reply rule."""
    ids = trial.participants["participant_id"].to_numpy()
    mat = sms_matrix(trial.sms, ids)
    q6 = six_month_self_report(trial, ids) if rule == PRIMARY_RULE else None
    values = days_absent_from_matrix(mat, q6, rule=rule, min_replies=min_replies)
    return pd.DataFrame({
        "participant_id": ids,
        "arm": trial.participants["arm"].to_numpy(),
        "sms_replies": (~np.isnan(mat)).sum(axis=1),
        "days_absent": values,
    })


RETURN_DEFINITIONS = ("first", "sustained")


def return_intervals(mat: np.ndarray, *, definition: str = "first") -> dict[str, np.ndarray]:
    """Interval-censored return times from a (participants x 13) days-off matrix (NaN = no reply).

    ``first``: the first replied fortnight with fewer than 14 days off (some work that fortnight).
    ``sustained``: the first time two consecutive replied fortnights both have 0 days off; the
    event is the end of the second. ``lower`` is the end of the last replied fortnight before the
    event's fortnight (0 = randomisation); censored rows have ``upper = inf`` and ``lower`` at the
    end of the last replied fortnight.
    """
    check_one_of("definition", definition, RETURN_DEFINITIONS)
    replied = ~np.isnan(mat)
    if definition == "first":
        hit = replied & (np.nan_to_num(mat, nan=DAYS_PER_FORTNIGHT) < DAYS_PER_FORTNIGHT)
    else:
        zero = replied & (np.nan_to_num(mat, nan=1) == 0)
        hit = np.zeros_like(zero)
        hit[:, 1:] = zero[:, 1:] & zero[:, :-1]
    n, k = mat.shape
    event = hit.any(axis=1)
    first_hit = np.where(event, hit.argmax(axis=1), k)  # 0-based fortnight index
    ends = np.arange(1, k + 1) * DAYS_PER_FORTNIGHT
    before = replied & (np.arange(k)[None, :] < first_hit[:, None])
    last_before = np.where(before.any(axis=1), k - 1 - before[:, ::-1].argmax(axis=1), -1)
    lower = np.where(last_before >= 0, ends[np.clip(last_before, 0, k - 1)], 0).astype(float)
    upper = np.where(event, ends[np.clip(first_hit, 0, k - 1)], np.inf).astype(float)
    return {"lower": lower, "upper": upper, "event": event,
            "duration": np.where(event, upper, lower)}


def return_times(trial: TrialData, *, definition: str = "first") -> pd.DataFrame:
    """One row per randomised participant with ``lower``, ``upper``, ``event`` and ``duration``
    (days since randomisation) for the chosen return-to-work definition."""
    ids = trial.participants["participant_id"].to_numpy()
    mat = sms_matrix(trial.sms, ids)
    frame = pd.DataFrame({"participant_id": ids, "arm": trial.participants["arm"].to_numpy()})
    for key, values in return_intervals(mat, definition=definition).items():
        frame[key] = values
    return frame
