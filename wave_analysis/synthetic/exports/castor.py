"""The synthetic cohort as a Castor EDC-style export: semicolon-separated CSV files.

Castor writes one wide study file (one row per participant: ``Participant Id``, ``Participant
Status``, ``Site Abbreviation``, ``Participant Creation Date``, ``Randomization Group`` as the
group's name, ``Randomization Datetime``, then the study form's variables), one long file per
repeating-data form (``Repeating Data Creation Date``, ``Repeating data Name Custom``,
``Repeating data Parent``, then the form's variables) and one long file per survey (``Survey
Package Name``, ``Survey Completed On``, then the survey's variables). Coded answers hold the
option value; the option groups are listed in their own file. Dates are ``dd-mm-yyyy`` and date
times ``dd-mm-yyyy HH:MM:SS``. Castor's user-missing codes mark answers that were never given:
``-97`` not asked (no SMS sent after withdrawal), ``-98`` asked but unknown (no reply).

Study design here: sites are the practices; the randomisation stratum is a calculation field
(``strat_calc``); withdrawal is part of the study form (``wd_withdrawn`` yes/no, then its
details); repeating data ``sms`` (one instance per fortnight, numbered in ``sms_fortnight``) and
``vsw_contact``; survey ``Follow-up questionnaire`` sent in two survey packages (6 weeks, 6
months). Clock times are not in the cohort, so the rendering gives each participant a fixed
working-hours time derived from the participant number (deterministic, not random).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wave_analysis.data.model import TrialData
from wave_analysis.synthetic.exports import codes
from wave_analysis.synthetic.exports.files import (
    SYNTHETIC_TITLE,
    cell_text,
    csv_bytes,
    readme,
    source_files,
)

PREFIX = "WAVE_SYNTHETIC_"
DATE = "%d-%m-%Y"
NOT_ASKED, UNKNOWN = "-97", "-98"  # Castor user-missing codes
PACKAGES = {"6w": "6-week follow-up", "6m": "6-month follow-up"}
STUDY_OPTIONS = {  # variable -> option group (the coded variables of the study form)
    "sex": ("Sex", codes.SEX), "fitnote_cond": ("Fit-note condition", codes.CONDITION),
    "absence_band": ("Absence band", codes.ABSENCE_BAND),
    "occupation": ("SOC 2020 major group", codes.OCCUPATION),
    "employment": ("Employment type", codes.EMPLOYMENT), "wd_withdrawn": ("Yes/No", codes.YES_NO),
    "wd_type": ("Withdrawal type", codes.WITHDRAWAL_TYPE),
    "wd_data_retained": ("Yes/No", codes.YES_NO),
}
FORM_OPTIONS = {"sms_sent": ("Yes/No", codes.YES_NO),
                "vsw_mode": ("Contact mode", codes.CONTACT_MODE),
                "vsw_step": ("Stepped-care step", codes.STEP),
                "fu_work_status": ("Work status", codes.WORK_STATUS)}


def _number(participant_ids: pd.Series) -> pd.Series:
    return participant_ids.str.extract(r"(\d+)$", expand=False).astype(int)


def _stamp(dates: pd.Series, participant_ids: pd.Series, *, shift: int = 0) -> pd.Series:
    """``dd-mm-yyyy HH:MM:SS`` at a fixed working-hours time per participant (09:45-16:44),
    moved by ``shift`` minutes (-45 to +15) for events before or after it that day."""
    minutes = (_number(participant_ids) * 37) % 420 + 9 * 60 + 45 + shift
    stamps = dates + pd.to_timedelta(minutes.to_numpy(), unit="min")
    return cell_text(stamps, date_format=f"{DATE} %H:%M:%S")


def _code(values: pd.Series, choices) -> pd.Series:
    return codes.encode(values.astype(object), choices)


def study(trial: TrialData) -> pd.DataFrame:
    """The wide study file: one row per participant, withdrawal details on the same row."""
    p = trial.participants
    w = trial.withdrawals.set_index("participant_id").reindex(p["participant_id"])
    ids = p["participant_id"]
    return pd.DataFrame({
        "Participant Id": ids, "Participant Status": "Active",
        "Site Abbreviation": p["practice_id"],
        "Participant Creation Date": _stamp(p["randomisation_date"], ids, shift=-45),
        "Randomization Group": codes.encode(p["arm"], codes.ARM, to="label"),
        "Randomization Datetime": _stamp(p["randomisation_date"], ids),
        "age": cell_text(p["age"]), "sex": _code(p["sex"], codes.SEX),
        "fitnote_cond": _code(p["condition_group"], codes.CONDITION),
        "days_absent": cell_text(p["days_absent_baseline"]),
        "absence_band": _code(p["absence_band"], codes.ABSENCE_BAND),
        "occupation": _code(p["occupation"], codes.OCCUPATION),
        "employment": _code(p["employment_type"], codes.EMPLOYMENT),
        "eq5d_index": cell_text(p["eq5d_index"]), "eq_vas": cell_text(p["eq_vas"]),
        "rtwse": cell_text(p["rtwse"]), "strat_calc": p["stratum"],
        "wd_withdrawn": _code(pd.Series(w.index.isin(trial.withdrawals["participant_id"])),
                              codes.YES_NO),
        "wd_date": cell_text(w["withdrawal_date"], date_format=DATE).to_numpy(),
        "wd_type": _code(w["withdrawal_type"], codes.WITHDRAWAL_TYPE).to_numpy(),
        "wd_data_retained": _code(w["data_retained"], codes.YES_NO).to_numpy(),
    })


def _repeating(frame: pd.DataFrame, created: pd.Series, name: pd.Series, parent: str,
               ) -> pd.DataFrame:
    ids = frame["participant_id"].reset_index(drop=True)
    return pd.DataFrame({"Participant Id": ids, "Participant Status": "Active",
                         "Repeating Data Creation Date": _stamp(created.reset_index(drop=True),
                                                                ids, shift=10),
                         "Repeating data Name Custom": name.reset_index(drop=True),
                         "Repeating data Parent": parent})


def sms(trial: TrialData) -> pd.DataFrame:
    """Repeating data ``sms``: one instance per participant and fortnight."""
    s = trial.sms
    sent = s["sent_date"].notna()
    days = cell_text(s["days_off"])
    days = days.where(days.notna() | ~sent, UNKNOWN).where(sent, NOT_ASKED)
    randomised = s["participant_id"].map(
        trial.participants.set_index("participant_id")["randomisation_date"])
    out = _repeating(s, randomised, "Fortnight " + s["fortnight"].astype(str), "Follow-up")
    return out.assign(
        sms_fortnight=cell_text(s["fortnight"]).to_numpy(),
        sms_sent=_code(sent, codes.YES_NO).to_numpy(),
        sms_sent_date=cell_text(s["sent_date"], date_format=DATE).to_numpy(),
        sms_reply_date=cell_text(s["reply_date"], date_format=DATE).to_numpy(),
        sms_days_off=days.to_numpy())


def vsw_contacts(trial: TrialData) -> pd.DataFrame:
    """Repeating data ``vsw_contact``: one instance per contact, in date order."""
    v = trial.vsw_contacts.sort_values(["participant_id", "contact_date", "contact_id"])
    number = v.groupby("participant_id").cumcount() + 1
    out = _repeating(v, v["contact_date"], "VSW contact " + number.astype(str), "Intervention")
    return out.assign(
        vsw_contact_ref=v["contact_id"].to_numpy(),
        vsw_date=cell_text(v["contact_date"], date_format=DATE).to_numpy(),
        vsw_mode=_code(v["mode"], codes.CONTACT_MODE).to_numpy(),
        vsw_minutes=cell_text(v["minutes"]).to_numpy(),
        vsw_step=_code(v["step"], codes.STEP).to_numpy())


def questionnaires(trial: TrialData) -> pd.DataFrame:
    """Survey ``Follow-up questionnaire``: one row per completed survey package."""
    q = trial.questionnaires.sort_values(["participant_id", "returned_date"])
    ids = q["participant_id"]
    return pd.DataFrame({
        "Participant Id": ids, "Participant Status": "Active",
        "Survey Package Name": q["timepoint"].map(PACKAGES),
        "Survey Completed On": _stamp(q["returned_date"], ids, shift=15),
        "fu_days_absent": cell_text(q["days_absent_self_report"]),
        "fu_work_status": _code(q["work_status"], codes.WORK_STATUS),
        "fu_productivity_loss": cell_text(q["productivity_loss_gbp"]),
        "fu_eq5d_index": cell_text(q["eq5d_index"]), "fu_eq_vas": cell_text(q["eq_vas"]),
        "fu_rtwse": cell_text(q["rtwse"]),
    }).reset_index(drop=True)


def option_groups() -> pd.DataFrame:
    """Castor's option groups: one row per option, with the variables that use the group."""
    users: dict[str, list[str]] = {}
    groups: dict[str, tuple] = {}
    for variable, (group, choices) in {**STUDY_OPTIONS, **FORM_OPTIONS}.items():
        users.setdefault(group, []).append(variable)
        groups[group] = choices
    rows = [(group, c.label, c.code, ", ".join(users[group]))
            for group, choices in groups.items() for c in choices]
    return pd.DataFrame(rows, columns=["Option Group Name", "Option Name", "Option Value",
                                       "Used By"])


