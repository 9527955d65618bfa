"""Read a built .docx back (python-docx and its XML) and a LibreOffice rendering of it, and say
what a reader would find: the captioned tables in order with their section, header rows that
repeat, table widths against the page, numbers against the tidy CSVs, text outside the margins
of the PDF. Each check returns what is wrong (empty: nothing), so a test can also show that it
catches a broken document."""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pandas as pd
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

NUMBER = re.compile(r"([<>]?)(-?\d[\d,]*(?:\.\d+)?)(%?)")
TWIP = 635  # EMU per twentieth of a point


@dataclass
class Placed:
    caption: str
    table: Table
    section: object  # docx.section.Section


def placed_tables(doc) -> list[Placed]:
    """Every table with the caption paragraph just before it and the section it sits in."""
    found, caption, index = [], "", 0
    sections = doc.sections
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            para = Paragraph(element, doc._body)
            if para.style.name == "Caption":
                caption = para.text
            if element.find(qn("w:pPr") + "/" + qn("w:sectPr")) is not None:
                index += 1
        elif element.tag == qn("w:tbl"):
            found.append(Placed(caption, Table(element, doc._body), sections[index]))
            caption = ""
    return found


def captions(doc, kind: str) -> list[tuple[str, bool]]:
    """(number as shown, whether it is a SEQ field) of each ``kind`` caption, in order."""
    out = []
    for para in doc.paragraphs:
        match = re.match(rf"{kind} (A?\d+)\. ", para.text)
        if para.style.name == "Caption" and match:
            instr = " ".join(t.text for t in para._p.iter(qn("w:instrText")))
            out.append((match.group(1), f"SEQ {kind}" in instr))
    return out


def numbering_problems(doc, kind: str) -> list[str]:
    shown = [n for n, _ in captions(doc, kind) if not n.startswith("A")]
    problems = [f"{kind} {n} has no SEQ field" for n, seq in captions(doc, kind) if not seq]
    if shown != [str(i) for i in range(1, len(shown) + 1)]:
        problems.append(f"{kind} numbers not 1..n in order: {shown}")
    return problems


def header_rows(table: Table) -> int:
    """How many leading rows carry ``w:tblHeader`` (repeat at the top of each page)."""
    count = 0
    for row in table.rows:
        trpr = row._tr.trPr
        if trpr is None or trpr.find(qn("w:tblHeader")) is None:
            break
        count += 1
    return count


def width(table: Table) -> int:
    """The table's width in EMU, from its grid."""
    grid = table._tbl.tblGrid.iterchildren(qn("w:gridCol"))
    return sum(int(c.get(qn("w:w"))) * TWIP for c in grid)


def text_width(section) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def is_landscape(section) -> bool:
    return section.page_width > section.page_height


def body_rows(table: Table, n_header: int) -> list[list[str]]:
    """Texts of the body rows, without row-group rows (one cell merged across the table)."""
    rows = []
    for row in table.rows[n_header:]:
        tcs = row._tr.tc_lst
        if len(tcs) == 1 and len(table.columns) > 1:
            continue
        rows.append([c.text for c in row.cells])
    return rows


def _matches(sign: str, value: float, decimals: int, percent: bool, candidates) -> bool:
    for v in candidates:
        if sign == "<" and v < value:
            return True
        for scaled in ((v, v * 100) if percent else (v,)):
            if not sign and math.isclose(round(scaled, decimals), value, abs_tol=1e-9):
                return True
    return False


def _row_values(record: pd.Series) -> list[float]:
    """The numbers of a CSV row: numeric cells, and the numbers written inside text cells (a
    table of already formatted text, as tableone saves)."""
    values = []
    for value in record.dropna():
        if isinstance(value, int | float):
            values.append(float(value))
        else:
            values += [float(t.replace(",", "")) for _, t, _ in
                       NUMBER.findall(str(value).replace("\u2212", "-"))]
    return values


