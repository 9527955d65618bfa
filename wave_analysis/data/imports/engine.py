"""Apply a mapping to an export folder: read every source, build every table, validate the result
with the project's own loader, and only then write the output folder (atomically).

Nothing is written when anything fails: every problem of every stage (a missing file or column,
an unmapped code, a date off its format, duplicate REDCap rows, a schema or cross-table rule the
built tables break) is collected first and raised as one ``ValidationError`` whose problems point
at the source file, line, column and value. The built tables are validated by
``data.load.validate_folder`` inside the staging folder of ``_atomic.replace_folder``, so a folder
that appears at ``out_dir`` has passed the same checks as ``wave-analysis validate``.
"""

from __future__ import annotations

import shutil
import string
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis import _atomic
from wave_analysis.data.imports import redcap
from wave_analysis.data.imports.columns import Context, build_column
from wave_analysis.data.imports.log_source import SmsBuilt, sms_table
from wave_analysis.data.imports.mapping import ImportMapping, RowSpec, TableSpec, load_mapping
from wave_analysis.data.imports.report import Dropped, ImportReport, Incomplete
from wave_analysis.data.imports.sources import SourceFrame, read_source
from wave_analysis.data.load import validate_folder
from wave_analysis.data.read import as_path, find_table, read_raw
from wave_analysis.data.schema import ALL_TABLES
from wave_analysis.data.write import csv_text
from wave_analysis.exceptions import ArgumentError, Problem, ValidationError

REPORT_MD = "import_report.md"
REPORT_JSON = "import_report.json"
REVIEW_FILE = "sms_review.csv"


@dataclass(frozen=True)
class BuiltTable:
    """An output table, the source line of each of its rows and the source column of each of its
    columns (to point the loader's findings back at the export)."""

    name: str
    frame: pd.DataFrame
    file: str
    lines: np.ndarray | None
    origins: dict


@dataclass
class _Run:
    mapping: ImportMapping
    source_dir: Path
    problems: list
    sources: dict
    dropped: list
    incomplete: list
    codes: dict
    notes: list


# --- rows -------------------------------------------------------------------------------------

def _select(run: _Run, table: str, rows: RowSpec, src: SourceFrame) -> np.ndarray:
    frame = src.frame
    mask = np.ones(len(frame), dtype=bool)

    if rows.events is not None:
        if redcap.EVENT not in frame.columns:
            run.problems.append(Problem(src.file, redcap.EVENT, None, None,
                                        f"column not found (tables.{table}.rows.event)",
                                        "a classic (non-longitudinal) project has no events: "
                                        "remove rows.event"))
            return mask & False
        unseen = sorted(set(rows.events) - set(frame[redcap.EVENT].dropna().unique()))
        # an event nobody has reached yet (an early data cut) is a note, not an error
        run.notes += [f"{table}: no rows yet for event {e} in {src.file}" for e in unseen]
        mask &= frame[redcap.EVENT].isin(rows.events).to_numpy()
    if src.kind == "redcap" and redcap.REPEAT_INSTRUMENT in frame.columns:
        instrument = frame[redcap.REPEAT_INSTRUMENT]
        if rows.instrument is None:
            mask &= instrument.isna().to_numpy()
        else:
            forms = src.dictionary.forms if src.dictionary else []
            if forms and rows.instrument not in forms:
                run.problems.append(Problem(
                    src.file, redcap.REPEAT_INSTRUMENT, None, rows.instrument,
                    f"not a form of the data dictionary (tables.{table}.rows.instrument)",
                    f"use one of {', '.join(forms)}"))
            elif not (instrument == rows.instrument).any():
                run.notes.append(f"{table}: no {rows.instrument} instances yet in {src.file}")
            mask &= (instrument == rows.instrument).to_numpy()
    for column, values in rows.where.items():
        if column not in frame.columns:
            run.problems.append(Problem(src.file, column, None, None,
                                        f"column not found (tables.{table}.rows.where)",
                                        f"name a column of {src.file}"))
            continue
        mask &= frame[column].isin(values).to_numpy()
    return mask


