"""Read one table file of any supported format into raw values, with line numbers for messages.

Formats are chosen by extension and may be mixed in one folder: CSV/TSV (UTF-8, UTF-8 with BOM,
or UTF-16 "Unicode text"), XLSX, SPSS ``.sav``, Stata ``.dta`` and Parquet. Reading follows the
measured traps in ``shared/notes/loading.md``: ids stay strings (nothing is parsed here; the
loader coerces with the schemas), missing values are an explicit list (``NA_VALUES``), duplicated
or merged headers are rejected, and encodings are never guessed as latin-1. Every failure is one
:class:`~wave_analysis.exceptions.DataFormatError` naming the file (and line) and the fix.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.exceptions import DataFormatError

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".sav", ".dta", ".parquet")
NA_VALUES = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "."]


@dataclass(frozen=True)
class RawTable:
    """A table's raw values plus the line (or record) number of each row, for messages."""

    frame: pd.DataFrame
    lines: np.ndarray
    file: str


def as_path(value: object, name: str) -> Path:
    """``value`` as a Path; a str or PathLike that is not empty."""
    ok = isinstance(value, str | os.PathLike) and str(value) != ""
    check_argument(ok, name, "a path (str or Path, not empty)", value)
    return Path(value)


def _decode(path: Path) -> tuple[str, str]:
    """Return (text, separator hint) for a delimited text file; never guess latin-1."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "\t"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataFormatError(
            f"{path.name}:{line}: not UTF-8 (byte 0x{raw[err.start]:02X}); save the file as "
            "'CSV UTF-8' (Excel: File > Save As > CSV UTF-8)") from None
    return text, ""


def _drop_empty(frame: pd.DataFrame, lines: np.ndarray, name: str) -> RawTable:
    keep = ~frame.isna().all(axis=1).to_numpy()
    return RawTable(frame.loc[keep].reset_index(drop=True), lines[keep], name)


def _read_delimited(path: Path) -> RawTable:
    text, sep = _decode(path)
    first = text.split("\n", 1)[0]
    if not sep:
        sep = "\t" if path.suffix == ".tsv" else max([",", ";", "\t"], key=first.count)
    header = next(csv.reader([first], delimiter=sep))
    header = [h.strip() for h in header]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise DataFormatError(f"{path.name}:1: duplicated column name(s) {', '.join(dupes)}; "
                              "rename them so every column is unique")
    frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                        na_values=NA_VALUES, skip_blank_lines=False)
    frame.columns = header
    lines = np.arange(len(frame)) + 2
    return _drop_empty(frame, lines, path.name)


def _read_xlsx(path: Path) -> RawTable:
    frame = pd.read_excel(path, dtype=object, na_values=NA_VALUES, keep_default_na=False)
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        raise DataFormatError(f"{path.name}:1: header has empty or merged cells ({len(unnamed)} "
                              "unnamed columns); keep exactly one header row with a name in "
                              "every column")
    frame.columns = [str(c).strip() for c in frame.columns]
    return _drop_empty(frame, np.arange(len(frame)) + 2, path.name)


def _read_stat(path: Path) -> RawTable:
    import pyreadstat  # optional and slow to import: only for SPSS/Stata files

    reader = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
    try:
        # Value labels become their text; user-missing codes (e.g. 98, 99) become missing.
        frame, _meta = reader(str(path), apply_value_formats=True, user_missing=False)
    except Exception as err:  # pyreadstat raises its own error types
        raise DataFormatError(f"{path.name}: cannot be read as {path.suffix} ({err})") from None
    return RawTable(frame, np.arange(len(frame)) + 1, path.name)


def _read_parquet(path: Path) -> RawTable:
    frame = pd.read_parquet(path)
    return RawTable(frame, np.arange(len(frame)) + 1, path.name)


_READERS = {".csv": _read_delimited, ".tsv": _read_delimited, ".txt": _read_delimited,
            ".xlsx": _read_xlsx, ".sav": _read_stat, ".dta": _read_stat,
            ".parquet": _read_parquet}


def read_raw(path) -> RawTable:
    """Read any supported file (str or Path) into a frame of raw values (not yet coerced)."""
    path = as_path(path, "path")
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise DataFormatError(f"{path.name}: unsupported file type {suffix!r}; use one of "
                              f"{', '.join(SUFFIXES)}")
    try:
        return reader(path)
    except DataFormatError:
        raise
    except Exception as err:  # a corrupt file of any kind: one line, not a traceback
        raise DataFormatError(f"{path.name}: cannot be read ({type(err).__name__}: {err})") \
            from None


def find_table(folder: Path, name: str) -> Path | None:
    """The one file in ``folder`` holding table ``name`` (any supported extension)."""
    hits = sorted(p for p in folder.iterdir()
                  if p.is_file() and p.stem.lower() == name and p.suffix.lower() in SUFFIXES)
    if len(hits) > 1:
        raise DataFormatError(f"{folder}: table '{name}' is in several files "
                              f"({', '.join(p.name for p in hits)}); keep one")
    return hits[0] if hits else None


def read_transcript(folder: Path, file: str) -> str:
    """The UTF-8 text of ``transcripts/<file>`` (a BOM is dropped; line ends are kept)."""
    path = folder / "transcripts" / file
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise DataFormatError(f"transcripts/{file}: cannot be read ({err.strerror})") from None
    try:
        return raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFormatError(f"transcripts/{file}: not UTF-8 at byte {err.start} "
                              f"(0x{raw[err.start]:02X}); save it as UTF-8 text") from None
