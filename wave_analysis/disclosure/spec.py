"""What an artefact holds, as plain data a notebook passes to ``out.table(..., sdc=...)`` and
``out.figure(..., sdc=...)``; ``outputs`` writes it into the file's sidecar and the disclosure
checks read it back. Each builder returns a JSON-ready dict with a ``kind``:

* ``frequency(counts=[...])``: every cell of those columns is a count of people (units);
  ``derived`` columns (rates, percentages) are computed from the counts of the same row and are
  suppressed with them.
* ``statistics(units="n", columns=[...])``: summary statistics; each row's ``columns`` are
  computed from ``units`` people (the value of the ``units`` column on that row).
* ``magnitude(units=, values=, top=(largest, second))``: a magnitude table (sums of a quantity,
  e.g. days or pounds). Dominance needs, per cell, the number of contributors (``units``), the
  cell total (``values``) and the largest and second-largest single contributions (``top``):
  the analysis provides them as columns (e.g. ``groupby(...).agg(n="size", total="sum",
  top1=lambda v: v.nlargest(1).sum(), top2=lambda v: v.nlargest(2).iloc[-1])``).
* ``regression(residual_df=...)``: model estimates; ``residual_df`` is a column name or a number.
  ``units`` (optional) is the column of observations behind each row.
* ``survival(at_risk=..., events=...)``: a Kaplan-Meier style table, one row per step.
* ``quotes()``: verbatim qualitative material; always reviewed by a person.
* ``other(reason)``: none of the rules apply (e.g. estimates compared with published numbers);
  reviewed by a person, with the reason shown.

``combine(a, b, ...)`` applies several specs to one table; ``drawn_from(table, spec)`` marks a
figure as drawing the named table of the same run (its checks use that table's CSV). A file with
no spec is "review": a person must look, it never passes silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from wave_analysis._checks import check_argument, check_one_of

KINDS = ("frequency", "statistics", "magnitude", "regression", "survival", "quotes", "other",
         "combined")


def _columns(name: str, columns: Iterable[str] | str) -> list[str]:
    cols = [columns] if isinstance(columns, str) else list(columns)
    check_argument(all(isinstance(c, str) and c for c in cols), name,
                   "a list of column names", columns)
    return cols


def frequency(counts: Iterable[str], *, derived: Iterable[str] = ()) -> dict:
    """Every cell of ``counts`` is a number of people; ``derived`` columns come from them."""
    counts = _columns("counts", counts)
    check_argument(bool(counts), "counts", "at least one column name", counts)
    return {"kind": "frequency", "counts": counts, "derived": _columns("derived", derived)}


def statistics(units: str, columns: Iterable[str] = ()) -> dict:
    """Each row's ``columns`` summarise the number of people in its ``units`` column."""
    check_argument(isinstance(units, str) and bool(units), "units", "a column name", units)
    return {"kind": "statistics", "units": units, "columns": _columns("columns", columns)}


def magnitude(units: str, values: str, top: Iterable[str]) -> dict:
    """A magnitude table: contributors, total and the largest two contributions per row."""
    top = _columns("top", top)
    check_argument(len(top) == 2, "top", "two column names (largest, second largest)", top)
    for name, col in (("units", units), ("values", values)):
        check_argument(isinstance(col, str) and bool(col), name, "a column name", col)
    return {"kind": "magnitude", "units": units, "values": values, "top": top}


def regression(residual_df: str | int | None = None, *, units: str | None = None) -> dict:
    """Model estimates; ``residual_df`` (column or number) None means not recorded: review."""
    check_argument(residual_df is None or isinstance(residual_df, str | int)
                   and not isinstance(residual_df, bool), "residual_df",
                   "a column name, a whole number or None", residual_df)
    check_argument(units is None or isinstance(units, str), "units", "a column name or None",
                   units)
    return {"kind": "regression", "residual_df": residual_df, "units": units}


def survival(at_risk: str | None = None, events: str | None = None) -> dict:
    """One row per survival step: numbers at risk and events (None: not in the table: review)."""
    for name, col in (("at_risk", at_risk), ("events", events)):
        check_argument(col is None or isinstance(col, str), name, "a column name or None", col)
    return {"kind": "survival", "at_risk": at_risk, "events": events}


def quotes() -> dict:
    """Verbatim interview material: a person reviews it, and the identifier scan reads it."""
    return {"kind": "quotes"}


def other(reason: str) -> dict:
    """No rule applies; ``reason`` says why (shown to the reviewer)."""
    check_argument(isinstance(reason, str) and bool(reason.strip()), "reason",
                   "a sentence saying why no rule applies", reason)
    return {"kind": "other", "reason": reason}


def combine(*specs: Mapping) -> dict:
    """Several specs for one table (e.g. counts and statistics in different columns)."""
    check_argument(len(specs) >= 2, "specs", "at least two specs", specs)
    for s in specs:
        check(s)
    return {"kind": "combined", "parts": [dict(s) for s in specs]}


def drawn_from(table: str, spec: Mapping) -> dict:
    """The spec of a figure that draws the table ``table`` (a name saved by the same notebook)."""
    check_argument(isinstance(table, str) and bool(table), "table", "a table name", table)
    return {**check(spec), "table": table}


def check(spec: object) -> dict:
    """``spec`` as a dict, after checking it has a known kind."""
    check_argument(isinstance(spec, Mapping), "spec", "a mapping made by disclosure.spec", spec)
    check_one_of("spec kind", spec.get("kind"), KINDS)
    return dict(spec)


def parts(spec: Mapping) -> list[dict]:
    """The simple specs of ``spec``: itself, or the parts of a combined spec (nested ones too)."""
    if spec.get("kind") != "combined":
        return [dict(spec)]
    return [simple for p in spec["parts"] for simple in parts(p)]
