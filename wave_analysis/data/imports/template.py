"""``wave-analysis import --template SOURCE``: a starting mapping for an export folder.

The folder is inspected: a REDCap data dictionary (a CSV with "Variable / Field Name") and its
records file (or a stats-package bundle's syntax file and header-less CSV), tables already in the
project's format (copied), and other table files (``kind: table`` sources). Each project table is
matched to the forms whose names resemble it, each column to the field whose name or label is
closest (difflib), and each coded column's values to the choice labels (``Usual care`` ->
``usual_care``). Anything not matched with confidence is ``FILL_ME``, which the mapping loader
refuses until a person fills it in. Every source column is listed, so none is forgotten.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wave_analysis import _atomic
from wave_analysis.data.imports import redcap
from wave_analysis.data.imports.columns import allowed_values
from wave_analysis.data.imports.mapping import PLACEHOLDER
from wave_analysis.data.read import SUFFIXES, as_path, read_raw
from wave_analysis.data.schema import ALL_TABLES, QUALITATIVE_TABLES, TRIAL_TABLES
from wave_analysis.exceptions import ArgumentError, DataFormatError

# Other names teams give a column or value (matched as well as the project's own name).
_ALIASES = {
    "participant_id": ("trial id", "study id", "record id", "subject id", "patient id"),
    "randomisation_date": ("date randomised", "rand date", "date of randomisation"),
    "days_absent_baseline": ("days off", "days absent", "days off sick"),
    "reply_date": ("date replied", "reply date", "replied"),
    "6w": ("6 weeks", "six weeks", "6 week"), "6m": ("6 months", "six months", "6 month"),
}
_CUTOFF = 0.6  # difflib ratio below which a guess is left as FILL_ME
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_./-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _ratio(a: str, b: str) -> float:
    """Similarity of two names or labels, 0-1: every word of ``a`` found in ``b`` ("other" in
    "Other condition", "eq_vas" in "bl_eq_vas", or the other way round) scores 0.9 and up,
    else difflib's ratio."""
    a, b = _norm(a), _norm(b)
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    wa, wb = set(a.split()), set(b.split())
    return 0.9 + ratio / 10 if wa and wb and (wa <= wb or wb <= wa) else ratio


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class _Found:
    records: Path | None = None
    dictionary: Path | None = None
    syntax: Path | None = None
    tables: dict | None = None  # file name -> columns
    copies: tuple[str, ...] = ()
    design: tuple[str, ...] = ()  # REDCap project design downloads (events.csv, arms.csv ...)
    labels: bool = False  # the records hold labels ("CSV (labels)" export)


# Columns that mark REDCap's project design downloads (not data tables).
_DESIGN_COLUMNS = ({"unique_event_name"}, {"arm_num", "name"}, {"instrument_name"},
                   {"form_name", "custom_form_label"})


def _header(path: Path) -> list[str]:
    try:
        return [str(c) for c in read_raw(path).frame.columns]
    except DataFormatError:
        return []


def _inspect(folder: Path) -> _Found:
    found = _Found(tables={})
    copies = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in (".sps", ".do"):
            found.syntax = path
            continue
        if suffix not in SUFFIXES:
            continue
        cols = _header(path)
        if not cols or path.stem.upper().startswith("README"):
            continue  # not a table (a README, notes)
        if "Variable / Field Name" in cols or {"field_name", "form_name"} <= set(cols):
            found.dictionary = path
        elif redcap.EVENT in cols or "record_id" in cols[:1]:
            found.records = path
        elif path.stem.lower() in ALL_TABLES and set(cols) == set(ALL_TABLES[path.stem.lower()]
                                                                  .columns):
            copies.append(path.stem.lower())
        elif any(mark <= set(cols) for mark in _DESIGN_COLUMNS):
            found.design += (path.name,)
        else:
            found.tables[path.name] = cols
    found.copies = tuple(copies)
    if found.syntax is not None and found.records is None:
        names, _ = redcap.read_syntax(found.syntax, found.syntax.name)
        data = [p for p in found.tables if "NOHDRS" in p.upper()] or list(found.tables)[:1]
        if data:
            found.records = folder / data[0]
            found.tables.pop(data[0])
    return found


def _project(found: _Found):
    """(records columns, dictionary) of the REDCap source."""
    if found.syntax is not None and (found.dictionary is None):
        names, dictionary = redcap.read_syntax(found.syntax, found.syntax.name)
        return names, dictionary
    dictionary = redcap.read_dictionary(found.dictionary, found.dictionary.name) \
        if found.dictionary else None
    return _header(found.records), dictionary


