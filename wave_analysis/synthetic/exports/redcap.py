"""The synthetic cohort as a REDCap export: a longitudinal project with repeating instruments.

Project design (what a trials unit would build for WAVE):

- events ``baseline_arm_1`` (forms ``baseline``, ``randomisation`` and the repeating
  instruments ``sms``, one instance per fortnight 1-13, and ``vsw_contact``, one instance per
  vocational support worker contact), ``followup_6w_arm_1`` and ``followup_6m_arm_1`` (form
  ``followup_questionnaire``) and ``withdrawal_arm_1`` (form ``withdrawal``);
- the fit-note condition is a checkbox (``fitnote_condition___1`` ...), the main condition ticked;
- project missing-data codes ``-99`` (no reply received) and ``NASK`` (not asked: no SMS sent
  after withdrawal) in ``sms_days_off``;
- form status: a fortnight's ``sms`` form with no message sent is Incomplete, questionnaires
  returned in the last 28 days before the data cut are Unverified (awaiting the second data
  entry check), everything else Complete.

Files: ``records.csv`` (flat export, one row per record x event x repeating instance),
``dictionary.csv`` (the 18-column data dictionary), the project design files ``events.csv``,
``instrument_designations.csv`` and ``repeating_instruments.csv``, and the side files a trials
unit keeps outside REDCap (``practices.csv``, ``screening.csv`` and the qualitative tables with
``transcripts/``), copied unchanged from the cohort. ``labels=True`` writes what REDCap's
"CSV (labels)" export writes with variable names as headers: coded answers as their labels,
checkboxes Checked/Unchecked, form status Incomplete/Unverified/Complete, and the event and
repeating-instrument columns as their labels too ("Baseline (Arm 1: Arm 1)", "SMS"), as the
REDCap API does for rawOrLabel=label (redcapAPI issues #171 and #257 describe it); the design
files (``events.csv``, ``arms.csv``, ``instruments.csv``) give the unique names behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wave_analysis.data.model import TrialData
from wave_analysis.design import FORTNIGHTS, WINDOW_DAYS
from wave_analysis.synthetic.exports import codes
from wave_analysis.synthetic.exports.codes import Choice
from wave_analysis.synthetic.exports.files import (
    SYNTHETIC_TITLE,
    cell_text,
    csv_bytes,
    readme,
    source_files,
)

STRUCTURAL = ("record_id", "redcap_event_name", "redcap_repeat_instrument",
              "redcap_repeat_instance")
EVENTS = (("baseline_arm_1", "Baseline"), ("followup_6w_arm_1", "6-week follow-up"),
          ("followup_6m_arm_1", "6-month follow-up"), ("withdrawal_arm_1", "Withdrawal"))
DESIGNATIONS = {"baseline_arm_1": ("baseline", "randomisation", "sms", "vsw_contact"),
                "followup_6w_arm_1": ("followup_questionnaire",),
                "followup_6m_arm_1": ("followup_questionnaire",),
                "withdrawal_arm_1": ("withdrawal",)}
REPEATING = {"sms": "Fortnight [sms_sent_date]", "vsw_contact": "[vsw_date] [vsw_mode]"}
FORM_LABELS = {"baseline": "Baseline", "randomisation": "Randomisation",
               "followup_questionnaire": "Follow-up questionnaire", "sms": "SMS",
               "vsw_contact": "VSW contact", "withdrawal": "Withdrawal"}
FORMS = tuple(FORM_LABELS)
ARM = ("1", "Arm 1")  # one arm (REDCap's default name): every participant follows one schedule
TIMEPOINT_EVENTS = {"6w": "followup_6w_arm_1", "6m": "followup_6m_arm_1"}
MISSING_CODES = (("-99", "No reply received"), ("NASK", "Not asked (no SMS sent)"))
STATUS = (("0", "Incomplete"), ("1", "Unverified"), ("2", "Complete"))
UNVERIFIED_DAYS = 28  # questionnaires returned this close to the data cut await their check
DICTIONARY_COLUMNS = (
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name", "Matrix Ranking?",
    "Field Annotation",
)


@dataclass(frozen=True)
class Field:
    """One row of the data dictionary."""

    name: str
    form: str
    kind: str  # REDCap field type: text, radio, dropdown, checkbox, yesno
    label: str
    choices: tuple[Choice, ...] = ()
    validation: str = ""
    vmin: str = ""
    vmax: str = ""
    note: str = ""
    section: str = ""
    branching: str = ""
    required: bool = True
    annotation: str = ""

    def dictionary_row(self) -> list[str]:
        choices = codes.choices_text(self.choices) if self.kind != "yesno" else ""
        return [self.name, self.form, self.section, self.kind, self.label, choices, self.note,
                self.validation, self.vmin, self.vmax, "", self.branching,
                "y" if self.required else "", "", "", "", "", self.annotation]


def _whole(low, high) -> dict:
    return {"validation": "integer", "vmin": str(low), "vmax": str(high)}


def _number(low, high="") -> dict:
    return {"validation": "number", "vmin": str(low), "vmax": str(high)}


def fields(practices: pd.DataFrame) -> tuple[Field, ...]:
    """The project's fields in form order (the data dictionary, without the automatic
    ``<form>_complete`` fields)."""
    return _baseline_fields(practices) + _followup_fields() + _log_fields()


def _baseline_fields(practices: pd.DataFrame) -> tuple[Field, ...]:
    b, r = "baseline", "randomisation"
    return (
        Field("record_id", b, "text", "Participant ID", note="SYN-nnnn (synthetic)"),
        Field("practice", b, "dropdown", "Recruiting general practice",
              codes.practice_choices(practices), section="Recruitment"),
        Field("bl_age", b, "text", "Age at randomisation (years)", **_whole(18, 100),
              section="Participant details"),
        Field("bl_sex", b, "radio", "Sex", codes.SEX),
        Field("fitnote_condition", b, "checkbox", "Condition on the fit note",
              codes.CONDITION, note="Tick the main condition only"),
        Field("bl_days_absent", b, "text", "Consecutive days off work sick before "
              "randomisation", **_whole(14, 183), note="Eligible: 14 to 183 days"),
        Field("bl_absence_band", b, "radio", "Length of sickness absence at baseline",
              codes.ABSENCE_BAND, note="Randomisation stratification factor"),
        Field("bl_occupation", b, "dropdown", "Occupation (SOC 2020 major group)",
              codes.OCCUPATION, section="Employment"),
        Field("bl_employment", b, "radio", "Employment type", codes.EMPLOYMENT),
        Field("bl_eq5d_index", b, "text", "EQ-5D-5L index (England value set)",
              **_number(-0.285, 1), section="Baseline questionnaire",
              note="Scored from the five EQ-5D-5L items by the data team"),
        Field("bl_eq_vas", b, "text", "EQ VAS (0 worst to 100 best imaginable health)",
              **_whole(0, 100)),
        Field("bl_rtwse", b, "text", "Return-to-work self-efficacy (RTWSE-11 item mean)",
              **_number(1, 6)),
        Field("rand_date", r, "text", "Date randomised", validation="date_ymd",
              annotation="@READONLY"),
        Field("rand_arm", r, "radio", "Allocated arm", codes.ARM, annotation="@READONLY"),
        Field("rand_stratum", r, "text", "Randomisation stratum (practice | absence band)",
              annotation="@READONLY", note="As recorded by the randomisation module"),
    )


def _followup_fields() -> tuple[Field, ...]:
    f = "followup_questionnaire"
    return (
        Field("fu_returned_date", f, "text", "Date questionnaire returned",
              validation="date_ymd"),
        Field("fu_days_absent", f, "text", "Days off work sick since randomisation",
              **_whole(0, WINDOW_DAYS), section="Work and sickness absence"),
        Field("fu_work_status", f, "radio", "Current work status", codes.WORK_STATUS),
        Field("fu_productivity_loss", f, "text", "Work productivity loss over the period (GBP)",
              **_number(0), note="WPAI:GH x reported earnings (human-capital method)"),
        Field("fu_eq5d_index", f, "text", "EQ-5D-5L index (England value set)",
              **_number(-0.285, 1), section="Health and self-efficacy"),
        Field("fu_eq_vas", f, "text", "EQ VAS (0 worst to 100 best imaginable health)",
              **_whole(0, 100)),
        Field("fu_rtwse", f, "text", "Return-to-work self-efficacy (RTWSE-11 item mean)",
              **_number(1, 6)),
    )


def _log_fields() -> tuple[Field, ...]:
    s, v, w = "sms", "vsw_contact", "withdrawal"
    sent = "[sms_sent] = '1'"
    return (
        Field("sms_sent", s, "yesno", "SMS sent this fortnight?",
              note="No once the participant has withdrawn"),
        Field("sms_sent_date", s, "text", "Date the SMS was sent", validation="date_ymd",
              branching=sent),
        Field("sms_reply_date", s, "text", "Date of the reply", validation="date_ymd",
              branching=sent, required=False),
        Field("sms_days_off", s, "text", "Days off work sick in the last 14 days (reply)",
              **_whole(0, 14), branching=sent, required=False,
              note="-99 when no reply was received"),
        Field("vsw_contact_ref", v, "text", "Contact reference (VSW service log)"),
        Field("vsw_date", v, "text", "Date of contact", validation="date_ymd"),
        Field("vsw_mode", v, "radio", "Mode of contact", codes.CONTACT_MODE),
        Field("vsw_minutes", v, "text", "Length of contact (minutes)", **_whole(1, 240)),
        Field("vsw_step", v, "radio", "Stepped-care step", codes.STEP),
        Field("wd_date", w, "text", "Date of withdrawal (last contact when lost to follow-up)",
              validation="date_ymd"),
        Field("wd_type", w, "radio", "Type of withdrawal", codes.WITHDRAWAL_TYPE),
        Field("wd_data_retained", w, "yesno",
              "May data collected before withdrawal be analysed?"),
    )


# --- records: one frame of project values per form, then coded ---------------------------------

def _rows(frame: pd.DataFrame, event: str, **values) -> pd.DataFrame:
    """Structural columns for ``frame``'s rows plus the given field columns. Typed columns
    (dates, numbers) become export text here, before rows of all forms are stacked; object
    columns are coded answers' project values, coded later."""
    out = pd.DataFrame({"record_id": frame["participant_id"].to_numpy(),
                        "redcap_event_name": event})
    for name, column in values.items():
        if isinstance(column, pd.Series):
            column = (column if column.dtype == object else cell_text(column)).to_numpy()
        out[name] = column
    return out


