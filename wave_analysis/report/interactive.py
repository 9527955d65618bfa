"""Sortable, searchable views of long display tables (codebook, quote matrix, case matrix,
co-occurrence pairs) with ``itables`` in its offline mode: the DataTables library is embedded in
the page itself (base64, from the installed itables package), so the table works in JupyterLab
and in the nbconvert HTML report with no network.

The library is embedded once per process (the first interactive table a kernel shows carries it;
later tables wait for it). ``offline_init_html()`` returns that block on its own, for a page that
wants it in its head. Without JavaScript a reader sees itables' static preview of the rows.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from wave_analysis.report.html import STYLE, caption_html, cell_html, notes_html

# Functions here take a ``table.DisplayTable`` (not imported: the model imports this module).

_PAGE_LENGTH = 15
# The search box first and always (itables hides the controls of a table that fits one page,
# but a reader searches a short quote matrix too).
_LAYOUT = {"topStart": "search", "topEnd": "pageLength", "bottomStart": "info",
           "bottomEnd": "paging"}
_state = {"initialised": False}


def offline_init_html() -> str:
    """The offline DataTables bundle and itables' init script, as one HTML block (no URLs)."""
    from itables import javascript, options

    init = javascript.read_package_file("html/init_datatables.html")
    connected_import = ("import { set_or_remove_dark_class } from '"
                        + javascript.UNPKG_DT_BUNDLE_URL_NO_VERSION + "';")
    local_import = ("const { set_or_remove_dark_class } = await window."
                    + javascript._itables_underscore_version() + ";")
    init = javascript.replace_value(init, connected_import, local_import)
    offline = javascript.generate_init_offline_itables_html(options.dt_bundle)
    offline = offline.split("<noscript>")[0]  # drop the "is your notebook trusted?" logo link
    return offline + init  # the bundle's loader first: the dark-theme hook awaits it


def interactive_html(table, *, with_init: bool | None = None) -> str:
    """The table as an itables DataTable (sortable, searchable, paged) with its caption, the
    synthetic label and notes. ``with_init``: embed the offline library (default: the first
    time in this process)."""
    from itables import to_html_datatable

    if with_init is None:
        with_init = not _state["initialised"]
    datatable = to_html_datatable(
        _html_frame(table), connected=False, showIndex=False, allow_html=True,
        classes="display compact", pageLength=_PAGE_LENGTH, layout=_LAYOUT,
        lengthMenu=[_PAGE_LENGTH, 50, 100, -1], scrollX=True,
        table_id=f"wave-itable-{table.name}", display_logo_when_loading=False)
    datatable = _strip_help_links(datatable)
    _state["initialised"] = _state["initialised"] or with_init
    parts = [offline_init_html() if with_init else "", STYLE,
             f'<div class="wave-table interactive {table.orientation}" '
             f'data-name="{html.escape(table.name, quote=True)}">',
             f'<div class="wave-table-title"><strong>{caption_html(table)}</strong></div>',
             '<div class="wave-table-scroll">', datatable, "</div>", notes_html(table), "</div>"]
    return "\n".join(p for p in parts if p) + "\n"


def _flat_frame(table) -> pd.DataFrame:
    """The displayed text with one header row ("group: label" for grouped columns; DataTables
    fails on pandas' two-level headers with blank groups) and row groups as a first column."""
    frame = table.to_frame(header="key")
    frame.columns = [f"{c.group}: {c.label}" if c.group else c.label for c in table.columns]
    if frame.index.name == "group":
        frame = frame.reset_index().rename(columns={"group": "Group"})
    return frame


def _html_frame(table) -> pd.DataFrame:
    """``_flat_frame`` as HTML we escaped ourselves (headers and cells), with each newline in a
    cell a ``<br>``: itables, left to escape, keeps the newline, which DataTables runs into the
    next quote and its static preview shows as a literal backslash-n."""
    frame = _flat_frame(table)
    frame.columns = [html.escape(str(c), quote=True) for c in frame.columns]
    return frame.map(cell_html)


_HELP_LINK = re.compile(r"\(need <a href=https://itables\.org[^>]*>help</a>\?\)|"
                        r"<a href=https://itables\.org[^>]*>[^<]*</a>")


def _strip_help_links(markup: str) -> str:
    """itables links its loading message and static preview to its online help; drop those
    links so an offline page refers to no web address at all."""
    return _HELP_LINK.sub("", markup)
