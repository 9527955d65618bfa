"""The precision results carry, so they are the same on every machine.

Floating-point results differ in their last digits between CPUs (OpenBLAS picks other kernels,
other summation orders) and between thread counts. The project's rule:

1. Solvers converge to a tolerance far below what is reported (relative changes of about 1e-10),
   so two machines agree to about 10 significant digits.
2. Every reported number (estimates, intervals, p-values, standard errors, summaries) is rounded
   to ``SIGNIFICANT_DIGITS`` significant digits at the result layer, when the result object is
   made, before anything is drawn or written.

Two machines can then disagree only when a value lies within about 1e-10 of a rounding boundary
of the 6th significant digit: a chance of about 1e-4 per number, which the cross-machine test
(tests/test_cross_machine.py) would catch.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

SIGNIFICANT_DIGITS = 6


def round_sig(value, digits: int = SIGNIFICANT_DIGITS):
    """``value`` rounded to ``digits`` significant digits; NaN, inf, None, ints and bools pass
    through. Works on floats and on float numpy arrays (element-wise)."""
    if isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.floating):
            return value
        if not value.size:
            return value.copy()
        with np.errstate(invalid="ignore"):  # NaN passes through unchanged
            return np.vectorize(lambda v: round_sig(float(v), digits), otypes=[float])(value)
    if isinstance(value, bool) or not isinstance(value, float | np.floating):
        return value
    value = float(value)
    if value == 0.0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def rounded(result):
    """A copy of the frozen dataclass ``result`` with every float field rounded (the result
    layer calls this when it builds a result)."""
    changes = {f.name: round_sig(getattr(result, f.name)) for f in dataclasses.fields(result)
               if isinstance(getattr(result, f.name), float | np.floating | np.ndarray)}
    return dataclasses.replace(result, **changes)
