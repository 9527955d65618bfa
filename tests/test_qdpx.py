"""Tests for wave_analysis.data.qdpx: REFI-QDA import/export, offsets, mapping and hostile archives.

Expected offsets are computed here independently of the module (str.index on the text, UTF-16
encoding lengths), never taken from the code under test.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pandas.testing as pdt
import pytest

from wave_analysis.data import qdpx
from wave_analysis.data.model import QualData
from wave_analysis.data.qdpx import import_qdpx, read_qdpx, write_qdpx
from wave_analysis.exceptions import QdpxError

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "refi-qda"
NVIVO = FIXTURES / "nvivo12-win-oltas0517.qdpx"
XSD = FIXTURES / "Project.xsd"
NS = "urn:QDA-XML:project:1.0"
G = "00000000-0000-0000-0000-{:012d}"  # readable GUIDs for hand-built projects


# ---------------------------------------------------------------------------------------------
# builders


def small_qual() -> QualData:
    texts = {
        "INT01": "Interviewer: How was work?\nP: The VSW called me 📞 every week.\nIt helped.",
        "INT02": "Manager: We adjusted duties.\n\nWe had no contact with the GP.",
        "INT03": "GP: I write fit notes 😀😀 daily; the service was useful.",
    }

    def span(iid, word):
        s = texts[iid].index(word)
        return s, s + len(word)

    interviews = pd.DataFrame({
        "interview_id": ["INT01", "INT02", "INT03"],
        "stakeholder_group": ["patient", "employer", "gp"],
        "participant_id": ["P001", None, None],
        "practice_id": ["PR01", None, "PR02"],
        "interview_date": pd.to_datetime(["2021-03-01", "2021-04-15", "2021-05-20"]),
        "transcript_file": ["INT01.txt", "INT02.txt", "INT03.txt"],
    })
    codebook = pd.DataFrame({
        "code_id": ["T1", "T1S1", "T1S1C1", "T2"],
        "parent_id": [None, "T1", "T1S1", None],
        "name": ["Support", "Contact", "Regular calls", "Workplace"],
        "level": ["theme", "subtheme", "code", "theme"],
        "description": ["Support from the service", None, "Calls at a set rhythm", None],
    })
    rows = []
    for iid, word, code, coder in [
        ("INT01", "The VSW called me 📞 every week", "T1S1C1", "coder_1"),
        ("INT01", "The VSW called me 📞 every week", "T1S1", "coder_1"),
        ("INT01", "The VSW called me 📞 every week", "T1S1C1", "coder_2"),
        ("INT01", "It helped", "T1", "coder_2"),
        ("INT02", "We adjusted duties", "T2", "coder_1"),
        ("INT03", "the service was useful", "T1", "coder_2"),
    ]:
        s, e = span(iid, word)
        rows.append((iid, code, s, e, coder))
    codings = pd.DataFrame(rows, columns=["interview_id", "code_id", "start", "end", "coder"])
    codings = codings.astype({"start": "Int64", "end": "Int64"})
    return QualData(interviews=interviews, codebook=codebook, codings=codings, transcripts=texts)


def canonical(frame: pd.DataFrame, order) -> pd.DataFrame:
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def project_xml(sources_xml: str, *, ns: str = NS, codes: str | None = None, extra: str = "",
                users: str | None = None) -> bytes:
    codes = codes if codes is not None else (
        f'<Code guid="{G.format(1)}" name="Theme A" isCodable="true">'
        f'<Code guid="{G.format(2)}" name="Sub A" isCodable="true">'
        f'<Code guid="{G.format(3)}" name="Code A" isCodable="true">'
        f'<Code guid="{G.format(4)}" name="Deep A" isCodable="true"/></Code></Code></Code>')
    users = users if users is not None else (
        f'<Users><User guid="{G.format(900)}" name="Alice Realname"/>'
        f'<User guid="{G.format(901)}" name="Bob Realname"/></Users>')
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="t" '
            f'basePath="C:\\Users\\alice\\Documents">{users}'
            f'<CodeBook><Codes>{codes}</Codes></CodeBook>{extra}'
            f'<Sources>{sources_xml}</Sources></Project>').encode()


def selection(k: int, start: int, end: int, code: int = 3, user: int = 900) -> str:
    return (f'<PlainTextSelection guid="{G.format(100 + k)}" startPosition="{start}" '
            f'endPosition="{end}"><Coding guid="{G.format(500 + k)}" '
            f'creatingUser="{G.format(user)}"><CodeRef targetGUID="{G.format(code)}"/>'
            '</Coding></PlainTextSelection>')


def text_source(k: int, name: str | None, sels: str, *, path: str | None = None,
                content: str | None = None, created: str | None = None) -> str:
    attrs = f'guid="{G.format(200 + k)}"'
    if name is not None:
        attrs += f' name="{name}"'
    if path is not None:
        attrs += f' plainTextPath="{path}"'
    if created:
        attrs += f' creationDateTime="{created}"'
    body = "" if content is None else f"<PlainTextContent>{content}</PlainTextContent>"
    return f"<TextSource {attrs}>{body}{sels}</TextSource>"


def make_zip(path: Path, entries: dict[str, bytes], *, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


# ---------------------------------------------------------------------------------------------
# round trip, schema, determinism


def test_round_trip_reimports_identically(tmp_path):
    qual = small_qual()
    out = write_qdpx(qual, tmp_path / "p.qdpx")
    back = read_qdpx(out)
    pdt.assert_frame_equal(back.interviews, qual.interviews, check_dtype=False)
    pdt.assert_frame_equal(back.codebook, qual.codebook, check_dtype=False)
    order = ["interview_id", "start", "end", "code_id", "coder"]
    pdt.assert_frame_equal(canonical(back.codings, order), canonical(qual.codings, order))
    assert dict(back.transcripts) == qual.transcripts
    assert back.report.rejected == ()
    assert back.report.offset_unit == "codepoint"


def test_export_validates_against_project_xsd(tmp_path):
    if not XSD.exists():
        pytest.skip("../shared/fixtures/refi-qda is absent")
    xmlschema = pytest.importorskip("xmlschema")
    out = write_qdpx(small_qual(), tmp_path / "p.qdpx")
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(str(XSD)).validate(xml)  # raises on any violation


def test_synthetic_corpus_round_trips_and_validates(tmp_path, qual):
    """The bundled synthetic corpus: export, XSD-validate, re-import identically."""
    out = write_qdpx(qual, tmp_path / "synthetic.qdpx")
    if XSD.exists():
        xmlschema = pytest.importorskip("xmlschema")
        with zipfile.ZipFile(out) as zf:
            xmlschema.XMLSchema(str(XSD)).validate(zf.read("project.qde").decode("utf-8"))
    back = read_qdpx(out)

    def empty_as_none(frame):  # the loader keeps None, the importer NaN, for empty text
        return frame.astype(object).where(frame.notna(), None)

    for name in ("interviews", "codebook"):
        pdt.assert_frame_equal(empty_as_none(getattr(back, name)),
                               empty_as_none(getattr(qual, name)), check_dtype=False)
    order = ["interview_id", "start", "end", "code_id", "coder"]
    pdt.assert_frame_equal(canonical(back.codings, order), canonical(qual.codings, order))
    assert dict(back.transcripts) == dict(qual.transcripts)
    assert back.report.rejected == ()


def test_export_is_deterministic_and_private(tmp_path):
    a = write_qdpx(small_qual(), tmp_path / "a.qdpx").read_bytes()
    b = write_qdpx(small_qual(), tmp_path / "b.qdpx").read_bytes()
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in zf.infolist())
        xml = zf.read("project.qde").decode()
    assert "basePath" not in xml and "/home" not in xml and "Users\\" not in xml
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_refuses_coding_outside_transcript(tmp_path):
    qual = small_qual()
    bad = qual.codings.copy()
    bad.loc[0, "end"] = 10_000
    with pytest.raises(QdpxError, match="does not fit its transcript"):
        write_qdpx(QualData(qual.interviews, qual.codebook, bad, qual.transcripts),
                   tmp_path / "x.qdpx")
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------------
# offsets


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


# ---------------------------------------------------------------------------------------------
# tool quirks


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


def _variables_xml(names: list[str]) -> str:
    return "<Variables>" + "".join(
        f'<Variable guid="{G.format(700 + k)}" name="{n}" typeOfVariable="Text"/>'
        for k, n in enumerate(names)) + "</Variables>"


def _value(k: int, value: str) -> str:
    return (f'<VariableValue><VariableRef targetGUID="{G.format(700 + k)}"/>'
            f"<TextValue>{value}</TextValue></VariableValue>")


def test_nvivo_classification_and_maxqda_nameless_cases(tmp_path):
    names = ["Person:Age group", "Person:Stakeholder group", "Person:Trial ID",
             "Interview date"]
    cases = (
        f'<Cases><Case guid="{G.format(800)}" name="Mrs Example">'
        + _value(0, "30-39") + _value(1, "Patient") + _value(2, "P-017") + _value(3, "2021-06-02")
        + f'<SourceRef targetGUID="{G.format(201)}"/></Case>'
        f'<Case guid="{G.format(801)}">' + _value(1, "Vocational support worker")
        + f'<SourceRef targetGUID="{G.format(202)}"/></Case></Cases>')
    xml = project_xml(text_source(1, "i1", "", content="one", created="2020-01-02T10:00:00Z")
                      + text_source(2, "i2", "", content="two", created="2020-02-03T10:00:00Z")
                      + text_source(3, "i3", "", content="three"),
                      extra=_variables_xml(names) + cases)
    f = tmp_path / "p.qde"
    f.write_bytes(xml)
    with pytest.raises(QdpxError, match=r"1 source\(s\) have no stakeholder group: 'i3'.*mapping"):
        read_qdpx(f)
    iv = read_qdpx(f, mapping={"i3": ("employer", None)}).interviews.set_index("interview_id")
    assert iv.loc["i1", "stakeholder_group"] == "patient"
    assert iv.loc["i1", "participant_id"] == "P-017"
    assert iv.loc["i1", "interview_date"] == pd.Timestamp("2021-06-02")
    assert iv.loc["i2", "stakeholder_group"] == "vsw"
    assert iv.loc["i2", "interview_date"] == pd.Timestamp("2020-02-03")  # creationDateTime
    assert iv.loc["i3", "stakeholder_group"] == "employer"
    assert iv.loc["i3", "interview_date"] == qdpx.UNKNOWN_DATE
    assert "Mrs Example" not in iv.to_csv()


def test_mapping_csv_and_bad_group(tmp_path):
    f = tmp_path / "p.qde"
    f.write_bytes(project_xml(text_source(1, "Int A", "", content="x")))
    m = tmp_path / "map.csv"
    m.write_text("source,stakeholder_group,participant_id\nInt A,GP,\n*,patient,\n")
    iv = read_qdpx(f, mapping=m).interviews
    assert list(iv["stakeholder_group"]) == ["gp"] and iv["participant_id"].isna().all()
    m.write_text("source,stakeholder_group\nInt A,nurse\n")
    with pytest.raises(QdpxError, match="'nurse'; use one of patient, employer, vsw, gp"):
        read_qdpx(f, mapping=m)


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


# ---------------------------------------------------------------------------------------------
# folder helpers


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


# ---------------------------------------------------------------------------------------------
# hostile archives


def good_entries() -> dict[str, bytes]:
    xml = project_xml(text_source(1, "s", "", path=f"internal://{G.format(201)}.txt"))
    return {"project.qde": xml, f"sources/{G.format(201)}.txt": b"hello"}


def patch_central(data: bytes, name: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite bytes at ``offset`` inside the central-directory record of entry ``name``."""
    i = 0
    while True:
        i = data.index(b"PK\x01\x02", i)
        n = struct.unpack("<H", data[i + 28:i + 30])[0]
        if data[i + 46:i + 46 + n] == name:
            return data[:i + offset] + value + data[i + offset + len(value):]
        i += 4


