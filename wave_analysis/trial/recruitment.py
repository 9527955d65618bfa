"""Recruitment and feasibility: CONSORT flow counts, recruitment by practice and over time, and
the stop/go criteria of a feasibility study as green/amber/red (figures: ``trial.plots``).

Definitions (CONSORT 2010 flow, applied to the WAVE tables):

* invited: rows of ``screening``; responded: ``responded`` is true; assessed for eligibility:
  responders with ``eligible`` recorded (responders without it are "responded, not assessed").
* excluded: assessed but not randomised, split into not eligible (by ``ineligible_reason``),
  declined (eligible, ``consented`` false) and other (eligible, consent not given or recorded,
  or consented but not randomised).
* randomised / allocated: rows of ``participants`` (the authority), by ``arm``.
* received the intervention: at least one row in ``vsw_contacts``.
* withdrawn or lost: ``withdrawals`` by ``withdrawal_type``.
* analysed: the primary outcome is available (``outcomes.days_absent(trial)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, INELIGIBLE_REASONS, INTERVENTION_ARM, WITHDRAWAL_TYPES
from wave_analysis.exceptions import Problem, ValidationError, WaveError
from wave_analysis.trial import outcomes

DAYS_PER_MONTH = 365.25 / 12
RAG_STATUSES = ("green", "amber", "red")


# --- checks --------------------------------------------------------------------------------


def _require(frame: pd.DataFrame, table: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise WaveError(f"{table}: missing column(s) {', '.join(missing)}; load the export with "
                        "wave_analysis.data.load.load_trial so every table has its schema columns")


def _unknown_ids(ids: pd.Series, known: pd.Index, table: str, fix: str) -> list[Problem]:
    bad = ids[ids.notna() & ~ids.isin(known)]
    return [Problem(file=table, column="participant_id", row=None, value=v,
                    rule="is not in participants", fix=fix) for v in pd.unique(bad)]


def check_links(trial: TrialData) -> None:
    """Raise :class:`ValidationError` (every problem at once) when the tables that feed the
    CONSORT flow disagree: trial ids in screening, vsw_contacts or withdrawals that are not in
    participants, participants missing from screening, or ids randomised without consent."""
    for name, cols in (("screening", ("invitation_id", "responded", "eligible",
                                      "ineligible_reason", "consented", "participant_id")),
                       ("participants", ("participant_id", "arm")),
                       ("vsw_contacts", ("participant_id",)),
                       ("withdrawals", ("participant_id", "withdrawal_type"))):
        _require(getattr(trial, name), name, cols)
    known = pd.Index(trial.participants["participant_id"])
    s = trial.screening
    problems = _unknown_ids(s["participant_id"], known, "screening",
                            "add the participant to participants or clear the id")
    dup = s["participant_id"][s["participant_id"].notna() & s["participant_id"].duplicated()]
    problems += [Problem("screening", "participant_id", None, v, "is linked to more than one "
                         "invitation", "keep the id on the invitation that led to randomisation")
                 for v in pd.unique(dup)]
    unlinked = known[~known.isin(s["participant_id"].dropna())]
    problems += [Problem("participants", "participant_id", None, v, "has no invitation in "
                         "screening", "add the participant_id to its screening row")
                 for v in unlinked]
    no_consent = s.loc[s["participant_id"].notna() & (s["consented"] != True),  # noqa: E712
                       "invitation_id"]
    problems += [Problem("screening", "consented", None, v, "randomised invitation without "
                         "consent recorded", "set consented to true or clear participant_id")
                 for v in no_consent]
    problems += _unknown_ids(trial.vsw_contacts["participant_id"], known, "vsw_contacts",
                             "fix the id or drop the contact")
    problems += _unknown_ids(trial.withdrawals["participant_id"], known, "withdrawals",
                             "fix the id or drop the withdrawal")
    arms = trial.participants["arm"]
    problems += [Problem("participants", "arm", None, v, f"is not one of {', '.join(ARMS)}",
                         "use the arm names of the data dictionary")
                 for v in pd.unique(arms[~arms.isin(ARMS)])]
    if problems:
        raise ValidationError(problems)


# --- CONSORT flow --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsortFlow:
    """Counts of every box of the CONSORT 2010 flow diagram (per-arm counts keyed by arm)."""

    invited: int
    responded: int
    not_responded: int
    not_assessed: int
    assessed: int
    excluded: int
    ineligible: dict[str, int]  # reason -> n (not meeting inclusion criteria)
    declined: int
    other_excluded: int
    randomised: int
    allocated: dict[str, int]
    received: dict[str, int]  # at least one VSW contact
    withdrawn: dict[str, dict[str, int]]  # arm -> withdrawal type -> n
    analysed: dict[str, int]
    arms: tuple[str, ...] = field(default=ARMS)

    def not_received(self, arm: str) -> int:
        return self.allocated[arm] - self.received[arm]

    def not_analysed(self, arm: str) -> int:
        return self.allocated[arm] - self.analysed[arm]

    def to_frame(self) -> pd.DataFrame:
        """Tidy counts: one row per box (``stage``, ``arm`` or "all", ``n``, ``detail``)."""
        rows = [("invited", "all", self.invited, "total"),
                ("not_responded", "all", self.not_responded, "total"),
                ("responded", "all", self.responded, "total"),
                ("responded_not_assessed", "all", self.not_assessed, "total"),
                ("assessed", "all", self.assessed, "total"),
                ("excluded", "all", self.excluded, "total"),
                ("excluded", "all", sum(self.ineligible.values()), "not_eligible")]
        rows += [("excluded", "all", n, f"not_eligible:{reason}")
                 for reason, n in self.ineligible.items()]
        rows += [("excluded", "all", self.declined, "declined"),
                 ("excluded", "all", self.other_excluded, "other"),
                 ("randomised", "all", self.randomised, "total")]
        for arm in self.arms:
            rows += [("allocated", arm, self.allocated[arm], "total"),
                     ("received_intervention", arm, self.received[arm], "at least one VSW contact"),
                     ("not_received_intervention", arm, self.not_received(arm), "no VSW contact"),
                     ("withdrawn_or_lost", arm, sum(self.withdrawn[arm].values()), "total")]
            rows += [("withdrawn_or_lost", arm, n, kind) for kind, n in self.withdrawn[arm].items()]
            rows += [("analysed", arm, self.analysed[arm], "primary outcome available"),
                     ("excluded_from_analysis", arm, self.not_analysed(arm),
                      "primary outcome not derivable")]
        return pd.DataFrame(rows, columns=["stage", "arm", "n", "detail"])


def consort_flow(trial: TrialData, *, primary: pd.DataFrame | None = None) -> ConsortFlow:
    """Count every CONSORT box. ``primary`` is a frame with ``participant_id`` and
    ``days_absent`` (default: ``outcomes.days_absent(trial)``, the primary rule); a participant is
    analysed when ``days_absent`` is not missing."""
    check_links(trial)
    s = trial.screening
    responded = s["responded"].fillna(False).astype(bool)
    assessed = responded & s["eligible"].notna()
    eligible = assessed & s["eligible"].fillna(False).astype(bool)
    randomised_inv = s["participant_id"].notna()
    excluded = assessed & ~randomised_inv
    not_eligible = excluded & ~eligible
    reasons = s.loc[not_eligible, "ineligible_reason"].fillna("not_recorded")
    order = [*INELIGIBLE_REASONS, "not_recorded"]
    ineligible = {r: int((reasons == r).sum()) for r in order
                  if r in INELIGIBLE_REASONS or (reasons == r).any()}
    declined = excluded & eligible & (s["consented"] == False)  # noqa: E712
    declined = declined.fillna(False).astype(bool)

    people = trial.participants[["participant_id", "arm"]]
    by_arm = people.groupby("arm")["participant_id"]
    contacted = people["participant_id"].map(outcomes.received_intervention(trial)).to_numpy()
    if primary is None:
        primary = outcomes.days_absent(trial)
    _require(primary, "primary outcome frame", ("participant_id", "days_absent"))
    has_outcome = people["participant_id"].isin(
        primary.loc[primary["days_absent"].notna(), "participant_id"])
    w = trial.withdrawals.merge(people, on="participant_id")
    withdrawn = {arm: {k: int(((w["arm"] == arm) & (w["withdrawal_type"] == k)).sum())
                       for k in WITHDRAWAL_TYPES} for arm in ARMS}
    return ConsortFlow(
        invited=len(s),
        responded=int(responded.sum()),
        not_responded=int((~responded).sum()),
        not_assessed=int((responded & ~assessed).sum()),
        assessed=int(assessed.sum()),
        excluded=int(excluded.sum()),
        ineligible=ineligible,
        declined=int(declined.sum()),
        other_excluded=int((excluded & eligible & ~declined).sum()),
        randomised=len(people),
        allocated={arm: int(by_arm.size().get(arm, 0)) for arm in ARMS},
        received={arm: int((contacted & (people["arm"] == arm)).sum()) for arm in ARMS},
        withdrawn=withdrawn,
        analysed={arm: int((has_outcome & (people["arm"] == arm)).sum()) for arm in ARMS},
    )


# --- recruitment by practice and over time -------------------------------------------------


def recruitment_by_practice(trial: TrialData, *, total: bool = False) -> pd.DataFrame:
    """Per practice: ``invited``, ``responded``, ``response_rate``, ``randomised`` and
    ``randomised_per_1000_invited``; practices in ``practices`` with no invitation are kept (0).
    ``total=True`` appends an "All practices" row."""
    s, p = trial.screening, trial.participants
    ids = pd.Index(pd.unique(pd.concat([trial.practices["practice_id"], s["practice_id"],
                                        p["practice_id"]])), name="practice_id")
    out = pd.DataFrame(index=ids)
    out["invited"] = s.groupby("practice_id").size().reindex(ids, fill_value=0)
    out["responded"] = (s.assign(r=s["responded"].fillna(False).astype(int))
                        .groupby("practice_id")["r"].sum().reindex(ids, fill_value=0))
    out["randomised"] = p.groupby("practice_id").size().reindex(ids, fill_value=0)
    out = out.astype("int64").sort_index().reset_index()
    if total:
        sums = out[["invited", "responded", "randomised"]].sum()
        out = pd.concat([out, pd.DataFrame([{"practice_id": "All practices", **sums}])],
                        ignore_index=True)
    inv = out["invited"].where(out["invited"] > 0)
    out["response_rate"] = out["responded"] / inv
    out["randomised_per_1000_invited"] = 1000 * out["randomised"] / inv
    return out[["practice_id", "invited", "responded", "response_rate", "randomised",
                "randomised_per_1000_invited"]]


def recruitment_by_month(trial: TrialData) -> pd.DataFrame:
    """Per calendar month from the first invitation to the last randomisation (months without
    any kept as 0): ``invited``, ``randomised`` by arm and in total, ``cumulative_randomised``."""
    s, p = trial.screening, trial.participants
    if p.empty:
        raise WaveError("participants is empty: nothing was randomised, so there is no "
                        "recruitment over time to show")
    inv_m = s["invitation_date"].dt.to_period("M")
    rand_m = p["randomisation_date"].dt.to_period("M")
    first = min(inv_m.min(), rand_m.min()) if len(s) else rand_m.min()
    months = pd.period_range(first, rand_m.max(), freq="M", name="month")
    out = pd.DataFrame(index=months)
    out["invited"] = inv_m.value_counts().reindex(months, fill_value=0)
    for arm in ARMS:
        out[f"randomised_{arm}"] = (rand_m[p["arm"] == arm].value_counts()
                                    .reindex(months, fill_value=0))
    out["randomised"] = rand_m.value_counts().reindex(months, fill_value=0)
    out["cumulative_randomised"] = out["randomised"].cumsum()
    out = out.astype("int64").reset_index()
    out["month"] = out["month"].astype(str)
    return out


# --- feasibility stop/go criteria ----------------------------------------------------------


def _finite(value: object) -> bool:
    """A real number that is not NaN or infinite (bools and text are not numbers here)."""
    return (isinstance(value, int | float | np.integer | np.floating)
            and not isinstance(value, bool | np.bool_) and bool(np.isfinite(value)))


def _check_thresholds(green: object, amber: object, *, prefix: str = "",
                      higher_is_better: bool = True) -> None:
    """Both thresholds finite and in the right order; ``prefix`` names the caller's arguments
    (``recruitment_`` for ``recruitment_green`` and ``recruitment_amber``)."""
    check_argument(_finite(green), f"{prefix}green", "a finite number", green)
    check_argument(_finite(amber), f"{prefix}amber", "a finite number", amber)
    if higher_is_better:
        check_argument(green >= amber, f"{prefix}green",
                       f"at least {prefix}amber ({amber:g}) when higher is better", green)
    else:
        check_argument(green <= amber, f"{prefix}green",
                       f"at most {prefix}amber ({amber:g}) when lower is better", green)


def rag_status(value: float, *, green: float, amber: float,
               higher_is_better: bool = True) -> str:
    """'green' when the value reaches the green threshold, 'amber' when it reaches the amber one,
    else 'red' (thresholds inclusive; reversed when lower is better)."""
    _check_thresholds(green, amber, higher_is_better=higher_is_better)
    check_argument(_finite(value), "value", "a finite number", value,
                   "check that the data behind the criterion are not empty")
    sign = 1 if higher_is_better else -1
    if sign * value >= sign * green:
        return "green"
    if sign * value >= sign * amber:
        return "amber"
    return "red"


@dataclass(frozen=True)
class Criterion:
    """One feasibility stop/go criterion graded against its thresholds."""

    name: str
    value: float
    green: float
    amber: float
    status: str
    numerator: float
    denominator: float
    unit: str = ""
    higher_is_better: bool = True

    def to_frame(self) -> pd.DataFrame:
        return criteria_frame([self])


def criterion(name: str, numerator: float, denominator: float, *, green: float, amber: float,
              unit: str = "", higher_is_better: bool = True) -> Criterion:
    if denominator <= 0:
        raise WaveError(f"feasibility criterion {name!r}: denominator is {denominator}; the data "
                        "it needs are empty")
    value = numerator / denominator
    return Criterion(name=name, value=float(value), green=float(green), amber=float(amber),
                     status=rag_status(value, green=green, amber=amber,
                                       higher_is_better=higher_is_better),
                     numerator=float(numerator), denominator=float(denominator), unit=unit,
                     higher_is_better=higher_is_better)


def criteria_frame(criteria) -> pd.DataFrame:
    cols = ["name", "value", "green", "amber", "status", "numerator", "denominator", "unit",
            "higher_is_better"]
    return pd.DataFrame([{c: getattr(k, c) for c in cols} for k in criteria], columns=cols)


def practice_months(trial: TrialData) -> float:
    """Recruiting time summed over practices, in months (365.25/12 days): each practice from its
    first invitation to the last randomisation of the trial (staggered openings count only the
    time a practice was open)."""
    p = trial.participants
    if p.empty:
        raise WaveError("participants is empty: cannot compute a recruitment rate")
    end = p["randomisation_date"].max()
    start = pd.concat([trial.screening[["practice_id", "invitation_date"]],
                       p[["practice_id", "randomisation_date"]]
                       .rename(columns={"randomisation_date": "invitation_date"})])
    opened = start.groupby("practice_id")["invitation_date"].min()
    days = (end - opened).dt.days.clip(lower=0) + 1  # the last day counts
    return float(days.sum() / DAYS_PER_MONTH)


def feasibility(trial: TrialData, *, recruitment_green: float = 1.0,
                recruitment_amber: float = 0.5, engagement_green: float = 0.8,
                engagement_amber: float = 0.6, sms_reply_green: float = 0.8,
                sms_reply_amber: float = 0.6) -> tuple[Criterion, ...]:
    """The three stop/go criteria: recruitment rate (randomised per practice per month),
    engagement (share of intervention-arm participants with at least one VSW contact) and SMS
    reply rate (share of sent SMS that were replied to: ``outcomes.sms_replied``)."""
    for prefix, green, amber in (("recruitment_", recruitment_green, recruitment_amber),
                                 ("engagement_", engagement_green, engagement_amber),
                                 ("sms_reply_", sms_reply_green, sms_reply_amber)):
        _check_thresholds(green, amber, prefix=prefix)
    p = trial.participants
    vs = p.loc[p["arm"] == INTERVENTION_ARM, "participant_id"]
    engaged = vs.map(outcomes.received_intervention(trial)).sum()
    sent = trial.sms["sent_date"].notna()
    replied = outcomes.sms_replied(trial.sms)
    return (
        criterion("recruitment rate", len(p), practice_months(trial), green=recruitment_green,
                  amber=recruitment_amber, unit="randomised per practice per month"),
        criterion("engagement", int(engaged), len(vs), green=engagement_green,
                  amber=engagement_amber, unit="share of intervention arm with >=1 VSW contact"),
        criterion("sms reply rate", int(replied.sum()), int(sent.sum()), green=sms_reply_green,
                  amber=sms_reply_amber, unit="share of sent SMS replied"),
    )

