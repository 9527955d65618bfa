"""The disclosure rules of UK trusted research environments (the SDC handbook rules that ACRO
implements), each a function of a table returning per-cell ``Finding``s.

* ``threshold``: at least ``threshold`` (10) units behind every count; a zero is "review" (a
  structural zero is fine, a sampling zero can disclose).
* ``units_threshold``: at least ``threshold`` units behind every summary statistic of a row.
* ``nk_dominance``: the largest ``n`` (2) contributions are at most ``k`` (90%) of a cell total.
* ``p_percent``: the total minus the two largest contributions is at least ``p`` (10%) of the
  largest (else the second-largest contributor learns the largest within p%).
* ``extremes``: no minima, maxima or ranges of individual values (columns or row labels).
* ``residual_df``: regressions with at least ``dof`` (10) residual degrees of freedom.
* ``survival_steps``: every Kaplan-Meier step (events) and at-risk count at least ``survival``.

ACRO's definitions (``acro/acro_tables.py``: ``agg_nk``, ``agg_p_percent``, ``agg_threshold``;
defaults in ``acro/default.yaml``) are matched: N-K fails when top-n / total > k, p% fails when
(total - largest - second) / largest < p, threshold fails when fewer than 10 contributors.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import pandas as pd

FAIL, REVIEW, PASS = "fail", "review", "pass"
EXTREME = re.compile(r"(^|[_\s])(min|max|minimum|maximum|range|lowest|highest)($|[_\s])",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Thresholds:
    """The run's parameters (recorded in results.json)."""

    threshold: int = 10      # units behind every count or statistic
    nk_n: int = 2            # N of the N-K dominance rule
    nk_k: float = 0.9        # K of the N-K dominance rule (share of the total)
    p_percent: float = 0.1   # p of the p% rule
    dof: int = 10            # residual degrees of freedom of a regression
    survival: int = 10       # events per Kaplan-Meier step and numbers at risk
    quote_chars: int = 40    # a verbatim run this long of a transcript is a quote

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    """One cell (or row, or the whole artefact when ``row`` is None) that trips a rule."""

    rule: str
    status: str            # "fail" or "review"
    row: int | None        # 0-based data row
    column: str | None
    value: object
    message: str

    def to_dict(self) -> dict:
        value = self.value
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        elif hasattr(value, "item"):
            value = value.item()
        return {"rule": self.rule, "status": self.status, "row": self.row,
                "column": self.column, "value": value, "message": self.message}


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce")


def missing_columns(frame: pd.DataFrame, columns: list[str], rule: str) -> list[Finding]:
    """A review finding per column the spec names but the table lacks."""
    return [Finding(rule, REVIEW, None, c, None, f"column '{c}' named by the spec is not in the "
                    "table") for c in columns if c not in frame.columns]


def threshold(frame: pd.DataFrame, columns: list[str], *, threshold: int = 10) -> list[Finding]:
    """Every count in ``columns`` is 0 (review) or at least ``threshold`` (else fail)."""
    found = missing_columns(frame, columns, "threshold")
    for col in (c for c in columns if c in frame.columns):
        for row, value in _numbers(frame, col).items():
            if pd.isna(value):
                continue
            if value == 0:
                found.append(Finding("threshold", REVIEW, row, col, value,
                                     "zero count: structural (fine) or sampling (can disclose)?"))
            elif value < threshold:
                found.append(Finding("threshold", FAIL, row, col, value,
                                     f"count below {threshold}"))
    return found


def units_threshold(frame: pd.DataFrame, units: str, columns: list[str], *,
                    threshold: int = 10) -> list[Finding]:
    """Each row's statistics in ``columns`` rest on at least ``threshold`` units."""
    if units not in frame.columns:
        return missing_columns(frame, [units], "threshold")
    found = missing_columns(frame, columns, "threshold")
    present = [c for c in columns if c in frame.columns]
    for row, n in _numbers(frame, units).items():
        if pd.isna(n) or n >= threshold:
            continue
        status = REVIEW if n == 0 else FAIL
        found.append(Finding("threshold", status, row, units, n,
                             f"statistics of this row rest on {n:g} units (fewer than "
                             f"{threshold})" if n else "zero units behind this row"))
        for col in present:
            if pd.notna(frame.at[row, col]) and status == FAIL:
                found.append(Finding("threshold", FAIL, row, col, frame.at[row, col],
                                     f"statistic of {n:g} units (fewer than {threshold})"))
    return found


