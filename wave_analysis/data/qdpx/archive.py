"""Opening a REFI-QDA file safely: archive limits, member reading and hardened XML parsing.

A ``.qdpx`` is a zip archive from a collaborator's machine, so it is treated as hostile: before any
member is decompressed, :func:`check_archive` refuses archives that could escape the target folder,
explode in size or confuse a reader (path tricks, case-folding clashes, symbolic links, nested
archives, encryption, unusual compression, huge declared sizes or ratios, overlapping entries).
Members are read with ``ZipFile.open`` only, never extracted. XML goes through ``defusedxml`` with
DTDs forbidden and a nesting limit. Every refusal is one
:class:`~wave_analysis.exceptions.QdpxError` line naming the file, what was wrong and how to fix it.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as _safe_iterparse

from wave_analysis.data.qdpx.offsets import decode, encoding_of, strip_bom
from wave_analysis.exceptions import QdpxError

PROJECT_NS_PREFIX = "urn:QDA-XML:project:"
CODEBOOK_NS_PREFIX = "urn:QDA-XML:codebook:"

# Archive limits: generous for real projects (hundreds of interviews), far below a bomb.
MAX_ENTRIES = 10_000
MAX_MEMBER_BYTES = 256 * 2**20
MAX_TOTAL_BYTES = 1 * 2**30
MAX_RATIO = 200  # declared size / compressed size, for members over RATIO_FLOOR bytes
RATIO_FLOOR = 1 * 2**20
MAX_XML_DEPTH = 64
NESTED_ARCHIVE_EXT = (".zip", ".qdpx", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz",
                      ".zst", ".jar")
# Everything zipfile and zlib raise on a damaged archive, turned into one QdpxError line.
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, zlib.error, RuntimeError,
               EOFError, OSError, NotImplementedError, struct.error, KeyError, IndexError,
               OverflowError)
_UNTRUSTED = "re-export the project from your QDA software; do not open untrusted archives"


def fail(path: Path, what: str, fix: str) -> QdpxError:
    """The one-line error for ``path``: ``"<file>: <what> (fix: <fix>)"``."""
    return QdpxError(f"{path.name}: {what} (fix: {fix})")


# --- the archive -----------------------------------------------------------------------------

def _bad_name(name: str, orig_name: str) -> str | None:
    if "\x00" in orig_name:
        return "contains NUL"
    if "\\" in name:
        return "contains a backslash"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if any(part in ("..", ".") for part in name.split("/")):
        return "contains '..' or '.'"
    return None


def _check_entry(info: zipfile.ZipInfo, path: Path) -> None:
    """Refuse one entry whose type, encryption, compression or size is unsafe."""
    name = info.filename
    if ((info.external_attr >> 16) & 0o170000) == 0o120000:
        raise fail(path, f"entry {name!r} is a symbolic link", _UNTRUSTED)
    if name.lower().endswith(NESTED_ARCHIVE_EXT):
        raise fail(path, f"entry {name!r} is a nested archive", _UNTRUSTED)
    if info.flag_bits & 0x1:
        raise fail(path, f"entry {name!r} is encrypted", "export the project without a password")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise fail(path, f"entry {name!r} uses compression method {info.compress_type} "
                   "(only stored or deflate are accepted)", _UNTRUSTED)
    if info.file_size > MAX_MEMBER_BYTES:
        raise fail(path, f"entry {name!r} declares {info.file_size} bytes "
                   f"(limit {MAX_MEMBER_BYTES})", _UNTRUSTED)
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise fail(path, f"entry {name!r} has a compression ratio over {MAX_RATIO}", _UNTRUSTED)


def _check_overlaps(zf: zipfile.ZipFile, raw: io.BufferedIOBase, path: Path) -> None:
    """Each member's local header + data must end before the next begins (no zip quines)."""
    spans = []
    for info in zf.infolist():
        raw.seek(info.header_offset)
        head = raw.read(30)
        if len(head) != 30 or head[:4] != b"PK\x03\x04":
            raise fail(path, f"entry {info.filename!r} has no valid local header", _UNTRUSTED)
        n_name, n_extra = struct.unpack("<HH", head[26:30])
        end = info.header_offset + 30 + n_name + n_extra + info.compress_size
        spans.append((info.header_offset, end, info.filename))
    spans.sort()
    for (_s0, e0, n0), (s1, _e1, n1) in zip(spans, spans[1:], strict=False):
        if e0 > s1:
            raise fail(path, f"entries {n0!r} and {n1!r} overlap", _UNTRUSTED)
    limit = zf.start_dir if hasattr(zf, "start_dir") else None
    if spans and limit is not None and spans[-1][1] > limit:
        raise fail(path, f"entry {spans[-1][2]!r} overlaps the central directory", _UNTRUSTED)


