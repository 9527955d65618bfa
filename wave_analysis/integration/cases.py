"""Mixed-methods integration: each interviewee's themes beside their trial outcomes.

In WAVE the interviewed patients are trial participants, so the qualitative ``interviews`` table
joins the trial tables on ``participant_id``. This module builds the four integration products:

1. :func:`case_matrix`: one row per interviewed patient (pseudonymous speaker label, arm, practice
   label, sex, age band, condition group, days absent, return-to-work time, VSW contacts) with each
   theme's presence and segment count.
2. :func:`joint_display`: themes as rows; interviewees with the theme per stakeholder group, an
   exemplar quote, the related quantitative finding (computed, never typed) and the analyst's
   meta-inference read from a YAML parameter file (:func:`read_inferences`).
3. :func:`theme_outcomes`: outcomes of interviewees who expressed a theme beside those who did not.
   With about ten interviewees these are descriptive counts and ranges; no test is made.
4. :func:`representativeness`: interviewed patients against the rest of the intervention arm and
   the usual-care arm on baseline characteristics and outcomes.

Privacy. The only participant-level key in any output is the speaker label of
:func:`wave_analysis.qualitative.speaker_labels` (``Patient 03``); practices appear as
``Practice A``, ``Practice B``... (sorted practice ids, lettered). Trial participant ids, practice
ids and names, interview ids, transcript file names and dates never leave this module; the case
matrix is still participant-level data (for the research team, never for publication).
:func:`find_identifiers` checks a frame for any of them.

Joins never drop an interviewee silently: a patient interview without a participant id, or whose
id is not in the trial, keeps its row with empty outcomes and a note; a theme nobody mentions keeps
its row with zero counts; a stakeholder group with no interviews keeps its columns with zero
counts and a note.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from wave_analysis import _atomic, qualitative
from wave_analysis.data.model import QualData, TrialData
from wave_analysis.design import ARM_LABELS, ARMS, STAKEHOLDER_GROUPS, WINDOW_DAYS
from wave_analysis.exceptions import ParameterError, WaveError
from wave_analysis.trial import outcomes

__all__ = [
    "AGE_BANDS",
    "COMPARISON_GROUPS",
    "FINDINGS",
    "INFERENCES",
    "NOT_ASSESSED",
    "CaseMatrix",
    "JointDisplay",
    "Representativeness",
    "ThemeOutcomes",
    "age_band",
    "case_matrix",
    "find_identifiers",
    "joint_display",
    "outcome_frame",
    "plot_case_matrix",
    "plot_representativeness",
    "plot_theme_outcomes",
    "practice_labels",
    "quantitative_findings",
    "read_inferences",
    "representativeness",
    "save_joint_display",
    "style_case_matrix",
    "theme_outcomes",
    "theme_table",
]

AGE_BANDS = ((18, 34, "18-34"), (35, 49, "35-49"), (50, 200, "50+"))
INFERENCES = ("confirms", "expands", "diverges")
NOT_ASSESSED = "not yet assessed"
QUOTE_MAX = 300  # characters: exemplar quotes longer than this are a paragraph, not a quote
COMPARISON_GROUPS = {
    "interviewed": "Interviewed patients",
    "other_intervention": "Rest of intervention arm",
    "usual_care": "Usual-care arm",
}
# The quantitative findings a theme can be linked to in the inferences file (key -> label).
FINDINGS = {
    "rtwse_change": "Return-to-work self-efficacy (RTWSE-11, 1-6): change baseline to 6 months",
    "vsw_contacts": "VSW contacts per intervention-arm participant",
    "days_absent": "Days absent from work over 6 months",
    "return_to_work": "Return to work within 6 months",
    "eq5d_change": "EQ-5D-5L index: change baseline to 6 months",
    "productivity": "Work productivity loss at 6 months (GBP)",
}
_INFERENCE_KEYS = ("inference", "note", "finding")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


# --- small helpers ---------------------------------------------------------------------------

def age_band(age: float) -> str | None:
    """The age band ("18-34", "35-49", "50+") of an age in years; None when missing."""
    if age is None or pd.isna(age):
        return None
    for lo, hi, label in AGE_BANDS:
        if lo <= age <= hi:
            return label
    raise WaveError(f"age {age} is below {AGE_BANDS[0][0]}: the trial recruited adults only")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column style)."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = string.ascii_uppercase[r] + out
    return out


def practice_labels(practice_ids: Sequence[str]) -> dict[str, str]:
    """Pseudonymous practice labels: sorted distinct ids lettered ``Practice A``, ``B``..."""
    ids = sorted({str(p) for p in practice_ids if not pd.isna(p)})
    return {p: f"Practice {_letters(i)}" for i, p in enumerate(ids)}


def _safe_column(code_id: str) -> str:
    # R, Stata and SPSS variable names: letters, digits and underscores
    return re.sub(r"[^A-Za-z0-9_]", "_", str(code_id))


def theme_table(qual: QualData, *, level: str = "theme") -> pd.DataFrame:
    """The codebook's units at ``level`` (theme, subtheme or code) in codebook order: columns
    theme_id and theme (the unit's id and name, whatever the level)."""
    if level not in qualitative.LEVELS:
        raise WaveError(f"level must be one of {', '.join(qualitative.LEVELS)}; got {level!r}")
    tree = qualitative.code_tree(qual.codebook)
    units = tree if level == "code" else tree[tree["level"] == level]
    return pd.DataFrame({"theme_id": units.index.astype(str), "theme": units["name"].to_numpy()})


def _coder(qual: QualData, coder: str | None) -> str:
    found = sorted(qual.codings["coder"].astype(str).unique())
    if coder is None:
        return found[0] if found else "coder_1"
    if found and coder not in found:
        raise WaveError(f"coder must be one of {', '.join(found)}; got {coder!r} "
                        "(coder labels come from the 'coder' column of codings)")
    return coder


def _fmt(x: float, digits: int = 1, sign: bool = False) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


# --- trial side: one row per participant -----------------------------------------------------

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
    contacts = trial.vsw_contacts.groupby(trial.vsw_contacts["participant_id"].astype(str)).size()
    frame["vsw_contacts"] = contacts.reindex(ids).fillna(0).astype("int64").to_numpy()
    q6 = trial.questionnaires[trial.questionnaires["timepoint"] == "6m"]
    q6 = q6.set_index(q6["participant_id"].astype(str)).reindex(ids)
    for name, column in (("rtwse", "rtwse"), ("eq5d", "eq5d_index")):
        base = p[column].astype(float).to_numpy()
        after = q6[column].astype(float).to_numpy()
        frame[f"{name}_baseline"] = base
        frame[f"{name}_6m"] = after
        frame[f"{name}_change"] = after - base
    frame["productivity_6m"] = q6["productivity_loss_gbp"].astype(float).to_numpy()
    return frame


# --- qualitative side: one row per interviewee ------------------------------------------------

def _interviewees(qual: QualData) -> pd.DataFrame:
    """Interview-level frame with speaker label and interviewee key (participant_id, else
    interview_id)."""
    ivs = qual.interviews.reset_index(drop=True)
    out = pd.DataFrame({
        "interview_id": ivs["interview_id"].astype(str).to_numpy(),
        "stakeholder_group": ivs["stakeholder_group"].astype(str).to_numpy(),
        "participant_id": ivs["participant_id"].astype("object").where(
            ivs["participant_id"].notna(), None).to_numpy(),
        "speaker": qualitative.speaker_labels(ivs).to_numpy(),
    })
    out["participant_id"] = [None if pd.isna(v) else str(v) for v in out["participant_id"]]
    return out


def _theme_cells(qual: QualData, coder: str, level: str = "theme"
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Segments per interview x unit (ids as columns, every unit present) and the units."""
    themes = theme_table(qual, level=level)
    ivs = qual.interviews["interview_id"].astype(str)
    if (qual.codings["coder"].astype(str) == coder).any():
        seg = qualitative.theme_matrix(qual, coder=coder, level=level, value="segments")
    else:
        seg = pd.DataFrame(0, index=pd.Index(ivs, name="interview_id"),
                           columns=pd.Index(themes["theme_id"], name="theme_id"))
    seg = seg.reindex(index=ivs.to_numpy(), columns=themes["theme_id"], fill_value=0)
    return seg.astype("int64"), themes


@dataclass(frozen=True)
class CaseMatrix:
    """One row per interviewed patient: characteristics, outcomes and themes.

    ``table`` columns: speaker, arm, practice (pseudonymous label), sex, age_band,
    condition_group, days_absent, rtw_event, rtw_lower, rtw_upper, rtw_days, vsw_contacts,
    in_trial (the interviewee's participant id was found in the trial), then per theme
    ``present_<theme_id>`` (bool) and ``segments_<theme_id>`` (int). ``themes``: theme_id and
    theme name in codebook order. ``notes``: every join problem found, in words.
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

    def presence(self) -> pd.DataFrame:
        """Speaker (rows) by theme name (columns), True where the theme was expressed."""
        cols = [f"present_{_safe_column(t)}" for t in self.themes["theme_id"]]
        out = self.table.set_index("speaker")[cols]
        out.columns = pd.Index(self.themes["theme"].tolist(), name="theme")
        return out

    def segments(self) -> pd.DataFrame:
        """Speaker (rows) by theme name (columns): coded segments."""
        cols = [f"segments_{_safe_column(t)}" for t in self.themes["theme_id"]]
        out = self.table.set_index("speaker")[cols]
        out.columns = pd.Index(self.themes["theme"].tolist(), name="theme")
        return out


def case_matrix(trial: TrialData, qual: QualData, *, coder: str | None = None,
                definition: str = "first", rule: str = outcomes.PRIMARY_RULE,
                level: str = "theme") -> CaseMatrix:
    """Join interviewed patients' themes to their trial outcomes (see :class:`CaseMatrix`).

    A patient interviewed more than once is one row (segments summed, present if in any
    interview). ``coder``: whose codings count (default: the first coder label). ``level``:
    ``"subtheme"`` (or ``"code"``) gives one presence/segments pair per subtheme instead; at
    subtheme level codings made directly at theme level are left out.
    """
    coder = _coder(qual, coder)
    seg, themes = _theme_cells(qual, coder, level)
    people = _interviewees(qual)
    notes: list[str] = []
    coded = set(qual.codings.loc[qual.codings["coder"].astype(str) == coder, "interview_id"]
                .astype(str))
    patients = people[people["stakeholder_group"] == "patient"].copy()
    if patients.empty:
        notes.append("no patient interviews in the qualitative data: the case matrix is empty")
    uncoded = patients.loc[~patients["interview_id"].isin(coded), "speaker"].unique().tolist()
    if uncoded:
        notes.append(f"not coded by {coder}, so every theme shows as absent: "
                     + ", ".join(uncoded))
    patients["key"] = patients["participant_id"].where(patients["participant_id"].notna(),
                                                       patients["interview_id"])
    theme_cols = seg.loc[patients["interview_id"]].to_numpy()
    by_key = pd.DataFrame(theme_cols, columns=themes["theme_id"]).assign(
        key=patients["key"].to_numpy()).groupby("key", sort=False).sum()
    first = patients.drop_duplicates("key").set_index("key")
    trial_rows = outcome_frame(trial, definition=definition, rule=rule).set_index(
        "participant_id")
    labels = practice_labels(trial.practices["practice_id"])
    rows = []
    for key, person in first.iterrows():
        pid = person["participant_id"]
        known = pid is not None and pid in trial_rows.index
        if pid is None:
            notes.append(f"{person['speaker']}: patient interview without a trial participant "
                         "id, so no outcomes (fix: add the id to interviews or as a case "
                         "variable of the .qdpx)")
        elif not known:
            notes.append(f"{person['speaker']}: participant id not found in the trial's "
                         "participants table, so no outcomes (fix: check the id)")
        t = trial_rows.loc[pid] if known else None
        row = {"speaker": person["speaker"]}
        for col in ("arm", "sex", "age_band", "condition_group"):
            row[col] = t[col] if known else None
        row["practice"] = labels.get(t["practice_id"]) if known else None
        for col in ("days_absent", "rtw_event", "rtw_lower", "rtw_upper", "rtw_days",
                    "vsw_contacts"):
            row[col] = t[col] if known else np.nan
        row["in_trial"] = bool(known)
        if known and t["arm"] != ARMS[1]:
            notes.append(f"{person['speaker']}: interviewed patient is in the {t['arm']} arm "
                         "(the interview study sampled the intervention arm)")
        for theme in themes["theme_id"]:
            n = int(by_key.loc[key, theme])
            row[f"present_{_safe_column(theme)}"] = n > 0
            row[f"segments_{_safe_column(theme)}"] = n
        rows.append(row)
    fixed = ["speaker", "arm", "practice", "sex", "age_band", "condition_group", "days_absent",
             "rtw_event", "rtw_lower", "rtw_upper", "rtw_days", "vsw_contacts", "in_trial"]
    theme_columns = [f"{kind}_{_safe_column(t)}" for t in themes["theme_id"]
                     for kind in ("present", "segments")]
    table = pd.DataFrame(rows, columns=fixed + theme_columns)
    table = table.sort_values("speaker", kind="stable").reset_index(drop=True)
    table["rtw_event"] = table["rtw_event"].astype("boolean")
    table["vsw_contacts"] = table["vsw_contacts"].astype("Int64")
    for theme, name in zip(themes["theme_id"], themes["theme"], strict=True):
        if not table[f"present_{_safe_column(theme)}"].any():
            notes.append(f"{level} {theme} ({name}): no interviewed patient expressed it")
    return CaseMatrix(table, themes, tuple(notes), coder, definition, level)


def style_case_matrix(cases: CaseMatrix):
    """The case matrix as a pandas Styler: segment counts shaded, theme names as headers."""
    shown = cases.table.drop(columns=[c for c in cases.table if c.startswith("present_")])
    rename = {f"segments_{_safe_column(t)}": n
              for t, n in zip(cases.themes["theme_id"], cases.themes["theme"], strict=True)}
    shown = shown.rename(columns=rename)
    theme_names = list(rename.values())
    styler = shown.style.hide(axis="index").format(precision=0, na_rep="")
    if len(shown) and theme_names:
        styler = styler.background_gradient(cmap="Blues", subset=theme_names, vmin=0)
    return styler


# --- quantitative findings ---------------------------------------------------------------------

def _mean_sd(values: pd.Series) -> tuple[int, float, float]:
    v = values.dropna().astype(float)
    return int(v.size), float(v.mean()) if v.size else np.nan, \
        float(v.std(ddof=1)) if v.size > 1 else np.nan


def quantitative_findings(trial: TrialData, *, definition: str = "first",
                          rule: str = outcomes.PRIMARY_RULE) -> pd.DataFrame:
    """The trial-level findings a theme can sit beside, computed from the trial tables.

    One row per key of :data:`FINDINGS`: ``finding``, ``label``, ``statistic`` (what the values
    are), ``n_usual_care``, ``value_usual_care``, ``n_vocational_support``,
    ``value_vocational_support``, ``difference`` (vocational support minus usual care; NaN where
    it does not apply) and ``summary`` (the same numbers in words). Changes are unadjusted mean
    changes of participants with both values (descriptive; the ANCOVA is in ``effects``).
    """
    f = outcome_frame(trial, definition=definition, rule=rule)
    arms = {a: f[f["arm"] == a] for a in ARMS}
    label = {a: ARM_LABELS[a].lower() for a in ARMS}
    rows = []

    def by_arm(key: str, column: str, statistic: str, digits: int, sign: bool, unit: str = ""):
        stats = {a: _mean_sd(arms[a][column]) for a in ARMS}
        diff = stats[ARMS[1]][1] - stats[ARMS[0]][1]
        parts = [f"{label[a]} {_fmt(stats[a][1], digits, sign)}{unit} "
                 f"(SD {_fmt(stats[a][2], digits)}, n {stats[a][0]})" for a in ARMS[::-1]]
        summary = (f"{statistic}: " + "; ".join(parts)
                   + f"; difference {_fmt(diff, digits, True)}{unit} (unadjusted)")
        rows.append({"finding": key, "statistic": statistic,
                     "n_usual_care": stats[ARMS[0]][0], "value_usual_care": stats[ARMS[0]][1],
                     "n_vocational_support": stats[ARMS[1]][0],
                     "value_vocational_support": stats[ARMS[1]][1], "difference": diff,
                     "summary": summary})

    by_arm("rtwse_change", "rtwse_change", "mean change in RTWSE-11", 2, True)
    vs = arms[ARMS[1]]
    c = trial.vsw_contacts
    any_contact = vs["vsw_contacts"] > 0
    with_contact = vs.loc[any_contact, "vsw_contacts"]
    modes = c["mode"].astype(str).value_counts(normalize=True)
    mode_text = ", ".join(f"{m} {share:.0%}" for m, share in modes.sort_index().items())
    minutes = c["minutes"].astype(float)
    rng = (f"range {int(with_contact.min())}-{int(with_contact.max())}"
           if len(with_contact) else "no contacts")
    rows.append({
        "finding": "vsw_contacts", "statistic": "mean contacts per participant with any",
        "n_usual_care": 0, "value_usual_care": np.nan,
        "n_vocational_support": int(any_contact.sum()),
        "value_vocational_support": float(with_contact.mean()) if len(with_contact) else np.nan,
        "difference": np.nan,
        "summary": (f"{int(any_contact.sum())}/{len(vs)} intervention-arm participants had at "
                    f"least one VSW contact; mean {_fmt(float(with_contact.mean()) if len(with_contact) else np.nan)} "  # noqa: E501
                    f"contacts ({rng}); modes: {mode_text or 'none'}; median "
                    f"{_fmt(float(minutes.median()) if len(minutes) else np.nan, 0)} minutes "
                    "per contact"),
    })
    by_arm("days_absent", "days_absent", "mean days absent over 6 months", 1, False)
    ret = {a: (int(arms[a]["rtw_event"].sum()), len(arms[a])) for a in ARMS}
    share = {a: ret[a][0] / ret[a][1] if ret[a][1] else np.nan for a in ARMS}
    what = "first return" if definition == "first" else "sustained return"
    rows.append({
        "finding": "return_to_work", "statistic": f"share reporting a {what} within 6 months",
        "n_usual_care": ret[ARMS[0]][1], "value_usual_care": share[ARMS[0]],
        "n_vocational_support": ret[ARMS[1]][1], "value_vocational_support": share[ARMS[1]],
        "difference": share[ARMS[1]] - share[ARMS[0]],
        "summary": f"{what} to work reported within 6 months: " + "; ".join(
            f"{label[a]} {ret[a][0]}/{ret[a][1]} ({_fmt(100 * share[a], 0)}%)"
            for a in ARMS[::-1]),
    })
    by_arm("eq5d_change", "eq5d_change", "mean change in EQ-5D-5L index", 3, True)
    by_arm("productivity", "productivity_6m", "mean productivity loss at 6 months", 0, False,
           " GBP")
    out = pd.DataFrame(rows)
    out.insert(1, "label", out["finding"].map(FINDINGS))
    return out


# --- the analyst's meta-inferences -----------------------------------------------------------

def read_inferences(path, *, theme_ids: Sequence[str] | None = None) -> dict[str, dict]:
    """Read the meta-inference parameter file: YAML mapping theme code_id ->
    ``{inference: confirms|expands|diverges, note: text, finding: key}`` (``note`` and
    ``finding`` optional; ``finding`` one of :data:`FINDINGS`).

    ``path`` may be empty (no file: every theme is "not yet assessed"). With ``theme_ids``,
    a key that is not one of them is an error. Errors name the file and the key.
    """
    if path is None or str(path) == "":
        return {}
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"inferences file {path} not found (fix: create it or pass "
                             "inferences_file='' to leave every theme 'not yet assessed')")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ParameterError(f"{path.name}: not valid YAML ({err})") from None
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ParameterError(f"{path.name}: must be a mapping of theme code_id to "
                             "{inference, note}; got a " + type(raw).__name__)
    known = None if theme_ids is None else [str(t) for t in theme_ids]
    out: dict[str, dict] = {}
    for key, value in raw.items():
        key = str(key)
        where = f"{path.name}: theme {key!r}"
        if known is not None and key not in known:
            raise ParameterError(f"{where} is not a theme of the codebook (themes: "
                                 f"{', '.join(known)}); fix the code_id or remove the entry")
        if isinstance(value, str):
            value = {"inference": value}
        if not isinstance(value, Mapping):
            raise ParameterError(f"{where} must map to {{inference: ..., note: ...}}; got "
                                 f"{value!r}")
        extra = [k for k in value if k not in _INFERENCE_KEYS]
        if extra:
            raise ParameterError(f"{where} has unknown field(s) {', '.join(map(str, extra))}; "
                                 f"allowed: {', '.join(_INFERENCE_KEYS)}")
        inference = value.get("inference")
        if inference not in INFERENCES:
            raise ParameterError(f"{where}: inference must be one of {', '.join(INFERENCES)}; "
                                 f"got {inference!r}")
        finding = value.get("finding")
        if finding is not None and finding not in FINDINGS:
            raise ParameterError(f"{where}: finding must be one of {', '.join(FINDINGS)}; got "
                                 f"{finding!r}")
        note = value.get("note")
        out[key] = {"inference": inference, "note": "" if note is None else str(note).strip(),
                    "finding": finding}
    return out


# --- joint display ------------------------------------------------------------------------------

def _exemplar(rows: pd.DataFrame) -> tuple[str, str]:
    """Longest segment under QUOTE_MAX characters, patient group first; else the shortest one
    cut at a word boundary. Deterministic: ties keep quotes() order."""
    if rows.empty:
        return "", ""
    order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
    rows = rows.assign(_text=[" ".join(str(t).split()) for t in rows["text"]])
    rows = rows.assign(_len=rows["_text"].str.len(),
                       _g=rows["stakeholder_group"].map(order).fillna(len(order)))
    for _, group in rows.groupby("_g", sort=True):
        fits = group[group["_len"] <= QUOTE_MAX]
        if len(fits):
            best = fits.iloc[int(np.argmax(fits["_len"].to_numpy()))]
            return best["_text"], best["speaker"]
    best = rows.iloc[int(np.argmin(rows["_len"].to_numpy()))]
    cut = best["_text"][:QUOTE_MAX].rsplit(" ", 1)[0]
    return cut + " …", best["speaker"]


def _describe_values(values: pd.Series, unit: str = "") -> str:
    v = values.dropna().astype(float)
    if v.empty:
        return "n/a"
    return f"median {v.median():.0f}{unit} (range {v.min():.0f}-{v.max():.0f})"


@dataclass(frozen=True)
class JointDisplay:
    """Themes (rows) x integration columns.

    ``table`` columns: theme_id, theme; per stakeholder group ``<group>_n`` (interviewees with
    the theme), ``<group>_of`` (interviewees in the group) and ``<group>_share``; exemplar_quote,
    exemplar_speaker; finding (key), quantitative_finding (computed text);
    interviewee_outcomes (days absent of interviewed patients with and without the theme);
    meta_inference and inference_note (from the analyst's file, "not yet assessed" when absent).
    """

    table: pd.DataFrame
    notes: tuple[str, ...]
    coder: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def display_frame(self) -> pd.DataFrame:
        """A reader's version: 'n/N (share)' per group and text columns, no keys."""
        t = self.table
        out = pd.DataFrame({"Theme": t["theme"]})
        for g in STAKEHOLDER_GROUPS:
            head = qualitative.GROUP_LABELS.get(g, g)
            out[head] = [f"{n}/{of} ({s:.0%})" if of else "no interviews"
                         for n, of, s in zip(t[f"{g}_n"], t[f"{g}_of"], t[f"{g}_share"],
                                             strict=True)]
        out["Exemplar quote"] = [f"\u201c{q}\u201d ({s})" if q else "no coded segment"
                                 for q, s in zip(t["exemplar_quote"], t["exemplar_speaker"],
                                                 strict=True)]
        out["Quantitative finding"] = t["quantitative_finding"]
        out["Interviewed patients' days absent"] = t["interviewee_outcomes"]
        out["Meta-inference"] = [i if not n else f"{i}: {n}" for i, n in
                                 zip(t["meta_inference"], t["inference_note"], strict=True)]
        return out

    def to_markdown(self) -> str:
        frame = self.display_frame().astype(str)
        cell = lambda s: s.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |",
                 "|" + "---|" * frame.shape[1]]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |"
                  for row in frame.itertuples(index=False)]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        return self.display_frame().to_html(index=False, border=0, escape=True) + "\n"


