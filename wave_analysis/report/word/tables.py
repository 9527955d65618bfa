"""One display table (``report.table.DisplayTable``) as a native, editable Word table.

Layout: caption above (``Table N. title``, numbered by a SEQ field), then the table, then the
footnotes and the source note. Header rows repeat on every page (``w:tblHeader``) and no row
splits across pages (``w:cantSplit``). Grouped columns get a spanning header cell over their
labels; ungrouped columns' labels span both header rows. Row groups become a full-width row.

Numbers are right-aligned (columns with align "right" or "decimal"). The display model formats a
column with one number of decimals, so right alignment lines up the decimal points of plain numbers
and of the last number of compound cells. A decimal tab stop would need its position guessed from
font metrics this builder cannot know (the reference document picks the font), and it breaks as
soon as an author edits a cell; right alignment stays correct in Word and LibreOffice alike.

Widths: each column's natural width is estimated from its longest text (wrapping long text at
about 40 characters; numbers never wrap), then the columns are scaled to the text width of the
page. A table whose unbreakable minimum is wider than a portrait page goes in a landscape section
(so does one the display model marks landscape); the caller places it (``needs_landscape``).
"""

from __future__ import annotations

import math

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import _Cell
from docx.text.run import Run

from wave_analysis.report.word.captions import add_caption
from wave_analysis.report.word.document import (
    TABLE_HEADING,
    TABLE_NOTE,
    TABLE_STYLE,
    TABLE_TEXT,
    borders,
)

TEXT_PT = 9.0  # the table text style's size
MIN_PT = 7.0  # a table too wide even in landscape is set smaller, down to this
_PAD = Pt(2 * 4.25 + 3)  # the table style's left and right cell margins, and a little air
_WRAP = 22.0  # em: text columns wrap at about 40 characters
# Arial advance widths in em (characters not listed: 0.556, the width of a digit)
_ARIAL = ((" .,:;!ijlft'|[]/\\I", 0.278), ("()-r*`", 0.333), ("ckszvxyJ\"", 0.5),
          ("+<>=~", 0.584), ("FTZ", 0.611), ("ABEKPSVXY&", 0.667), ("CDHNRUw", 0.722),
          ("GOQ", 0.778), ("Mm", 0.833), ("%", 0.889), ("W@", 0.944))
_NUMERIC = ("right", "decimal")
_TWIP = 635  # EMU in a twentieth of a point


def _texts(table, j: int) -> list[str]:
    return [row.cells[j] for row in table.rows]


def _em(text: str, *, bold: bool = False) -> float:
    """Width of ``text`` in em of Arial (Liberation Sans has the same metrics)."""
    width = sum(next((w for chars, w in _ARIAL if c in chars), 0.556) for c in text)
    return width * (1.06 if bold else 1.0)


def _width_bounds(table, size: float = TEXT_PT) -> list[tuple[int, int, int]]:
    """(least, unbroken, natural) width of each column in EMU: least breaks every cell at its
    spaces; unbroken keeps each number cell on one line; natural is the longest text up to a
    wrap width. Header labels are never broken inside a word."""
    bounds = []
    for j, col in enumerate(table.columns):
        texts = _texts(table, j) or [""]
        label = [_em(w, bold=True) for w in col.label.split()] or [0.0]
        least = max([*label, *(_em(w) for t in texts for w in t.split())])
        longest = max(_em(t) for t in texts)
        unbroken = max(least, longest) if col.align in _NUMERIC else least
        natural = max(unbroken, min(max(longest, _em(col.label, bold=True) / 2),
                                    max(_WRAP, unbroken)))
        bounds.append(tuple(int(n * Pt(size) + _PAD) for n in (least, unbroken, natural)))
    return bounds


def needs_landscape(table, portrait_width: int) -> bool:
    """Landscape when the model says so or the columns cannot fit a portrait page unbroken."""
    return (table.orientation == "landscape"
            or sum(b[1] for b in _width_bounds(table)) > portrait_width)


def text_size(table, available: int) -> float:
    """9 pt, or the largest half-point size down to 7 pt at which every column gets its least
    width (padding does not shrink with the text)."""
    least = sum(b[0] for b in _width_bounds(table))
    if least <= available:
        return TEXT_PT
    pad = _PAD * len(table.columns)
    fitting = TEXT_PT * (available - pad) / max(least - pad, 1)
    return max(MIN_PT, math.floor(fitting * 2) / 2)


def column_widths(table, available: int, size: float = TEXT_PT) -> list[int]:
    """Column widths (EMU) adding up to at most ``available``: the natural widths scaled to fill
    the page when they fit; else between the two widest bounds that fit (a share of the slack
    to each column); else the least widths scaled down."""
    bounds = _width_bounds(table, size)
    totals = [sum(b[k] for b in bounds) for k in range(3)]
    if totals[2] <= available:
        return [int(b[2] * available / totals[2]) for b in bounds]
    for k in (1, 0):
        if totals[k] <= available:
            share = (available - totals[k]) / (totals[k + 1] - totals[k])
            return [int(b[k] + (b[k + 1] - b[k]) * share) for b in bounds]
    return [int(b[0] * available / totals[0]) for b in bounds]


# --- cell and row properties -----------------------------------------------------------------

def _on(parent, tag: str, *successors: str) -> None:
    element = OxmlElement(tag)
    parent.insert_element_before(element, *successors)


