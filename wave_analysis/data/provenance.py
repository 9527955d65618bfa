"""Whether an export folder is the synthetic generator's output: the label is earned, not assumed.

A folder is **synthetic** only when its ``dataset.json`` was written by the generator
(``"generator": "wave_analysis.synthetic"``, ``"synthetic": true``) and records, under
``"files"``, the sha256 of every data file it wrote (each table file and each transcript), and
the folder's data files now are exactly those files with exactly those hashes. Anything else is
**real**: no ``dataset.json``, one without hashes (an old copy, a team's template), an edited,
added or removed table or transcript. A team that copies ``data/synthetic`` as a template and
replaces its contents therefore gets real data, as it should. The check guards against accidents
(a copied folder, an edited file), not against someone forging hashes on purpose.

Data files are the folder's top-level files with a supported table suffix (``read.SUFFIXES``:
``.csv``, ``.xlsx``, ``.sav`` ...) and every file under ``transcripts/``; ``README.md`` and
``dataset.json`` itself are not data. ``Provenance.digest`` identifies the data whatever its
label: the sha256 of the lines ``"<sha256>  <relative path>\\n"`` of every data file, sorted by
path (what ``sha256sum`` prints).

Cost: hashing the bundled folder (0.7 MB) takes about a millisecond. File hashes are cached by
(path, inode, size, mtime, ctime), so ``load_trial``, ``load_qualitative`` and ``load_study`` on
the same folder read each file's bytes for hashing once; a file changed in the last two seconds
is never cached (a same-size edit within one timestamp tick could otherwise go unseen).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wave_analysis.config import REPO_ROOT, SYNTHETIC_DIR
from wave_analysis.data.read import SUFFIXES, as_path
from wave_analysis.exceptions import DataFormatError

RECORD = "dataset.json"
GENERATOR = "wave_analysis.synthetic"
TRANSCRIPTS = "transcripts"
SYNTHETIC_REASON = "every file matches the generator's record in dataset.json"
REAL = "the data is treated as real"
_SHOWN = 3  # problems named in a reason; the rest are counted
_SETTLED_NS = 2_000_000_000  # files changed more recently than this are hashed every time
_CACHE_MAX = 10_000
_HASHES: dict[tuple, str] = {}


@dataclass(frozen=True)
class Provenance:
    """Where the data came from and whether it is provably the generator's synthetic output."""

    folder: Path
    synthetic: bool
    digest: str  # sha256 over every data file's path and content
    reason: str  # why the data is or is not synthetic

    def describe(self) -> str:
        """The folder and what it holds, in one line: ``data/synthetic (bundled synthetic data,
        verified)``, ``/path/export (real data)``."""
        folder = self.folder.resolve()
        if not self.synthetic:
            kind = "real data"
        elif folder == SYNTHETIC_DIR.resolve():
            kind = "bundled synthetic data, verified"
        else:
            kind = "synthetic data, verified"
        shown = folder.relative_to(REPO_ROOT) if folder.is_relative_to(REPO_ROOT) else folder
        return f"{shown.as_posix()} ({kind})"

    def line(self) -> str:
        """One line for the command line: folder, label and reason."""
        kind = "synthetic data (verified)" if self.synthetic else "real data"
        return f"{self.folder}: {kind}: {self.reason}"


def check_folder(folder) -> Path:
    """``folder`` as a Path to an existing folder; ``DataFormatError`` otherwise."""
    folder = as_path(folder, "folder")
    if not folder.is_dir():
        raise DataFormatError(f"{folder}: no such folder; pass the folder holding the export "
                              "(e.g. data/synthetic)")
    return folder


def sha256_bytes(content: bytes) -> str:
    """The hex sha256 of ``content`` (what the generator records for each file it writes)."""
    return hashlib.sha256(content).hexdigest()


