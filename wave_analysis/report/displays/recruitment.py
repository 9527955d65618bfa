"""Display tables of notebook 01 (recruitment and feasibility) and 02 (baseline, Table 1)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import ARM_LABELS, ARMS, label
from wave_analysis.report.displays.base import make, num, plain, source, text, tidy, txt
from wave_analysis.report.format import fmt_count_pct, fmt_int, fmt_number, fmt_pct
from wave_analysis.report.table import Row

_NB01 = "01_recruitment"
_ALL = "all"


def _reason(detail: object) -> str:
    """CONSORT detail text: "total" is the stage itself, "not_eligible:no_fit_note" becomes
    "Not eligible: no fit note"."""
    detail = plain(detail)
    if detail in ("", "total"):
        return ""
    head, _, tail = detail.partition(":")
    if not tail:
        return label(head)
    return f"{label(head)}: {label(tail)[:1].lower()}{label(tail)[1:]}"


def consort_flow(frame: pd.DataFrame):
    """CONSORT flow counts: enrolment for all participants, then allocation, follow-up and
    analysis with one column per arm."""
    f = tidy(frame, required=("stage", "arm", "n", "detail"), table="CONSORT flow")
    rows = [Row((text(r.stage), _reason(r.detail), fmt_int(r.n), "", ""), "Enrolment")
            for r in f[f["arm"] == _ALL].itertuples()]
    by_arm = f[f["arm"] != _ALL]
    keys = list(dict.fromkeys(zip(by_arm["stage"], by_arm["detail"], strict=True)))
    for stage, detail in keys:
        cells = []
        for arm in ARMS:
            hit = by_arm[(by_arm["stage"] == stage) & (by_arm["detail"] == detail)
                         & (by_arm["arm"] == arm)]
            cells.append(fmt_int(hit["n"].iloc[0]) if len(hit) else "")
        rows.append(Row((text(stage), _reason(detail), "", *cells),
                        "Allocation, follow-up and analysis"))
    rows = _once(rows)
    columns = [txt("stage", "Stage"), txt("detail", "Reason or detail"),
               num("n_all", "All"),
               *[num(f"n_{a}", ARM_LABELS[a], group="Randomised to") for a in ARMS]]
    return make("01_consort_flow", "Participant flow (CONSORT)", columns, rows,
                source_note=source("Counts from the screening, randomisation, follow-up and "
                                   "contact logs", _NB01),
                footnotes=("Analysed: the primary outcome (days absent over 6 months, primary "
                           "missing-reply rule) could be derived.",))


def _once(rows: list[Row]) -> list[Row]:
    """A stage's name on its first row only (its reasons follow under it)."""
    out, previous = [], None
    for row in rows:
        stage = row.cells[0]
        out.append(Row(("" if stage == previous else stage, *row.cells[1:]), row.group))
        previous = stage
    return out


def recruitment_by_practice(frame: pd.DataFrame):
    """Invitations, responses and randomisations per practice (the total row last)."""
    f = tidy(frame, required=("practice_id", "invited", "responded", "response_rate",
                              "randomised", "randomised_per_1000_invited"), table="practice")
    rows = [Row((plain(r.practice_id), fmt_int(r.invited), fmt_count_pct(
        r.responded, percent=r.response_rate * 100), fmt_int(r.randomised),
        fmt_number(r.randomised_per_1000_invited, 1))) for r in f.itertuples()]
    columns = [txt("practice_id", "Practice"), num("invited", "Invited"),
               num("responded", "Responded, n (%)"), num("randomised", "Randomised"),
               num("randomised_per_1000_invited", "Randomised per 1,000 invited")]
    return make("01_recruitment_by_practice", "Recruitment by practice", columns, rows,
                source_note=source("Screening and randomisation logs", _NB01),
                footnotes=("Percentages of those invited.",))


