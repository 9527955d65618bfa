"""The case matrix: one row per interviewed patient with their characteristics, trial outcomes
and themes, and the two frames it is built from (:func:`outcome_frame`, one row per randomised
participant; the interviewees with their speaker labels).

In WAVE the interviewed patients are trial participants, so the qualitative ``interviews`` table
joins the trial tables on ``participant_id``. Joins never drop an interviewee silently: a patient
interview without a participant id, or whose id is not in the trial, keeps its row with empty
outcomes and a note; a theme nobody mentions keeps its columns and a note. The case matrix is
participant-level data (speaker labels only): for the research team, never for publication.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import QualData, TrialData
from wave_analysis.design import CODE_LEVELS, INTERVENTION_ARM, age_band
from wave_analysis.integration.privacy import practice_labels
from wave_analysis.qualitative.codebook import code_tree, coder_labels
from wave_analysis.qualitative.counts import theme_matrix
from wave_analysis.qualitative.interviewees import interviewee_keys, speaker_labels
from wave_analysis.trial import outcomes

__all__ = ["CASE_COLUMNS", "CaseMatrix", "analysis_coder", "case_matrix", "interviewee_frame",
           "outcome_frame", "safe_column", "theme_cells", "theme_table"]

# the fixed columns of CaseMatrix.table; per-theme present_/segments_ columns follow
CASE_COLUMNS = ("speaker", "arm", "practice", "sex", "age_band", "condition_group",
                "days_absent", "rtw_event", "rtw_lower", "rtw_upper", "rtw_days", "vsw_contacts",
                "in_trial")
_OUTCOMES = ("days_absent", "rtw_event", "rtw_lower", "rtw_upper", "rtw_days", "vsw_contacts")


def safe_column(code_id: str) -> str:
    """A column-name-safe code id: R, Stata and SPSS variable names allow letters, digits and
    underscores only."""
    return re.sub(r"[^A-Za-z0-9_]", "_", str(code_id))


def theme_table(qual: QualData, *, level: str = "theme") -> pd.DataFrame:
    """The codebook's units at ``level`` (theme, subtheme or code) in codebook order: columns
    theme_id and theme (the unit's id and name, whatever the level)."""
    check_one_of("level", level, CODE_LEVELS)
    tree = code_tree(qual.codebook)
    units = tree if level == "code" else tree[tree["level"] == level]
    return pd.DataFrame({"theme_id": units.index.astype(str), "theme": units["name"].to_numpy()})


def analysis_coder(qual: QualData, coder: str | None) -> str:
    """``coder`` (checked when there are codings), else the first coder label (``coder_1`` when
    nothing is coded yet, so the displays still have their rows)."""
    found = coder_labels(qual)
    if coder is None:
        return found[0] if found else "coder_1"
    if found:
        check_one_of("coder", coder, found,
                     "coder labels come from the 'coder' column of codings")
    return coder


# --- trial side: one row per participant -----------------------------------------------------

def _questionnaire_changes(frame: pd.DataFrame, trial: TrialData, ids: pd.Series) -> None:
    """Add baseline, 6-month and change columns of RTWSE-11 and EQ-5D, and productivity loss."""
    p = trial.participants.reset_index(drop=True)
    q6 = trial.questionnaires[trial.questionnaires["timepoint"] == "6m"]
    q6 = q6.set_index(q6["participant_id"].astype(str)).reindex(ids)
    for name, column in (("rtwse", "rtwse"), ("eq5d", "eq5d_index")):
        base = p[column].astype(float).to_numpy()
        after = q6[column].astype(float).to_numpy()
        frame[f"{name}_baseline"] = base
        frame[f"{name}_6m"] = after
        frame[f"{name}_change"] = after - base
    frame["productivity_6m"] = q6["productivity_loss_gbp"].astype(float).to_numpy()


def outcome_frame(trial: TrialData, *, definition: str = "first",
                  rule: str = outcomes.PRIMARY_RULE) -> pd.DataFrame:
    """One row per randomised participant with the characteristics and outcomes the joint
    displays use.

    Columns: participant_id, practice_id, arm, sex, age, age_band, condition_group,
    absence_band, days_absent_baseline, days_absent (6 months, ``rule``), rtw_lower, rtw_upper
    (NaN when censored), rtw_event, rtw_days (event or censoring day, ``definition``),
    vsw_contacts (0 when none), rtwse_baseline, rtwse_6m, rtwse_change, eq5d_baseline, eq5d_6m,
    eq5d_change, productivity_6m.
    """
    p = trial.participants.reset_index(drop=True)
    ids = p["participant_id"].astype(str)
    frame = pd.DataFrame({
        "participant_id": ids.to_numpy(),
        "practice_id": p["practice_id"].astype(str).to_numpy(),
        "arm": p["arm"].astype(str).to_numpy(),
        "sex": p["sex"].astype(str).to_numpy(),
        "age": p["age"].astype(float).to_numpy(),
        "condition_group": p["condition_group"].astype(str).to_numpy(),
        "absence_band": p["absence_band"].astype(str).to_numpy(),
        "days_absent_baseline": p["days_absent_baseline"].astype(float).to_numpy(),
    })
    frame.insert(5, "age_band", frame["age"].map(age_band))
    days = outcomes.days_absent(trial, rule=rule).set_index("participant_id")["days_absent"]
    frame["days_absent"] = days.reindex(ids).to_numpy(dtype=float)
    rt = outcomes.return_times(trial, definition=definition).set_index("participant_id")
    rt = rt.reindex(ids)
    frame["rtw_lower"] = rt["lower"].to_numpy(dtype=float)
    frame["rtw_upper"] = rt["upper"].replace(np.inf, np.nan).to_numpy(dtype=float)
    frame["rtw_event"] = rt["event"].astype(bool).to_numpy()
    frame["rtw_days"] = rt["duration"].to_numpy(dtype=float)
    frame["vsw_contacts"] = outcomes.vsw_contact_counts(trial).reindex(ids).to_numpy()
    _questionnaire_changes(frame, trial, ids)
    return frame


# --- qualitative side: one row per interview -------------------------------------------------

def interviewee_frame(qual: QualData) -> pd.DataFrame:
    """One row per interview: interview_id, stakeholder_group, participant_id (None when
    missing), speaker label and interviewee key (participant_id, else interview_id)."""
    ivs = qual.interviews.reset_index(drop=True)
    out = pd.DataFrame({
        "interview_id": ivs["interview_id"].astype(str).to_numpy(),
        "stakeholder_group": ivs["stakeholder_group"].astype(str).to_numpy(),
        "participant_id": ivs["participant_id"].astype("object").where(
            ivs["participant_id"].notna(), None).to_numpy(),
        "speaker": speaker_labels(ivs).to_numpy(),
        "key": interviewee_keys(ivs).to_numpy(),
    })
    out["participant_id"] = [None if pd.isna(v) else str(v) for v in out["participant_id"]]
    return out


def theme_cells(qual: QualData, coder: str, level: str = "theme"
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segments per interview x unit (ids as columns, every unit present) and the units."""
    themes = theme_table(qual, level=level)
    ivs = qual.interviews["interview_id"].astype(str)
    if (qual.codings["coder"].astype(str) == coder).any():
        seg = theme_matrix(qual, coder=coder, level=level, value="segments")
    else:
        seg = pd.DataFrame(0, index=pd.Index(ivs, name="interview_id"),
                           columns=pd.Index(themes["theme_id"], name="theme_id"))
    seg = seg.reindex(index=ivs.to_numpy(), columns=themes["theme_id"], fill_value=0)
    return seg.astype("int64"), themes


@dataclass(frozen=True)
class CaseMatrix:
    """One row per interviewed patient: characteristics, outcomes and themes.

    ``table`` columns: ``CASE_COLUMNS`` (speaker, arm, practice (pseudonymous label), sex,
    age_band, condition_group, days_absent, rtw_event, rtw_lower, rtw_upper, rtw_days,
    vsw_contacts, in_trial: the interviewee's participant id was found in the trial), then per
    theme ``present_<theme_id>`` (bool) and ``segments_<theme_id>`` (int). ``themes``: theme_id
    and theme name in codebook order. ``notes``: every join problem found, in words.
    Participant-level data: for the research team, not for publication.
    """

    table: pd.DataFrame
    themes: pd.DataFrame
    notes: tuple[str, ...]
    coder: str
    definition: str
    level: str = "theme"

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _by_theme(self, kind: str) -> pd.DataFrame:
        cols = [f"{kind}_{safe_column(t)}" for t in self.themes["theme_id"]]
        out = self.table.set_index("speaker")[cols]
        out.columns = pd.Index(self.themes["theme"].tolist(), name="theme")
        return out

    def presence(self) -> pd.DataFrame:
        """Speaker (rows) by theme name (columns), True where the theme was expressed."""
        return self._by_theme("present")

    def segments(self) -> pd.DataFrame:
        """Speaker (rows) by theme name (columns): coded segments."""
        return self._by_theme("segments")


def _patients(qual: QualData, coder: str, notes: list[str]) -> pd.DataFrame:
    """Patient interviews, noting an empty sample and patients the coder did not code."""
    people = interviewee_frame(qual)
    coded = set(qual.codings.loc[qual.codings["coder"].astype(str) == coder, "interview_id"]
                .astype(str))
    patients = people[people["stakeholder_group"] == "patient"].copy()
    if patients.empty:
        notes.append("no patient interviews in the qualitative data: the case matrix is empty")
    uncoded = patients.loc[~patients["interview_id"].isin(coded), "speaker"].unique().tolist()
    if uncoded:
        notes.append(f"not coded by {coder}, so every theme shows as absent: "
                     + ", ".join(uncoded))
    return patients


def _trial_part(person: pd.Series, trial_rows: pd.DataFrame, labels: dict,
                notes: list[str]) -> dict:
    """The characteristics and outcomes columns of one interviewed patient (empty when the
    patient cannot be placed in the trial, with a note saying why)."""
    pid, speaker = person["participant_id"], person["speaker"]
    known = pid is not None and pid in trial_rows.index
    if pid is None:
        notes.append(f"{speaker}: patient interview without a trial participant "
                     "id, so no outcomes (fix: add the id to interviews or as a case "
                     "variable of the .qdpx)")
    elif not known:
        notes.append(f"{speaker}: participant id not found in the trial's "
                     "participants table, so no outcomes (fix: check the id)")
    t = trial_rows.loc[pid] if known else None
    row = {"speaker": speaker}
    for col in ("arm", "sex", "age_band", "condition_group"):
        row[col] = t[col] if known else None
    row["practice"] = labels.get(t["practice_id"]) if known else None
    for col in _OUTCOMES:
        row[col] = t[col] if known else np.nan
    row["in_trial"] = bool(known)
    if known and t["arm"] != INTERVENTION_ARM:
        notes.append(f"{speaker}: interviewed patient is in the {t['arm']} arm "
                     "(the interview study sampled the intervention arm)")
    return row


def case_matrix(trial: TrialData, qual: QualData, *, coder: str | None = None,
                definition: str = "first", rule: str = outcomes.PRIMARY_RULE,
                level: str = "theme") -> CaseMatrix:
    """Join interviewed patients' themes to their trial outcomes (see :class:`CaseMatrix`).

    A patient interviewed more than once is one row (segments summed, present if in any
    interview). ``coder``: whose codings count (default: the first coder label). ``level``:
    ``"subtheme"`` (or ``"code"``) gives one presence/segments pair per subtheme instead; at
    subtheme level codings made directly at theme level are left out.
    """
    coder = analysis_coder(qual, coder)
    seg, themes = theme_cells(qual, coder, level)
    notes: list[str] = []
    patients = _patients(qual, coder, notes)
    by_key = pd.DataFrame(seg.loc[patients["interview_id"]].to_numpy(),
                          columns=themes["theme_id"]).assign(
        key=patients["key"].to_numpy()).groupby("key", sort=False).sum()
    trial_rows = outcome_frame(trial, definition=definition, rule=rule).set_index(
        "participant_id")
    labels = practice_labels(trial.practices["practice_id"])
    rows = []
    for key, person in patients.drop_duplicates("key").set_index("key").iterrows():
        row = _trial_part(person, trial_rows, labels, notes)
        for theme in themes["theme_id"]:
            n = int(by_key.loc[key, theme])
            row[f"present_{safe_column(theme)}"] = n > 0
            row[f"segments_{safe_column(theme)}"] = n
        rows.append(row)
    theme_columns = [f"{kind}_{safe_column(t)}" for t in themes["theme_id"]
                     for kind in ("present", "segments")]
    table = pd.DataFrame(rows, columns=[*CASE_COLUMNS, *theme_columns])
    table = table.sort_values("speaker", kind="stable").reset_index(drop=True)
    table["rtw_event"] = table["rtw_event"].astype("boolean")
    table["vsw_contacts"] = table["vsw_contacts"].astype("Int64")
    for theme, name in zip(themes["theme_id"], themes["theme"], strict=True):
        if not table[f"present_{safe_column(theme)}"].any():
            notes.append(f"{level} {theme} ({name}): no interviewed patient expressed it")
    return CaseMatrix(table, themes, tuple(notes), coder, definition, level)
