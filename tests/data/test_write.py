"""Writing an export folder (data.write): the loader's CSV conventions and atomic replacement."""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.data.write import csv_text, write_tables


def test_csv_text_uses_the_loader_conventions():
    frame = pd.DataFrame({"d": pd.to_datetime(["2023-06-15", None]),
                          "b": pd.array([True, None], dtype="boolean"), "s": ["x", None]})
    assert csv_text(frame) == "d,b,s\n2023-06-15,true,x\n,,\n"


def test_write_tables_replaces_a_folder_atomically(tmp_path):
    target = tmp_path / "out"
    write_tables(target, {"t": pd.DataFrame({"a": [1]})}, transcripts={"i.txt": "one\r\ntwo"})
    assert (target / "transcripts" / "i.txt").read_bytes() == b"one\r\ntwo"  # kept as given

    class Boom(pd.DataFrame):
        def copy(self, *a, **k):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_tables(target, {"t": pd.DataFrame({"a": [2]}), "u": Boom({"a": [1]})})
    assert (target / "t.csv").read_text() == "a\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
