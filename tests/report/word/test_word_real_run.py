"""The Word report of real notebook outputs: notebooks 02, 03 and 07 run on the bundled synthetic
data, then every display table they saved is a Word table of its shape whose numbers are in its
CSV, the case matrix only in the team-only document, and (with LibreOffice) nothing leaves the
page."""

from __future__ import annotations

import pandas as pd
import pytest
from docx_checks import (
    csv_problems,
    header_rows,
    open_docx,
    pdf_margin_problems,
    pdf_missing_cells,
    placed_tables,
    soffice,
    text_width,
    to_pdf,
    width,
)

from wave_analysis.report.table import DisplayTable
from wave_analysis.report.word import build_word_report
from wave_analysis.runner.execute import RunOptions, run_all
from wave_analysis.runner.manifest import load_manifest


@pytest.fixture(scope="module")
def real(tmp_path_factory, synthetic_dir):
    root = tmp_path_factory.mktemp("real_run")
    folders = {"figures_dir": root / "figures", "tables_dir": root / "tables",
               "reports_dir": root / "reports"}
    run_all(RunOptions(data_dir=synthetic_dir, only=("02", "03", "07"), site=False, **folders),
            log=lambda _: None)
    built = build_word_report(figures_dir=root / "figures", tables_dir=root / "tables",
                              out_dir=root / "out",
                              manifest=load_manifest(root / "reports"))
    displays = [DisplayTable.from_json(p) for p in sorted((root / "tables").glob("*.table.json"))]
    return {"root": root, "built": built, "displays": displays}


def _check(display: DisplayTable, placed, csv) -> list[str]:
    word = placed.table
    n_header = 2 if display.has_column_groups else 1
    groups = sum(1 for g, _ in display.row_blocks() if g)
    problems = []
    if (len(word.rows), len(word.columns)) != (n_header + groups + len(display.rows),
                                               len(display.columns)):
        problems.append(f"{display.name}: shape {len(word.rows)}x{len(word.columns)}")
    if header_rows(word) != n_header:
        problems.append(f"{display.name}: {header_rows(word)} repeating header rows")
    if width(word) > text_width(placed.section):
        problems.append(f"{display.name}: wider than its page")
    numeric = [j for j, c in enumerate(display.columns) if c.align != "left"]
    frame = pd.read_csv(csv)
    problems += csv_problems(word, frame, numeric, n_header, by_row=False)
    return problems


@pytest.mark.slow
def test_every_display_table_of_the_notebooks_in_the_word_report(real):
    doc = open_docx(real["built"].report)
    placed = {p.caption.split(". ", 1)[1].replace(" [SYNTHETIC DATA]", ""): p
              for p in placed_tables(doc)}
    shared = [d for d in real["displays"] if not d.participant_level]
    assert len(shared) >= 8, [d.name for d in real["displays"]]
    problems = []
    for display in shared:
        if display.title not in placed:
            problems.append(f"{display.name}: no table captioned {display.title!r}")
            continue
        problems += _check(display, placed[display.title], real["root"] / "tables" /
                           f"{display.name}.csv")
    assert problems == []
    private = [d for d in real["displays"] if d.participant_level]
    assert private, "the case matrix is participant-level"
    team = {p.caption for p in placed_tables(open_docx(real["built"].team_only))}
    for display in private:
        assert display.title not in placed
        assert any(display.title in caption for caption in team)


@pytest.mark.slow
@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) renders the PDF")
def test_real_word_report_renders_inside_its_pages(real, tmp_path):
    pdf = to_pdf(real["built"].report, tmp_path)
    assert pdf_margin_problems(pdf) == []
    assert pdf_missing_cells(pdf, open_docx(real["built"].report)) == []