def render(trial: TrialData, source: Path) -> dict[str, bytes]:
    """Every file of the Castor rendering (relative path -> bytes)."""
    def semi(frame):
        return csv_bytes(frame, sep=";")
    files = {f"{PREFIX}Study.csv": semi(study(trial)),
             f"{PREFIX}Repeating_data_sms.csv": semi(sms(trial)),
             f"{PREFIX}Repeating_data_vsw_contact.csv": semi(vsw_contacts(trial)),
             f"{PREFIX}Survey_followup_questionnaire.csv": semi(questionnaires(trial)),
             f"{PREFIX}Option_groups.csv": semi(option_groups())}
    files.update(source_files(source, ("practices", "screening")))
    files.update(source_files(source))
    files["README.txt"] = readme("a Castor EDC-style export", _README)
    return dict(sorted(files.items()))


_README = f"""Castor study "{SYNTHETIC_TITLE}". Semicolon-separated UTF-8 CSV, dates dd-mm-yyyy.

{PREFIX}Study.csv                        one row per participant (study form, withdrawal)
{PREFIX}Repeating_data_sms.csv           one row per participant and SMS fortnight
{PREFIX}Repeating_data_vsw_contact.csv   one row per vocational support worker contact
{PREFIX}Survey_followup_questionnaire.csv one row per completed follow-up survey package
{PREFIX}Option_groups.csv                coded answers: option group, name, value
practices.csv, screening.csv             kept outside Castor (practice list, screening log)
interviews.csv, codebook.csv, codings.csv, transcripts/   qualitative tables, unchanged

User-missing codes: {NOT_ASKED} not asked (no SMS sent after withdrawal), {UNKNOWN} asked but
unknown (no reply). Clock times are fixed per participant (the cohort has dates only).

Import: wave-analysis import --mapping castor_wave SOURCE OUTDIR
"""
