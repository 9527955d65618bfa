"""Assemble the Word report of a run from its artefacts.

``build_word_report`` reads every display table (``<tables>/*.table.json``, shown only when its
tidy CSV is beside it), every figure (``<figures>/*.png`` with its sidecar's title and caption),
the run's manifest and the filled checklists, and writes

- ``wave_report.docx``: everything that is not participant-level, one section per notebook (a
  generated methods paragraph, its tables, its figures), then the checklists as an appendix;
- ``wave_report_team_only.docx`` (only with ``team_only=True``, only when there is any):
  the participant-level tables and figures, marked TEAM ONLY on the title page and every page.

Participant-level means the display table, its sidecar, its CSV's sidecar or the figure's sidecar
says so; such an item never enters ``wave_report.docx``. Both files are written atomically and are
byte-identical for identical inputs (``reproducible``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis._sidecars import read_sidecar
from wave_analysis.report.table import DisplayTable
from wave_analysis.report.word import appendix, methods
from wave_analysis.report.word.captions import SYNTHETIC_LABEL, add_generated
from wave_analysis.report.word.document import (
    LABEL,
    landscape_text_width,
    mark_header,
    new_document,
    portrait_text_width,
    start_section,
    text_width,
)
from wave_analysis.report.word.figures import Figure, add_figure, read_figure
from wave_analysis.report.word.reproducible import document_bytes, fix_core_properties
from wave_analysis.report.word.tables import add_table, needs_landscape

REPORT_NAME = "wave_report.docx"
TEAM_ONLY_NAME = "wave_report_team_only.docx"
TEAM_ONLY_LABEL = ("TEAM ONLY: this document shows individual participants or interviewees; "
                   "do not share it outside the trial team")
TITLE = "WAVE trial: analysis report"


@dataclass(frozen=True)
class Item:
    """One table or figure of the report, with the section (notebook prefix) it belongs to."""

    section: str
    name: str
    participant_level: bool
    table: DisplayTable | None = None
    figure: Figure | None = None


@dataclass(frozen=True)
class Built:
    """What ``build_word_report`` wrote and counted."""

    report: Path
    team_only: Path | None
    tables: int
    figures: int
    team_only_items: int
    lowest_png_dpi: float | None  # of the PNG fallbacks at the size shown


def section_of(name: str) -> str:
    """``03_primary_irr`` -> ``03`` (the notebook number prefix)."""
    return name.split("_", 1)[0]


def _flag(path: Path) -> bool:
    return bool((read_sidecar(path) or {}).get("participant_level"))


def collect(figures_dir: Path, tables_dir: Path) -> list[Item]:
    """Every table with its tidy CSV and every PNG figure, sorted by section, kind and name."""
    items = []
    for path in sorted(Path(tables_dir).glob("*.table.json")) if Path(tables_dir).is_dir() else []:
        table = DisplayTable.from_json(path)
        csv = path.with_name(f"{table.name}.csv")
        if not csv.is_file():  # shown only beside its data (shareable: both passed disclosure)
            continue
        private = table.participant_level or _flag(path) or _flag(csv)
        items.append(Item(section_of(table.name), table.name, private, table=table))
    folder = Path(figures_dir)
    for png in sorted(folder.glob("*.png")) if folder.is_dir() else []:
        figure = read_figure(png, read_sidecar(png))
        items.append(Item(section_of(figure.name), figure.name, figure.participant_level,
                          figure=figure))
    return sorted(items, key=lambda i: (i.section, i.figure is not None, i.name))


@dataclass
class _Layout:
    """The document being written, its page orientation and its running numbers."""

    doc: object
    landscape: bool = False
    tables: int = 0
    figures: int = 0
    dpis: list = field(default_factory=list)

    def orient(self, landscape: bool) -> None:
        if landscape != self.landscape:
            start_section(self.doc, landscape=landscape)
            self.landscape = landscape

    def wide(self, item: Item) -> bool:
        return item.table is not None and needs_landscape(item.table,
                                                          portrait_text_width(self.doc))

    def table(self, table: DisplayTable, *, appendix_: bool = False) -> None:
        wide = needs_landscape(table, portrait_text_width(self.doc))
        self.orient(wide)
        self.tables += 1
        available = landscape_text_width(self.doc) if wide else portrait_text_width(self.doc)
        add_table(self.doc, table, self.tables, available=available, appendix=appendix_)

    def figure(self, figure: Figure) -> None:
        self.orient(False)
        self.figures += 1
        section = self.doc.sections[-1]
        self.dpis.append(add_figure(self.doc, figure, self.figures, width=text_width(section),
                                    page_height=int(section.page_height)))


def _is_synthetic(manifest: Mapping, items: list[Item]) -> bool:
    data = (manifest.get("run") or {}).get("data") or {}
    if "synthetic" in data:
        return bool(data["synthetic"])
    flags = [i.table.synthetic if i.table else i.figure.synthetic for i in items]
    return bool(flags) and all(flags)


def _title_page(doc, manifest: Mapping, *, synthetic: bool, team_only: bool) -> None:
    doc.add_heading(TITLE + (" (team only)" if team_only else ""), level=0)
    if team_only:
        doc.add_paragraph(TEAM_ONLY_LABEL, style=LABEL)
        mark_header(doc, "TEAM ONLY: participant-level; do not share")
    if synthetic:
        doc.add_paragraph(f"{SYNTHETIC_LABEL} Every number comes from the synthetic WAVE cohort "
                          "made by wave_analysis.synthetic, not from real participants.",
                          style=LABEL)
        mark_header(doc, SYNTHETIC_LABEL)
    run = manifest.get("run") or {}
    data = (run.get("data") or {}).get("description")
    if data:
        doc.add_paragraph(f"Data: {data}")
    if run.get("name"):
        doc.add_paragraph(f"Run: {run['name']}" + (f" ({run['why']})" if run.get("why") else ""))
    doc.add_paragraph("Made by wave-analysis from the run's outputs. Tables and figures are "
                      "editable Word objects; text on a yellow ground is generated from the run "
                      "and is a draft for the authors to edit. Update fields (select all, F9) "
                      "after moving tables or figures to renumber them.")
    if team_only:
        doc.add_paragraph(f"This supplements {REPORT_NAME}, which holds every result that does "
                          "not show individuals.")
    doc.add_page_break()


def _sections(layout: _Layout, items: list[Item], manifest: Mapping) -> None:
    for section in sorted({i.section for i in items}):
        mine = [i for i in items if i.section == section]
        stem = methods.notebook_stem(section, manifest)
        layout.orient(layout.wide(mine[0]))  # the heading shares the page of what follows
        entry = (manifest.get("notebooks") or {}).get(stem, {})
        layout.doc.add_heading(methods.notebook_title(entry, stem), level=1)
        notes = [i.table.source_note for i in mine if i.table is not None]
        add_generated(layout.doc, methods.methods_text(stem, manifest, source_notes=notes))
        for item in mine:
            if item.table is not None:
                layout.table(item.table)
            else:
                layout.figure(item.figure)


def compose(items: list[Item], manifest: Mapping, *, reference: Path | None, synthetic: bool,
            team_only: bool, checklists: list[DisplayTable]) -> _Layout:
    """The whole document for ``items`` (all of one kind: shared or team-only)."""
    layout = _Layout(new_document(reference))
    _title_page(layout.doc, manifest, synthetic=synthetic, team_only=team_only)
    _sections(layout, items, manifest)
    if checklists:
        layout.orient(False)
        layout.doc.add_heading("Appendix: reporting checklists", level=1)
        numbers = layout.tables
        layout.tables = 0
        for table in checklists:
            layout.table(table, appendix_=True)
        layout.tables = numbers
    kind = "team-only supplement" if team_only else "results"
    fix_core_properties(layout.doc, title=TITLE, subject=f"WAVE trial {kind}")
    return layout


def build_word_report(*, figures_dir: Path, tables_dir: Path, out_dir: Path,
                      manifest: Mapping, checklists_dir: Path | None = None,
                      reference_docx: Path | None = None, team_only: bool = True) -> Built:
    """Write ``out_dir/wave_report.docx`` (and, with ``team_only``, the team-only supplement
    when any item is participant-level; a stale one is removed when none is)."""
    items = collect(figures_dir, tables_dir)
    synthetic = _is_synthetic(manifest, items)
    shared = [i for i in items if not i.participant_level]
    private = [i for i in items if i.participant_level] if team_only else []
    checklists = appendix.checklist_tables(checklists_dir, synthetic=synthetic)
    main = compose(shared, manifest, reference=reference_docx, synthetic=synthetic,
                   team_only=False, checklists=checklists)
    out_dir = Path(out_dir)
    report = _atomic.write_bytes(out_dir / REPORT_NAME, document_bytes(main.doc))
    supplement = None
    dpis = list(main.dpis)
    if private:
        extra = compose(private, manifest, reference=reference_docx, synthetic=synthetic,
                        team_only=True, checklists=[])
        supplement = _atomic.write_bytes(out_dir / TEAM_ONLY_NAME, document_bytes(extra.doc))
        dpis += extra.dpis
    elif team_only and (out_dir / TEAM_ONLY_NAME).is_file():
        (out_dir / TEAM_ONLY_NAME).unlink()
    return Built(report, supplement, main.tables, main.figures, len(private),
                 min(dpis) if dpis else None)
