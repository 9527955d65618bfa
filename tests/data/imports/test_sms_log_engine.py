"""The synthetic SMS message log through the import engine (a mapping with a ``kind: sms_log``
source): the bundled sms table comes back apart from the held-out replies, which an overrides
file in the source folder restores."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from wave_analysis.data.imports import import_export
from wave_analysis.data.load import load_trial
from wave_analysis.synthetic.exports import sms_log as export

TABLES = ("practices", "screening", "participants", "questionnaires", "vsw_contacts",
          "withdrawals")
MAPPING = f"""version: 1
description: the bundled cohort with its SMS as a platform message log
sources:
  smslog:
    kind: sms_log
    file: sms_log.csv
    columns: {{message_id: message_id, participant_id: participant, direction: direction,
              timestamp: sent_at, text: body}}
    directions: {{outbound: out, inbound: in}}
    timestamp_format: "{export.TIMESTAMP_FORMAT}"
    OVERRIDES
copy: [{", ".join(TABLES)}]
tables:
  sms:
    from: smslog
"""


@pytest.fixture()
def source(tmp_path, synthetic_dir):
    folder = tmp_path / "platform"
    folder.mkdir()
    shutil.copy(export.FOLDER / export.LOG_FILE, folder)
    for name in TABLES:
        shutil.copy(synthetic_dir / f"{name}.csv", folder)
    return folder


def run(source, tmp_path, overrides: str | None = None):
    mapping = tmp_path / "sms.yaml"
    line = f"overrides: {overrides}" if overrides else ""
    mapping.write_text(MAPPING.replace("OVERRIDES", line), encoding="utf-8")
    out = tmp_path / "imported"
    report = import_export(source, mapping, out)
    return report, load_trial(out).sms, out


@pytest.mark.slow  # over half a second: make test, not make quick
def test_engine_round_trip_and_overrides(source, tmp_path, trial):
    bundled = trial.sms.reset_index(drop=True)
    report, sms, out = run(source, tmp_path)
    review = pd.read_csv(out / "sms_review.csv", dtype=str, keep_default_na=False)
    held = review[review["needs_decision"] == "true"]
    assert len(held) == len(export.render_log(bundled).unreadable)
    differs = sms["days_off"].fillna(-1) != bundled["days_off"].fillna(-1)
    assert differs.sum() == len(held) and sms.loc[differs, "days_off"].isna().all()
    pd.testing.assert_frame_equal(sms.drop(columns="days_off"),
                                  bundled.drop(columns="days_off"))
    assert report.sms is not None and 0.9 < report.sms.parse_rate < 1
    # the report counts the fortnights held out, not every reply in the review file
    assert report.sms.held_out == len(held) < report.sms.review == len(review)
    # the review file keeps each reply's time, so a person can place it among the messages
    assert review["timestamp"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?").all()

    truth = bundled.set_index(["participant_id", "fortnight"])["days_off"]
    pd.DataFrame({"message_id": held["message_id"],
                  "days_off": [truth[(p, int(f))] for p, f in
                               zip(held["participant_id"], held["fortnight"], strict=True)]}
                 ).to_csv(source / "sms_overrides.csv", index=False)
    _, restored, _ = run(source, tmp_path, "sms_overrides.csv")
    pd.testing.assert_frame_equal(restored, bundled)
