"""The Word report read back with python-docx: real tables of the expected shape whose numbers are
the tidy CSVs' as displayed, repeating header rows, merged group headers, landscape sections for
wide tables, numbered captions, figures, generated methods text, the checklist appendix, the
team-only split and the synthetic labels. Each structural check is also shown to fail on a
document broken in the way it guards against."""

from __future__ import annotations

import copy
import io

import pandas as pd
import pytest
import word_fixtures as wf
from docx.oxml.ns import qn
from docx_checks import (
    captions,
    csv_problems,
    header_rows,
    is_landscape,
    numbering_problems,
    open_docx,
    placed_tables,
    text_width,
    width,
)

from wave_analysis.report.table import DisplayTable
from wave_analysis.report.word import REPORT_NAME, TEAM_ONLY_NAME, build_word_report
from wave_analysis.report.word.captions import GENERATED_MARK

SHARED = {"02_baseline": "Baseline characteristics by arm",
          "03_primary_irr": "Days absent over 6 months: incidence rate ratio",
          "07_wide_outcomes": "Days absent by fortnight"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("word")
    folders = wf.make_run(root)
    built = build_word_report(figures_dir=folders["figures"], tables_dir=folders["tables"],
                              out_dir=root / "out", manifest=wf.manifest(),
                              checklists_dir=folders["checklists"])
    return {"root": root, "built": built, **folders}


@pytest.fixture(scope="module")
def doc(run):
    return open_docx(run["built"].report)


def _by_title(doc) -> dict[str, object]:
    return {p.caption.split(". ", 1)[1].replace(" [SYNTHETIC DATA]", ""): p
            for p in placed_tables(doc)}


def _display(run, name: str) -> DisplayTable:
    return DisplayTable.from_json(run["tables"] / f"{name}.table.json")


@pytest.mark.slow  # over half a second: make test, not make quick
def test_every_shared_table_is_a_native_table_of_the_expected_shape(run, doc):
    placed = _by_title(doc)
    for name, title in SHARED.items():
        display = _display(run, name)
        word = placed[title].table
        n_header = 2 if display.has_column_groups else 1
        groups = sum(1 for g, _ in display.row_blocks() if g)
        assert len(word.columns) == len(display.columns), name
        assert len(word.rows) == n_header + groups + len(display.rows), name
        assert header_rows(word) == n_header, f"{name}: header rows must repeat on each page"


def test_numbers_equal_the_tidy_csv_as_displayed(run, doc):
    placed = _by_title(doc)
    for name, title in SHARED.items():
        display = _display(run, name)
        numeric = [j for j, c in enumerate(display.columns) if c.align in ("right", "decimal")]
        frame = pd.read_csv(run["tables"] / f"{name}.csv")
        assert csv_problems(placed[title].table, frame, numeric, header_rows(
            placed[title].table)) == [], name


def test_grouped_columns_share_one_merged_header_cell(doc):
    word = _by_title(doc)["Days absent over 6 months: incidence rate ratio"].table
    top = word.rows[0]._tr.tc_lst
    assert [tc.grid_span for tc in top] == [1, 2, 1, 1]
    assert word.rows[0].cells[1].text == "Participants analysed"
    assert [c.text for c in word.rows[1].cells[1:3]] == ["Usual care", "Vocational support"]
    # ungrouped labels span both header rows (vertical merge)
    assert word.rows[1]._tr.tc_lst[0].vMerge == "continue"


def test_wide_table_in_a_landscape_section_and_every_table_fits_its_page(doc):
    placed = placed_tables(doc)
    wide = _by_title(doc)["Days absent by fortnight"]
    assert is_landscape(wide.section)
    assert wide.section.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert not is_landscape(_by_title(doc)["Baseline characteristics by arm"].section)
    assert not is_landscape(doc.sections[-1]), "the document returns to portrait after it"
    for p in placed:
        assert width(p.table) <= text_width(p.section), p.caption


def test_captions_are_numbered_in_order_with_seq_fields(doc):
    assert numbering_problems(doc, "Table") == []
    assert numbering_problems(doc, "Figure") == []
    assert [p.caption.split(".")[0] for p in placed_tables(doc)] == [
        "Table 1", "Table 2", "Table 3", "Table A1"]
    assert [n for n, _ in captions(doc, "Figure")] == ["1", "2"]


def test_source_notes_footnotes_and_synthetic_labels(doc):
    texts = [p.text for p in doc.paragraphs]
    assert "IRR: incidence rate ratio, vocational support over usual care." in texts
    assert any(t.startswith("Source: Negative binomial regression") for t in texts)
    assert all("[SYNTHETIC DATA]" in p.caption for p in placed_tables(doc))
    assert "[SYNTHETIC DATA]" in "".join(texts[:4])  # the title page
    assert "[SYNTHETIC DATA]" in doc.sections[0].header.paragraphs[0].text


def test_figures_embedded_with_titles_from_sidecars_and_their_svg(run, doc):
    texts = [p.text for p in doc.paragraphs]
    assert "Figure 1. Forest plot of rate ratios [SYNTHETIC DATA]" in texts
    assert "Points: IRR; lines: 80% CI." in texts
    assert "Figure 2. Steps reached [SYNTHETIC DATA]" in texts  # no title: from the name
    parts = {p.partname: p.content_type for p in doc.part.package.iter_parts()}
    assert sorted(n for n in parts if n.startswith("/word/media/")) == [
        "/word/media/image1.png", "/word/media/image1.svg", "/word/media/image2.png",
        "/word/media/image2.svg"]
    blips = doc.element.body.findall(".//" + qn("a:blip"))
    assert len(blips) == 2 and all("svgBlip" in b.xml for b in blips)
    # print resolution: every PNG fallback has at least 300 pixels per inch at the size shown
    assert run["built"].lowest_png_dpi >= 299


def test_methods_paragraph_per_section_marked_as_generated(doc):
    generated = [p for p in doc.paragraphs if p.style.name == "WAVE Generated Text"]
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(generated) == len(headings) - 1  # all but the appendix
    assert all(p.text.startswith(GENERATED_MARK) for p in generated)
    primary = next(p.text for p in generated if "03_days_absent" in p.text)
    for phrase in ("confidence level 80%", "bootstrap resamples 2,000", "random seed 2022",
                   "Negative binomial regression adjusted for practice", "Python 3.11.7",
                   "statsmodels 0.14.4", "data/synthetic (synthetic)"):
        assert phrase in primary
    assert headings[0].startswith("02 Baseline")  # titled from the notebook


def test_checklist_appendix(doc):
    appendix = [p for p in placed_tables(doc) if p.caption.startswith("Table A1.")]
    assert len(appendix) == 1
    table = appendix[0].table
    texts = [c.text for row in table.rows for c in row.cells]
    assert "CONSORT flow diagram (figures/01_consort_flow.png)" in texts
    assert "authors to complete" in texts
    assert header_rows(table) == 1


def test_participant_level_only_in_the_team_only_document(run, doc):
    everything = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for p in placed_tables(doc) for row in p.table.rows for c in row.cells)
    assert "Case matrix" not in everything and "P001" not in everything
    assert "07_case_matrix" not in doc.element.xml
    team = open_docx(run["built"].team_only)
    assert run["built"].team_only.name == TEAM_ONLY_NAME
    assert [p.caption for p in placed_tables(team)] == ["Table 1. Case matrix [SYNTHETIC DATA]"]
    assert "Figure 1. Case matrix [SYNTHETIC DATA]" in [p.text for p in team.paragraphs]
    assert team.paragraphs[1].text.startswith("TEAM ONLY")
    assert "TEAM ONLY" in team.sections[0].header.paragraphs[0].text