# --- guesses ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Candidate:
    """A source column that could fill a project column."""

    name: str
    label: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (code, label)
    date: bool = False
    checkbox: bool = False
    date_format: str = "%Y-%m-%d"


def _best(target: str, options, key) -> tuple[object, float]:
    scored = [(o, max(_ratio(target, k) for k in key(o))) for o in options]
    return max(scored, key=lambda s: s[1], default=(None, 0.0))


def _codes(table: str, column: str, cand: _Candidate) -> dict[str, object] | None:
    if ALL_TABLES[table].columns[column].metadata["kind"] == "bool" and cand.choices:
        words = {"yes": True, "true": True, "checked": True, "no": False, "false": False}
        return {code: words.get(label.lower(), PLACEHOLDER) for code, label in cand.choices}
    allowed = allowed_values(table, column)
    if allowed is None or not cand.choices:
        return None
    out = {}
    for code, label in cand.choices:
        value, score = _best(label, allowed, lambda v: (str(v), *_ALIASES.get(str(v), ())))
        if score < _CUTOFF:
            value, score = _best(code, allowed, lambda v: (str(v),))
        out[code] = value if score >= _CUTOFF else PLACEHOLDER
    return out


def _date_format(values) -> str | None:
    """The first common format every (sampled) value parses with, else None."""
    sample = [str(v) for v in values if isinstance(v, str)][:200]
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d"):
        if sample and pd.to_datetime(pd.Series(sample), format=fmt, errors="coerce").notna().all():
            return fmt
    return None


def _assign(table: str, candidates: list[_Candidate]) -> dict[str, _Candidate]:
    """Project column -> source candidate: best pairs first, each candidate used once, dates
    only for date columns."""
    pairs = []
    for column, spec in ALL_TABLES[table].columns.items():
        is_date = spec.metadata["kind"] == "date"
        for cand in candidates:
            if cand.date != is_date:
                continue
            score = max(_ratio(name, k) for k in (cand.name, cand.name.split("_", 1)[-1],
                                                  cand.label or cand.name)
                        for name in (column, *_ALIASES.get(column, ())))
            if score >= _CUTOFF:
                pairs.append((score, column, cand))
    chosen: dict[str, _Candidate] = {}
    used: set[str] = set()
    for _score, column, cand in sorted(pairs, key=lambda p: -p[0]):
        if column not in chosen and cand.name not in used:
            chosen[column] = cand
            used.add(cand.name)
    return chosen


def _column_spec(table: str, column: str, cand: _Candidate | None, *, id_field: str | None,
                 events: list[str], repeating: bool) -> str:
    """The YAML text of one column's spec (flow style)."""
    if column == "participant_id" and id_field:
        return _scalar(id_field)
    if column == "fortnight" and repeating:
        return "{instance: true}"
    if column == "timepoint" and events:
        guesses = {e: next((t for t in ("6w", "6m") if t in e.replace("_", "")), PLACEHOLDER)
                   for e in events}
        return "{event: {" + ", ".join(f"{_scalar(e)}: {_scalar(v)}" for e, v in
                                       guesses.items()) + "}}"
    if cand is None:
        return PLACEHOLDER
    key = "checkbox" if cand.checkbox else "column"
    parts = [f"{key}: {_scalar(cand.name)}"]
    codes = _codes(table, column, cand)
    if codes is not None:
        parts.append("codes: {" + ", ".join(f"{json.dumps(k)}: {_scalar(v)}"
                                            for k, v in codes.items()) + "}")
    if cand.date and ALL_TABLES[table].columns[column].metadata["kind"] == "date":
        parts.append(f"date_format: {json.dumps(cand.date_format)}")
    if len(parts) == 1:
        return _scalar(cand.name)
    return "{" + ", ".join(parts) + "}"


def _redcap_candidates(dictionary: redcap.RedcapDictionary, columns: list[str],
                       forms: list[str]) -> list[_Candidate]:
    out = []
    for f in dictionary.fields.values():
        if f.form and f.form not in forms:
            continue
        checkbox = f.type == "checkbox"
        if not checkbox and f.name not in columns:
            continue
        choices = f.choices or redcap.FIXED_CHOICES.get(f.type, {})
        out.append(_Candidate(f.name, f.label, tuple(choices.items()), checkbox=checkbox,
                              date="date" in str(f.type) or _is_date_field(f)))
    return out


def _is_date_field(f: redcap.Field) -> bool:
    return "date" in f.name.lower() or "date" in f.label.lower()


