"""Load a WAVE export folder: coerce every table to its schema's types, validate lazily, and
return the frozen ``TrialData``/``QualData`` containers.

Each table is one file named after it (``participants.csv``, ``sms.parquet`` ...), read by
:mod:`wave_analysis.data.read`. Dates must be ISO (``YYYY-MM-DD``) unless the file format stores
real dates. Every problem in the folder (unparsable values, schema checks, and the cross-table
rules of :mod:`wave_analysis.data.rules`) is collected before anything is raised, as one
:class:`~wave_analysis.exceptions.ValidationError` whose problems name the file, line, column,
value, rule and how to fix it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.data import rules
from wave_analysis.data.model import QualData, TrialData
from wave_analysis.data.provenance import check_folder, provenance
from wave_analysis.data.read import (
    SUFFIXES,
    RawTable,
    find_table,
    read_raw,
    read_transcript,
)
from wave_analysis.data.schema import QUALITATIVE_TABLES, TRIAL_TABLES
from wave_analysis.exceptions import DataFormatError, Problem, ValidationError

TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0"}
DICTIONARY_HINT = "see docs/data_dictionary.md"
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?"


# --- coercion to the schema's types -----------------------------------------------------------

def _stripped(values: pd.Series) -> pd.Series | None:
    """A column of text (str or missing, as CSV files are read) with surrounding white space
    removed, in pyarrow's compute kernels: a Python call per cell costs seconds on a
    million-row SMS table. None for any other column (Excel, SPSS and Parquet values)."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "string":
        return None
    arr = pc.utf8_trim_whitespace(pyarrow.array(values, type=pyarrow.string(), from_pandas=True))
    return pd.Series(arr.to_numpy(zero_copy_only=False), index=values.index, dtype=object) \
        .where(values.notna(), np.nan)


