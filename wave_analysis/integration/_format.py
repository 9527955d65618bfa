"""Numbers in words for the text columns of the integration tables ("n/a" for missing)."""

from __future__ import annotations

import math

import pandas as pd


def number(x: float | None, digits: int = 1, sign: bool = False) -> str:
    """``x`` with ``digits`` decimals (a leading sign when ``sign``); "n/a" when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:+.{digits}f}" if sign else f"{x:.{digits}f}"


def median_range(values: pd.Series, unit: str = "") -> str:
    """'median 40 (range 12-90)' of the non-missing values; "n/a" when there are none."""
    v = values.dropna().astype(float)
    if v.empty:
        return "n/a"
    return f"median {v.median():.0f}{unit} (range {v.min():.0f}-{v.max():.0f})"
