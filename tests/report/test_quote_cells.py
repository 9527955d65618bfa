"""Cells holding several quotes (the quote matrix): a newline in a cell is a line break in every
rendering (static HTML, the interactive itables view and its static preview, Word), never a
literal backslash-n or quotes run together; text is still escaped."""

from __future__ import annotations

import json
import re

from docx.oxml.ns import qn

from wave_analysis.report import Column, DisplayTable, Row
from wave_analysis.report.interactive import interactive_html
from wave_analysis.report.word.document import new_document
from wave_analysis.report.word.tables import add_table

QUOTES = "“It helped.” (Patient 01)\n“Not at first.” (Patient 02)"
HOSTILE = "<script>alert(1)</script> & “x”"


def _table() -> DisplayTable:
    return DisplayTable(
        name="06_quote_matrix", title="Quote matrix",
        columns=(Column("name", "Theme"), Column("patient", "Patient <group>")),
        rows=(Row(("Planning", QUOTES)), Row(("Other", HOSTILE))),
        synthetic=True, participant_level=True, interactive=True, orientation="landscape")


def _literal_newline(markup: str) -> bool:
    """A backslash-n between the two quotes, however many times it was escaped."""
    return re.search(r"\(Patient 01\)\\+n", markup) is not None


def test_static_html_breaks_the_line_between_quotes_and_escapes_text():
    markup = _table().to_html()
    assert "(Patient 01)<br>“Not at first.”" in markup
    assert not _literal_newline(markup)
    assert "<script>alert" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


def test_interactive_view_and_its_static_preview_break_the_line_between_quotes():
    markup = interactive_html(_table(), with_init=False)
    assert not _literal_newline(markup)
    preview = markup.split('id="wave-itable-06_quote_matrix_fallback"', 1)[1]
    assert "(Patient 01)<br>“Not at first.”" in preview
    data = re.search(r'"data_json": ("(?:[^"\\]|\\.)*")', markup).group(1)
    rows = json.loads(json.loads(data))
    assert rows[0][1] == "“It helped.” (Patient 01)<br>“Not at first.” (Patient 02)"
    assert rows[1][1] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “x”"  # still escaped
    assert "<script>alert" not in markup
    header = re.search(r'"table_html": "((?:[^"\\]|\\.)*)"', markup).group(1)
    assert "Patient &lt;group&gt;" in header


def test_the_literal_newline_check_can_fail():
    assert _literal_newline("(Patient 01)\\n“Not") and _literal_newline("(Patient 01)\\\\n“")


def test_word_cell_has_a_line_break_between_quotes():
    doc = new_document()
    word_table = add_table(doc, _table(), 1, available=9_000_000)
    cell = word_table.rows[1].cells[1]._tc
    parts = [("br" if el.tag == qn("w:br") else el.text)
             for el in cell.iter(qn("w:t"), qn("w:br"))]
    assert parts == ["“It helped.” (Patient 01)", "br", "“Not at first.” (Patient 02)"]
