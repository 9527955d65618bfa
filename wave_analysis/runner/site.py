"""The HTML reports: the full site (``reports/site/``, or ``team_only/site/`` of a run folder):
every executed notebook as a page and an index with the data used, the figure gallery, the
notebook list and the manifest; and the shareable site of a run folder (``shareable/site/``),
which shows only what is in ``shareable/`` (figures, tables and the disclosure summary) and no
notebook page.

A team-only build carries a banner at the top of every page (``banner``): its pages show
participant-level outputs of real data.

It works offline: pages use nbconvert's ``basic`` template (no require.js or MathJax from a CDN)
inside a small page shell with a local stylesheet, images are embedded or copied beside the pages,
and nothing is fetched from the network. Code is hidden by default and shown with a checkbox
(pure CSS, no script). Pages are rebuilt only when their executed notebook changed.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import resolve
from wave_analysis.runner.cache import file_hash
from wave_analysis.runner.manifest import MANIFEST_NAME, load_manifest

STATE_NAME = ".state.json"
STYLE = """\
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 1rem 2rem; color: #222; line-height: 1.45; }
nav { margin-bottom: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
img { max-width: 100%; }
pre { background: #f7f7f7; padding: 0.5rem; overflow-x: auto; font-size: 0.85rem; }
.status-failed, .status-blocked { color: #b2182b; font-weight: bold; }
.status-executed, .status-cached { color: #1b7837; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr));
           gap: 1rem; }
.gallery figure { margin: 0; border: 1px solid #ddd; padding: 0.5rem; }
.gallery figcaption { font-size: 0.85rem; }
.jp-Cell { margin: 0.6rem 0; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
.jp-RenderedHTMLCommon table { font-size: 0.85rem; }
#show-code:not(:checked) ~ main .jp-Cell-inputWrapper { display: none; }
.jp-Cell-inputWrapper pre { border-left: 3px solid #1b7837; }
.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"] pre { background: #fdd; }
.team-only { background: #b2182b; color: #fff; font-weight: bold; padding: 0.6rem 1rem;
             margin: 0 0 1rem; border-radius: 3px; }
.data-used { border-left: 4px solid #2166ac; padding: 0.3rem 0.8rem; background: #f4f8fc; }
"""


def _page(title: str, body: str, *, code_toggle: bool = False, banner: str = "") -> str:
    toggle = ('<input type="checkbox" id="show-code"> <label for="show-code">Show code</label>\n'
              if code_toggle else "")
    warning = (f'<div class="team-only" id="team-only" role="alert">{html.escape(banner)}</div>\n'
               if banner else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            '<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
            f'{warning}<nav><a href="index.html">WAVE analysis report</a></nav>\n{toggle}'
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        _atomic.write_bytes(path, data)


def render_notebook(path: Path, *, banner: str = "") -> str:
    """One executed notebook as an offline HTML page (code hidden by default)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    exporter = HTMLExporter(template_name="basic")
    body, _ = exporter.from_notebook_node(nb)
    # the basic template may still carry inline MathJax/require hooks; no page loads a script
    body = re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", body)
    return _page(path.stem, body, code_toggle=True, banner=banner)


def build_site(*, reports_dir: Path, output_dir: Path | None = None,
               site_dir: Path | None = None, banner: str = "") -> Path:
    """Write the site (``site_dir``, by default ``reports_dir/site``) from the manifest in
    ``reports_dir`` and the executed notebooks in ``output_dir``; returns the index path. Only
    pages whose executed notebook (or ``banner``) changed are rendered again. ``banner``, when
    given, is shown at the top of every page (the team-only warning of a run folder)."""
    reports_dir = Path(reports_dir)
    output_dir = Path(output_dir) if output_dir is not None else reports_dir / "notebooks"
    site = Path(site_dir) if site_dir is not None else reports_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(reports_dir)
    _write_if_changed(site / "style.css", STYLE.encode())
    pages = _pages(manifest["notebooks"], output_dir, site, banner)
    figures = _figures(manifest["notebooks"], site)
    manifest_text = json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n"
    _write_if_changed(site / MANIFEST_NAME, manifest_text.encode())
    index = site / "index.html"
    _write_if_changed(index, _page("WAVE analysis report", _index(manifest, pages, figures),
                                   banner=banner).encode())
    return index


def data_used(manifest: dict) -> str:
    """The paragraph saying which data the run used (from the manifest's ``run`` record)."""
    esc = html.escape
    data = manifest.get("run", {}).get("data")
    if not isinstance(data, dict):
        return ('<p class="data-used">The manifest does not record which data this run '
                "used.</p>\n")
    stamp = ("Figures drawn from it are stamped <strong>SYNTHETIC DATA</strong>."
             if data.get("synthetic") else "It is treated as real data: nothing is stamped "
             "synthetic.")
    digest = str(data.get("digest", ""))
    return (f'<p class="data-used">Data used: <strong>{esc(str(data.get("description", "")))}'
            f"</strong> ({esc(str(data.get('reason', '')))}; content digest "
            f"<code>{esc(digest[:16])}</code>). {stamp}</p>\n")


def _pages(entries: dict, output_dir: Path, site: Path, banner: str) -> dict[str, str]:
    """One page per executed (or failed) notebook, rendered again only when its notebook or the
    banner changed (``.state.json`` remembers the hashes); pages of notebooks gone are removed.
    Returns notebook -> page file name."""
    state_path = site / STATE_NAME
    try:
        state = json.loads(state_path.read_text("utf-8"))
    except (OSError, ValueError):
        state = {}
    pages = {}
    for name in sorted(entries):
        entry = entries[name]
        source = output_dir / (f"{name}.failed.ipynb" if entry.get("status") == "failed"
                               else f"{name}.ipynb")
        if not source.is_file():
            continue
        digest = file_hash(source) + (":" + hashlib.sha256(banner.encode()).hexdigest()
                                      if banner else "")
        page = site / f"{name}.html"
        if state.get(name) != digest or not page.is_file():
            _write_if_changed(page, render_notebook(source, banner=banner).encode())
            state[name] = digest
        pages[name] = page.name
    for stale in set(state) - set(pages):
        (site / f"{stale}.html").unlink(missing_ok=True)
        state.pop(stale)
    _atomic.write_bytes(state_path, json.dumps(state, indent=1, sort_keys=True).encode())
    return pages


def _figures(entries: dict, site: Path) -> list[tuple[str, Path, bool]]:
    """Every PNG output (and its SVG twin) copied into ``site/figures``; stale copies removed.
    Returns (notebook, copied PNG, has an SVG) per figure."""
    figures = []
    for name in sorted(entries):
        for out in entries[name].get("outputs", {}):
            path = resolve(out)
            if path.suffix == ".png" and path.is_file():
                target = site / "figures" / path.name
                target.parent.mkdir(exist_ok=True)
                _write_if_changed(target, path.read_bytes())
                svg = path.with_suffix(".svg")
                if svg.is_file():
                    _write_if_changed(target.with_suffix(".svg"), svg.read_bytes())
                figures.append((name, target, svg.is_file()))
    kept = {t.name for _, t, _ in figures} | {t.with_suffix(".svg").name for _, t, _ in figures}
    for old in (site / "figures").glob("*") if (site / "figures").is_dir() else []:
        if old.name not in kept:
            old.unlink()
    return figures


def _index(manifest: dict, pages: dict[str, str], figures) -> str:
    """The body of the full site's index page."""
    esc = html.escape
    rows = []
    for name, entry in sorted(manifest["notebooks"].items()):
        status = entry.get("status", "")
        link = (f'<a href="{esc(pages[name])}">{esc(name)}</a>' if name in pages else esc(name))
        error = entry.get("error", {}).get("message", "") if status == "failed" else ""
        params = ", ".join(f"{k}={v!r}" for k, v in entry.get("parameters", {}).items()
                           if not k.endswith("_dir"))
        rows.append(f"<tr><td>{link}</td><td class=\"status-{esc(status)}\">{esc(status)}</td>"
                    f"<td>{entry.get('seconds', 0):.1f}</td>"
                    f"<td><code>{esc(entry.get('key', '')[:12])}</code></td>"
                    f"<td>{esc(params)}</td><td>{esc(error)}</td></tr>")
    gallery = "\n".join(
        f'<figure><a href="figures/{esc(t.name)}"><img src="figures/{esc(t.name)}" '
        f'alt="{esc(t.stem)}"></a><figcaption>{esc(t.stem)} '
        f'(<a href="{esc(pages.get(nb, "index.html"))}">{esc(nb)}</a>'
        + (f', <a href="figures/{esc(t.with_suffix(".svg").name)}">SVG</a>' if has_svg else "")
        + ")</figcaption></figure>"
        for nb, t, has_svg in figures)
    packages = "".join(f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
                       for k, v in manifest.get("packages", {}).items())
    body = (
        "<h1>WAVE analysis report</h1>\n"
        "<p>Every notebook of the collection, executed by <code>wave-analysis run</code>.</p>\n"
        + data_used(manifest) +
        "<h2>Notebooks</h2>\n<table><thead><tr><th>notebook</th><th>status</th>"
        "<th>seconds (last execution)</th><th>cache key</th><th>parameters</th><th>error</th>"
        f"</tr></thead><tbody>\n{''.join(rows)}\n</tbody></table>\n"
        f'<h2>Figures</h2>\n<div class="gallery">\n{gallery}\n</div>\n'
        "<h2>Manifest</h2>\n"
        f'<p>Python {esc(str(manifest.get("python", "")))}; full record: '
        f'<a href="{MANIFEST_NAME}">{MANIFEST_NAME}</a> (cache keys, input and output hashes, '
        "parameters, durations).</p>\n"
        f"<details><summary>Package versions</summary><table>{packages}</table></details>\n")
    return body


# ----------------------------------------------------------------------------- shareable site


def _copy_shared(source: Path, target: Path, keep) -> list[Path]:
    """Copy the visible files of ``source`` that ``keep`` accepts into ``target``; remove stale
    copies. Returns the copies, sorted."""
    files = sorted(p for p in source.glob("*") if p.is_file() and not p.name.startswith(".")
                   and keep(p)) if source.is_dir() else []
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        _write_if_changed(target / path.name, path.read_bytes())
    names = {p.name for p in files}
    for old in target.glob("*"):
        if old.is_file() and old.name not in names:
            old.unlink()
    return [target / p.name for p in files]


def _markdown(text: str) -> str:
    """Markdown as HTML, any raw HTML in it escaped."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table"])(text)


def build_shareable_site(shareable: Path, *, reports_dir: Path,
                         disclosure_dir: Path | None = None) -> Path:
    """Write ``shareable/site/``: an index saying which data was used (from the manifest in
    ``reports_dir``), the disclosure summary (``disclosure_dir/summary.md`` when present), the
    figures and the tables of ``shareable/`` (copied beside the index). Nothing else: no executed
    notebook (their cells show participant-level outputs), no manifest. Returns the index."""
    shareable = Path(shareable)
    site = shareable / "site"
    site.mkdir(parents=True, exist_ok=True)
    _write_if_changed(site / "style.css", STYLE.encode())
    figures = _copy_shared(shareable / "figures", site / "figures",
                           lambda p: p.suffix in (".png", ".svg"))
    tables = _copy_shared(shareable / "tables", site / "tables", lambda p: True)
    summary_file = Path(disclosure_dir) / "summary.md" if disclosure_dir is not None else None
    summary = (_markdown(_without_title(summary_file.read_text("utf-8")))
               if summary_file is not None and summary_file.is_file()
               else "<p>No disclosure summary was found (<code>disclosure/summary.md</code>).</p>")
    index = site / "index.html"
    body = _shareable_index(load_manifest(reports_dir), figures, tables, summary)
    _write_if_changed(index, _page("WAVE analysis: shareable outputs", body).encode())
    return index


def _without_title(markdown: str) -> str:
    """The Markdown without its leading ``# Title`` line (the page gives the section heading)."""
    first, _, rest = markdown.partition("\n")
    return rest.lstrip("\n") if first.startswith("# ") else markdown


def _shareable_index(manifest: dict, figures: list[Path], tables: list[Path],
                     summary: str) -> str:
    esc = html.escape
    pngs = [f for f in figures if f.suffix == ".png"]
    gallery = "\n".join(
        f'<figure><a href="figures/{esc(f.name)}"><img src="figures/{esc(f.name)}" '
        f'alt="{esc(f.stem)}"></a><figcaption>{esc(f.stem)}'
        + (f' (<a href="figures/{esc(f.stem)}.svg">SVG</a>)'
           if f.with_suffix(".svg") in figures else "")
        + "</figcaption></figure>" for f in pngs)
    listed = "\n".join(f'<li><a href="tables/{esc(t.name)}">{esc(t.name)}</a></li>'
                       for t in tables)
    return (
        "<h1>WAVE analysis: shareable outputs</h1>\n" + data_used(manifest)
        + "<p>This site holds only the outputs that passed disclosure control (or that an analyst "
        "released with a recorded reason). Participant-level outputs and the executed notebooks "
        "stay in the run's <code>team_only/</code> folder and are not part of it.</p>\n"
        f"<h2>Disclosure control</h2>\n{summary}\n"
        "<h2>Figures</h2>\n"
        + (f'<div class="gallery">\n{gallery}\n</div>\n' if pngs
           else "<p>No figure has passed disclosure control.</p>\n")
        + "<h2>Tables</h2>\n"
        + (f"<ul>\n{listed}\n</ul>\n" if tables
           else "<p>No table has passed disclosure control.</p>\n"))
