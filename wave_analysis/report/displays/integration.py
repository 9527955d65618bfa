"""Display tables of notebook 07 (mixed-methods integration: case matrix, joint display, themes
against outcomes, representativeness of the interviewees, the trial findings)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wave_analysis.design import ARM_LABELS, ARMS, GROUP_LABELS, STAKEHOLDER_GROUPS, label
from wave_analysis.report.displays.base import (
    make,
    num,
    plain,
    source,
    text,
    tidy,
    txt,
    yes_no,
)
from wave_analysis.report.format import (
    MISSING,
    fmt_count_pct,
    fmt_int,
    fmt_mean_sd,
    fmt_number,
    is_missing,
)
from wave_analysis.report.table import DisplayTable, Row

_NB = "07_mixed_methods"
_COMPARISONS = {"interviewed": "Interviewed patients",
                "other_intervention": "Rest of intervention arm",
                ARMS[0]: f"{ARM_LABELS[ARMS[0]]} arm"}


def case_matrix(frame: pd.DataFrame, *, names: Mapping[str, str] | None = None) -> DisplayTable:
    """One row per interviewed patient: characteristics, outcomes and segments per theme
    (participant-level; searchable). ``names``: theme id -> name for the headers."""
    f = tidy(frame, required=("speaker", "arm", "practice", "sex", "age_band", "condition_group",
                              "days_absent", "rtw_event", "rtw_lower", "rtw_upper",
                              "vsw_contacts"), table="case matrix")
    themes = [c.removeprefix("segments_") for c in f.columns if c.startswith("segments_")]
    names = dict(names or {})
    rows = []
    for r in f.to_dict("records"):
        interval = f"{fmt_number(r['rtw_lower'], 0)} to {fmt_number(r['rtw_upper'], 0)}" \
            if not is_missing(r["rtw_lower"]) else MISSING
        rows.append(Row((plain(r["speaker"]), text(r["arm"]), plain(r["practice"]),
                         text(r["sex"]), plain(r["age_band"]), text(r["condition_group"]),
                         fmt_number(r["days_absent"], 0), yes_no(r["rtw_event"]), interval,
                         fmt_int(r["vsw_contacts"]),
                         *[fmt_int(r[f"segments_{t}"]) for t in themes])))
    columns = [txt("speaker", "Speaker"), txt("arm", "Arm"), txt("practice", "Practice"),
               txt("sex", "Sex"), txt("age_band", "Age band"),
               txt("condition_group", "Condition"), num("days_absent", "Days absent"),
               txt("rtw_event", "Returned"), num("rtw_interval", "Return interval (days)"),
               num("vsw_contacts", "VSW contacts"),
               *[num(f"segments_{t}", names.get(t, t), group="Coded segments per theme")
                 for t in themes]]
    return make("07_case_matrix", "Case matrix: interviewed patients' characteristics, outcomes "
                "and themes", columns, rows, interactive=True, participant_level=True,
                orientation="landscape",
                source_note=source("Interviews joined to the trial data on participant id", _NB),
                footnotes=("Return interval: the fortnight (days after randomisation) in which "
                           "a return to work was seen; for no return, the last interval known "
                           "off work.", "Participant-level: for the research team only."))


def joint_display(frame: pd.DataFrame) -> DisplayTable:
    """Themes as rows: interviewees with the theme per stakeholder group, an exemplar quote, the
    linked trial finding, interviewees' outcomes and the meta-inference."""
    f = tidy(frame, required=("theme", "exemplar_quote", "exemplar_speaker",
                              "quantitative_finding", "interviewee_outcomes", "meta_inference"),
             table="joint display")
    groups = [g for g in STAKEHOLDER_GROUPS if f"{g}_n" in f.columns]
    rows = []
    for r in f.to_dict("records"):
        shares = [f"{fmt_int(r[f'{g}_n'])}/{fmt_int(r[f'{g}_of'])}" for g in groups]
        quote = plain(r["exemplar_quote"])
        if quote and plain(r["exemplar_speaker"]):
            quote = f"“{quote}” ({plain(r['exemplar_speaker'])})"
        rows.append(Row((plain(r["theme"]), *shares, quote, plain(r["quantitative_finding"]),
                         plain(r["interviewee_outcomes"]), text(r["meta_inference"]))))
    columns = [txt("theme", "Theme"),
               *[num(f"{g}_n", GROUP_LABELS.get(g, label(g)), group="Interviewees with theme")
                 for g in groups],
               txt("exemplar_quote", "Exemplar quote"),
               txt("quantitative_finding", "Trial finding"),
               txt("interviewee_outcomes", "Days absent of interviewees"),
               txt("meta_inference", "Meta-inference")]
    return make("07_joint_display", "Joint display: themes beside trial findings", columns, rows,
                participant_level=True, orientation="landscape",
                source_note=source("Theme counts, trial findings and the analyst's "
                                   "meta-inferences (inferences file)", _NB),
                footnotes=("Exemplar quotes are verbatim interview text: for the research team "
                           "only.",))


