"""Data-quality summaries: validation findings, table sizes, missingness, SMS reply rates and
questionnaire returns (the figures are in ``trial.plots``)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.data.model import TrialData
from wave_analysis.exceptions import Problem
from wave_analysis.trial import outcomes


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Validation findings as a table (one row per problem)."""
    columns = ["file", "row", "column", "value", "rule", "fix"]
    return pd.DataFrame([{c: getattr(p, c) for c in columns} for p in problems], columns=columns)


def table_sizes(trial: TrialData) -> pd.DataFrame:
    """Rows and columns of every trial table."""
    names = ("practices", "screening", "participants", "sms", "questionnaires", "vsw_contacts",
             "withdrawals")
    return pd.DataFrame({"table": names,
                         "rows": [len(getattr(trial, n)) for n in names],
                         "columns": [getattr(trial, n).shape[1] for n in names]})


def missingness(trial: TrialData) -> pd.DataFrame:
    """Share of empty cells per column of every trial table (only columns with any)."""
    rows = []
    for name in ("participants", "sms", "questionnaires", "screening"):
        frame = getattr(trial, name)
        for col in frame.columns:
            n_missing = int(frame[col].isna().sum())
            if n_missing:
                rows.append({"table": name, "column": col, "missing": n_missing,
                             "rows": len(frame), "share_missing": n_missing / len(frame)})
    return pd.DataFrame(rows, columns=["table", "column", "missing", "rows", "share_missing"])


def sms_reply_rate(trial: TrialData) -> pd.DataFrame:
    """Share of participants answering each fortnight's SMS with usable days off
    (``outcomes.sms_answered``), by arm. The denominator is every SMS row, so a withdrawal's unsent
    SMS counts as unanswered."""
    sms = trial.sms.merge(trial.participants[["participant_id", "arm"]], on="participant_id")
    sms = sms.assign(replied=outcomes.sms_answered(sms))
    rate = (sms.groupby(["arm", "fortnight"], observed=True)["replied"]
            .agg(replies="sum", sent="size").reset_index())
    rate["reply_rate"] = rate["replies"] / rate["sent"]
    rate["fortnight"] = rate["fortnight"].astype(int)
    return rate


def questionnaire_returns(trial: TrialData) -> pd.DataFrame:
    """Questionnaires returned per timepoint and arm, with the share of randomised."""
    people = trial.participants[["participant_id", "arm"]]
    q = trial.questionnaires.merge(people, on="participant_id")
    returned = q.groupby(["timepoint", "arm"]).size().rename("returned").reset_index()
    randomised = people.groupby("arm").size().rename("randomised").reset_index()
    out = returned.merge(randomised, on="arm")
    out["share_returned"] = out["returned"] / out["randomised"]
    return out

