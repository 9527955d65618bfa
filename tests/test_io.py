"""Loading and validation: formats, encodings, lazy problem reports, cross-table rules, CLI."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from wave_analysis.data import load as io
from wave_analysis.data.write import write_tables
from wave_analysis.exceptions import DataFormatError, ValidationError


def _rewrite_csv(path: Path, edit) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows = edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _set(rows, line: int, column: str, value: str):
    rows[line - 1][rows[0].index(column)] = value
    return rows


def _problems(folder) -> list:
    return io.validate_folder(folder)


def test_synthetic_export_is_valid(synthetic_dir):
    assert _problems(synthetic_dir) == []


def test_load_trial_returns_frozen_typed_tables(trial):
    assert trial.synthetic is True
    assert len(trial.participants) == 130
    assert str(trial.participants["randomisation_date"].dtype) == "datetime64[ns]"
    assert str(trial.sms["days_off"].dtype) == "Int64"
    assert trial.participants["participant_id"].map(type).eq(str).all()
    with pytest.raises(AttributeError):
        trial.participants = None


def test_three_planted_problems_are_all_reported(synthetic_copy):
    """The issue's acceptance case: a dropped column, a duplicate id and days off of 20."""
    def drop_sex(rows):
        i = rows[0].index("sex")
        return [r[:i] + r[i + 1:] for r in rows]

    _rewrite_csv(synthetic_copy / "participants.csv", drop_sex)
    _rewrite_csv(synthetic_copy / "participants.csv",
                 lambda rows: _set(rows, 4, "participant_id", rows[2][0]))
    _rewrite_csv(synthetic_copy / "sms.csv", lambda rows: _set(rows, 6, "days_off", "20"))
    with pytest.raises(ValidationError) as err:
        io.load_trial(synthetic_copy)
    lines = [str(p) for p in err.value.problems]
    assert any("participants.csv" in s and "'sex'" in s and "missing" in s for s in lines)
    assert any("participants.csv:4" in s and "duplicated" in s for s in lines)
    assert any("sms.csv:6" in s and "'days_off'" in s and "20" in s and "between 0 and 14" in s
               for s in lines)


def test_cli_validate_reports_and_exits_non_zero_without_traceback(synthetic_copy):
    _rewrite_csv(synthetic_copy / "sms.csv", lambda rows: _set(rows, 6, "days_off", "20"))
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "validate", str(synthetic_copy)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 1
    assert "sms.csv:6: column 'days_off': 20 must be between 0 and 14" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


def test_cli_validate_passes_on_synthetic(synthetic_dir):
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "validate", str(synthetic_dir)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_cross_table_rules(synthetic_copy, trial):
    first = trial.participants.sort_values("randomisation_date").iloc[0]
    uc = trial.participants.loc[trial.participants["arm"] == "usual_care", "participant_id"].iloc[0]
    _rewrite_csv(synthetic_copy / "participants.csv",
                 lambda rows: _set(rows, 2, "practice_id", "NOPE"))
    # an SMS reply dated before randomisation
    def early_reply(rows):
        i = next(n for n, r in enumerate(rows) if r[0] == first["participant_id"]
                 and r[rows[0].index("reply_date")])
        rows[i][rows[0].index("reply_date")] = "2020-01-01"
        return rows
    _rewrite_csv(synthetic_copy / "sms.csv", early_reply)
    _rewrite_csv(synthetic_copy / "vsw_contacts.csv",
                 lambda rows: _set(rows, 2, "participant_id", uc))
    _rewrite_csv(synthetic_copy / "withdrawals.csv",
                 lambda rows: _set(rows, 2, "participant_id", "SYN-9999"))
    text = "\n".join(str(p) for p in _problems(synthetic_copy))
    assert "participants.csv:2: column 'practice_id': 'NOPE' unknown id (not in practices)" in text
    assert "reply_date': '2020-01-01' SMS reply before the participant's randomisation" in text
    assert "VSW contact for a usual-care participant" in text
    assert "withdrawals.csv:2: column 'participant_id': 'SYN-9999' unknown id" in text


def test_qualitative_cross_table_rules(synthetic_copy, trial, qual):
    uc = trial.participants.loc[trial.participants["arm"] == "usual_care", "participant_id"].iloc[0]
    patients = qual.interviews.index[qual.interviews["stakeholder_group"] == "patient"]
    line = int(patients[0]) + 2
    _rewrite_csv(synthetic_copy / "interviews.csv",
                 lambda rows: _set(rows, line, "participant_id", uc))
    _rewrite_csv(synthetic_copy / "codings.csv", lambda rows: _set(rows, 2, "code_id", "ZZZ"))
    _rewrite_csv(synthetic_copy / "codings.csv", lambda rows: _set(rows, 3, "end", "99999999"))
    text = "\n".join(str(p) for p in _problems(synthetic_copy))
    assert f"interviews.csv:{line}: column 'participant_id': '{uc}' interviewed patient is in " \
           "the usual_care arm" in text
    assert "codings.csv:2: column 'code_id': 'ZZZ' unknown id (not in codebook)" in text
    assert "codings.csv:3: column 'end': 99999999 offset outside the transcript" in text


