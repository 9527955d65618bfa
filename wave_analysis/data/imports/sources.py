"""Read the sources a mapping declares into text frames with source line numbers.

Every value is text (ids, codes and numbers keep their exact spelling; an Excel or SPSS number
that is whole becomes ``"3"``, a date ``"2023-06-15"``), a source's ``missing_codes`` become
missing, and each row keeps the line of the file it came from so problems can point at it. A file
or column that cannot be read is a :class:`Problem`, collected with every other one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis.data.imports import redcap
from wave_analysis.data.imports.mapping import SourceSpec
from wave_analysis.data.read import NA_VALUES, RawTable, read_raw
from wave_analysis.exceptions import DataFormatError, Problem


@dataclass(frozen=True)
class SourceFrame:
    """One source read: text values (missing as NA), the file line of each row, and for REDCap
    the data dictionary and the record id field."""

    name: str
    kind: str
    file: str
    frame: pd.DataFrame
    lines: np.ndarray
    dictionary: redcap.RedcapDictionary | None = None
    id_field: str | None = None


def _text_column(values: pd.Series) -> pd.Series:
    """One column as text: whole floats without '.0', dates as ISO, NA kept."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").astype(object)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in (
            "string", "empty"):
        return values

    def one(v):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m-%d")
        return str(v)
    return values.map(one, na_action="ignore").astype(object)


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: _text_column(frame[c]) for c in frame.columns}, index=frame.index)


def _delimited(path: Path, separator: str, names: list[str] | None = None,
               na_values=tuple(NA_VALUES)) -> RawTable:
    """A delimited file read straight from disk (no decoded copy in memory: a REDCap records
    file can be hundreds of megabytes)."""
    if names is None:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = [h.strip() for h in next(csv.reader(fh, delimiter=separator), [])]
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            raise DataFormatError(f"{path.name}:1: duplicated column name(s) {', '.join(dupes)};"
                                  " rename them so every column is unique")
    try:
        frame = pd.read_csv(path, sep=separator, dtype=str, keep_default_na=False,
                            na_values=list(na_values), encoding="utf-8-sig",
                            header=None if names else "infer", names=names)
    except UnicodeDecodeError as err:
        raise DataFormatError(f"{path.name}: not UTF-8 (byte 0x{err.object[err.start]:02X} at "
                              f"{err.start}); export it as UTF-8 CSV") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    first = 1 if names else 2
    keep = ~frame.isna().all(axis=1).to_numpy()
    lines = np.arange(len(frame)) + first
    return RawTable(frame.loc[keep].reset_index(drop=True), lines[keep], path.name)


def _stat_codes(path: Path) -> RawTable:
    import pyreadstat  # optional and slow to import

    reader = pyreadstat.read_sav if path.suffix.lower() == ".sav" else pyreadstat.read_dta
    frame, _meta = reader(str(path), apply_value_formats=False, user_missing=False)
    return RawTable(frame, np.arange(len(frame)) + 1, path.name)


def read_file(path: Path, spec: SourceSpec, *, names: list[str] | None = None) -> RawTable:
    """Read one source file with the source's options (separator, sheet, value labels).
    REDCap records are comma-separated UTF-8 whose only missing value is an empty cell ("NA"
    in a text field is text)."""
    suffix = path.suffix.lower()
    try:
        if spec.kind == "redcap" and suffix == ".csv":
            table = _delimited(path, ",", names, na_values=("",))
        elif names is not None or (spec.get("separator") and suffix in (".csv", ".tsv", ".txt")):
            table = _delimited(path, spec.get("separator") or ",", names)
        elif spec.get("sheet") is not None and suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name=spec.get("sheet"), dtype=object,
                                  na_values=NA_VALUES, keep_default_na=False)
            frame.columns = [str(c).strip() for c in frame.columns]
            table = RawTable(frame, np.arange(len(frame)) + 2, path.name)
        elif spec.get("value_labels") is False and suffix in (".sav", ".dta"):
            table = _stat_codes(path)
        else:
            table = read_raw(path)
    except DataFormatError:
        raise
    except Exception as err:  # any unreadable file: one line naming it
        raise DataFormatError(f"{path.name}: cannot be read ({type(err).__name__}: {err})") \
            from None
    frame = as_text(table.frame)
    codes = list(spec.get("missing_codes") or ())
    for column in frame.columns if codes else ():  # column by column: no full-frame copies
        hit = frame[column].isin(codes)
        if hit.any():
            frame[column] = frame[column].mask(hit)
    return RawTable(frame, table.lines, table.file)


