"""The HTML reports: the full site (``reports/site/``, or ``team_only/site/`` of a run folder):
every executed notebook as a page and an index leading with what the run was, the documents made
from it, the notebooks and a gallery of figures (each with a page of its own); and the shareable
site of a run folder (``shareable/site/``), which shows only what is in ``shareable/`` (figures,
tables, the disclosure summary and documents that are not team-only) and no notebook page.

A team-only build carries a banner at the top of every page (``banner``): its pages show
participant-level outputs of real data.

It works offline: pages use nbconvert's ``basic`` template (no require.js or MathJax from a CDN)
inside a small page shell with a local stylesheet (``site.css``), images are embedded or copied
beside the pages, and nothing is fetched from the network. Code is hidden by default and shown
with a checkbox (pure CSS, no script). Pages are rebuilt only when their executed notebook (or the
renderer) changed, so ``refresh_sites`` after the Word report and checklists are written only
rewrites the index pages.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import resolve
from wave_analysis.runner import site_pages
from wave_analysis.runner.cache import file_hash
from wave_analysis.runner.folders import RunFolders
from wave_analysis.runner.manifest import MANIFEST_NAME, load_manifest
from wave_analysis.runner.site_index import (
    Figure,
    IndexParts,
    ShareableParts,
    figure_labels,
    figure_pages,
    full_index,
    present_documents,
    run_date,
    shareable_index,
)

STATE_NAME = ".state.json"
STYLE_FILE = Path(__file__).with_name("site.css")
STYLE = STYLE_FILE.read_text("utf-8")


def stylesheet() -> str:
    """The site's stylesheet: ``site.css`` and the colours of highlighted code (Pygments)."""
    from pygments.formatters import HtmlFormatter

    return STYLE + "\n/* code highlighting (Pygments) */\n" + HtmlFormatter(
        style="default").get_style_defs(".highlight") + "\n"


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        _atomic.write_bytes(path, data)


def build_site(*, reports_dir: Path, output_dir: Path | None = None,
               site_dir: Path | None = None, banner: str | None = "") -> Path:
    """Write the site (``site_dir``, by default ``reports_dir/site``) from the manifest in
    ``reports_dir`` and the executed notebooks in ``output_dir``; returns the index path. Only
    pages whose executed notebook (or ``banner``) changed are rendered again. ``banner``, when
    given, is shown at the top of every page (the team-only warning of a run folder); None keeps
    the banner the site was last built with (``.state.json`` records it). The index
    links the documents (``site_index.DOCUMENTS``: Word reports, checklists) found beside the
    site (``reports/`` of the canonical run, ``team_only/`` of a run folder) or in
    ``reports_dir``."""
    reports_dir = Path(reports_dir)
    output_dir = Path(output_dir) if output_dir is not None else reports_dir / "notebooks"
    site = Path(site_dir) if site_dir is not None else reports_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    state = _load_state(site)
    banner = str(state.get("banner") or "") if banner is None else banner
    manifest = load_manifest(reports_dir)
    _write_if_changed(site / "style.css", stylesheet().encode())
    rendered = _pages(manifest["notebooks"], output_dir, site, banner, state["pages"])
    _write_if_changed(site / STATE_NAME, json.dumps({"banner": banner, "pages": state["pages"]},
                                                    indent=1, sort_keys=True).encode())
    pages = {name: file for name, (file, _) in rendered.items()}
    titles = {name: title for name, (_, title) in rendered.items()}
    figures = _figures(manifest["notebooks"], site)
    _write_figure_pages(site, figures, banner=banner, pages=pages, titles=titles)
    manifest_text = json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n"
    _write_if_changed(site / MANIFEST_NAME, manifest_text.encode())
    documents = present_documents(site.parent, reports_dir, team_only=True)
    parts = IndexParts(pages, titles, figures, documents, run_date(reports_dir))
    index = site / "index.html"
    _write_if_changed(index, full_index(manifest, parts, site=site, banner=banner).encode())
    return index


def refresh_sites(folders: RunFolders, *, banner: str | None = None) -> list[Path]:
    """Build the sites of a run again, e.g. after the Word report and the checklists were
    written, so that their indexes link them (pages already up to date are not rendered again).
    ``banner``: by default the one the full site was last built with (a different one renders
    every page again). Returns the index pages: the full site, and the shareable one of a run
    folder."""
    indexes = [build_site(reports_dir=folders.reports, output_dir=folders.notebooks,
                          site_dir=folders.site, banner=banner)]
    if folders.shareable is not None:
        indexes.append(build_shareable_site(folders.shareable, reports_dir=folders.reports,
                                            disclosure_dir=folders.disclosure))
    return indexes


def _renderer_hash() -> str:
    return file_hash(Path(site_pages.__file__))


