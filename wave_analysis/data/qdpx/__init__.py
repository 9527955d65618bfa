"""REFI-QDA project import and export (``.qdpx`` archives, bare ``.qde`` XML, ``.qdc`` codebooks).

Import turns a project written by NVivo, ATLAS.ti, MAXQDA or QualCoder into the project's tidy
qualitative tables (``interviews``, ``codebook``, ``codings``) plus transcript texts; export writes
a :class:`~wave_analysis.data.model.QualData` as a standard-conforming ``.qdpx`` (Project.xsd 1.0).

Decisions (documented here because analyses depend on them):

* Stored text: a leading byte-order mark is dropped and every CRLF (and lone CR) becomes LF, so a
  transcript reads back identically with Python's default universal-newline ``open``. Offsets in
  ``codings`` are Unicode code points over that stored text, 0-based, end exclusive.
* Offset units of the file (``offset_unit``): ``"codepoint"`` (the standard: code points over the
  text as stored in the archive, CRLF counting two), ``"utf16"`` (NVivo for Windows: UTF-16 code
  units, CRLF two, emoji two), ``"codepoint_lf"`` (ATLAS.ti: code points with CRLF counting one),
  or ``"auto"``: the unit under which most selections start and end on a word boundary (ties go to
  the standard's ``codepoint``). A *word boundary* is a position that does not split a word: the
  text start or end, or any position whose two neighbours are not both word characters (Unicode
  letters, numbers or combining marks). Offsets inside a surrogate pair or a CRLF never count.
* Selections that do not fit the text (end beyond the text, start >= end, inside a character) are
  reported in :attr:`QdpxReport.rejected`, never shifted. NVivo's repeated spans (same source,
  code, start, end and coder) are merged and counted.
* Coders are pseudonymised as ``coder_1, coder_2, ...`` in order of their first coding in the file;
  real user names never reach a table or the report.
* ``interview_date``: a date-like case variable if present, else the date of the source's
  ``creationDateTime`` (when it was added to the QDA tool, not necessarily the interview), else
  :data:`UNKNOWN_DATE`; the report lists which interviews got which.
* Export writes a Note named ``wave-analysis identifiers`` mapping each GUID to the project's id;
  on import the ids are used only when the GUID is the one this module derives from that id
  (uuid5), so stale or edited notes are ignored and a round trip is exact.

Hostile archives are refused with one :class:`~wave_analysis.exceptions.QdpxError` before any
member is decompressed (see ``_check_archive``); members are read with ``ZipFile.open`` only.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import struct
import tempfile
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as _safe_iterparse

from wave_analysis import _atomic
from wave_analysis.data.model import QualData
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import QdpxError

PROJECT_NS_PREFIX = "urn:QDA-XML:project:"
CODEBOOK_NS_PREFIX = "urn:QDA-XML:codebook:"
EXPORT_NS = "urn:QDA-XML:project:1.0"
OFFSET_UNITS = ("codepoint", "utf16", "codepoint_lf")
UNKNOWN_DATE = pd.Timestamp("1900-01-01")  # placeholder when a project holds no interview date
IDS_NOTE_NAME = "wave-analysis identifiers"
# Fixed namespace for deterministic GUIDs (uuid5 of "kind:id"); never change it.
GUID_NAMESPACE = uuid.UUID("6f1c5d0e-52a4-4c8e-9b1e-7a7d2f0c9e11")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Archive limits: generous for real projects (hundreds of interviews), far below a bomb.
MAX_ENTRIES = 10_000
MAX_MEMBER_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 1 * 2**30
MAX_RATIO = 200  # declared size / compressed size, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1 * 2**20
MAX_XML_DEPTH = 64
NESTED_ARCHIVE_EXT = (".zip", ".qdpx", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz",
                      ".zst", ".jar")
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, zlib.error, RuntimeError,
               EOFError, OSError, NotImplementedError, struct.error, KeyError, IndexError,
               OverflowError)
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,30}$")
_TRANSCRIPT_RE = re.compile(r"^[A-Za-z0-9_.-]+\.txt$")
_STAKEHOLDER_SYNONYMS = {
    "patient": "patient", "patients": "patient", "participant": "patient",
    "employer": "employer", "employers": "employer", "line_manager": "employer",
    "manager": "employer",
    "vsw": "vsw", "vsws": "vsw", "vocational_support_worker": "vsw",
    "gp": "gp", "gps": "gp", "general_practitioner": "gp",
}

INTERVIEW_COLUMNS = ["interview_id", "stakeholder_group", "participant_id", "practice_id",
                     "interview_date", "transcript_file"]
CODEBOOK_COLUMNS = ["code_id", "parent_id", "name", "level", "description"]
CODING_COLUMNS = ["interview_id", "code_id", "start", "end", "coder"]


# ---------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class RejectedSelection:
    """A selection that could not be placed on its transcript (reported, never shifted)."""

    interview_id: str
    code_id: str | None
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class QdpxReport:
    """What an import found and decided; holds counts and pseudonymous ids only."""

    file: str
    origin: str | None
    n_sources: int
    n_codes: int
    n_coders: int
    n_selections: int
    n_codings: int
    n_duplicates_merged: int
    offset_unit: str
    offset_reason: str
    boundary_shares: Mapping[str, float]
    rejected: tuple[RejectedSelection, ...] = ()
    skipped_sources: tuple[str, ...] = ()
    date_sources: Mapping[str, str] = field(default_factory=dict)
    mapping_sources: Mapping[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per rejected selection."""
        return pd.DataFrame([r.__dict__ for r in self.rejected],
                            columns=["interview_id", "code_id", "start", "end", "reason"])

    def summary(self) -> str:
        shares = ", ".join(f"{k} {v:.1%}" for k, v in self.boundary_shares.items())
        placeholder = sorted(k for k, v in self.date_sources.items() if v == "placeholder")
        lines = [
            f"{self.file}: {self.n_sources} sources, {self.n_codes} codes, {self.n_coders} coders, "
            f"{self.n_codings} codings from {self.n_selections} selections "
            f"({self.n_duplicates_merged} duplicates merged, {len(self.rejected)} rejected)",
            f"offset unit: {self.offset_unit} ({self.offset_reason}); "
            f"word-boundary shares: {shares or 'n/a'}",
        ]
        if placeholder:
            lines.append(f"interview_date unknown, set to {UNKNOWN_DATE.date()} for: "
                         + ", ".join(placeholder))
        if self.skipped_sources:
            lines.append("skipped non-text sources: " + ", ".join(self.skipped_sources))
        return "\n".join(lines)


