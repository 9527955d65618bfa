"""A small WAVE-shaped REDCap export, written by code so every expected value in the tests can be
read off the rows below: three participants (SYN-0001 vocational support with two VSW contacts,
SYN-0002 usual care, SYN-0003 withdrawn after fortnight 4), the shipped redcap_wave field names,
and the side files (practices, screening, qualitative tables) the shipped mapping copies."""

from __future__ import annotations

import csv
from pathlib import Path

DICT_HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type",
               "Field Label", "Choices, Calculations, OR Slider Labels", "Field Note",
               "Text Validation Type OR Show Slider Number"]
FIELDS = [  # name, form, type, label, choices, validation
    ("record_id", "baseline", "text", "Participant ID", "", ""),
    ("practice", "baseline", "dropdown", "Recruiting practice",
     "1, Synthetic Practice 01 | 2, Synthetic Practice 02", ""),
    ("bl_age", "baseline", "text", "Age at randomisation (years)", "", "integer"),
    ("bl_sex", "baseline", "radio", "Sex", "1, Female | 2, Male", ""),
    ("fitnote_condition", "baseline", "checkbox", "Condition on the fit note",
     "1, Mental health condition | 2, Musculoskeletal condition | 3, Other condition", ""),
    ("bl_days_absent", "baseline", "text", "Days off work sick before randomisation", "",
     "integer"),
    ("bl_absence_band", "baseline", "radio", "Absence band",
     "1, 2 to 6 weeks | 2, More than 6 weeks", ""),
    ("bl_occupation", "baseline", "dropdown", "Occupation", "1, Managers, directors and senior "
     "officials | 2, Professional occupations | 9, Elementary occupations", ""),
    ("bl_employment", "baseline", "radio", "Employment type",
     "1, Employee, full time | 2, Employee, part time | 3, Self-employed", ""),
    ("bl_eq5d_index", "baseline", "text", "EQ-5D-5L index", "", "number"),
    ("bl_eq_vas", "baseline", "text", "EQ VAS", "", "integer"),
    ("bl_rtwse", "baseline", "text", "RTWSE-11 item mean", "", "number"),
    ("rand_date", "randomisation", "text", "Date randomised", "", "date_ymd"),
    ("rand_arm", "randomisation", "radio", "Allocated arm", "1, Usual care | 2, Vocational support",
     ""),
    ("rand_stratum", "randomisation", "text", "Randomisation stratum", "", ""),
    ("fu_returned_date", "followup_questionnaire", "text", "Date returned", "", "date_ymd"),
    ("fu_days_absent", "followup_questionnaire", "text", "Days off work sick", "", "integer"),
    ("fu_work_status", "followup_questionnaire", "radio", "Current work status",
     "1, Working, usual hours and duties | 2, Working, reduced hours or duties | 3, Off work sick "
     "| 4, Left the job", ""),
    ("fu_productivity_loss", "followup_questionnaire", "text", "Productivity loss (GBP)", "",
     "number"),
    ("fu_eq5d_index", "followup_questionnaire", "text", "EQ-5D-5L index", "", "number"),
    ("fu_eq_vas", "followup_questionnaire", "text", "EQ VAS", "", "integer"),
    ("fu_rtwse", "followup_questionnaire", "text", "RTWSE-11 item mean", "", "number"),
    ("sms_sent", "sms", "yesno", "SMS sent this fortnight?", "", ""),
    ("sms_sent_date", "sms", "text", "Date the SMS was sent", "", "date_ymd"),
    ("sms_reply_date", "sms", "text", "Date of the reply", "", "date_ymd"),
    ("sms_days_off", "sms", "text", "Days off work sick in the last 14 days", "", "integer"),
    ("vsw_contact_ref", "vsw_contact", "text", "Contact reference", "", ""),
    ("vsw_date", "vsw_contact", "text", "Date of contact", "", "date_ymd"),
    ("vsw_mode", "vsw_contact", "radio", "Mode of contact", "1, Telephone | 2, Video call", ""),
    ("vsw_minutes", "vsw_contact", "text", "Length of contact (minutes)", "", "integer"),
    ("vsw_step", "vsw_contact", "radio", "Stepped-care step", "1, Step 1 | 2, Step 2 | 3, Step 3",
     ""),
    ("wd_date", "withdrawal", "text", "Date of withdrawal", "", "date_ymd"),
    ("wd_type", "withdrawal", "radio", "Type of withdrawal",
     "1, Withdrew from follow-up | 2, Lost to follow-up | 3, Died", ""),
    ("wd_data_retained", "withdrawal", "yesno", "Data retained?", "", ""),
]
FORMS = ["baseline", "randomisation", "followup_questionnaire", "sms", "vsw_contact",
         "withdrawal"]
