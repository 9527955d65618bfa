"""Hand-made qualitative data for the integration tests, joined to the seeded synthetic trial
cohort: every count can be checked by hand. Expected outcome values come from ``trial.outcomes``
or plain pandas in the tests, never from the integration code itself."""

from __future__ import annotations

import pandas as pd

from wave_analysis.data.model import QualData
from wave_analysis.qualitative.interviewees import speaker_labels

CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Self-efficacy", "theme"),
        ("T1.1", "T1", "Growing confidence", "code"),
        ("T2", None, "Obstacles", "theme"),
        ("T2.1", "T2", "Workplace adjustments", "code"),
        ("T3", None, "Nobody mentions this", "theme"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)


SHORT = "I felt able to talk to my manager myself."  # 41 characters

LONG = "x" * 350  # longer than the exemplar limit


def make_qual(rows, codings, *, texts=None, codebook=CODEBOOK) -> QualData:
    """rows: (interview_id, group, participant_id); codings: (interview_id, code_id, start, end,
    coder). Every transcript is SHORT + ' ' + LONG unless texts says otherwise."""
    ivs = pd.DataFrame(rows, columns=["interview_id", "stakeholder_group", "participant_id"])
    ivs = ivs.assign(practice_id=None, interview_date=pd.Timestamp("2023-03-01"),
                     transcript_file=ivs["interview_id"] + ".txt")
    cod = pd.DataFrame(codings, columns=["interview_id", "code_id", "start", "end", "coder"])
    cod = cod.astype({"start": "Int64", "end": "Int64"})
    texts = texts or {r[0]: SHORT + " " + LONG for r in rows}
    return QualData(interviews=ivs, codebook=codebook, codings=cod, transcripts=texts)


def speaker_of(qual, participant_id):
    labels = speaker_labels(qual.interviews).to_numpy()
    return labels[(qual.interviews["participant_id"] == participant_id).to_numpy()][0]


def row_of(cases, speaker):
    return cases.table.set_index("speaker").loc[speaker]
