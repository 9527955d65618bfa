"""Theme-by-theme co-occurrence for one coder, at segment or interview level, with the
c-coefficient (ATLAS.ti) and the Jaccard index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.qualitative.segments import (
    Segments,
    coded_segments,
    merge_intervals,
    overlapping_pairs,
)

__all__ = ["UNITS", "Cooccurrence", "cooccurrence"]

UNITS = ("segment", "interview")


@dataclass(frozen=True)
class Cooccurrence:
    """Symmetric unit-by-unit co-occurrence for one coder.

    ``counts``: off the diagonal n12, on it n1 (segments of the unit at segment level, interviews
    with it at interview level). ``c_coefficient`` = n12 / (n1 + n2 - n12) (Friese, ATLAS.ti).
    ``jaccard``: at interview level |A and B| / |A or B| over interviews, which for sets is the same
    number as c; at segment level it is computed on coded characters (characters coded with both /
    characters coded with either), a measure of shared text that, unlike c, cannot exceed 1 when
    segments overlap several partners.
    """

    counts: pd.DataFrame
    jaccard: pd.DataFrame
    c_coefficient: pd.DataFrame
    unit: str
    level: str
    coder: str
    within: int | None

    def to_frame(self) -> pd.DataFrame:
        """One row per unordered pair a < b (codebook order): n_a, n_b, n_ab, jaccard, c."""
        ids = list(self.counts.index)
        a, b = np.triu_indices(len(ids), k=1)
        n = np.diag(self.counts.to_numpy())
        return pd.DataFrame({
            "a": np.asarray(ids, dtype=object)[a], "b": np.asarray(ids, dtype=object)[b],
            "n_a": n[a], "n_b": n[b], "n_ab": self.counts.to_numpy()[a, b],
            "jaccard": self.jaccard.to_numpy()[a, b],
            "c_coefficient": self.c_coefficient.to_numpy()[a, b],
        })


def _c(n12: np.ndarray, n: np.ndarray) -> np.ndarray:
    denom = n[:, None] + n[None, :] - n12
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(denom > 0, n12 / np.where(denom > 0, denom, 1), np.nan)
    return c


def _by_interview(seg: Segments) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n12, n, jaccard) with interviews as units."""
    present = np.zeros((len(seg.interview_ids), len(seg.units)), dtype="int64")
    present[seg.iv, seg.unit] = 1
    n12 = present.T @ present
    n = np.diag(n12).copy()
    return n12, n, _c(n12, n)


def _character_jaccard(seg: Segments) -> np.ndarray:
    """Shared coded characters over characters coded with either, from each unit's merged
    blocks."""
    k = len(seg.units)
    g, s, e = merge_intervals(seg.iv * k + seg.unit, seg.start, seg.end)
    biv, bunit = g // k, g % k
    order = np.lexsort((s, biv))
    biv, bunit, s, e = biv[order], bunit[order], s[order], e[order]
    bi, bj = overlapping_pairs(biv, s, e, None)
    inter = np.minimum(e[bi], e[bj]) - s[bj]  # s[bj] >= s[bi] after sorting
    keep = bunit[bi] != bunit[bj]  # blocks of one unit are disjoint; guard anyway
    shared = np.bincount(bunit[bi][keep] * k + bunit[bj][keep], weights=inter[keep],
                         minlength=k * k).reshape(k, k)
    shared = shared + shared.T
    covered = np.bincount(bunit, weights=e - s, minlength=k)
    shared[np.diag_indices(k)] = covered
    return _c(shared, covered)


def _by_segment(seg: Segments, within: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(n12, n, jaccard) with segments as units; pairs within one unit are not counted."""
    k = len(seg.units)
    i, j = overlapping_pairs(seg.iv, seg.start, seg.end, within)
    ua, ub = seg.unit[i], seg.unit[j]
    other = ua != ub
    flat = np.bincount(ua[other] * k + ub[other], minlength=k * k).reshape(k, k)
    n12 = flat + flat.T
    n = np.bincount(seg.unit, minlength=k)
    n12[np.diag_indices(k)] = n
    return n12, n, _character_jaccard(seg)


def cooccurrence(data: QualData, *, coder: str | None = None, level: str = "theme",
                 unit: str = "segment", within: int | None = None) -> Cooccurrence:
    """Co-occurrence of themes (or subthemes, codes) at segment or interview level.

    Segment level: n12 is the number of pairs (segment of A, segment of B) in the same interview
    that overlap (``within=None``) or are at most ``within`` characters apart (``within=0`` adds
    touching segments); this is the ATLAS.ti co-occurrence frequency, and c can exceed 1 when one
    segment overlaps several segments of the other code (ATLAS.ti flags those cells too). Pairs of
    segments rolled up to the same unit are not counted. Interview level: n12 is the number of
    interviews coded with both.
    """
    check_one_of("unit", unit, UNITS)
    whole = isinstance(within, int | np.integer) and not isinstance(within, bool)
    check_argument(within is None or (whole and within >= 0), "within",
                   "None (overlap) or a whole number of at least 0", within)
    seg, coder = coded_segments(data, coder, level)
    n12, n, jac = _by_interview(seg) if unit == "interview" else _by_segment(seg, within)
    c = _c(n12.astype(float), n.astype(float))
    idx = pd.Index(seg.units, name=f"{level}_id")

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=idx, columns=idx.copy())

    return Cooccurrence(frame(n12.astype("int64")), frame(jac), frame(c), unit, level, coder,
                        within)