STRUCT = ["record_id", "redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance"]


def records_header() -> list[str]:
    cols = list(STRUCT)
    for form in FORMS:
        for name, f, kind, _label, choices, _v in FIELDS[1:]:
            if f != form:
                continue
            if kind == "checkbox":
                cols += [f"{name}___{c.split(',')[0].strip()}" for c in choices.split("|")]
            else:
                cols.append(name)
        cols.append(f"{form}_complete")
    return cols


def _baseline(*values: str) -> dict:
    """A baseline row from (id, practice, age, sex, condition, days, band, occupation,
    employment, eq5d, vas, rtwse, randomisation date, arm) codes."""
    pid, practice, age, sex, cond, days, band, occ, emp, eq, vas, rtw, date, arm = values
    checks = {f"fitnote_condition___{c}": "1" if c == cond else "0" for c in "123"}
    return {"record_id": pid, "redcap_event_name": "baseline_arm_1", "practice": practice,
            "bl_age": age, "bl_sex": sex, **checks, "bl_days_absent": days,
            "bl_absence_band": band, "bl_occupation": occ, "bl_employment": emp,
            "bl_eq5d_index": eq, "bl_eq_vas": vas, "bl_rtwse": rtw, "baseline_complete": "2",
            "rand_date": date, "rand_arm": arm, "rand_stratum": f"SYN-P0{practice} | "
            + ("2-6 weeks" if band == "1" else "over 6 weeks"), "randomisation_complete": "2"}


def _sms(pid, start_day, replies, stop=None):
    """13 instances; replies: fortnight -> days off ('-99' no reply); after ``stop`` not sent."""
    import datetime as dt

    rows = []
    for k in range(1, 14):
        sent = dt.date(2022, 6, start_day) + dt.timedelta(days=14 * k - 14)
        row = {"record_id": pid, "redcap_event_name": "baseline_arm_1",
               "redcap_repeat_instrument": "sms", "redcap_repeat_instance": str(k)}
        if stop is not None and k > stop:
            row.update(sms_sent="0", sms_days_off="NASK", sms_complete="0")
        else:
            days = replies.get(k, "-99")
            row.update(sms_sent="1", sms_sent_date=sent.isoformat(),
                       sms_reply_date="" if days == "-99" else sent.isoformat(),
                       sms_days_off=days, sms_complete="2")
        rows.append(row)
    return rows


