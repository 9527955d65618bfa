"""REDCap import with the shipped mapping: raw and label exports give the same tables, every
kind of bad input gives one clear problem naming file, row, column and value, and nothing is
written when anything fails."""

from __future__ import annotations

import csv

import pytest
from redcap_fixture import as_labels, raw_records, write_export

from wave_analysis.cli import main
from wave_analysis.data.imports import import_export, load_mapping, shipped_mappings
from wave_analysis.data.load import load_trial
from wave_analysis.exceptions import ConfigError, ValidationError

TABLES = ("participants", "sms", "questionnaires", "vsw_contacts", "withdrawals")


def _edit(rows, record, event, instrument=None, **changes):
    for row in rows:
        if (row["record_id"], row["redcap_event_name"], row.get("redcap_repeat_instrument")) \
                == (record, event, instrument):
            row.update(changes)
            return rows
    raise AssertionError("no such row")


def _mapping(tmp_path, text: str):
    path = tmp_path / "map.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_raw_export_gives_the_rows_of_the_export(redcap_raw, tmp_path):
    report = import_export(redcap_raw, "redcap_wave", tmp_path / "out")
    trial = load_trial(tmp_path / "out")
    p = trial.participants.set_index("participant_id")
    assert p.loc["SYN-0001", ["arm", "sex", "condition_group", "practice_id"]].tolist() == \
        ["vocational_support", "male", "mental_health", "SYN-P01"]
    assert p.loc["SYN-0003", "condition_group"] == "musculoskeletal"  # checkbox ___2
    sms = trial.sms.set_index(["participant_id", "fortnight"])
    assert len(sms) == 39
    assert sms.loc[("SYN-0001", 3), "days_off"] == 14
    assert sms.loc[("SYN-0001", 4), ["reply_date", "days_off"]].isna().all()  # -99 = no reply
    assert sms.loc[("SYN-0003", 5), ["sent_date", "days_off"]].isna().all()  # NASK, not sent
    assert trial.withdrawals["data_retained"].tolist() == [True]
    assert trial.vsw_contacts["mode"].tolist() == ["phone", "video"]
    assert report.rows_written == {"participants": 3, "sms": 39, "questionnaires": 1,
                                   "vsw_contacts": 2, "withdrawals": 1}
    # forms not marked Complete are kept and reported, never dropped
    lines = report.lines()
    assert "kept 9 sms rows whose form 'sms' is Incomplete (0) (not marked Complete)" in lines
    assert any("questionnaires rows whose form 'followup_questionnaire' is Unverified" in line
               for line in lines)
    assert ("participants.arm" in report.codes and
            ("2", "vocational_support", 1) in report.codes["participants.arm"])
    assert (tmp_path / "out" / "import_report.md").is_file()


def test_label_export_gives_the_same_tables_as_the_raw_one(redcap_raw, redcap_labels,
                                                           tmp_path):
    import_export(redcap_raw, "redcap_wave", tmp_path / "a")
    shipped = shipped_mappings()["redcap_wave"].read_text("utf-8")
    mapping = _mapping(tmp_path, shipped.replace("values: raw ", "values: labels "))
    import_export(redcap_labels, mapping, tmp_path / "b")
    for table in TABLES:
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == \
            (tmp_path / "b" / f"{table}.csv").read_bytes(), table


def test_label_export_declared_raw_says_so(redcap_labels, tmp_path):
    with pytest.raises(ValidationError, match="looks like a label export: set values: labels"):
        import_export(redcap_labels, "redcap_wave", tmp_path / "out")


def test_label_export_without_its_dictionary(tmp_path):
    with pytest.raises(ConfigError, match=r"sources.r: a label export \(values: labels\) "
                                          "needs its data dictionary"):
        load_mapping(_mapping(tmp_path, "version: 1\nsources:\n  r: {kind: redcap, records: "
                                        "r.csv, values: labels}\ncopy: [practices]\n"))


