"""The Word document a report is written into: the house style (or a reference document's styles),
the page, and portrait/landscape sections.

House style (no reference document): A4, 2.54 cm margins, Arial 11 pt with 1.5 line spacing, as
the NIHR Journals Library asks of manuscripts, tables included. With ``--reference-docx`` the
reference's own styles, page size and headers are kept: its body is emptied and only the styles
this builder needs and the reference lacks are added (based on its ``Normal``), so an author's
template wins wherever it says something.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from wave_analysis.exceptions import ConfigError

# Paragraph styles this builder uses beyond Word's built-in ones (authors restyle them in Word).
TABLE_TEXT = "WAVE Table Text"
TABLE_HEADING = "WAVE Table Heading"
TABLE_NOTE = "WAVE Table Note"
GENERATED = "WAVE Generated Text"
LABEL = "WAVE Label"
TABLE_STYLE = "WAVE Table"
LINE_SPACING = 1.5  # NIHR: 1.5 line spacing throughout, tables too
_A4 = (Mm(210), Mm(297))
_MARGIN = Mm(25.4)
RED = RGBColor(0xB2, 0x18, 0x2B)


def new_document(reference: Path | str | None = None) -> docx.document.Document:
    """An empty document in the house style, or carrying ``reference``'s styles and page."""
    if reference is None:
        doc = docx.Document()
        _house_style(doc)
        _a4_page(doc.sections[0])
    else:
        doc = _open_reference(Path(reference))
        _empty_body(doc)
    _add_missing_styles(doc)
    return doc


def _open_reference(path: Path) -> docx.document.Document:
    if not path.is_file():
        raise ConfigError(f"--reference-docx {path}: file not found; give a .docx whose styles "
                          "the report should use")
    try:
        return docx.Document(str(path))
    except Exception as err:  # python-docx raises several types for a file that is not .docx
        raise ConfigError(f"--reference-docx {path}: not a Word .docx document ({err}); save the "
                          "template as .docx (not .dotx or .doc) and pass that") from None


def _empty_body(doc) -> None:
    """Remove the reference's content but keep its final section (page size, headers)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _a4_page(section) -> None:
    section.page_width, section.page_height = _A4
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)


def _house_style(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    _east_asian_font(normal, "Arial")
    fmt = normal.paragraph_format
    fmt.line_spacing = LINE_SPACING
    fmt.space_after = Pt(6)
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        style = doc.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian_font(style, "Arial")
    caption = doc.styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.bold = True
    caption.font.italic = False
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(12)


def _east_asian_font(style, name: str) -> None:
    """python-docx sets only the ASCII font; set the other scripts so Word shows one font."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph_style(doc, name: str, *, size: float, space_after: float = 0.0):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(size)
    style.paragraph_format.line_spacing = LINE_SPACING
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(space_after)
    return style


def _add_missing_styles(doc) -> None:
    """The styles the builder uses, added only where the document lacks them."""
    have = {s.name for s in doc.styles}
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        if name not in have:  # a sparse reference: a plain stand-in keeps the report buildable
            style = _paragraph_style(doc, name, size={"Title": 20, "Caption": 10}.get(name, 14),
                                     space_after=6)
            style.font.bold = True
    if TABLE_TEXT not in have:
        _paragraph_style(doc, TABLE_TEXT, size=9)
    if TABLE_HEADING not in have:
        _paragraph_style(doc, TABLE_HEADING, size=9).font.bold = True
    if TABLE_NOTE not in have:
        _paragraph_style(doc, TABLE_NOTE, size=9, space_after=2)
    if GENERATED not in have:
        _generated_style(doc)
    if LABEL not in have:
        style = _paragraph_style(doc, LABEL, size=12, space_after=6)
        style.font.bold = True
        style.font.color.rgb = RED
    if TABLE_STYLE not in have:
        _table_style(doc)


def element(tag: str, **attributes: str):
    """An OOXML element ``w:...`` with ``w:`` attributes (``element("w:bottom", val="single")``)."""
    made = OxmlElement(tag)
    for key, value in attributes.items():
        made.set(qn(f"w:{key}"), value)
    return made


def borders(tag: str, edges: tuple[str, ...], *, size: int, color: str = "000000",
            space: int = 0):
    """A borders element (``w:tcBorders``, ``w:pBdr``, ...) with a single rule on ``edges``;
    ``size`` in eighths of a point."""
    made = OxmlElement(tag)
    for edge in edges:
        made.append(element(f"w:{edge}", val="single", sz=str(size), space=str(space),
                            color=color))
    return made


def _generated_style(doc) -> None:
    """Generated text sits on a pale yellow ground with a left rule, so it is seen as a draft."""
    style = _paragraph_style(doc, GENERATED, size=10, space_after=6)
    ppr = style.element.get_or_add_pPr()
    rule = borders("w:pBdr", ("left",), size=18, color="C9A227", space=4)
    shading = element("w:shd", val="clear", color="auto", fill="FFF6D5")
    ppr.insert_element_before(rule, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
    ppr.insert_element_before(shading, "w:tabs", "w:spacing", "w:ind", "w:jc")


def _table_style(doc) -> None:
    """A three-rule table style (top and bottom rules; the header rule is set on the cells)."""
    style = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    tblpr = style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    tblpr.append(borders("w:tblBorders", ("top", "bottom"), size=8))
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margins.append(element(f"w:{edge}", w="85", type="dxa"))  # 0.15 cm each side
    tblpr.append(margins)


# --- page geometry -------------------------------------------------------------------------

def text_width(section) -> int:
    """Width between the margins, in EMU."""
    return int(section.page_width - section.left_margin - section.right_margin)


def is_landscape(section) -> bool:
    return section.page_width > section.page_height


def start_section(doc, *, landscape: bool):
    """A new section from a new page, turned to ``landscape`` or portrait (width and height are
    swapped, as Word does, so the section keeps the same paper)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if is_landscape(section) != landscape:
        section.page_width, section.page_height = section.page_height, section.page_width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    return section


def portrait_text_width(doc) -> int:
    """Text width of the first section when upright (the report's portrait pages)."""
    first = doc.sections[0]
    narrow = min(first.page_width, first.page_height)
    return int(narrow - first.left_margin - first.right_margin)


def landscape_text_width(doc) -> int:
    first = doc.sections[0]
    wide = max(first.page_width, first.page_height)
    return int(wide - first.left_margin - first.right_margin)


def mark_header(doc, text: str) -> None:
    """Add ``text`` (in red, bold) to the page header of every section."""
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    para = header.add_paragraph() if header.paragraphs[0].text else header.paragraphs[0]
    run = para.add_run(text)
    run.bold = True
    run.font.color.rgb = RED
