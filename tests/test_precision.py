"""_precision: significant-digit rounding of results, so machines that differ in the last bits
report the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from wave_analysis._precision import SIGNIFICANT_DIGITS, round_sig, rounded


@pytest.mark.parametrize(("value", "expected"), [
    (0.6381781360856473, 0.638178), (0.6381787749436473, 0.638179), (8431.879827, 8431.88),
    (-0.0948422123, -0.0948422), (1.23456789e-5, 1.23457e-5), (0.0, 0.0), (123456789.0, 123457000.0),
])
def test_rounds_to_significant_digits(value, expected):
    assert SIGNIFICANT_DIGITS == 6
    assert round_sig(value) == expected


def test_last_bit_noise_disappears():
    a = 0.9098002985165263
    assert round_sig(a) == round_sig(np.nextafter(a, 1.0)) == round_sig(a * (1 + 1e-12))


def test_non_finite_and_non_float_values_pass_through():
    assert math.isnan(round_sig(float("nan")))
    assert round_sig(float("inf")) == float("inf")
    assert round_sig(7) == 7 and round_sig(True) is True and round_sig(None) is None
    out = round_sig(np.array([1.23456789, np.nan]))
    assert out[0] == 1.23457 and np.isnan(out[1])
    assert round_sig(np.array([1, 2])).dtype.kind == "i"


def test_rounded_copies_a_result_with_its_floats_rounded():
    @dataclass(frozen=True)
    class Result:
        name: str
        estimate: float
        n: int
        band: np.ndarray

    r = Result("x", 0.123456789, 5, np.array([1.0000001234, 2.5]))
    out = rounded(r)
    assert out.estimate == 0.123457 and out.n == 5 and out.name == "x"
    assert out.band.tolist() == [1.0, 2.5]
    assert r.estimate == 0.123456789  # the original is untouched
