"""Loading and validation (data.load): typed frozen tables, lazy problem reports, mixed formats,
argument checks and the CLI's validate command."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from wave_analysis.data import load
from wave_analysis.exceptions import ArgumentError, DataFormatError, ValidationError


def test_synthetic_export_is_valid(synthetic_dir):
    assert load.validate_folder(synthetic_dir) == []


def test_load_trial_returns_frozen_typed_tables(trial):
    assert trial.synthetic is True
    assert len(trial.participants) == 130
    assert str(trial.participants["randomisation_date"].dtype) == "datetime64[ns]"
    assert str(trial.sms["days_off"].dtype) == "Int64"
    assert trial.participants["participant_id"].map(type).eq(str).all()
    with pytest.raises(AttributeError):
        trial.participants = None


def test_three_planted_problems_are_all_reported(synthetic_copy, csv_editor):
    """The issue's acceptance case: a dropped column, a duplicate id and days off of 20."""
    def drop_sex(rows):
        i = rows[0].index("sex")
        return [r[:i] + r[i + 1:] for r in rows]

    people = synthetic_copy / "participants.csv"
    csv_editor.rewrite(people, drop_sex)
    first_id = pd.read_csv(people, dtype=str)["participant_id"].iloc[1]
    csv_editor.set(people, 4, "participant_id", first_id)
    csv_editor.set(synthetic_copy / "sms.csv", 6, "days_off", "20")
    with pytest.raises(ValidationError) as err:
        load.load_trial(synthetic_copy)
    lines = [str(p) for p in err.value.problems]
    assert any("participants.csv" in s and "'sex'" in s and "missing" in s for s in lines)
    assert any("participants.csv:4" in s and "duplicated" in s for s in lines)
    assert any("sms.csv:6" in s and "'days_off'" in s and "20" in s and "between 0 and 14" in s
               for s in lines)


@pytest.mark.slow
def test_cli_validate_reports_and_exits_non_zero_without_traceback(synthetic_copy, csv_editor):
    csv_editor.set(synthetic_copy / "sms.csv", 6, "days_off", "20")
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "validate", str(synthetic_copy)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 1
    assert "sms.csv:6: column 'days_off': 20 must be between 0 and 14" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.slow
def test_cli_validate_passes_on_synthetic(synthetic_dir):
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "validate", str(synthetic_dir)],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_unparsable_values_are_reported_once_with_reason(synthetic_copy, csv_editor):
    people = synthetic_copy / "participants.csv"
    csv_editor.set(people, 3, "age", "abc")
    csv_editor.set(people, 4, "randomisation_date", "15/06/2023")
    csv_editor.set(people, 5, "rtwse", "3,5")
    problems = [p for p in load.validate_folder(synthetic_copy) if p.file == "participants.csv"]
    text = [str(p) for p in problems]
    assert sum("participants.csv:3: column 'age'" in s for s in text) == 1
    assert any("'abc' is not a number" in s for s in text)
    assert any("'15/06/2023' is not an ISO date" in s for s in text)
    assert any("decimal comma" in s for s in text)


def test_unexpected_column_suggests_the_right_name(synthetic_copy, csv_editor):
    csv_editor.rewrite(synthetic_copy / "practices.csv",
                       lambda rows: [["regoin" if c == "region" else c for c in rows[0]]]
                       + rows[1:])
    text = "\n".join(str(p) for p in load.validate_folder(synthetic_copy))
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
    loaded = load.load_trial(synthetic_copy)
    pd.testing.assert_frame_equal(loaded.participants, trial.participants)
    pd.testing.assert_frame_equal(loaded.practices, trial.practices)
    pd.testing.assert_frame_equal(loaded.withdrawals, trial.withdrawals)
    pd.testing.assert_frame_equal(loaded.sms, trial.sms)


def test_two_files_for_one_table_is_an_error(synthetic_copy, trial):
    trial.practices.to_parquet(synthetic_copy / "practices.parquet")
    text = "\n".join(str(p) for p in load.validate_folder(synthetic_copy))
    assert "table 'practices' is in several files" in text


def test_bad_arguments_raise_project_errors(tmp_path, qual):
    with pytest.raises(ArgumentError, match="folder must be a path"):
        load.load_trial("")
    with pytest.raises(ArgumentError, match="folder must be a path .*; got None"):
        load.validate_folder(None)
    with pytest.raises(DataFormatError, match="no such folder"):
        load.load_trial(tmp_path / "absent")
    with pytest.raises(DataFormatError, match="no WAVE tables found"):
        load.validate_folder(tmp_path)
    with pytest.raises(ArgumentError, match="trial must be a TrialData .*; got 'QualData'"):
        load.load_qualitative(tmp_path, trial=qual)


def test_transcript_problems_are_collected(synthetic_copy, qual):
    first, second = qual.interviews["transcript_file"].iloc[:2]
    (synthetic_copy / "transcripts" / first).write_bytes(b"caf\xe9")
    (synthetic_copy / "transcripts" / second).unlink()
    with pytest.raises(ValidationError) as err:
        load.load_qualitative(synthetic_copy)
    text = "\n".join(str(p) for p in err.value.problems)
    assert f"transcripts/{first}: not UTF-8 at byte 3" in text
    assert f"column 'transcript_file': '{second}' transcript file not found" in text