def _data_fields(spec: TableSpec, frame: pd.DataFrame, id_field: str | None) -> list[str]:
    """Source data columns the table reads (the record id and REDCap's own columns excluded)."""
    fields = []
    for col in spec.columns.values():
        if col.kind == "column":
            fields.append(str(col.value))
        elif col.kind == "template":
            fields += [f for _, f, _, _ in string.Formatter().parse(str(col.value)) if f]
        elif col.kind == "checkbox":
            fields += [c for c in frame.columns if str(c).startswith(f"{col.value}___")]
    skip = {id_field, *redcap.STRUCTURAL}
    return [f for f in dict.fromkeys(fields) if f in frame.columns and f not in skip]


def _needed(spec: TableSpec, src: SourceFrame, fields: list[str]) -> list[str]:
    """The source columns a table reads (copying only these keeps a million-row instrument's
    selection small)."""
    frame = src.frame
    forms = {src.dictionary.form_of(f) for f in fields} if src.dictionary else set()
    extra = [src.id_field, *redcap.STRUCTURAL, *(f"{form}_complete" for form in forms if form)]
    extra += [str(c.value) for c in spec.columns.values() if c.kind == "column"]
    extra += list(spec.rows.where)
    return [c for c in frame.columns if c in set(fields) | set(extra)]


def _incomplete(run: _Run, table: str, rows: pd.DataFrame, src: SourceFrame,
                fields: list[str]) -> None:
    """Count kept rows whose form is not marked Complete: reported, never dropped."""
    forms = dict.fromkeys(src.dictionary.form_of(f) for f in fields) if src.dictionary else {}
    for form in filter(None, forms):
        status = rows.get(f"{form}_complete")
        if status is None:
            continue
        for code, n in status.value_counts(sort=False).sort_index().items():
            if code != "2":
                label = redcap.COMPLETE_STATUS.get(code, f"status {code!r}")
                run.incomplete.append(Incomplete(table, form, f"{label} ({code})", int(n)))


# --- tables -----------------------------------------------------------------------------------

def _build(run: _Run, spec: TableSpec, src: SourceFrame) -> BuiltTable | None:
    mask = _select(run, spec.name, spec.rows, src)
    fields = _data_fields(spec, src.frame, src.id_field)
    rows = src.frame.loc[mask, _needed(spec, src, fields)]
    # REDCap writes a row for every event a record has, whatever the form; a repeating
    # instance exists only once saved, so only non-repeating rows without data are dropped
    if src.kind == "redcap" and fields and spec.rows.instrument is None:
        has_data = rows[fields].notna().any(axis=1).to_numpy()
        if not has_data.all():
            run.dropped.append(Dropped(spec.name, "no data in the mapped fields "
                                       f"({', '.join(fields[:4])}{' ...' * (len(fields) > 4)})",
                                       int((~has_data).sum())))
            mask[np.flatnonzero(mask)[~has_data]] = False
            rows = rows.loc[has_data]
    ctx = Context(spec.name, src, rows, src.lines[mask])
    out, origins = {}, {}
    for name in ALL_TABLES[spec.name].columns:
        built = build_column(ctx, name, spec.columns[name])
        if built is not None:
            out[name] = built.values
            origins[name] = built.origin
    run.problems += ctx.problems
    run.codes.update(ctx.codes_used)
    if src.kind == "redcap":
        _incomplete(run, spec.name, rows, src, fields)
    if len(out) < len(spec.columns):
        return None
    frame = pd.DataFrame(out).reset_index(drop=True)
    for name, column in ALL_TABLES[spec.name].columns.items():
        values = frame[name]
        if column.metadata["kind"] == "bool" and values.map(type).isin([bool, type(None)]).all():
            frame[name] = values.astype("boolean")  # written true/false, as the loader writes
    return BuiltTable(spec.name, frame, src.file, ctx.lines, origins)


def _copies(run: _Run) -> dict[str, Path]:
    found = {}
    for name in run.mapping.copy:
        path = find_table(run.source_dir, name)
        if path is None:
            run.problems.append(Problem(f"{name}.csv", None, None, None,
                                        f"file not found in {run.source_dir} (copy: {name})",
                                        f"put the {name} table there (any supported format) "
                                        "or remove it from copy"))
        else:
            found[name] = path
    return found


def _translate(problems: list[Problem], built: dict[str, BuiltTable]) -> list[Problem]:
    """The loader's findings on the written tables, pointed back at the source rows."""
    by_file = {f"{t.name}.csv": t for t in built.values()}
    out = []
    for p in problems:
        table = by_file.get(p.file)
        if table is None or table.lines is None:
            out.append(p)
            continue
        origin = table.origins.get(p.column) or p.column
        row = None if p.row is None else int(table.lines[p.row - 2])
        where = f"{table.name}.{p.column}" if p.column else table.name
        out.append(Problem(table.file, origin, row, p.value, f"{p.rule} [{where}]", p.fix))
    return out


