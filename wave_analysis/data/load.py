"""Read a WAVE export folder, validate it lazily, and return frozen dataclasses.

Each table is one file named after it (``participants.csv``, ``sms.parquet`` ...); formats are
chosen by extension and may be mixed: CSV/TSV (UTF-8, UTF-8 with BOM, or UTF-16 "Unicode text"),
XLSX, SPSS ``.sav``, Stata ``.dta`` and Parquet. Every problem in the folder is collected before
anything is raised, and each names the file, line, column, value, rule and how to fix it.

Reading follows the measured traps in ``shared/notes/loading.md``: ids stay strings, missing values
are an explicit list (``NA_VALUES``), duplicated or merged headers are rejected, dates must be ISO
(``YYYY-MM-DD``) unless the file format stores real dates, and encodings are never guessed as
latin-1.
"""

from __future__ import annotations

import csv
import difflib
import io as _io
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from wave_analysis.data.model import QualData, TrialData
from wave_analysis.data.schema import QUALITATIVE_TABLES, TRIAL_TABLES
from wave_analysis.design import ARMS
from wave_analysis.exceptions import DataFormatError, Problem, ValidationError

SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".sav", ".dta", ".parquet")
NA_VALUES = ["", "NA", "N/A", "n/a", "na", "NaN", "nan", "null", "NULL", "."]
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0"}
DICTIONARY_HINT = "see docs/data_dictionary.md"


# --- reading one file -------------------------------------------------------------------------

class _Table:
    """A raw table plus the line (or record) number of each row for messages."""

    def __init__(self, frame: pd.DataFrame, lines: np.ndarray, file: str):
        self.frame, self.lines, self.file = frame, lines, file


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


def _read_delimited(path: Path) -> _Table:
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
    frame = pd.read_csv(_io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                        na_values=NA_VALUES, skip_blank_lines=False)
    frame.columns = header
    lines = np.arange(len(frame)) + 2
    return _drop_empty(frame, lines, path.name)


def _drop_empty(frame: pd.DataFrame, lines: np.ndarray, name: str) -> _Table:
    keep = ~frame.isna().all(axis=1).to_numpy()
    return _Table(frame.loc[keep].reset_index(drop=True), lines[keep], name)


def _read_xlsx(path: Path) -> _Table:
    frame = pd.read_excel(path, dtype=object, na_values=NA_VALUES, keep_default_na=False)
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed:
        raise DataFormatError(f"{path.name}:1: header has empty or merged cells ({len(unnamed)} "
                              "unnamed columns); keep exactly one header row with a name in "
                              "every column")
    frame.columns = [str(c).strip() for c in frame.columns]
    return _drop_empty(frame, np.arange(len(frame)) + 2, path.name)


def _read_stat(path: Path) -> _Table:
    import pyreadstat

    reader = pyreadstat.read_sav if path.suffix == ".sav" else pyreadstat.read_dta
    try:
        # Value labels become their text; user-missing codes (e.g. 98, 99) become missing.
        frame, _meta = reader(str(path), apply_value_formats=True, user_missing=False)
    except Exception as err:  # pyreadstat raises its own error types
        raise DataFormatError(f"{path.name}: cannot be read as {path.suffix} ({err})") from None
    return _Table(frame, np.arange(len(frame)) + 1, path.name)