def _baseline(trial: TrialData) -> pd.DataFrame:
    p = trial.participants
    return _rows(p, "baseline_arm_1", practice=p.practice_id, bl_age=p.age, bl_sex=p.sex,
                 fitnote_condition=p.condition_group, bl_days_absent=p.days_absent_baseline,
                 bl_absence_band=p.absence_band, bl_occupation=p.occupation,
                 bl_employment=p.employment_type, bl_eq5d_index=p.eq5d_index,
                 bl_eq_vas=p.eq_vas, bl_rtwse=p.rtwse, baseline_complete="2",
                 rand_date=p.randomisation_date, rand_arm=p.arm, rand_stratum=p.stratum,
                 randomisation_complete="2")


def _followup(trial: TrialData) -> pd.DataFrame:
    q = trial.questionnaires
    cut = q["returned_date"].max() - pd.Timedelta(days=UNVERIFIED_DAYS)
    status = (q["returned_date"] > cut).map({True: "1", False: "2"})
    return _rows(q, q["timepoint"].map(TIMEPOINT_EVENTS), fu_returned_date=q.returned_date,
                 fu_days_absent=q.days_absent_self_report, fu_work_status=q.work_status,
                 fu_productivity_loss=q.productivity_loss_gbp, fu_eq5d_index=q.eq5d_index,
                 fu_eq_vas=q.eq_vas, fu_rtwse=q.rtwse, followup_questionnaire_complete=status)