def _row_flags(row, *, header: bool) -> None:
    """Rows never split across pages; header rows repeat at the top of each page."""
    trpr = row._tr.get_or_add_trPr()
    _on(trpr, "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc",
        "w:hidden")
    if header:
        _on(trpr, "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def _keep_start_together(word_table, rows: int) -> None:
    """The header and the first body rows keep with what follows, so a page never ends with a
    table's header alone."""
    for tr in word_table._tbl.tr_lst[:rows]:
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().keepNext_val = True


def _rule_below(tc) -> None:
    """A thin rule under a header cell (``tc``: the cell's XML, the lowest of a merged run)."""
    tcpr = tc.get_or_add_tcPr()
    tcpr.insert_element_before(borders("w:tcBorders", ("bottom",), size=4), "w:shd",
                               "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                               "w:vAlign", "w:hideMark")


def _fill(cell, text: str, *, style: str, align=WD_ALIGN_PARAGRAPH.LEFT, italic=False,
          bottom: bool = False) -> None:
    """``text`` in the cell's paragraph; ``style``: a style id (set directly: python-docx looks a
    style name up by scanning every style, too slow for thousands of cells); ``bottom``: the
    text sits at the foot of the cell (header labels, on the rule below them)."""
    if bottom:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style
    paragraph.alignment = align
    run = paragraph.add_run(text)
    if italic:
        run.italic = True


def _align(column):
    return WD_ALIGN_PARAGRAPH.RIGHT if column.align in _NUMERIC else WD_ALIGN_PARAGRAPH.LEFT


def _group_spans(table) -> list[tuple[int, int, str | None]]:
    """(first, last, group) column index runs of the spanning header (None: no group)."""
    spans, first = [], 0
    for group, count in table.column_spans():
        spans.append((first, first + count - 1, group))
        first += count
    return spans


def _tc_at(row, grid_column: int):
    """The ``w:tc`` of ``row`` at a grid column (the continuation of a vertical merge too)."""
    column = 0
    for tc in row._tr.tc_lst:
        if column == grid_column:
            return tc
        column += tc.grid_span
    raise IndexError(grid_column)


def _header(word_table, table, heading: str) -> int:
    """Write the header rows (``heading``: the style id); returns how many there are (1, or 2
    with column groups)."""
    rows, columns = word_table.rows, table.columns
    if not table.has_column_groups:
        for j, col in enumerate(columns):
            _fill(rows[0].cells[j], col.label, style=heading, bottom=True, align=_align(col))
            _rule_below(rows[0]._tr.tc_lst[j])
        return 1
    for first, last, group in _group_spans(table):
        if group is None:  # an ungrouped label spans both header rows
            cell = rows[0].cells[first].merge(rows[1].cells[first])
            _fill(cell, columns[first].label, style=heading, bottom=True,
                  align=_align(columns[first]))
            _rule_below(_tc_at(rows[1], first))
            continue
        top = rows[0].cells[first].merge(rows[0].cells[last]) if last > first else \
            rows[0].cells[first]
        _fill(top, group, style=heading, bottom=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _rule_below(top._tc)
        for j in range(first, last + 1):
            _fill(rows[1].cells[j], columns[j].label, style=heading, bottom=True,
                  align=_align(columns[j]))
            _rule_below(_tc_at(rows[1], j))
    return 2


def body_rows(table) -> list[tuple[str, object]]:
    """The table's body as Word rows: ("group", name) opening each named row group, then
    ("row", row) for each row."""
    out: list[tuple[str, object]] = []
    for group, rows in table.row_blocks():
        if group:
            out.append(("group", group))
        out.extend(("row", row) for row in rows)
    return out


def _set_widths(word_table, widths: list[int]) -> None:
    word_table.autofit = False  # fixed layout: Word and LibreOffice keep these widths
    widths = [w // _TWIP * _TWIP for w in widths]  # whole twips: Word's unit, never rounded up
    for j, width in enumerate(widths):
        word_table.columns[j].width = Emu(width)
    for tr in word_table._tbl.tr_lst:  # before any merge: one cell per grid column
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = Emu(width)
    tblw = word_table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(widths) // _TWIP))


def add_table(doc, table, number: int, *, available: int, appendix: bool = False):
    """Caption, the Word table, footnotes and source note for one display table."""
    add_caption(doc, "Table", number, table.title, synthetic=table.synthetic, appendix=appendix)
    body = body_rows(table)
    n_header = 2 if table.has_column_groups else 1
    word_table = doc.add_table(rows=n_header + len(body), cols=len(table.columns))
    word_table.style = doc.styles[TABLE_STYLE]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = text_size(table, available)
    _set_widths(word_table, column_widths(table, available, size))
    text = doc.styles[TABLE_TEXT].style_id
    _header(word_table, table, doc.styles[TABLE_HEADING].style_id)
    for i, row in enumerate(word_table.rows):
        _row_flags(row, header=i < n_header)
    _keep_start_together(word_table, n_header + 2)
    for (kind, item), row in zip(body, word_table.rows[n_header:], strict=True):
        if kind == "group":
            cell = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
            _fill(cell, item, style=text, italic=True)
            continue
        for tc, col, value in zip(row._tr.tc_lst, table.columns, item.cells, strict=True):
            _fill(_Cell(tc, word_table), value, style=text, align=_align(col))
    if size < TEXT_PT:  # direct formatting on this table only; the style stays as it is
        for run in word_table._tbl.iter(qn("w:r")):
            Run(run, word_table).font.size = Pt(size)
    _notes(doc, table)
    return word_table


def _notes(doc, table) -> None:
    """Footnotes, source note and synthetic label under the table (the model's ``notes``)."""
    for note in table.notes() or [""]:  # an empty note still leaves a gap before what follows
        doc.add_paragraph(note, style=TABLE_NOTE)
