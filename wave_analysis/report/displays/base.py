"""What every display builder shares: the tidy frame rounded as it is saved, column helpers,
footnote markers, the page-orientation rule and ``make``, which assembles a ``DisplayTable``.

Builders take the tidy frame a notebook saves (``Outputs.table(frame, name, display=...)``) and
format it; they never compute new statistics, so every number shown can be found in the CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.design import label
from wave_analysis.report.format import MISSING, fmt_number, is_missing
from wave_analysis.report.table import Column, DisplayTable, Row

CSV_DECIMALS = 6  # outputs.save_table's float_digits: cells are formatted from the saved values
# A portrait A4 page holds about 110 characters of 8 to 9-point table text between 2.5 cm margins;
# a table whose widest row needs more is set landscape.
PORTRAIT_CHARS = 110
INTERACTIVE_ROWS = 40  # longer tables are shown sortable and searchable
_SUPERSCRIPTS = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"
_WRAP_FROM = 30  # text cells longer than this wrap, so they count this wide


def tidy(frame: pd.DataFrame, *, required: Iterable[str] = (), table: str = "") -> pd.DataFrame:
    """``frame`` rounded as ``Outputs.table`` saves it (so the display matches the CSV), after
    checking it has the ``required`` columns."""
    check_argument(isinstance(frame, pd.DataFrame), "frame", "a pandas DataFrame",
                   type(frame).__name__)
    missing = [c for c in required if c not in frame.columns]
    check_argument(not missing, "frame", f"the tidy {table or 'result'} table with columns "
                   f"{', '.join(required)}", f"a frame without {', '.join(missing)}",
                   "pass the frame the notebook saves with out.table")
    return frame.round(CSV_DECIMALS).reset_index(drop=True)


def marker(i: int) -> str:
    """The i-th footnote marker (0 -> "ᵃ")."""
    return _SUPERSCRIPTS[i % len(_SUPERSCRIPTS)] * (1 + i // len(_SUPERSCRIPTS))


def footnoted(texts: Sequence[object], *, start: int = 0) -> tuple[list[str], list[str]]:
    """Markers for a sequence of notes (one per row; empty ones get none) and the footnotes,
    one per distinct note in order of first use: ``(["ᵃ", "", "ᵇ"], ["ᵃ Wald ...", "ᵇ ..."])``;
    ``start``: the number of markers already used in the table. One note shared by every row
    needs no marker: ``(["", ""], ["Wald ..."])``."""
    notes = ["" if is_missing(t) else str(t).strip() for t in texts]
    if notes and len(set(notes)) == 1 and notes[0]:
        return [""] * len(notes), [notes[0]]
    order: dict[str, str] = {}
    for text in notes:
        if text and text not in order:
            order[text] = marker(start + len(order))
    return [order.get(t, "") for t in notes], [f"{m} {t}" for t, m in order.items()]


def ci_label(ci_level: object) -> str:
    """"80% CI" for 0.8."""
    return f"{fmt_number(float(ci_level) * 100, 0)}% CI"


def one_level(frame: pd.DataFrame, column: str = "ci_level") -> float:
    """The single confidence level of a frame (a clear error when it mixes several)."""
    levels = sorted(frame[column].dropna().unique())
    check_argument(len(levels) == 1, column, "one confidence level per table", levels)
    return float(levels[0])


def text(value: object) -> str:
    """A text cell: the value's label from the design vocabulary; "" when missing."""
    return "" if is_missing(value) else label(value)


def plain(value: object) -> str:
    """A text cell kept verbatim (names, quotes); "" when missing; a whole float without its
    ".0" (CSV readers turn integer columns with gaps into floats)."""
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sentence(value: object) -> str:
    """Verbatim text with a capital first letter ("primary: negative ..." -> "Primary: ...")."""
    text_ = plain(value)
    return text_[:1].upper() + text_[1:]


def yes_no(value: object) -> str:
    if is_missing(value):
        return MISSING
    return "Yes" if str(value).strip().lower() in ("true", "1", "yes") else "No"


def orientation_for(columns: Sequence[Column], rows: Sequence[Row]) -> str:
    """"landscape" when the table's natural width is too wide for a portrait page, else
    "portrait". A header wraps between words (its longest word counts), a text cell wraps at
    ``_WRAP_FROM`` characters, a number never wraps; each column adds two for padding."""
    width = 0
    for i, col in enumerate(columns):
        cells = [len(r.cells[i]) for r in rows] or [0]
        widest = max(cells)
        if col.align == "left":
            widest = min(widest, _WRAP_FROM)
        head = max((len(word) for word in col.label.split()), default=0)
        width += max(head, widest) + 2
    return "landscape" if width > PORTRAIT_CHARS else "portrait"


def make(name: str, title: str, columns: Sequence[Column], rows: Sequence[Row], *,
         source_note: str, footnotes: Sequence[str] = (), interactive: bool | None = None,
         participant_level: bool = False, orientation: str | None = None) -> DisplayTable:
    """The display table; orientation from ``orientation_for`` and interactivity from the row
    count unless given. ``synthetic`` is set by ``Outputs.table`` when it is saved."""
    columns, rows = tuple(columns), grouped(rows)
    return DisplayTable(
        name=name, title=title, columns=columns, rows=rows, footnotes=tuple(footnotes),
        source_note=source_note, participant_level=participant_level,
        orientation=orientation or orientation_for(columns, rows),
        interactive=len(rows) > INTERACTIVE_ROWS if interactive is None else interactive)


def grouped(rows: Sequence[Row]) -> tuple[Row, ...]:
    """Rows with each row group's rows together (groups in order of first appearance, rows in
    their order within a group), so a group heading appears once; rows without a group keep
    their place."""
    first = {g: i for i, g in reversed(list(enumerate(r.group for r in rows)))}
    keys = [i if r.group is None else first[r.group] for i, r in enumerate(rows)]
    return tuple(r for _, _, r in sorted(zip(keys, range(len(rows)), rows, strict=True)))


def num(key: str, label_: str, group: str | None = None) -> Column:
    """A numeric column (decimal-aligned)."""
    return Column(key, label_, group=group, align="decimal")


def txt(key: str, label_: str, group: str | None = None) -> Column:
    """A text column (left-aligned)."""
    return Column(key, label_, group=group, align="left")


def source(analysis: str, notebook: str) -> str:
    """The source note: the analysis, then the notebook that ran it."""
    return f"{analysis}; notebook {notebook}"
