"""``wave-analysis import`` end to end: an SMS log problem (a reply before any message) surfaces
as one line with exit 1; ``--template`` writes a mapping that lists every records column and,
once its FILL_MEs are filled in, imports; stats-package syntax files give column names and value
labels."""

from __future__ import annotations

import shutil

import yaml
from test_sms_log_engine import MAPPING

from wave_analysis.cli import main
from wave_analysis.data.imports import redcap
from wave_analysis.data.imports.mapping import PLACEHOLDER
from wave_analysis.synthetic.exports import sms_log as export

SMS_MAPPING = MAPPING.replace("OVERRIDES", "")  # the smslog helper's engine-test mapping


def test_reply_before_any_message_through_the_cli(tmp_path, synthetic_dir, capsys):
    folder = tmp_path / "platform"
    folder.mkdir()
    lines = (export.FOLDER / export.LOG_FILE).read_text("utf-8").splitlines(keepends=True)
    early = "SYN-SMS999999,SYN-0001,inbound,2022-05-30 09:00:00,3\n"  # before the first SMS
    (folder / "sms_log.csv").write_text(lines[0] + early + "".join(lines[1:]), "utf-8")
    for name in ("practices", "screening", "participants", "questionnaires", "vsw_contacts",
                 "withdrawals"):
        shutil.copy(synthetic_dir / f"{name}.csv", folder)
    mapping = tmp_path / "sms.yaml"
    mapping.write_text(SMS_MAPPING, encoding="utf-8")
    code = main(["import", "--mapping", str(mapping), str(folder), str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0] == ("sms_log.csv:2: column 'timestamp': '2022-05-30 09:00:00' is a reply sent "
                      "before any message to this participant (fix: check the participant id "
                      "and the timestamp (and that the log holds the outbound messages, not only "
                      "the replies))")
    assert err[-1].startswith("error: 1 problem found; nothing was written")
    assert not (tmp_path / "out").exists()


def test_template_lists_every_column_and_imports_once_filled(redcap_raw, tmp_path, capsys):
    out = tmp_path / "map.yaml"
    assert main(["import", "--template", str(redcap_raw), "-o", str(out)]) == 0
    text = out.read_text("utf-8")
    header = (redcap_raw / "records.csv").read_text("utf-8").splitlines()[0].split(",")
    assert all(f"#   {col}:" in text for col in header)
    mapping = yaml.safe_load(text)
    participants = mapping["tables"]["participants"]
    assert participants["rows"] == {"event": "baseline_arm_1"}
    assert participants["columns"]["arm"] == {"column": "rand_arm", "codes": {
        "1": "usual_care", "2": "vocational_support"}}
    assert participants["columns"]["condition_group"]["checkbox"] == "fitnote_condition"
    assert mapping["tables"]["sms"]["rows"] == {"event": "baseline_arm_1", "instrument": "sms"}
    assert mapping["tables"]["sms"]["columns"]["fortnight"] == {"instance": True}
    assert mapping["copy"] == ["codebook", "codings", "interviews", "practices", "screening"]
    # a template with FILL_ME left is refused with the place to fill in (exit 2)
    assert PLACEHOLDER in text
    assert main(["import", "--mapping", str(out), str(redcap_raw), str(tmp_path / "o")]) == 2
    assert "FILL_ME left for 1" in capsys.readouterr().err
    # filled in (and the practice ids, which no label can guess), it imports
    mapping["tables"]["questionnaires"]["columns"]["work_status"]["codes"]["1"] = "working_full"
    mapping["tables"]["participants"]["columns"]["practice_id"] = {
        "column": "practice", "codes": {"1": "SYN-P01", "2": "SYN-P02"}}
    mapping["sources"]["redcap"]["missing_codes"] = ["-99", "NASK"]
    out.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    assert main(["import", "--mapping", str(out), str(redcap_raw), str(tmp_path / "o")]) == 0


SPS = """FILE HANDLE data1 NAME='WAVE_DATA_NOHDRS_2024-01-01_1200.csv' LRECL=90000.
DATA LIST FREE
\tFILE = data1
\t/record_id (A500) redcap_event_name (A500) bl_sex (F3) fitnote_condition___1 (F3)
\t fitnote_condition___2 (F3) bl_days_absent (F5)
\t.

VARIABLE LABEL record_id 'Participant ID'
\t/bl_sex 'Sex'
\t.
VALUE LABELS bl_sex 1 'Female' 2 'Male'
\t/fitnote_condition___1 0 'Unchecked' 1 'Checked'
\t/bl_days_absent 999 'Don''t know'
\t.
"""


def test_spss_syntax_gives_columns_and_value_labels(tmp_path):
    path = tmp_path / "WAVE_SPSS.sps"
    path.write_text(SPS, encoding="utf-8")
    names, dictionary = redcap.read_syntax(path, path.name)
    assert names == ["record_id", "redcap_event_name", "bl_sex", "fitnote_condition___1",
                     "fitnote_condition___2", "bl_days_absent"]
    assert dictionary.fields["bl_sex"].choices == {"1": "Female", "2": "Male"}
    assert dictionary.fields["bl_days_absent"].choices == {"999": "Don't know"}
    assert dictionary.fields["fitnote_condition"].type == "checkbox"


def test_choices_keep_commas_in_labels():
    assert redcap.parse_choices("1, Employee, full time | 2, Self-employed") == {
        "1": "Employee, full time", "2": "Self-employed"}


def test_label_export_events_from_redcaps_events_file(tmp_path, repo_root):
    """REDCap writes events as 'Baseline (Arm 1: Arm 1)' in a label export; events.csv and
    arms.csv (the project's design downloads) name them, so no label is typed by hand."""
    from wave_analysis.data.imports import import_export
    from wave_analysis.data.imports.mapping import shipped_mappings

    mapping = yaml.safe_load(shipped_mappings()["redcap_wave"].read_text("utf-8"))
    mapping["sources"]["redcap"].update(values="labels", events="events.csv")
    path = tmp_path / "labels.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    exports = repo_root / "data" / "exports"
    import_export(exports / "redcap_labels", path, tmp_path / "labels")
    import_export(exports / "redcap_raw", "redcap_wave", tmp_path / "raw")
    for table in ("participants", "sms", "questionnaires", "vsw_contacts", "withdrawals"):
        assert (tmp_path / "labels" / f"{table}.csv").read_bytes() == \
            (tmp_path / "raw" / f"{table}.csv").read_bytes(), table


def test_template_for_a_teams_own_files(tmp_path, repo_root):
    """Without a REDCap dictionary, each project table is matched to the file whose columns
    cover it best, columns by name (and common other names), SPSS value labels to values, and
    text dates to their format."""
    from wave_analysis.data.imports import template_text

    mapping = yaml.safe_load(template_text(repo_root / "data" / "exports" / "spreadsheet"))
    participants = mapping["tables"]["participants"]
    assert participants["from"] == "wave_synthetic_baseline"
    assert participants["columns"]["participant_id"] == "TrialID"
    assert participants["columns"]["sex"] == {"column": "Sex", "codes": {"Female": "female",
                                                                         "Male": "male"}}
    sms = mapping["tables"]["sms"]
    assert sms["from"] == "wave_synthetic_sms_returns"
    assert sms["columns"]["sent_date"] == {"column": "Date sent", "date_format": "%d/%m/%Y"}
    timepoint = mapping["tables"]["questionnaires"]["columns"]["timepoint"]
    assert timepoint["codes"] == {"6 weeks": "6w", "6 months": "6m"}
    assert mapping["tables"]["vsw_contacts"]["from"] == PLACEHOLDER  # no file resembles it


def test_template_of_a_label_export_imports_like_the_raw_one(tmp_path, repo_root):
    """The template sees a label export (form status in words), names events.csv for the event
    labels, and finds events and instruments by their unique names; filled in like the shipped
    mapping, it gives the raw export's tables."""
    from wave_analysis.data.imports import import_export, template_text

    exports = repo_root / "data" / "exports"
    mapping = yaml.safe_load(template_text(exports / "redcap_labels"))
    source = mapping["sources"]["redcap"]
    assert (source["values"], source["events"]) == ("labels", "events.csv")
    assert mapping["tables"]["sms"]["rows"] == {"event": "baseline_arm_1", "instrument": "sms"}
    shipped = yaml.safe_load((repo_root / "wave_analysis" / "data" / "imports" / "mappings" /
                              "redcap_wave.yaml").read_text("utf-8"))
    source["missing_codes"] = shipped["sources"]["redcap"]["missing_codes"]
    columns = mapping["tables"]["participants"]["columns"]
    columns["practice_id"] = shipped["tables"]["participants"]["columns"]["practice_id"]
    mapping["tables"]["questionnaires"]["columns"]["work_status"]["codes"]["1"] = "working_full"
    path = tmp_path / "filled.yaml"
    path.write_text(yaml.safe_dump(mapping), encoding="utf-8")
    import_export(exports / "redcap_labels", path, tmp_path / "labels")
    import_export(exports / "redcap_raw", "redcap_wave", tmp_path / "raw")
    for table in ("participants", "sms", "questionnaires", "vsw_contacts", "withdrawals"):
        assert (tmp_path / "labels" / f"{table}.csv").read_bytes() == \
            (tmp_path / "raw" / f"{table}.csv").read_bytes(), table
