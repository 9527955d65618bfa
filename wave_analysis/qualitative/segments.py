"""Internal: one coder's coded segments at one codebook level as sorted integer arrays, and the
interval work every analysis shares (merging overlaps, pairing co-occurring segments, character
coverage, transcript lengths).

The interval work is vectorised: segments are sorted by (interview, unit, start) and merged or
paired with a sweep line on integer keys (``numpy.maximum.accumulate`` and ``searchsorted``), with
no Python loop per coding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.design import CODE_LEVELS
from wave_analysis.exceptions import Problem, ValidationError
from wave_analysis.qualitative.codebook import check_codings, code_tree, pick_coder

__all__ = ["Segments", "coded_segments", "coverage", "merge_intervals", "overlapping_pairs",
           "transcript_lengths"]

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Segments:
    """One coder's segments at one level, as integer arrays sorted by (interview, start)."""

    interview_ids: list[str]  # every interview in the interviews table, in table order
    units: list[str]  # ids at the level, codebook order
    unit_names: list[str]
    iv: np.ndarray  # interview position
    unit: np.ndarray  # unit position
    start: np.ndarray
    end: np.ndarray
    code_id: np.ndarray  # original code id per segment (objects)


def _units(tree: pd.DataFrame, level: str) -> tuple[list[str], np.ndarray]:
    """Unit ids at ``level`` (codebook order) and the unit id of every codebook entry."""
    column = {"theme": "theme_id", "subtheme": "subtheme_id", "code": None}[level]
    at_level = tree.index.to_numpy() if column is None else tree[column].to_numpy()
    unit_ids = tree.index[tree["level"] == level].tolist() if level != "code" else \
        tree.index.tolist()
    return unit_ids, at_level


def coded_segments(data: QualData, coder: str | None, level: str) -> tuple[Segments, str]:
    """The segments of ``coder`` (default: the first coder) rolled up to ``level``, and the coder.

    A subtheme-level analysis cannot place codings that have no subtheme: they are dropped.
    """
    check_one_of("level", level, CODE_LEVELS)
    coder = pick_coder(data, coder)
    tree = code_tree(data.codebook)
    check_codings(data, tree)
    c = data.codings
    c = c[c["coder"].astype(str).to_numpy() == coder]
    code_pos = pd.Categorical(c["code_id"].astype(str), categories=tree.index).codes
    unit_ids, at_level = _units(tree, level)
    unit_of = pd.Categorical(at_level[code_pos], categories=unit_ids).codes
    keep = unit_of >= 0
    interview_ids = data.interviews["interview_id"].astype(str).tolist()
    iv = pd.Categorical(c["interview_id"].astype(str), categories=interview_ids).codes
    start = c["start"].to_numpy(dtype="int64")[keep]
    end = c["end"].to_numpy(dtype="int64")[keep]
    iv = iv[keep].astype("int64")
    unit = unit_of[keep].astype("int64")
    codes = tree.index.to_numpy()[code_pos[keep]]
    span = int(end.max()) + 1 if len(end) else 1
    order = np.argsort(iv * span + start, kind="stable")  # one int64 key: faster than lexsort
    names = tree.loc[unit_ids, "name"].tolist()
    seg = Segments(interview_ids, unit_ids, names, iv[order], unit[order], start[order],
                   end[order], codes[order])
    return seg, coder


def merge_intervals(group: np.ndarray, start: np.ndarray, end: np.ndarray):
    """Union of intervals per group (sweep line). Returns (group, start, end) of disjoint blocks.

    Keys offset each group by ``span`` so one running maximum serves every group.
    """
    if len(start) == 0:
        return group[:0], start[:0], end[:0]
    order = np.lexsort((start, group))
    g, s, e = group[order], start[order], end[order]
    span = int(e.max()) + 1
    ks, ke = g * span + s, g * span + e
    reach = np.maximum.accumulate(ke)
    new = np.ones(len(ks), dtype=bool)
    new[1:] = ks[1:] > reach[:-1]  # touching segments merge: the union is the same either way
    first = np.flatnonzero(new)
    block_end = np.maximum.reduceat(ke, first)
    return g[first], s[first], block_end - g[first] * span


def overlapping_pairs(group: np.ndarray, start: np.ndarray, end: np.ndarray,
                      within: int | None):
    """All unordered pairs (i, j), i < j, of intervals in the same group that co-occur.

    Input must be sorted by (group, start). Co-occur means sharing at least one character
    (``within=None``) or being at most ``within`` characters apart. Because starts are sorted,
    the partners of i are exactly the run i+1 .. hi_i-1 found by one ``searchsorted``.
    """
    n = len(start)
    if n == 0:
        empty = np.zeros(0, dtype="int64")
        return empty, empty
    reach = 0 if within is None else int(within)
    span = int(end.max()) + reach + 2
    ks = group * span + start
    ke = group * span + end
    if within is None:
        hi = np.searchsorted(ks, ke, side="left")
    else:
        hi = np.searchsorted(ks, ke + reach, side="right")
    counts = hi - np.arange(n) - 1
    total = int(counts.sum())
    i = np.repeat(np.arange(n), counts)
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    j = i + 1 + (np.arange(total) - offsets)
    return i, j


def coverage(seg: Segments) -> np.ndarray:
    """Characters covered (union of segments) per interview x unit, shape (interviews, units)."""
    n_units = len(seg.units)
    g, s, e = merge_intervals(seg.iv * n_units + seg.unit, seg.start, seg.end)
    cells = np.bincount(g, weights=(e - s), minlength=len(seg.interview_ids) * n_units)
    return cells.reshape(len(seg.interview_ids), n_units).astype("int64")


def transcript_lengths(data: QualData, interview_ids: Sequence[str], why: str) -> pd.Series:
    """Length in code points of each transcript; every one must be present and surrogate-free."""
    missing = [i for i in interview_ids if i not in data.transcripts]
    if missing:
        raise ValidationError([Problem(
            "transcripts", None, None, None,
            f"{why} needs transcript text, but transcripts has no text for interview "
            f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}",
            "load the transcripts/ folder or pass transcripts= to QualData")])
    bad = [i for i in interview_ids if not data.transcripts[i].isascii()
           and _SURROGATE.search(data.transcripts[i])]  # isascii: a fast pass for plain text
    if bad:
        raise ValidationError([Problem(
            "transcripts", None, None, None,
            f"transcript of interview {bad[0]} contains a lone surrogate code point, so its "
            "code-point offsets cannot be trusted",
            "read the file as UTF-8 with errors='strict' and re-export it")])
    return pd.Series([len(data.transcripts[i]) for i in interview_ids],
                     index=list(interview_ids), dtype="int64")
