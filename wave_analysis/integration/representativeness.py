"""How representative were the interviewees? Interviewed patients against the rest of the
intervention arm and the control arm on baseline characteristics and outcomes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis.data.model import QualData, TrialData
from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.integration._format import number
from wave_analysis.integration.cases import interviewee_frame, outcome_frame
from wave_analysis.integration.privacy import practice_labels
from wave_analysis.trial import outcomes

__all__ = ["COMPARISON_GROUPS", "NUMERIC_LABELS", "Representativeness", "representativeness"]

COMPARISON_GROUPS = {
    "interviewed": "Interviewed patients",
    "other_intervention": "Rest of intervention arm",
    CONTROL_ARM: "Usual-care arm",
}
_CATEGORICAL = (("sex", "Sex"), ("age_band", "Age band"), ("condition_group", "Condition group"),
                ("absence_band", "Baseline absence"), ("returned", "Return to work by 6 months"),
                ("practice", "Practice"))
_NUMERIC = (("age", "Age (years)"), ("days_absent_baseline", "Days off before randomisation"),
            ("rtwse_baseline", "RTWSE-11 at baseline"), ("eq5d_baseline", "EQ-5D-5L at baseline"),
            ("days_absent", "Days absent over 6 months"), ("vsw_contacts", "VSW contacts"))
NUMERIC_LABELS = {label for _, label in _NUMERIC}  # characteristics summarised as numbers
_DIGITS = {"RTWSE-11 at baseline": 2, "EQ-5D-5L at baseline": 3}  # others: whole numbers
_COLUMNS = ["characteristic", "level", "comparison", "n", "denominator", "percent", "mean", "sd",
            "median", "min", "max"]


def _cell(r) -> str:
    if r.characteristic not in NUMERIC_LABELS:
        return f"{r.n}/{r.denominator} ({r.percent:.0f}%)" if r.denominator else "0/0"
    if r.n == 0:
        return "no values"
    d = _DIGITS.get(r.characteristic, 0)
    return (f"{number(r.mean, max(d, 1))} ({number(r.sd, max(d, 1))}); median "
            f"{r.median:.{d}f} [{r.min:.{d}f} to {r.max:.{d}f}] (n {r.n})")


@dataclass(frozen=True)
class Representativeness:
    """Interviewed patients vs the rest of the intervention arm vs the control arm.

    ``table`` (tidy): characteristic, level, comparison (a key of :data:`COMPARISON_GROUPS`),
    n (count in the level, or participants with a value for continuous rows), denominator,
    percent, mean, sd, median, min, max. ``notes``: interviewed patients that could not be
    placed in the trial.
    """

    table: pd.DataFrame
    notes: tuple[str, ...]

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def wide(self) -> pd.DataFrame:
        """One row per characteristic level, one column per comparison group ('n (%)' for
        categories, 'mean (SD); median [min-max]' for numbers)."""
        t = self.table
        cell = [_cell(r) for r in t.itertuples(index=False)]
        wide = t.assign(cell=cell).pivot_table(index=["characteristic", "level"],
                                               columns="comparison", values="cell",
                                               aggfunc="first", sort=False)
        wide = wide.reindex(columns=list(COMPARISON_GROUPS)).fillna("")
        wide.columns = [COMPARISON_GROUPS[c] for c in wide.columns]
        return wide.reset_index()


def _categorical_rows(f: pd.DataFrame) -> list[dict]:
    rows = []
    for column, label in _CATEGORICAL:
        levels = sorted(f[column].dropna().astype(str).unique())
        for comp in COMPARISON_GROUPS:
            sub = f.loc[f["comparison"] == comp, column].dropna().astype(str)
            for level in levels:
                n = int((sub == level).sum())
                rows.append({"characteristic": label, "level": level, "comparison": comp,
                             "n": n, "denominator": len(sub),
                             "percent": 100 * n / len(sub) if len(sub) else np.nan})
    return rows


def _numeric_rows(f: pd.DataFrame) -> list[dict]:
    rows = []
    for column, label in _NUMERIC:
        for comp in COMPARISON_GROUPS:
            if column == "vsw_contacts" and comp == CONTROL_ARM:
                continue  # the control arm had no VSW: a row of zeros would mislead
            v = f.loc[f["comparison"] == comp, column].dropna().astype(float)
            rows.append({"characteristic": label, "level": "", "comparison": comp,
                         "n": int(v.size), "denominator": int(v.size), "percent": np.nan,
                         "mean": v.mean() if v.size else np.nan,
                         "sd": v.std(ddof=1) if v.size > 1 else np.nan,
                         "median": v.median() if v.size else np.nan,
                         "min": v.min() if v.size else np.nan,
                         "max": v.max() if v.size else np.nan})
    return rows


def representativeness(trial: TrialData, qual: QualData, *, definition: str = "first",
                       rule: str = outcomes.PRIMARY_RULE) -> Representativeness:
    """Coverage of the purposive sample: interviewed patients against the rest of the
    intervention arm and the control arm (see :class:`Representativeness`)."""
    f = outcome_frame(trial, definition=definition, rule=rule)
    people = interviewee_frame(qual)
    pids = people.loc[people["stakeholder_group"] == "patient", "participant_id"]
    pids = {p for p in pids if p is not None}
    notes = []
    outside = sorted(pids - set(f["participant_id"]))
    if outside:
        labels = people.set_index("participant_id")["speaker"]
        notes.append("interviewed but not in the trial's participants table (left out): "
                     + ", ".join(sorted({labels[p] for p in outside})))
    interviewed = f["participant_id"].isin(pids)
    comparison = np.where(interviewed, "interviewed",
                          np.where(f["arm"] == INTERVENTION_ARM, "other_intervention",
                                   CONTROL_ARM))
    if (interviewed & (f["arm"] != INTERVENTION_ARM)).any():
        notes.append("some interviewed patients are in the usual-care arm; they are counted "
                     "as interviewed")
    what = "returned" if definition == "first" else "sustained return"
    f = f.assign(comparison=comparison,
                 practice=f["practice_id"].map(practice_labels(trial.practices["practice_id"])),
                 returned=np.where(f["rtw_event"], what, "not returned"))
    table = pd.DataFrame(_categorical_rows(f) + _numeric_rows(f), columns=_COLUMNS)
    if not interviewed.any():
        notes.append("no interviewed patient could be matched to the trial")
    return Representativeness(table, tuple(notes))
