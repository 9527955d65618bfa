"""REFI-QDA export (data.qdpx.write): round trip, Project.xsd validity, determinism, refusals."""

from __future__ import annotations

import io
import zipfile

import pandas.testing as pdt
import pytest
from qdpx_builders import XSD, canonical, small_qual

from wave_analysis.data.model import QualData
from wave_analysis.data.qdpx import export_qdpx, read_qdpx, write_qdpx
from wave_analysis.exceptions import QdpxError


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


def test_export_refuses_a_parent_cycle_and_unknown_codes(tmp_path):
    qual = small_qual()
    cycle = qual.codebook.copy()
    cycle.loc[0, "parent_id"] = "T1S1C1"  # T1 -> T1S1C1 -> T1S1 -> T1
    with pytest.raises(QdpxError, match="parent_id links form a cycle"):
        write_qdpx(QualData(qual.interviews, cycle, qual.codings, qual.transcripts),
                   tmp_path / "x.qdpx")
    bad = qual.codings.assign(code_id="NOPE")
    with pytest.raises(QdpxError, match=r"code_id\(s\) \['NOPE'\] that are not in the codebook"):
        write_qdpx(QualData(qual.interviews, qual.codebook, bad, qual.transcripts),
                   tmp_path / "x.qdpx")
    assert not list(tmp_path.iterdir())


def test_export_qdpx_is_write_qdpx(tmp_path):
    a = write_qdpx(small_qual(), tmp_path / "a.qdpx").read_bytes()
    assert export_qdpx(small_qual(), tmp_path / "b.qdpx").read_bytes() == a
