"""The synthetic cohort as a trial team's own files: an SPSS baseline file with value labels, an
Excel follow-up workbook and the SMS returns saved from Excel as CSV, with the team's column names.

- ``WAVE_SYNTHETIC_baseline.sav``: one row per participant; short SPSS names (``TrialID``,
  ``DateRand`` ...) with variable labels ("Trial ID", "Date randomised" ...); coded answers
  numeric with value labels (``1 'Usual care'``); dates as SPSS dates shown dd.mm.yyyy.
- ``WAVE_SYNTHETIC_follow_up.xlsx``: sheets ``Questionnaires``, ``VSW contacts`` and
  ``Withdrawals``; headers as the team writes them ("Trial ID", "Date returned" ...), answers as
  words, dates as Excel dates shown dd/mm/yyyy.
- ``WAVE_SYNTHETIC_sms_returns.csv``: the SMS returns sheet saved as CSV: dates as text
  dd/mm/yyyy, no reply left blank.

Both binary formats carry a save time: the SPSS header's creation date and time, and the
workbook's document properties and zip entry times. They are set to the data cut (the cohort's
last date) so the bytes depend on the data only.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from wave_analysis.data.model import TrialData
from wave_analysis.synthetic.exports import codes
from wave_analysis.synthetic.exports.codes import Choice
from wave_analysis.synthetic.exports.files import (
    SYNTHETIC_TITLE,
    cell_text,
    csv_bytes,
    readme,
    source_files,
)

PREFIX = "WAVE_SYNTHETIC_"
TIMEPOINTS = {"6w": "6 weeks", "6m": "6 months"}
YES_NO = codes.make_choices((True, False), ("Y", "N"), codes=("Y", "N"))
# SPSS: variable -> (label, coded answers or None); order is the file's column order
SAV_VARIABLES = {
    "TrialID": ("Trial ID", None), "Practice": ("GP practice", None),
    "DateRand": ("Date randomised", None), "Arm": ("Randomised arm", codes.ARM),
    "Stratum": ("Randomisation stratum", None), "Age": ("Age (years)", None),
    "Sex": ("Sex", codes.SEX), "Condition": ("Main condition on fit note", codes.CONDITION),
    "DaysOff": ("Days off sick before randomisation", None),
    "AbsBand": ("Absence band (stratifier)", codes.ABSENCE_BAND),
    "SOC": ("Occupation (SOC 2020 major group)", codes.OCCUPATION),
    "EmpType": ("Employment type", codes.EMPLOYMENT), "EQ5D": ("EQ-5D-5L index", None),
    "EQVAS": ("EQ VAS", None), "RTWSE": ("RTW self-efficacy (RTWSE-11 mean)", None),
}
SAV_FORMATS = {"TrialID": "A10", "Practice": "A10", "DateRand": "EDATE10", "Stratum": "A30",
               "Age": "F3.0", "DaysOff": "F3.0", "EQ5D": "F6.3", "EQVAS": "F3.0",
               "RTWSE": "F4.2"}


def _numeric_codes(values: pd.Series, choices: tuple[Choice, ...]) -> pd.Series:
    return codes.encode(values, choices).astype(float)


def baseline(trial: TrialData) -> pd.DataFrame:
    """The SPSS baseline file's data: coded answers as numbers, dates as dates."""
    p = trial.participants
    columns = {"TrialID": p["participant_id"], "Practice": p["practice_id"],
               "DateRand": p["randomisation_date"].dt.date, "Arm": p["arm"],
               "Stratum": p["stratum"], "Age": p["age"], "Sex": p["sex"],
               "Condition": p["condition_group"], "DaysOff": p["days_absent_baseline"],
               "AbsBand": p["absence_band"], "SOC": p["occupation"],
               "EmpType": p["employment_type"], "EQ5D": p["eq5d_index"], "EQVAS": p["eq_vas"],
               "RTWSE": p["rtwse"]}
    out = {}
    for name, (_label, choices) in SAV_VARIABLES.items():
        values = columns[name]
        if choices is not None:
            values = _numeric_codes(values, choices)
        elif str(values.dtype) == "Int64":
            values = values.astype(float)
        out[name] = values
    return pd.DataFrame(out)


def _sav_bytes(frame: pd.DataFrame, saved: datetime) -> bytes:
    import pyreadstat  # optional and slow to import: only when the .sav is written

    labels = {name: {float(c.code): c.label for c in choices}
              for name, (_label, choices) in SAV_VARIABLES.items() if choices is not None}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline.sav"
        pyreadstat.write_sav(
            frame, str(path), file_label=f"{SYNTHETIC_TITLE} baseline"[:64],
            column_labels={name: label for name, (label, _) in SAV_VARIABLES.items()},
            variable_value_labels=labels, variable_format=SAV_FORMATS,
            variable_measure={name: "nominal" for name in labels})
        data = bytearray(path.read_bytes())
    # SPSS header: creation date (9 bytes, "dd Mon yy") and time (8, "hh:mm:ss") at byte 92
    # hold the save time; set them to the data cut so the file depends on the data only.
    stamp = saved.strftime("%d %b %y%H:%M:%S").encode("ascii")
    if data[92:101].decode("ascii", "replace")[2] != " " or len(stamp) != 17:
        raise RuntimeError("unexpected SPSS header layout from pyreadstat")  # format changed
    data[92:109] = stamp
    return bytes(data)


