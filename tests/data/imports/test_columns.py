"""Column specs on a plain table source: template, constant, missing, where, codes to null and
booleans, date formats; each result read back through the loader."""

from __future__ import annotations

import shutil

import pytest

from wave_analysis.data.imports import import_export
from wave_analysis.data.load import load_trial
from wave_analysis.exceptions import ValidationError

MAPPING = """version: 1
sources:
  wd:
    kind: table
    file: leavers.csv
    separator: ";"
    missing_codes: ["-9"]
copy: [practices, screening, participants, sms, questionnaires, vsw_contacts]
tables:
  withdrawals:
    from: wd
    rows: {where: {status: [left, lost]}}
    columns:
      participant_id: {template: "SYN-{num}"}
      withdrawal_date: {column: when, date_format: "%d/%m/%Y", missing: ["unknown"]}
      withdrawal_type: {column: status, codes: {left: withdrew, lost: lost_to_follow_up}}
      data_retained: {column: keep, codes: {Y: true, N: false, "?": null}}
"""


@pytest.fixture()
def source(tmp_path, synthetic_dir):
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ("practices", "screening", "participants", "sms", "questionnaires",
                 "vsw_contacts"):
        shutil.copy(synthetic_dir / f"{name}.csv", folder)
    return folder


def _run(folder, tmp_path, rows: str):
    (folder / "leavers.csv").write_text("num;when;status;keep\n" + rows, encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return import_export(folder, mapping, tmp_path / "out")


def test_template_where_codes_and_formats(source, tmp_path):
    report = _run(source, tmp_path, "0016;03/09/2022;lost;Y\n0034;26/01/2023;left;N\n"
                                    "0099;01/01/2023;still in;Y\n")
    frame = load_trial(tmp_path / "out").withdrawals
    assert frame["participant_id"].tolist() == ["SYN-0016", "SYN-0034"]  # 'still in' not kept
    assert frame["withdrawal_date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-09-03",
                                                                         "2023-01-26"]
    assert frame["withdrawal_type"].tolist() == ["lost_to_follow_up", "withdrew"]
    assert frame["data_retained"].tolist() == [True, False]
    assert report.codes["withdrawals.data_retained"] == (("Y", True, 1), ("N", False, 1))


def test_missing_codes_reach_the_loader_as_empty(source, tmp_path):
    with pytest.raises(ValidationError) as err:
        _run(source, tmp_path, "0016;unknown;lost;-9\n")
    found = {(p.file, p.column, p.row, p.rule) for p in err.value.problems}
    assert ("leavers.csv", "when", 2, "is empty but required [withdrawals.withdrawal_date]") \
        in found
    assert ("leavers.csv", "keep", 2, "is empty but required [withdrawals.data_retained]") \
        in found
