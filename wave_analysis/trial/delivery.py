"""Intervention delivery: VSW contacts per participant (dose), mode, minutes, time from
randomisation to first contact and the highest stepped-care step reached.

The denominator is every participant allocated to the intervention arm, so participants who
were never contacted count (with 0 contacts) and are also reported separately; contacts with
usual-care participants (contamination) are counted apart and left out of the dose figures.
The figures of these results are drawn by ``trial.plots``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, CONTACT_MODES, INTERVENTION_ARM
from wave_analysis.exceptions import Problem, ValidationError, WaveError

STEP_LABELS = {0: "No contact", 1: "1 Assessment and RTW plan",
               2: "2 Ongoing support, workplace liaison", 3: "3 Case review or referral"}
_COLUMNS = ("participant_id", "contact_date", "mode", "minutes", "step")


def _checked_contacts(trial: TrialData) -> pd.DataFrame:
    """Contacts joined to arm and randomisation date; every broken link reported at once."""
    c, p = trial.vsw_contacts, trial.participants
    missing = [col for col in _COLUMNS if col not in c.columns]
    if missing:
        raise WaveError(f"vsw_contacts: missing column(s) {', '.join(missing)}; load the export "
                        "with wave_analysis.data.load.load_trial")
    merged = c.merge(p[["participant_id", "arm", "randomisation_date"]], on="participant_id",
                     how="left", validate="many_to_one")
    problems = [Problem("vsw_contacts", "participant_id", None, v, "is not in participants",
                        "fix the id or drop the contact")
                for v in pd.unique(merged.loc[merged["arm"].isna(), "participant_id"])]
    early = merged["contact_date"] < merged["randomisation_date"]
    label = merged["contact_id"] if "contact_id" in merged else merged["participant_id"]
    problems += [Problem("vsw_contacts", "contact_date", None, f"{cid}: {d.date()}",
                         "is before the participant's randomisation_date",
                         "correct the contact or randomisation date")
                 for cid, d in zip(label[early], merged.loc[early, "contact_date"], strict=True)]
    if problems:
        raise ValidationError(problems)
    return merged


def per_participant(trial: TrialData, *, arm: str = INTERVENTION_ARM) -> pd.DataFrame:
    """One row per participant allocated to ``arm``: ``contacts``, ``minutes_total``,
    ``days_to_first_contact`` (NaN when never contacted) and ``highest_step`` (0 when never
    contacted). Participant-level: for analysis, never for shared tables."""
    check_one_of("arm", arm, ARMS)
    contacts = _checked_contacts(trial)
    p = trial.participants
    people = p.loc[p["arm"] == arm, ["participant_id", "randomisation_date"]]
    if people.empty:
        raise WaveError(f"no participant is allocated to arm {arm!r}; arms present: "
                        f"{', '.join(sorted(p['arm'].unique()))}")
    mine = contacts.loc[contacts["arm"] == arm]
    agg = mine.groupby("participant_id").agg(
        contacts=("participant_id", "size"), minutes_total=("minutes", "sum"),
        first_contact=("contact_date", "min"), highest_step=("step", "max"))
    out = people.merge(agg, left_on="participant_id", right_index=True, how="left")
    out["contacts"] = out["contacts"].fillna(0).astype("int64")
    out["minutes_total"] = out["minutes_total"].fillna(0).astype("int64")
    out["highest_step"] = out["highest_step"].fillna(0).astype("int64")
    out["days_to_first_contact"] = (out["first_contact"] - out["randomisation_date"]).dt.days
    return out[["participant_id", "contacts", "minutes_total", "days_to_first_contact",
                "highest_step"]].reset_index(drop=True)


def _describe(values, measure: str, population: str) -> dict:
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    row = {"measure": measure, "population": population, "n": int(v.size)}
    if v.size == 0:
        return row | dict.fromkeys(("mean", "sd", "median", "q1", "q3", "min", "max"), np.nan)
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return row | {"mean": float(v.mean()), "sd": float(v.std(ddof=1)) if v.size > 1 else np.nan,
                  "median": float(med), "q1": float(q1), "q3": float(q3),
                  "min": float(v.min()), "max": float(v.max())}


@dataclass(frozen=True)
class DeliverySummary:
    """Dose of the intervention in the intervention arm."""

    allocated: int
    contacted: int
    not_contacted: int
    contacts: int
    contacts_other_arms: int  # contacts with participants not allocated to the intervention
    stats: pd.DataFrame  # measure, population, n, mean, sd, median, q1, q3, min, max

    def to_frame(self) -> pd.DataFrame:
        counts = pd.DataFrame([
            {"measure": "participants allocated", "population": "allocated",
             "n": self.allocated},
            {"measure": "participants with >=1 contact", "population": "allocated",
             "n": self.contacted},
            {"measure": "participants with no contact", "population": "allocated",
             "n": self.not_contacted},
            {"measure": "contacts", "population": "allocated", "n": self.contacts},
            {"measure": "contacts with other arms", "population": "not allocated",
             "n": self.contacts_other_arms},
        ])
        return pd.concat([counts, self.stats], ignore_index=True)


def delivery_summary(trial: TrialData, *, arm: str = INTERVENTION_ARM) -> DeliverySummary:
    """Contacts per participant (all allocated, and those with >=1 contact), minutes per contact
    and per participant, and days from randomisation to first contact: n, mean, SD, median,
    quartiles (numpy's linear percentiles) and range."""
    pp = per_participant(trial, arm=arm)
    contacts = _checked_contacts(trial)
    mine = contacts.loc[contacts["arm"] == arm]
    seen = pp.loc[pp["contacts"] > 0]
    stats = pd.DataFrame([
        _describe(pp["contacts"], "contacts per participant", "allocated"),
        _describe(seen["contacts"], "contacts per participant", "contacted"),
        _describe(mine["minutes"].astype(float), "minutes per contact", "contacts"),
        _describe(seen["minutes_total"], "minutes per participant", "contacted"),
        _describe(pp["days_to_first_contact"], "days to first contact", "contacted"),
    ])
    return DeliverySummary(allocated=len(pp), contacted=len(seen),
                           not_contacted=int((pp["contacts"] == 0).sum()), contacts=len(mine),
                           contacts_other_arms=int((contacts["arm"] != arm).sum()), stats=stats)


def mode_shares(trial: TrialData, *, arm: str = INTERVENTION_ARM) -> pd.DataFrame:
    """Per delivery mode: ``contacts``, ``share_of_contacts``, ``minutes_mean`` and
    ``participants`` (with at least one contact in that mode)."""
    check_one_of("arm", arm, ARMS)
    contacts = _checked_contacts(trial)
    mine = contacts.loc[contacts["arm"] == arm]
    modes = list(CONTACT_MODES) + sorted(set(mine["mode"]) - set(CONTACT_MODES))
    rows = []
    for mode in modes:
        m = mine.loc[mine["mode"] == mode]
        rows.append({"mode": mode, "contacts": len(m),
                     "share_of_contacts": len(m) / len(mine) if len(mine) else np.nan,
                     "minutes_mean": float(m["minutes"].astype(float).mean()) if len(m)
                     else np.nan,
                     "participants": int(m["participant_id"].nunique())})
    return pd.DataFrame(rows)


def steps_reached(trial: TrialData, *, arm: str = INTERVENTION_ARM) -> pd.DataFrame:
    """Highest stepped-care step reached per participant (0 = never contacted): ``step``,
    ``label``, ``participants``, ``share`` of those allocated, and ``reached_at_least`` (share
    reaching this step or a higher one)."""
    pp = per_participant(trial, arm=arm)
    counts = pp["highest_step"].value_counts().reindex(list(STEP_LABELS), fill_value=0)
    out = pd.DataFrame({"step": list(STEP_LABELS), "label": list(STEP_LABELS.values()),
                        "participants": counts.to_numpy().astype("int64")})
    out["share"] = out["participants"] / len(pp)
    out["reached_at_least"] = out["participants"][::-1].cumsum()[::-1] / len(pp)
    return out

