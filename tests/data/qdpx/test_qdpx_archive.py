"""Hostile archives and XML (data.qdpx.archive): each is refused with one QdpxError line before
anything is written."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from qdpx_builders import NS, G, good_entries, make_zip, project_xml

from wave_analysis.data.qdpx import archive, import_qdpx, read_qdpx
from wave_analysis.exceptions import QdpxError


def patch_central(data: bytes, name: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite bytes at ``offset`` inside the central-directory record of entry ``name``."""
    i = 0
    while True:
        i = data.index(b"PK\x01\x02", i)
        n = struct.unpack("<H", data[i + 28:i + 30])[0]
        if data[i + 46:i + 46 + n] == name:
            return data[:i + offset] + value + data[i + offset + len(value):]
        i += 4


# Extra archive entries that make an archive hostile, by kind.
EXTRA_ENTRIES = {
    "dotdot": {"sources/../../evil.txt": b"x"},
    "absolute": {"/etc/evil.txt": b"x"},
    "drive": {"C:/evil.txt": b"x"},
    "backslash": {"sources\\evil.txt": b"x"},
    "casefold": {"SOURCES/" + f"{G.format(201)}.txt".upper(): b"x"},
    "nested": {"sources/inner.zip": b"PK\x05\x06" + b"\0" * 18},
    "bomb": {"sources/big.txt": b"\0" * (3 * 2**20)},
}
TARGET = f"sources/{G.format(201)}.txt".encode()


def _bad_deflate(data: bytes) -> bytes:
    i = data.index(b"PK\x03\x04")
    n, x = struct.unpack("<HH", data[i + 26:i + 30])
    j = i + 30 + n + x
    return data[:j] + b"\xff" * 16 + data[j + 16:]


# Byte-level damage to a good archive, by kind.
PATCHES = {
    "nul": lambda data: data.replace(TARGET, TARGET[:-5] + b"\0.txt"),
    "encrypted": lambda data: patch_central(data, TARGET, 8, struct.pack("<H", 1)),
    "declared_size": lambda data: patch_central(data, TARGET, 24, struct.pack("<I", 2**31)),
    "overlap": lambda data: patch_central(data, TARGET, 42, struct.pack("<I", 0)),
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"PK\x03\x04" + b"\xff" * 200,
    "bad_deflate": _bad_deflate,
}


def _hostile(kind: str, tmp_path: Path) -> Path:
    f = make_zip(tmp_path / "bad.qdpx", good_entries() | EXTRA_ENTRIES.get(kind, {}))
    if kind in ("symlink", "bzip2"):
        with zipfile.ZipFile(f, "a") as zf:
            info = zipfile.ZipInfo("sources/link.txt")
            if kind == "symlink":
                info.external_attr = 0o120777 << 16
            else:
                info.compress_type = zipfile.ZIP_BZIP2
            zf.writestr(info, b"/etc/passwd")
    elif kind in PATCHES:
        f.write_bytes(PATCHES[kind](f.read_bytes()))
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
    monkeypatch.setattr(archive, "MAX_ENTRIES", 5)
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
