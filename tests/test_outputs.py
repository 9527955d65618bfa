"""Tests for wave_analysis.outputs: tables written atomically, reproducibly and in every format."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from wave_analysis.exceptions import ArgumentError
from wave_analysis.outputs import save_table
from wave_analysis.trial import baseline


@pytest.fixture(scope="module")
def table1(trial):
    """Table 1 of the bundled cohort: text cells with '%', '_' and brackets, a hard case."""
    return baseline.table_one_frame(baseline.table_one(trial))


def test_save_table_writes_four_formats(trial, tmp_path, table1):
    four = ("csv", "md", "html", "tex")
    paths = save_table(table1, "t1", folder=tmp_path, formats=four)
    assert sorted(p.suffix for p in paths) == [".csv", ".html", ".md", ".tex"]
    back = pd.read_csv(tmp_path / "t1.csv", keep_default_na=False, dtype=str)
    assert back.equals(table1.reset_index(drop=True))
    tex = (tmp_path / "t1.tex").read_text()
    assert r"n (\%)" in tex and not re.search(r"[^\\]%", tex)
    assert "<table" in (tmp_path / "t1.html").read_text()
    assert not list(tmp_path.glob(".t1*"))  # no temporary files left behind
    rebuilt = baseline.table_one_frame(baseline.table_one(trial))  # built afresh, same bytes
    again = save_table(rebuilt, "t1", folder=tmp_path / "b", formats=four)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]


def test_save_table_rejects_unknown_format(tmp_path):
    with pytest.raises(ArgumentError,
                       match="table format must be one of csv, md, html, tex; got .xls."):
        save_table(pd.DataFrame({"a": [1]}), "x", folder=tmp_path, formats=("xls",))