def _sms(trial: TrialData) -> pd.DataFrame:
    s = trial.sms
    sent = s["sent_date"].notna()
    days = cell_text(s["days_off"])
    days = days.where(days.notna() | ~sent, "-99").where(sent, "NASK")
    return _rows(s, "baseline_arm_1", redcap_repeat_instrument="sms",
                 redcap_repeat_instance=s.fortnight.astype(str), sms_sent=sent.astype(object),
                 sms_sent_date=s.sent_date, sms_reply_date=s.reply_date, sms_days_off=days,
                 sms_complete=sent.map({True: "2", False: "0"}))


def _vsw(trial: TrialData) -> pd.DataFrame:
    v = trial.vsw_contacts.sort_values(["participant_id", "contact_date", "contact_id"])
    instance = v.groupby("participant_id").cumcount() + 1
    return _rows(v, "baseline_arm_1", redcap_repeat_instrument="vsw_contact",
                 redcap_repeat_instance=instance.astype(str), vsw_contact_ref=v.contact_id,
                 vsw_date=v.contact_date, vsw_mode=v["mode"], vsw_minutes=v.minutes,
                 vsw_step=v.step.astype(object), vsw_contact_complete="2")


def _withdrawal(trial: TrialData) -> pd.DataFrame:
    w = trial.withdrawals
    return _rows(w, "withdrawal_arm_1", wd_date=w.withdrawal_date, wd_type=w.withdrawal_type,
                 wd_data_retained=w.data_retained.astype(object), withdrawal_complete="2")


