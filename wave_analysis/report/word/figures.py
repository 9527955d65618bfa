"""Figures in the Word report: the PNG, with the figure's SVG attached as its vector original.

The project saves PNGs at 150 dpi (``outputs._SAVE_RC``), about 170 dpi at the width of an A4 text
block: below the 300 dpi of print. python-docx embeds only raster images, so each figure goes in
as its PNG and, when the SVG saved beside it exists, the SVG is added as the picture's vector
version the way Word 2016+ stores it itself (an ``asvg:svgBlip`` extension on the picture, with the
PNG as the fallback for older readers). Word and LibreOffice then show and print the vector
figure; the PNG's effective resolution is recorded (``Figure.dpi``) so a check can report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree
from PIL import Image

from wave_analysis._sidecars import title_from_name
from wave_analysis.report.word.captions import add_caption
from wave_analysis.report.word.document import TABLE_NOTE

SVG_EXT_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # Word's id of the SVG picture extension
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
PRINT_DPI = 300
_MAX_HEIGHT = 0.62  # of the page height: room for the caption below


@dataclass(frozen=True)
class Figure:
    """One figure artefact: its PNG, the SVG beside it (if any) and its sidecar's metadata."""

    name: str
    png: Path
    svg: Path | None
    title: str
    caption: str
    synthetic: bool
    participant_level: bool


def read_figure(png: Path, sidecar: dict | None) -> Figure:
    meta = sidecar or {}
    svg = png.with_suffix(".svg")
    return Figure(name=png.stem, png=png, svg=svg if svg.is_file() else None,
                  title=str(meta.get("title") or title_from_name(png.stem)),
                  caption=str(meta.get("caption") or ""),
                  synthetic=bool(meta.get("synthetic")),
                  participant_level=bool(meta.get("participant_level", False)))


def display_size(png: Path, *, width: int, height: int) -> tuple[int, int]:
    """EMU size that fits ``width`` x ``height`` and keeps the aspect ratio."""
    with Image.open(png) as image:
        px_w, px_h = image.size
    scale = min(width / px_w, height / px_h)
    return int(px_w * scale), int(px_h * scale)


def effective_dpi(png: Path, shown_width: int) -> float:
    with Image.open(png) as image:
        return image.size[0] / (shown_width / 914400)


def _attach_svg(doc, picture, svg: Path) -> None:
    """Add ``svg`` as the vector version of ``picture`` (Word's ``asvg:svgBlip``)."""
    package = doc.part.package
    part = Part(package.next_partname("/word/media/image%d.svg"), "image/svg+xml",
                svg.read_bytes(), package)
    rid = doc.part.relate_to(part, RT.IMAGE)
    blip = picture._inline.graphic.graphicData.pic.blipFill.blip
    ext_list = OxmlElement("a:extLst")
    ext = OxmlElement("a:ext")
    ext.set("uri", SVG_EXT_URI)
    svg_blip = etree.SubElement(ext, f"{{{SVG_NS}}}svgBlip", nsmap={"asvg": SVG_NS})
    svg_blip.set(qn("r:embed"), rid)
    ext_list.append(ext)
    blip.append(ext_list)


def add_figure(doc, figure: Figure, number: int, *, width: int, page_height: int) -> float:
    """The picture, then ``Figure N. title`` and the caption text. Returns the PNG's
    effective dpi at the size it is shown."""
    w, h = display_size(figure.png, width=width, height=int(page_height * _MAX_HEIGHT))
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    picture = paragraph.add_run().add_picture(str(figure.png), width=Emu(w), height=Emu(h))
    if figure.svg is not None:
        _attach_svg(doc, picture, figure.svg)
    add_caption(doc, "Figure", number, figure.title, synthetic=figure.synthetic,
                keep_with_next=bool(figure.caption))
    if figure.caption:
        doc.add_paragraph(figure.caption, style=TABLE_NOTE)
    return effective_dpi(figure.png, w)
