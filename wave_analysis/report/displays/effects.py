"""Display tables of notebook 03 (days absent: primary and sensitivity rate ratios, the published
comparison, productivity loss and the questionnaire outcomes)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import ARM_LABELS, ARMS, label
from wave_analysis.report.displays.base import (
    ci_label,
    footnoted,
    make,
    num,
    one_level,
    plain,
    sentence,
    source,
    tidy,
    txt,
    yes_no,
)
from wave_analysis.report.format import fmt_ci, fmt_int, fmt_mean_sd, fmt_number, fmt_p
from wave_analysis.report.table import DisplayTable, Row

_NB = "03_days_absent"
_RESULT_COLUMNS = ("model", "estimate", "ci_low", "ci_high", "ci_level", "p_value", "n", "method",
                   "note")
_IRR_DIGITS = 3


def primary_irr(frame: pd.DataFrame) -> DisplayTable:
    """The primary incidence rate ratio with one interval per confidence level."""
    f = tidy(frame, required=(*_RESULT_COLUMNS, "dispersion"), table="primary IRR")
    levels = sorted(f["ci_level"].unique())
    rows = []
    for model, part in f.groupby("model", sort=False):
        first = part.iloc[0]
        cis = []
        for level in levels:
            hit = part[part["ci_level"] == level]
            cis.append(fmt_ci(hit["estimate"].iloc[0], hit["ci_low"].iloc[0],
                              hit["ci_high"].iloc[0], _IRR_DIGITS) if len(hit) else "")
        rows.append(Row((sentence(model), fmt_int(first["n"]), *cis, fmt_p(first["p_value"]),
                         fmt_number(first["dispersion"], 3))))
    methods = [plain(m) for m in f["method"].drop_duplicates() if plain(m)]
    notes = [plain(n) for n in f["note"].drop_duplicates() if plain(n)]
    columns = [txt("model", "Model"), num("n", "n analysed"),
               *[num(f"irr_{int(round(lv * 100))}", f"IRR ({ci_label(lv)})") for lv in levels],
               num("p_value", "P value"), num("dispersion", "Dispersion (alpha)")]
    return make("03_primary_irr", "Primary outcome: days absent over 6 months, incidence rate "
                f"ratio ({ARM_LABELS[ARMS[1]].lower()} vs {ARM_LABELS[ARMS[0]].lower()})",
                columns, rows,
                source_note=source("Negative binomial (NB2) regression of days absent, adjusted "
                                   "for the stratification factors", _NB),
                footnotes=(*[f"Intervals: {m}." for m in methods], *notes,
                           "IRR below 1: fewer days absent with vocational support. Dispersion: "
                           "alpha in variance = mu + alpha mu^2."))


def sensitivity_irr(frame: pd.DataFrame) -> DisplayTable:
    """The primary IRR beside each sensitivity analysis; methods and notes as footnotes."""
    f = tidy(frame, required=_RESULT_COLUMNS, table="sensitivity IRR")
    level = one_level(f)
    marks, methods = footnoted(f["method"])
    note_marks, notes = footnoted(f["note"], start=len(methods))
    rows = [Row((f"{sentence(r.model)}{m}{nm}", fmt_int(r.n),
                 fmt_ci(r.estimate, r.ci_low, r.ci_high, _IRR_DIGITS), fmt_p(r.p_value)))
            for r, m, nm in zip(f.itertuples(), marks, note_marks, strict=True)]
    columns = [txt("model", "Analysis"), num("n", "n analysed"),
               num("irr", f"IRR ({ci_label(level)})"), num("p_value", "P value")]
    return make("03_sensitivity_irr", "Sensitivity analyses of the primary outcome (incidence "
                "rate ratios)", columns, rows,
                source_note=source("Negative binomial, Poisson and zero-inflated regressions, "
                                   "alternative missing-reply rules and the complier average "
                                   "causal effect", _NB),
                footnotes=(*methods, *notes))


def published_comparison(frame: pd.DataFrame) -> DisplayTable:
    """The primary IRR obtained on the synthetic cohort beside the published one."""
    f = tidy(frame, required=("quantity", "published", "obtained", "difference", "ci_level",
                              "tolerance", "within_tolerance", "source"),
             table="published comparison")
    names = {"estimate": "IRR", "ci_low": "Lower confidence limit",
             "ci_high": "Upper confidence limit"}
    rows = [Row((names.get(r.quantity, label(r.quantity)), fmt_number(r.published, 3),
                 fmt_number(r.obtained, 3), fmt_number(r.difference, 3),
                 fmt_number(r.tolerance, 3), yes_no(r.within_tolerance)))
            for r in f.itertuples()]
    columns = [txt("quantity", "Quantity"), num("published", "Published"),
               num("obtained", "Obtained"), num("difference", "Difference"),
               num("tolerance", "Tolerance"), txt("within_tolerance", "Within tolerance")]
    level = one_level(f)
    return make("03_published_comparison", f"Primary IRR ({ci_label(level)}): published beside "
                "obtained on the synthetic cohort", columns, rows,
                source_note=source("Primary model on the bundled synthetic data against "
                                   f"data/published_targets.yaml ({plain(f['source'].iloc[0])})",
                                   _NB))


_DIGITS = {"eq5d_index": 3, "eq_vas": 1, "rtwse": 2, "productivity_loss_gbp": 0}


def arm_comparison(frame: pd.DataFrame, *, name: str, title: str, estimate: str,
                   analysis: str) -> DisplayTable:
    """Outcomes by arm (n, mean (SD)) and the difference between arms with its interval; one
    row group per outcome when there are several time points. Decimals per outcome from
    ``_DIGITS`` (the precision its scale is read at), 2 for others."""
    cols = [f"{s}_{a}" for a in ARMS for s in ("n", "mean", "sd")]
    f = tidy(frame, required=(*_RESULT_COLUMNS[1:6], "outcome", "timepoint", "method", *cols),
             table=name)
    level = one_level(f)
    marks, methods = footnoted(f["method"])
    several = f.groupby("outcome")["timepoint"].nunique().max() > 1
    rows = []
    for r, mark in zip(f.to_dict("records"), marks, strict=True):
        digits = _DIGITS.get(r["outcome"], 2)
        arms = [c for a in ARMS for c in (fmt_int(r[f"n_{a}"]),
                                          fmt_mean_sd(r[f"mean_{a}"], r[f"sd_{a}"], digits))]
        first = label(r["timepoint"]) if several else f"{label(r['outcome'])}, " \
            f"{label(r['timepoint']).lower()}"
        rows.append(Row((f"{first}{mark}", *arms,
                         fmt_ci(r["estimate"], r["ci_low"], r["ci_high"], digits),
                         fmt_p(r["p_value"])), label(r["outcome"]) if several else None))
    columns = [txt("outcome", "Time point" if several else "Outcome"),
               *[c for a in ARMS for c in (num(f"n_{a}", "n", group=ARM_LABELS[a]),
                                           num(f"mean_{a}", "Mean (SD)", group=ARM_LABELS[a]))],
               num("estimate", f"{estimate} ({ci_label(level)})"), num("p_value", "P value")]
    return make(name, title, columns, rows, source_note=source(analysis, _NB),
                footnotes=tuple(methods))


def productivity(frame: pd.DataFrame) -> DisplayTable:
    """Productivity-loss cost at 6 months by arm and the mean difference."""
    return arm_comparison(frame, name="03_productivity", title="Work productivity loss at "
                          "6 months (GBP)", estimate="Mean difference",
                          analysis="Difference in means with a bootstrap interval, complete cases")


def questionnaires(frame: pd.DataFrame) -> DisplayTable:
    """EQ-5D-5L, EQ VAS and RTWSE-11 at 6 weeks and 6 months by arm, adjusted differences."""
    return arm_comparison(frame, name="03_questionnaires", title="Questionnaire outcomes by arm",
                          estimate="Adjusted difference",
                          analysis="ANCOVA of each outcome on arm and its baseline value")