def _parse_text(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    stripped = _stripped(values)
    if stripped is not None:
        return stripped.where(stripped != "", None), pd.Series(False, index=values.index), ""

    def as_text(v):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()
    parsed = values.map(as_text, na_action="ignore").astype(object)
    parsed = parsed.where(parsed != "", None)
    return parsed, pd.Series(False, index=values.index), ""


def _parse_number(values: pd.Series, *, whole: bool) -> tuple[pd.Series, pd.Series, str]:
    missing = values.isna()
    text = _stripped(values)
    text = values.astype(str).str.strip() if text is None else text.fillna("nan")
    nums = pd.to_numeric(values.where(missing, text), errors="coerce")
    bad = nums.isna() & ~missing
    reason = "is not a number"
    if bad.any() and text[bad].str.fullmatch(r"-?[0-9]+,[0-9]+").any():
        reason = "is not a number (decimal comma? use '.' as the decimal point)"
    if whole:
        frac = nums.notna() & (nums % 1 != 0)
        if frac.any() and not bad.any():
            reason = "is not a whole number"
        bad |= frac
        nums = nums.where(~bad).round().astype("Int64")
    return nums.where(~bad), bad, reason


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    missing = values.isna()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    bad = pd.Series(False, index=values.index)
    stripped = _stripped(values)
    if stripped is None:
        is_stamp = pd.Series([not pd.isna(v) and hasattr(v, "year") for v in values],
                             index=values.index, dtype=bool)
        out[is_stamp] = pd.to_datetime(values[is_stamp]).astype("datetime64[ns]").dt.normalize()
        text = values[~is_stamp & ~missing].astype(str).str.strip()
        iso = text.str.fullmatch(_ISO_DATE)
        day = text[iso].str[:10]
    else:  # text only (a CSV): the same checks in pyarrow's kernels, no per-cell Python
        text = stripped[~missing]
        arr = pyarrow.array(text, type=pyarrow.string())
        iso = pd.Series(pc.match_substring_regex(arr, f"^(?:{_ISO_DATE})$")
                        .to_numpy(zero_copy_only=False), index=text.index, dtype=bool)
        day = pd.Series(pc.utf8_slice_codeunits(arr, 0, 10).to_numpy(zero_copy_only=False),
                        index=text.index, dtype=object)[iso]
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    out[parsed.index] = parsed
    bad[text.index] = ~iso | out[text.index].isna()
    return out, bad, "is not an ISO date (write dates as YYYY-MM-DD, e.g. 2023-06-15)"


def _parse_bool(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    words = values.map(lambda v: str(v).strip().lower(), na_action="ignore")
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[words.isin(TRUE_WORDS)] = True
    parsed[words.isin(FALSE_WORDS)] = False
    bad = parsed.isna() & ~values.isna()
    return parsed, bad, "is not true/false (use true, false, yes, no, 1 or 0)"


# column kind (schema metadata) -> parser returning (parsed, bad mask, reason)
_PARSERS = {
    "id": _parse_text, "str": _parse_text,
    "int": lambda v: _parse_number(v, whole=True), "float": lambda v: _parse_number(v, whole=False),
    "date": _parse_dates, "bool": _parse_bool,
}


def _coerce(table: RawTable, schema: pa.DataFrameSchema,
            problems: list[Problem]) -> tuple[pd.DataFrame, set[tuple[str, int]]]:
    """Coerce the columns the schema knows; report missing, unknown and unparsable ones."""
    frame = table.frame
    expected = list(schema.columns)
    for col in frame.columns:
        if col not in schema.columns:
            close = difflib.get_close_matches(col, expected, n=1)
            fix = f"rename it to '{close[0]}'" if close else "remove it or rename it"
            problems.append(Problem(table.file, col, None, None, "unexpected column",
                                    f"{fix} ({DICTIONARY_HINT})"))
    out = pd.DataFrame(index=frame.index)
    skip: set[tuple[str, int]] = set()
    for name, column in schema.columns.items():
        if name not in frame.columns:
            problems.append(Problem(table.file, name, None, None, "required column is missing",
                                    f"add a '{name}' column ({DICTIONARY_HINT})"))
            continue
        kind = check_one_of(f"{schema.name}.{name} kind", column.metadata["kind"], _PARSERS)
        parsed, bad, reason = _PARSERS[kind](frame[name])
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(table.file, name, int(table.lines[idx]),
                                    frame[name].iloc[idx], reason,
                                    f"correct the value ({column.description})"))
            skip.add((name, int(idx)))
        out[name] = parsed
    return out, skip


def _describe(check: str, column: str | None, schema: pa.DataFrameSchema) -> tuple[str, str]:
    desc = schema.columns[column].description if column in schema.columns else ""
    if check == "not_nullable":
        return "is empty but required", f"fill in the value ({desc})"
    if check == "field_uniqueness":
        return "is duplicated (must be unique)", "keep one row per id or give each row its own id"
    if check == "multiple_fields_uniqueness":
        cols = ", ".join(schema.unique or [])
        return f"duplicate combination of {cols}", f"keep one row per {cols}"
    return str(check), f"correct the value ({desc})"


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _schema_problems(frame: pd.DataFrame, table: RawTable, schema: pa.DataFrameSchema,
                     skip: set[tuple[str, int]]) -> list[Problem]:
    present = {k: v for k, v in schema.columns.items() if k in frame.columns}
    unique = [c for c in (schema.unique or []) if c in frame.columns]
    sub = pa.DataFrameSchema(present, unique=unique or None, name=schema.name)
    try:
        sub.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        idx = None if pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) else None
        if column is not None and idx is not None and (column, idx) in skip:
            continue  # already reported as unparsable
        line = None if idx is None else int(table.lines[idx])
        rule, fix = _describe(case.check, column, schema)
        problems.append(Problem(table.file, column, line, _plain(case.failure_case), rule, fix))
    return problems


# --- folders ----------------------------------------------------------------------------------

def _load_tables(folder: Path, schemas: Mapping[str, pa.DataFrameSchema],
                 problems: list[Problem]) -> dict[str, rules.Loaded]:
    loaded = {}
    for name, schema in schemas.items():
        try:
            path = find_table(folder, name)
        except DataFormatError as err:
            problems.append(Problem(name, None, None, None, str(err), "remove the extra files"))
            continue
        if path is None:
            problems.append(Problem(f"{name}.csv", None, None, None, "file is missing",
                                    f"add the '{name}' table to {folder} ({DICTIONARY_HINT})"))
            continue
        try:
            table = read_raw(path)
        except DataFormatError as err:
            problems.append(Problem(path.name, None, None, None, str(err).split(": ", 1)[-1],
                                    "re-export the file"))
            continue
        frame, skip = _coerce(table, schema, problems)
        problems.extend(_schema_problems(frame, table, schema, skip))
        loaded[name] = (frame, table)
    return loaded