def raw_records() -> list[dict]:
    rows = [_baseline("SYN-0001", "1", "51", "2", "1", "45", "2", "9", "1", "0.386", "31", "4.7",
                      "2022-05-24", "2")]
    rows += _sms("SYN-0001", 7, {1: "11", 2: "0", 3: "14", 5: "2"})
    rows += [{"record_id": "SYN-0001", "redcap_event_name": "baseline_arm_1",
              "redcap_repeat_instrument": "vsw_contact", "redcap_repeat_instance": str(i),
              "vsw_contact_ref": f"SYN-C001-0{i}", "vsw_date": d, "vsw_mode": m,
              "vsw_minutes": mins, "vsw_step": step, "vsw_contact_complete": "2"}
             for i, d, m, mins, step in ((1, "2022-06-03", "1", "67", "1"),
                                         (2, "2022-06-20", "2", "30", "2"))]
    rows.append({"record_id": "SYN-0001", "redcap_event_name": "followup_6w_arm_1",
                 "fu_returned_date": "2022-07-12", "fu_days_absent": "10", "fu_work_status": "1",
                 "fu_productivity_loss": "710.49", "fu_eq5d_index": "0.411", "fu_eq_vas": "38",
                 "fu_rtwse": "4.68", "followup_questionnaire_complete": "1"})
    rows.append(_baseline("SYN-0002", "2", "34", "1", "3", "20", "1", "2", "2", "0.7", "80",
                          "5.1", "2022-05-28", "1"))
    rows += _sms("SYN-0002", 11, {k: "0" for k in range(1, 14)})
    rows.append({"record_id": "SYN-0002", "redcap_event_name": "followup_6w_arm_1",
                 "followup_questionnaire_complete": "0"})  # event row, form never filled in
    rows.append(_baseline("SYN-0003", "2", "60", "1", "2", "100", "2", "1", "3", "0.2", "40",
                          "2.0", "2022-06-01", "1"))
    rows += _sms("SYN-0003", 15, {1: "14", 2: "14"}, stop=4)
    rows.append({"record_id": "SYN-0003", "redcap_event_name": "withdrawal_arm_1",
                 "wd_date": "2022-07-20", "wd_type": "1", "wd_data_retained": "1",
                 "withdrawal_complete": "2"})
    return rows


SIDE_FILES = {
    "practices.csv": "practice_id,practice_name,region,list_size,imd_quintile\n"
                     "SYN-P01,Synthetic Practice 01,North West,8000,2\n"
                     "SYN-P02,Synthetic Practice 02,West Midlands,12000,4\n",
    "screening.csv": "invitation_id,practice_id,invitation_date,responded,eligible,"
                     "ineligible_reason,consented,participant_id\n"
                     "SYN-INV1,SYN-P01,2022-05-02,true,true,,true,SYN-0001\n"
                     "SYN-INV2,SYN-P02,2022-05-03,true,true,,true,SYN-0002\n"
                     "SYN-INV3,SYN-P02,2022-05-04,true,true,,true,SYN-0003\n"
                     "SYN-INV4,SYN-P01,2022-05-05,false,,,,\n",
    "interviews.csv": "interview_id,stakeholder_group,participant_id,practice_id,interview_date,"
                      "transcript_file\nSYN-I01,patient,SYN-0001,SYN-P01,2023-01-31,SYN-I01.txt\n",
    "codebook.csv": "code_id,parent_id,name,level,description\nT1,,Planning,theme,Plans\n",
    "codings.csv": "interview_id,code_id,start,end,coder\nSYN-I01,T1,0,9,coder_1\n",
}


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(rows)


def write_export(folder: Path, rows: list[dict], *, dictionary: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "records.csv", records_header(), rows)
    if dictionary:
        write_csv(folder / "dictionary.csv", DICT_HEADER,
                  [dict(zip([DICT_HEADER[i] for i in (0, 1, 3, 4, 5, 7)], (n, f, t, lab, ch, v),
                            strict=True))
                   for n, f, t, lab, ch, v in FIELDS])
    for name, text in SIDE_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "transcripts").mkdir(exist_ok=True)
    (folder / "transcripts" / "SYN-I01.txt").write_text("SYNTHETIC interview text.\n", "utf-8")
    return folder


def as_labels(rows: list[dict]) -> list[dict]:
    """The rows as REDCap's 'CSV (labels)' export writes them."""
    choices = {n: {c.split(",", 1)[0].strip(): c.split(",", 1)[1].strip()
                   for c in ch.split("|")} for n, _f, _t, _l, ch, _v in FIELDS if ch}
    yesno = {n for n, _f, t, *_ in FIELDS if t == "yesno"}
    out = []
    for row in rows:
        new = {}
        for key, value in row.items():
            if key.endswith("_complete"):
                value = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}[value]
            elif "___" in key:
                value = {"1": "Checked", "0": "Unchecked"}[value]
            elif key in yesno and value in ("0", "1"):
                value = {"1": "Yes", "0": "No"}[value]
            elif key in choices and value:
                value = choices[key][value]
            new[key] = value
        out.append(new)
    return out
