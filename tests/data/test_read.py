"""Reading raw table files (data.read): encodings, headers, empty rows, unsupported files."""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.data import read
from wave_analysis.exceptions import ArgumentError, DataFormatError


def test_windows_encodings(tmp_path):
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("a\tb\n1\tzoë\n".encode("utf-16"))
    assert read.read_raw(utf16).frame.to_dict("list") == {"a": ["1"], "b": ["zoë"]}
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes("a,b\n1,ok\n2,caf\xe9\n".encode("cp1252"))
    with pytest.raises(DataFormatError, match=r"excel.csv:3: not UTF-8 \(byte 0xE9\)"):
        read.read_raw(cp1252)
    semi = tmp_path / "semi.csv"
    semi.write_text("a;b\n007;x\n", encoding="utf-8-sig")
    assert read.read_raw(str(semi)).frame.to_dict("list") == {"a": ["007"], "b": ["x"]}


def test_duplicate_and_merged_headers_are_rejected(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="duplicated column name"):
        read.read_raw(dup)
    merged = tmp_path / "merged.xlsx"
    pd.DataFrame([["x", None], ["1", "2"]], columns=["a", None]).to_excel(merged, index=False)
    with pytest.raises(DataFormatError, match="header has empty or merged cells"):
        read.read_raw(merged)


def test_empty_rows_are_dropped_but_line_numbers_kept(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n,\n3,4\n", encoding="utf-8")
    table = read.read_raw(path)
    assert list(table.lines) == [2, 4]


def test_unsupported_corrupt_and_missing_files(tmp_path):
    with pytest.raises(DataFormatError, match=r"t.json: unsupported file type '.json'; use one "
                       r"of .csv"):
        read.read_raw(tmp_path / "t.json")
    broken = tmp_path / "t.parquet"
    broken.write_bytes(b"not parquet")
    with pytest.raises(DataFormatError, match=r"t.parquet: cannot be read \("):
        read.read_raw(broken)
    with pytest.raises(ArgumentError, match="path must be a path"):
        read.read_raw("")
    with pytest.raises(DataFormatError, match="transcripts/absent.txt: cannot be read"):
        read.read_transcript(tmp_path, "absent.txt")


def test_find_table_refuses_two_files_for_one_table(tmp_path):
    (tmp_path / "sms.csv").write_text("a\n1\n")
    assert read.find_table(tmp_path, "sms") == tmp_path / "sms.csv"
    assert read.find_table(tmp_path, "practices") is None
    (tmp_path / "SMS.xlsx").write_bytes(b"")
    with pytest.raises(DataFormatError, match=r"table 'sms' is in several files \(SMS.xlsx, "
                       r"sms.csv\); keep one"):
        read.find_table(tmp_path, "sms")
