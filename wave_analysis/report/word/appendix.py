"""The appendix: each filled reporting checklist (``<reports>/checklists/<guideline>.csv``, written
by ``report.checklists``) as a display table, one row per item grouped by the guideline's section.
"""

from __future__ import annotations

import csv
from pathlib import Path

from wave_analysis.exceptions import DataFormatError
from wave_analysis.report.table import Column, DisplayTable, Row

CHECKLIST_COLUMNS = ("guideline", "item", "section", "topic", "evidence", "evidence_path",
                     "status")
_COLUMNS = (Column("item", "Item"), Column("topic", "Topic"),
            Column("evidence", "Where the run evidences it"), Column("status", "Status"))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CHECKLIST_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFormatError(f"{path}: checklist column(s) {', '.join(missing)} missing; "
                                  f"a checklist CSV has the columns {', '.join(CHECKLIST_COLUMNS)}"
                                  " (rewrite it with report.checklists.fill_checklists)")
        return list(reader)


def _evidence(record: dict[str, str]) -> str:
    text, path = record["evidence"].strip(), record["evidence_path"].strip()
    if path and path not in text:
        return f"{text} ({path})" if text else path
    return text


def checklist_table(path: Path, *, synthetic: bool) -> DisplayTable | None:
    """The checklist in ``path`` as a display table (None when it has no item)."""
    records = _read(path)
    if not records:
        return None
    guideline = records[0]["guideline"] or path.stem
    rows = tuple(Row((r["item"], r["topic"], _evidence(r), r["status"]),
                     group=r["section"] or None) for r in records)
    done = sum(r["evidence"].strip() != "" and "authors" not in r["status"].lower()
               for r in records)
    return DisplayTable(
        name=f"checklist_{path.stem}", title=f"{guideline} checklist, filled from this run",
        columns=_COLUMNS, rows=rows,
        footnotes=(f"{done} of {len(records)} items point to an output of this run; the others "
                   "are for the authors to complete.",),
        source_note=f"checklists/{path.name}", synthetic=synthetic)


def checklist_tables(folder: Path | None, *, synthetic: bool) -> list[DisplayTable]:
    """Every checklist in ``folder`` (sorted by file name); none when the folder is absent."""
    if folder is None or not Path(folder).is_dir():
        return []
    tables = (checklist_table(p, synthetic=synthetic) for p in sorted(Path(folder).glob("*.csv")))
    return [t for t in tables if t is not None]
