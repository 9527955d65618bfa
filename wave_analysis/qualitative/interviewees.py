"""Who was interviewed: one key per interviewee, the stakeholder groups present and the
pseudonymous speaker labels (``Patient 03``) that stand in for ids in every shared output.

An interviewee is the trial ``participant_id`` when present (patients) and the ``interview_id``
otherwise, so a patient interviewed twice is one interviewee with one label.
"""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import GROUP_LABELS, STAKEHOLDER_GROUPS

__all__ = ["groups_present", "interviewee_keys", "speaker_labels"]


def interviewee_keys(interviews: pd.DataFrame) -> pd.Series:
    """participant_id when present (patients), else interview_id; indexed by interview_id."""
    key = interviews["participant_id"].astype("object").where(
        interviews["participant_id"].notna(), interviews["interview_id"])
    return pd.Series(key.astype(str).to_numpy(), index=interviews["interview_id"].astype(str))


def groups_present(interviews: pd.DataFrame) -> list[str]:
    """Stakeholder groups of the interviews: the design's groups in design order, then others
    sorted."""
    present = set(interviews["stakeholder_group"].astype(str))
    known = [g for g in STAKEHOLDER_GROUPS if g in present]
    return known + sorted(present - set(known))


def speaker_labels(interviews: pd.DataFrame) -> pd.Series:
    """Pseudonymous speaker label per interview_id, e.g. ``Patient 03``, ``VSW 01``.

    Interviewees are numbered 1..n within their stakeholder group in sorted order of their
    interviewee key (participant_id, else interview_id), zero-padded to at least two digits, so
    labels are deterministic and a patient interviewed twice keeps one label.
    """
    person = interviewee_keys(interviews)
    group = pd.Series(interviews["stakeholder_group"].astype(str).to_numpy(), index=person.index)
    labels = {}
    for g in groups_present(interviews):
        keys = sorted(set(person[group == g]))
        width = max(2, len(str(len(keys))))
        prefix = GROUP_LABELS.get(g, g.replace("_", " ").title())
        labels.update({(g, key): f"{prefix} {n:0{width}d}" for n, key in enumerate(keys, 1)})
    out = [labels[(g, p)] for g, p in zip(group, person, strict=True)]
    return pd.Series(out, index=person.index, name="speaker")
