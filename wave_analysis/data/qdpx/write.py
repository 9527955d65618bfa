"""Export a :class:`~wave_analysis.data.model.QualData` as a standard-conforming REFI-QDA ``.qdpx``
(Project.xsd 1.0): same input, same bytes.

GUIDs are derived from the project's ids (:func:`~wave_analysis.data.qdpx.ids.guid`) and listed
in a Note named ``wave-analysis identifiers``, so a re-import keeps code, interview and coder ids
and a round trip is exact. Nothing about the exporting machine (paths, user names, times) is
written; zip entries are sorted and dated 1980-01-01.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from wave_analysis import _atomic
from wave_analysis.data.model import QualData
from wave_analysis.data.qdpx.ids import IDS_NOTE_NAME, guid
from wave_analysis.exceptions import QdpxError

EXPORT_NS = "urn:QDA-XML:project:1.0"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Interview columns exported as case variables, with their REFI-QDA type.
CASE_VARIABLES = (("stakeholder_group", "Text"), ("participant_id", "Text"),
                  ("practice_id", "Text"), ("interview_date", "Date"))


def _check_qual(qual: QualData) -> None:
    missing = [i for i in qual.interviews["interview_id"] if i not in qual.transcripts]
    if missing:
        raise QdpxError(f"cannot export: no transcript text for interview(s) {missing[:5]} "
                        "(fix: load the data folder with its transcripts/)")
    known = set(qual.codebook["code_id"])
    unknown = sorted(set(qual.codings["code_id"]) - known)
    if unknown:
        raise QdpxError(f"cannot export: codings use code_id(s) {unknown[:5]} that are not in "
                        "the codebook (fix: add them to codebook.csv)")
    parents = set(qual.codebook["parent_id"].dropna()) - known
    if parents:
        raise QdpxError(f"cannot export: parent_id(s) {sorted(parents)[:5]} are not in the "
                        "codebook (fix: correct codebook.csv)")
    lengths = {k: len(v) for k, v in qual.transcripts.items()}
    for row in qual.codings.itertuples(index=False):
        n = lengths.get(row.interview_id)
        if n is None or not 0 <= row.start < row.end <= n:
            raise QdpxError(f"cannot export: coding {row.interview_id}/{row.code_id} "
                            f"[{row.start}, {row.end}) does not fit its transcript "
                            f"({n} characters) (fix: correct codings.csv)")
    for k, text in qual.transcripts.items():
        if "\r" in text:
            raise QdpxError(f"cannot export: transcript {k} contains CR characters "
                            "(fix: store transcripts with LF line ends)")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{EXPORT_NS}}}{tag}", {k: v for k, v in attrs.items()
                                                          if v is not None})
    if text is not None:
        el.text = text
    return el


def _users(root: ET.Element, qual: QualData, id_lines: list[str]) -> None:
    coders = sorted(set(qual.codings["coder"]))
    if coders:
        users = _sub(root, "Users")
        for c in coders:
            _sub(users, "User", guid=guid("user", c), name=c, id=c)
            id_lines.append(f"{guid('user', c)}\tuser\t{c}")


def _codebook(root: ET.Element, cb: pd.DataFrame, id_lines: list[str]) -> None:
    """The code tree, depth-first in table order (no recursion); a parent_id cycle leaves codes
    unwritten, which :func:`_project_xml` detects."""
    if not len(cb):
        return
    codes = _sub(_sub(root, "CodeBook"), "Codes")
    children: dict[str | None, list] = {}
    for row in cb.itertuples(index=False):
        parent = None if pd.isna(row.parent_id) else row.parent_id
        children.setdefault(parent, []).append(row)
    stack = [(codes, r) for r in reversed(children.get(None, []))]
    while stack:
        parent_el, row = stack.pop()
        el = _sub(parent_el, "Code", guid=guid("code", row.code_id), name=str(row.name),
                  isCodable="true")
        if not pd.isna(row.description) and str(row.description):
            _sub(el, "Description", str(row.description))
        id_lines.append(f"{guid('code', row.code_id)}\tcode\t{row.code_id}")
        stack.extend((el, r) for r in reversed(children.get(row.code_id, [])))


def _cases(root: ET.Element, interviews: pd.DataFrame) -> None:
    """One case per interview carrying its variables (table order, so a round trip keeps it)."""
    variables = _sub(root, "Variables")
    for name, typ in CASE_VARIABLES:
        _sub(variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable=typ)
    cases = _sub(root, "Cases")
    for row in interviews.itertuples(index=False):
        case = _sub(cases, "Case", guid=guid("case", row.interview_id), name=row.interview_id)
        for name, typ in CASE_VARIABLES:
            val = getattr(row, name)
            if val is None or pd.isna(val):
                continue
            vv = _sub(case, "VariableValue")
            _sub(vv, "VariableRef", targetGUID=guid("variable", name))
            if typ == "Date":
                _sub(vv, "DateValue", pd.Timestamp(val).strftime("%Y-%m-%d"))
            else:
                _sub(vv, "TextValue", str(val))
        _sub(case, "SourceRef", targetGUID=guid("source", row.interview_id))


def _sources(root: ET.Element, qual: QualData, id_lines: list[str]) -> dict[str, bytes]:
    """Text sources with their selections; returns the archive's ``sources/`` members."""
    files: dict[str, bytes] = {}
    codings = qual.codings.sort_values(["interview_id", "start", "end", "code_id", "coder"],
                                       kind="stable").drop_duplicates()
    by_iv = {k: g for k, g in codings.groupby("interview_id", sort=False)}
    sources = _sub(root, "Sources")
    for row in qual.interviews.itertuples(index=False):
        iid = row.interview_id
        sguid = guid("source", iid)
        ts = _sub(sources, "TextSource", guid=sguid, name=iid,
                  plainTextPath=f"internal://{sguid}.txt")
        files[f"sources/{sguid}.txt"] = qual.transcripts[iid].encode("utf-8")
        id_lines.append(f"{sguid}\tsource\t{iid}\t{row.transcript_file}")
        group = by_iv.get(iid)
        if group is None:
            continue
        for (s, e), span in group.groupby(["start", "end"], sort=False):
            sel = _sub(ts, "PlainTextSelection", guid=guid("selection", f"{iid}:{s}:{e}"),
                       startPosition=str(int(s)), endPosition=str(int(e)))
            for c in span.itertuples(index=False):
                coding = _sub(sel, "Coding",
                              guid=guid("coding", f"{iid}:{s}:{e}:{c.code_id}:{c.coder}"),
                              creatingUser=guid("user", c.coder))
                _sub(coding, "CodeRef", targetGUID=guid("code", c.code_id))
    return files