def test_shareable_build_writes_no_team_only_document(run, tmp_path):
    built = build_word_report(figures_dir=run["figures"], tables_dir=run["tables"],
                              out_dir=tmp_path, manifest=wf.manifest(), team_only=False)
    assert built.team_only is None and built.team_only_items == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [REPORT_NAME]


def test_a_table_without_its_csv_is_left_out(run, tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "03_primary_irr.table.json").write_bytes(
        (run["tables"] / "03_primary_irr.table.json").read_bytes())
    built = build_word_report(figures_dir=tmp_path / "none", tables_dir=tables,
                              out_dir=tmp_path / "out", manifest={})
    assert built.tables == 0


# --- each check catches the broken feature ----------------------------------------------------

def _reload(doc):
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    return open_docx(buffer)


def test_checks_catch_header_rows_that_do_not_repeat(run):
    broken = open_docx(run["built"].report)
    for tr in broken.element.body.iter(qn("w:tr")):
        for flag in tr.findall(qn("w:trPr") + "/" + qn("w:tblHeader")):
            flag.getparent().remove(flag)
    broken = _reload(broken)
    assert all(header_rows(p.table) == 0 for p in placed_tables(broken))


def test_checks_catch_a_wide_table_on_a_portrait_page(run):
    broken = open_docx(run["built"].report)
    wide = _by_title(broken)["Days absent by fortnight"].section
    wide.page_width, wide.page_height = wide.page_height, wide.page_width
    placed = _by_title(_reload(broken))["Days absent by fortnight"]
    assert not is_landscape(placed.section)
    assert width(placed.table) > text_width(placed.section)