def check_archive(zf: zipfile.ZipFile, raw: io.BufferedIOBase, path: Path) -> None:
    """Refuse archives that could escape, explode or confuse before reading any member."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise fail(path, f"archive has {len(infos)} entries (limit {MAX_ENTRIES})", _UNTRUSTED)
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        bad = _bad_name(name, info.orig_filename)
        if bad:
            raise fail(path, f"entry name {name!r} {bad}", _UNTRUSTED)
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            raise fail(path, f"entries {seen[key]!r} and {name!r} clash after case-folding",
                       _UNTRUSTED)
        seen[key] = name
        _check_entry(info, path)
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise fail(path, f"archive declares {total} uncompressed bytes "
                   f"(limit {MAX_TOTAL_BYTES})", _UNTRUSTED)
    _check_overlaps(zf, raw, path)


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # ZipExtFile stops at the declared size and checks the CRC, so a lying header fails here.
    with zf.open(info) as fh:
        data = fh.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise zipfile.BadZipFile(f"entry {info.filename!r} size differs from its header")
    return data


# --- XML -------------------------------------------------------------------------------------

def parse_xml(data: bytes, path: Path, member: str) -> ET.Element:
    """The root element of ``data``; no DTD, no entities, at most ``MAX_XML_DEPTH`` levels."""
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
                    raise fail(path, f"{member}: XML nesting deeper than {MAX_XML_DEPTH}",
                               "re-export the project; REFI-QDA files are never this deep")
            else:
                depth -= 1
    except DefusedXmlException as exc:
        raise fail(path, f"{member}: XML declares a DTD or entities ({type(exc).__name__}), "
                   "which REFI-QDA never needs", "re-export the project") from None
    except ET.ParseError as exc:
        raise fail(path, f"{member}: not well-formed XML ({exc})", "re-export the project") \
            from None
    if root is None:
        raise fail(path, f"{member}: empty XML", "re-export the project")
    return root


def namespace(root: ET.Element, prefixes: tuple[str, ...], path: Path) -> tuple[str, str]:
    """(``"{namespace}"``, local tag) of a REFI-QDA root; refuses any other document."""
    m = re.match(r"^\{([^}]*)\}(.*)$", root.tag)
    ns, local = (m.group(1), m.group(2)) if m else ("", root.tag)
    if not ns.startswith(prefixes):
        raise fail(path, f"root element is {{{ns}}}{local}, not a REFI-QDA document "
                   f"(namespace {' or '.join(prefixes)}...)", "choose a .qdpx, .qde or .qdc file")
    return "{" + ns + "}", local


# --- a project file --------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenedFile:
    """The XML of a REFI-QDA file and the raw text of each TextSource (GUID -> text)."""

    root: ET.Element
    ns: str
    kind: str  # "project" or "codebook"
    texts: dict[str, str]


def _read_source(zf, members, path: Path, label: str, ref: str) -> str:
    name = ref[len("internal://"):] if ref.lower().startswith("internal://") else ref
    if zf is None:
        raise fail(path, f"source {label!r} points to {ref!r} but a bare .qde has no "
                   "sources folder", "import the .qdpx archive instead")
    info = members.get(name.casefold())
    if info is None or "/" in name or "\\" in name:
        raise fail(path, f"source {label!r} points to {ref!r}, which is not in the "
                   "archive's sources/ folder", "re-export the project with 'include source files'")
    data = read_member(zf, info)
    try:
        return decode(data)
    except UnicodeDecodeError as exc:
        raise fail(path, f"{info.filename}: text is not valid {encoding_of(data)[1]} at byte "
                   f"{exc.start}", "re-export the project (REFI-QDA text sources are UTF-8)") \
            from None


def _collect_texts(root, ns, path: Path, zf, members) -> dict[str, str]:
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
            out[guid] = strip_bom(content.text or "")
            continue
        ref = ts.get("plainTextPath")
        if not ref:
            raise fail(path, f"source {label!r} has neither plainTextPath nor "
                       "PlainTextContent", "re-export the project with its sources")
        out[guid] = _read_source(zf, members, path, label, ref)
    return out


def _open_archive(path: Path) -> OpenedFile:
    with open(path, "rb") as raw, zipfile.ZipFile(raw) as zf:
        check_archive(zf, raw, path)
        infos = zf.infolist()
        qdes = [i for i in infos if i.filename.lower().endswith(".qde")
                and "/" not in i.filename.rstrip("/")]
        if len(qdes) != 1:
            raise fail(path, f"archive holds {len(qdes)} top-level .qde files "
                       "(expected exactly one)", "re-export the project as .qdpx")
        xml = read_member(zf, qdes[0])
        members = {}
        for info in infos:
            parts = info.filename.split("/")
            if len(parts) == 2 and parts[0].casefold() == "sources" and parts[1]:
                members[parts[1].casefold()] = info
        root = parse_xml(xml, path, qdes[0].filename)
        ns, _local = namespace(root, (PROJECT_NS_PREFIX,), path)
        return OpenedFile(root, ns, "project", _collect_texts(root, ns, path, zf, members))


def open_project(path: Path) -> OpenedFile:
    """Open a ``.qdpx`` archive, a bare ``.qde`` project or a ``.qdc`` codebook."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise QdpxError(f"{path}: cannot open ({exc.strerror or exc})") from None
    if head.startswith(b"PK"):
        try:
            return _open_archive(path)
        except QdpxError:
            raise
        except _ZIP_ERRORS as exc:
            msg = str(exc).splitlines()[0] if str(exc) else ""
            raise fail(path, f"damaged or unsupported archive ({type(exc).__name__}: {msg})",
                       "re-export the project from your QDA software") from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QdpxError(f"{path}: cannot read ({exc.strerror or exc})") from None
    root = parse_xml(data, path, path.name)
    prefixes = (CODEBOOK_NS_PREFIX, PROJECT_NS_PREFIX) if path.suffix.lower() == ".qdc" else \
        (PROJECT_NS_PREFIX, CODEBOOK_NS_PREFIX)
    ns, local = namespace(root, prefixes, path)
    if local == "CodeBook":
        return OpenedFile(root, ns, "codebook", {})
    return OpenedFile(root, ns, "project", _collect_texts(root, ns, path, None, {}))