def joint_display(trial: TrialData, qual: QualData, *, inferences: Mapping[str, Mapping] |
                  None = None, coder: str | None = None, definition: str = "first",
                  rule: str = outcomes.PRIMARY_RULE,
                  cases: CaseMatrix | None = None) -> JointDisplay:
    """The joint display: every codebook theme with its counts per stakeholder group (every
    group in ``config.STAKEHOLDER_GROUPS`` gets columns, zero when it has no interviews), an
    exemplar quote, the linked quantitative finding and the analyst's meta-inference.

    ``inferences``: from :func:`read_inferences`; themes absent from it show
    :data:`NOT_ASSESSED` and the quantitative finding "not linked". ``cases``: a case matrix to
    reuse (else built here).
    """
    coder = _coder(qual, coder)
    inferences = dict(inferences or {})
    themes = theme_table(qual)
    unknown = [k for k in inferences if k not in set(themes["theme_id"])]
    if unknown:
        raise ParameterError(f"inferences name theme(s) {', '.join(unknown)} that are not themes "
                             f"of the codebook (themes: {', '.join(themes['theme_id'])})")
    notes: list[str] = []
    table = themes.copy()
    people = _interviewees(qual)
    people["key"] = people["participant_id"].where(people["participant_id"].notna(),
                                                   people["interview_id"])
    seg, _ = _theme_cells(qual, coder)
    for g in STAKEHOLDER_GROUPS:
        sub = people[people["stakeholder_group"] == g]
        present = (seg.loc[sub["interview_id"]] > 0).to_numpy()
        has = pd.DataFrame(present, columns=themes["theme_id"]).groupby(
            sub["key"].to_numpy()).any()
        n_in = int(sub["key"].nunique())
        n = has.sum(axis=0).reindex(themes["theme_id"]).fillna(0).astype("int64").to_numpy() \
            if n_in else np.zeros(len(themes), dtype="int64")
        table[f"{g}_n"] = n
        table[f"{g}_of"] = n_in
        table[f"{g}_share"] = n / n_in if n_in else np.nan
        if not n_in:
            notes.append(f"no {qualitative.GROUP_LABELS.get(g, g)} interviews: their columns "
                         "are empty")
    coded = qual.codings["coder"].astype(str) == coder
    quotes = (qualitative.quotes(qual, coder=coder, context=0) if coded.any()
              else pd.DataFrame(columns=["theme_id", "stakeholder_group", "speaker", "text"]))
    ex = [_exemplar(quotes[quotes["theme_id"] == t]) for t in themes["theme_id"]]
    table["exemplar_quote"] = [q for q, _ in ex]
    table["exemplar_speaker"] = [s for _, s in ex]
    findings = quantitative_findings(trial, definition=definition, rule=rule).set_index("finding")
    keys = [inferences.get(t, {}).get("finding") for t in themes["theme_id"]]
    table["finding"] = keys
    table["quantitative_finding"] = [
        f"{FINDINGS[k]}: {findings.loc[k, 'summary']}" if k else "not linked" for k in keys]
    if cases is None or cases.level != "theme" or cases.coder != coder:
        cases = case_matrix(trial, qual, coder=coder, definition=definition, rule=rule)
    summary = []
    for t in themes["theme_id"]:
        present = cases.table[f"present_{_safe_column(t)}"].astype(bool)
        days = cases.table["days_absent"]
        summary.append(f"with theme n {int(present.sum())}: {_describe_values(days[present])}; "
                       f"without n {int((~present).sum())}: {_describe_values(days[~present])}")
    table["interviewee_outcomes"] = summary
    table["meta_inference"] = [inferences.get(t, {}).get("inference", NOT_ASSESSED)
                               for t in themes["theme_id"]]
    table["inference_note"] = [inferences.get(t, {}).get("note", "") for t in themes["theme_id"]]
    for t, name in zip(themes["theme_id"], themes["theme"], strict=True):
        if not sum(int(table.loc[table["theme_id"] == t, f"{g}_n"].iloc[0])
                   for g in STAKEHOLDER_GROUPS):
            notes.append(f"theme {t} ({name}): no interviewee expressed it")
    missing = [t for t in themes["theme_id"] if t not in inferences]
    if missing:
        notes.append(f"{NOT_ASSESSED}: {', '.join(missing)}")
    return JointDisplay(table, tuple(notes), coder)


