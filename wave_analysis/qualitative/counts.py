"""Theme counts: segments, character coverage and interviewees per stakeholder group and theme
(:func:`theme_counts`), and the interview-by-theme matrix (:func:`theme_matrix`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.qualitative.interviewees import groups_present, interviewee_keys
from wave_analysis.qualitative.segments import (
    Segments,
    coded_segments,
    coverage,
    transcript_lengths,
)

__all__ = ["COUNT_VALUES", "MATRIX_VALUES", "ThemeCounts", "theme_counts", "theme_matrix"]

COUNT_VALUES = ("segments", "characters", "coverage", "interviewees", "share_interviewees")
MATRIX_VALUES = ("segments", "characters", "coverage", "present")


@dataclass(frozen=True)
class ThemeCounts:
    """Theme counts per stakeholder group for one coder.

    ``table`` has one row per group x unit: ``segments`` (coded segments), ``characters``
    (union of that unit's segments per interview, so overlapping or double coding is not counted
    twice), ``transcript_characters`` (total length of the group's transcripts), ``coverage``
    (characters / transcript_characters), ``interviewees`` (interviewees in the group with at least
    one segment), ``interviewees_in_group`` and ``share_interviewees``.
    """

    table: pd.DataFrame
    level: str
    coder: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def pivot(self, value: str = "share_interviewees") -> pd.DataFrame:
        """Units (rows, codebook order) by stakeholder group (columns) of one value column."""
        check_one_of("value", value, COUNT_VALUES)
        key = f"{self.level}_id"
        wide = self.table.pivot(index=key, columns="stakeholder_group", values=value)
        wide = wide.loc[pd.unique(self.table[key]), pd.unique(self.table["stakeholder_group"])]
        wide.columns.name = "stakeholder_group"
        return wide


def _interviewees_with(seg: Segments, interviews: pd.DataFrame, group_of: np.ndarray,
                       n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Interviewees with each unit per group (any interview of theirs has a segment of it), and
    interviewees per group."""
    n_units = len(seg.units)
    person_pos, people = pd.factorize(interviewee_keys(interviews).to_numpy())
    has = np.zeros((len(people), n_units), dtype=bool)
    present = np.zeros((len(seg.interview_ids), n_units), dtype=bool)
    present[seg.iv, seg.unit] = True
    np.logical_or.at(has, person_pos, present)
    person_group = np.zeros(len(people), dtype="int64")
    person_group[person_pos] = group_of
    with_theme = np.zeros((n_groups, n_units), dtype="int64")
    np.add.at(with_theme, person_group, has.astype("int64"))
    return with_theme, np.bincount(person_group, minlength=n_groups)


def theme_counts(data: QualData, *, coder: str | None = None, level: str = "theme") -> ThemeCounts:
    """Segments, character coverage and interviewees per stakeholder group and theme.

    Segment counts alone are inflated by talkative interviewees, so the number and share of
    interviewees with the theme are reported beside them. The denominator is every interviewee of
    the group in the interviews table. Coverage needs the transcripts (to know their length).
    At ``level="code"`` every codebook entry is counted by the segments coded with it directly.
    """
    seg, coder = coded_segments(data, coder, level)
    ivs = data.interviews
    groups = groups_present(ivs)
    group_of = pd.Categorical(ivs["stakeholder_group"].astype(str),
                              categories=groups).codes.astype("int64")  # int8 would overflow
    n_units, n_groups = len(seg.units), len(groups)
    lengths = transcript_lengths(data, seg.interview_ids, "coverage (share of the transcript)")
    segments = np.bincount(group_of[seg.iv] * n_units + seg.unit,
                           minlength=n_groups * n_units).reshape(n_groups, n_units)
    characters = np.zeros((n_groups, n_units), dtype="int64")
    np.add.at(characters, group_of, coverage(seg))
    text_chars = np.bincount(group_of, weights=lengths.to_numpy(), minlength=n_groups)
    with_theme, in_group = _interviewees_with(seg, ivs, group_of, n_groups)
    key = f"{level}_id"
    table = pd.DataFrame({
        "stakeholder_group": np.repeat(groups, n_units),
        key: np.tile(seg.units, n_groups),
        "name": np.tile(seg.unit_names, n_groups),
        "segments": segments.ravel(),
        "characters": characters.ravel(),
        "transcript_characters": np.repeat(text_chars.astype("int64"), n_units),
        "interviewees": with_theme.ravel(),
        "interviewees_in_group": np.repeat(in_group, n_units),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        table["coverage"] = table["characters"] / table["transcript_characters"]
        table["share_interviewees"] = table["interviewees"] / table["interviewees_in_group"]
    table = table[["stakeholder_group", key, "name", "segments", "characters",
                   "transcript_characters", "coverage", "interviewees", "interviewees_in_group",
                   "share_interviewees"]]
    return ThemeCounts(table, level, coder)


def theme_matrix(data: QualData, *, coder: str | None = None, level: str = "theme",
                 value: str = "characters") -> pd.DataFrame:
    """Interviews (rows, interviews-table order) by units (columns, codebook order).

    ``value``: ``segments``, ``characters`` (union coverage), ``coverage`` (share of the
    transcript) or ``present`` (bool). Rows are per interview: for shared outputs relabel them with
    ``interviewees.speaker_labels`` (as ``plots.plot_interview_heatmap`` does).
    """
    check_one_of("value", value, MATRIX_VALUES)
    seg, _ = coded_segments(data, coder, level)
    shape = (len(seg.interview_ids), len(seg.units))
    if value == "segments":
        cells = np.zeros(shape, dtype="int64")
        np.add.at(cells, (seg.iv, seg.unit), 1)
    elif value == "present":
        cells = np.zeros(shape, dtype=bool)
        cells[seg.iv, seg.unit] = True
    else:
        cells = coverage(seg)
        if value == "coverage":
            lengths = transcript_lengths(data, seg.interview_ids, "coverage")
            with np.errstate(divide="ignore", invalid="ignore"):
                cells = cells / lengths.to_numpy()[:, None]
    out = pd.DataFrame(cells, index=pd.Index(seg.interview_ids, name="interview_id"),
                       columns=pd.Index(seg.units, name=f"{level}_id"))
    out.attrs["value"] = value  # what the cells hold, for a figure's colour-bar label
    return out