def _coded(frame: pd.DataFrame, field: Field, *, labels: bool) -> dict[str, pd.Series]:
    """A field's export column(s) from its project values (absent rows stay empty)."""
    values = frame[field.name] if field.name in frame else pd.Series(None, index=frame.index,
                                                                     dtype=object)
    present = values.notna()
    if field.kind == "checkbox":
        ticks = ("Checked", "Unchecked") if labels else ("1", "0")
        return {f"{field.name}___{c.code}": (values == c.value).map(
            {True: ticks[0], False: ticks[1]}).where(present, None) for c in field.choices}
    if field.kind == "yesno":
        return {field.name: codes.encode(values, codes.YES_NO, to="label" if labels else "code")}
    if field.choices:
        return {field.name: codes.encode(values, field.choices, to="label" if labels else "code")}
    return {field.name: cell_text(values)}


def records(trial: TrialData, *, labels: bool = False) -> pd.DataFrame:
    """The flat records export: one row per record x event x repeating instance, in REDCap's
    order (record, event, then repeating instrument and instance)."""
    parts = [_baseline(trial), _followup(trial), _sms(trial), _vsw(trial), _withdrawal(trial)]
    raw = pd.concat(parts, ignore_index=True)
    event_order = {name: i for i, (name, _) in enumerate(EVENTS)}
    form_order = {name: i for i, name in enumerate(FORMS)}
    keys = pd.DataFrame({
        "record": raw["record_id"], "event": raw["redcap_event_name"].map(event_order),
        "form": raw["redcap_repeat_instrument"].map(form_order).fillna(-1),
        "instance": pd.to_numeric(raw["redcap_repeat_instance"]).fillna(0)})
    raw = raw.loc[keys.sort_values(["record", "event", "form", "instance"]).index]
    raw = raw.reset_index(drop=True)
    out = {name: raw[name] for name in STRUCTURAL}
    if labels:
        out["redcap_event_name"] = raw["redcap_event_name"].map(event_labels())
        out["redcap_repeat_instrument"] = raw["redcap_repeat_instrument"].map(
            FORM_LABELS, na_action="ignore")
    status_text = dict(STATUS) if labels else {code: code for code, _ in STATUS}
    every = fields(trial.practices)
    for form in FORMS:
        for field in (f for f in every if f.form == form):
            out.update(_coded(raw, field, labels=labels))
        out[f"{form}_complete"] = raw[f"{form}_complete"].map(status_text, na_action="ignore")
    return pd.DataFrame(out)