def save_joint_display(joint: JointDisplay, name: str, *, folder) -> list[Path]:
    """Write ``name.csv`` (every computed column, for other tools), ``name.md`` and ``name.html``
    (the reader's version) atomically; return the paths."""
    from wave_analysis.outputs import save_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = save_table(joint.to_frame(), name, folder=folder, formats=("csv",))
    for ext, text in (("md", joint.to_markdown()), ("html", joint.to_html())):
        path = folder / f"{name}.{ext}"
        _atomic.write_text(path, text)
        written.append(path)
    return written


# --- themes against outcomes -------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeOutcomes:
    """Outcomes of interviewed patients with and without each theme (descriptive only).

    ``table``: one row per theme x presence ("with theme" / "without theme"): n, days absent
    n/min/median/max, returned (events) and censored counts, return-to-work days min/median/max
    among those who returned. ``points``: the per-patient values behind the strip plot
    (participant-level: speaker labels only). No test is made: with about ten interviewees a
    p-value would mean nothing.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    note: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


NO_TEST_NOTE = ("Descriptive only: counts and ranges of the interviewed patients' outcomes by "
                "whether they expressed the theme. No statistical test is made; with this few "
                "purposively sampled interviewees a p-value would carry no meaning.")


def theme_outcomes(cases: CaseMatrix, *, contrasting: bool = False) -> ThemeOutcomes:
    """Per theme, outcomes of interviewed patients who expressed it beside those who did not.

    ``contrasting=True`` keeps only the units some, but not all, interviewed patients in the
    trial expressed (useful at code level, where most rows would otherwise be one-sided).
    """
    t = cases.table[cases.table["in_trial"]]
    rows, points = [], []
    for theme, name in zip(cases.themes["theme_id"], cases.themes["theme"], strict=True):
        present = t[f"present_{_safe_column(theme)}"].astype(bool)
        if contrasting and present.nunique() < 2:
            continue
        for flag, label in ((True, "with theme"), (False, "without theme")):
            sub = t[present == flag]
            days = sub["days_absent"].dropna().astype(float)
            event = sub["rtw_event"].fillna(False).astype(bool)
            rtw = sub.loc[event, "rtw_days"].astype(float)
            rows.append({
                "theme_id": theme, "theme": name, "group": label, "n": len(sub),
                "days_absent_n": int(days.size),
                "days_absent_min": days.min() if days.size else np.nan,
                "days_absent_median": days.median() if days.size else np.nan,
                "days_absent_max": days.max() if days.size else np.nan,
                "returned": int(event.sum()), "censored": int((~event).sum()),
                "rtw_days_min": rtw.min() if rtw.size else np.nan,
                "rtw_days_median": rtw.median() if rtw.size else np.nan,
                "rtw_days_max": rtw.max() if rtw.size else np.nan,
            })
            points.append(pd.DataFrame({
                "theme_id": theme, "theme": name, "present": flag,
                "speaker": sub["speaker"].to_numpy(),
                "days_absent": sub["days_absent"].astype(float).to_numpy(),
                "rtw_days": sub["rtw_days"].astype(float).to_numpy(),
                "rtw_event": sub["rtw_event"].fillna(False).astype(bool).to_numpy(),
            }))
    table = pd.DataFrame(rows, columns=[
        "theme_id", "theme", "group", "n", "days_absent_n", "days_absent_min",
        "days_absent_median", "days_absent_max", "returned", "censored", "rtw_days_min",
        "rtw_days_median", "rtw_days_max"])
    pts = (pd.concat(points, ignore_index=True) if points else
           pd.DataFrame(columns=["theme_id", "theme", "present", "speaker", "days_absent",
                                 "rtw_days", "rtw_event"]))
    return ThemeOutcomes(table, pts, NO_TEST_NOTE)


def _offsets(values: np.ndarray, step: float) -> np.ndarray:
    """Deterministic vertical offsets spreading equal values (no random jitter)."""
    out = np.zeros(len(values))
    seen: dict[float, int] = {}
    for i, v in enumerate(np.round(values, 6)):
        k = seen.get(v, 0)
        seen[v] = k + 1
        out[i] = ((k + 1) // 2) * step * (1 if k % 2 else -1)
    return out


def plot_theme_outcomes(result: ThemeOutcomes) -> Figure:
    """Strip plots of days absent and return-to-work time by theme, coloured by presence.

    Censored return-to-work times are open circles at the censoring day. Counts per side are
    written beside each theme; the caption states that no test is made.
    """
    themes = list(dict.fromkeys(result.table["theme"]))
    fig = Figure(figsize=(11, 1.4 + 0.6 * max(1, len(themes))))
    axes = fig.subplots(1, 2, sharey=True)
    colours = {True: "#1b7837", False: "#bababa"}
    ypos = {t: i for i, t in enumerate(themes)}
    pts = result.points
    for ax, column, title in ((axes[0], "days_absent", "Days absent over 6 months"),
                              (axes[1], "rtw_days", "Days to return to work")):
        for flag, shift in ((True, -0.18), (False, 0.18)):
            sub = pts[(pts["present"] == flag) & pts[column].notna()]
            for theme, grp in sub.groupby("theme", sort=False):
                vals = grp[column].to_numpy(dtype=float)
                y = ypos[theme] + shift + _offsets(vals, 0.06)
                if column == "rtw_days":
                    ev = grp["rtw_event"].to_numpy(dtype=bool)
                    ax.scatter(vals[ev], y[ev], color=colours[flag], s=28, zorder=3)
                    ax.scatter(vals[~ev], y[~ev], facecolors="none", edgecolors=colours[flag],
                               s=28, zorder=3)
                else:
                    ax.scatter(vals, y, color=colours[flag], s=28, zorder=3)
        ax.set_xlim(-5, WINDOW_DAYS + 5)
        ax.set_title(title)
        ax.set_xlabel("days")
    tab = result.table.set_index(["theme", "group"])
    axes[0].set_yticks(range(len(themes)), [
        f"{t}\n(with {int(tab.loc[(t, 'with theme'), 'n'])}, "
        f"without {int(tab.loc[(t, 'without theme'), 'n'])})" for t in themes])
    axes[0].set_ylim(len(themes) - 0.5, -0.5)
    handles = [Line2D([], [], marker="o", ls="", color=colours[True], label="theme expressed"),
               Line2D([], [], marker="o", ls="", color=colours[False], label="not expressed"),
               Line2D([], [], marker="o", ls="", mfc="none", mec="#555555",
                      label="censored (no return seen)")]
    fig.legend(handles=handles, loc="upper center", ncol=3, frameon=False)
    fig.text(0.01, 0.005, "Descriptive only; no test is made.", fontsize=8, ha="left",
             va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 0.93))
    return fig


def plot_case_matrix(cases: CaseMatrix) -> Figure:
    """Heatmap of segments per interviewed patient and theme, beside their days absent."""
    seg = cases.segments()
    n = max(1, len(seg))
    fig = Figure(figsize=(3.5 + 0.9 * max(1, seg.shape[1]), 1.6 + 0.42 * n))
    grid = fig.add_gridspec(1, 2, width_ratios=[max(1, seg.shape[1]), 2.2])
    ax = fig.add_subplot(grid[0])
    qualitative.plot_heatmap(seg, ax=ax, colorbar_label="coded segments",
                             title="Themes by interviewed patient")
    ax.grid(False)  # explicit: the style's grid would otherwise depend on call order
    ax.set_xlabel("theme")
    bar = fig.add_subplot(grid[1], sharey=ax)
    days = cases.table["days_absent"].astype(float).to_numpy()
    bar.barh(range(len(days)), np.nan_to_num(days), color="#1b7837")
    for i, (d, ev) in enumerate(zip(days, cases.table["rtw_event"], strict=True)):
        text = ("no trial record" if np.isnan(d) else
                "returned" if not pd.isna(ev) and bool(ev) else "no return seen")
        bar.text(2, i, text, va="center", fontsize=7, color="black")
    bar.set_xlim(0, WINDOW_DAYS)
    bar.grid(False)
    bar.grid(True, axis="x", color="#cccccc")
    bar.set_xlabel("days absent (6 months)")
    bar.tick_params(labelleft=False)
    fig.tight_layout()
    return fig


# --- how representative were the interviewees? -------------------------------------------------

@dataclass(frozen=True)
class Representativeness:
    """Interviewed patients vs the rest of the intervention arm vs the usual-care arm.

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
        cell = []
        for r in t.itertuples(index=False):
            if r.characteristic not in _NUMERIC_LABELS:
                cell.append(f"{r.n}/{r.denominator} ({r.percent:.0f}%)" if r.denominator
                            else "0/0")
            elif r.n == 0:
                cell.append("no values")
            else:
                d = _DIGITS.get(r.characteristic, 0)
                cell.append(f"{_fmt(r.mean, max(d, 1))} ({_fmt(r.sd, max(d, 1))}); median "
                            f"{r.median:.{d}f} [{r.min:.{d}f} to {r.max:.{d}f}] (n {r.n})")
        wide = t.assign(cell=cell).pivot_table(index=["characteristic", "level"],
                                               columns="comparison", values="cell",
                                               aggfunc="first", sort=False)
        wide = wide.reindex(columns=list(COMPARISON_GROUPS)).fillna("")
        wide.columns = [COMPARISON_GROUPS[c] for c in wide.columns]
        return wide.reset_index()