def recruitment_by_month(frame: pd.DataFrame):
    """Invitations and randomisations per calendar month, by arm, with the running total."""
    arms = [f"randomised_{a}" for a in ARMS]
    f = tidy(frame, required=("month", "invited", *arms, "randomised", "cumulative_randomised"),
             table="month")
    rows = [Row((plain(r["month"]), fmt_int(r["invited"]), *[fmt_int(r[c]) for c in arms],
                 fmt_int(r["randomised"]), fmt_int(r["cumulative_randomised"])))
            for _, r in f.iterrows()]
    columns = [txt("month", "Month"), num("invited", "Invited"),
               *[num(c, ARM_LABELS[a], group="Randomised") for c, a in zip(arms, ARMS,
                                                                             strict=True)],
               num("randomised", "Total", group="Randomised"),
               num("cumulative_randomised", "Cumulative randomised")]
    return make("01_recruitment_by_month", "Recruitment by month", columns, rows,
                source_note=source("Screening and randomisation logs", _NB01))


def _criterion_value(value: float, unit: str) -> str:
    share = unit.startswith("share")
    return fmt_pct(value, 1, proportion=True) if share else fmt_number(value, 2)


def feasibility_criteria(frame: pd.DataFrame):
    """Progression (stop/go) criteria: observed value, thresholds and traffic-light status."""
    f = tidy(frame, required=("name", "value", "green", "amber", "status", "numerator",
                              "denominator", "unit"), table="feasibility criteria")
    rows = []
    for r in f.itertuples():
        unit = plain(r.unit)
        rows.append(Row((text(r.name), unit, _criterion_value(r.value, unit),
                         f"{fmt_number(r.numerator, 0)} / {fmt_number(r.denominator, 1)}",
                         _criterion_value(r.green, unit), _criterion_value(r.amber, unit),
                         text(r.status))))
    columns = [txt("name", "Criterion"), txt("unit", "Measure"), num("value", "Observed"),
               num("fraction", "Numerator / denominator"),
               num("green", "Green from", group="Thresholds"),
               num("amber", "Amber from", group="Thresholds"), txt("status", "Status")]
    return make("01_feasibility_criteria", "Feasibility progression criteria", columns, rows,
                source_note=source("Thresholds from the notebook parameters", _NB01),
                footnotes=("Green at or above the green threshold, amber at or above the amber "
                           "threshold, red below.",))


def table_one(frame: pd.DataFrame):
    """Table 1 (tableone's cells kept as they are): one column per arm (and overall), their n in
    the header, characteristics with several levels as row groups."""
    f = tidy(frame, required=("variable", "level", "missing"), table="Table 1")
    arms = [c for c in f.columns if c not in ("variable", "level", "missing")]
    n_row = f[f["variable"] == "n"]
    counts = {c: plain(n_row[c].iloc[0]) if len(n_row) else "" for c in arms}
    body = f[f["variable"] != "n"]
    multi = body.groupby("variable", sort=False)["level"].count()
    rows = []
    for _, r in body.iterrows():
        has_level = multi.get(r["variable"], 0) > 0 and plain(r["level"]) != ""
        first = plain(r["level"]) if has_level else plain(r["variable"])
        rows.append(Row((first, plain(r["missing"]), *[plain(r[c]) for c in arms]),
                        plain(r["variable"]) if has_level else None))
    columns = [txt("characteristic", "Characteristic"), num("missing", "Missing"),
               *[num(c, f"{label(c)} (n = {counts[c]})" if counts[c] else label(c))
                 for c in arms]]
    return make("02_table1", "Baseline characteristics by arm (Table 1)", columns, rows,
                source_note=source("Baseline questionnaire and screening data, summarised with "
                                   "tableone", "02_baseline"),
                footnotes=("Categories: n (%); measures: mean (SD) or median [Q1,Q3] as stated.",
                           "No p-values: differences between randomised arms are due to chance "
                           "(CONSORT)."))
