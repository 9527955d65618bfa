"""The index pages of the HTML report and the figure pages.

The full site's index leads with what the run was (data folder, synthetic or real, run, date,
parameters, status of each notebook), then the documents made from the run (the Word report(s)
and the reporting checklists, when present), the notebooks, and a gallery of even tiles: each
figure with its title and caption (from the figure's sidecar, ``.artefacts/<file>.json``, keys
``title`` and ``caption``) linking to a page of its own. The cache keys and package versions sit
in a collapsed section at the bottom. The shareable site's index has the same summary,
documents (never a team-only one), gallery and figure pages, and lists its tables.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from wave_analysis._sidecars import read_sidecar, title_from_name
from wave_analysis.runner.manifest import MANIFEST_NAME
from wave_analysis.runner.site_pages import REPORT_TITLE, page

esc = html.escape


@dataclass(frozen=True)
class Document:
    """A document made from the run that the index links to when the file exists."""

    path: str  # relative to the folder holding the run's reports
    title: str
    note: str
    team_only: bool = False  # never linked from the shareable site


DOCUMENTS = (
    Document("wave_report.docx", "Word report",
             "every result table as an editable Word table, the figures and generated methods "
             "text for the authors to edit"),
    Document("wave_report_team_only.docx", "Word report: team only",
             "the participant-level tables (case matrix, quotes with speaker labels); do not "
             "share", team_only=True),
    Document("checklists/checklists.html", "Reporting checklists",
             "CONSORT 2025 with the pilot and feasibility extension, GRAMMS and the qualitative "
             "checklist, each item pointing to its evidence or left to the authors"),
)


def present_documents(*folders: Path, team_only: bool) -> list[tuple[Document, Path]]:
    """The known documents that exist, each from the first of ``folders`` holding it (team-only
    ones only when ``team_only``)."""
    found = []
    for doc in DOCUMENTS:
        paths = [Path(f) / doc.path for f in folders if (Path(f) / doc.path).is_file()]
        if paths and (team_only or not doc.team_only):
            found.append((doc, paths[0]))
    return found


@dataclass(frozen=True)
class Figure:
    """One figure of a site: its PNG in ``site/figures`` and what the gallery says of it."""

    stem: str
    svg: bool  # an SVG twin sits beside the PNG
    title: str
    caption: str
    notebook: str = ""  # the notebook that drew it ("" on the shareable site)

    @property
    def anchor(self) -> str:
        return f"fig-{self.stem}"


def figure_labels(png: Path) -> tuple[str, str]:
    """(title, caption) of a figure from its sidecar ``.artefacts/<file>.json``; the title falls
    back to one made from the file name, the caption to ""."""
    record = read_sidecar(png) or {}
    title = str(record.get("title") or "").strip() or title_from_name(png.stem)
    return title, str(record.get("caption") or "").strip()


# ----------------------------------------------------------------------------- run summary


def run_date(reports_dir: Path) -> str:
    """When the run finished: the time the manifest was last written, in UTC."""
    try:
        stamp = (Path(reports_dir) / MANIFEST_NAME).stat().st_mtime
    except OSError:
        return "not recorded"
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _parameter_values(entries: dict) -> str:
    """The parameter values of the run: one ``name=value`` per name that every notebook
    declaring it received with the same value; the others are listed per notebook below."""
    values: dict[str, set[str]] = {}
    for entry in entries.values():
        for key, value in entry.get("parameters", {}).items():
            if not key.endswith("_dir"):
                values.setdefault(key, set()).add(json.dumps(value, sort_keys=True))
    same = [f"<code>{esc(k)}={esc(next(iter(v)))}</code>" for k, v in sorted(values.items())
            if len(v) == 1]
    differ = sorted(k for k, v in values.items() if len(v) > 1)
    text = ", ".join(same) or "none"
    if differ:
        text += "; differing between notebooks: " + ", ".join(differ) + " (see Notebooks)"
    return text


def _status_counts(entries: dict) -> str:
    counts: dict[str, int] = {}
    for entry in entries.values():
        counts[entry.get("status", "unknown")] = counts.get(entry.get("status", "unknown"), 0) + 1
    return f"{len(entries)} notebooks: " + ", ".join(
        f'<span class="status-{esc(s)}">{n} {esc(s)}</span>' for s, n in sorted(counts.items()))


def run_summary(manifest: dict, *, date: str, notebooks: bool = True) -> str:
    """The box that opens an index page: which data, synthetic or real, which run, when, with
    which parameters and (``notebooks``) how each notebook ended."""
    run = manifest.get("run", {}) if isinstance(manifest.get("run"), dict) else {}
    data = run.get("data") if isinstance(run.get("data"), dict) else None
    rows = []
    if data is None:
        rows.append(("Data used", "not recorded in the manifest"))
    else:
        digest = str(data.get("digest", ""))[:16]
        rows.append(("Data used", f"<strong>{esc(str(data.get('description', '')))}</strong> "
                     f"(folder <code>{esc(str(data.get('folder', '')))}</code>, content digest "
                     f"<code>{esc(digest)}</code>)"))
        rows.append(("Synthetic or real", _synthetic_text(data)))
    if run:
        kind = ("canonical run (bundled synthetic data, every parameter at its default)"
                if run.get("kind") == "canonical"
                else f"run folder <code>{esc(str(run.get('name', '')))}</code> "
                     f"({esc(str(run.get('why', '')))})")
        rows.append(("Run", kind))
    rows.append(("Date", esc(date)))
    entries = manifest.get("notebooks", {})
    if notebooks:
        rows.append(("Parameters", _parameter_values(entries)))
        rows.append(("Status", _status_counts(entries)))
    cells = "\n".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    return f'<table class="run-summary" id="run-summary">\n{cells}\n</table>\n'


def _synthetic_text(data: dict) -> str:
    if data.get("synthetic"):
        return ("<strong>synthetic</strong>: generated participants and interviews, not real "
                f"people ({esc(str(data.get('reason', '')))})")
    return (f"<strong>real data</strong> ({esc(str(data.get('reason', '')))}): these pages may "
            "show participant-level outputs")


def documents_section(found: Sequence[tuple[Document, Path]], site: Path) -> str:
    """The list of documents (links relative to ``site``)."""
    if not found:
        return ('<h2 id="documents">Documents</h2>\n<p class="muted">No Word report or '
                "checklist has been made from this run yet (<code>wave-analysis report "
                "--docx</code>).</p>\n")
    items = "\n".join(
        f'<li class="document{" team-only-document" if doc.team_only else ""}">'
        f'<a href="{esc(_link(path, site))}">{esc(doc.title)}</a> '
        f'<span class="muted">({esc(Path(doc.path).name)}): {esc(doc.note)}</span></li>'
        for doc, path in found)
    return f'<h2 id="documents">Documents</h2>\n<ul class="documents">\n{items}\n</ul>\n'


def _link(path: Path, site: Path) -> str:
    return quote(Path(os.path.relpath(Path(path).resolve(), Path(site).resolve())).as_posix())


# ----------------------------------------------------------------------------- gallery


def gallery(figures: Sequence[Figure], groups: dict[str, str] | None = None,
            pages: dict[str, str] | None = None) -> str:
    """Tiles of even size, one per figure: image, title, caption, source. With ``groups``
    (notebook -> title), one headed grid per notebook; ``pages`` maps notebook -> page file."""
    if groups is None:
        return _grid(figures, pages or {})
    parts = []
    for notebook in dict.fromkeys(f.notebook for f in figures):
        title = groups.get(notebook, notebook)
        parts.append(f"<h3>{esc(title)}</h3>\n"
                     + _grid([f for f in figures if f.notebook == notebook], pages or {}))
    return "".join(parts)


def _grid(figures: Sequence[Figure], pages: dict[str, str]) -> str:
    tiles = []
    for fig in figures:
        source = (f'<a href="{esc(pages[fig.notebook])}">notebook {esc(fig.notebook[:2])}</a>'
                  if fig.notebook in pages else "")
        svg = f'<a href="figures/{esc(fig.stem)}.svg">SVG</a>' if fig.svg else ""
        links = " · ".join(x for x in (source, svg) if x)
        tiles.append(
            f'<figure class="tile" id="{esc(fig.anchor)}">\n'
            f'<a class="thumb" href="figures/{esc(fig.stem)}.html">'
            f'<img src="figures/{esc(fig.stem)}.png" alt="{esc(fig.title)}"></a>\n'
            f'<figcaption><a class="tile-title" href="figures/{esc(fig.stem)}.html">'
            f"{esc(fig.title)}</a>\n"
            + (f'<span class="tile-caption">{esc(fig.caption)}</span>\n' if fig.caption else "")
            + (f'<span class="tile-links">{links}</span>\n' if links else "")
            + "</figcaption></figure>")
    return '<div class="gallery">\n' + "\n".join(tiles) + "\n</div>\n"


def figure_pages(figures: Sequence[Figure], *, banner: str = "",
                 pages: dict[str, str] | None = None,
                 titles: dict[str, str] | None = None) -> dict[str, str]:
    """One page per figure (file name in ``site/figures`` -> HTML): title, image, caption, the
    files, the notebook that drew it (``pages``: notebook -> page file, ``titles``: notebook ->
    title), the previous and next figure, and the way back."""
    pages, titles = pages or {}, titles or {}
    out = {}
    for i, fig in enumerate(figures):
        back = (f'<p class="crumbs"><a href="../index.html#{esc(fig.anchor)}" class="back">'
                "&larr; Back to the index</a>"
                + (f' · drawn by notebook <a href="../{esc(pages[fig.notebook])}">'
                   f"{esc(titles.get(fig.notebook, fig.notebook))}</a>"
                   if fig.notebook in pages else "") + "</p>\n")
        files = f'<a href="{esc(fig.stem)}.png">PNG</a>' + (
            f' · <a href="{esc(fig.stem)}.svg">SVG</a>' if fig.svg else "")
        steps = []
        if i > 0:
            steps.append(f'<a href="{esc(figures[i - 1].stem)}.html" rel="prev">&larr; '
                         f"{esc(figures[i - 1].title)}</a>")
        if i + 1 < len(figures):
            steps.append(f'<a href="{esc(figures[i + 1].stem)}.html" rel="next">'
                         f"{esc(figures[i + 1].title)} &rarr;</a>")
        body = (back + f"<h1>{esc(fig.title)}</h1>\n<figure class=\"figure-page\">"
                f'<img src="{esc(fig.stem)}.png" alt="{esc(fig.title)}">'
                + (f"<figcaption>{esc(fig.caption)}</figcaption>" if fig.caption else "")
                + f"</figure>\n<p>Files: {files}</p>\n"
                + f'<nav class="steps">{" ".join(steps)}</nav>\n')
        out[f"{fig.stem}.html"] = page(fig.title, body, root="../", banner=banner)
    return out


# ----------------------------------------------------------------------------- full index


def notebooks_table(entries: dict, pages: dict[str, str], titles: dict[str, str]) -> str:
    """One row per notebook: title (linked to its page), status, parameters, error."""
    rows = []
    for name, entry in sorted(entries.items()):
        status = entry.get("status", "")
        label = titles.get(name, name)
        link = f'<a href="{esc(pages[name])}">{esc(label)}</a>' if name in pages else esc(label)
        error = entry.get("error", {}).get("message", "") if status == "failed" else ""
        params = ", ".join(f"{k}={v!r}" for k, v in entry.get("parameters", {}).items()
                           if not k.endswith("_dir"))
        rows.append(f'<tr><td>{link}</td><td class="status-{esc(status)}">{esc(status)}</td>'
                    f'<td class="params">{esc(params)}</td><td>{esc(error)}</td></tr>')
    return ('<div class="scroll"><table class="notebooks"><thead><tr><th>notebook</th>'
            "<th>status</th><th>parameters</th><th>error</th></tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></div>\n")


def run_details(manifest: dict) -> str:
    """The collapsed section at the bottom: cache keys, durations, environment."""
    rows = "\n".join(
        f"<tr><td>{esc(name)}</td><td><code>{esc(str(e.get('key', ''))[:16])}</code></td>"
        f"<td>{float(e.get('seconds', 0) or 0):.1f}</td><td>{esc(str(e.get('reason', '')))}"
        "</td></tr>" for name, e in sorted(manifest.get("notebooks", {}).items()))
    packages = "".join(f"<tr><td>{esc(k)}</td><td>{esc(str(v))}</td></tr>"
                       for k, v in manifest.get("packages", {}).items())
    return (
        '<details class="run-details" id="run-details"><summary>Run details: cache keys, '
        "durations, environment</summary>\n"
        f'<p>Python {esc(str(manifest.get("python", "")))}; the full record (input and output '
        f'hashes, key parts, parameters) is <a href="{MANIFEST_NAME}">{MANIFEST_NAME}</a>.</p>\n'
        '<div class="scroll"><table><thead><tr><th>notebook</th><th>cache key</th>'
        "<th>seconds (last execution)</th><th>why it last ran</th></tr></thead><tbody>\n"
        f"{rows}\n</tbody></table></div>\n"
        f"<details><summary>Package versions</summary><table>{packages}</table></details>\n"
        "</details>\n")


@dataclass(frozen=True)
class IndexParts:
    """What the full index shows besides the manifest."""

    pages: dict[str, str]  # notebook -> page file
    titles: dict[str, str]  # notebook -> title
    figures: Sequence[Figure]
    documents: Sequence[tuple[Document, Path]]
    date: str


def full_index(manifest: dict, parts: IndexParts, *, site: Path, banner: str = "") -> str:
    """The full site's index page."""
    body = (
        f"<h1>{REPORT_TITLE}</h1>\n"
        "<p>Every notebook of the collection, executed by <code>wave-analysis run</code>.</p>\n"
        + run_summary(manifest, date=parts.date)
        + documents_section(parts.documents, site)
        + '<h2 id="notebooks">Notebooks</h2>\n'
        + notebooks_table(manifest.get("notebooks", {}), parts.pages, parts.titles)
        + '<h2 id="figures">Figures</h2>\n'
        + (gallery(parts.figures, parts.titles, parts.pages) if parts.figures
           else "<p>No figure was recorded by this run.</p>\n")
        + run_details(manifest))
    return page(REPORT_TITLE, body, banner=banner)