def _ids_note(root: ET.Element, id_lines: list[str]) -> None:
    nguid = guid("note", IDS_NOTE_NAME)
    note = _sub(_sub(root, "Notes"), "Note", guid=nguid, name=IDS_NOTE_NAME)
    _sub(note, "Description", "Project identifiers written by wave-analysis; keep this note so "
         "a re-import keeps code, interview and coder ids.")
    _sub(note, "PlainTextContent", "\n".join(id_lines))
    _sub(root, "NoteRef", targetGUID=nguid)


def _project_xml(qual: QualData, project_name: str) -> tuple[bytes, dict[str, bytes]]:
    """``project.qde`` and the ``sources/`` members, in Project.xsd element order."""
    ET.register_namespace("", EXPORT_NS)
    root = ET.Element(f"{{{EXPORT_NS}}}Project",
                      {"name": project_name, "origin": "wave-analysis"})
    id_lines: list[str] = []
    _users(root, qual, id_lines)
    _codebook(root, qual.codebook, id_lines)
    _cases(root, qual.interviews)
    files = _sources(root, qual, id_lines)
    _ids_note(root, id_lines)
    n_written = sum(1 for line in id_lines if "\tcode\t" in line)
    if n_written != len(qual.codebook):
        raise QdpxError("cannot export: the codebook's parent_id links form a cycle "
                        "(fix: correct codebook.csv)")
    ET.indent(root, space="  ")
    xml = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                     xml_declaration=False)
    return xml, files


def write_qdpx(qual: QualData, path, *, project_name: str = "WAVE qualitative study") -> Path:
    """Write ``qual`` as a REFI-QDA ``.qdpx`` (Project.xsd 1.0); same input, same bytes."""
    path = Path(path)
    _check_qual(qual)
    xml, files = _project_xml(qual, project_name)
    entries = {"project.qde": xml, **files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, entries[name], compresslevel=6)
    _atomic.write_bytes(path, buffer.getvalue())
    return path


def export_qdpx(qual: QualData, file, *, project_name: str = "WAVE qualitative study") -> Path:
    """Write ``qual`` (e.g. from ``load.load_qualitative(DIR)``) to the ``.qdpx`` file ``file``;
    the name the CLI's ``qdpx export`` uses for :func:`write_qdpx`."""
    return write_qdpx(qual, file, project_name=project_name)