def _top(frame: pd.DataFrame, values: str, top: list[str]):
    cols = [values, *top]
    return [(row, *vals) for row, *vals in zip(frame.index, *(_numbers(frame, c) for c in cols),
                                                strict=True)]


def nk_dominance(frame: pd.DataFrame, values: str, top: list[str], *, n: int = 2,
                 k: float = 0.9) -> list[Finding]:
    """The ``n`` largest contributions of a cell are at most ``k`` of its total."""
    found = missing_columns(frame, [values, *top], "nk_dominance")
    if found:
        return found
    for row, total, *largest in _top(frame, values, top):
        if pd.isna(total) or total <= 0:
            continue
        share = sum(v for v in largest[:n] if pd.notna(v)) / total
        if share > k:
            found.append(Finding("nk_dominance", FAIL, row, values, total,
                                 f"the largest {n} contributions are {share:.0%} of the total "
                                 f"(more than {k:.0%})"))
    return found


def p_percent(frame: pd.DataFrame, values: str, top: list[str], *,
              p: float = 0.1) -> list[Finding]:
    """(total - largest - second) / largest is at least ``p``; a non-positive total: review."""
    found = missing_columns(frame, [values, *top], "p_percent")
    if found:
        return found
    for row, total, first, second in _top(frame, values, top):
        if pd.isna(total):
            continue
        if total <= 0 or pd.isna(first) or first <= 0:
            found.append(Finding("p_percent", REVIEW, row, values, total,
                                 "zero or negative total: dominance cannot be assessed"))
            continue
        ratio = (total - first - (0 if pd.isna(second) else second)) / first
        if ratio < p:
            found.append(Finding("p_percent", FAIL, row, values, total,
                                 f"the rest of the cell is {ratio:.1%} of the largest "
                                 f"contribution (less than {p:.0%})"))
    return found


def extremes(frame: pd.DataFrame, *, allowed: tuple[str, ...] = ()) -> list[Finding]:
    """Columns named, or rows labelled, as minima, maxima or ranges of individual values."""
    found = []
    for col in frame.columns:
        if str(col) in allowed:
            continue
        if EXTREME.search(str(col)):
            found += [Finding("extremes", FAIL, row, str(col), value, "a minimum, maximum or "
                              "range of individual values") for row, value in
                      frame[col].items() if pd.notna(value)]
        elif frame[col].dtype == object:
            found += [Finding("extremes", FAIL, row, str(col), value, "row of a minimum, maximum "
                              "or range of individual values") for row, value in
                      frame[col].items() if isinstance(value, str)
                      and EXTREME.fullmatch(value.strip())]
    return found


def residual_df(frame: pd.DataFrame, df: str | int | None, *, minimum: int = 10) -> list[Finding]:
    """At least ``minimum`` residual degrees of freedom (``df``: a column or a number)."""
    if df is None:
        return [Finding("residual_df", REVIEW, None, None, None,
                        "residual degrees of freedom not recorded: a person checks the model")]
    if isinstance(df, str):
        if df not in frame.columns:
            return missing_columns(frame, [df], "residual_df")
        values = _numbers(frame, df)
    else:
        values = pd.Series([df], index=[None])
    return [Finding("residual_df", FAIL, row, df if isinstance(df, str) else None, value,
                    f"{value:g} residual degrees of freedom (fewer than {minimum})")
            for row, value in values.items() if pd.notna(value) and value < minimum]


def survival_steps(frame: pd.DataFrame, at_risk: str | None, events: str | None, *,
                   threshold: int = 10) -> list[Finding]:
    """Numbers at risk and the events of every step at least ``threshold`` (no events: no step)."""
    if at_risk is None and events is None:
        return [Finding("survival", REVIEW, None, None, None, "numbers at risk and events are "
                        "not in the table: a person checks every step")]
    found = missing_columns(frame, [c for c in (at_risk, events) if c], "survival")
    for col, what in ((at_risk, "at risk"), (events, "events at this step")):
        if not col or col not in frame.columns:
            continue
        for row, value in _numbers(frame, col).items():
            if pd.notna(value) and 0 < value < threshold:
                found.append(Finding("survival", FAIL, row, col, value,
                                     f"{value:g} {what} (fewer than {threshold})"))
    return found