# ----------------------------------------------------------------------------- shareable index


def _table_title(files: Sequence[Path]) -> str:
    """The title a table's display JSON (``<name>.table.json``) gives it, or one from its name."""
    for path in files:
        if path.name.endswith(".table.json"):
            try:
                title = json.loads(path.read_text("utf-8")).get("title")
            except (OSError, ValueError, AttributeError):
                title = None
            if title:
                return str(title)
    return title_from_name(files[0].name.split(".")[0])


def tables_list(tables: Sequence[Path]) -> str:
    """One line per table (its files grouped by name): title and a link to each file."""
    by_name: dict[str, list[Path]] = {}
    for path in tables:
        by_name.setdefault(path.name.split(".")[0], []).append(path)
    items = []
    for name, files in sorted(by_name.items()):
        links = " · ".join(f'<a href="tables/{esc(f.name)}">{esc(f.name)}</a>'
                           for f in sorted(files))
        items.append(f"<li><strong>{esc(_table_title(files))}</strong> "
                     f'<span class="muted">({esc(name)})</span>: {links}</li>')
    return '<ul class="tables">\n' + "\n".join(items) + "\n</ul>\n"


@dataclass(frozen=True)
class ShareableParts:
    """What the shareable index shows besides the manifest."""

    figures: Sequence[Figure]
    tables: Sequence[Path]
    summary: str  # the disclosure summary, as HTML
    documents: Sequence[tuple[Document, Path]]
    date: str


SHAREABLE_TITLE = "WAVE analysis: shareable outputs"


def shareable_index(manifest: dict, parts: ShareableParts, *, site: Path) -> str:
    """The shareable site's index page: no notebook, no manifest, no team-only document."""
    body = (
        f"<h1>{SHAREABLE_TITLE}</h1>\n"
        + run_summary(manifest, date=parts.date, notebooks=False)
        + "<p>This site holds only the outputs that passed disclosure control (or that an analyst "
        "released with a recorded reason). Participant-level outputs and the executed notebooks "
        "stay in the run's <code>team_only/</code> folder and are not part of it.</p>\n"
        + documents_section([d for d in parts.documents if not d[0].team_only], site)
        + '<h2 id="figures">Figures</h2>\n'
        + (gallery(parts.figures) if parts.figures
           else "<p>No figure has passed disclosure control.</p>\n")
        + '<h2 id="tables">Tables</h2>\n'
        + (tables_list(parts.tables) if parts.tables
           else "<p>No table has passed disclosure control.</p>\n")
        + '<h2 id="disclosure">Disclosure control</h2>\n'
        + f'<div class="scroll">\n{parts.summary}\n</div>\n')
    return page(SHAREABLE_TITLE, body)