def _hostile(kind: str, tmp_path: Path) -> Path:
    f = tmp_path / "bad.qdpx"
    e = good_entries()
    if kind == "dotdot":
        e["sources/../../evil.txt"] = b"x"
    elif kind == "absolute":
        e["/etc/evil.txt"] = b"x"
    elif kind == "drive":
        e["C:/evil.txt"] = b"x"
    elif kind == "backslash":
        e["sources\\evil.txt"] = b"x"
    elif kind == "casefold":
        e["SOURCES/" + f"{G.format(201)}.txt".upper()] = b"x"
    elif kind == "nested":
        e["sources/inner.zip"] = b"PK\x05\x06" + b"\0" * 18
    elif kind == "bomb":
        e["sources/big.txt"] = b"\0" * (3 * 2**20)
    if kind in ("symlink", "bzip2"):
        make_zip(f, e)
        with zipfile.ZipFile(f, "a") as zf:
            info = zipfile.ZipInfo("sources/link.txt")
            if kind == "symlink":
                info.external_attr = 0o120777 << 16
            else:
                info.compress_type = zipfile.ZIP_BZIP2
            zf.writestr(info, b"/etc/passwd")
        return f
    make_zip(f, e)
    data = f.read_bytes()
    target = f"sources/{G.format(201)}.txt".encode()
    if kind == "nul":
        data = data.replace(target, target[:-5] + b"\0.txt")
    elif kind == "encrypted":
        data = patch_central(data, target, 8, struct.pack("<H", 1))
    elif kind == "declared_size":
        data = patch_central(data, target, 24, struct.pack("<I", 2**31))
    elif kind == "overlap":
        data = patch_central(data, target, 42, struct.pack("<I", 0))
    elif kind == "truncated":
        data = data[: len(data) // 2]
    elif kind == "garbage":
        data = b"PK\x03\x04" + b"\xff" * 200
    elif kind == "bad_deflate":
        i = data.index(b"PK\x03\x04")
        n, x = struct.unpack("<HH", data[i + 26:i + 30])
        j = i + 30 + n + x
        data = data[:j] + b"\xff" * 16 + data[j + 16:]
    f.write_bytes(data)
    return f


HOSTILE = {
    "dotdot": "'..'", "absolute": "absolute path", "drive": "absolute path",
    "backslash": "backslash", "nul": "NUL", "casefold": "clash after case-folding",
    "nested": "nested archive", "bomb": "compression ratio", "symlink": "symbolic link",
    "bzip2": "compression method 12", "encrypted": "encrypted",
    "declared_size": "declares 2147483648 bytes", "overlap": "overlap",
    "truncated": "damaged or unsupported archive", "garbage": "damaged or unsupported archive",
    "bad_deflate": "damaged or unsupported archive",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_archive_one_error_no_writes(tmp_path, kind):
    f = _hostile(kind, tmp_path)
    out = tmp_path / "out"
    with pytest.raises(QdpxError, match=re.escape(HOSTILE[kind])) as err:
        import_qdpx(f, out, mapping={"*": "patient"})
    assert "\n" not in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_too_many_entries(tmp_path, monkeypatch):
    from wave_analysis.data.qdpx import archive; monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
    e = good_entries() | {f"sources/x{k}.txt": b"x" for k in range(5)}
    with pytest.raises(QdpxError, match="7 entries"):
        read_qdpx(make_zip(tmp_path / "p.qdpx", e), mapping={"*": "patient"})


@pytest.mark.parametrize("exc", [zipfile.BadZipFile("bad"), ValueError("v"), zlib.error("z"),
                                 RuntimeError("encrypted\nmore"), EOFError(), OSError("io")])
def test_zipfile_exceptions_become_one_line(tmp_path, monkeypatch, exc):
    f = make_zip(tmp_path / "p.qdpx", good_entries())

    def boom(*_a, **_k):
        raise exc

    monkeypatch.setattr(zipfile.ZipFile, "open", boom)
    with pytest.raises(QdpxError, match=type(exc).__name__) as err:
        read_qdpx(f, mapping={"*": "patient"})
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("doctype, match", [
    ('<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>', "DTD"),
    ('<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "DTD"),
])
def test_xml_entities_refused(tmp_path, doctype, match):
    xml = project_xml("").replace(b"?><Project", f"?>{doctype}<Project".encode())
    with pytest.raises(QdpxError, match=match):
        read_qdpx(make_zip(tmp_path / "p.qdpx", {"project.qde": xml}))


def test_xml_depth_limit(tmp_path):
    deep = "".join(f'<Code guid="{G.format(k)}" name="c" isCodable="true">' for k in range(100))
    xml = project_xml("", codes=deep + "</Code>" * 100)
    with pytest.raises(QdpxError, match="nesting deeper than"):
        read_qdpx(make_zip(tmp_path / "p.qdpx", {"project.qde": xml}))


def test_missing_source_and_wrong_namespace(tmp_path):
    e = good_entries()
    del e[f"sources/{G.format(201)}.txt"]
    with pytest.raises(QdpxError, match="not in the archive's sources/ folder"):
        read_qdpx(make_zip(tmp_path / "a.qdpx", e))
    e = good_entries()
    e["project.qde"] = e["project.qde"].replace(NS.encode(), b"urn:other:1.0")
    with pytest.raises(QdpxError, match="not a REFI-QDA document"):
        read_qdpx(make_zip(tmp_path / "b.qdpx", e))
    e = good_entries() | {"second.qde": good_entries()["project.qde"]}
    with pytest.raises(QdpxError, match="2 top-level .qde files"):
        read_qdpx(make_zip(tmp_path / "c.qdpx", e))


# ---------------------------------------------------------------------------------------------
# the real NVivo 12 export


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
