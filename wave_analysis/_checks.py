"""Argument checks with one wording, so every public function fails the same way on bad input.

Each check raises ``ArgumentError`` naming the argument, what it must be and the value given:
``ci_level must be a number strictly between 0 and 1; got 1.5``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from wave_analysis.exceptions import ArgumentError


def _fail(name: str, must: str, value: object, hint: str = "") -> ArgumentError:
    tail = f" ({hint})" if hint else ""
    return ArgumentError(f"{name} must be {must}; got {value!r}{tail}")


def check_argument(condition: bool, name: str, must: str, value: object, hint: str = "") -> None:
    """Raise ``ArgumentError("<name> must be <must>; got <value>")`` unless ``condition``."""
    if not condition:
        raise _fail(name, must, value, hint)


def check_one_of(name: str, value: object, allowed: Iterable[object], hint: str = "") -> object:
    """``value`` when it is one of ``allowed``."""
    allowed = tuple(allowed)
    try:
        ok = value in allowed
    except TypeError:  # unhashable or incomparable values are never allowed
        ok = False
    if not ok:
        raise _fail(name, "one of " + ", ".join(map(str, allowed)), value, hint)
    return value


def check_probability(name: str, value: object) -> float:
    """A number strictly between 0 and 1 (a confidence level, a share)."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1
    check_argument(ok, name, "a number strictly between 0 and 1", value)
    return float(value)


def check_ci_level(ci_level: object) -> float:
    """A confidence level strictly between 0 and 1 (0.8 and 0.95 are the usual ones)."""
    return check_probability("ci_level", ci_level)


def check_int(name: str, value: object, *, minimum: int | None = None) -> int:
    """A whole number (bools are not), at least ``minimum`` when given."""
    ok = isinstance(value, int) and not isinstance(value, bool)
    ok = ok and (minimum is None or value >= minimum)
    must = "a whole number" + (f" of at least {minimum}" if minimum is not None else "")
    check_argument(ok, name, must, value)
    return int(value)


def check_number(name: str, value: object, *, minimum: float | None = None,
                 positive: bool = False) -> float:
    """A finite number (bools are not), above 0 when ``positive``, at least ``minimum``."""
    ok = (isinstance(value, int | float) and not isinstance(value, bool)
          and math.isfinite(value))
    ok = ok and (not positive or value > 0) and (minimum is None or value >= minimum)
    must = "a finite number"
    if positive:
        must = "a positive finite number"
    if minimum is not None:
        must += f" of at least {minimum}"
    check_argument(ok, name, must, value)
    return float(value)