def _participants(built: dict[str, BuiltTable], copies: dict[str, Path]) -> pd.DataFrame | None:
    """Participant ids and randomisation dates (for the SMS log's fortnights)."""
    if "participants" in built:
        frame = built["participants"].frame[["participant_id", "randomisation_date"]]
    elif "participants" in copies:
        frame = read_raw(copies["participants"]).frame[["participant_id", "randomisation_date"]]
    else:
        return None
    dates = pd.to_datetime(frame["randomisation_date"], format="%Y-%m-%d", errors="coerce")
    return pd.DataFrame({"participant_id": frame["participant_id"].astype(object),
                         "randomisation_date": dates})


def _write(out_dir: Path, built: dict[str, BuiltTable], copies: dict[str, Path],
           report: ImportReport, sms: SmsBuilt | None, source_dir: Path) -> None:
    def fill(staging: Path) -> None:
        for name, table in built.items():
            (staging / f"{name}.csv").write_text(csv_text(table.frame), encoding="utf-8",
                                                 newline="")
        for path in copies.values():
            shutil.copy2(path, staging / path.name)
        if "interviews" in copies and (source_dir / "transcripts").is_dir():
            shutil.copytree(source_dir / "transcripts", staging / "transcripts")
        problems = validate_folder(staging)
        if problems:
            raise ValidationError(_translate(problems, built))
        if sms is not None:
            (staging / REVIEW_FILE).write_text(sms.review_csv, encoding="utf-8", newline="")
        (staging / REPORT_MD).write_text(report.to_markdown(), encoding="utf-8", newline="")
        (staging / REPORT_JSON).write_text(report.to_json(), encoding="utf-8", newline="")

    _atomic.replace_folder(out_dir, fill)


def _check_dirs(source_dir, out_dir) -> tuple[Path, Path]:
    source = as_path(source_dir, "source_dir")
    out = as_path(out_dir, "out_dir")
    if not source.is_dir():
        raise ArgumentError(f"source_dir must be an existing folder; got {str(source)!r}")
    if out.resolve() == source.resolve() or source.resolve() in out.resolve().parents:
        raise ArgumentError(f"out_dir must be outside the source folder (the raw export is "
                            f"never modified); got {str(out)!r}")
    return source, out


def import_export(source_dir, mapping, out_dir) -> ImportReport:
    """Import a data-capture export folder with a mapping (path or shipped name) into a
    schema-valid folder ``out_dir``; raise ``ValidationError`` (every problem) or ``ConfigError``
    (a bad mapping) without writing anything."""
    source, out = _check_dirs(source_dir, out_dir)
    spec = load_mapping(mapping)
    run = _Run(spec, source, [], {}, [], [], {}, [])
    for name in dict.fromkeys(t.source for t in spec.tables.values()):
        run.sources[name] = read_source(source, spec.sources[name], run.problems)
    built: dict[str, BuiltTable] = {}
    log_tables = [t for t in spec.tables.values() if spec.sources[t.source].kind == "sms_log"]
    for table in spec.tables.values():
        src = run.sources[table.source]
        if src is not None and table not in log_tables:
            result = _build(run, table, src)
            if result is not None:
                built[table.name] = result
    copies = _copies(run)
    sms = None
    for table in log_tables:
        src = run.sources[table.source]
        if src is not None:
            sms = sms_table(src, spec.sources[table.source], _participants(built, copies),
                            source, run.problems)
        if sms is not None:
            built["sms"] = BuiltTable("sms", sms.table, src.file, None, {})
    if run.problems:
        raise ValidationError(run.problems)
    report = ImportReport(
        mapping=spec.file, source=str(source), out_dir=str(out),
        rows_read={s.file: len(s.frame) for s in run.sources.values()},
        rows_written={name: len(t.frame) for name, t in built.items()},
        codes={f"{t}.{c}": tuple((code, value, n) for (code, value), n in counts.items())
               for (t, c), counts in run.codes.items()},
        dropped=tuple(run.dropped), incomplete=tuple(run.incomplete),
        copied=tuple(copies), notes=tuple(run.notes), sms=None if sms is None else sms.summary)
    _write(out, built, copies, report, sms, source)
    return report