def _load_state(site: Path) -> dict:
    """``.state.json``: the banner the site was built with and, per page, the hash of what it
    was rendered from and its title; empty when missing or unreadable."""
    try:
        state = json.loads((site / STATE_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        state = {}
    ok = isinstance(state, dict) and isinstance(state.get("pages"), dict)
    return state if ok else {"banner": None, "pages": {}}


def _pages(entries: dict, output_dir: Path, site: Path, banner: str,
           state: dict) -> dict[str, tuple[str, str]]:
    """One page per executed (or failed) notebook, rendered again only when its notebook, the
    renderer or the banner changed (``state`` remembers the hashes and titles, and is updated);
    pages of notebooks gone are removed. Returns notebook -> (page file name, title)."""
    renderer = _renderer_hash() + hashlib.sha256(banner.encode()).hexdigest()
    pages = {}
    for name in sorted(entries):
        source = output_dir / (f"{name}.failed.ipynb" if entries[name].get("status") == "failed"
                               else f"{name}.ipynb")
        if not source.is_file():
            continue
        digest = f"{file_hash(source)}:{renderer}"
        page = site / f"{name}.html"
        known = state.get(name) if isinstance(state.get(name), dict) else {}
        if known.get("digest") != digest or not page.is_file():
            text, title = site_pages.render_notebook(source, banner=banner)
            _write_if_changed(page, text.encode())
            known = state[name] = {"digest": digest, "title": title}
        pages[name] = (page.name, str(known.get("title") or name))
    for stale in set(state) - set(pages):
        (site / f"{stale}.html").unlink(missing_ok=True)
        state.pop(stale)
    return pages


def _copy_figure(png: Path, folder: Path) -> bool:
    """Copy ``png`` (and its SVG twin, if any) into ``folder``; True when there is an SVG."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_if_changed(folder / png.name, png.read_bytes())
    svg = png.with_suffix(".svg")
    if svg.is_file():
        _write_if_changed(folder / svg.name, svg.read_bytes())
    return svg.is_file()


def _figures(entries: dict, site: Path) -> list[Figure]:
    """Every PNG output (and its SVG twin) copied into ``site/figures``, with its title and
    caption, in notebook order."""
    figures = []
    for name in sorted(entries):
        for out in sorted(entries[name].get("outputs", {})):
            path = resolve(out)
            if path.suffix == ".png" and path.is_file():
                title, caption = figure_labels(path)
                figures.append(Figure(path.stem, _copy_figure(path, site / "figures"), title,
                                      caption, name))
    return figures


def _write_figure_pages(site: Path, figures: list[Figure], *, banner: str = "",
                        pages: dict[str, str] | None = None,
                        titles: dict[str, str] | None = None) -> None:
    """A page per figure in ``site/figures``; files there that belong to no figure removed."""
    folder = site / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    written = figure_pages(figures, banner=banner, pages=pages, titles=titles)
    for file, text in written.items():
        _write_if_changed(folder / file, text.encode())
    kept = set(written) | {f"{f.stem}.png" for f in figures} | {
        f"{f.stem}.svg" for f in figures if f.svg}
    for old in folder.iterdir():
        if old.is_file() and old.name not in kept:
            old.unlink()


# ----------------------------------------------------------------------------- shareable site


def _copy_shared(source: Path, target: Path, keep) -> list[Path]:
    """Copy the visible files of ``source`` that ``keep`` accepts into ``target``; remove stale
    copies. Returns the originals, sorted."""
    files = sorted(p for p in source.glob("*") if p.is_file() and not p.name.startswith(".")
                   and keep(p)) if source.is_dir() else []
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        _write_if_changed(target / path.name, path.read_bytes())
    names = {p.name for p in files}
    for old in target.glob("*"):
        if old.is_file() and old.name not in names:
            old.unlink()
    return files


def _markdown(text: str) -> str:
    """Markdown as HTML, any raw HTML in it escaped."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])(text)


def build_shareable_site(shareable: Path, *, reports_dir: Path,
                         disclosure_dir: Path | None = None) -> Path:
    """Write ``shareable/site/``: an index saying which data was used (from the manifest in
    ``reports_dir``), the documents in ``shareable/`` that are not team-only, the disclosure
    summary (``disclosure_dir/summary.md`` when present), the figures of ``shareable/`` (gallery
    and a page each) and its tables (copied beside the index). Nothing else: no executed notebook
    (their cells show participant-level outputs), no manifest. Returns the index."""
    shareable = Path(shareable)
    site = shareable / "site"
    site.mkdir(parents=True, exist_ok=True)
    _write_if_changed(site / "style.css", stylesheet().encode())
    pngs = [p for p in (shareable / "figures").glob("*.png")
            if not p.name.startswith(".")] if (shareable / "figures").is_dir() else []
    figures = [Figure(p.stem, _copy_figure(p, site / "figures"), *figure_labels(p))
               for p in sorted(pngs)]
    _write_figure_pages(site, figures)
    tables = _copy_shared(shareable / "tables", site / "tables", lambda p: True)
    summary_file = Path(disclosure_dir) / "summary.md" if disclosure_dir is not None else None
    summary = (_markdown(_without_title(summary_file.read_text("utf-8")))
               if summary_file is not None and summary_file.is_file()
               else "<p>No disclosure summary was found (<code>disclosure/summary.md</code>).</p>")
    parts = ShareableParts(figures, [site / "tables" / t.name for t in tables], summary,
                           present_documents(shareable, team_only=False), run_date(reports_dir))
    index = site / "index.html"
    _write_if_changed(index, shareable_index(load_manifest(reports_dir), parts,
                                             site=site).encode())
    return index


def _without_title(markdown: str) -> str:
    """The Markdown without its leading ``# Title`` line (the page gives the section heading)."""
    first, _, rest = markdown.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else markdown
