"""Build one output column from the selected source rows, following its mapping spec.

All work is vectorised over the rows (pandas), so a 1.3-million-row SMS instrument costs a few
hash-table passes per column. Problems name the source file, line, column and value, and say which
mapping key to change.
"""

from __future__ import annotations

import difflib
import string
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wave_analysis.data.imports import redcap
from wave_analysis.data.imports.mapping import ColumnSpec
from wave_analysis.data.imports.sources import SourceFrame
from wave_analysis.data.schema import ALL_TABLES
from wave_analysis.exceptions import Problem

_MAX_PER_RULE = 1000  # problems kept per (column, rule); the count says how many more


@dataclass
class Context:
    """The rows a table is built from and where its findings go."""

    table: str
    source: SourceFrame
    rows: pd.DataFrame
    lines: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    # (table, column) -> Counter of (source code, project value)
    codes_used: dict[tuple[str, str], Counter] = field(default_factory=dict)

    def report(self, mask: np.ndarray, column: str | None, values, rule: str, fix: str) -> None:
        """One problem per flagged row (``mask``), each with its source line and value."""
        idx = np.flatnonzero(mask)
        for i in idx[:_MAX_PER_RULE]:
            value = values.iloc[i] if values is not None else None
            self.problems.append(Problem(self.source.file, column, int(self.lines[i]), value,
                                         rule, fix))
        if len(idx) > _MAX_PER_RULE:
            self.problems.append(Problem(self.source.file, column, None, None,
                                         f"{len(idx) - _MAX_PER_RULE} more rows break the rule "
                                         f"'{rule}'", fix))


@dataclass(frozen=True)
class Built:
    values: pd.Series
    origin: str | None  # the source column the values came from, for messages
    fields: tuple[str, ...]  # source data columns used (to spot rows with no data)


def allowed_values(table: str, column: str) -> list | None:
    """The schema's value set of a coded column (its ``isin`` check), else None."""
    for check in ALL_TABLES[table].columns[column].checks:
        allowed = (check.statistics or {}).get("allowed_values")
        if allowed is not None:
            return list(allowed)
    return None


