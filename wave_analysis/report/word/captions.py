"""Numbered captions ("Table 3. ...", "Figure 2. ...") and the generated-text marker.

The number is a Word ``SEQ`` field, so Word renumbers tables and figures when an author moves or
deletes one (select all, F9), and a cross-reference can point at it; the field's result holds the
number as text, so the document reads right before any field update (LibreOffice and python-docx
show that text).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from wave_analysis.report.word.document import GENERATED, RED

SYNTHETIC_LABEL = "[SYNTHETIC DATA]"
GENERATED_MARK = "Generated text: check and edit before use."


def _field_run(paragraph, *, char: str | None = None, instr: str | None = None,
               text: str | None = None) -> None:
    run = paragraph.add_run()
    if char is not None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), char)
    elif instr is not None:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instr
    else:
        run.text = text
        return
    run._r.append(element)


def add_seq_field(paragraph, kind: str, number: int) -> None:
    """``{ SEQ kind \\* ARABIC }`` whose current result is ``number``."""
    _field_run(paragraph, char="begin")
    _field_run(paragraph, instr=f" SEQ {kind} \\* ARABIC ")
    _field_run(paragraph, char="separate")
    _field_run(paragraph, text=str(number))
    _field_run(paragraph, char="end")


def add_caption(doc, kind: str, number: int, title: str, *, synthetic: bool,
                keep_with_next: bool = True, appendix: bool = False):
    """``Table N. title`` in the Caption style (``Table AN.`` in an appendix, its own sequence);
    ``[SYNTHETIC DATA]`` in red when synthetic."""
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(f"{kind} A" if appendix else f"{kind} ")
    add_seq_field(paragraph, f"{kind}A" if appendix else kind, number)
    paragraph.add_run(f". {title}")
    if synthetic:
        run = paragraph.add_run(f" {SYNTHETIC_LABEL}")
        run.font.color.rgb = RED
    paragraph.paragraph_format.keep_with_next = keep_with_next
    return paragraph


def add_generated(doc, text: str):
    """A paragraph of generated text, opened by a bold marker saying it is a draft to edit."""
    paragraph = doc.add_paragraph(style=GENERATED)
    marker = paragraph.add_run(f"{GENERATED_MARK} ")
    marker.bold = True
    paragraph.add_run(text)
    return paragraph
