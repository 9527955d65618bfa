"""Inter-coder agreement of two coders on their double-coded transcripts: Cohen's kappa on
characters and on presence per interview, Krippendorff's alpha on the same units."""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff
import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.model import QualData
from wave_analysis.exceptions import Problem, ValidationError
from wave_analysis.qualitative.codebook import coder_labels, pick_coder
from wave_analysis.qualitative.segments import (
    Segments,
    coded_segments,
    coverage,
    merge_intervals,
    overlapping_pairs,
    transcript_lengths,
)

__all__ = ["AGREEMENT_VALUES", "Agreement", "agreement", "cohen_kappa_characters"]

# the statistics of Agreement.by_code that can be drawn
AGREEMENT_VALUES = ("kappa", "presence_kappa", "alpha_characters", "alpha_presence",
                    "percent_agreement")
_BY_CODE = ("interviews", "length", "a", "b", "both", "percent_agreement", "kappa",
            "alpha_characters", "interviews_a", "interviews_b", "interviews_both",
            "presence_kappa", "alpha_presence")


def cohen_kappa_characters(length: int, a: int, b: int, both: int) -> float:
    """Cohen's kappa for one code on a text of ``length`` characters.

    Coder A codes ``a`` characters, coder B ``b``, ``both`` are coded by both. Observed agreement
    p_o = (both + (length - a - b + both)) / length; chance agreement from each coder's own
    proportions, p_e = p_A p_B + (1 - p_A)(1 - p_B) with p_A = a / length, p_B = b / length;
    kappa = (p_o - p_e) / (1 - p_e), undefined (NaN) when p_e = 1.
    """
    kappa, _ = _kappa(np.array([length]), np.array([a]), np.array([b]), np.array([both]))
    return float(kappa[0])