def test_unknown_key_suggests_the_nearest(tmp_path):
    text = ("version: 1\nsources:\n  r: {kind: redcap, records: r.csv, dictionnary: d.csv}\n"
            "tables:\n  withdrawals:\n    from: r\n    columns:\n      participant_id: record_id\n"
            "      withdrawal_date: {column: d, date_fromat: '%Y'}\n"
            "      withdrawal_type: {column: t, cods: {'1': withdrew}}\n"
            "      data_retained: {constant: true}\n")
    with pytest.raises(ConfigError) as err:
        load_mapping(_mapping(tmp_path, text))
    message = str(err.value)
    assert "sources.r: unknown key 'dictionnary' (did you mean 'dictionary'?)" in message
    assert ("tables.withdrawals.columns.withdrawal_date: unknown key 'date_fromat' (did you mean "
            "'date_format'?)") in message
    assert "unknown key 'cods' (did you mean 'codes'?)" in message


def test_missing_column_and_file_are_named(redcap_raw, tmp_path):
    shipped = load_mapping("redcap_wave")
    body = shipped_mappings()["redcap_wave"].read_text("utf-8")
    mapping = _mapping(tmp_path, body.replace("bl_eq_vas", "bl_eqvas")
                       .replace("dictionary: dictionary.csv", "dictionary: dict.csv"))
    with pytest.raises(ValidationError) as err:
        import_export(redcap_raw, mapping, tmp_path / "out")
    lines = [str(p) for p in err.value.problems]
    assert any(line.startswith("records.csv: column 'bl_eqvas' column not found "
                               "(tables.participants.columns.eq_vas.column) (fix: did you mean "
                               "'bl_eq_vas'?") for line in lines), lines
    assert any(line.startswith("dict.csv: file not found in") for line in lines), lines
    assert shipped.tables["sms"].rows.instrument == "sms"
    assert not (tmp_path / "out").exists()


def test_unmapped_code(tmp_path):
    rows = _edit(raw_records(), "SYN-0002", "baseline_arm_1", rand_arm="3")
    folder = write_export(tmp_path / "src", rows)
    with pytest.raises(ValidationError, match=r"records.csv:19: column 'rand_arm': '3' code has "
                                              r"no entry in tables.participants.columns.arm.codes"):
        import_export(folder, "redcap_wave", tmp_path / "out")


def test_duplicate_record_event_instance(tmp_path):
    rows = raw_records()
    rows.insert(3, dict(rows[2]))  # SYN-0001 sms instance 2 twice
    folder = write_export(tmp_path / "src", rows)
    with pytest.raises(ValidationError, match=r"records.csv:5: column 'record_id': 'SYN-0001' "
                                              r"duplicate row for \(record_id=SYN-0001, "
                                              r"redcap_event_name=baseline_arm_1, "
                                              r"redcap_repeat_instrument=sms, "
                                              r"redcap_repeat_instance=2\)"):
        import_export(folder, "redcap_wave", tmp_path / "out")


def test_instance_outside_the_fortnights(tmp_path):
    rows = raw_records()
    rows[13]["redcap_repeat_instance"] = "14"  # SYN-0001's 13th SMS
    folder = write_export(tmp_path / "src", rows)
    with pytest.raises(ValidationError, match=r"records.csv:15: column 'redcap_repeat_instance': "
                                              r"14 must be between 1 and 13 \[sms.fortnight\]"):
        import_export(folder, "redcap_wave", tmp_path / "out")


def test_date_not_in_its_declared_format(tmp_path):
    rows = _edit(raw_records(), "SYN-0003", "withdrawal_arm_1", wd_date="20/07/2022")
    folder = write_export(tmp_path / "src", rows)
    with pytest.raises(ValidationError, match=r"records.csv:\d+: column 'wd_date': '20/07/2022' "
                                              r"does not match the date format '%Y-%m-%d'"):
        import_export(folder, "redcap_wave", tmp_path / "out")


