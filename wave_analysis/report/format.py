"""Number formatting for display tables, one rule per kind of number (so every rendering of every
table writes numbers the same way).

Rules (following the BMJ and NEJM instructions to authors):

- Missing or undefined values (None, NaN, pandas NA) are written ``MISSING`` ("NA"). Infinite
  values are written "inf" / "-inf" (an open confidence limit).
- Numbers: a fixed number of decimals (``digits``), rounded by Python's ``format`` (correctly
  rounded from the binary value, so 0.125 -> "0.12" and 0.375 -> "0.38"). The minus sign is
  ASCII "-"; "-0.000" is written "0.000". Thousands are separated by commas when the absolute
  value is at least 10,000 (``thousands=True``; four-digit numbers are left whole).
  A value that is not zero but rounds to zero at ``digits`` is written with two significant
  digits instead (0.000123 -> "0.00012") so a small estimate never reads as exactly zero.
- Estimates with a confidence interval: ``0.910 (0.649 to 1.275)``; "to", not a dash, so negative
  limits read unambiguously (``-1.20 (-2.50 to 0.10)``).
- P values (NEJM): ``<0.001`` below 0.001; three decimals from 0.001 up to 0.01; two decimals
  from 0.01 on, except that a value from 0.045 up to (not including) 0.05 keeps three decimals,
  or four when three would still show "0.050", so a P value below 0.05 never reads as 0.05;
  ``>0.99`` above 0.99. 0.001 exactly is "0.001", 0.05 exactly "0.05".
- Counts with percentages: ``45 (31.0%)``, one decimal; "0 (NA)" when the denominator is 0.
- Mean (SD): ``12.3 (4.5)``; median (IQR): ``12.0 (8.0 to 20.0)`` (lower to upper quartile).
"""

from __future__ import annotations

import math
from numbers import Real

from wave_analysis._checks import check_int
from wave_analysis.exceptions import ArgumentError

MISSING = "NA"
_THOUSANDS_FROM = 10_000


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA/NaT count as missing."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN (and pd.NA, whose comparison is NA: caught below)
    except TypeError:
        return True


def _real(value: object, name: str) -> float | None:
    """``value`` as a float, None when missing; a clear error for text and other objects."""
    if is_missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ArgumentError(f"{name} must be a number or missing; got {value!r}")
    return float(value)


def fmt_number(value: object, digits: int = 2, *, thousands: bool = True) -> str:
    """``value`` with ``digits`` decimals (see the module rules)."""
    check_int("digits", digits, minimum=0)
    x = _real(value, "value")
    if x is None:
        return MISSING
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x != 0 and round(x, digits) == 0:
        return _significant(x, 2)
    sep = "," if thousands and abs(x) >= _THOUSANDS_FROM else ""
    text = format(x, f"{sep}.{digits}f")
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text


def _significant(x: float, figures: int) -> str:
    """Two significant digits in positional notation (no exponent): 0.000123 -> 0.00012."""
    exponent = math.floor(math.log10(abs(x)))
    decimals = max(figures - 1 - exponent, 0)
    return format(x, f".{decimals}f")


def fmt_int(value: object) -> str:
    """A count: a whole number, commas from 10,000 on."""
    x = _real(value, "count")
    if x is None:
        return MISSING
    return fmt_number(round(x), 0)


def fmt_ci(estimate: object, lower: object, upper: object, digits: int = 2) -> str:
    """``estimate (lower to upper)``; the estimate alone when both limits are missing."""
    est = fmt_number(estimate, digits)
    if is_missing(lower) and is_missing(upper):
        return est
    return f"{est} ({fmt_number(lower, digits)} to {fmt_number(upper, digits)})"


def fmt_p(p: object) -> str:
    """A P value by the NEJM rule in the module docstring."""
    x = _real(p, "p")
    if x is None:
        return MISSING
    if not 0 <= x <= 1:
        raise ArgumentError(f"p must be between 0 and 1; got {p!r}")
    if x < 0.001:
        return "<0.001"
    if x > 0.99:
        return ">0.99"
    if x < 0.01:
        return format(x, ".3f")
    if 0.045 <= x < 0.05:
        text = format(x, ".3f")
        return format(x, ".4f") if text == "0.050" else text
    return format(x, ".2f")


def fmt_pct(value: object, digits: int = 1, *, proportion: bool = False) -> str:
    """A percentage with a % sign; ``proportion=True`` when ``value`` is a share (0.31)."""
    x = _real(value, "percentage")
    if x is None:
        return MISSING
    return fmt_number(x * 100 if proportion else x, digits, thousands=False) + "%"


def fmt_count_pct(count: object, denominator: object = None, *, percent: object = None,
                  digits: int = 1) -> str:
    """``45 (31.0%)``: the count and its percentage of ``denominator`` (or a ready ``percent``)."""
    n = _real(count, "count")
    if n is None:
        return MISSING
    if percent is None:
        d = _real(denominator, "denominator")
        percent = None if d is None or d == 0 else 100 * n / d
    return f"{fmt_int(n)} ({fmt_pct(percent, digits)})" if percent is not None \
        else f"{fmt_int(n)} ({MISSING})"


def fmt_mean_sd(mean: object, sd: object, digits: int = 1) -> str:
    """``12.3 (4.5)``."""
    return f"{fmt_number(mean, digits)} ({fmt_number(sd, digits)})"


def fmt_median_iqr(median: object, q1: object, q3: object, digits: int = 1) -> str:
    """``12.0 (8.0 to 20.0)``: the median and the lower to upper quartile."""
    return f"{fmt_number(median, digits)} ({fmt_number(q1, digits)} to {fmt_number(q3, digits)})"


def parse_number(text: str) -> float | None:
    """The first number a formatted cell shows ("0.910 (0.649 to 1.275)" -> 0.910; "45 (31.0%)"
    -> 45; "10/12 (83%)" -> 10; "NA" -> None), for tests that compare cells with the CSV."""
    head = text.strip().split(" ")[0].split("/")[0].replace(",", "").rstrip("%")
    if head in ("", MISSING):
        return None
    try:
        return float(head.lstrip("<>"))
    except ValueError:
        return None
