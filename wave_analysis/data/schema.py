"""pandera schemas for every input table of a WAVE export.

The schemas are the single source of truth for column names, types, ranges and allowed values:
:mod:`wave_analysis.data.load` coerces and validates with them, and ``docs/data_dictionary.md`` is
generated from them (``wave-analysis dictionary``; a test fails when it is stale).

Column ``metadata["kind"]`` tells the loader how to parse raw text: ``id`` and ``str`` stay
strings, ``int``/``float`` are numbers, ``date`` is an ISO date (YYYY-MM-DD), ``bool`` accepts
true/false/yes/no/1/0.

Instruments. The trial's exact questionnaire items are not public, so the project uses standard,
validated measures (documented per column): EQ-5D-5L index (England value set, range -0.285 to 1)
and EQ VAS (0-100) for health; the Return-to-Work Self-Efficacy scale (RTWSE-11, Lagerveld et al.
2010; 11 items scored 1-6, reported as the item mean) for self-efficacy; the Work Productivity and
Activity Impairment questionnaire (WPAI:GH, Reilly 1993) converted to a productivity-loss cost in
GBP with the participant's reported earnings (human-capital method).
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.pandas import Check, Column

from wave_analysis.design import (
    ARMS,
    CODE_LEVELS,
    CONDITION_GROUPS,
    CONTACT_MODES,
    DAYS_PER_FORTNIGHT,
    EMPLOYMENT_TYPES,
    FORTNIGHTS,
    INELIGIBLE_REASONS,
    OCCUPATION_GROUPS,
    SEXES,
    STAKEHOLDER_GROUPS,
    TIMEPOINTS,
    WINDOW_DAYS,
    WITHDRAWAL_TYPES,
    WORK_STATUSES,
)

# ASCII digits only: in pandera/regex `\d` also matches non-ASCII digits.
PRACTICE_ID = r"^[A-Za-z0-9_-]{1,20}$"
PARTICIPANT_ID = r"^[A-Za-z0-9_-]{1,30}$"


def _col(kind: str, description: str, *checks: Check, nullable: bool = False,
         unique: bool = False, title: str | None = None) -> Column:
    dtype = {
        "id": str, "str": str, "int": "Int64", "float": float,
        "date": "datetime64[ns]", "bool": "boolean",
    }[kind]
    return Column(dtype, checks=list(checks), nullable=nullable, unique=unique,
                  description=description, title=title, metadata={"kind": kind})


def _one_of(values) -> Check:
    return Check.isin(list(values), error=f"must be one of {', '.join(values)}")


def _between(lo, hi) -> Check:
    return Check.in_range(lo, hi, error=f"must be between {lo} and {hi}")


def _id(pattern: str) -> Check:
    return Check.str_matches(pattern, error="letters, digits, '-' or '_' only (ASCII)")


PRACTICES = pa.DataFrameSchema(
    {
        "practice_id": _col("id", "Practice identifier.", _id(PRACTICE_ID), unique=True),
        "practice_name": _col("str", "Practice name (synthetic in the bundled data)."),
        "region": _col("str", "English region of the practice."),
        "list_size": _col("int", "Registered patients.", _between(500, 100_000)),
        "imd_quintile": _col("int", "Index of Multiple Deprivation quintile (1 most deprived).",
                             _between(1, 5)),
    },
    name="practices", strict=True, ordered=False,
    description="One row per participating general practice.",
)

SCREENING = pa.DataFrameSchema(
    {
        "invitation_id": _col("id", "Invitation identifier.", _id(PARTICIPANT_ID), unique=True),
        "practice_id": _col("id", "Practice that sent the invitation.", _id(PRACTICE_ID)),
        "invitation_date": _col("date", "Date the invitation was sent."),
        "responded": _col("bool", "The invitee replied."),
        "eligible": _col("bool", "Eligible at screening; empty when not assessed.", nullable=True),
        "ineligible_reason": _col("str", "Main reason when not eligible.",
                                  _one_of(INELIGIBLE_REASONS), nullable=True),
        "consented": _col("bool", "Gave written consent; empty when not asked.", nullable=True),
        "participant_id": _col("id", "Trial id when randomised, else empty.", _id(PARTICIPANT_ID),
                               nullable=True),
    },
    name="screening", strict=True, ordered=False,
    description="One row per invitation letter (the top of the CONSORT flow).",
)

PARTICIPANTS = pa.DataFrameSchema(
    {
        "participant_id": _col("id", "Trial participant id (pseudonymous).", _id(PARTICIPANT_ID),
                               unique=True),
        "practice_id": _col("id", "Recruiting practice.", _id(PRACTICE_ID)),
        "arm": _col("str", "Randomised arm.", _one_of(ARMS)),
        "randomisation_date": _col("date", "Date of randomisation (day 0 of follow-up)."),
        "stratum": _col("str", "Randomisation stratum: practice x baseline absence band "
                        "(the trial's factors were not published; this project's choice)."),
        "age": _col("int", "Age in years at randomisation.", _between(18, 100)),
        "sex": _col("str", "Sex.", _one_of(SEXES)),
        "condition_group": _col("str", "Health condition on the fit note, grouped.",
                                _one_of(CONDITION_GROUPS)),
        "days_absent_baseline": _col("int", "Consecutive days off work before randomisation "
                                     "(eligibility: 14 to 183).", _between(14, 183)),
        "absence_band": _col("str", "Baseline absence band used for stratification.",
                             _one_of(("2-6 weeks", "over 6 weeks"))),
        "occupation": _col("str", "Occupation, SOC 2020 major group.", _one_of(OCCUPATION_GROUPS)),
        "employment_type": _col("str", "Employment type.", _one_of(EMPLOYMENT_TYPES)),
        "eq5d_index": _col("float", "EQ-5D-5L index at baseline (England value set).",
                           _between(-0.285, 1.0)),
        "eq_vas": _col("int", "EQ VAS at baseline, 0 (worst) to 100 (best).", _between(0, 100)),
        "rtwse": _col("float", "Return-to-work self-efficacy (RTWSE-11 item mean, 1-6).",
                      _between(1.0, 6.0)),
    },
    name="participants", strict=True, ordered=False,
    description="One row per randomised participant, with baseline measures.",
)

SMS = pa.DataFrameSchema(
    {
        "participant_id": _col("id", "Trial participant id.", _id(PARTICIPANT_ID)),
        "fortnight": _col("int", f"Follow-up fortnight, 1 to {FORTNIGHTS}.",
                          _between(1, FORTNIGHTS)),
        "sent_date": _col("date", "Date the SMS was sent (randomisation + 14 x fortnight days); "
                          "empty when not sent (after withdrawal).", nullable=True),
        "reply_date": _col("date", "Date of the reply; empty when no reply.", nullable=True),
        "days_off": _col("int", "Days off work sick in the last 14 days; empty when no reply.",
                         _between(0, DAYS_PER_FORTNIGHT), nullable=True),
    },
    name="sms", strict=True, ordered=False, unique=["participant_id", "fortnight"],
    description="One row per participant per follow-up fortnight (the fortnightly SMS).",
)

QUESTIONNAIRES = pa.DataFrameSchema(
    {
        "participant_id": _col("id", "Trial participant id.", _id(PARTICIPANT_ID)),
        "timepoint": _col("str", "Follow-up point: 6w (6 weeks) or 6m (6 months).",
                          _one_of(TIMEPOINTS)),
        "returned_date": _col("date", "Date the questionnaire was returned."),
        "days_absent_self_report": _col(
            "int", f"Self-reported days off work sick since randomisation (0-{WINDOW_DAYS}).",
            _between(0, WINDOW_DAYS), nullable=True),
        "work_status": _col("str", "Current work status.", _one_of(WORK_STATUSES), nullable=True),
        "productivity_loss_gbp": _col("float", "Work productivity loss over the period, GBP "
                                      "(WPAI:GH x earnings, human-capital method).",
                                      Check.ge(0, error="must be 0 or more"), nullable=True),
        "eq5d_index": _col("float", "EQ-5D-5L index (England value set).", _between(-0.285, 1.0),
                           nullable=True),
        "eq_vas": _col("int", "EQ VAS, 0-100.", _between(0, 100), nullable=True),
        "rtwse": _col("float", "Return-to-work self-efficacy (RTWSE-11 item mean, 1-6).",
                      _between(1.0, 6.0), nullable=True),
    },
    name="questionnaires", strict=True, ordered=False, unique=["participant_id", "timepoint"],
    description="One row per returned follow-up questionnaire (6 weeks, 6 months).",
)

VSW_CONTACTS = pa.DataFrameSchema(
    {
        "contact_id": _col("id", "Contact identifier.", _id(PARTICIPANT_ID), unique=True),
        "participant_id": _col("id", "Trial participant id (intervention arm).",
                               _id(PARTICIPANT_ID)),
        "contact_date": _col("date", "Date of the contact."),
        "mode": _col("str", "Remote delivery mode.", _one_of(CONTACT_MODES)),
        "minutes": _col("int", "Length of the contact in minutes.", _between(1, 240)),
        "step": _col("int", "Stepped-care step: 1 assessment and return-to-work plan, 2 ongoing "
                     "support and workplace liaison, 3 case review or onward referral.",
                     _between(1, 3)),
    },
    name="vsw_contacts", strict=True, ordered=False,
    description="One row per vocational support worker contact with a participant.",
)

WITHDRAWALS = pa.DataFrameSchema(
    {
        "participant_id": _col("id", "Trial participant id.", _id(PARTICIPANT_ID), unique=True),
        "withdrawal_date": _col("date", "Date of withdrawal or of the last contact when lost."),
        "withdrawal_type": _col("str", "Withdrew, lost to follow-up, or died.",
                                _one_of(WITHDRAWAL_TYPES)),
        "data_retained": _col("bool", "Data collected before withdrawal may be analysed."),
    },
    name="withdrawals", strict=True, ordered=False,
    description="One row per participant who withdrew or was lost to follow-up.",
)

INTERVIEWS = pa.DataFrameSchema(
    {
        "interview_id": _col("id", "Interview identifier.", _id(PARTICIPANT_ID), unique=True),
        "stakeholder_group": _col("str", "Interviewee's stakeholder group.",
                                  _one_of(STAKEHOLDER_GROUPS)),
        "participant_id": _col("id", "Trial participant id (patients only).", _id(PARTICIPANT_ID),
                               nullable=True),
        "practice_id": _col("id", "Practice the interviewee is linked to, if any.",
                            _id(PRACTICE_ID), nullable=True),
        "interview_date": _col("date", "Date of the interview."),
        "transcript_file": _col("str", "Transcript file name inside transcripts/ (UTF-8 text).",
                                Check.str_matches(r"^[A-Za-z0-9_.-]+\.txt$",
                                                  error="a plain file name ending in .txt"),
                                unique=True),
    },
    name="interviews", strict=True, ordered=False,
    description="One row per qualitative interview.",
)

CODEBOOK = pa.DataFrameSchema(
    {
        "code_id": _col("id", "Code identifier.", _id(PARTICIPANT_ID), unique=True),
        "parent_id": _col("id", "Parent code id; empty for themes.", _id(PARTICIPANT_ID),
                          nullable=True),
        "name": _col("str", "Short label."),
        "level": _col("str", "theme, subtheme or code.", _one_of(CODE_LEVELS)),
        "description": _col("str", "What the code captures (the coding rule).", nullable=True),
    },
    name="codebook", strict=True, ordered=False,
    description="One row per code; parent ids form the theme > subtheme > code tree.",
)

CODINGS = pa.DataFrameSchema(
    {
        "interview_id": _col("id", "Interview the segment belongs to.", _id(PARTICIPANT_ID)),
        "code_id": _col("id", "Code applied.", _id(PARTICIPANT_ID)),
        "start": _col("int", "Start offset in the transcript, Unicode code points from 0.",
                      Check.ge(0, error="must be 0 or more")),
        "end": _col("int", "End offset (exclusive), Unicode code points.",
                    Check.ge(1, error="must be 1 or more")),
        "coder": _col("str", "Coder label (pseudonymous, e.g. coder_1)."),
    },
    name="codings", strict=True, ordered=False,
    description="One row per coded segment (long format; every matrix is a pivot of it).",
)

TRIAL_TABLES: dict[str, pa.DataFrameSchema] = {
    "practices": PRACTICES,
    "screening": SCREENING,
    "participants": PARTICIPANTS,
    "sms": SMS,
    "questionnaires": QUESTIONNAIRES,
    "vsw_contacts": VSW_CONTACTS,
    "withdrawals": WITHDRAWALS,
}
QUALITATIVE_TABLES: dict[str, pa.DataFrameSchema] = {
    "interviews": INTERVIEWS,
    "codebook": CODEBOOK,
    "codings": CODINGS,
}
ALL_TABLES = {**TRIAL_TABLES, **QUALITATIVE_TABLES}