_CATEGORICAL = (("sex", "Sex"), ("age_band", "Age band"), ("condition_group", "Condition group"),
                ("absence_band", "Baseline absence"), ("returned", "Return to work by 6 months"),
                ("practice", "Practice"))
_NUMERIC = (("age", "Age (years)"), ("days_absent_baseline", "Days off before randomisation"),
            ("rtwse_baseline", "RTWSE-11 at baseline"), ("eq5d_baseline", "EQ-5D-5L at baseline"),
            ("days_absent", "Days absent over 6 months"), ("vsw_contacts", "VSW contacts"))
_NUMERIC_LABELS = {label for _, label in _NUMERIC}
_DIGITS = {"RTWSE-11 at baseline": 2, "EQ-5D-5L at baseline": 3}  # others: whole numbers


def representativeness(trial: TrialData, qual: QualData, *, definition: str = "first",
                       rule: str = outcomes.PRIMARY_RULE) -> Representativeness:
    """Coverage of the purposive sample: interviewed patients against the rest of the
    intervention arm and the usual-care arm (see :class:`Representativeness`)."""
    f = outcome_frame(trial, definition=definition, rule=rule)
    people = _interviewees(qual)
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
                          np.where(f["arm"] == ARMS[1], "other_intervention", "usual_care"))
    if (interviewed & (f["arm"] != ARMS[1])).any():
        notes.append("some interviewed patients are in the usual-care arm; they are counted "
                     "as interviewed")
    what = "returned" if definition == "first" else "sustained return"
    f = f.assign(comparison=comparison,
                 practice=f["practice_id"].map(practice_labels(trial.practices["practice_id"])),
                 returned=np.where(f["rtw_event"], what, "not returned"))
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
    for column, label in _NUMERIC:
        for comp in COMPARISON_GROUPS:
            if column == "vsw_contacts" and comp == "usual_care":
                continue  # usual care had no VSW: a row of zeros would mislead
            v = f.loc[f["comparison"] == comp, column].dropna().astype(float)
            rows.append({"characteristic": label, "level": "", "comparison": comp,
                         "n": int(v.size), "denominator": int(v.size), "percent": np.nan,
                         "mean": v.mean() if v.size else np.nan,
                         "sd": v.std(ddof=1) if v.size > 1 else np.nan,
                         "median": v.median() if v.size else np.nan,
                         "min": v.min() if v.size else np.nan,
                         "max": v.max() if v.size else np.nan})
    table = pd.DataFrame(rows, columns=["characteristic", "level", "comparison", "n",
                                        "denominator", "percent", "mean", "sd", "median", "min",
                                        "max"])
    if not interviewed.any():
        notes.append("no interviewed patient could be matched to the trial")
    return Representativeness(table, tuple(notes))


