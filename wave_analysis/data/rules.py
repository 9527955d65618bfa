"""Rules that span rows or tables, checked after each table passed its own schema: ids that must
exist in another table, dates that cannot precede randomisation, who may be interviewed, and coded
offsets that must fit their transcript. Each rule returns ``Problem`` objects; none raises."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wave_analysis.data.read import RawTable
from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.exceptions import Problem

# A loaded table: the coerced frame and the raw table it came from (for line numbers).
Loaded = tuple[pd.DataFrame, RawTable]

# (table, date column, what the date is), each checked against randomisation
_DATED_EVENTS = (("sms", "sent_date", "SMS sent"), ("sms", "reply_date", "SMS reply"),
                 ("questionnaires", "returned_date", "questionnaire returned"),
                 ("vsw_contacts", "contact_date", "VSW contact"))
_PARTICIPANT_TABLES = ("screening", "sms", "questionnaires", "vsw_contacts", "withdrawals")


def unknown_ids(child: Loaded, column: str, known: set, parent: str) -> list[Problem]:
    """Values of ``column`` that are not in ``known`` (the ids of table ``parent``)."""
    frame, table = child
    if column not in frame.columns:
        return []
    values = frame[column]
    bad = values.notna() & ~values.isin(known)
    return [Problem(table.file, column, int(table.lines[i]), values.iloc[i],
                    f"unknown id (not in {parent})", f"use an id listed in {parent} or add it "
                    "there") for i in np.flatnonzero(bad.to_numpy())]


def _date_before(child: Loaded, column: str, participants: pd.DataFrame,
                 what: str) -> list[Problem]:
    frame, table = child
    if column not in frame.columns or "participant_id" not in frame.columns:
        return []
    start = frame["participant_id"].map(
        participants.set_index("participant_id")["randomisation_date"].to_dict())
    bad = (frame[column] < start).fillna(False).to_numpy()
    return [Problem(table.file, column, int(table.lines[i]), str(frame[column].iloc[i].date()),
                    f"{what} before the participant's randomisation date "
                    f"({start.iloc[i].date()})", "check both dates")
            for i in np.flatnonzero(bad)]


def _contacts_in_control_arm(contacts: Loaded, people: pd.DataFrame) -> list[Problem]:
    frame, table = contacts
    arm = frame["participant_id"].map(people.set_index("participant_id")["arm"].to_dict())
    return [Problem(table.file, "participant_id", int(table.lines[i]),
                    frame["participant_id"].iloc[i], "VSW contact for a usual-care participant",
                    "check the participant id or the allocation")
            for i in np.flatnonzero((arm == CONTROL_ARM).to_numpy())]


def trial_problems(t: Mapping[str, Loaded]) -> list[Problem]:
    """Practice and participant ids known, events after randomisation, VSW contacts only in the
    intervention arm."""
    problems: list[Problem] = []
    if "practices" in t:
        known = set(t["practices"][0]["practice_id"].dropna())
        for name in ("participants", "screening"):
            if name in t:
                problems += unknown_ids(t[name], "practice_id", known, "practices")
    if "participants" not in t:
        return problems
    people = t["participants"][0]
    ids = set(people["participant_id"].dropna())
    for name in _PARTICIPANT_TABLES:
        if name in t:
            problems += unknown_ids(t[name], "participant_id", ids, "participants")
    if not {"participant_id", "randomisation_date"} <= set(people.columns):
        return problems
    people = people.dropna(subset=["participant_id"]).drop_duplicates("participant_id")
    for name, column, what in _DATED_EVENTS:
        if name in t:
            problems += _date_before(t[name], column, people, what)
    if "vsw_contacts" in t and "arm" in people.columns:
        problems += _contacts_in_control_arm(t["vsw_contacts"], people)
    return problems


def _interviewed_patient(file: str, line: int, pid: str,
                         arms: Mapping[str, str]) -> list[Problem]:
    arm = arms.get(pid)
    if arm is None:
        return [Problem(file, "participant_id", line, pid, "unknown id (not in participants)",
                        "use a randomised participant's id")]
    if arm != INTERVENTION_ARM:
        return [Problem(file, "participant_id", line, pid,
                        f"interviewed patient is in the {arm} arm",
                        "only intervention-arm patients were interviewed; check the id")]
    return []


def interview_problems(row, file: str, line: int, *, arms: Mapping[str, str] | None,
                       practices: set | None) -> list[Problem]:
    """One interview row: patients carry a trial id of an intervention-arm participant, others
    none; the practice is known."""
    problems: list[Problem] = []
    group, pid = row.stakeholder_group, row.participant_id
    if group == "patient" and pd.isna(pid):
        problems.append(Problem(file, "participant_id", line, None,
                                "patient interview without a trial participant id",
                                "fill in the interviewee's participant_id"))
    if group != "patient" and not pd.isna(pid):
        problems.append(Problem(file, "participant_id", line, pid,
                                f"a {group} interview carries a participant id",
                                "leave participant_id empty for non-patients"))
    if arms is not None and group == "patient" and not pd.isna(pid):
        problems += _interviewed_patient(file, line, pid, arms)
    if practices is not None and not pd.isna(row.practice_id) \
            and row.practice_id not in practices:
        problems.append(Problem(file, "practice_id", line, row.practice_id,
                                "unknown id (not in practices)", "use an id listed in practices"))
    return problems


def codebook_problems(codebook: Loaded) -> list[Problem]:
    """Parents exist; themes (the top level) have none."""
    frame, table = codebook
    problems = unknown_ids(codebook, "parent_id", set(frame["code_id"].dropna()),
                           "codebook code_id")
    for i in np.flatnonzero(((frame["level"] == "theme") & frame["parent_id"].notna())
                            .to_numpy()):
        problems.append(Problem(table.file, "parent_id", int(table.lines[i]),
                                frame["parent_id"].iloc[i], "a theme cannot have a parent",
                                "empty parent_id or change the level"))
    return problems


def coding_problems(q: Mapping[str, Loaded], texts: Mapping[str, str]) -> list[Problem]:
    """Codes and interviews known; each span non-empty and inside its transcript."""
    frame, table = q["codings"]
    problems: list[Problem] = []
    if "codebook" in q:
        problems += unknown_ids(q["codings"], "code_id", set(q["codebook"][0]["code_id"]),
                                "codebook")
    if "interviews" in q:
        problems += unknown_ids(q["codings"], "interview_id",
                                set(q["interviews"][0]["interview_id"]), "interviews")
    length = frame["interview_id"].map({k: len(v) for k, v in texts.items()})
    for i, row in enumerate(frame.itertuples(index=False)):
        if pd.isna(row.start) or pd.isna(row.end):
            continue
        line = int(table.lines[i])
        if row.end <= row.start:
            problems.append(Problem(table.file, "end", line, int(row.end),
                                    f"end is not after start ({int(row.start)})",
                                    "end offsets are exclusive and must exceed start"))
        elif not pd.isna(length.iloc[i]) and row.end > length.iloc[i]:
            problems.append(Problem(table.file, "end", line, int(row.end),
                                    f"offset outside the transcript ({int(length.iloc[i])} "
                                    "characters)", "offsets count Unicode characters from "
                                    "0; re-export the codings"))
    return problems