def _form_tables(dictionary: redcap.RedcapDictionary, tables: list[str]) -> dict[str, list]:
    """Project table -> the forms it is made from: the form whose name is closest, else the
    forms no other table took (participants <- baseline, randomisation)."""
    forms = dictionary.forms
    chosen = {}
    for table in tables:
        form, score = _best(table.rstrip("s"), forms, lambda f: (f,))
        if score >= 0.75:
            chosen[table] = [form]
    taken = {f for fs in chosen.values() for f in fs}
    rest = [f for f in forms if f not in taken]
    return {t: chosen.get(t, rest) for t in tables}


def _events(records, dictionary, forms: list[str], repeating: bool) -> list[str]:
    """Events in which the forms hold data (REDCap's designations, seen from the data)."""
    if records is None or redcap.EVENT not in records.columns:
        return []
    fields = [c for c in records.columns[1:] if dictionary.form_of(c) in forms]  # not the id
    if not fields:
        return []
    rows = records[records[fields].notna().any(axis=1)]
    if redcap.REPEAT_INSTRUMENT in rows.columns:
        instrument = rows[redcap.REPEAT_INSTRUMENT]
        rows = rows[instrument.isin(forms) if repeating else instrument.isna()]
    return list(dict.fromkeys(rows[redcap.EVENT].dropna()))


def _table_lines(table: str, forms: list[str], records, dictionary, id_field) -> list[str]:
    repeating = bool(records is not None and redcap.REPEAT_INSTRUMENT in records.columns
                     and records[redcap.REPEAT_INSTRUMENT].isin(forms).any())
    events = _events(records, dictionary, forms, repeating)
    lines = [f"  {table}:", "    from: redcap"]
    rows = []
    if events:
        rows.append("event: " + (_scalar(events[0]) if len(events) == 1 else
                                 "[" + ", ".join(map(_scalar, events)) + "]"))
    if repeating:
        rows.append(f"instrument: {_scalar(forms[0])}")
    if rows:
        lines.append("    rows: {" + ", ".join(rows) + "}")
    lines.append(f"    columns:   # from form(s) {', '.join(forms) or '(none matched)'}")
    candidates = _redcap_candidates(dictionary, list(records.columns) if records is not None
                                    else [], forms)
    chosen = _assign(table, [c for c in candidates if c.name != id_field])
    for column in ALL_TABLES[table].columns:
        spec = _column_spec(table, column, chosen.get(column), id_field=id_field,
                            events=events, repeating=repeating)
        lines.append(f"      {column}: {spec}")
    return lines


def _source_name(file: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", Path(file).stem.lower()).strip("_") or "table"


def _file_candidates(path: Path) -> list[_Candidate]:
    """Columns of a table file, with their values as choices when few (codes or labels) and a
    date format when every value is a date in one."""
    frame = read_raw(path).frame
    out = []
    for col in frame.columns:
        values = frame[col].dropna()
        text = values.map(lambda v: v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else
                          (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)))
        fmt = _date_format(text)
        uniques = sorted(text.unique())
        choices = tuple((u, u) for u in uniques) if 0 < len(uniques) <= 20 and not fmt else ()
        out.append(_Candidate(str(col), "", choices, date=fmt is not None,
                              date_format=fmt or "%Y-%m-%d"))
    return out


def _file_table_lines(table: str, files: dict[str, list[_Candidate]]) -> list[str]:
    """A project table from the table file whose columns cover its columns best."""
    def coverage(cands):
        return sum(max((_ratio(c, k.name) for k in cands), default=0)
                   for c in ALL_TABLES[table].columns) / len(ALL_TABLES[table].columns)
    best = max(files, key=lambda f: coverage(files[f]), default=None)
    if best is None or coverage(files[best]) < 0.5:
        return [f"  {table}:", f"    from: {PLACEHOLDER}", "    columns:",
                *[f"      {c}: {PLACEHOLDER}" for c in ALL_TABLES[table].columns]]
    chosen = _assign(table, files[best])
    lines = [f"  {table}:", f"    from: {_source_name(best)}", "    columns:"]
    for column in ALL_TABLES[table].columns:
        spec = _column_spec(table, column, chosen.get(column), id_field=None, events=[],
                            repeating=False)
        lines.append(f"      {column}: {spec}")
    return lines