@dataclass(frozen=True)
class QdpxImport:
    """Tidy tables and transcripts read from a REFI-QDA file, plus the import report."""

    interviews: pd.DataFrame
    codebook: pd.DataFrame
    codings: pd.DataFrame
    transcripts: Mapping[str, str]
    report: QdpxReport

    def to_qualdata(self) -> QualData:
        return QualData(interviews=self.interviews, codebook=self.codebook,
                        codings=self.codings, transcripts=dict(self.transcripts))


# ---------------------------------------------------------------------------------------------
# archive safety


def _fail(path: Path, what: str, fix: str) -> QdpxError:
    return QdpxError(f"{path.name}: {what} (fix: {fix})")


def _check_archive(zf: zipfile.ZipFile, raw: io.BufferedIOBase, path: Path) -> None:
    """Refuse archives that could escape, explode or confuse before reading any member."""
    infos = zf.infolist()
    fix = "re-export the project from your QDA software; do not open untrusted archives"
    if len(infos) > MAX_ENTRIES:
        raise _fail(path, f"archive has {len(infos)} entries (limit {MAX_ENTRIES})", fix)
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        bad = None
        if "\x00" in info.orig_filename:
            bad = "contains NUL"
        elif "\\" in name:
            bad = "contains a backslash"
        elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
            bad = "is an absolute path"
        elif any(part in ("..", ".") for part in name.split("/")):
            bad = "contains '..' or '.'"
        if bad:
            raise _fail(path, f"entry name {name!r} {bad}", fix)
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            raise _fail(path, f"entries {seen[key]!r} and {name!r} clash after case-folding", fix)
        seen[key] = name
        mode = info.external_attr >> 16
        if (mode & 0o170000) == 0o120000:
            raise _fail(path, f"entry {name!r} is a symbolic link", fix)
        if name.lower().endswith(NESTED_ARCHIVE_EXT):
            raise _fail(path, f"entry {name!r} is a nested archive", fix)
        if info.flag_bits & 0x1:
            raise _fail(path, f"entry {name!r} is encrypted", "export the project without a "
                        "password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _fail(path, f"entry {name!r} uses compression method {info.compress_type} "
                        "(only stored or deflate are accepted)", fix)
        if info.file_size > MAX_MEMBER_BYTES:
            raise _fail(path, f"entry {name!r} declares {info.file_size} bytes "
                        f"(limit {MAX_MEMBER_BYTES})", fix)
        if (info.file_size > RATIO_FLOOR
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise _fail(path, f"entry {name!r} has a compression ratio over {MAX_RATIO}", fix)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _fail(path, f"archive declares {total} uncompressed bytes "
                    f"(limit {MAX_TOTAL_BYTES})", fix)
    # Overlapping entries: each member's local header + data must end before the next begins.
    spans = []
    for info in infos:
        raw.seek(info.header_offset)
        head = raw.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise _fail(path, f"entry {info.filename!r} has no valid local header", fix)
        n_name, n_extra = struct.unpack("<HH", head[26:30])
        end = info.header_offset + 30 + n_name + n_extra + info.compress_size
        spans.append((info.header_offset, end, info.filename))
    spans.sort()
    limit = zf.start_dir if hasattr(zf, "start_dir") else None
    for (_s0, e0, n0), (s1, _e1, n1) in zip(spans, spans[1:], strict=False):
        if e0 > s1:
            raise _fail(path, f"entries {n0!r} and {n1!r} overlap", fix)
    if spans and limit is not None and spans[-1][1] > limit:
        raise _fail(path, f"entry {spans[-1][2]!r} overlaps the central directory", fix)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # ZipExtFile stops at the declared size and checks the CRC, so a lying header fails here.
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise zipfile.BadZipFile(f"entry {info.filename!r} size differs from its header")
    return data


# ---------------------------------------------------------------------------------------------
# XML


def _parse_xml(data: bytes, path: Path, member: str) -> ET.Element:
    depth = 0
    root = None
    try:
        for event, elem in _safe_iterparse(io.BytesIO(data), events=("start", "end"),
                                           forbid_dtd=True):
            if event == "start":
                depth += 1
                if root is None:
                    root = elem
                if depth > MAX_XML_DEPTH:
                    raise _fail(path, f"{member}: XML nesting deeper than {MAX_XML_DEPTH}",
                                "re-export the project; REFI-QDA files are never this deep")
            else:
                depth -= 1
    except DefusedXmlException as exc:
        raise _fail(path, f"{member}: XML declares a DTD or entities ({type(exc).__name__}), "
                    "which REFI-QDA never needs", "re-export the project") from None
    except ET.ParseError as exc:
        raise _fail(path, f"{member}: not well-formed XML ({exc})", "re-export the project") \
            from None
    if root is None:
        raise _fail(path, f"{member}: empty XML", "re-export the project")
    return root


def _ns(root: ET.Element, prefixes: tuple[str, ...], path: Path) -> tuple[str, str]:
    m = re.match(r"^\{([^}]*)\}(.*)$", root.tag)
    ns, local = (m.group(1), m.group(2)) if m else ("", root.tag)
    if not ns.startswith(prefixes):
        raise _fail(path, f"root element is {{{ns}}}{local}, not a REFI-QDA document "
                    f"(namespace {' or '.join(prefixes)}...)", "choose a .qdpx, .qde or .qdc file")
    return "{" + ns + "}", local


# ---------------------------------------------------------------------------------------------
# offsets


def _word_char_mask(text: str) -> np.ndarray:
    cats = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    # ASCII fast path, unicodedata for the rest (the text is mostly ASCII or Latin).
    mask = np.zeros(len(text), dtype=bool)
    ascii_ = cats < 128
    a = cats[ascii_]
    mask[ascii_] = ((a >= 48) & (a <= 57)) | ((a >= 65) & (a <= 90)) | ((a >= 97) & (a <= 122))
    for i in np.flatnonzero(~ascii_):
        mask[i] = unicodedata.category(text[i])[0] in "LNM"
    return mask


class _OffsetMap:
    """Maps file offsets under each unit to code points over the stored (LF) text."""

    def __init__(self, raw: str):
        self.raw = raw
        cp = np.frombuffer(raw.encode("utf-32-le"), dtype="<u4") if raw else np.zeros(0, "<u4")
        n = len(raw)
        is_cr = cp == 13
        crlf = np.zeros(n, dtype=bool)
        if n > 1:
            crlf[:-1] = is_cr[:-1] & (cp[1:] == 10)
        self.dropped = np.flatnonzero(crlf)  # the CR of each CRLF disappears in stored text
        units16 = np.where(cp > 0xFFFF, 2, 1)
        self.u16_starts = np.concatenate([[0], np.cumsum(units16)])  # unit offset of cp i
        # codepoint_lf counts CRLF as one: raw index i sits at i - (CRs dropped before i).
        self.n_raw = n

    def to_stored(self, unit: str, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stored code-point offsets and a validity mask for file offsets ``pos``."""
        pos = np.asarray(pos, dtype=np.int64)
        if unit == "utf16":
            idx = np.searchsorted(self.u16_starts, pos)
            ok = (idx < len(self.u16_starts)) & (pos >= 0)
            ok[ok] = self.u16_starts[idx[ok]] == pos[ok]  # not inside a surrogate pair
            raw_idx = idx
        elif unit == "codepoint":
            raw_idx = pos
            ok = (pos >= 0) & (pos <= self.n_raw)
        elif unit == "codepoint_lf":
            # lf position p -> raw index: add the CRs dropped before it.
            n_lf = self.n_raw - len(self.dropped)
            lf_of_drop = self.dropped - np.arange(len(self.dropped))  # LF-space index of each CR
            raw_idx = pos + np.searchsorted(lf_of_drop, pos, side="left")
            ok = (pos >= 0) & (pos <= n_lf)
        else:  # pragma: no cover - validated by caller
            raise ValueError(unit)
        raw_idx = np.where(ok, raw_idx, 0)
        # Between CR and LF of a CRLF: the break is one character in the stored text.
        inside_crlf = np.isin(raw_idx - 1, self.dropped)
        ok &= ~inside_crlf
        stored = raw_idx - np.searchsorted(self.dropped, raw_idx)
        return stored, ok


def _boundary_ok(mask: np.ndarray, pos: np.ndarray) -> np.ndarray:
    n = len(mask)
    pos = np.clip(pos, 0, n)
    inner = (pos > 0) & (pos < n)
    res = np.ones(len(pos), dtype=bool)
    p = pos[inner]
    res[inner] = ~(mask[p - 1] & mask[p])
    return res


def _normalise_text(raw: str) -> str:
    return raw.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, path: Path, member: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        enc = "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise _fail(path, f"{member}: text is not valid {enc} at byte {exc.start}",
                    "re-export the project (REFI-QDA text sources are UTF-8)") from None
    return _normalise_bom(text)


# ---------------------------------------------------------------------------------------------
# identifiers


def _guid(kind: str, ident: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{ident}"))


def _slug(name: str, fallback: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9_-]+", "_", ascii_).strip("_")[:30].strip("_")
    return s or fallback


def _unique(base: str, taken: set[str]) -> str:
    cand, k = base, 2
    while cand.casefold() in taken:
        suffix = f"_{k}"
        cand, k = base[: 30 - len(suffix)] + suffix, k + 1
    taken.add(cand.casefold())
    return cand


def _norm_var_name(name: str) -> str:
    # NVivo writes "Classification:Variable"; keep the variable part.
    return re.sub(r"[\s_]+", " ", name.rsplit(":", 1)[-1]).strip().casefold()


def _norm_group(value: object) -> str | None:
    if value is None:
        return None
    key = re.sub(r"[\s-]+", "_", str(value).strip().casefold())
    return _STAKEHOLDER_SYNONYMS.get(key)


# ---------------------------------------------------------------------------------------------
# mapping


def _load_mapping(mapping) -> tuple[dict[str, tuple[str | None, str | None]], str | None]:
    """Return ({source name: (group, participant_id)}, default group)."""
    if mapping is None:
        return {}, None
    rows: dict[str, object]
    if isinstance(mapping, str | os.PathLike):
        mpath = Path(mapping)
        try:
            with open(mpath, newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                cols = [c.strip() for c in (reader.fieldnames or [])]
                if "source" not in cols or "stakeholder_group" not in cols:
                    raise QdpxError(f"{mpath.name}: mapping needs columns source, "
                                    "stakeholder_group[, participant_id] (found "
                                    f"{', '.join(cols) or 'none'})")
                rows = {}
                for r in reader:
                    r = {k.strip(): (v or "").strip() for k, v in r.items() if k}
                    rows[r["source"]] = (r.get("stakeholder_group") or None,
                                         r.get("participant_id") or None)
        except OSError as exc:
            raise QdpxError(f"mapping file {mpath}: cannot read ({exc.strerror})") from None
        origin = mpath.name
    elif isinstance(mapping, Mapping):
        rows, origin = dict(mapping), "mapping"
    else:
        raise QdpxError("mapping must be a dict or a CSV path (source,stakeholder_group,"
                        "participant_id)")
    out: dict[str, tuple[str | None, str | None]] = {}
    for src, val in rows.items():
        if isinstance(val, str) or val is None:
            group, pid = val, None
        elif isinstance(val, Mapping):
            group, pid = val.get("stakeholder_group"), val.get("participant_id")
        else:
            group, pid = (tuple(val) + (None, None))[:2]
        g = _norm_group(group) if group else None
        if group and g is None:
            raise QdpxError(f"{origin}: source {src!r} has stakeholder_group {group!r}; "
                            f"use one of {', '.join(STAKEHOLDER_GROUPS)}")
        if pid is not None and (pid == "" or pd.isna(pid)):
            pid = None
        if pid is not None and not _ID_RE.match(str(pid)):
            raise QdpxError(f"{origin}: source {src!r} has participant_id {pid!r}; use "
                            "letters, digits, '-' or '_' (at most 30)")
        out[str(src)] = (g, None if pid is None else str(pid))
    default = out.pop("*", (None, None))[0]
    return out, default


# ---------------------------------------------------------------------------------------------
# import


@dataclass
class _Source:
    guid: str
    name: str
    text: str  # raw text as in the file (BOM stripped), CRLF kept
    created: str | None
    selections: list[tuple[str, int, int, str, str]]  # sel guid, start, end, code guid, user
    whole_codings: int = 0
    variables: dict[str, object] = field(default_factory=dict)


def _open_project(path: Path):
    """Return (root element, ns, kind, member reader) for a .qdpx, .qde or .qdc file."""
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise QdpxError(f"{path}: cannot open ({exc.strerror or exc})") from None
    if head.startswith(b"PK"):
        try:
            with open(path, "rb") as raw, zipfile.ZipFile(raw) as zf:
                _check_archive(zf, raw, path)
                infos = zf.infolist()
                qdes = [i for i in infos if i.filename.lower().endswith(".qde")
                        and "/" not in i.filename.rstrip("/")]
                if len(qdes) != 1:
                    raise _fail(path, f"archive holds {len(qdes)} top-level .qde files "
                                "(expected exactly one)", "re-export the project as .qdpx")
                xml = _read_member(zf, qdes[0])
                members = {}
                for info in infos:
                    parts = info.filename.split("/")
                    if len(parts) == 2 and parts[0].casefold() == "sources" and parts[1]:
                        members[parts[1].casefold()] = info
                root = _parse_xml(xml, path, qdes[0].filename)
                ns, _local = _ns(root, (PROJECT_NS_PREFIX,), path)
                texts = _collect_texts(root, ns, path, zf, members)
        except QdpxError:
            raise
        except _ZIP_ERRORS as exc:
            msg = str(exc).splitlines()[0] if str(exc) else ""
            raise _fail(path, f"damaged or unsupported archive ({type(exc).__name__}: {msg})",
                        "re-export the project from your QDA software") from None
        return root, ns, "project", texts
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QdpxError(f"{path}: cannot read ({exc.strerror or exc})") from None
    root = _parse_xml(data, path, path.name)
    prefixes = (CODEBOOK_NS_PREFIX, PROJECT_NS_PREFIX) if suffix == ".qdc" else \
        (PROJECT_NS_PREFIX, CODEBOOK_NS_PREFIX)
    ns, local = _ns(root, prefixes, path)
    if local == "CodeBook":
        return root, ns, "codebook", {}
    return root, ns, "project", _collect_texts(root, ns, path, None, {})


def _collect_texts(root, ns, path, zf, members) -> dict[str, str]:
    """Read every TextSource's text (guid -> raw text), failing on a missing source."""
    out: dict[str, str] = {}
    sources = root.find(ns + "Sources")
    if sources is None:
        return out
    for ts in sources.findall(ns + "TextSource"):
        guid = ts.get("guid") or ""
        label = ts.get("name") or guid
        content = ts.find(ns + "PlainTextContent")
        if content is not None:
            out[guid] = _normalise_bom(content.text or "")
            continue
        ref = ts.get("plainTextPath")
        if not ref:
            raise _fail(path, f"source {label!r} has neither plainTextPath nor "
                        "PlainTextContent", "re-export the project with its sources")
        name = ref[len("internal://"):] if ref.lower().startswith("internal://") else ref
        if zf is None:
            raise _fail(path, f"source {label!r} points to {ref!r} but a bare .qde has no "
                        "sources folder", "import the .qdpx archive instead")
        info = members.get(name.casefold())
        if info is None or "/" in name or "\\" in name:
            raise _fail(path, f"source {label!r} points to {ref!r}, which is not in the "
                        "archive's sources/ folder",
                        "re-export the project with 'include source files'")
        out[guid] = _decode(_read_member(zf, info), path, info.filename)
    return out


def _normalise_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _text(elem: ET.Element | None) -> str | None:
    if elem is None or elem.text is None or not elem.text.strip():
        return None
    return elem.text.strip()


def _read_codebook(codes_parent, ns, id_hint: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    rows: list[dict] = []
    guid_to_id: dict[str, str] = {}
    pending: list[tuple[ET.Element, str | None, int]] = []
    if codes_parent is not None:
        pending = [(c, None, 0) for c in reversed(codes_parent.findall(ns + "Code"))]
    taken: set[str] = set()
    counter = 0
    ordered: list[tuple[ET.Element, str | None, int]] = []
    while pending:  # depth-first, document order, no recursion
        elem, parent, depth = pending.pop()
        ordered.append((elem, parent, depth))
        guid = elem.get("guid") or ""
        pending.extend((c, guid, depth + 1) for c in reversed(elem.findall(ns + "Code")))
    width = max(3, len(str(len(ordered))))
    for elem, _parent, _depth in ordered:
        guid = elem.get("guid") or ""
        hint = id_hint.get(guid)
        if hint and hint.casefold() not in taken:
            taken.add(hint.casefold())
            guid_to_id[guid] = hint
    for elem, parent_guid, depth in ordered:
        guid = elem.get("guid") or ""
        if guid not in guid_to_id:
            counter += 1
            guid_to_id[guid] = _unique(f"C{counter:0{width}d}", taken)
        rows.append({
            "code_id": guid_to_id[guid],
            "parent_id": guid_to_id.get(parent_guid) if parent_guid else None,
            "name": (elem.get("name") or "").strip() or "(unnamed)",
            "level": ("theme", "subtheme")[depth] if depth < 2 else "code",
            "description": _text(elem.find(ns + "Description")),
        })
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS).astype(
        {"code_id": str, "name": str, "level": str})
    return frame, guid_to_id


def _read_id_note(root, ns) -> dict[str, dict[str, str]]:
    """GUID -> id hints from our own identifiers note, verified against uuid5."""
    hints: dict[str, dict[str, str]] = {"code": {}, "source": {}, "user": {}, "file": {}}
    notes = root.find(ns + "Notes")
    if notes is None:
        return hints
    for note in notes.findall(ns + "Note"):
        if note.get("name") != IDS_NOTE_NAME:
            continue
        body = note.find(ns + "PlainTextContent")
        for line in ((body.text or "") if body is not None else "").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or parts[1] not in ("code", "source", "user"):
                continue
            guid, kind, ident = parts[:3]
            if not _ID_RE.match(ident) or _guid(kind, ident) != guid:
                continue
            hints[kind][guid] = ident
            if kind == "source" and len(parts) > 3 and _TRANSCRIPT_RE.match(parts[3]):
                hints["file"][guid] = parts[3]
    return hints


def _variables(root, ns) -> dict[str, tuple[str, str]]:
    out = {}
    variables = root.find(ns + "Variables")
    if variables is not None:
        for v in variables.findall(ns + "Variable"):
            out[v.get("guid") or ""] = (v.get("name") or "", v.get("typeOfVariable") or "Text")
    return out


def _values(elem, ns, var_defs) -> dict[str, object]:
    vals: dict[str, object] = {}
    for vv in elem.findall(ns + "VariableValue"):
        ref = vv.find(ns + "VariableRef")
        if ref is None:
            continue
        name = var_defs.get(ref.get("targetGUID") or "", ("", ""))[0]
        for child in vv:
            if child.tag != ns + "VariableRef" and child.text and child.text.strip():
                vals[name] = child.text.strip()
    return vals


def _pick(vals: dict[str, object], field_name: str):
    """Choose the variable that supplies a field; names follow common QDA conventions."""
    norm = {_norm_var_name(k): v for k, v in vals.items() if k}
    if field_name == "stakeholder_group":
        ranked = [k for k in norm if "stakeholder" in k] + [k for k in norm if "role" in k] + \
                 [k for k in norm if "group" in k]
        for k in ranked:
            if _norm_group(norm[k]) is not None:
                return _norm_group(norm[k])
        return None
    if field_name == "participant_id":
        keys = [k for k in norm if "participant" in k or "trial id" in k or k == "pid"]
    elif field_name == "practice_id":
        keys = [k for k in norm if "practice" in k]
    else:  # interview_date
        keys = [k for k in norm if "interview date" in k] + [k for k in norm if k == "date"]
    for k in keys:
        v = str(norm[k]).strip()
        if v:
            return v
    return None


def read_qdpx(path, *, offset_unit: str = "auto", mapping=None) -> QdpxImport:
    """Read a REFI-QDA ``.qdpx``, bare ``.qde`` or ``.qdc`` codebook into tidy tables.

    ``mapping``: dict or CSV path (columns ``source,stakeholder_group[,participant_id]``)
    keyed by the source's ``name`` (its GUID when nameless); values may be a group string, a
    ``(group, participant_id)`` tuple or a dict. A key ``"*"`` gives the default group for
    unmapped sources. Explicit mapping wins over case
    variables. Raises :class:`QdpxError` for unsafe or unreadable files and unmapped sources.
    """
    path = Path(path)
    if offset_unit not in (*OFFSET_UNITS, "auto"):
        raise QdpxError(f"offset_unit {offset_unit!r} is not one of auto, "
                        f"{', '.join(OFFSET_UNITS)}")
    map_rows, map_default = _load_mapping(mapping)
    root, ns, kind, texts = _open_project(path)
    hints = _read_id_note(root, ns) if kind == "project" else {"code": {}, "source": {},
                                                                "user": {}, "file": {}}
    codes_parent = (root.find(ns + "Codes") if kind == "codebook"
                    else root.find(f"{ns}CodeBook/{ns}Codes"))
    codebook, code_ids = _read_codebook(codes_parent, ns, hints["code"])
    empty = _empty_tables()
    if kind == "codebook":
        report = QdpxReport(path.name, root.get("origin"), 0, len(codebook), 0, 0, 0, 0,
                            "codepoint", "codebook only: no selections", {})
        return QdpxImport(empty[0], codebook, empty[2], {}, report)
    var_defs = _variables(root, ns)
    sources, skipped = _read_sources(root, ns, texts, var_defs)
    _apply_cases(root, ns, sources, var_defs)
    return _assemble(path, root, sources, skipped, codebook, code_ids, hints, offset_unit,
                     map_rows, map_default)


def _empty_tables():
    return (pd.DataFrame(columns=INTERVIEW_COLUMNS), pd.DataFrame(columns=CODEBOOK_COLUMNS),
            pd.DataFrame({"interview_id": pd.Series(dtype=str), "code_id": pd.Series(dtype=str),
                          "start": pd.Series(dtype="Int64"), "end": pd.Series(dtype="Int64"),
                          "coder": pd.Series(dtype=str)}))


def _read_sources(root, ns, texts, var_defs) -> tuple[list[_Source], list[str]]:
    out, skipped = [], []
    container = root.find(ns + "Sources")
    if container is None:
        return out, skipped
    for src in container:
        local = src.tag[len(ns):] if src.tag.startswith(ns) else src.tag
        guid = src.get("guid") or ""
        if local != "TextSource":
            skipped.append(f"{local} {src.get('name') or guid}")
            continue
        sels = []
        for sel in src.findall(ns + "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                start, end = -1, -1
            for coding in sel.findall(ns + "Coding"):
                ref = coding.find(ns + "CodeRef")
                user = coding.get("creatingUser") or sel.get("creatingUser") or ""
                sels.append((sel.get("guid") or "", start, end,
                             "" if ref is None else ref.get("targetGUID") or "", user))
        out.append(_Source(guid=guid, name=src.get("name") or "", text=texts.get(guid, ""),
                           created=src.get("creationDateTime"), selections=sels,
                           whole_codings=len(src.findall(ns + "Coding")),
                           variables=_values(src, ns, var_defs)))
    return out, skipped


def _apply_cases(root, ns, sources: list[_Source], var_defs) -> None:
    """Copy case variables onto the sources the case refers to (MAXQDA cases are nameless)."""
    cases = root.find(ns + "Cases")
    if cases is None:
        return
    by_guid = {s.guid: s for s in sources}
    for case in cases.findall(ns + "Case"):
        vals = _values(case, ns, var_defs)
        for ref in case.findall(ns + "SourceRef"):
            src = by_guid.get(ref.get("targetGUID") or "")
            if src is not None:
                for k, v in vals.items():
                    src.variables.setdefault(k, v)


def _assemble(path, root, sources, skipped, codebook, code_ids, hints, offset_unit, map_rows,
              map_default) -> QdpxImport:
    # interview ids and metadata
    taken: set[str] = set()
    interview_rows, transcripts, date_sources, mapping_sources = [], {}, {}, {}
    unmapped, bad_values = [], []
    iid_of: dict[str, str] = {}
    for k, src in enumerate(sources, start=1):
        hint = hints["source"].get(src.guid)
        base = hint if hint and hint.casefold() not in taken else _slug(src.name, f"source_{k}")
        iid = _unique(base, taken)
        iid_of[src.guid] = iid
        label = src.name or src.guid
        group = pid = None
        how = "variables"
        if label in map_rows:
            group, pid = map_rows[label]
            how = "mapping"
        if group is None:
            group = _pick(src.variables, "stakeholder_group")
            how = "variables" if group else how
        if pid is None:
            pid = _pick(src.variables, "participant_id")
        if group is None and map_default:
            group, how = map_default, "mapping default"
        if group is None:
            unmapped.append(label)
        mapping_sources[iid] = how
        if pid is not None and not _ID_RE.match(pid):
            bad_values.append(f"{label!r} participant_id {pid!r}")
        practice = _pick(src.variables, "practice_id")
        if practice is not None and not re.match(r"^[A-Za-z0-9_-]{1,20}$", practice):
            bad_values.append(f"{label!r} practice_id {practice!r}")
        date_raw = _pick(src.variables, "interview_date")
        date = pd.to_datetime(date_raw[:10], errors="coerce") if date_raw else pd.NaT
        if not pd.isna(date):
            date_sources[iid] = "variable"
        elif src.created and not pd.isna(pd.to_datetime(src.created[:10], errors="coerce")):
            date, date_sources[iid] = pd.Timestamp(src.created[:10]), "creationDateTime"
        else:
            date, date_sources[iid] = UNKNOWN_DATE, "placeholder"
        interview_rows.append({
            "interview_id": iid, "stakeholder_group": group, "participant_id": pid,
            "practice_id": practice, "interview_date": date,
            "transcript_file": hints["file"].get(src.guid, f"{iid}.txt"),
        })
        transcripts[iid] = _normalise_text(src.text)
    if unmapped:
        raise QdpxError(
            f"{path.name}: {len(unmapped)} source(s) have no stakeholder group: "
            + ", ".join(repr(u) for u in unmapped[:10]) + (" ..." if len(unmapped) > 10 else "")
            + " (fix: pass mapping= a CSV with columns source,stakeholder_group,participant_id "
            "(a row with source '*' sets the default), or add a 'stakeholder_group' case "
            f"variable in your QDA tool; groups: {', '.join(STAKEHOLDER_GROUPS)})")
    if bad_values:
        raise QdpxError(f"{path.name}: invalid ids: " + "; ".join(bad_values[:10])
                        + " (fix: use letters, digits, '-' or '_', or pass mapping=)")
    interviews = pd.DataFrame(interview_rows, columns=INTERVIEW_COLUMNS)
    interviews["interview_date"] = pd.to_datetime(interviews["interview_date"])

    # coders: pseudonyms by first coding in document order; our own export keeps its labels
    coder_of: dict[str, str] = {}
    used: set[str] = set()
    for src in sources:
        for *_rest, user in src.selections:
            if user not in coder_of:
                hint = hints["user"].get(user)
                if hint and hint not in used:
                    coder_of[user] = hint
                    used.add(hint)
                else:
                    coder_of[user] = ""
    n = 0
    for user, label in coder_of.items():
        if not label:
            n += 1
            while f"coder_{n}" in used:
                n += 1
            coder_of[user] = f"coder_{n}"
            used.add(coder_of[user])

    # offsets: choose the unit, convert, reject misfits, merge duplicates
    maps = {s.guid: _OffsetMap(s.text) for s in sources if s.selections}
    masks = {g: _word_char_mask(transcripts[iid_of[g]]) for g in maps}
    units = OFFSET_UNITS if offset_unit == "auto" else (offset_unit,)
    shares, converted = {}, {}
    for unit in units:
        hits = total = 0
        per_unit = {}
        for src in sources:
            if not src.selections:
                continue
            arr = np.array([(s, e) for _g, s, e, _c, _u in src.selections], dtype=np.int64)
            s_st, s_ok = maps[src.guid].to_stored(unit, arr[:, 0])
            e_st, e_ok = maps[src.guid].to_stored(unit, arr[:, 1])
            ok = s_ok & e_ok & (s_st < e_st)
            bnd = ok & _boundary_ok(masks[src.guid], s_st) & _boundary_ok(masks[src.guid], e_st)
            hits += int(bnd.sum())
            total += len(arr)
            per_unit[src.guid] = (s_st, e_st, ok)
        shares[unit] = hits / total if total else float("nan")
        converted[unit] = per_unit
    if offset_unit != "auto":
        chosen, reason = offset_unit, "set by the caller"
    elif not any(s.selections for s in sources):
        chosen, reason = "codepoint", "no selections; the standard's unit"
    elif (root.get("origin") or "").startswith("wave-analysis"):
        chosen, reason = "codepoint", "written by wave-analysis, which uses the standard's unit"
    else:
        best = max(shares.values())
        chosen = next(u for u in OFFSET_UNITS if shares[u] == best)  # ties -> standard first
        tied = [u for u in OFFSET_UNITS if shares[u] == best]
        reason = (f"most selections on word boundaries ({best:.1%})" if len(tied) == 1 else
                  f"units agree on this text ({best:.1%} on word boundaries); standard kept")

    rejected, rows = [], []
    n_sel = 0
    for src in sources:
        if src.whole_codings:
            rejected.append(RejectedSelection(iid_of[src.guid], None, 0, 0,
                                              f"{src.whole_codings} coding(s) of the whole "
                                              "source without a text span"))
        if not src.selections:
            continue
        n_sel += len(src.selections)
        s_st, e_st, ok = converted[chosen][src.guid]
        iid = iid_of[src.guid]
        for i, (_g, s, e, code_guid, user) in enumerate(src.selections):
            code_id = code_ids.get(code_guid)
            if code_id is None:
                rejected.append(RejectedSelection(iid, None, s, e,
                                                  f"refers to unknown code {code_guid!r}"))
            elif not ok[i]:
                rejected.append(RejectedSelection(
                    iid, code_id, s, e, f"does not fit the {len(transcripts[iid])}-character "
                    f"text under offset unit {chosen}"))
            else:
                rows.append((iid, code_id, int(s_st[i]), int(e_st[i]), coder_of[user]))
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    n_before = len(codings)
    # Canonical order (source order, then span, code, coder) so output is independent of how
    # the tool happened to list its selections.
    order = {iid: k for k, iid in enumerate(iid_of.values())}
    codings = (codings.drop_duplicates()
               .assign(_src=codings["interview_id"].map(order))
               .sort_values(["_src", "start", "end", "code_id", "coder"], kind="stable")
               .drop(columns="_src").reset_index(drop=True))
    codings = codings.astype({"interview_id": str, "code_id": str, "start": "Int64",
                              "end": "Int64", "coder": str})
    report = QdpxReport(
        file=path.name, origin=root.get("origin"), n_sources=len(sources),
        n_codes=len(codebook), n_coders=len(coder_of), n_selections=n_sel,
        n_codings=len(codings), n_duplicates_merged=n_before - len(codings),
        offset_unit=chosen, offset_reason=reason,
        boundary_shares={u: shares[u] for u in units},
        rejected=tuple(rejected), skipped_sources=tuple(skipped),
        date_sources=date_sources, mapping_sources=mapping_sources)
    return QdpxImport(interviews, codebook, codings, transcripts, report)


# ---------------------------------------------------------------------------------------------
# export


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


def _project_xml(qual: QualData, project_name: str) -> tuple[bytes, dict[str, bytes]]:
    ET.register_namespace("", EXPORT_NS)
    root = ET.Element(f"{{{EXPORT_NS}}}Project",
                      {"name": project_name, "origin": "wave-analysis"})
    id_lines: list[str] = []
    coders = sorted(set(qual.codings["coder"]))
    if coders:
        users = _sub(root, "Users")
        for c in coders:
            _sub(users, "User", guid=_guid("user", c), name=c, id=c)
            id_lines.append(f"{_guid('user', c)}\tuser\t{c}")
    cb = qual.codebook
    if len(cb):
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        children: dict[str | None, list] = {}
        for row in cb.itertuples(index=False):
            parent = None if pd.isna(row.parent_id) else row.parent_id
            children.setdefault(parent, []).append(row)
        stack = [(codes, r) for r in reversed(children.get(None, []))]
        while stack:
            parent_el, row = stack.pop()
            el = _sub(parent_el, "Code", guid=_guid("code", row.code_id), name=str(row.name),
                      isCodable="true")
            if not pd.isna(row.description) and str(row.description):
                _sub(el, "Description", str(row.description))
            id_lines.append(f"{_guid('code', row.code_id)}\tcode\t{row.code_id}")
            stack.extend((el, r) for r in reversed(children.get(row.code_id, [])))
    fields = [("stakeholder_group", "Text"), ("participant_id", "Text"),
              ("practice_id", "Text"), ("interview_date", "Date")]
    variables = _sub(root, "Variables")
    for name, typ in fields:
        _sub(variables, "Variable", guid=_guid("variable", name), name=name, typeOfVariable=typ)
    ivs = qual.interviews  # table order is kept so a round trip returns the same order
    cases = _sub(root, "Cases")
    for row in ivs.itertuples(index=False):
        case = _sub(cases, "Case", guid=_guid("case", row.interview_id), name=row.interview_id)
        for name, typ in fields:
            val = getattr(row, name)
            if val is None or pd.isna(val):
                continue
            vv = _sub(case, "VariableValue")
            _sub(vv, "VariableRef", targetGUID=_guid("variable", name))
            if typ == "Date":
                _sub(vv, "DateValue", pd.Timestamp(val).strftime("%Y-%m-%d"))
            else:
                _sub(vv, "TextValue", str(val))
        _sub(case, "SourceRef", targetGUID=_guid("source", row.interview_id))
    files: dict[str, bytes] = {}
    codings = qual.codings.sort_values(["interview_id", "start", "end", "code_id", "coder"],
                                       kind="stable").drop_duplicates()
    by_iv = {k: g for k, g in codings.groupby("interview_id", sort=False)}
    sources = _sub(root, "Sources")
    for row in ivs.itertuples(index=False):
        iid = row.interview_id
        sguid = _guid("source", iid)
        ts = _sub(sources, "TextSource", guid=sguid, name=iid,
                  plainTextPath=f"internal://{sguid}.txt")
        files[f"sources/{sguid}.txt"] = qual.transcripts[iid].encode("utf-8")
        id_lines.append(f"{sguid}\tsource\t{iid}\t{row.transcript_file}")
        group = by_iv.get(iid)
        if group is None:
            continue
        for (s, e), span in group.groupby(["start", "end"], sort=False):
            sel = _sub(ts, "PlainTextSelection", guid=_guid("selection", f"{iid}:{s}:{e}"),
                       startPosition=str(int(s)), endPosition=str(int(e)))
            for c in span.itertuples(index=False):
                coding = _sub(sel, "Coding",
                              guid=_guid("coding", f"{iid}:{s}:{e}:{c.code_id}:{c.coder}"),
                              creatingUser=_guid("user", c.coder))
                _sub(coding, "CodeRef", targetGUID=_guid("code", c.code_id))
    notes = _sub(root, "Notes")
    nguid = _guid("note", IDS_NOTE_NAME)
    note = _sub(notes, "Note", guid=nguid, name=IDS_NOTE_NAME)
    _sub(note, "Description", "Project identifiers written by wave-analysis; keep this note so "
         "a re-import keeps code, interview and coder ids.")
    _sub(note, "PlainTextContent", "\n".join(id_lines))
    _sub(root, "NoteRef", targetGUID=nguid)
    n_written = sum(1 for line in id_lines if "\tcode\t" in line)
    if n_written != len(cb):
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


# ---------------------------------------------------------------------------------------------
# folder helpers (called by the CLI)


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def import_qdpx(file, outdir, *, offset_unit: str = "auto", mapping=None,
                overwrite: bool = False) -> QdpxImport:
    """Import ``file`` and write interviews/codebook/codings CSVs and transcripts/ to ``outdir``.

    The folder is built in a temporary sibling and moved into place, so a failure leaves no
    half-written output; a non-empty ``outdir`` is refused unless ``overwrite=True``.
    """
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise QdpxError(f"{outdir}: exists and is not a folder (fix: choose another OUTDIR)")
    if outdir.is_dir() and any(outdir.iterdir()) and not overwrite:
        raise QdpxError(f"{outdir}: folder is not empty (fix: choose an empty folder or pass "
                        "overwrite=True / --overwrite)")
    result = read_qdpx(file, offset_unit=offset_unit, mapping=mapping)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    try:
        (tmp / "interviews.csv").write_bytes(_csv_bytes(result.interviews))
        (tmp / "codebook.csv").write_bytes(_csv_bytes(result.codebook))
        (tmp / "codings.csv").write_bytes(_csv_bytes(result.codings))
        tdir = tmp / "transcripts"
        tdir.mkdir()
        files = dict(zip(result.interviews["interview_id"], result.interviews["transcript_file"],
                         strict=True))
        for iid, text in result.transcripts.items():
            (tdir / files[iid]).write_bytes(text.encode("utf-8"))
        if outdir.exists():
            old = outdir.with_name(f".{outdir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(outdir, old)
            os.replace(tmp, outdir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, outdir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def export_qdpx(qual: QualData, file, *, project_name: str = "WAVE qualitative study") -> Path:
    """Write ``qual`` (e.g. from ``io.load_qualitative(DIR)``) to the ``.qdpx`` file ``file``."""
    return write_qdpx(qual, file, project_name=project_name)