def csv_problems(table: Table, frame: pd.DataFrame, numeric_columns: list[int],
                 n_header: int, *, by_row: bool = True) -> list[str]:
    """Every number in the numeric columns equals a CSV value rounded as displayed: one of the
    same row (``by_row``: rows in the same order) or else any of the CSV; percentages may be
    100 x a proportion; '<0.001' a smaller value."""
    rows = body_rows(table, n_header)
    if by_row and len(rows) != len(frame):
        return [f"{len(rows)} body rows, the CSV has {len(frame)}"]
    per_row = [_row_values(record) for _, record in frame.iterrows()]
    everything = [v for values in per_row for v in values]
    problems = []
    for i, cells in enumerate(rows):
        values = per_row[i] if by_row else everything
        for j in numeric_columns:
            for sign, text, pct in NUMBER.findall(cells[j].replace("\u2212", "-")):
                decimals = len(text.split(".")[1]) if "." in text else 0
                if not _matches(sign, float(text.replace(",", "")), decimals, bool(pct), values):
                    problems.append(f"row {i} column {j}: {cells[j]!r} ({text}) not in the CSV")
    return problems


# --- LibreOffice rendering -------------------------------------------------------------------

def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(document: Path, out_dir: Path) -> Path:
    """Render ``document`` with LibreOffice headless (its own profile: parallel-safe)."""
    profile = out_dir / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(document)],
                   check=True, capture_output=True, timeout=240)
    return out_dir / f"{document.stem}.pdf"


def pdf_pages(pdf: Path) -> list[dict]:
    """Per page: its width and the x extent of its characters (Ghostscript's txtwrite)."""
    text = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite",
                           "-dTextFormat=0", "-sOutputFile=-", str(pdf)], check=True,
                          capture_output=True, text=True, timeout=240).stdout
    boxes = subprocess.run(["gs", "-q", "-dNODISPLAY", "-dNOSAFER", "-c",
                            f"({pdf}) (r) file runpdfbegin 1 1 pdfpagecount "
                            "{pdfgetpage /MediaBox pget pop ==} for quit"],
                           check=True, capture_output=True, text=True, timeout=240).stdout
    widths = [float(line.strip("[]").split()[2]) for line in boxes.splitlines() if line]
    pages = []
    for page_text, page_width in zip(text.split("<page>")[1:], widths, strict=True):
        xs = [(int(a), int(b)) for a, b in re.findall(r'<char bbox="(-?\d+) -?\d+ (-?\d+)',
                                                      page_text)]
        pages.append({"width": page_width, "left": min((a for a, _ in xs), default=None),
                      "right": max((b for _, b in xs), default=None)})
    return pages


def pdf_margin_problems(pdf: Path, margin_pt: float = 72.0, slack: float = 3.0) -> list[str]:
    """Pages with characters outside the margins (a table wider than its page shows here)."""
    problems = []
    for number, page in enumerate(pdf_pages(pdf), start=1):
        if page["right"] is None:
            continue
        if page["right"] > page["width"] - margin_pt + slack or page["left"] < margin_pt - slack:
            problems.append(f"page {number}: text from x={page['left']} to {page['right']} pt, "
                            f"page {page['width']:.0f} pt wide")
    return problems


def pdf_page_texts(pdf: Path) -> list[str]:
    """Each page's characters in drawing order, without white space (text drawn off the page
    is clipped away, so a cell pushed off the page is missing here)."""
    out = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=txtwrite",
                          "-dTextFormat=0", "-sOutputFile=-", str(pdf)], check=True,
                         capture_output=True, text=True, timeout=240).stdout
    return ["".join(html.unescape(c) for c in re.findall(r'<char bbox="[^"]*" c="([^"]*)"', page)
                    if not c.isspace()) for page in out.split("<page>")[1:]]


def pdf_text(pdf: Path) -> str:
    return "".join(pdf_page_texts(pdf))


def pdf_missing_cells(pdf: Path, doc) -> list[str]:
    """Table cell texts of ``doc`` that the rendering does not show."""
    shown = pdf_text(pdf)
    missing = []
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                text = "".join(cell.text.split())
                if text and text not in shown and text not in missing:
                    missing.append(text)
    return missing


def render_pages(pdf: Path, out_dir: Path, *, first: int, last: int, dpi: int = 70) -> list[Path]:
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=png16m", f"-r{dpi}",
                    f"-dFirstPage={first}", f"-dLastPage={last}",
                    f"-sOutputFile={out_dir}/page-%02d.png", str(pdf)], check=True, timeout=240)
    return sorted(out_dir.glob("page-*.png"))


def open_docx(path: Path):
    return docx.Document(path if hasattr(path, "read") else str(path))
