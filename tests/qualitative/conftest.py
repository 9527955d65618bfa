"""The small hand-made QualData most qualitative tests start from (values worked by hand in the
tests' comments)."""

from __future__ import annotations

import pytest
from qual_builders import qual, words

from wave_analysis.data.model import QualData


@pytest.fixture
def small() -> QualData:
    ivs = [("i1", "patient", "P001"), ("i2", "patient", "P002"), ("i3", "employer", None),
           ("i4", "gp", None)]
    texts = {"i1": words(100), "i2": words(60), "i3": words(80), "i4": words(40)}
    cods = [
        ("i1", "C1", 0, 10, "coder_1"),
        ("i1", "C2", 5, 20, "coder_1"),   # overlaps C1: theme T1 covers [0, 20) = 20 chars
        ("i1", "C3", 15, 30, "coder_1"),  # overlaps C2 (T1) by 5 chars
        ("i1", "C3", 50, 60, "coder_1"),
        ("i2", "C3", 0, 10, "coder_1"),
        ("i3", "C1", 10, 30, "coder_1"),
        ("i3", "C3", 33, 40, "coder_1"),  # 3 characters after the C1 segment
        ("i1", "C1", 0, 100, "coder_2"),  # second coder: ignored by default
    ]
    return qual(ivs, cods, texts)