def test_unparsable_values_are_reported_once_with_reason(synthetic_copy):
    _rewrite_csv(synthetic_copy / "participants.csv", lambda rows: _set(rows, 3, "age", "abc"))
    _rewrite_csv(synthetic_copy / "participants.csv",
                 lambda rows: _set(rows, 4, "randomisation_date", "15/06/2023"))
    _rewrite_csv(synthetic_copy / "participants.csv", lambda rows: _set(rows, 5, "rtwse", "3,5"))
    problems = [p for p in _problems(synthetic_copy) if p.file == "participants.csv"]
    text = [str(p) for p in problems]
    assert sum("participants.csv:3: column 'age'" in s for s in text) == 1
    assert any("'abc' is not a number" in s for s in text)
    assert any("'15/06/2023' is not an ISO date" in s for s in text)
    assert any("decimal comma" in s for s in text)


def test_unexpected_column_suggests_the_right_name(synthetic_copy):
    _rewrite_csv(synthetic_copy / "practices.csv",
                 lambda rows: [["regoin" if c == "region" else c for c in rows[0]]] + rows[1:])
    text = "\n".join(str(p) for p in _problems(synthetic_copy))
    assert "column 'regoin' unexpected column (fix: rename it to 'region'" in text


def test_mixed_formats_load_to_the_same_tables(synthetic_copy, trial):
    pyreadstat = pytest.importorskip("pyreadstat")
    people = pd.read_csv(synthetic_copy / "participants.csv", dtype=str)
    (synthetic_copy / "participants.csv").unlink()
    people.to_excel(synthetic_copy / "participants.xlsx", index=False)
    practices = pd.read_csv(synthetic_copy / "practices.csv")
    (synthetic_copy / "practices.csv").unlink()
    pyreadstat.write_sav(practices, str(synthetic_copy / "practices.sav"))
    withdrawals = pd.read_csv(synthetic_copy / "withdrawals.csv", dtype=str)
    (synthetic_copy / "withdrawals.csv").unlink()
    pyreadstat.write_dta(withdrawals, str(synthetic_copy / "withdrawals.dta"))
    (synthetic_copy / "sms.csv").rename(synthetic_copy / "sms_tmp.csv")
    trial.sms.to_parquet(synthetic_copy / "sms.parquet")
    (synthetic_copy / "sms_tmp.csv").unlink()
    loaded = io.load_trial(synthetic_copy)
    pd.testing.assert_frame_equal(loaded.participants, trial.participants)
    pd.testing.assert_frame_equal(loaded.practices, trial.practices)
    pd.testing.assert_frame_equal(loaded.withdrawals, trial.withdrawals)
    pd.testing.assert_frame_equal(loaded.sms, trial.sms)


def test_two_files_for_one_table_is_an_error(synthetic_copy, trial):
    trial.practices.to_parquet(synthetic_copy / "practices.parquet")
    text = "\n".join(str(p) for p in _problems(synthetic_copy))
    assert "table 'practices' is in several files" in text


def test_windows_encodings(tmp_path):
    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("a\tb\n1\tzoë\n".encode("utf-16"))
    assert io.read_raw(utf16).frame.to_dict("list") == {"a": ["1"], "b": ["zoë"]}
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes("a,b\n1,ok\n2,caf\xe9\n".encode("cp1252"))
    with pytest.raises(DataFormatError, match=r"excel.csv:3: not UTF-8 \(byte 0xE9\)"):
        io.read_raw(cp1252)
    semi = tmp_path / "semi.csv"
    semi.write_text("a;b\n007;x\n", encoding="utf-8-sig")
    assert io.read_raw(semi).frame.to_dict("list") == {"a": ["007"], "b": ["x"]}


def test_duplicate_and_merged_headers_are_rejected(tmp_path):
    dup = tmp_path / "dup.csv"
    dup.write_text("a,b,a\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="duplicated column name"):
        io.read_raw(dup)
    merged = tmp_path / "merged.xlsx"
    pd.DataFrame([["x", None], ["1", "2"]], columns=["a", None]).to_excel(merged, index=False)
    with pytest.raises(DataFormatError, match="header has empty or merged cells"):
        io.read_raw(merged)


def test_empty_rows_are_dropped_but_line_numbers_kept(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n,\n3,4\n", encoding="utf-8")
    table = io.read_raw(path)
    assert list(table.lines) == [2, 4]


def test_write_tables_replaces_a_folder_atomically(tmp_path):
    target = tmp_path / "out"
    write_tables(target, {"t": pd.DataFrame({"a": [1]})})

    class Boom(pd.DataFrame):
        def copy(self, *a, **k):
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_tables(target, {"t": pd.DataFrame({"a": [2]}), "u": Boom({"a": [1]})})
    assert (target / "t.csv").read_text() == "a\n1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
