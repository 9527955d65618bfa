"""Fill the reporting checklists from a run: each item whose evidence files exist in the run
points to them ("evidenced"); the others are left to the authors ("authors to complete").

Writes ``<reports>/checklists/<guideline key>.csv`` (columns ``CSV_COLUMNS``) and
``checklists.html``. Evidence paths are relative to that folder, so the page's links and the
CSV's paths both resolve from where they sit. Same run, same bytes: no dates, fixed order.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import REPO_ROOT
from wave_analysis.report.checklists.filled import FilledChecklist, FilledItem
from wave_analysis.report.checklists.guidelines import Guideline, load_artefacts, load_guidelines
from wave_analysis.report.checklists.page import checklists_page

CHECKLISTS = "checklists"  # folder under the reports folder
PAGE = "checklists.html"
CSV_COLUMNS = ("guideline", "item", "section", "topic", "evidence", "evidence_path", "status")
def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def fill(guideline: Guideline, roots: dict[str, Path], out_dir: Path) -> FilledChecklist:
    """Look up each item's evidence in the run's folders (``roots``: folder per artefact root)."""
    artefacts = load_artefacts()
    items = []
    for item in guideline.items:
        found = []
        for key in item.evidence:
            artefact = artefacts[key]
            path = Path(roots[artefact.root]) / artefact.path
            if path.is_file():
                found.append((artefact, _relative(path, out_dir)))
        items.append(FilledItem(item, tuple(found)))
    return FilledChecklist(guideline, tuple(items))


def checklist_rows(checklist: FilledChecklist) -> list[dict[str, str]]:
    """One CSV row per item, in the guideline's order."""
    return [{"guideline": checklist.label, "item": f.item.id, "section": f.item.section,
             "topic": f"{f.item.topic}: {f.item.paraphrase}",
             "evidence": "; ".join(a.what for a, _ in f.found),
             "evidence_path": "; ".join(p for _, p in f.found), "status": f.status}
            for f in checklist.items]


def _csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _synthetic_from_manifest(reports_dir: Path) -> bool:
    """Whether the run's manifest records synthetic data (False without a manifest)."""
    path = reports_dir / "manifest.json"
    if not path.is_file():
        return False
    run = json.loads(path.read_text(encoding="utf-8")).get("run") or {}
    return bool((run.get("data") or {}).get("synthetic", False))


def fill_checklists(reports_dir: Path | str, figures_dir: Path | str, *,
                    tables_dir: Path | str | None = None,
                    notebooks_dir: Path | str | None = None,
                    repository_dir: Path | str | None = None,
                    synthetic: bool | None = None) -> tuple[FilledChecklist, ...]:
    """Fill every guideline from the run whose outputs are in these folders and write
    ``<reports_dir>/checklists/`` (one CSV per guideline and ``checklists.html``) atomically.

    ``tables_dir`` and ``notebooks_dir`` default to ``reports_dir/tables`` and
    ``reports_dir/notebooks``, ``repository_dir`` to the checkout; ``synthetic`` None reads the
    run's manifest. Returns the filled checklists (their coverage: ``evidenced`` of items).
    """
    reports_dir = Path(reports_dir)
    out_dir = reports_dir / CHECKLISTS
    roots = {"figures": Path(figures_dir), "reports": reports_dir,
             "tables": Path(tables_dir) if tables_dir else reports_dir / "tables",
             "notebooks": Path(notebooks_dir) if notebooks_dir else reports_dir / "notebooks",
             "repository": Path(repository_dir) if repository_dir else REPO_ROOT}
    if synthetic is None:
        synthetic = _synthetic_from_manifest(reports_dir)
    filled = tuple(fill(g, roots, out_dir) for g in load_guidelines())

    def write(staging: Path) -> None:
        for checklist in filled:
            _atomic.write_text(staging / f"{checklist.guideline.key}.csv",
                               _csv_text(checklist_rows(checklist)))
        _atomic.write_text(staging / PAGE, checklists_page(filled, synthetic=synthetic))

    _atomic.replace_folder(out_dir, write)
    return filled
