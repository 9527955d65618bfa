"""report.format: one rule per kind of number (module docstring), including the edges."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wave_analysis.exceptions import ArgumentError
from wave_analysis.report import format as fmt


@pytest.mark.parametrize(("p", "text"), [
    (0.73, "0.73"), (0.0004, "<0.001"), (0.000999, "<0.001"), (0.001, "0.001"),
    (0.0049, "0.005"), (0.0099, "0.010"), (0.01, "0.01"), (0.011, "0.01"), (0.05, "0.05"),
    (0.046, "0.046"), (0.0499, "0.0499"), (0.0449, "0.04"), (0.051, "0.05"), (0.99, "0.99"),
    (0.991, ">0.99"), (1.0, ">0.99"), (0.0, "<0.001"), (0.125, "0.12"), (0.5, "0.50"),
])
def test_p_values_follow_the_nejm_rule(p, text):
    assert fmt.fmt_p(p) == text


def test_a_p_value_below_0_05_never_reads_as_0_05():
    for p in np.linspace(0.04, 0.0499999, 500):
        assert fmt.fmt_p(float(p)) not in ("0.05", "0.050"), p


@pytest.mark.parametrize("p", [-0.01, 1.01, "0.3", True])
def test_p_values_outside_0_1_or_not_numbers_are_refused(p):
    with pytest.raises(ArgumentError, match="p must be"):
        fmt.fmt_p(p)


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, float("nan")])
def test_missing_values_read_na_everywhere(missing):
    assert fmt.fmt_p(missing) == fmt.MISSING == "NA"
    assert fmt.fmt_number(missing, 3) == "NA"
    assert fmt.fmt_int(missing) == "NA"
    assert fmt.fmt_count_pct(missing, 10) == "NA"
    assert fmt.fmt_ci(missing, 0.5, 1.5, 3) == "NA (0.500 to 1.500)"


@pytest.mark.parametrize(("value", "digits", "text"), [
    (0.909516, 3, "0.910"), (-632.372, 0, "-632"), (8431.879827, 1, "8431.9"),
    (12345.678, 1, "12,345.7"), (-12345.678, 0, "-12,346"), (1e12, 0, "1,000,000,000,000"),
    (-0.0001, 3, "-0.00010"), (0.000123, 2, "0.00012"), (1.2e-8, 3, "0.000000012"),
    (-0.0, 3, "0.000"), (0.0, 2, "0.00"), (math.inf, 2, "inf"), (-math.inf, 2, "-inf"),
    (np.float64(2.5), 0, "2"), (np.int64(7), 1, "7.0"),
])
def test_numbers(value, digits, text):
    assert fmt.fmt_number(value, digits) == text


def test_negative_zero_after_rounding_loses_its_sign():
    assert fmt.fmt_number(-0.0004, 3) == "-0.00040"  # not zero: significant digits
    assert fmt.fmt_number(-0.00049, 1) == "-0.00049"
    assert fmt.fmt_ci(-0.0, -1.234, 1.0, 2) == "0.00 (-1.23 to 1.00)"


def test_thousands_separator_can_be_turned_off():
    assert fmt.fmt_number(12345.6, 1, thousands=False) == "12345.6"


def test_estimate_with_interval_uses_to_so_negative_limits_read_clearly():
    assert fmt.fmt_ci(0.909516, 0.649248, 1.27493, 3) == "0.910 (0.649 to 1.275)"
    assert fmt.fmt_ci(-1.2, -2.5, 0.1, 2) == "-1.20 (-2.50 to 0.10)"
    assert fmt.fmt_ci(28.0, None, None, 1) == "28.0"
    assert fmt.fmt_ci(1.5, 1.0, math.inf, 2) == "1.50 (1.00 to inf)"


def test_counts_with_percentages():
    assert fmt.fmt_count_pct(45, 145) == "45 (31.0%)"
    assert fmt.fmt_count_pct(0, 0) == "0 (NA)"
    assert fmt.fmt_count_pct(3, percent=4.5455) == "3 (4.5%)"
    assert fmt.fmt_count_pct(12000, 24000, digits=0) == "12,000 (50%)"


def test_means_medians_and_percentages():
    assert fmt.fmt_mean_sd(12.345, 4.5) == "12.3 (4.5)"
    assert fmt.fmt_median_iqr(12, 8, 20, digits=0) == "12 (8 to 20)"
    assert fmt.fmt_pct(0.31, proportion=True) == "31.0%"
    assert fmt.fmt_pct(31) == "31.0%"


def test_text_is_refused_as_a_number():
    with pytest.raises(ArgumentError, match="value must be a number or missing; got 'abc'"):
        fmt.fmt_number("abc")


@pytest.mark.parametrize(("cell", "number"), [
    ("0.910 (0.649 to 1.275)", 0.910), ("45 (31.0%)", 45.0), ("12,345.7", 12345.7),
    ("<0.001", 0.001), ("31.0%", 31.0), ("10/12 (83%)", 10.0), ("NA", None), ("", None),
    ("Yes", None),
])
def test_parse_number_reads_back_the_first_number_of_a_cell(cell, number):
    assert fmt.parse_number(cell) == number
