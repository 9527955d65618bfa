"""The page shell of the HTML report and the notebook pages.

A notebook page is nbconvert's ``basic`` template (no script, no CDN) inside a shell with a
sticky sidebar: a "Show code" toggle and a table of contents built from the page's headings.
Code cells and the In/Out prompts are hidden by the stylesheet until the toggle is ticked (a
visually hidden checkbox before the page, so pure CSS: ``#show-code:checked ~ .page .input``).
Papermill's injected parameters cell is folded into one "Parameters used" line (values that differ
from the notebook's defaults in bold); the notebook's own ``parameters`` cell is code, hidden with
the rest.
"""

from __future__ import annotations

import ast
import html
import re
from html.parser import HTMLParser
from pathlib import Path

INJECTED_TAG = "injected-parameters"
DEFAULTS_TAG = "parameters"
PARAMETERS_USED_TAG = "parameters-used"  # nbconvert gives the cell's div class celltag_<tag>
REPORT_TITLE = "WAVE analysis report"

_TOGGLE = ('<label for="show-code" class="code-toggle" id="show-code-label">'
           '<span class="when-off">Show code</span><span class="when-on">Hide code</span>'
           "</label>\n")


def page(title: str, body: str, *, root: str = "", banner: str = "", sidebar: str = "",
         code_toggle: bool = False) -> str:
    """A complete HTML page: the team-only ``banner`` first, a top bar linking to the index,
    then ``body`` (beside ``sidebar`` when given). ``root`` is the path from the page to the
    site's top folder ("" or "../"). ``code_toggle`` adds the "Show code" checkbox."""
    esc = html.escape
    warning = (f'<div class="team-only" id="team-only" role="alert">{esc(banner)}</div>\n'
               if banner else "")
    checkbox = ('<input type="checkbox" id="show-code" class="visually-hidden" '
                'aria-controls="content">\n' if code_toggle else "")
    side = f'<aside class="sidebar">\n{sidebar}</aside>\n' if sidebar else ""
    layout = "page with-sidebar" if sidebar else "page"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" href="{root}style.css">\n</head>\n<body>\n'
            f'{warning}<header class="topbar"><a href="{root}index.html">{REPORT_TITLE}</a>'
            "</header>\n"
            f'{checkbox}<div class="{layout}">\n{side}<main id="content">\n{body}\n</main>\n'
            "</div>\n</body>\n</html>\n")


# ----------------------------------------------------------------------------- parameters


def _assignments(source: str) -> dict[str, str]:
    """``name -> value as written`` for each top-level assignment of a parameters cell; {} when
    the cell is not valid Python."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
        if isinstance(target, ast.Name) and node.value is not None:
            found[target.id] = ast.get_source_segment(source, node.value) or ""
    return found


def _same_value(a: str, b: str) -> bool:
    try:
        return ast.literal_eval(a) == ast.literal_eval(b)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return a == b


def parameters_line(injected: str, defaults: str = "") -> str:
    """The injected parameters cell as one Markdown line: ``name=value`` each in a code span,
    bold where the value differs from the ``defaults`` cell."""
    own = _assignments(defaults)
    items = []
    for name, value in _assignments(injected).items():
        text = f"{name}={value}".replace("\n", " ")
        ticks = "``" if "`" in text else "`"
        span = f"{ticks} {text} {ticks}" if ticks == "``" else f"`{text}`"
        changed = name in own and not _same_value(own[name], value)
        items.append(f"**{span}**" if changed else span)
    if not items:
        return "**Parameters used:** none"
    note = " (bold: differs from the notebook's default)" if "**`" in "".join(items) else ""
    return "**Parameters used:** " + ", ".join(items) + note


def fold_parameters(nb) -> None:
    """Replace papermill's injected parameters cell of ``nb`` (in place) by a Markdown cell
    tagged ``parameters-used`` holding its one-line summary."""
    import nbformat

    tags = [set(cell.get("metadata", {}).get("tags", [])) for cell in nb.cells]
    defaults = next((c.source for c, t in zip(nb.cells, tags, strict=True)
                     if DEFAULTS_TAG in t), "")
    for i, (cell, cell_tags) in enumerate(zip(nb.cells, tags, strict=True)):
        if INJECTED_TAG in cell_tags:
            folded = nbformat.v4.new_markdown_cell(parameters_line(cell.source, defaults))
            folded.metadata["tags"] = [PARAMETERS_USED_TAG]
            folded.id = cell.get("id") or f"{INJECTED_TAG}-{i}"
            nb.cells[i] = folded


# ----------------------------------------------------------------------------- contents


class _Headings(HTMLParser):
    """Collects (level, id, text) of every h1-h3 with an id (nbconvert gives Markdown headings
    one), without the "¶" anchor link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._open: tuple[int, str] | None = None
        self._text: list[str] = []
        self._in_anchor = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-3]", tag) and attributes.get("id"):
            self._open, self._text = (int(tag[1]), attributes["id"]), []
        elif tag == "a" and "anchor-link" in (attributes.get("class") or ""):
            self._in_anchor = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_anchor = False
        elif self._open and tag == f"h{self._open[0]}":
            text = " ".join("".join(self._text).split())
            self.found.append((self._open[0], self._open[1], text))
            self._open = None

    def handle_data(self, data):
        if self._open and not self._in_anchor:
            self._text.append(data)


def headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h1-h3 headings of ``body`` that carry an id, in order."""
    parser = _Headings()
    parser.feed(body)
    parser.close()
    return parser.found


def contents(found: list[tuple[int, str, str]]) -> str:
    """The table of contents (h2 and h3; the h1 is the page's title) as a nested list."""
    esc = html.escape
    items = [(level, anchor, text) for level, anchor, text in found if level > 1]
    if not items:
        return ""
    lines, depth = ['<nav class="toc" aria-label="Contents">\n<h2>Contents</h2>\n<ul>'], 2
    for level, anchor, text in items:
        if level > depth:
            lines.append("<ul>")
        elif level < depth:
            lines.append("</li></ul></li>")
        elif len(lines) > 1:
            lines.append("</li>")
        depth = level
        lines.append(f'<li><a href="#{esc(anchor)}">{esc(text)}</a>')
    lines.append("</li>" + "</ul></li>" * (depth - 2) + "</ul>\n</nav>\n")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- notebook pages


def render_notebook(path: Path, *, banner: str = "") -> tuple[str, str]:
    """One executed notebook as an offline HTML page: code and prompts hidden until "Show code"
    is ticked, the injected parameters as one line, a table of contents. Returns (page, title);
    the title is the notebook's first heading (its file name when it has none)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    fold_parameters(nb)
    body, _ = HTMLExporter(template_name="basic").from_notebook_node(nb)
    # the basic template may still carry MathJax/require hooks; no page loads a remote script
    body = re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", body)
    found = headings(body)
    title = next((text for level, _, text in found if level == 1), path.name.split(".")[0])
    sidebar = _TOGGLE + contents(found)
    return page(title, body, banner=banner, sidebar=sidebar, code_toggle=True), title
