"""Selection offsets (data.qdpx.offsets): each tool's unit maps onto code points of the LF text;
misfits are reported, never shifted. Expected offsets are computed here, not by the module."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from qdpx_builders import G, make_zip, project_xml, selection, text_source

from wave_analysis.data.qdpx import offsets, read_qdpx
from wave_analysis.exceptions import ArgumentError

RAW = "\ufeffQ: How are you?\r\nA: Fine 😀 thanks, back at work.\r\nQ: Good.\r\n"
# Spans that end just before a CRLF or start just after one, and spans past the emoji.

WORDS = ["How are you?", "A: Fine", "thanks", "back at work.", "Good."]



def file_offsets(unit: str) -> list[tuple[int, int]]:
    """Offsets of WORDS as each tool would write them (computed without the module)."""
    body = RAW[1:]  # tools count from after the byte-order mark
    out = []
    for w in WORDS:
        s = body.index(w)
        e = s + len(w)
        if unit == "utf16":
            s, e = (len(body[:x].encode("utf-16-le")) // 2 for x in (s, e))
        elif unit == "codepoint_lf":
            s, e = s - body[:s].count("\r\n"), e - body[:e].count("\r\n")
        out.append((s, e))
    return out



def offsets_project(tmp_path: Path, unit: str) -> Path:
    sels = "".join(selection(k, s, e) for k, (s, e) in enumerate(file_offsets(unit)))
    xml = project_xml(text_source(1, "Interview 1", sels, path=f"internal://{G.format(201)}.txt"))
    return make_zip(tmp_path / f"{unit}.qdpx", {"project.qde": xml,
                                                f"Sources/{G.format(201)}.txt":
                                                RAW.encode("utf-8")})



@pytest.mark.parametrize("unit", ["codepoint", "utf16", "codepoint_lf"])
def test_offsets_convert_to_stored_codepoints(tmp_path, unit):
    result = read_qdpx(offsets_project(tmp_path, unit), mapping={"*": "patient"})
    text = result.transcripts["Interview_1"]
    assert text == RAW[1:].replace("\r\n", "\n")  # BOM dropped, LF line ends
    assert result.report.offset_unit == unit  # auto found the tool's unit
    got = [text[s:e] for s, e in zip(result.codings["start"], result.codings["end"],
                                     strict=True)]
    assert sorted(got) == sorted(WORDS)



def test_explicit_unit_reports_misfits_without_shifting(tmp_path):
    result = read_qdpx(offsets_project(tmp_path, "utf16"), offset_unit="codepoint",
                       mapping={"*": "patient"})
    assert result.report.offset_unit == "codepoint"
    assert result.report.boundary_shares["codepoint"] < 1.0
    # the last word's utf16 end lies beyond the code-point text: reported, not clipped
    text = result.transcripts["Interview_1"]
    assert all(e <= len(text) for e in result.codings["end"])
    assert len(result.codings) + len(result.report.rejected) == len(WORDS)



def test_utf16_offset_inside_surrogate_pair_is_rejected(tmp_path):
    body = RAW[1:]
    emoji = len(body[: body.index("😀")].encode("utf-16-le")) // 2
    sels = selection(0, emoji + 1, emoji + 10) + selection(1, 0, 3)
    xml = project_xml(text_source(1, "s1", sels, path=f"internal://{G.format(201)}.txt"))
    f = make_zip(tmp_path / "p.qdpx", {"project.qde": xml,
                                       f"Sources/{G.format(201)}.txt": RAW.encode("utf-8")})
    result = read_qdpx(f, offset_unit="utf16", mapping={"*": "patient"})
    assert list(result.codings["start"]) == [0]
    assert [r.start for r in result.report.rejected] == [emoji + 1]



def test_codepoint_offset_between_cr_and_lf_is_rejected(tmp_path):
    body = RAW[1:]
    cr = body.index("\r\n")
    sels = selection(0, 0, cr + 1) + selection(1, 0, cr)
    xml = project_xml(text_source(1, "s1", sels, path=f"internal://{G.format(201)}.txt"))
    f = make_zip(tmp_path / "p.qdpx", {"project.qde": xml,
                                       f"Sources/{G.format(201)}.txt": RAW.encode("utf-8")})
    result = read_qdpx(f, offset_unit="codepoint", mapping={"*": "patient"})
    assert list(result.codings["end"]) == [cr]
    assert [r.end for r in result.report.rejected] == [cr + 1]



def test_selection_beyond_text_is_rejected(tmp_path):
    text = "Short text here."
    sels = selection(0, 0, 5) + selection(1, 6, 400)
    xml = project_xml(text_source(1, "s1", sels, content=text))
    f = tmp_path / "p.qde"
    f.write_bytes(xml)
    result = read_qdpx(f, mapping={"*": "gp"})
    assert list(zip(result.codings["start"], result.codings["end"], strict=True)) == [(0, 5)]
    (rej,) = result.report.rejected
    assert (rej.start, rej.end) == (6, 400) and "does not fit" in rej.reason
    assert list(result.report.to_frame()["end"]) == [400]


def test_offset_map_and_word_boundaries_directly():
    raw = "ab\r\n😀 cd"  # stored text "ab\n😀 cd": a0 b1 LF2 😀3 space4 c5 d6
    omap = offsets.OffsetMap(raw)
    # utf16 units: a0 b1 CR2 LF3 😀4-5 space6 c7; unit 5 is inside the surrogate pair
    stored, ok = omap.to_stored("utf16", np.array([0, 6, 7, 5]))
    assert stored.tolist()[:3] == [0, 4, 5] and ok.tolist() == [True, True, True, False]
    # codepoint_lf counts the CRLF once, so its offsets are the stored ones
    stored, ok = omap.to_stored("codepoint_lf", np.array([3, 5, 7]))
    assert stored.tolist() == [3, 5, 7] and ok.all()
    # codepoint: raw offset 3 sits between CR and LF
    assert omap.to_stored("codepoint", np.array([2, 3, 4]))[1].tolist() == [True, False, True]
    mask = offsets.word_char_mask(offsets.normalise_text(raw))
    assert offsets.boundary_ok(mask, np.array([0, 1, 2, 5, 6, 7])).tolist() == \
        [True, False, True, True, False, True]


def test_unknown_offset_unit_is_an_argument_error(tmp_path):
    with pytest.raises(ArgumentError, match="offset_unit must be one of auto, codepoint, utf16, "
                       "codepoint_lf; got 'bytes'"):
        read_qdpx(tmp_path / "never-opened.qdpx", offset_unit="bytes")
    with pytest.raises(ArgumentError, match="unit must be one of codepoint"):
        offsets.OffsetMap("x").to_stored("auto", np.array([0]))