def read_raw(path: Path) -> _Table:
    """Read any supported file into a frame of raw values (not yet coerced)."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_delimited(path)
        if suffix == ".xlsx":
            return _read_xlsx(path)
        if suffix in (".sav", ".dta"):
            return _read_stat(path)
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            return _Table(frame, np.arange(len(frame)) + 1, path.name)
    except DataFormatError:
        raise
    except Exception as err:  # a corrupt file of any kind: one line, not a traceback
        raise DataFormatError(f"{path.name}: cannot be read ({type(err).__name__}: {err})") \
            from None
    raise DataFormatError(f"{path.name}: unsupported file type {suffix!r}; use one of "
                          f"{', '.join(SUFFIXES)}")


# --- coercion to the schema's types -----------------------------------------------------------

def _parse_column(values: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str]:
    """Return (parsed, bad mask, reason) for one column of raw values."""
    missing = values.isna()
    if kind in ("id", "str"):
        def as_text(v):
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            return str(v).strip()
        parsed = values.map(as_text, na_action="ignore").astype(object)
        parsed = parsed.where(parsed != "", None)
        return parsed, pd.Series(False, index=values.index), ""
    if kind in ("int", "float"):
        text = values.astype(str).str.strip()
        nums = pd.to_numeric(values.where(missing, text), errors="coerce")
        bad = nums.isna() & ~missing
        reason = "is not a number"
        if bad.any() and text[bad].str.fullmatch(r"-?[0-9]+,[0-9]+").any():
            reason = "is not a number (decimal comma? use '.' as the decimal point)"
        if kind == "int":
            frac = nums.notna() & (nums % 1 != 0)
            if frac.any() and not bad.any():
                reason = "is not a whole number"
            bad |= frac
            nums = nums.where(~bad).round().astype("Int64")
        return nums.where(~bad), bad, reason
    if kind == "date":
        return _parse_dates(values)
    if kind == "bool":
        words = values.map(lambda v: str(v).strip().lower(), na_action="ignore")
        parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
        parsed[words.isin(TRUE_WORDS)] = True
        parsed[words.isin(FALSE_WORDS)] = False
        bad = parsed.isna() & ~missing
        return parsed, bad, "is not true/false (use true, false, yes, no, 1 or 0)"
    raise ValueError(f"unknown column kind {kind!r}")


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    missing = values.isna()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    bad = pd.Series(False, index=values.index)
    is_stamp = pd.Series([not pd.isna(v) and hasattr(v, "year") for v in values],
                         index=values.index, dtype=bool)
    out[is_stamp] = pd.to_datetime(values[is_stamp]).astype("datetime64[ns]").dt.normalize()
    text = values[~is_stamp & ~missing].astype(str).str.strip()
    iso = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9:.]+)?")
    parsed = pd.to_datetime(text[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    out[parsed.index] = parsed
    bad[text.index] = ~iso | out[text.index].isna()
    return out, bad, "is not an ISO date (write dates as YYYY-MM-DD, e.g. 2023-06-15)"


def _coerce(table: _Table, schema: pa.DataFrameSchema,
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
        parsed, bad, reason = _parse_column(frame[name], column.metadata["kind"])
        for idx in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(table.file, name, int(table.lines[idx]),
                                    frame[name].iloc[idx], reason,
                                    f"correct the value ({column.description})"))
            skip.add((name, int(idx)))
        out[name] = parsed
    return out, skip


def _schema_problems(frame: pd.DataFrame, table: _Table, schema: pa.DataFrameSchema,
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


# --- folders ----------------------------------------------------------------------------------

def find_table(folder: Path, name: str) -> Path | None:
    """The one file in ``folder`` holding table ``name`` (any supported extension)."""
    hits = sorted(p for p in folder.iterdir()
                  if p.is_file() and p.stem.lower() == name and p.suffix.lower() in SUFFIXES)
    if len(hits) > 1:
        raise DataFormatError(f"{folder}: table '{name}' is in several files "
                              f"({', '.join(p.name for p in hits)}); keep one")
    return hits[0] if hits else None


def _load_tables(folder: Path, schemas: Mapping[str, pa.DataFrameSchema],
                 problems: list[Problem]) -> dict[str, tuple[pd.DataFrame, _Table]]:
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


def _check_folder(folder) -> Path:
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFormatError(f"{folder}: no such folder; pass the folder holding the export "
                              "(e.g. data/synthetic)")
    return folder


def _is_synthetic(folder: Path) -> bool:
    meta = folder / "dataset.json"
    if not meta.is_file():
        return False
    try:
        return bool(json.loads(meta.read_text("utf-8")).get("synthetic", False))
    except (ValueError, OSError):
        return False


def _unknown(child: tuple[pd.DataFrame, _Table], column: str, known: set, parent: str,
             ) -> list[Problem]:
    frame, table = child
    if column not in frame.columns:
        return []
    values = frame[column]
    bad = values.notna() & ~values.isin(known)
    return [Problem(table.file, column, int(table.lines[i]), values.iloc[i],
                    f"unknown id (not in {parent})", f"use an id listed in {parent} or add it "
                    "there") for i in np.flatnonzero(bad.to_numpy())]


def _date_before(child, column: str, participants: pd.DataFrame, what: str) -> list[Problem]:
    frame, table = child
    if column not in frame.columns or "participant_id" not in frame.columns:
        return []
    start = frame["participant_id"].map(
        participants.set_index("participant_id")["randomisation_date"].to_dict())
    bad = (frame[column] < start).fillna(False).to_numpy()
    return [Problem(table.file, column, int(table.lines[i]), str(frame[column].iloc[i].date()),
                    f"{what} before the participant's randomisation date "
                    f"({start.iloc[i].date()})", "check both dates")
            for i in np.flatnonzero(bad)]


def _trial_cross_checks(t: dict) -> list[Problem]:
    problems: list[Problem] = []
    if "practices" in t:
        known = set(t["practices"][0]["practice_id"].dropna())
        for name in ("participants", "screening"):
            if name in t:
                problems += _unknown(t[name], "practice_id", known, "practices")
    if "participants" not in t:
        return problems
    people = t["participants"][0]
    ids = set(people["participant_id"].dropna())
    for name in ("screening", "sms", "questionnaires", "vsw_contacts", "withdrawals"):
        if name in t:
            problems += _unknown(t[name], "participant_id", ids, "participants")
    if not {"participant_id", "randomisation_date"} <= set(people.columns):
        return problems
    people = people.dropna(subset=["participant_id"]).drop_duplicates("participant_id")
    for name, column, what in (("sms", "sent_date", "SMS sent"), ("sms", "reply_date",
                               "SMS reply"), ("questionnaires", "returned_date",
                               "questionnaire returned"), ("vsw_contacts", "contact_date",
                               "VSW contact")):
        if name in t:
            problems += _date_before(t[name], column, people, what)
    if "vsw_contacts" in t and "arm" in people.columns:
        frame, table = t["vsw_contacts"]
        arm = frame["participant_id"].map(people.set_index("participant_id")["arm"].to_dict())
        for i in np.flatnonzero((arm == "usual_care").to_numpy()):
            problems.append(Problem(table.file, "participant_id", int(table.lines[i]),
                                    frame["participant_id"].iloc[i],
                                    "VSW contact for a usual-care participant",
                                    "check the participant id or the allocation"))
    return problems


def load_trial(path) -> TrialData:
    """Read and validate the trial tables of an export folder; raise ``ValidationError`` with
    every problem found."""
    folder = _check_folder(path)
    problems: list[Problem] = []
    tables = _load_tables(folder, TRIAL_TABLES, problems)
    problems += _trial_cross_checks(tables)
    if problems:
        raise ValidationError(problems)
    frames = {name: frame.reset_index(drop=True) for name, (frame, _) in tables.items()}
    return TrialData(**frames, source=folder, synthetic=_is_synthetic(folder))


def _read_transcript(folder: Path, file: str) -> str:
    path = folder / "transcripts" / file
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DataFormatError(f"transcripts/{file}: not UTF-8 at byte {err.start} "
                              f"(0x{raw[err.start]:02X}); save it as UTF-8 text") from None


def _qual_checks(q: dict, folder: Path, people: pd.DataFrame | None,
                 practices: set | None) -> tuple[list[Problem], dict[str, str]]:
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    if "interviews" in q:
        frame, table = q["interviews"]
        for i, row in enumerate(frame.itertuples(index=False)):
            line = int(table.lines[i])
            group, pid = row.stakeholder_group, row.participant_id
            if group == "patient" and pd.isna(pid):
                problems.append(Problem(table.file, "participant_id", line, None,
                                        "patient interview without a trial participant id",
                                        "fill in the interviewee's participant_id"))
            if group != "patient" and not pd.isna(pid):
                problems.append(Problem(table.file, "participant_id", line, pid,
                                        f"a {group} interview carries a participant id",
                                        "leave participant_id empty for non-patients"))
            if people is not None and group == "patient" and not pd.isna(pid):
                arm = people.get(pid)
                if arm is None:
                    problems.append(Problem(table.file, "participant_id", line, pid,
                                            "unknown id (not in participants)",
                                            "use a randomised participant's id"))
                elif arm != ARMS[1]:
                    problems.append(Problem(table.file, "participant_id", line, pid,
                                            f"interviewed patient is in the {arm} arm",
                                            "only intervention-arm patients were interviewed; "
                                            "check the id"))
            if practices is not None and not pd.isna(row.practice_id) \
                    and row.practice_id not in practices:
                problems.append(Problem(table.file, "practice_id", line, row.practice_id,
                                        "unknown id (not in practices)",
                                        "use an id listed in practices"))
            if isinstance(row.transcript_file, str) and isinstance(row.interview_id, str):
                if not (folder / "transcripts" / row.transcript_file).is_file():
                    problems.append(Problem(table.file, "transcript_file", line,
                                            row.transcript_file, "transcript file not found",
                                            "put it in the transcripts/ folder"))
                    continue
                try:
                    texts[row.interview_id] = _read_transcript(folder, row.transcript_file)
                except DataFormatError as err:
                    problems.append(Problem(f"transcripts/{row.transcript_file}", None, None,
                                            None, str(err).split(": ", 1)[-1],
                                            "re-save the transcript as UTF-8"))
    if "codebook" in q:
        frame, table = q["codebook"]
        codes = set(frame["code_id"].dropna())
        problems += _unknown(q["codebook"], "parent_id", codes, "codebook code_id")
        for i in np.flatnonzero(((frame["level"] == "theme") & frame["parent_id"].notna())
                                .to_numpy()):
            problems.append(Problem(table.file, "parent_id", int(table.lines[i]),
                                    frame["parent_id"].iloc[i], "a theme cannot have a parent",
                                    "empty parent_id or change the level"))
    if "codings" in q:
        frame, table = q["codings"]
        if "codebook" in q:
            problems += _unknown(q["codings"], "code_id", set(q["codebook"][0]["code_id"]),
                                 "codebook")
        if "interviews" in q:
            problems += _unknown(q["codings"], "interview_id",
                                 set(q["interviews"][0]["interview_id"]), "interviews")
        length = frame["interview_id"].map({k: len(v) for k, v in texts.items()})
        for i, row in enumerate(frame.itertuples(index=False)):
            if pd.isna(row.start) or pd.isna(row.end):
                continue
            line = int(table.lines[i])
            if row.end <= row.start:
                problems.append(Problem(table.file, "end", line, int(row.end),
                                        f"end is not after start ({int(row.start)})",
                                        "end offsets are exclusive and must exceed start"))
            elif not pd.isna(length.iloc[i]) and row.end > length.iloc[i]:
                problems.append(Problem(table.file, "end", line, int(row.end),
                                        f"offset outside the transcript ({int(length.iloc[i])} "
                                        "characters)", "offsets count Unicode characters from "
                                        "0; re-export the codings"))
    return problems, texts


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
    table in the same folder when there is one.
    """
    folder = _check_folder(path)
    problems: list[Problem] = []
    tables = _load_tables(folder, QUALITATIVE_TABLES, problems)
    if trial is not None:
        arms = trial.participants.set_index("participant_id")["arm"].to_dict()
        practices = set(trial.practices["practice_id"])
    else:
        arms, practices = _participant_arms(folder)
    more, texts = _qual_checks(tables, folder, arms, practices)
    problems += more
    if problems:
        raise ValidationError(problems)
    frames = {name: frame.reset_index(drop=True) for name, (frame, _) in tables.items()}
    return QualData(**frames, transcripts=texts, source=folder, synthetic=_is_synthetic(folder))


def validate_folder(path) -> list[Problem]:
    """Every problem in a folder: trial tables when present, qualitative tables when present."""
    folder = _check_folder(path)
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
