"""The synthetic Castor rendering has Castor's shape: semicolon-separated files with Castor's
fixed columns first, and every coded variable holding option values of its option group."""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.synthetic.exports import castor


@pytest.fixture(scope="module")
def files(trial):
    return {"study": castor.study(trial), "sms": castor.sms(trial),
            "vsw": castor.vsw_contacts(trial), "survey": castor.questionnaires(trial)}


def test_fixed_castor_columns_come_first(files):
    assert list(files["study"].columns[:6]) == [
        "Participant Id", "Participant Status", "Site Abbreviation", "Participant Creation Date",
        "Randomization Group", "Randomization Datetime"]
    for name in ("sms", "vsw"):
        assert list(files[name].columns[:5]) == [
            "Participant Id", "Participant Status", "Repeating Data Creation Date",
            "Repeating data Name Custom", "Repeating data Parent"]


def test_coded_variables_hold_option_values_of_their_group(files):
    groups = castor.option_groups()
    user_missing = {castor.NOT_ASKED, castor.UNKNOWN}
    checked = 0
    for frame in files.values():
        for variable in frame.columns:
            used_by = groups[groups["Used By"].str.split(", ").map(lambda v, x=variable: x in v)]
            if used_by.empty:
                continue
            values = set(frame[variable].dropna()) - user_missing
            assert values <= set(used_by["Option Value"]), variable
            checked += 1
    assert checked == len(castor.STUDY_OPTIONS) + len(castor.FORM_OPTIONS)


def test_creation_precedes_randomisation(files):
    study = files["study"]
    fmt = "%d-%m-%Y %H:%M:%S"
    created = pd.to_datetime(study["Participant Creation Date"], format=fmt)
    randomised = pd.to_datetime(study["Randomization Datetime"], format=fmt)
    assert (created < randomised).all()
