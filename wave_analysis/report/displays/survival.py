"""Display tables of notebook 04 (return to work: the summary of the interval-censored primary
analysis and its sensitivity analyses, the Turnbull curve and the log-rank tests)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import ARM_LABELS, ARMS, CONTROL_ARM, INTERVENTION_ARM, label
from wave_analysis.report.displays.base import (
    ci_label,
    make,
    num,
    one_level,
    plain,
    source,
    tidy,
    txt,
)
from wave_analysis.report.format import MISSING, fmt_ci, fmt_int, fmt_number, fmt_p, is_missing
from wave_analysis.report.table import DisplayTable, Row

_NB = "04_return_to_work"
DAYS_PER_WEEK = 7
_ARM_TERM = f"arm[{INTERVENTION_ARM}]"
_CONTRAST = f"{INTERVENTION_ARM} vs {CONTROL_ARM}"


def _who(row: dict) -> str:
    """The arm or contrast a summary row is about."""
    arm = plain(row.get("arm"))
    if arm == _CONTRAST:
        return f"{ARM_LABELS[INTERVENTION_ARM]} vs {ARM_LABELS[CONTROL_ARM].lower()}"
    if arm:
        return label(arm)
    return f"{ARM_LABELS[INTERVENTION_ARM]} vs {ARM_LABELS[CONTROL_ARM].lower()}"


def _quantity(row: dict) -> str:
    text = plain(row["quantity"]).replace("rmst_difference", "restricted mean time, difference")
    text = text.replace("rmst_ratio", "restricted mean time, ratio")
    text = text.replace(" rmst", " restricted mean time off work (days)")
    return text[:1].upper() + text[1:]


def _events(row: dict) -> str:
    if is_missing(row.get("events")):
        return ""
    return f"{fmt_int(row['events'])} / {fmt_int(row['n'])}"


def return_to_work(frame: pd.DataFrame, *, definition: str = "first") -> DisplayTable:
    """Every estimate of the return-to-work summary except the covariate coefficients of the
    adjusted model (they stay in the CSV), grouped by analysis."""
    f = tidy(frame, required=("term", "estimate", "ci_low", "ci_high", "ci_level", "p_value", "n",
                              "events", "quantity", "analysis", "arm"),
             table="return-to-work summary")
    keep = f["term"].isna() | (f["term"] == _ARM_TERM)
    level = sorted(f["ci_level"].dropna().unique())
    rows = []
    for r in f[keep].to_dict("records"):
        rows.append(Row((_quantity(r), _who(r), fmt_ci(r["estimate"], r["ci_low"], r["ci_high"],
                                                       2 if "ratio" in r["quantity"] else 1),
                         fmt_p(r["p_value"]) if not is_missing(r["p_value"]) else "",
                         _events(r)), label(r["analysis"])))
    columns = [txt("quantity", "Quantity"), txt("arm", "Arm or comparison"),
               num("estimate", f"Estimate ({', '.join(ci_label(lv) for lv in level)})"),
               num("p_value", "P value"), num("events", "Returns / n")]
    return make(f"04_return_to_work_{definition}", f"Time to {definition} return to work: "
                "primary and sensitivity analyses", columns, rows,
                source_note=source("Discrete-time proportional hazards and Turnbull estimates "
                                   "(interval-censored); Kaplan-Meier, Cox and restricted mean "
                                   "times on single times per return", _NB),
                footnotes=("Hazard ratio above 1: faster return with vocational support; time "
                           "ratio below 1: faster return. The hazard ratio is adjusted for "
                           "practice and baseline absence band (their coefficients are in the "
                           "CSV).", f"{MISSING}: not estimable."))


def logrank(frame: pd.DataFrame, *, definition: str = "first") -> DisplayTable:
    """Observed and expected returns per arm and the log-rank test, per time-per-return rule."""
    f = tidy(frame, required=("arm", "n", "observed", "expected", "statistic", "df", "p_value",
                              "analysis"), table="log-rank")
    rows = []
    for analysis, part in f.groupby("analysis", sort=False):
        for i, r in enumerate(part.to_dict("records")):
            test = (f"{fmt_number(r['statistic'], 2)} ({fmt_int(r['df'])})", fmt_p(r["p_value"])) \
                if i == 0 else ("", "")
            rows.append(Row((label(r["arm"]), fmt_int(r["n"]), fmt_int(r["observed"]),
                             fmt_number(r["expected"], 1), *test), label(analysis)))
    columns = [txt("arm", "Arm"), num("n", "n"), num("observed", "Observed returns"),
               num("expected", "Expected returns"), num("statistic", "Chi-squared (df)"),
               num("p_value", "P value")]
    return make(f"04_logrank_{definition}", f"Log-rank tests, time to {definition} return to "
                "work (sensitivity analyses)", columns, rows,
                source_note=source("Log-rank test on the right end or the midpoint of each "
                                   "return's interval", _NB))


def turnbull_curve(frame: pd.DataFrame, *, definition: str = "first") -> DisplayTable:
    """The whole Turnbull curve: the percentage not yet returned to work (with its pointwise
    confidence band) at each reporting time, the arms side by side. Day 0 (everyone off work,
    by definition) is left out."""
    f = tidy(frame, required=("arm", "time", "estimate", "ci_low", "ci_high", "ci_level"),
             table="Turnbull curve")
    arms = [a for a in ARMS if a in set(f["arm"])]
    rows = []
    for time in sorted(t for t in f["time"].unique() if t > 0):
        cells = []
        for arm in arms:
            hit = f[(f["arm"] == arm) & (f["time"] == time)]
            cells.append(fmt_ci(*(hit[c].iloc[0] * 100 for c in ("estimate", "ci_low",
                                                                 "ci_high")), 1)
                         if len(hit) else MISSING)
        rows.append(Row((fmt_number(time, 0), fmt_number(time / DAYS_PER_WEEK, 0
                                                         if time % DAYS_PER_WEEK == 0 else 1),
                         *cells)))
    columns = [num("time", "Day"), num("week", "Week"),
               *[num(arm, ARM_LABELS[arm], group=f"Not yet returned to work, % "
                     f"({ci_label(one_level(f))})") for arm in arms]]
    return make(f"04_turnbull_{definition}", f"Time to {definition} return to work: Turnbull "
                "estimate of the percentage not yet returned", columns, rows,
                source_note=source("Turnbull (nonparametric maximum likelihood) estimate for "
                                   "interval-censored returns, by arm", _NB),
                footnotes=("Days since randomisation, at the end of each SMS fortnight (when "
                           "returns are observed); on day 0 everyone is off work (100%).",
                           "Pointwise percentile bootstrap bands, resampling within each arm; "
                           "they are not a simultaneous band for the whole curve.",
                           f"{MISSING}: no estimate at that time in that arm."))