def load_trial(path) -> TrialData:
    """Read and validate the trial tables of an export folder (str or Path); raise
    ``ValidationError`` with every problem found. ``synthetic`` is set only when
    :func:`~wave_analysis.data.provenance.provenance` verifies the folder."""
    folder = check_folder(path)
    problems: list[Problem] = []
    tables = _load_tables(folder, TRIAL_TABLES, problems)
    problems += rules.trial_problems(tables)
    if problems:
        raise ValidationError(problems)
    frames = {name: frame.reset_index(drop=True) for name, (frame, _) in tables.items()}
    return TrialData(**frames, source=folder, synthetic=provenance(folder).synthetic)


def _interviews(q: Mapping[str, rules.Loaded], folder: Path, *, arms, practices,
                problems: list[Problem]) -> dict[str, str]:
    """Check each interview row and read its transcript; returns interview_id -> text."""
    texts: dict[str, str] = {}
    frame, table = q["interviews"]
    for i, row in enumerate(frame.itertuples(index=False)):
        line = int(table.lines[i])
        problems += rules.interview_problems(row, table.file, line, arms=arms,
                                             practices=practices)
        if not (isinstance(row.transcript_file, str) and isinstance(row.interview_id, str)):
            continue
        if not (folder / "transcripts" / row.transcript_file).is_file():
            problems.append(Problem(table.file, "transcript_file", line, row.transcript_file,
                                    "transcript file not found",
                                    "put it in the transcripts/ folder"))
            continue
        try:
            texts[row.interview_id] = read_transcript(folder, row.transcript_file)
        except DataFormatError as err:
            problems.append(Problem(f"transcripts/{row.transcript_file}", None, None, None,
                                    str(err).split(": ", 1)[-1], "re-save the transcript as UTF-8"))
    return texts


def _participant_arms(folder: Path) -> tuple[dict | None, set | None]:
    """Arms and practice ids from the same folder's trial tables, for the cross-table rules."""
    arms = practices = None
    for name, target in (("participants", "arms"), ("practices", "practices")):
        try:
            path = find_table(folder, name)
            if path is None:
                continue
            problems: list[Problem] = []
            frame, _ = _coerce(read_raw(path), TRIAL_TABLES[name], problems)
        except DataFormatError:
            continue
        if target == "arms" and {"participant_id", "arm"} <= set(frame.columns):
            arms = frame.set_index("participant_id")["arm"].to_dict()
        if target == "practices" and "practice_id" in frame.columns:
            practices = set(frame["practice_id"].dropna())
    return arms, practices


def load_qualitative(path, *, trial: TrialData | None = None) -> QualData:
    """Read and validate interviews, codebook, codings and transcripts/ of an export folder.

    Patients' trial ids are checked against ``trial`` when given, else against the participants
    table in the same folder when there is one. ``synthetic`` is set as by ``load_trial``.
    """
    folder = check_folder(path)
    check_argument(trial is None or isinstance(trial, TrialData), "trial",
                   "a TrialData (from load_trial) or None", type(trial).__name__)
    problems: list[Problem] = []
    tables = _load_tables(folder, QUALITATIVE_TABLES, problems)
    if trial is not None:
        arms = trial.participants.set_index("participant_id")["arm"].to_dict()
        practices = set(trial.practices["practice_id"])
    else:
        arms, practices = _participant_arms(folder)
    texts = {}
    if "interviews" in tables:
        texts = _interviews(tables, folder, arms=arms, practices=practices, problems=problems)
    if "codebook" in tables:
        problems += rules.codebook_problems(tables["codebook"])
    if "codings" in tables:
        problems += rules.coding_problems(tables, texts)
    if problems:
        raise ValidationError(problems)
    frames = {name: frame.reset_index(drop=True) for name, (frame, _) in tables.items()}
    return QualData(**frames, transcripts=texts, source=folder,
                    synthetic=provenance(folder).synthetic)


def validate_folder(path) -> list[Problem]:
    """Every problem in a folder: trial tables when present, qualitative tables when present."""
    folder = check_folder(path)
    problems: list[Problem] = []
    stems = {p.stem.lower() for p in folder.iterdir() if p.suffix.lower() in SUFFIXES}
    has_trial = bool(stems & set(TRIAL_TABLES))
    has_qual = bool(stems & set(QUALITATIVE_TABLES))
    if not (has_trial or has_qual):
        raise DataFormatError(f"{folder}: no WAVE tables found (expected files such as "
                              "participants.csv or interviews.csv)")
    for loader in ([load_trial] if has_trial else []) + ([load_qualitative] if has_qual else []):
        try:
            loader(folder)
        except ValidationError as err:
            problems += err.problems
    return problems