def dictionary(practices: pd.DataFrame) -> pd.DataFrame:
    """The data dictionary (REDCap's 18 columns, one row per field)."""
    rows = [f.dictionary_row() for f in fields(practices)]
    return pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))


def event_labels() -> dict[str, str]:
    """Unique event name -> the label a label export writes: "Baseline (Arm 1: Arm 1)"."""
    return {name: f"{label} (Arm {ARM[0]}: {ARM[1]})" for name, label in EVENTS}


def _design_files() -> dict[str, bytes]:
    events = pd.DataFrame([(label, "1", name, "") for name, label in EVENTS],
                          columns=["event_name", "arm_num", "unique_event_name",
                                   "custom_event_label"])
    designations = pd.DataFrame([("1", event, form) for event, forms in DESIGNATIONS.items()
                                 for form in forms],
                                columns=["arm_num", "unique_event_name", "form"])
    repeating = pd.DataFrame([("baseline_arm_1", form, label)
                              for form, label in REPEATING.items()],
                             columns=["event_name", "form_name", "custom_form_label"])
    arms = pd.DataFrame([ARM], columns=["arm_num", "name"])
    instruments = pd.DataFrame(list(FORM_LABELS.items()),
                               columns=["instrument_name", "instrument_label"])
    return {"arms.csv": csv_bytes(arms), "instruments.csv": csv_bytes(instruments),
            "events.csv": csv_bytes(events),
            "instrument_designations.csv": csv_bytes(designations),
            "repeating_instruments.csv": csv_bytes(repeating)}


def render(trial: TrialData, source: Path, *, labels: bool = False) -> dict[str, bytes]:
    """Every file of the REDCap rendering (relative path -> bytes)."""
    files = {"records.csv": csv_bytes(records(trial, labels=labels)),
             "dictionary.csv": csv_bytes(dictionary(trial.practices)), **_design_files()}
    files.update(source_files(source, ("practices", "screening")))
    files.update(source_files(source))
    files["README.txt"] = readme("a REDCap export", _readme_body(labels))
    return dict(sorted(files.items()))


def _readme_body(labels: bool) -> str:
    kind = ("CSV (labels): coded answers as their labels, checkboxes\nChecked/Unchecked, form "
            "status Incomplete/Unverified/Complete, events and repeating\ninstruments as their "
            "labels" if labels else
            "CSV (raw data): coded answers as their codes, checkboxes\n1/0, form status 0/1/2")
    missing = "; ".join(f"{code} = {label}" for code, label in MISSING_CODES)
    return f"""REDCap project "{SYNTHETIC_TITLE}", longitudinal, one arm.
Export type: {kind}. Headers are variable names.

records.csv      flat records export: record_id, redcap_event_name, redcap_repeat_instrument,
                 redcap_repeat_instance, then every field and <form>_complete
dictionary.csv   the project's data dictionary (18 columns)
arms.csv, events.csv, instruments.csv, instrument_designations.csv,
repeating_instruments.csv
                 the project design: arm, events, forms, forms per event, repeating forms
practices.csv, screening.csv
                 kept by the trials unit outside REDCap (practice list, screening log)
interviews.csv, codebook.csv, codings.csv, transcripts/
                 the qualitative study's tables, unchanged

Events: baseline_arm_1 (baseline, randomisation; repeating sms = fortnights 1-{FORTNIGHTS},
repeating vsw_contact), followup_6w_arm_1 and followup_6m_arm_1 (followup_questionnaire),
withdrawal_arm_1 (withdrawal).
Project missing-data codes: {missing}.
Form status: sms forms with no message sent are Incomplete; questionnaires returned in the last
{UNVERIFIED_DAYS} days before the data cut are Unverified.

Import: wave-analysis import --mapping redcap_wave SOURCE OUTDIR
"""