def _sheets(trial: TrialData) -> dict[str, pd.DataFrame]:
    q = trial.questionnaires.sort_values(["participant_id", "returned_date"])
    v = trial.vsw_contacts
    w = trial.withdrawals
    label = {"to": "label"}
    return {
        "Questionnaires": pd.DataFrame({
            "Trial ID": q["participant_id"], "Timepoint": q["timepoint"].map(TIMEPOINTS),
            "Date returned": q["returned_date"],
            "Days off sick since randomisation": q["days_absent_self_report"],
            "Work status": codes.encode(q["work_status"], codes.WORK_STATUS, **label),
            "Productivity loss (£)": q["productivity_loss_gbp"], "EQ-5D index": q["eq5d_index"],
            "EQ VAS": q["eq_vas"], "RTWSE": q["rtwse"]}),
        "VSW contacts": pd.DataFrame({
            "Contact ID": v["contact_id"], "Trial ID": v["participant_id"],
            "Date of contact": v["contact_date"],
            "Mode": codes.encode(v["mode"], codes.CONTACT_MODE, **label),
            "Minutes": v["minutes"], "Step": v["step"]}),
        "Withdrawals": pd.DataFrame({
            "Trial ID": w["participant_id"], "Date withdrawn": w["withdrawal_date"],
            "Type": codes.encode(w["withdrawal_type"], codes.WITHDRAWAL_TYPE, **label),
            "Data may be used (Y/N)": codes.encode(w["data_retained"].astype(object), YES_NO)}),
    }


def _cell(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value.item() if hasattr(value, "item") else value


def _xlsx_bytes(sheets: dict[str, pd.DataFrame], saved: datetime) -> bytes:
    from openpyxl import Workbook  # optional: only when the workbook is written

    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"{SYNTHETIC_TITLE} follow-up"
    book.properties.creator = "wave_analysis.synthetic (synthetic data)"
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for col, series in enumerate(frame.columns, start=1):
            if pd.api.types.is_datetime64_any_dtype(frame[series]):
                for cell in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell[0].number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), saved)


def _fixed_zip(data: bytes, saved: datetime) -> bytes:
    """The workbook with its save time replaced by ``saved``: the document properties'
    created/modified and every zip entry's time."""
    stamp = saved.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                                 rb"\g<1>" + stamp.encode("ascii"), content)
            entry = zipfile.ZipInfo(info.filename, date_time=saved.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_STORED  # no zlib: same bytes whatever the zlib build
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def sms_returns(trial: TrialData) -> pd.DataFrame:
    """The SMS returns sheet as the team saves it to CSV (dates dd/mm/yyyy as text)."""
    s = trial.sms
    return pd.DataFrame({
        "Trial ID": s["participant_id"], "Fortnight": cell_text(s["fortnight"]),
        "Date sent": cell_text(s["sent_date"], date_format="%d/%m/%Y"),
        "Date replied": cell_text(s["reply_date"], date_format="%d/%m/%Y"),
        "Days off sick (last 14 days)": cell_text(s["days_off"])})


def data_cut(trial: TrialData) -> datetime:
    """The cohort's last date: the save time written into the binary files."""
    dates = [trial.sms["reply_date"].max(), trial.sms["sent_date"].max(),
             trial.questionnaires["returned_date"].max(),
             trial.withdrawals["withdrawal_date"].max()]
    return max(d for d in dates if pd.notna(d)).to_pydatetime().replace(hour=17)


def render(trial: TrialData, source: Path) -> dict[str, bytes]:
    """Every file of the spreadsheet rendering (relative path -> bytes)."""
    saved = data_cut(trial)
    files = {f"{PREFIX}baseline.sav": _sav_bytes(baseline(trial), saved),
             f"{PREFIX}follow_up.xlsx": _xlsx_bytes(_sheets(trial), saved),
             f"{PREFIX}sms_returns.csv": csv_bytes(sms_returns(trial))}
    files.update(source_files(source, ("practices", "screening")))
    files.update(source_files(source))
    files["README.txt"] = readme("a trial team's own spreadsheets and SPSS file", _README)
    return dict(sorted(files.items()))


_README = f"""The team's own files for "{SYNTHETIC_TITLE}", with their own column names.

{PREFIX}baseline.sav       SPSS: one row per participant, value labels on coded answers,
                                  variable labels ("Trial ID", "Date randomised" ...)
{PREFIX}follow_up.xlsx     Excel: sheets Questionnaires, VSW contacts, Withdrawals
                                  (dates shown dd/mm/yyyy)
{PREFIX}sms_returns.csv    the SMS returns sheet saved as CSV (dates dd/mm/yyyy as text)
practices.csv, screening.csv, interviews.csv, codebook.csv, codings.csv, transcripts/
                                  kept in the project's own format, copied unchanged

The SPSS header and the workbook properties carry the data cut as their save time.

Import: wave-analysis import --mapping spreadsheet_wave SOURCE OUTDIR
"""