def _missing_column(ctx: Context, name: str, key: str, col: str) -> None:
    close = difflib.get_close_matches(col, [str(c) for c in ctx.source.frame.columns], n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    ctx.problems.append(Problem(ctx.source.file, col, None, None,
                                f"column not found (tables.{ctx.table}.columns.{name}.{key})",
                                f"{hint}name a column of {ctx.source.file} in the mapping"))


def _label_hint(ctx: Context, origin: str | None, value: str) -> str:
    """When a raw export is declared but the value is a label of the field: say so."""
    dictionary = ctx.source.dictionary
    lookup = dictionary.labels_to_codes(origin) if dictionary and origin else None
    if lookup and value in lookup:
        return (f"; '{value}' is a label in the data dictionary, so this looks like a label "
                f"export: set values: labels on sources.{ctx.source.name}")
    return ""


def apply_codes(ctx: Context, name: str, built: Built, codes: dict,
                key: str = "codes") -> pd.Series:
    values = built.values
    present = values.notna().to_numpy()
    known = values.isin(list(codes)).to_numpy()
    bad = present & ~known
    if bad.any():
        allowed = allowed_values(ctx.table, name)
        first = str(values.iloc[int(np.flatnonzero(bad)[0])])
        wanted = f" (one of {', '.join(map(str, allowed))})" if allowed else ""
        for code in pd.unique(values[bad]):
            ctx.report((values == code).to_numpy() & bad, built.origin, values,
                       f"code has no entry in tables.{ctx.table}.columns.{name}.{key}",
                       f"add '\"{code}\": <value>'{wanted} under that map"
                       + _label_hint(ctx, built.origin, first))
    counts = values[present & known].value_counts(sort=False)
    ctx.codes_used[(ctx.table, name)] = Counter(
        {(str(code), codes[code]): int(n) for code, n in counts.items()})
    return values.map(codes).astype(object).where(present & known, None)


def parse_dates(ctx: Context, built: Built, fmt: str, name: str) -> pd.Series:
    values = built.values
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    bad = (values.notna() & parsed.isna()).to_numpy()
    ctx.report(bad, built.origin, values, f"does not match the date format {fmt!r} "
               f"(tables.{ctx.table}.columns.{name}.date_format)",
               "correct the date, or the date_format if every date is written another way "
               "(15/06/2023 is '%d/%m/%Y', 2023-06-15 is '%Y-%m-%d')")
    return parsed.dt.normalize()


def _column(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    col = str(spec.value)
    if col not in ctx.rows.columns:
        _missing_column(ctx, name, "column", col)
        return None
    return Built(ctx.rows[col], col, (col,))


def _template(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    out = pd.Series("", index=ctx.rows.index, dtype=object)
    missing = pd.Series(False, index=ctx.rows.index)
    used = []
    for literal, field_name, _fmt, _conv in string.Formatter().parse(str(spec.value)):
        out = out + literal
        if field_name is None:
            continue
        if field_name not in ctx.rows.columns:
            _missing_column(ctx, name, "template", field_name)
            return None
        used.append(field_name)
        values = ctx.rows[field_name]
        missing |= values.isna()
        out = out + values.fillna("")
    return Built(out.where(~missing, None), used[0] if len(used) == 1 else None, tuple(used))


def _checkbox(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    base = str(spec.value)
    cols = [c for c in ctx.rows.columns if str(c).startswith(base + "___")]
    if not cols:
        _missing_column(ctx, name, "checkbox", base + "___<code>")
        return None
    checked = ctx.rows[cols].eq("1").to_numpy()
    dictionary = ctx.source.dictionary
    codes = np.array([(dictionary.choice_for_column(c) if dictionary else None)
                      or c.split("___", 1)[1] for c in cols], dtype=object)
    n = checked.sum(axis=1)
    multi = n > 1
    if multi.any():
        ticked = np.full(len(n), None, dtype=object)
        ticked[multi] = [", ".join(codes[row]) for row in checked[multi]]
        ctx.report(multi, base, pd.Series(ticked, dtype=object),
                   f"several choices ticked; {ctx.table}.{name} holds one",
                   "untick all but the main choice")
    values = np.where(n == 1, codes[checked.argmax(axis=1)], None)
    return Built(pd.Series(values, index=ctx.rows.index, dtype=object), base, tuple(cols))


def _instance(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    if redcap.REPEAT_INSTANCE not in ctx.rows.columns:
        _missing_column(ctx, name, "instance", redcap.REPEAT_INSTANCE)
        return None
    return Built(ctx.rows[redcap.REPEAT_INSTANCE], redcap.REPEAT_INSTANCE, ())


def _event(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    if redcap.EVENT not in ctx.rows.columns:
        _missing_column(ctx, name, "event", redcap.EVENT)
        return None
    return Built(ctx.rows[redcap.EVENT], redcap.EVENT, ())


def _constant(ctx: Context, name: str, spec: ColumnSpec) -> Built:
    value = spec.value
    return Built(pd.Series([value] * len(ctx.rows), index=ctx.rows.index, dtype=object),
                 None, ())


_BUILDERS = {"column": _column, "template": _template, "checkbox": _checkbox,
             "instance": _instance, "event": _event, "constant": _constant}


def build_column(ctx: Context, name: str, spec: ColumnSpec) -> Built | None:
    """The column's values over ``ctx.rows`` (None when it cannot be built; problems noted)."""
    built = _BUILDERS[spec.kind](ctx, name, spec)
    if built is None:
        return None
    values = built.values
    if spec.missing:
        values = values.mask(values.isin(list(spec.missing)))
    built = Built(values, built.origin, built.fields)
    codes = spec.value if spec.kind == "event" else spec.codes
    if codes is not None:
        values = apply_codes(ctx, name, built, codes, spec.kind if spec.kind == "event"
                             else "codes")
    if spec.date_format:
        values = parse_dates(ctx, Built(values, built.origin, built.fields), spec.date_format,
                             name)
    return Built(values, built.origin, built.fields)
