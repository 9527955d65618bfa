"""Load and check an import mapping (YAML, version 1): where each column of each project table
comes from in a data-capture export. ``docs/import_mapping.md`` documents every key.

Every problem in the file is collected before one :class:`~wave_analysis.exceptions.ConfigError`
is raised: unknown keys (with the nearest valid key, difflib), tables or columns the schema does
not know, sources that are not declared, and column specs that are not exactly one kind. YAML is
read with YAML 1.2 booleans (only ``true``/``false``), so a code or label such as ``yes``, ``no``
or ``on`` stays text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from wave_analysis.data.schema import ALL_TABLES
from wave_analysis.exceptions import ConfigError

VERSION = 1
SOURCE_KINDS = ("redcap", "table", "sms_log")
VALUE_MODES = ("raw", "labels")
# A column spec is exactly one of these, plus optional modifiers.
COLUMN_KINDS = ("column", "constant", "template", "checkbox", "instance", "event")
MODIFIERS = ("codes", "date_format", "missing")
SMS_LOG_FIELDS = ("message_id", "participant_id", "direction", "timestamp", "text")
PLACEHOLDER = "FILL_ME"  # what --template leaves where it could not guess

_TOP_KEYS = ("version", "description", "sources", "copy", "tables")
_COMMON_SOURCE_KEYS = ("kind", "missing_codes")
_SOURCE_KEYS = {
    "redcap": ("records", "dictionary", "syntax", "values", "events", "instruments", "id_field"),
    "table": ("file", "separator", "sheet", "value_labels"),
    "sms_log": ("file", "columns", "directions", "timestamp_format", "overrides", "separator"),
}
_REQUIRED_SOURCE_KEYS = {"redcap": ("records",), "table": ("file",),
                         "sms_log": ("file", "columns", "timestamp_format")}
_TABLE_KEYS = ("from", "rows", "columns")
_ROW_KEYS = ("event", "instrument", "where")


@dataclass(frozen=True)
class ColumnSpec:
    """How one output column is made: ``kind`` (one of ``COLUMN_KINDS``) and its ``value``."""

    kind: str
    value: object
    codes: Mapping[str, object] | None = None
    date_format: str | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowSpec:
    """Which source rows make the table's rows. ``events`` None means every event;
    ``instrument`` None means the non-repeating rows only."""

    events: tuple[str, ...] | None = None
    instrument: str | None = None
    where: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableSpec:
    name: str
    source: str
    rows: RowSpec
    columns: Mapping[str, ColumnSpec]


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    options: Mapping[str, object]

    def get(self, key: str, default=None):
        return self.options.get(key, default)


@dataclass(frozen=True)
class ImportMapping:
    """A checked mapping file."""

    file: str
    description: str
    sources: Mapping[str, SourceSpec]
    copy: tuple[str, ...]
    tables: Mapping[str, TableSpec]


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader whose booleans are YAML 1.2's (true/false only): 'yes', 'no', 'on' stay text."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def shipped_mappings() -> dict[str, Path]:
    """Name -> path of the mappings shipped in ``wave_analysis/data/imports/mappings/``."""
    folder = resources.files("wave_analysis.data.imports") / "mappings"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def mapping_path(mapping) -> Path:
    """A mapping file path, or the path of a shipped mapping given by name (``redcap_wave``)."""
    path = Path(mapping)
    if path.is_file():
        return path
    shipped = shipped_mappings()
    if str(mapping) in shipped:
        return shipped[str(mapping)]
    close = difflib.get_close_matches(str(mapping), list(shipped), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ConfigError(f"{mapping}: mapping file not found; {hint}give a path to a mapping YAML "
                      f"or a shipped mapping name ({', '.join(sorted(shipped))})")


def _nearest(key: str, valid) -> str:
    close = difflib.get_close_matches(str(key), list(valid), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else f" (valid keys: {', '.join(valid)})"


def _keys(node, valid, where: str, problems: list[str]) -> dict:
    """``node`` as a dict; an unknown key is a problem naming its place and the nearest key."""
    if not isinstance(node, dict):
        problems.append(f"{where}: must be a mapping of key: value; got {node!r}")
        return {}
    for key in node:
        if key not in valid:
            problems.append(f"{where}: unknown key '{key}'{_nearest(key, valid)}")
    return {k: v for k, v in node.items() if k in valid}


def _text_map(node, where: str, problems: list[str]) -> dict[str, object]:
    """A code map with text keys (YAML may read ``1:`` as a number)."""
    if not isinstance(node, dict):
        problems.append(f"{where}: must be a mapping of source value: project value; got "
                        f"{node!r}")
        return {}
    return {_text(k): v for k, v in node.items()}


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _texts(value, where: str, problems: list[str]) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str | int | float) for v in items):
        problems.append(f"{where}: must be a value or a list of values; got {value!r}")
        return ()
    return tuple(_text(v) for v in items)


# --- sources ----------------------------------------------------------------------------------

def _source(name: str, node, problems: list[str]) -> SourceSpec | None:
    where = f"sources.{name}"
    kind = node.get("kind") if isinstance(node, dict) else None
    if kind not in SOURCE_KINDS:
        problems.append(f"{where}.kind: must be one of {', '.join(SOURCE_KINDS)}; got {kind!r}")
        return None
    opts = _keys(node, _COMMON_SOURCE_KEYS + _SOURCE_KEYS[kind], where, problems)
    for key in _REQUIRED_SOURCE_KEYS[kind]:
        if key not in opts:
            problems.append(f"{where}: '{key}' is required for a {kind} source")
    if "missing_codes" in opts:
        opts["missing_codes"] = _texts(opts["missing_codes"], f"{where}.missing_codes", problems)
    if kind == "redcap":
        _redcap_options(opts, where, problems)
    if kind == "sms_log":
        _sms_log_options(opts, where, problems)
    return SourceSpec(name, kind, opts)


def _redcap_options(opts: dict, where: str, problems: list[str]) -> None:
    values = opts.setdefault("values", "raw")
    if values not in VALUE_MODES:
        problems.append(f"{where}.values: must be raw or labels; got {values!r}")
    if values == "labels" and not (opts.get("dictionary") or opts.get("syntax")):
        problems.append(f"{where}: a label export (values: labels) needs its data dictionary to "
                        "turn labels back into codes; add 'dictionary: <the project's data "
                        "dictionary CSV>'")
    for key in ("events", "instruments"):
        if key in opts and not (key == "events" and isinstance(opts[key], str)):
            opts[key] = _text_map(opts[key], f"{where}.{key}", problems)


def _sms_log_options(opts: dict, where: str, problems: list[str]) -> None:
    cols = opts.get("columns")
    if isinstance(cols, dict):
        for key in cols:
            if key not in SMS_LOG_FIELDS:
                problems.append(f"{where}.columns: unknown key '{key}'"
                                f"{_nearest(key, SMS_LOG_FIELDS)}")
        for key in ("participant_id", "direction", "timestamp", "text"):
            if key not in cols:
                problems.append(f"{where}.columns: '{key}' is required (the log's column for it)")
    elif cols is not None:
        problems.append(f"{where}.columns: must map {', '.join(SMS_LOG_FIELDS)} to the log's "
                        f"column names; got {cols!r}")
    if "directions" in opts:
        opts["directions"] = _text_map(opts["directions"], f"{where}.directions", problems)
        bad = sorted({str(v) for v in opts["directions"].values()} - {"out", "in"})
        if bad:
            problems.append(f"{where}.directions: values must be 'out' or 'in'; got "
                            f"{', '.join(bad)}")


# --- tables -----------------------------------------------------------------------------------

def _column(table: str, name: str, node, problems: list[str]) -> ColumnSpec | None:
    where = f"tables.{table}.columns.{name}"
    if node == PLACEHOLDER or node is None:
        problems.append(f"{where}: not filled in (write the source column's name, or "
                        "{constant: null} when the source has no such data)")
        return None
    if isinstance(node, str):
        node = {"column": node}
    spec = _keys(node, COLUMN_KINDS + MODIFIERS, where, problems)
    kinds = [k for k in COLUMN_KINDS if k in spec]
    if len(kinds) != 1:
        problems.append(f"{where}: give exactly one of {', '.join(COLUMN_KINDS)}; got "
                        f"{', '.join(kinds) or 'none'}")
        return None
    kind, value = kinds[0], spec[kinds[0]]
    if value == PLACEHOLDER:
        problems.append(f"{where}.{kind}: not filled in (replace {PLACEHOLDER})")
    if kind == "event":
        value = _text_map(value, f"{where}.event", problems)
    if kind in ("column", "template", "checkbox") and not isinstance(value, str):
        problems.append(f"{where}.{kind}: must be text; got {value!r}")
    codes = spec.get("codes")
    if codes is not None:
        codes = _text_map(codes, f"{where}.codes", problems)
        if PLACEHOLDER in codes.values():
            problems.append(f"{where}.codes: {PLACEHOLDER} left for "
                            f"{', '.join(k for k, v in codes.items() if v == PLACEHOLDER)}")
    missing = _texts(spec["missing"], f"{where}.missing", problems) if "missing" in spec else ()
    return ColumnSpec(kind, value, codes, spec.get("date_format"), missing)


def _rows(table: str, node, problems: list[str]) -> RowSpec:
    where = f"tables.{table}.rows"
    spec = _keys(node or {}, _ROW_KEYS, where, problems)
    events = _texts(spec["event"], f"{where}.event", problems) if "event" in spec else None
    where_map = {}
    given = spec.get("where") or {}
    for col, value in _keys(given, list(given) if isinstance(given, dict) else [],
                            f"{where}.where", problems).items():
        where_map[str(col)] = _texts(value, f"{where}.where.{col}", problems)
    instrument = spec.get("instrument")
    return RowSpec(events, None if instrument is None else str(instrument), where_map)


def _table(name: str, node, sources: Mapping[str, SourceSpec],
           problems: list[str]) -> TableSpec | None:
    where = f"tables.{name}"
    spec = _keys(node, _TABLE_KEYS, where, problems)
    source = spec.get("from")
    if source not in sources:
        problems.append(f"{where}.from: {source!r} is not a declared source"
                        f"{_nearest(source, list(sources))}")
        return None
    if sources[source].kind == "sms_log":
        if name != "sms" or "columns" in spec or "rows" in spec:
            problems.append(f"{where}: an sms_log source makes the 'sms' table by itself; write "
                            f"only 'sms: {{from: {source}}}'")
        return TableSpec(name, source, RowSpec(), {})
    schema = ALL_TABLES[name]
    given = spec.get("columns") or {}
    columns = {}
    for col, col_node in _keys(given, list(schema.columns), f"{where}.columns",
                               problems).items():
        built = _column(name, col, col_node, problems)
        if built is not None:
            columns[col] = built
    absent = [c for c in schema.columns if c not in given]
    if absent:
        problems.append(f"{where}.columns: no entry for {', '.join(absent)} (every column of "
                        f"the table is needed; use {{constant: null}} when the source lacks one)")
    rows = _rows(name, spec.get("rows"), problems)
    if sources[source].kind != "redcap" and (rows.events is not None or rows.instrument):
        problems.append(f"{where}.rows: event and instrument select REDCap rows; a "
                        f"{sources[source].kind} source takes 'where' only")
    return TableSpec(name, str(source), rows, columns)


# --- the file ---------------------------------------------------------------------------------

def parse_mapping(data, file: str = "mapping") -> ImportMapping:
    """Check a mapping already read from YAML; ``ConfigError`` listing every problem."""
    problems: list[str] = []
    top = _keys(data, _TOP_KEYS, "top level", problems)
    if data is not None and top.get("version") != VERSION:
        problems.append(f"version: must be {VERSION}; got {top.get('version')!r}")
    sources = {}
    for name, node in _keys(top.get("sources") or {}, list(top.get("sources") or {}), "sources",
                            problems).items():
        built = _source(str(name), node, problems)
        if built is not None:
            sources[str(name)] = built
    copy = _texts(top.get("copy") or [], "copy", problems)
    tables = {}
    for name, node in _keys(top.get("tables") or {}, list(ALL_TABLES), "tables",
                            problems).items():
        if name in copy:
            problems.append(f"tables.{name}: also listed under copy; keep one")
        built = _table(name, node, sources, problems)
        if built is not None:
            tables[name] = built
    for name in copy:
        if name not in ALL_TABLES:
            problems.append(f"copy: '{name}' is not a project table{_nearest(name, ALL_TABLES)}")
    if not top.get("tables") and not copy:
        problems.append("tables: the mapping makes no table; add tables (or copy)")
    if problems:
        raise ConfigError(f"{file}: {len(problems)} problem{'s' * (len(problems) > 1)}: "
                          + "; ".join(problems))
    return ImportMapping(file, str(top.get("description") or ""), sources, copy, tables)


def load_mapping(mapping) -> ImportMapping:
    """Read and check a mapping YAML (a path, or the name of a shipped mapping)."""
    if isinstance(mapping, ImportMapping):
        return mapping
    path = mapping_path(mapping)
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_Yaml12Loader)  # noqa: S506 (safe)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path.name}: not valid YAML: "
                          f"{getattr(err, 'problem', None) or err}{at}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: not a UTF-8 text file") from None
    return parse_mapping(data, path.name)
