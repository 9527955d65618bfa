"""Static HTML of a ``DisplayTable``: the markup the notebook, the nbconvert pages and the HTML
report show (the interactive view of long tables is in ``interactive``).

Structure, so a test or a stylesheet can rely on it: ``<div class="wave-table" data-name=...>``
holds a scrolling box ``<div class="wave-table-scroll">`` around one ``<table>``; its
``<caption>`` has the title and, for synthetic data, ``<span class="synthetic-label">``; ``<thead>``
has one row, or two when columns are grouped (group cells span their columns, ungrouped columns
span both rows); a row group is a ``<tr class="row-group">`` heading row; the notes (footnotes,
source, synthetic label) follow the table in ``<div class="wave-table-notes">``.
"""

from __future__ import annotations

import html

# Functions here take a ``table.DisplayTable`` (not imported: the model imports this module).
SYNTHETIC_LABEL = "SYNTHETIC DATA: not real participants"
# Minimal styling so a table reads well in JupyterLab and in the static HTML without a stylesheet;
# every rule is scoped to .wave-table so it never restyles the page around it.
STYLE = """<style>
.wave-table{margin:0.5em 0 1.5em 0;max-width:100%}
.wave-table .wave-table-scroll{overflow-x:auto;max-width:100%}
.wave-table table{border-collapse:collapse;font-size:0.9em;font-variant-numeric:tabular-nums}
.wave-table caption{caption-side:top;text-align:left;font-weight:bold;padding:0.3em 0}
.wave-table th,.wave-table td{padding:0.25em 0.6em;vertical-align:top}
.wave-table thead th{border-bottom:1px solid #444;text-align:center}
.wave-table thead tr:first-child th{border-top:2px solid #222}
.wave-table tbody tr:last-child td{border-bottom:2px solid #222}
.wave-table .left{text-align:left}
.wave-table .right,.wave-table .decimal{text-align:right;white-space:nowrap}
.wave-table tr.row-group th{text-align:left;font-style:italic;background:#f4f4f4}
.wave-table .synthetic-label{color:#b2182b;font-weight:bold;font-size:0.85em;margin-left:0.6em}
.wave-table .wave-table-notes{font-size:0.85em;color:#333;margin:0.3em 0 0 0}
.wave-table .wave-table-notes p{margin:0.15em 0}
</style>"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def cell_html(text: str) -> str:
    """A cell's text as HTML: escaped, each newline a ``<br>`` (a cell holding several quotes
    shows one per line; HTML would otherwise run them together)."""
    return _e(text).replace("\n", "<br>")


def _header(table) -> list[str]:
    if not table.has_column_groups:
        cells = "".join(f'<th scope="col" class="{c.align}">{_e(c.label)}</th>'
                        for c in table.columns)
        return [f"<tr>{cells}</tr>"]
    top, bottom, i = [], [], 0
    for group, span in table.column_spans():
        cols = table.columns[i:i + span]
        i += span
        if group is None:  # an ungrouped column: its label spans both header rows
            top.extend(f'<th scope="col" rowspan="2" class="{c.align}">{_e(c.label)}</th>'
                       for c in cols)
            continue
        top.append(f'<th scope="colgroup" colspan="{span}" class="column-group">{_e(group)}</th>')
        bottom.extend(f'<th scope="col" class="{c.align}">{_e(c.label)}</th>' for c in cols)
    return [f"<tr>{''.join(top)}</tr>", f"<tr>{''.join(bottom)}</tr>"]


def _body(table) -> list[str]:
    lines, width = [], len(table.columns)
    aligns = [c.align for c in table.columns]
    for group, rows in table.row_blocks():
        if group is not None:
            lines.append(f'<tr class="row-group"><th colspan="{width}" scope="rowgroup">'
                         f"{_e(group)}</th></tr>")
        for row in rows:
            cells = "".join(f'<td class="{a}">{cell_html(v)}</td>'
                            for a, v in zip(aligns, row.cells, strict=True))
            lines.append(f"<tr>{cells}</tr>")
    return lines


def caption_html(table) -> str:
    """The caption's inner HTML: the title and, for synthetic data, the synthetic label."""
    label = (f' <span class="synthetic-label">{_e(SYNTHETIC_LABEL)}</span>'
             if table.synthetic else "")
    return f"{_e(table.title)}{label}"


def notes_html(table) -> str:
    """The notes under the table as ``<div class="wave-table-notes">`` (empty when none)."""
    notes = table.notes()
    if not notes:
        return ""
    paragraphs = []
    for note in notes:
        cls = ' class="synthetic-label"' if note == SYNTHETIC_LABEL and table.synthetic else ""
        paragraphs.append(f"<p{cls}>{_e(note)}</p>")
    return f'<div class="wave-table-notes">{"".join(paragraphs)}</div>'


def render_table(table) -> str:
    """The table as an HTML fragment (see the module docstring for its structure)."""
    parts = [
        f'<div class="wave-table {table.orientation}" data-name="{_e(table.name)}">',
        '<div class="wave-table-scroll">',
        f'<table class="wave-display-table" id="wave-table-{_e(table.name)}">',
        f"<caption>{caption_html(table)}</caption>",
        "<thead>", *_header(table), "</thead>",
        "<tbody>", *_body(table), "</tbody>",
        "</table>", "</div>",
        notes_html(table),
        "</div>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