def test_every_problem_at_once_and_nothing_written(tmp_path):
    rows = _edit(raw_records(), "SYN-0002", "baseline_arm_1", rand_arm="3", bl_sex="9")
    folder = write_export(tmp_path / "src", rows)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("earlier output")
    with pytest.raises(ValidationError) as err:
        import_export(folder, "redcap_wave", out)
    assert {p.column for p in err.value.problems} == {"rand_arm", "bl_sex"}
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_schema_problems_point_at_the_source_row(tmp_path):
    rows = _edit(raw_records(), "SYN-0001", "baseline_arm_1", bl_age="12")
    folder = write_export(tmp_path / "src", rows)
    with pytest.raises(ValidationError, match=r"records.csv:2: column 'bl_age': 12 must be "
                                              r"between 18 and 100 \[participants.age\]"):
        import_export(folder, "redcap_wave", tmp_path / "out")


def test_cli_exit_codes_and_one_line_per_problem(redcap_raw, tmp_path, capsys):
    assert main(["import", "--mapping", "redcap_wave", str(redcap_raw),
                 str(tmp_path / "ok")]) == 0
    assert "wrote: participants 3, sms 39" in capsys.readouterr().out
    rows = _edit(raw_records(), "SYN-0002", "baseline_arm_1", rand_arm="3", bl_sex="9")
    bad = write_export(tmp_path / "bad", rows)
    assert main(["import", "--mapping", "redcap_wave", str(bad), str(tmp_path / "o2")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and err[-1].startswith("error: 2 problems found; nothing was written")
    assert main(["import", "--mapping", "redcap_wav", str(bad), str(tmp_path / "o3")]) == 2
    assert "did you mean 'redcap_wave'?" in capsys.readouterr().err
    assert not (tmp_path / "o2").exists() and not (tmp_path / "o3").exists()


def test_records_file_is_never_modified(redcap_raw, tmp_path):
    before = (redcap_raw / "records.csv").read_bytes()
    import_export(redcap_raw, "redcap_wave", tmp_path / "out")
    assert (redcap_raw / "records.csv").read_bytes() == before
    with pytest.raises(Exception, match="out_dir must be outside the source folder"):
        import_export(redcap_raw, "redcap_wave", redcap_raw / "out")


def test_yes_and_no_stay_text_in_a_mapping(tmp_path):
    text = ("version: 1\nsources:\n  s: {kind: table, file: w.csv}\ntables:\n  withdrawals:\n"
            "    from: s\n    columns:\n      participant_id: id\n      withdrawal_date: d\n"
            "      withdrawal_type: t\n      data_retained: {column: r, codes: {yes: true, "
            "no: false}}\n")
    spec = load_mapping(_mapping(tmp_path, text))
    assert spec.tables["withdrawals"].columns["data_retained"].codes == {"yes": True,
                                                                        "no": False}


def test_labels_in_records_must_be_in_the_dictionary(tmp_path):
    rows = as_labels(raw_records())
    rows[0]["bl_sex"] = "Mle"
    folder = write_export(tmp_path / "src", rows)
    body = shipped_mappings()["redcap_wave"].read_text("utf-8")
    mapping = _mapping(tmp_path, body.replace("values: raw ", "values: labels "))
    with pytest.raises(ValidationError, match=r"records.csv:2: column 'bl_sex': 'Mle' is not a "
                                              r"label of this field in the data dictionary"):
        import_export(folder, mapping, tmp_path / "out")
    with (folder / "records.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh))[0] == "record_id"


def test_headers_that_are_labels(tmp_path):
    from redcap_fixture import FIELDS

    folder = write_export(tmp_path / "src", raw_records())
    labels = {name: label for name, _f, _t, label, _c, _v in FIELDS}
    lines = (folder / "records.csv").read_text("utf-8").splitlines(keepends=True)
    header = ",".join(labels.get(c, c) for c in lines[0].rstrip("\n").split(",")) + "\n"
    (folder / "records.csv").write_text(header + "".join(lines[1:]), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"records.csv:1: the headers are the fields' "
                                              r"labels, not their variable names \(fix: export "
                                              r"again with variable names as headers"):
        import_export(folder, "redcap_wave", tmp_path / "out")
