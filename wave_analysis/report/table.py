"""The display table: one formatted result table that renders the same in a notebook, the HTML
report and Word.

A ``DisplayTable`` holds text, not numbers: every cell is already formatted (``report.format``)
from the tidy frame saved beside it as CSV, so each rendering shows the same characters and a test
can compare any rendering with the CSV after rounding. Columns may carry a spanning ``group``
header (adjacent columns with the same group share one header cell); rows may carry a row
``group`` (a labelled block of rows). The table also carries its footnotes, a source note naming
the analysis and notebook, whether it comes from synthetic data (then every rendering shows the
synthetic label), whether it shows individual participants, its page orientation and whether it
is long enough to be shown as an interactive (sortable, searchable) table.

JSON (``to_json``/``from_json``) is the exchange format: ``Outputs.table(..., display=table)``
writes ``<name>.table.json`` beside the tidy CSV, and the Word and HTML reports read it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.exceptions import DataFormatError
from wave_analysis.report.html import STYLE, SYNTHETIC_LABEL, render_table
from wave_analysis.report.interactive import interactive_html

FORMAT = "wave-display-table"
VERSION = 1
ALIGNS = ("left", "right", "decimal")
ORIENTATIONS = ("portrait", "landscape")

@dataclass(frozen=True)
class Column:
    """One displayed column: ``key`` (a stable identifier, usually the tidy frame's column),
    ``label`` (the header text), ``group`` (a spanning header over adjacent columns) and
    ``align`` ("left" for text, "right" or "decimal" for numbers)."""

    key: str
    label: str
    group: str | None = None
    align: str = "left"

    def __post_init__(self) -> None:
        check_argument(isinstance(self.key, str) and self.key != "", "Column.key",
                       "a non-empty string", self.key)
        check_argument(isinstance(self.label, str), "Column.label", "a string", self.label)
        check_argument(self.group is None or isinstance(self.group, str), "Column.group",
                       "a string or None", self.group)
        check_one_of("Column.align", self.align, ALIGNS)


@dataclass(frozen=True)
class Row:
    """One displayed row: its formatted ``cells`` (text, one per column) and an optional row
    ``group`` (rows with the same group follow each other under one group heading). A newline
    in a cell is a line break (one quote per line): HTML shows ``<br>``, Word a line break."""

    cells: tuple[str, ...]
    group: str | None = None

    def __post_init__(self) -> None:
        cells = tuple(self.cells)
        check_argument(all(isinstance(c, str) for c in cells), "Row.cells",
                       "formatted text (str) in every cell", cells,
                       "format numbers with wave_analysis.report.format first")
        check_argument(self.group is None or isinstance(self.group, str), "Row.group",
                       "a string or None", self.group)
        object.__setattr__(self, "cells", cells)


@dataclass(frozen=True)
class DisplayTable:
    """A formatted result table; see the module docstring."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    footnotes: tuple[str, ...] = ()
    source_note: str = ""
    synthetic: bool = False
    participant_level: bool = False
    orientation: str = "portrait"
    interactive: bool = False

    def __post_init__(self) -> None:
        columns, rows = tuple(self.columns), tuple(self.rows)
        check_argument(isinstance(self.name, str) and self.name != "", "DisplayTable.name",
                       "a non-empty artefact name such as '03_primary_irr'", self.name)
        check_argument(all(isinstance(c, Column) for c in columns) and columns != (),
                       "DisplayTable.columns", "a non-empty sequence of Column", columns)
        keys = [c.key for c in columns]
        check_argument(len(set(keys)) == len(keys), "DisplayTable.columns",
                       "columns with distinct keys", keys)
        for i, row in enumerate(rows):
            check_argument(isinstance(row, Row) and len(row.cells) == len(columns),
                           f"DisplayTable.rows[{i}]", f"a Row with {len(columns)} cells", row)
        footnotes = tuple(self.footnotes)
        check_argument(all(isinstance(f, str) for f in footnotes), "DisplayTable.footnotes",
                       "a sequence of strings", footnotes)
        check_one_of("DisplayTable.orientation", self.orientation, ORIENTATIONS)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "footnotes", footnotes)
        object.__setattr__(self, "synthetic", bool(self.synthetic))
        object.__setattr__(self, "participant_level", bool(self.participant_level))
        object.__setattr__(self, "interactive", bool(self.interactive))

    # --- JSON ------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """A JSON-ready dict (``from_dict`` reads it back to an equal table)."""
        record = asdict(self)
        record["columns"] = [asdict(c) for c in self.columns]
        record["rows"] = [{"cells": list(r.cells), "group": r.group} for r in self.rows]
        record["footnotes"] = list(self.footnotes)
        return {"format": FORMAT, "version": VERSION, **record}

    @classmethod
    def from_dict(cls, record: dict) -> DisplayTable:
        """The table ``to_dict`` described; a clear error for anything else."""
        where = record.get("name", "?") if isinstance(record, dict) else "?"
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            raise DataFormatError(f"display table {where}: not a {FORMAT} record (its 'format' "
                                  f"field must be {FORMAT!r}); write it with DisplayTable.to_json")
        if record.get("version") != VERSION:
            raise DataFormatError(f"display table {where}: version {record.get('version')!r} is "
                                  f"not supported (this code reads version {VERSION})")
        body = {k: v for k, v in record.items() if k not in ("format", "version")}
        try:
            body["columns"] = tuple(Column(**c) for c in body["columns"])
            body["rows"] = tuple(Row(tuple(r["cells"]), r.get("group")) for r in body["rows"])
            return cls(**body)
        except (KeyError, TypeError) as err:
            raise DataFormatError(f"display table {where}: malformed record ({err}); write it "
                                  "with DisplayTable.to_json") from err

    def to_json(self) -> str:
        """Deterministic JSON text (sorted keys, two-space indent, trailing newline)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, path: Path | str) -> DisplayTable:
        """Read a ``<name>.table.json`` file written by ``Outputs.table(..., display=...)``."""
        path = Path(path)
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise DataFormatError(f"{path}: not valid JSON ({err.msg}, line {err.lineno}); "
                                  "rewrite it with DisplayTable.to_json") from err
        try:
            return cls.from_dict(record)
        except DataFormatError as err:
            raise DataFormatError(f"{path}: {err}") from err

    # --- views -----------------------------------------------------------------------------

    @property
    def has_column_groups(self) -> bool:
        return any(c.group for c in self.columns)

    def column_spans(self) -> list[tuple[str | None, int]]:
        """The spanning header row: (group, number of adjacent columns) from left to right."""
        spans: list[tuple[str | None, int]] = []
        for col in self.columns:
            if spans and col.group is not None and spans[-1][0] == col.group:
                spans[-1] = (col.group, spans[-1][1] + 1)
            else:
                spans.append((col.group, 1))
        return spans

    def row_blocks(self) -> list[tuple[str | None, list[Row]]]:
        """Rows in order, cut into blocks of consecutive rows with the same group."""
        blocks: list[tuple[str | None, list[Row]]] = []
        for row in self.rows:
            if blocks and blocks[-1][0] == row.group:
                blocks[-1][1].append(row)
            else:
                blocks.append((row.group, [row]))
        return blocks

    def notes(self) -> list[str]:
        """The lines under the table: footnotes, then the source note, then the synthetic label."""
        lines = list(self.footnotes)
        if self.source_note:
            lines.append(f"Source: {self.source_note}")
        if self.synthetic:
            lines.append(SYNTHETIC_LABEL)
        return lines

    def to_frame(self, *, header: str = "label") -> pd.DataFrame:
        """The displayed text as a DataFrame. ``header="label"``: column labels, under a second
        level of column groups when there are any; ``header="key"``: the column keys. Row groups,
        when there are any, become the index (named "group")."""
        check_one_of("header", header, ("label", "key"))
        data = [list(r.cells) for r in self.rows]
        if header == "key":
            columns = pd.Index([c.key for c in self.columns])
        elif self.has_column_groups:
            columns = pd.MultiIndex.from_tuples([(c.group or "", c.label) for c in self.columns])
        else:
            columns = pd.Index([c.label for c in self.columns])
        frame = pd.DataFrame(data, columns=columns, dtype=object)
        if any(r.group for r in self.rows):
            frame.index = pd.Index([r.group or "" for r in self.rows], name="group")
        return frame

    # --- HTML ------------------------------------------------------------------------------

    def to_html(self, *, style: bool = True) -> str:
        """A static HTML table: caption (title and, for synthetic data, the synthetic label),
        grouped headers, row groups, and the notes below, inside a horizontally scrolling box so
        a wide table never widens the page. ``style=False`` leaves out the scoped <style>."""
        return (STYLE if style else "") + render_table(self)

    def _repr_html_(self) -> str:
        if self.interactive:
            return interactive_html(self)
        return self.to_html()