def test_checks_catch_numbering_out_of_order_and_numbers_unlike_the_csv(run):
    broken = open_docx(run["built"].report)
    caption = next(p for p in broken.paragraphs if p.text.startswith("Table 2."))
    number = [r for r in caption.runs if r.text == "2"][0]
    number.text = "3"
    assert numbering_problems(broken, "Table") != []
    word = _by_title(broken)["Days absent over 6 months: incidence rate ratio"].table
    cell = word.rows[2].cells[3]
    cell.paragraphs[0].runs[0].text = cell.text.replace("0.910", "0.911")
    frame = pd.read_csv(run["tables"] / "03_primary_irr.csv")
    assert csv_problems(word, frame, [1, 2, 3, 4], 2) != []


def test_checks_catch_a_participant_level_table_in_the_shared_document(run, tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    for name in ("07_case_matrix.csv", "07_case_matrix.table.json"):
        (tables / name).write_bytes((run["tables"] / name).read_bytes())
    record = DisplayTable.from_json(tables / "07_case_matrix.table.json").to_dict()
    # mislabelled as not participant-level (and no sidecars): the check sees it in the report
    (tables / "07_case_matrix.table.json").write_text(
        DisplayTable.from_dict({**copy.deepcopy(record), "participant_level": False}).to_json())
    built = build_word_report(figures_dir=tmp_path / "none", tables_dir=tables,
                              out_dir=tmp_path / "out", manifest={})
    text = "".join(c.text for p in placed_tables(open_docx(built.report))
                   for row in p.table.rows for c in row.cells)
    assert "P001" in text


def test_a_table_too_wide_even_in_landscape_gets_smaller_text_and_still_fits():
    from wave_analysis.report.table import Column, Row
    from wave_analysis.report.word.tables import MIN_PT, TEXT_PT, column_widths, text_size

    cols = (Column("g", "Group"), *(Column(f"c{i}", f"Interviewees week {i}", align="right")
                                    for i in range(16)))
    table = DisplayTable("07_x", "x", cols, (Row(("A group", *["10/10 (100%)"] * 16)),))
    landscape = 9_000_000  # EMU, about the text width of landscape A4
    size = text_size(table, landscape)
    assert MIN_PT <= size < TEXT_PT
    assert sum(column_widths(table, landscape, size)) <= landscape
    narrow = DisplayTable("07_y", "y", cols[:3], (Row(("A", "1", "2")),))
    assert text_size(narrow, landscape) == TEXT_PT