def theme_outcomes(frame: pd.DataFrame, *, name: str = "07_theme_outcomes") -> DisplayTable:
    """Outcomes of interviewees with and without each theme (descriptive)."""
    f = tidy(frame, required=("theme", "group", "n", "days_absent_n", "days_absent_min",
                              "days_absent_median", "days_absent_max", "returned", "censored",
                              "rtw_days_median", "rtw_days_min", "rtw_days_max"),
             table="theme outcomes")
    rows = [Row((plain(r["group"]).capitalize(), fmt_int(r["n"]),
                 _median_range(r, "days_absent"), fmt_int(r["days_absent_n"]),
                 fmt_int(r["returned"]), fmt_int(r["censored"]), _median_range(r, "rtw_days")),
                plain(r["theme"])) for r in f.to_dict("records")]
    columns = [txt("group", "Interviewees"), num("n", "n"),
               num("days_absent", "Median (range)", group="Days absent"),
               num("days_absent_n", "n", group="Days absent"),
               num("returned", "Returned", group="Return to work"),
               num("censored", "Not seen to return", group="Return to work"),
               num("rtw_days", "Days to return, median (range)", group="Return to work")]
    title = "Outcomes of interviewed patients with and without each theme"
    if name != "07_theme_outcomes":
        title += " (codebook detail)"
    return make(name, title, columns, rows, source_note=source("Case matrix", _NB),
                footnotes=("Descriptive only: interviewees were sampled purposively.",))


def detail_outcomes(frame: pd.DataFrame) -> DisplayTable:
    """``theme_outcomes`` at the codebook level of the notebook's ``detail_level``."""
    return theme_outcomes(frame, name="07_detail_outcomes")


def _median_range(r: dict, stem: str) -> str:
    if is_missing(r[f"{stem}_median"]):
        return MISSING
    return (f"{fmt_number(r[f'{stem}_median'], 1)} ({fmt_number(r[f'{stem}_min'], 0)} to "
            f"{fmt_number(r[f'{stem}_max'], 0)})")


def representativeness(frame: pd.DataFrame) -> DisplayTable:
    """Interviewed patients beside the rest of the intervention arm and the usual-care arm:
    n/N (%) for categories, mean (SD) for numbers."""
    f = tidy(frame, required=("characteristic", "level", "comparison", "n", "denominator",
                              "percent", "mean", "sd"), table="representativeness")
    comps = [c for c in _COMPARISONS if c in set(f["comparison"])]
    keys = list(dict.fromkeys(zip(f["characteristic"], f["level"].fillna(""), strict=True)))
    indexed = f.assign(level=f["level"].fillna("")).set_index(["characteristic", "level",
                                                                "comparison"])
    rows = []
    for characteristic, level in keys:
        cells = []
        for c in comps:
            key = (characteristic, level, c)
            if key not in indexed.index:
                cells.append("")
                continue
            r = indexed.loc[key]
            cells.append(fmt_mean_sd(r["mean"], r["sd"]) + f" [n = {fmt_int(r['n'])}]" if level
                         == "" else fmt_count_pct(r["n"], percent=r["percent"]))
        first = text(level) if level else "Mean (SD)"
        rows.append(Row((first, *cells), plain(characteristic)))
    columns = [txt("level", "Characteristic"), *[num(c, _COMPARISONS[c]) for c in comps]]
    return make("07_representativeness", "How representative were the interviewed patients?",
                columns, rows, source_note=source("Trial data of interviewed and other "
                                                  "participants", _NB),
                footnotes=("Categories: n (%) of those with the value; numbers: mean (SD) "
                           "[n with the value].",))


def quantitative_findings(frame: pd.DataFrame) -> DisplayTable:
    """The trial findings the joint display links to, in words."""
    f = tidy(frame, required=("label", "summary"), table="quantitative findings")
    rows = [Row((plain(r.label), plain(r.summary))) for r in f.itertuples()]
    columns = [txt("label", "Finding"), txt("summary", "Summary")]
    return make("07_quantitative_findings", "Trial findings linked to the themes", columns, rows,
                source_note=source("Trial data (unadjusted summaries)", _NB))