def source_path(source_dir: Path, spec: SourceSpec, key: str,
                problems: list[Problem]) -> Path | None:
    """The file named by ``sources.<name>.<key>``; a problem when it is not there."""
    name = str(spec.get(key))
    path = source_dir / name
    if not path.is_file():
        here = sorted(p.name for p in source_dir.iterdir() if p.is_file()) \
            if source_dir.is_dir() else []
        problems.append(Problem(name, None, None, None,
                                f"file not found in {source_dir} (sources.{spec.name}.{key})",
                                f"put the file there or correct sources.{spec.name}.{key}; "
                                f"files present: {', '.join(here) or 'none'}"))
        return None
    return path


def _header_line(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="", errors="replace") as fh:
        return [h.strip() for h in next(csv.reader(fh), [])]


def _read_redcap(source_dir: Path, spec: SourceSpec, problems: list[Problem]) -> SourceFrame:
    dictionary, names = None, None
    if spec.get("syntax"):
        path = source_path(source_dir, spec, "syntax", problems)
        if path is not None:
            names, dictionary = redcap.read_syntax(path, str(spec.get("syntax")))
    if spec.get("dictionary"):
        path = source_path(source_dir, spec, "dictionary", problems)
        if path is not None:
            dictionary = redcap.read_dictionary(path, str(spec.get("dictionary")))
    path = source_path(source_dir, spec, "records", problems)
    if path is None:
        return None
    file = str(spec.get("records"))
    header = names or _header_line(path)
    id_field = spec.get("id_field") or (next(iter(dictionary.fields), None) if dictionary
                                        else (header or [""])[0])
    wrong = redcap.header_problem(header, dictionary, str(id_field), file)
    if wrong is not None:  # checked before reading: label headers are often duplicated
        problems.append(wrong)
        return None
    table = read_file(path, spec, names=names)
    frame = table.frame
    if spec.get("values") == "labels" and dictionary is not None:
        frame, bad = redcap.to_codes(frame, table.lines, dictionary, file)
        problems += bad
    forms = dictionary.forms if dictionary else []
    events = spec.get("events")
    if isinstance(events, str):  # REDCap's events CSV: the labels are derived from it
        path = source_path(source_dir, spec, "events", problems)
        events = redcap.event_labels(path, events) if path is not None else None
    if redcap.EVENT in frame.columns and events:
        frame[redcap.EVENT] = redcap.normalise_names(frame[redcap.EVENT], [], events)
    if redcap.REPEAT_INSTRUMENT in frame.columns:
        frame[redcap.REPEAT_INSTRUMENT] = redcap.normalise_names(
            frame[redcap.REPEAT_INSTRUMENT], forms, spec.get("instruments"))
    problems += redcap.structure_problems(frame, table.lines, id_field, file)
    return SourceFrame(spec.name, "redcap", file, frame, table.lines, dictionary, id_field)


def read_source(source_dir: Path, spec: SourceSpec, problems: list[Problem]) -> SourceFrame | None:
    """Read one declared source; None (with the problems recorded) when it cannot be read."""
    try:
        if spec.kind == "redcap":
            return _read_redcap(source_dir, spec, problems)
        path = source_path(source_dir, spec, "file", problems)
        if path is None:
            return None
        table = read_file(path, spec)
        return SourceFrame(spec.name, spec.kind, str(spec.get("file")), table.frame, table.lines)
    except DataFormatError as err:
        file, _, reason = str(err).partition(": ")
        problems.append(Problem(file, None, None, None, reason or str(err),
                                f"re-export the file or correct sources.{spec.name}"))
        return None
