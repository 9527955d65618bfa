"""The synthetic spreadsheet rendering: the SPSS file carries value and variable labels as a
team's file would, and neither binary file carries the time it was written (so the committed
bytes can be regenerated): both show the data cut instead."""

from __future__ import annotations

import io
import zipfile

import pyreadstat
import pytest
from openpyxl import load_workbook

from wave_analysis.design import ARM_LABELS, ARMS
from wave_analysis.synthetic.exports import spreadsheet


@pytest.fixture(scope="module")
def files(trial, synthetic_dir):
    return spreadsheet.render(trial, synthetic_dir)


@pytest.fixture(scope="module")
def sav(files, tmp_path_factory):
    path = tmp_path_factory.mktemp("sav") / "baseline.sav"
    path.write_bytes(files["WAVE_SYNTHETIC_baseline.sav"])
    return pyreadstat.read_sav(str(path))


def test_sav_has_value_and_variable_labels(sav, trial):
    frame, meta = sav
    assert meta.variable_value_labels["Arm"] == {
        float(i + 1): ARM_LABELS[a] for i, a in enumerate(ARMS)}
    assert meta.column_names_to_labels["DateRand"] == "Date randomised"
    assert meta.column_names_to_labels["TrialID"] == "Trial ID"
    assert len(frame) == len(trial.participants)


def test_binary_files_carry_the_data_cut_not_the_write_time(sav, files, trial):
    cut = spreadsheet.data_cut(trial)
    assert sav[1].creation_time == cut
    data = files["WAVE_SYNTHETIC_follow_up.xlsx"]
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert {info.date_time for info in book.infolist()} == {cut.timetuple()[:6]}
    props = load_workbook(io.BytesIO(data)).properties
    assert props.created == cut and props.modified == cut
