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

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from wave_analysis.report.word.captions import add_caption
from wave_analysis.report.word.document import (
    TABLE_HEADING,
    TABLE_NOTE,
    TABLE_STYLE,
    TABLE_TEXT,
)

_CHAR = Pt(9 * 0.55)  # mean width of a character of 9 pt Arial (digits are 0.556 em)
_PAD = Pt(2 * 4.25 + 2)  # the table style's left and right cell margins, and a little air
_WRAP = 40  # text columns wrap at about this many characters
_NUMERIC = ("right", "decimal")


def _texts(table, j: int) -> list[str]:
    return [row.cells[j] for row in table.rows]


def _width_bounds(table) -> list[tuple[int, int]]:
    """(minimum, natural) width of each column in EMU."""
    bounds = []
    for j, col in enumerate(table.columns):
        texts = _texts(table, j)
        numeric = col.align in _NUMERIC
        label_words = max((len(w) for w in col.label.split()), default=1)
        longest = max((len(t) for t in texts), default=1)
        words = max((len(w) for t in texts for w in t.split()), default=1)
        lo = max(label_words, longest if numeric else words)
        label = -(-len(col.label) // 2)  # a header may take two lines
        hi = max(lo, min(max(longest, label), max(_WRAP, lo)))
        bounds.append((int(lo * _CHAR + _PAD), int(hi * _CHAR + _PAD)))
    return bounds


def needs_landscape(table, portrait_width: int) -> bool:
    """Landscape when the model says so or the columns cannot fit a portrait page unbroken."""
    minimum = sum(lo for lo, _ in _width_bounds(table))
    return table.orientation == "landscape" or minimum > portrait_width


def column_widths(table, available: int) -> list[int]:
    """Column widths (EMU) that add up to at most ``available``: natural widths scaled to fill
    the page when they fit; else the minimum plus a share of the rest; else the minimum scaled."""
    bounds = _width_bounds(table)
    lo = sum(b[0] for b in bounds)
    hi = sum(b[1] for b in bounds)
    if hi <= available:
        return [int(b[1] * available / hi) for b in bounds]
    if lo <= available:
        share = (available - lo) / (hi - lo)
        return [int(b[0] + (b[1] - b[0]) * share) for b in bounds]
    return [int(b[0] * available / lo) for b in bounds]


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


def _rule_below(tc) -> None:
    """A thin rule under a header cell (``tc``: the cell's XML, the lowest of a merged run)."""
    tcpr = tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    tcpr.insert_element_before(borders, "w:shd", "w:noWrap", "w:tcMar", "w:textDirection",
                               "w:tcFitText", "w:vAlign", "w:hideMark")


def _fill(cell, text: str, *, style: str, align=WD_ALIGN_PARAGRAPH.LEFT, italic=False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
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


def _header(word_table, table) -> int:
    """Write the header rows; returns how many there are (1, or 2 with column groups)."""
    rows, columns = word_table.rows, table.columns
    if not table.has_column_groups:
        for j, col in enumerate(columns):
            _fill(rows[0].cells[j], col.label, style=TABLE_HEADING, align=_align(col))
            _rule_below(rows[0]._tr.tc_lst[j])
        return 1
    for first, last, group in _group_spans(table):
        if group is None:  # an ungrouped label spans both header rows
            cell = rows[0].cells[first].merge(rows[1].cells[first])
            _fill(cell, columns[first].label, style=TABLE_HEADING, align=_align(columns[first]))
            _rule_below(_tc_at(rows[1], first))
            continue
        top = rows[0].cells[first].merge(rows[0].cells[last]) if last > first else \
            rows[0].cells[first]
        _fill(top, group, style=TABLE_HEADING, align=WD_ALIGN_PARAGRAPH.CENTER)
        _rule_below(top._tc)
        for j in range(first, last + 1):
            _fill(rows[1].cells[j], columns[j].label, style=TABLE_HEADING,
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
    for j, width in enumerate(widths):
        word_table.columns[j].width = Emu(width)
        for cell in word_table.columns[j].cells:
            cell.width = Emu(width)
    tblw = word_table._tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(sum(widths) // 635))  # EMU -> twentieths of a point


def add_table(doc, table, number: int, *, available: int, appendix: bool = False):
    """Caption, the Word table, footnotes and source note for one display table."""
    add_caption(doc, "Table", number, table.title, synthetic=table.synthetic, appendix=appendix)
    body = body_rows(table)
    n_header = 2 if table.has_column_groups else 1
    word_table = doc.add_table(rows=n_header + len(body), cols=len(table.columns))
    word_table.style = doc.styles[TABLE_STYLE]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(word_table, column_widths(table, available))
    _header(word_table, table)
    for i, row in enumerate(word_table.rows):
        _row_flags(row, header=i < n_header)
    for (kind, item), row in zip(body, word_table.rows[n_header:], strict=True):
        if kind == "group":
            cell = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
            _fill(cell, item, style=TABLE_TEXT, italic=True)
            continue
        for j, col in enumerate(table.columns):
            _fill(row.cells[j], item.cells[j], style=TABLE_TEXT, align=_align(col))
    _notes(doc, table)
    return word_table


def _notes(doc, table) -> None:
    """Footnotes, source note and synthetic label under the table (the model's ``notes``)."""
    for note in table.notes() or [""]:  # an empty note still leaves a gap before what follows
        doc.add_paragraph(note, style=TABLE_NOTE)