def _as_names(records: pd.DataFrame, found: _Found, folder: Path,
              dictionary) -> pd.DataFrame:
    """A label export's events and repeating instruments as unique names (for the guesses)."""
    status = [c for c in records.columns if str(c).endswith("_complete")]
    found.labels = bool(status) and records[status].isin(
        list(redcap.COMPLETE_STATUS.values())).any().any()
    if not found.labels:
        return records
    records = records.copy()
    if redcap.EVENT in records.columns and "events.csv" in found.design:
        labels = redcap.event_labels(folder / "events.csv", "events.csv")
        records[redcap.EVENT] = redcap.normalise_names(records[redcap.EVENT], [], labels)
    if redcap.REPEAT_INSTRUMENT in records.columns and dictionary is not None:
        records[redcap.REPEAT_INSTRUMENT] = redcap.normalise_names(
            records[redcap.REPEAT_INSTRUMENT], dictionary.forms, None)
    return records


def _source_lines(found: _Found, columns: list[str], dictionary) -> list[str]:
    lines = ["sources:"]
    if found.records is not None:
        lines += ["  redcap:", "    kind: redcap", f"    records: {_scalar(found.records.name)}"]
        if found.dictionary is not None:
            lines.append(f"    dictionary: {_scalar(found.dictionary.name)}")
        if found.syntax is not None:
            lines.append(f"    syntax: {_scalar(found.syntax.name)}")
        if found.labels:
            lines.append("    values: labels       # a 'CSV (labels)' export (form status as "
                         "words)")
            if "events.csv" in found.design:
                lines.append("    events: events.csv   # event labels -> unique event names")
        lines += ["    values: raw          # labels for a 'CSV (labels)' export"
                  if not found.labels else "    # design files: " + ", ".join(found.design),
                  "    missing_codes: []    # the project's missing-data codes, e.g. [\"-99\"]",
                  "    # records columns (field: form; label):"]
        for col in columns:
            hit = dictionary.field_of(col) if dictionary else None
            about = f"{hit.form}; {hit.label}" if hit else "REDCap"
            lines.append(f"    #   {col}: {about}"[:100])
    for file, cols in sorted((found.tables or {}).items()):
        lines += [f"  {_source_name(file)}:", "    kind: table", f"    file: {_scalar(file)}",
                  f"    # columns: {', '.join(cols)}"[:100]]
    return lines


def template_text(source_dir) -> str:
    """The starting mapping for the export in ``source_dir``, as YAML text with comments."""
    folder = as_path(source_dir, "source")
    if not folder.is_dir():
        raise ArgumentError(f"source must be an existing folder; got {str(folder)!r}")
    found = _inspect(folder)
    records = columns = dictionary = None
    if found.records is not None:
        columns, dictionary = _project(found)
        names = columns if found.syntax is not None and found.dictionary is None else None
        records = read_raw(found.records).frame if names is None else \
            pd.read_csv(found.records, header=None, names=names, dtype=str)
        records = _as_names(records, found, folder, dictionary)
    head = [f"# Starting mapping for {folder.name}, written by wave-analysis import --template.",
            f"# Replace every {PLACEHOLDER}, check every guess, then run:",
            f"#   wave-analysis import --mapping THIS_FILE {folder.name} OUTDIR",
            "# Keys: docs/import_mapping.md", "version: 1",
            f"description: {_scalar('Export in ' + folder.name)}"]
    lines = head + _source_lines(found, columns or [], dictionary)
    if found.copies:
        lines.append(f"copy: [{', '.join(found.copies)}]")
    lines.append("tables:")
    wanted = [t for t in TRIAL_TABLES if t not in found.copies]
    if dictionary is not None:
        id_field = columns[0] if columns else None
        plan = _form_tables(dictionary, wanted)
        for table in wanted:
            lines += _table_lines(table, plan[table], records, dictionary, id_field)
    else:
        files = {f: _file_candidates(folder / f) for f in sorted(found.tables or {})}
        for table in wanted:
            lines += _file_table_lines(table, files)
    missing_qual = [t for t in QUALITATIVE_TABLES if t not in found.copies]
    if missing_qual:
        lines.append(f"# not found in the folder (add to copy when you have them): "
                     f"{', '.join(missing_qual)}")
    return "\n".join(lines) + "\n"


def write_template(source_dir, out="mapping.yaml") -> Path:
    """Write :func:`template_text` to ``out`` (never over an existing file: it may hold edits)."""
    path = as_path(out, "out")
    if path.exists():
        raise ArgumentError(f"out must be a new file (it may hold your edits); got {str(path)!r} "
                            "which exists: remove it or give -o another name")
    _atomic.write_text(path, template_text(source_dir))
    return path
