"""REFI-QDA import (data.qdpx.read): ids, coders, codebook levels, tool quirks, the folder helper
and the real NVivo 12 export in ../shared/fixtures (skipped when absent)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from xml.etree import ElementTree as ET

import pandas as pd
import pandas.testing as pdt
import pytest
from qdpx_builders import NS, NVIVO, G, make_zip, project_xml, selection, small_qual, text_source

from wave_analysis.data.qdpx import import_qdpx, read_qdpx, write_qdpx
from wave_analysis.exceptions import QdpxError


def test_duplicate_spans_are_merged_and_coders_pseudonymised(tmp_path):
    text = "alpha beta gamma delta"
    sels = (selection(0, 6, 10, user=901) + selection(1, 6, 10, user=901)
            + selection(2, 0, 5, user=900) + selection(3, 6, 10, code=2, user=901))
    f = tmp_path / "p.qde"
    f.write_bytes(project_xml(text_source(1, "s1", sels, content=text)))
    result = read_qdpx(f, mapping={"*": "gp"})
    assert result.report.n_duplicates_merged == 1
    assert len(result.codings) == 3
    # Bob codes first in the document, so Bob is coder_1
    by_span = {(s, e, c): cd for s, e, c, cd in result.codings[["start", "end", "code_id",
                                                                "coder"]].itertuples(index=False)}
    assert set(by_span.values()) == {"coder_1", "coder_2"}
    assert by_span[(0, 5, "C003")] == "coder_2"
    dumped = (result.codings.to_csv() + result.interviews.to_csv() + result.codebook.to_csv()
              + result.report.summary() + repr(result.report))
    assert "Realname" not in dumped and "alice" not in dumped



def test_codebook_levels_and_ids(tmp_path):
    f = tmp_path / "p.qde"
    f.write_bytes(project_xml(""))
    cb = read_qdpx(f).codebook
    assert list(cb["level"]) == ["theme", "subtheme", "code", "code"]
    assert list(cb["parent_id"].iloc[1:]) == list(cb["code_id"].iloc[:-1])
    assert cb["parent_id"].iloc[0] is None
    assert cb["code_id"].str.fullmatch(r"[A-Za-z0-9_-]{1,30}").all()



def test_tool_quirks_namespace_names_and_folders(tmp_path):
    # ATLAS.ti-style: XML named after the project, namespace suffix 0:4, lowercase sources/,
    # plainTextPath without internal://, one source without a name.
    body = "A: We talked every week."
    sels = selection(0, 3, 9)
    xml = project_xml(text_source(1, None, sels, path=f"{G.format(201)}.txt")
                      + text_source(2, "Inline", "", content="Inline text"),
                      ns="urn:QDA-XML:project:0:4")
    f = make_zip(tmp_path / "Trial.qdpx", {"Trial.qde": xml,
                                           f"sources/{G.format(201)}.TXT": body.encode()})
    result = read_qdpx(f, mapping={"*": "vsw"})
    assert set(result.transcripts.values()) == {body, "Inline text"}
    (iid,) = [k for k, v in result.transcripts.items() if v == body]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,30}", iid)
    assert list(result.codings["start"]) == [3] and list(result.codings["end"]) == [9]



def test_qdc_codebook(tmp_path):
    f = tmp_path / "book.qdc"
    f.write_bytes(
        b'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + f'<Code guid="{G.format(1)}" name="T" isCodable="true"><Description>d</Description>'
          f'<Code guid="{G.format(2)}" name="S" isCodable="true"/></Code>'.encode()
        + b"</Codes></CodeBook>")
    result = read_qdpx(f)
    assert list(result.codebook["name"]) == ["T", "S"]
    assert list(result.codebook["description"]) == ["d", None]
    assert result.codings.empty and result.interviews.empty



def test_import_qdpx_writes_folder_and_refuses_overwrite(tmp_path):
    src = write_qdpx(small_qual(), tmp_path / "p.qdpx")
    out = tmp_path / "out"
    result = import_qdpx(src, out)
    assert sorted(p.name for p in out.iterdir()) == ["codebook.csv", "codings.csv",
                                                      "interviews.csv", "transcripts"]
    for iid, text in small_qual().transcripts.items():
        assert (out / "transcripts" / f"{iid}.txt").read_bytes() == text.encode("utf-8")
    codings = pd.read_csv(out / "codings.csv")
    assert len(codings) == len(result.codings)
    assert pd.read_csv(out / "interviews.csv")["interview_date"].tolist() == [
        "2021-03-01", "2021-04-15", "2021-05-20"]
    with pytest.raises(QdpxError, match="not empty"):
        import_qdpx(src, out)
    import_qdpx(src, out, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.qdpx"]



def _is_word(c: str) -> bool:
    return unicodedata.category(c)[0] in "LNM"



@pytest.fixture(scope="module")
def nvivo():
    if not NVIVO.exists():
        pytest.skip("../shared/fixtures/refi-qda is absent")
    return read_qdpx(NVIVO, mapping={"*": "patient"})



def test_nvivo_fixture_every_coding_present(nvivo):
    with zipfile.ZipFile(NVIVO) as zf:
        root = ET.fromstring(zf.read("project.qde"))
    n_codes = len(root.findall(f".//{{{NS}}}Code"))
    n_codings = len(root.findall(f".//{{{NS}}}PlainTextSelection/{{{NS}}}Coding"))
    assert (n_codes, n_codings) == (152, 303)  # README of the fixture
    assert len(nvivo.codebook) == n_codes
    assert nvivo.report.rejected == ()
    assert len(nvivo.codings) + nvivo.report.n_duplicates_merged == n_codings
    assert nvivo.report.offset_unit == "utf16"
    total = sum(map(len, nvivo.transcripts.values()))
    assert 1_100_000 < total < 1_300_000  # two sources of ~600,000 characters each
    assert all("\r" not in t and not t.startswith("\ufeff") for t in nvivo.transcripts.values())
    assert any(ord(c) > 0xFFFF for t in nvivo.transcripts.values() for c in t)  # emoji kept



def test_nvivo_fixture_selections_on_word_boundaries(nvivo):
    # Word boundary: a position that does not split a word (neighbours not both letters,
    # numbers or marks), or the text's start or end.
    def boundary(t, p):
        return p in (0, len(t)) or not (_is_word(t[p - 1]) and _is_word(t[p]))

    hits = [boundary(nvivo.transcripts[i], s) and boundary(nvivo.transcripts[i], e)
            for i, s, e in nvivo.codings[["interview_id", "start", "end"]].itertuples(
                index=False)]
    assert sum(hits) / len(hits) >= 0.97



def test_nvivo_fixture_survives_export_round_trip(nvivo, tmp_path):
    out = write_qdpx(nvivo.to_qualdata(), tmp_path / "n.qdpx")
    back = read_qdpx(out)
    pdt.assert_frame_equal(back.codings, nvivo.codings)
    pdt.assert_frame_equal(back.codebook, nvivo.codebook)
    pdt.assert_frame_equal(back.interviews, nvivo.interviews)
    assert dict(back.transcripts) == dict(nvivo.transcripts)
