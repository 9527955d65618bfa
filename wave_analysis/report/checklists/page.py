"""The filled checklists as one offline HTML page: a coverage summary, then one table per
guideline whose evidence cells link (relative links) to the run's files."""

from __future__ import annotations

from html import escape

from wave_analysis.report.checklists.filled import FilledChecklist, FilledItem
from wave_analysis.report.table import SYNTHETIC_LABEL

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:72em;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;font-size:0.9em}
th,td{border-bottom:1px solid #ddd;padding:0.35em 0.5em;text-align:left;vertical-align:top}
td.evidenced,td.authors{white-space:nowrap}
th{background:#f3f3f3}td.num{text-align:right}
.evidenced{color:#1a7f37;font-weight:600}.authors{color:#8a6d00}
.synthetic{background:#fde8e8;border:1px solid #b2182b;color:#b2182b;font-weight:bold;
padding:0.5em 0.8em}
.cite{color:#555;font-size:0.9em}
"""


def _evidence_cell(filled: FilledItem) -> str:
    if not filled.found:
        return ""
    return "<br>".join(f'<a href="{escape(path)}">{escape(artefact.what)}</a>'
                       for artefact, path in filled.found)


def _item_row(filled: FilledItem) -> str:
    item = filled.item
    css = "evidenced" if filled.found else "authors"
    return (f"<tr><td>{escape(item.id)}</td><td>{escape(item.section)}</td>"
            f"<td><strong>{escape(item.topic)}</strong>: {escape(item.paraphrase)}</td>"
            f"<td>{_evidence_cell(filled)}</td>"
            f'<td class="{css}">{escape(filled.status)}</td></tr>')


def _summary(checklists: tuple[FilledChecklist, ...]) -> str:
    rows = "".join(
        f"<tr><td><a href=\"#{escape(c.guideline.key)}\">{escape(c.label)}</a></td>"
        f'<td class="num">{c.evidenced}</td><td class="num">{len(c.items)}</td>'
        f'<td class="num">{c.guideline.numbered_items}</td></tr>' for c in checklists)
    return ("<table><thead><tr><th>Guideline</th><th>Items evidenced by this run</th>"
            "<th>Checklist entries</th><th>Numbered items</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _section(checklist: FilledChecklist) -> str:
    g = checklist.guideline
    rows = "".join(_item_row(f) for f in checklist.items)
    return (f'<h2 id="{escape(g.key)}">{escape(checklist.label)}</h2>'
            f'<p class="cite">{escape(g.citation)}</p>'
            f"<p>{checklist.evidenced} of {len(checklist.items)} items evidenced by this run; "
            "the others are for the authors to complete.</p>"
            "<table><thead><tr><th>Item</th><th>Section</th><th>What to report (our "
            "paraphrase)</th><th>Evidence in this run</th><th>Status</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def checklists_page(checklists: tuple[FilledChecklist, ...], *, synthetic: bool) -> str:
    """The whole page as text (deterministic: no dates, the guidelines' order)."""
    banner = (f'<p class="synthetic">{escape(SYNTHETIC_LABEL)}: these checklists point to '
              "outputs of synthetic data.</p>" if synthetic else "")
    body = "".join(_section(c) for c in checklists)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Reporting checklists</title><style>{_CSS}</style></head><body>"
            f"{banner}<h1>Reporting checklists, filled from this run</h1>"
            "<p>Each item the run's outputs evidence links to them; the rest say \"authors to "
            "complete\". Items are paraphrased in our own words: report against the official "
            "checklists cited below.</p>"
            f"{_summary(checklists)}{body}</body></html>\n")
