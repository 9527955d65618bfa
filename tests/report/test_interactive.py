"""report.interactive: long tables as itables DataTables that work offline (the library is
embedded in the page, nothing is fetched)."""

from __future__ import annotations

import base64
import re

import pytest

from wave_analysis.report import Column, DisplayTable, Row
from wave_analysis.report.html import SYNTHETIC_LABEL
from wave_analysis.report.interactive import interactive_html, offline_init_html

# Anything that would make a browser fetch from the network: src/href to a URL, an ES import or
# CSS url() of one, or a bare "https://" in the markup outside the embedded base64 bundle.
_FETCH = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|import[^;]*["']https?://|"""
                    r"""url\(\s*["']?https?://|https?://""", re.IGNORECASE)


def _long(n: int = 60) -> DisplayTable:
    return DisplayTable(
        name="06_cooccurrence", title="Co-occurrence of themes",
        columns=(Column("a", "Theme A"), Column("n", "n both", group="Counts", align="decimal")),
        rows=tuple(Row((f"Theme {i}", str(i)), "Segment" if i % 2 else "Interview")
                   for i in range(n)),
        footnotes=("Pairs of themes.",), source_note="Co-occurrence; notebook 06",
        synthetic=True, interactive=True)


def _markup_outside_base64(markup: str) -> str:
    return re.sub(r'"[A-Za-z0-9+/=]{200,}"', '""', markup)


def test_the_offline_bundle_is_embedded_and_nothing_is_fetched():
    init = offline_init_html()
    blobs = re.findall(r'"([A-Za-z0-9+/=]{200,})"', init)
    assert len(blobs) == 2  # the DataTables module and its CSS
    decoded = [base64.b64decode(b).decode("utf-8") for b in blobs]
    assert any("DataTable" in d for d in decoded) and any("--dt-row-selected" in d
                                                          for d in decoded)
    assert not _FETCH.search(_markup_outside_base64(init)), "the init block fetches"


def test_an_interactive_table_has_no_external_urls_and_keeps_label_and_notes():
    markup = interactive_html(_long(), with_init=True)
    visible = _markup_outside_base64(markup)
    assert not _FETCH.search(visible), _FETCH.search(visible)
    assert 'id="wave-itable-06_cooccurrence"' in visible
    assert SYNTHETIC_LABEL in visible and "Source: Co-occurrence; notebook 06" in visible
    assert '"pageLength": 15' in visible  # paged, with the search box DataTables adds
    assert "Theme 59" in visible  # every row is in the page data (searchable, not truncated)


def test_the_bundle_is_embedded_once_per_process_unless_asked():
    first = interactive_html(_long(), with_init=True)
    again = interactive_html(_long())
    assert len(first) > 500_000 > len(again)
    assert interactive_html(_long(), with_init=False).count("injectModule") == 0


def test_the_fetch_pattern_can_fail():
    for bad in ('<script src="https://cdn.example/x.js">', "import {a} from 'https://u.pkg/x';",
                "<a href=https://itables.org/>", "url(https://x/y.css)"):
        assert _FETCH.search(bad), bad


@pytest.mark.parametrize("rows", [1, 100])
def test_one_header_row_row_groups_as_a_column_and_the_search_box_always(rows):
    markup = interactive_html(_long(rows), with_init=False)
    header = re.search(r'"table_html": "((?:[^"\\]|\\.)*)"', markup).group(1)
    assert header.count("<tr") == 1  # DataTables fails on pandas' two-level blank headers
    assert [h for h in re.findall(r"<th[^>]*>([^<]*)</th>", header)] == [
        "Group", "Theme A", "Counts: n both"]
    assert '"topStart": "search"' in markup  # kept even when the rows fit one page
