"""Cross-table rules (data.rules), checked through the loader on a broken copy of the export."""

from __future__ import annotations

from wave_analysis.data import load
from wave_analysis.design import CONTROL_ARM


def _problems(folder) -> str:
    return "\n".join(str(p) for p in load.validate_folder(folder))


def test_cross_table_rules(synthetic_copy, trial, csv_editor):
    first = trial.participants.sort_values("randomisation_date").iloc[0]
    uc = trial.participants.loc[trial.participants["arm"] == CONTROL_ARM, "participant_id"].iloc[0]
    csv_editor.set(synthetic_copy / "participants.csv", 2, "practice_id", "NOPE")

    def early_reply(rows):  # an SMS reply dated before randomisation
        i = next(n for n, r in enumerate(rows) if r[0] == first["participant_id"]
                 and r[rows[0].index("reply_date")])
        rows[i][rows[0].index("reply_date")] = "2020-01-01"
        return rows

    csv_editor.rewrite(synthetic_copy / "sms.csv", early_reply)
    csv_editor.set(synthetic_copy / "vsw_contacts.csv", 2, "participant_id", uc)
    csv_editor.set(synthetic_copy / "withdrawals.csv", 2, "participant_id", "SYN-9999")
    text = _problems(synthetic_copy)
    assert "participants.csv:2: column 'practice_id': 'NOPE' unknown id (not in practices)" in text
    assert "reply_date': '2020-01-01' SMS reply before the participant's randomisation" in text
    assert "VSW contact for a usual-care participant" in text
    assert "withdrawals.csv:2: column 'participant_id': 'SYN-9999' unknown id" in text


def test_qualitative_cross_table_rules(synthetic_copy, trial, qual, csv_editor):
    uc = trial.participants.loc[trial.participants["arm"] == CONTROL_ARM, "participant_id"].iloc[0]
    patients = qual.interviews.index[qual.interviews["stakeholder_group"] == "patient"]
    others = qual.interviews.index[qual.interviews["stakeholder_group"] != "patient"]
    line, other = int(patients[0]) + 2, int(others[0]) + 2
    interviews = synthetic_copy / "interviews.csv"
    csv_editor.set(interviews, line, "participant_id", uc)
    csv_editor.set(interviews, int(patients[1]) + 2, "participant_id", "")
    csv_editor.set(interviews, other, "participant_id", uc)
    csv_editor.set(synthetic_copy / "codings.csv", 2, "code_id", "ZZZ")
    csv_editor.set(synthetic_copy / "codings.csv", 3, "end", "99999999")
    csv_editor.set(synthetic_copy / "codings.csv", 4, "end", "0")
    text = _problems(synthetic_copy)
    assert f"interviews.csv:{line}: column 'participant_id': '{uc}' interviewed patient is in " \
           "the usual_care arm" in text
    assert "patient interview without a trial participant id" in text
    assert f"interviews.csv:{other}: column 'participant_id': '{uc}' a " in text
    assert "codings.csv:2: column 'code_id': 'ZZZ' unknown id (not in codebook)" in text
    assert "codings.csv:3: column 'end': 99999999 offset outside the transcript" in text
    assert "codings.csv:4: column 'end': 0 end is not after start" in text
