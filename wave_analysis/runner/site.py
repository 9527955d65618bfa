"""The HTML report in ``reports/site/``: every executed notebook as a page, and an index with the
figure gallery, the notebook list and the manifest.

It works offline: pages use nbconvert's ``basic`` template (no require.js or MathJax from a CDN)
inside a small page shell with a local stylesheet, images are embedded or copied beside the pages,
and nothing is fetched from the network. Code is hidden by default and shown with a checkbox
(pure CSS, no script). Pages are rebuilt only when their executed notebook changed.
"""

from __future__ import annotations

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
"""


def _page(title: str, body: str, *, code_toggle: bool = False) -> str:
    toggle = ('<input type="checkbox" id="show-code"> <label for="show-code">Show code</label>\n'
              if code_toggle else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n"
            '<link rel="stylesheet" href="style.css">\n</head>\n<body>\n'
            f'<nav><a href="index.html">WAVE analysis report</a></nav>\n{toggle}'
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        _atomic.write_bytes(path, data)


def render_notebook(path: Path) -> str:
    """One executed notebook as an offline HTML page (code hidden by default)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    exporter = HTMLExporter(template_name="basic")
    body, _ = exporter.from_notebook_node(nb)
    # the basic template may still carry inline MathJax/require hooks; no page loads a script
    body = re.sub(r"<script\b[^>]*\bsrc=[^>]*>\s*</script>", "", body)
    return _page(path.stem, body, code_toggle=True)


def build_site(*, reports_dir: Path, output_dir: Path | None = None,
               changed: set[str] | None = None) -> Path:
    """Write ``reports_dir/site/`` from the manifest and the executed notebooks; returns the
    index path. Only pages whose executed notebook changed are rendered again."""
    reports_dir = Path(reports_dir)
    output_dir = Path(output_dir) if output_dir is not None else reports_dir / "notebooks"
    site = reports_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(reports_dir)
    _write_if_changed(site / "style.css", STYLE.encode())
    pages = _pages(manifest["notebooks"], output_dir, site)
    figures = _figures(manifest["notebooks"], site)
    manifest_text = json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n"
    _write_if_changed(site / MANIFEST_NAME, manifest_text.encode())
    index = site / "index.html"
    _write_if_changed(index, _index(manifest, pages, figures).encode())
    return index


def _pages(entries: dict, output_dir: Path, site: Path) -> dict[str, str]:
    """One page per executed (or failed) notebook, rendered again only when its notebook
    changed (``.state.json`` remembers the hashes); pages of notebooks gone are removed.
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
        digest = file_hash(source)
        page = site / f"{name}.html"
        if state.get(name) != digest or not page.is_file():
            _write_if_changed(page, render_notebook(source).encode())
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
        "<p>Every notebook of the collection, executed by <code>wave-analysis run</code>. "
        "Figures and tables drawn from the bundled synthetic cohort are marked "
        "<strong>SYNTHETIC DATA</strong>.</p>\n"
        "<h2>Notebooks</h2>\n<table><thead><tr><th>notebook</th><th>status</th>"
        "<th>seconds (last execution)</th><th>cache key</th><th>parameters</th><th>error</th>"
        f"</tr></thead><tbody>\n{''.join(rows)}\n</tbody></table>\n"
        f'<h2>Figures</h2>\n<div class="gallery">\n{gallery}\n</div>\n'
        "<h2>Manifest</h2>\n"
        f'<p>Python {esc(str(manifest.get("python", "")))}; full record: '
        f'<a href="{MANIFEST_NAME}">{MANIFEST_NAME}</a> (cache keys, input and output hashes, '
        "parameters, durations).</p>\n"
        f"<details><summary>Package versions</summary><table>{packages}</table></details>\n")
    return _page("WAVE analysis report", body)