def plot_representativeness(result: Representativeness) -> Figure:
    """Percent of each group in each category (one panel per characteristic)."""
    t = result.table[~result.table["characteristic"].isin(_NUMERIC_LABELS)]
    chars = list(dict.fromkeys(t["characteristic"]))
    ncols = 3
    nrows = max(1, math.ceil(len(chars) / ncols))
    fig = Figure(figsize=(4.2 * ncols, 3.0 * nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    colours = {"interviewed": "#1b7837", "other_intervention": "#a6dba0",
               "usual_care": "#7f7f7f"}
    width = 0.8 / len(COMPARISON_GROUPS)
    for ax, char in zip(axes, chars, strict=False):
        sub = t[t["characteristic"] == char]
        levels = list(dict.fromkeys(sub["level"]))
        for k, comp in enumerate(COMPARISON_GROUPS):
            vals = sub[sub["comparison"] == comp].set_index("level")["percent"].reindex(levels)
            ax.barh(np.arange(len(levels)) + (k - 1) * width, vals.fillna(0).to_numpy(),
                    height=width, color=colours[comp], label=COMPARISON_GROUPS[comp])
        ax.set_yticks(range(len(levels)), levels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of group")
        ax.set_title(char, fontsize=10)
    for ax in axes[len(chars):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


# --- privacy check ------------------------------------------------------------------------------

def find_identifiers(frame: pd.DataFrame | str, *, trial: TrialData | None = None,
                     qual: QualData | None = None) -> list[str]:
    """Identifiers found in a frame or text that must not reach a shared output: trial
    participant ids, practice ids and names, interview ids, transcript file names and ISO dates.
    Returns the distinct offending strings (empty when clean)."""
    text = frame if isinstance(frame, str) else frame.to_csv(index=False) + " ".join(
        map(str, frame.columns))
    banned: set[str] = set()
    if trial is not None:
        banned |= set(trial.participants["participant_id"].astype(str))
        banned |= set(trial.practices["practice_id"].astype(str))
        banned |= set(trial.practices["practice_name"].astype(str))
    if qual is not None:
        banned |= set(qual.interviews["interview_id"].astype(str))
        banned |= set(qual.interviews["transcript_file"].astype(str))
        banned |= {str(p) for p in qual.interviews["participant_id"].dropna()}
        banned |= {str(p) for p in qual.interviews["practice_id"].dropna()}
    found = sorted({b for b in banned if b and re.search(
        rf"(?<![A-Za-z0-9_-]){re.escape(b)}(?![A-Za-z0-9_-])", text)})
    return found + sorted(set(_DATE.findall(text)))
