"""Display tables of notebook 05 (intervention delivery: dose, mode, steps reached)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.report.displays.base import make, num, plain, source, text, tidy, txt
from wave_analysis.report.format import (
    fmt_count_pct,
    fmt_int,
    fmt_mean_sd,
    fmt_median_iqr,
    fmt_number,
    fmt_pct,
    is_missing,
)
from wave_analysis.report.table import DisplayTable, Row

_NB = "05_intervention_delivery"


def delivery_summary(frame: pd.DataFrame) -> DisplayTable:
    """Counts, then dose summaries (mean (SD), median (IQR), range) per population."""
    f = tidy(frame, required=("measure", "population", "n", "mean", "sd", "median", "q1", "q3",
                              "min", "max"), table="delivery summary")
    rows = []
    for r in f.to_dict("records"):
        summary = not is_missing(r["mean"])
        rows.append(Row((
            text(r["measure"]), text(r["population"]), fmt_int(r["n"]),
            fmt_mean_sd(r["mean"], r["sd"]) if summary else "",
            fmt_median_iqr(r["median"], r["q1"], r["q3"]) if summary else "",
            f"{fmt_number(r['min'], 0)} to {fmt_number(r['max'], 0)}" if summary else ""),
            "Dose" if summary else "Counts"))
    columns = [txt("measure", "Measure"), txt("population", "Population"), num("n", "n"),
               num("mean", "Mean (SD)"), num("median", "Median (IQR)"), num("range", "Range")]
    return make("05_delivery_summary", "Delivery of vocational support: contacts and dose",
                columns, rows, source_note=source("VSW contact log of the intervention arm", _NB),
                footnotes=("Population: allocated = every intervention-arm participant; "
                           "contacted = those with at least one contact; contacts = every "
                           "contact. Quartiles by linear interpolation.",))


def delivery_mode(frame: pd.DataFrame) -> DisplayTable:
    """Contacts by mode: count and share of contacts, mean minutes, participants reached."""
    f = tidy(frame, required=("mode", "contacts", "share_of_contacts", "minutes_mean",
                              "participants"), table="delivery mode")
    rows = [Row((text(r.mode), fmt_count_pct(r.contacts, percent=r.share_of_contacts * 100),
                 fmt_number(r.minutes_mean, 1), fmt_int(r.participants)))
            for r in f.itertuples()]
    columns = [txt("mode", "Mode"), num("contacts", "Contacts, n (%)"),
               num("minutes_mean", "Mean minutes per contact"),
               num("participants", "Participants with this mode")]
    return make("05_delivery_mode", "Mode of VSW contacts", columns, rows,
                source_note=source("VSW contact log", _NB))


def steps_reached(frame: pd.DataFrame) -> DisplayTable:
    """Highest step of the stepped-care model each participant reached."""
    f = tidy(frame, required=("step", "label", "participants", "share", "reached_at_least"),
             table="steps reached")
    rows = [Row((plain(r.label), fmt_count_pct(r.participants, percent=r.share * 100),
                 fmt_pct(r.reached_at_least, proportion=True))) for r in f.itertuples()]
    columns = [txt("label", "Highest step reached"), num("participants", "Participants, n (%)"),
               num("reached_at_least", "Reached at least this step")]
    return make("05_steps_reached", "Steps of the stepped-care model reached", columns, rows,
                source_note=source("VSW contact log, intervention arm", _NB))
