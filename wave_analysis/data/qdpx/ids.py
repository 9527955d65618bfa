"""Identifiers shared by REFI-QDA import and export.

Export derives every GUID from the project's own id (uuid5 in a fixed namespace) and lists them in
a Note named :data:`IDS_NOTE_NAME`; import trusts an id from that note only when the GUID is the
one this module derives from it, so stale or edited notes are ignored and a round trip is exact.
Names written by QDA tools become ids through :func:`slug` and :func:`unique`.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from xml.etree import ElementTree as ET

from wave_analysis.data.schema import PARTICIPANT_ID, PRACTICE_ID

IDS_NOTE_NAME = "wave-analysis identifiers"
# Fixed namespace for deterministic GUIDs (uuid5 of "kind:id"); never change it.
GUID_NAMESPACE = uuid.UUID("6f1c5d0e-52a4-4c8e-9b1e-7a7d2f0c9e11")
ID_RE = re.compile(PARTICIPANT_ID)  # the tables' id rule: letters, digits, '-', '_', at most 30
PRACTICE_RE = re.compile(PRACTICE_ID)
TRANSCRIPT_RE = re.compile(r"^[A-Za-z0-9_.-]+\.txt$")
NOTE_KINDS = ("code", "source", "user")


def guid(kind: str, ident: str) -> str:
    """The GUID export gives the ``kind`` ("code", "source", ...) object with id ``ident``."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{ident}"))


def slug(name: str, fallback: str) -> str:
    """An id-safe version of a tool's name (ASCII, at most 30 characters), else ``fallback``."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_).strip("_")[:30].strip("_")
    return s or fallback


def unique(base: str, taken: set[str]) -> str:
    """``base``, else ``base_2``, ``base_3`` ...: the first not in ``taken`` (case-insensitive),
    which is then added to ``taken``."""
    cand, k = base, 2
    while cand.casefold() in taken:
        suffix = f"_{k}"
        cand, k = base[: 30 - len(suffix)] + suffix, k + 1
    taken.add(cand.casefold())
    return cand


def empty_hints() -> dict[str, dict[str, str]]:
    return {"code": {}, "source": {}, "user": {}, "file": {}}


def read_id_note(root: ET.Element, ns: str) -> dict[str, dict[str, str]]:
    """GUID -> id hints by kind (plus source GUID -> transcript file) from our identifiers note,
    each verified against uuid5."""
    hints = empty_hints()
    notes = root.find(ns + "Notes")
    if notes is None:
        return hints
    for note in notes.findall(ns + "Note"):
        if note.get("name") != IDS_NOTE_NAME:
            continue
        body = note.find(ns + "PlainTextContent")
        for line in ((body.text or "") if body is not None else "").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or parts[1] not in NOTE_KINDS:
                continue
            key, kind, ident = parts[:3]
            if not ID_RE.match(ident) or guid(kind, ident) != key:
                continue
            hints[kind][key] = ident
            if kind == "source" and len(parts) > 3 and TRANSCRIPT_RE.match(parts[3]):
                hints["file"][key] = parts[3]
    return hints
