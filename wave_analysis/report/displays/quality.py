"""Display tables of notebook 00 (data quality: validation findings, table sizes, missingness,
questionnaire returns)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import ARM_LABELS, ARMS, TIMEPOINTS
from wave_analysis.report.displays.base import make, num, plain, source, text, tidy, txt
from wave_analysis.report.format import fmt_count_pct, fmt_int
from wave_analysis.report.table import DisplayTable, Row

_NB = "00_data_quality"
# Export tables and their columns are named as in the files, so a data manager can find them.
_NAMES_NOTE = ("Tables and columns are named as in the export files and the data dictionary "
               "(docs/data_dictionary.md).")


def validation_problems(frame: pd.DataFrame) -> DisplayTable:
    """One row per validation finding: where it is, the value, the rule it breaks and the fix.
    Participant-level: a finding quotes a cell of the export."""
    f = tidy(frame, required=("file", "row", "column", "value", "rule", "fix"),
             table="validation problems")
    rows = [Row((plain(r.file), plain(r.row), plain(r.column), plain(r.value), plain(r.rule),
                 plain(r.fix))) for r in f.itertuples()]
    columns = [txt("file", "File"), num("row", "Row"), txt("column", "Column"),
               txt("value", "Value"), txt("rule", "Rule broken"), txt("fix", "How to fix")]
    return make("00_validation_problems", "Validation findings", columns, rows,
                source_note=source("Every rule of the data dictionary checked on the export",
                                   _NB),
                footnotes=("No rows: the export passed every rule.",) if not rows else
                ("Row: the line in the file, the header being line 1; empty for a "
                 "finding about the whole file or column.",),
                participant_level=True)


def table_sizes(frame: pd.DataFrame) -> DisplayTable:
    """Rows and columns of each table of the export."""
    f = tidy(frame, required=("table", "rows", "columns"), table="table sizes")
    rows = [Row((plain(r.table), fmt_int(r.rows), fmt_int(r.columns))) for r in f.itertuples()]
    columns = [txt("table", "Table"), num("rows", "Rows"), num("columns", "Columns")]
    return make("00_table_sizes", "Size of each table of the export", columns, rows,
                source_note=source("Trial export as loaded", _NB), footnotes=(_NAMES_NOTE,))


def missingness(frame: pd.DataFrame) -> DisplayTable:
    """Empty cells per column, as a count with its share of the table's rows; rows grouped by
    table."""
    f = tidy(frame, required=("table", "column", "missing", "rows", "share_missing"),
             table="missingness")
    rows = [Row((plain(r.column), fmt_count_pct(r.missing, percent=r.share_missing * 100),
                 fmt_int(r.rows)), plain(r.table)) for r in f.itertuples()]
    columns = [txt("column", "Column"), num("missing", "Empty cells, n (%)"),
               num("rows", "Rows in table")]
    return make("00_missingness", "Empty cells by column", columns, rows,
                source_note=source("Trial export as loaded", _NB),
                footnotes=("Only columns with at least one empty cell. Percentages of the "
                           "table's rows.",
                           "Empty days off and reply dates are SMS that were not answered; "
                           "empty sent dates are SMS not sent after a withdrawal; screening "
                           "fields are empty where that step was not reached (not assessed, "
                           "not asked to consent, not randomised).",
                           _NAMES_NOTE))


def questionnaire_returns(frame: pd.DataFrame) -> DisplayTable:
    """Questionnaires returned per time point (rows) and arm (columns), as a count with its share
    of those randomised to the arm (the denominator is in the header)."""
    f = tidy(frame, required=("timepoint", "arm", "returned", "randomised", "share_returned"),
             table="questionnaire returns")
    randomised = f.groupby("arm")["randomised"].first()
    arms = [a for a in ARMS if a in randomised.index]
    order = [t for t in TIMEPOINTS if t in set(f["timepoint"])]
    order += sorted(set(f["timepoint"]) - set(order))
    rows = []
    for timepoint in order:
        cells = []
        for arm in arms:
            hit = f[(f["timepoint"] == timepoint) & (f["arm"] == arm)]
            cells.append(fmt_count_pct(hit["returned"].iloc[0],
                                       percent=hit["share_returned"].iloc[0] * 100)
                         if len(hit) else fmt_count_pct(0, randomised[arm]))
        rows.append(Row((text(timepoint), *cells)))
    columns = [txt("timepoint", "Time point"),
               *[num(arm, f"{ARM_LABELS[arm]} (n={fmt_int(randomised[arm])})",
                     group="Returned, n (%)") for arm in arms]]
    return make("00_questionnaire_returns", "Questionnaires returned by time point and arm",
                columns, rows, source_note=source("Questionnaire and randomisation records", _NB),
                footnotes=("Percentages of participants randomised to the arm (n in the "
                           "header), including those who later withdrew.",))