def _kappa(length, a, b, both):
    length = np.asarray(length, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pa, pb = a / length, b / length
        po = (length - a - b + 2 * both) / length
        pe = pa * pb + (1 - pa) * (1 - pb)
        return np.where(np.isclose(pe, 1.0), np.nan, (po - pe) / (1 - pe)), po


def _alpha_binary(a_only: int, b_only: int, both: int, neither: int) -> float:
    """Krippendorff's nominal alpha (``krippendorff`` package) on binary two-coder units.

    Each unit is one row of value counts: [coders saying 0, coders saying 1].
    """
    rows = np.repeat(np.array([[0, 2], [1, 1], [2, 0]]), [both, a_only + b_only, neither],
                     axis=0)
    if len(rows) == 0 or rows[:, 0].sum() == 0 or rows[:, 1].sum() == 0:
        return float("nan")  # one value only: alpha is undefined
    return float(krippendorff.alpha(value_counts=rows, level_of_measurement="nominal"))


@dataclass(frozen=True)
class Agreement:
    """Inter-coder agreement between two coders on their double-coded transcripts.

    ``by_transcript``: one row per interview x unit with the character counts (``length``,
    ``a``, ``b``, ``both``), ``percent_agreement`` (p_o) and ``kappa``
    (:func:`cohen_kappa_characters`). ``by_code``: the same pooled over transcripts (characters
    summed), plus ``alpha_characters`` (Krippendorff's nominal alpha with every character of every
    double-coded transcript as a unit, values coded / not coded), and at interview level
    ``presence_kappa`` and ``alpha_presence`` (units = double-coded interviews, value = the code is
    used at least once).

    Krippendorff's alpha = 1 - D_o / D_e, where D_o is the observed and D_e the expected
    disagreement from the coincidence matrix (Krippendorff 2011, "Computing Krippendorff's
    Alpha-Reliability"); unlike kappa, chance is estimated from the pooled values of both coders.
    """

    by_transcript: pd.DataFrame
    by_code: pd.DataFrame
    coders: tuple[str, str]
    level: str

    def to_frame(self) -> pd.DataFrame:
        return self.by_code.copy()


def _two_coders(data: QualData, coders: tuple[str, str] | None) -> tuple[str, str]:
    found = coder_labels(data)
    if coders is None:
        if len(found) < 2:
            raise ValidationError([Problem(
                "codings", "coder", None, None,
                f"agreement needs two coders; codings has {len(found)} ({', '.join(found)})",
                "have a second coder code some of the transcripts")])
        coders = (found[0], found[1])
    check_argument(len(coders) == 2 and coders[0] != coders[1], "coders",
                   "two different coder labels", coders)
    return pick_coder(data, coders[0]), pick_coder(data, coders[1])


def _both_coded(sa: Segments, sb: Segments) -> np.ndarray:
    """Characters coded by both coders per interview x unit: overlaps between A's merged blocks
    and B's merged blocks."""
    k = len(sa.units)
    ga, s_a, e_a = merge_intervals(sa.iv * k + sa.unit, sa.start, sa.end)
    gb, s_b, e_b = merge_intervals(sb.iv * k + sb.unit, sb.start, sb.end)
    g = np.concatenate([ga, gb])
    s = np.concatenate([s_a, s_b])
    e = np.concatenate([e_a, e_b])
    who = np.concatenate([np.zeros(len(ga), bool), np.ones(len(gb), bool)])
    order = np.lexsort((s, g))
    g, s, e, who = g[order], s[order], e[order], who[order]
    i, j = overlapping_pairs(g, s, e, None)
    cross = who[i] != who[j]
    inter = np.minimum(e[i], e[j])[cross] - s[j][cross]
    return np.bincount(g[i][cross], weights=inter,
                       minlength=len(sa.interview_ids) * k).reshape(-1, k)


def _pooled(lengths, cov_a, cov_b, both, u: int) -> dict:
    """One unit's statistics pooled over the double-coded transcripts."""
    n_iv = len(lengths)
    la, a, b, ab = lengths.sum(), cov_a[:, u].sum(), cov_b[:, u].sum(), both[:, u].sum()
    pk, ppo = _kappa(np.array([la]), np.array([a]), np.array([b]), np.array([ab]))
    pres_a, pres_b = cov_a[:, u] > 0, cov_b[:, u] > 0
    n11 = int((pres_a & pres_b).sum())
    pkap, _ = _kappa(np.array([n_iv]), np.array([pres_a.sum()]), np.array([pres_b.sum()]),
                     np.array([n11]))
    return {
        "interviews": n_iv, "length": int(la), "a": int(a), "b": int(b),
        "both": int(ab), "percent_agreement": float(ppo[0]), "kappa": float(pk[0]),
        "alpha_characters": _alpha_binary(int(a - ab), int(b - ab), int(ab),
                                          int(la - a - b + ab)),
        "interviews_a": int(pres_a.sum()), "interviews_b": int(pres_b.sum()),
        "interviews_both": n11, "presence_kappa": float(pkap[0]),
        "alpha_presence": _alpha_binary(int((pres_a & ~pres_b).sum()),
                                        int((pres_b & ~pres_a).sum()), n11,
                                        int((~pres_a & ~pres_b).sum())),
    }


def agreement(data: QualData, *, coders: tuple[str, str] | None = None,
              level: str = "code") -> Agreement:
    """Agreement of two coders per unit (code by default) and transcript.

    Double-coded transcripts are those where both coders applied at least one code; units are
    those either coder used there. ``coders=None`` takes the first two coder labels in sorted
    order. Character-level statistics treat every character of a double-coded transcript as a
    unit valued coded / not coded by each coder (union of the coder's segments of that unit);
    Krippendorff's alpha is computed by the ``krippendorff`` package at the nominal level on those
    character units (``alpha_characters``) and on interview units (``alpha_presence``). See
    :class:`Agreement` and :func:`cohen_kappa_characters` for the formulas.
    """
    coders = _two_coders(data, coders)
    sa, _ = coded_segments(data, coders[0], level)
    sb, _ = coded_segments(data, coders[1], level)
    # double-coded = both coders coded something there, at any level of the codebook
    coded = data.codings.groupby(data.codings["coder"].astype(str))["interview_id"]
    both_coded = set(coded.get_group(coders[0]).astype(str)) & \
        set(coded.get_group(coders[1]).astype(str))
    double = np.array([n for n, i in enumerate(sa.interview_ids) if i in both_coded],
                      dtype="int64")
    lengths = transcript_lengths(data, [sa.interview_ids[i] for i in double],
                                 "character-level agreement").to_numpy()
    cov_a, cov_b = coverage(sa)[double], coverage(sb)[double]
    both = _both_coded(sa, sb)[double].astype("int64")
    used = np.flatnonzero((cov_a.sum(axis=0) + cov_b.sum(axis=0)) > 0)
    ids = np.asarray(sa.interview_ids, dtype=object)[double]
    units = np.asarray(sa.units, dtype=object)
    n_iv, n_u = len(double), len(used)
    L = np.repeat(lengths, n_u)
    A, B, AB = cov_a[:, used].ravel(), cov_b[:, used].ravel(), both[:, used].ravel()
    kap, po = _kappa(L, A, B, AB)
    key = f"{level}_id"
    by_transcript = pd.DataFrame({
        "interview_id": np.repeat(ids, n_u), key: np.tile(units[used], n_iv),
        "length": L, "a": A, "b": B, "both": AB, "percent_agreement": po, "kappa": kap,
    })
    rows = [{key: units[u], **_pooled(lengths, cov_a, cov_b, both, u)} for u in used]
    by_code = pd.DataFrame(rows, columns=[key, *_BY_CODE])
    return Agreement(by_transcript, by_code, (coders[0], coders[1]), level)
