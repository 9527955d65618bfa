"""The rules that keep identifiers out of integration outputs.

The only participant-level key in any output is the speaker label of
``qualitative.interviewees.speaker_labels`` (``Patient 03``); practices appear as ``Practice A``,
``Practice B``... (:func:`practice_labels`). Trial participant ids, practice ids and names,
interview ids, transcript file names and dates never leave the integration layer;
:func:`find_identifiers` checks a frame or text for any of them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

import pandas as pd

from wave_analysis.data.model import QualData, TrialData

__all__ = ["find_identifiers", "practice_labels"]

_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column style)."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = string.ascii_uppercase[r] + out
    return out


def practice_labels(practice_ids: Sequence[str]) -> dict[str, str]:
    """Pseudonymous practice labels: sorted distinct ids lettered ``Practice A``, ``B``..."""
    ids = sorted({str(p) for p in practice_ids if not pd.isna(p)})
    return {p: f"Practice {_letters(i)}" for i, p in enumerate(ids)}


def _banned(trial: TrialData | None, qual: QualData | None) -> set[str]:
    banned: set[str] = set()
    if trial is not None:
        banned |= set(trial.participants["participant_id"].astype(str))
        banned |= set(trial.practices["practice_id"].astype(str))
        banned |= set(trial.practices["practice_name"].astype(str))
    if qual is not None:
        banned |= set(qual.interviews["interview_id"].astype(str))
        banned |= set(qual.interviews["transcript_file"].astype(str))
        banned |= {str(p) for p in qual.interviews["participant_id"].dropna()}
        banned |= {str(p) for p in qual.interviews["practice_id"].dropna()}
    return banned


def find_identifiers(frame: pd.DataFrame | str, *, trial: TrialData | None = None,
                     qual: QualData | None = None) -> list[str]:
    """Identifiers found in a frame or text that must not reach a shared output: trial
    participant ids, practice ids and names, interview ids, transcript file names and ISO dates.
    Returns the distinct offending strings (empty when clean)."""
    text = frame if isinstance(frame, str) else frame.to_csv(index=False) + " ".join(
        map(str, frame.columns))
    found = sorted({b for b in _banned(trial, qual) if b and re.search(
        rf"(?<![A-Za-z0-9_-]){re.escape(b)}(?![A-Za-z0-9_-])", text)})
    return found + sorted(set(_DATE.findall(text)))