def _sha256_file(path: Path, rel: str) -> str:
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key in _HASHES:
            return _HASHES[key]
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as err:
        raise DataFormatError(f"{rel}: cannot be read ({err.strerror}); check the file's "
                              "permissions") from None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > _SETTLED_NS:
        if len(_HASHES) >= _CACHE_MAX:
            _HASHES.clear()
        _HASHES[key] = digest.hexdigest()
    return digest.hexdigest()


def data_files(folder: Path) -> dict[str, Path]:
    """Relative POSIX path -> path of every data file: top-level table files of any supported
    suffix, and every file under ``transcripts/``."""
    found = {p.name: p for p in folder.iterdir()
             if p.is_file() and p.suffix.lower() in SUFFIXES}
    transcripts = folder / TRANSCRIPTS
    if transcripts.is_dir():
        found.update({p.relative_to(folder).as_posix(): p
                      for p in transcripts.rglob("*") if p.is_file()})
    return dict(sorted(found.items()))


def file_hashes(folder) -> dict[str, str]:
    """Relative path -> sha256 of every data file of ``folder``."""
    folder = check_folder(folder)
    return {rel: _sha256_file(path, rel) for rel, path in data_files(folder).items()}


def folder_digest(hashes: Mapping[str, str]) -> str:
    """One sha256 identifying the data: over ``"<sha256>  <path>\\n"`` sorted by path."""
    lines = "".join(f"{hashes[rel]}  {rel}\n" for rel in sorted(hashes))
    return sha256_bytes(lines.encode("utf-8"))


def _record(folder: Path) -> tuple[dict[str, str] | None, str]:
    """The generator's file record from dataset.json, or None and why there is none."""
    meta_path = folder / RECORD
    if not meta_path.is_file():
        return None, (f"no {RECORD}: only the generator's output, with a hash of every file "
                      f"recorded in {RECORD}, counts as synthetic")
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        return None, f"{RECORD} cannot be read ({type(err).__name__}): {REAL}"
    if not (isinstance(meta, dict) and meta.get("generator") == GENERATOR
            and meta.get("synthetic") is True):
        return None, (f"{RECORD} was not written by the synthetic generator (it needs "
                      f"\"generator\": \"{GENERATOR}\" and \"synthetic\": true): {REAL}")
    files = meta.get("files")
    if not files:
        return None, (f"{RECORD} records no file hashes (an old copy or a template?): {REAL}; "
                      "`wave-analysis synth` writes the synthetic data with them")
    if not (isinstance(files, dict) and all(isinstance(k, str) and isinstance(v, str)
                                            for k, v in files.items())):
        return None, f"{RECORD}'s \"files\" is not a mapping of file name to sha256: {REAL}"
    return files, ""


def _mismatches(record: Mapping[str, str], hashes: Mapping[str, str]) -> list[str]:
    out = []
    for rel in sorted(set(record) | set(hashes)):
        if rel not in record:
            out.append(f"{rel} was added (it is not in the generator's record in {RECORD})")
        elif rel not in hashes:
            out.append(f"{rel} is missing (the generator wrote it)")
        elif record[rel] != hashes[rel]:
            out.append(f"{rel} differs from what the generator wrote")
    return out


def provenance(folder) -> Provenance:
    """The provenance of an export folder (str or Path): synthetic only when every data file
    matches the generator's record in ``dataset.json``, with no file added or missing."""
    folder = check_folder(folder)
    hashes = file_hashes(folder)
    digest = folder_digest(hashes)
    record, why = _record(folder)
    if record is None:
        return Provenance(folder, False, digest, why)
    problems = _mismatches(record, hashes)
    if not problems:
        return Provenance(folder, True, digest, SYNTHETIC_REASON)
    shown = "; ".join(problems[:_SHOWN])
    more = len(problems) - _SHOWN
    if more > 0:
        shown += f"; and {more} more file{'s' * (more != 1)}"
    return Provenance(folder, False, digest, f"{shown}: {REAL}")
