"""Builders shared by the REFI-QDA tests: a small QualData, hand-made project XML and archives.

Expected offsets in the tests are computed independently of the module (str.index on the text,
UTF-16 encoding lengths), never taken from the code under test.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from wave_analysis.data.model import QualData

# ../shared/fixtures beside the repository (tests skip when it is absent)
FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "refi-qda"


NVIVO = FIXTURES / "nvivo12-win-oltas0517.qdpx"

XSD = FIXTURES / "Project.xsd"

NS = "urn:QDA-XML:project:1.0"

G = "00000000-0000-0000-0000-{:012d}"  # readable GUIDs for hand-built projects



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



def good_entries() -> dict[str, bytes]:
    xml = project_xml(text_source(1, "s", "", path=f"internal://{G.format(201)}.txt"))
    return {"project.qde": xml, f"sources/{G.format(201)}.txt": b"hello"}
