"""The synthetic REDCap rendering has REDCap's shape: the records' columns are the dictionary's
fields (checkboxes one column per choice, a status per form), coded cells are choices of their
field, one row per record x event x repeating instance, and the labels export is the raw export
with every code replaced by its dictionary label."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from wave_analysis.synthetic.exports import redcap, redcap_stata


@pytest.fixture(scope="module")
def exports(trial):
    return (redcap.records(trial), redcap.records(trial, labels=True),
            redcap.dictionary(trial.practices))


def _choices(text: str) -> dict[str, str]:
    return dict(part.strip().split(", ", 1) for part in text.split("|")) if text else {}


def test_dictionary_has_redcaps_18_columns(exports):
    assert len(exports[2].columns) == 18
    assert exports[2].columns[0] == "Variable / Field Name"


def test_records_columns_are_the_dictionarys_fields(exports):
    raw, _, dictionary = exports
    expected = list(redcap.STRUCTURAL)
    for form in redcap.FORMS:
        rows = dictionary[dictionary["Form Name"] == form]
        for _, f in rows.iterrows():
            name, kind = f["Variable / Field Name"], f["Field Type"]
            if name == "record_id":  # the first field is the first structural column
                continue
            choices = _choices(f["Choices, Calculations, OR Slider Labels"])
            expected += [f"{name}___{c}" for c in choices] if kind == "checkbox" else [name]
        expected.append(f"{form}_complete")
    assert list(raw.columns) == expected


def test_coded_cells_are_choices_of_their_field(exports):
    raw, _, dictionary = exports
    missing_codes = {code for code, _ in redcap.MISSING_CODES}
    for _, f in dictionary.iterrows():
        name, kind = f["Variable / Field Name"], f["Field Type"]
        allowed = {"yesno": {"0", "1"}}.get(kind, set(_choices(
            f["Choices, Calculations, OR Slider Labels"])))
        if kind in ("radio", "dropdown", "yesno"):
            assert set(raw[name].dropna()) <= allowed | missing_codes, name


def test_one_row_per_record_event_instance(exports):
    raw = exports[0]
    key = list(redcap.STRUCTURAL)
    assert not raw[key].fillna("").duplicated().any()
    sms = raw[raw["redcap_repeat_instrument"] == "sms"]
    assert set(sms["redcap_repeat_instance"].astype(int)) == set(range(1, 14))


def test_labels_export_is_raw_export_through_the_dictionary(exports):
    raw, labels, dictionary = exports
    status = dict(redcap.STATUS)
    for _, f in dictionary.iterrows():
        name, kind = f["Variable / Field Name"], f["Field Type"]
        table = _choices(f["Choices, Calculations, OR Slider Labels"])
        if kind == "checkbox":
            for code in table:
                col = f"{name}___{code}"
                back = labels[col].map({"Checked": "1", "Unchecked": "0"}, na_action="ignore")
                pd.testing.assert_series_equal(back.fillna(""), raw[col].fillna(""),
                                               check_dtype=False)
        elif kind in ("radio", "dropdown", "yesno"):
            table = {"1": "Yes", "0": "No"} if kind == "yesno" else table
            pd.testing.assert_series_equal(raw[name].map(table, na_action="ignore"),
                                           labels[name], check_dtype=False)
        elif name != "record_id":
            pd.testing.assert_series_equal(raw[name], labels[name])
    for form in redcap.FORMS:
        col = f"{form}_complete"
        pd.testing.assert_series_equal(raw[col].map(status, na_action="ignore"), labels[col],
                                       check_dtype=False)



def test_label_export_names_events_and_forms_by_the_design_files_labels(trial, synthetic_dir,
                                                                         exports):
    raw, labels, _ = exports
    files = redcap.render(trial, synthetic_dir, labels=True)
    events = pd.read_csv(io.BytesIO(files["events.csv"]), dtype=str)
    arm = pd.read_csv(io.BytesIO(files["arms.csv"]), dtype=str).iloc[0]
    forms = pd.read_csv(io.BytesIO(files["instruments.csv"]), dtype=str)
    event_label = {e.unique_event_name: f"{e.event_name} (Arm {e.arm_num}: {arm['name']})"
                   for e in events.itertuples()}
    assert labels["redcap_event_name"].tolist() == raw["redcap_event_name"].map(
        event_label).tolist()
    form_label = dict(zip(forms["instrument_name"], forms["instrument_label"], strict=True))
    assert labels["redcap_repeat_instrument"].fillna("").tolist() == raw[
        "redcap_repeat_instrument"].map(form_label).fillna("").tolist()


def test_some_forms_not_complete_and_missing_codes_used(exports):
    raw = exports[0]
    assert (raw["sms_complete"] == "0").any()
    assert (raw["followup_questionnaire_complete"] == "1").any()
    assert {"-99", "NASK"} <= set(raw["sms_days_off"].dropna())


def test_stata_bundle_names_every_column_and_labels_every_coded_one(trial, synthetic_dir):
    files = redcap_stata.render(trial, synthetic_dir)
    do = files[redcap_stata.DO_FILE].decode("utf-8")
    names = re.search(r"^import delimited (.*?) using ", do, re.M).group(1).split()
    data = pd.read_csv(io.BytesIO(files[redcap_stata.DATA_FILE]), header=None, dtype=str)
    assert names == list(redcap.records(trial).columns) and data.shape[1] == len(names)
    defined = set(re.findall(r"^label define (\S+)_ ", do, re.M))
    attached = dict(re.findall(r"^label values (\S+) (\S+)_$", do, re.M))
    assert defined == set(attached) == set(attached.values())
    coded = {n for n in names if "___" in n or n.endswith("_complete")}
    assert coded <= defined
    assert set(re.findall(r"^label variable (\S+) ", do, re.M)) == set(names)
