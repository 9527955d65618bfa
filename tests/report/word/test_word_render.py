"""The Word report as LibreOffice renders it (no text outside the page margins: no table wider
than its page; landscape pages where wide tables are), byte-identical output across two
processes, and a reference document's styles used as the house style."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import word_fixtures as wf
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx_checks import (
    open_docx,
    pdf_margin_problems,
    pdf_missing_cells,
    pdf_page_texts,
    pdf_pages,
    render_pages,
    soffice,
    to_pdf,
)

from wave_analysis.report.word import build_word_report

# a real browser / LibreOffice per module: part of `make test`, not of the one-minute `make quick`
pytestmark = pytest.mark.slow

_absent = pytest.mark.skipif(soffice() is None or shutil.which("gs") is None,
                             reason="LibreOffice (soffice) and Ghostscript (gs) render the PDF; "
                                    "install libreoffice-writer and ghostscript")


def needs_office(test):
    """A rendering test: LibreOffice in a subprocess (a few seconds each), so marked slow."""
    return pytest.mark.slow(_absent(test))
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    folders = wf.make_run(root)
    return build_word_report(figures_dir=folders["figures"], tables_dir=folders["tables"],
                             out_dir=root / "out", manifest=wf.manifest(),
                             checklists_dir=folders["checklists"])


@needs_office
def test_rendered_pdf_keeps_every_table_inside_its_page(built, tmp_path):
    pdf = to_pdf(built.report, tmp_path)
    pages = pdf_pages(pdf)
    assert pdf_margin_problems(pdf) == []
    assert pdf_missing_cells(pdf, open_docx(built.report)) == []
    # title page, the 60-row baseline table over two pages, ..., one landscape page
    assert 5 <= len(pages) <= 9
    assert sum(p["width"] > 800 for p in pages) == 1
    shots = render_pages(pdf, tmp_path, first=1, last=4)
    assert len(shots) == 4 and all(s.stat().st_size > 5000 for s in shots)


def _pages_with(pdf: Path, text: str) -> int:
    return sum("".join(text.split()) in page for page in pdf_page_texts(pdf))


@needs_office
def test_header_row_printed_again_on_each_page_of_a_long_table(built, tmp_path):
    """The 60-row baseline table runs over two pages: its header is on both, and on one only
    when the header rows lose w:tblHeader."""
    header = "Vocational support (n=130)"
    assert _pages_with(to_pdf(built.report, tmp_path), header) == 2
    broken = open_docx(built.report)
    for flag in list(broken.element.body.iter(qn("w:tblHeader"))):
        flag.getparent().remove(flag)
    path = tmp_path / "no_repeat.docx"
    broken.save(path)
    assert _pages_with(to_pdf(path, tmp_path), header) == 1


@needs_office
def test_pdf_check_catches_a_table_wider_than_its_page(built, tmp_path):
    broken = open_docx(built.report)
    table = broken.tables[0]
    for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol")):
        col.set(qn("w:w"), str(int(col.get(qn("w:w"))) * 2))
    for tcw in (*table._tbl.iter(qn("w:tcW")), *table._tbl.iter(qn("w:tblW"))):
        tcw.set(qn("w:w"), str(int(tcw.get(qn("w:w"))) * 2))
    path = tmp_path / "broken.docx"
    broken.save(path)
    pdf = to_pdf(path, tmp_path)
    assert pdf_margin_problems(pdf) != [] or pdf_missing_cells(pdf, broken) != []


BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
import word_fixtures as wf
from wave_analysis.report.word import build_word_report
root = Path(sys.argv[1])
f = wf.make_run(root)
build_word_report(figures_dir=f["figures"], tables_dir=f["tables"], out_dir=root / "out",
                  manifest=wf.manifest(), checklists_dir=f["checklists"])
"""


def _build_in_process(root: Path, env: dict) -> bytes:
    code = BUILD.format(tests=str(Path(__file__).parent))
    subprocess.run([sys.executable, "-c", code, str(root)], check=True, env=env, cwd=ROOT,
                   timeout=300)
    return (root / "out" / "wave_report.docx").read_bytes()


@pytest.mark.slow
def test_identical_bytes_across_two_processes(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "random"}
    env.pop("SOURCE_DATE_EPOCH", None)
    first = _build_in_process(tmp_path / "a", env)
    second = _build_in_process(tmp_path / "b", {**env, "TZ": "Pacific/Auckland"})
    assert first == second
    # the comparison can fail: another fixed date gives other bytes
    third = _build_in_process(tmp_path / "c", {**env, "SOURCE_DATE_EPOCH": "1700000000"})
    assert third != first


def _reference(path: Path) -> Path:
    ref = docx.Document()
    normal = ref.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    ref.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x55, 0x99)
    section = ref.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)  # US Letter
    ref.add_paragraph("Reference body text that must not be carried over.")
    ref.save(path)
    return path


def test_reference_docx_styles_and_page_are_used(tmp_path):
    folders = wf.make_run(tmp_path)
    built = build_word_report(figures_dir=folders["figures"], tables_dir=folders["tables"],
                              out_dir=tmp_path / "out", manifest=wf.manifest(),
                              reference_docx=_reference(tmp_path / "ref.docx"))
    doc = open_docx(built.report)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size == Pt(12)
    assert doc.styles["Heading 1"].font.color.rgb == RGBColor(0x00, 0x55, 0x99)
    assert doc.sections[0].page_width == Inches(8.5)
    assert "Reference body text" not in doc.element.xml
    assert "WAVE Table Text" in [s.name for s in doc.styles]  # missing styles added
    house = open_docx(build_word_report(
        figures_dir=folders["figures"], tables_dir=folders["tables"], out_dir=tmp_path / "h",
        manifest=wf.manifest()).report)
    assert house.styles["Normal"].font.name == "Arial"
    assert house.styles["Normal"].paragraph_format.line_spacing == 1.5
    assert house.styles["WAVE Table Text"].paragraph_format.line_spacing == 1.5


def test_a_reference_that_is_not_a_docx_is_one_clear_error(tmp_path):
    from wave_analysis.exceptions import ConfigError

    bad = tmp_path / "style.docx"
    bad.write_text("not a zip")
    with pytest.raises(ConfigError, match=r"--reference-docx .*style.docx: not a Word .docx"):
        build_word_report(figures_dir=tmp_path, tables_dir=tmp_path, out_dir=tmp_path / "o",
                          manifest={}, reference_docx=bad)
