"""Qualitative analysis of coded interviews: codebook tree, theme counts, co-occurrence, quotes and
inter-coder agreement.

Everything works on the long codings table of a :class:`~wave_analysis.data.model.QualData`
(one row per coded segment: ``interview_id, code_id, start, end, coder``); every matrix here is a
pivot of it. Offsets are Unicode code points with ``end`` exclusive, which is exactly Python ``str``
indexing, so ``transcript[start:end]`` is the coded text (transcripts must be surrogate-free: a
lone surrogate means the text was decoded wrongly and the offsets cannot be trusted).

Levels. Each coding is rolled up the codebook tree (:func:`roll_up`): its *theme* is the root of
its tree and its *subtheme* the ancestor-or-self whose ``level`` is ``subtheme`` (missing when the
segment was coded directly at theme level, or under a theme without subthemes). Analyses take
``level="theme" | "subtheme" | "code"``; segments without a subtheme are left out at subtheme level.

Coder. Counts, co-occurrence and quotes use one coder's codings, ``coder=`` (default: the first
coder label in sorted order, e.g. ``coder_1``). Agreement compares two coders.

Interviewees. An interviewee is the trial ``participant_id`` when present (patients) and the
``interview_id`` otherwise, so a patient interviewed twice counts once.

The interval work is vectorised: segments are sorted by (interview, unit, start) and merged or
paired with a sweep line on integer keys (``numpy.maximum.accumulate`` and ``searchsorted``), with
no Python loop per coding.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wave_analysis import _atomic
from wave_analysis.data.model import QualData
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import Problem, ValidationError, WaveError

__all__ = [
    "LEVELS",
    "Agreement",
    "Cooccurrence",
    "ThemeCounts",
    "agreement",
    "code_tree",
    "codebook_summary",
    "cohen_kappa_characters",
    "cooccurrence",
    "pick_quotes",
    "plot_agreement",
    "plot_cooccurrence_heatmap",
    "plot_group_heatmap",
    "plot_heatmap",
    "plot_interview_heatmap",
    "quote_matrix",
    "quote_matrix_markdown",
    "quotes",
    "roll_up",
    "segment_ids",
    "speaker_labels",
    "theme_counts",
    "theme_matrix",
    "write_quote_matrix",
]

LEVELS = ("theme", "subtheme", "code")
GROUP_LABELS = {"patient": "Patient", "employer": "Employer", "vsw": "VSW", "gp": "GP"}
_MAX_PROBLEMS = 50  # per rule: enough to fix by, without building a million Problem objects
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- small helpers ---------------------------------------------------------------------------

def _one_of(name: str, value: object, allowed: Sequence[object]) -> None:
    if value not in allowed:
        raise WaveError(f"{name} must be one of {', '.join(map(str, allowed))}; got {value!r}")


def _problems(file: str, column: str, mask: np.ndarray, values: pd.Series, rule: str,
              fix: str) -> list[Problem]:
    """One Problem per flagged row (first ``_MAX_PROBLEMS``); row is the 1-based file line."""
    pos = np.flatnonzero(mask)[:_MAX_PROBLEMS]
    return [Problem(file, column, int(p) + 2, values.iloc[p], rule, fix) for p in pos]


def _coders(data: QualData) -> list[str]:
    return sorted(data.codings["coder"].astype(str).unique())


def _pick_coder(data: QualData, coder: str | None) -> str:
    found = _coders(data)
    if not found:
        raise WaveError("codings table is empty: there is nothing to analyse")
    if coder is None:
        return found[0]
    if coder not in found:
        raise WaveError(f"coder must be one of {', '.join(found)}; got {coder!r} "
                        "(coder labels come from the 'coder' column of codings)")
    return coder


def _interviewee(interviews: pd.DataFrame) -> pd.Series:
    """participant_id when present (patients), else interview_id; indexed by interview_id."""
    key = interviews["participant_id"].astype("object").where(
        interviews["participant_id"].notna(), interviews["interview_id"])
    return pd.Series(key.astype(str).to_numpy(), index=interviews["interview_id"].astype(str))


def _groups_in(interviews: pd.DataFrame) -> list[str]:
    present = set(interviews["stakeholder_group"].astype(str))
    known = [g for g in STAKEHOLDER_GROUPS if g in present]
    return known + sorted(present - set(known))


def _transcript_lengths(data: QualData, interview_ids: Sequence[str], why: str) -> pd.Series:
    missing = [i for i in interview_ids if i not in data.transcripts]
    if missing:
        raise WaveError(f"{why} needs transcript text, but transcripts has no text for interview "
                        f"{', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''} "
                        "(fix: load the transcripts/ folder or pass transcripts= to QualData)")
    bad = [i for i in interview_ids if not data.transcripts[i].isascii()
           and _SURROGATE.search(data.transcripts[i])]  # isascii: a fast pass for plain text
    if bad:
        raise WaveError(f"transcript of interview {bad[0]} contains a lone surrogate code point, "
                        "so its code-point offsets cannot be trusted (fix: read the file as "
                        "UTF-8 with errors='strict' and re-export it)")
    return pd.Series([len(data.transcripts[i]) for i in interview_ids],
                     index=list(interview_ids), dtype="int64")


# --- codebook tree and roll-up ---------------------------------------------------------------

def code_tree(codebook: pd.DataFrame) -> pd.DataFrame:
    """Place every code in the theme > subtheme > code tree.

    Returns a frame indexed by ``code_id`` (codebook order) with ``name``, ``level``,
    ``theme_id`` (root of the code's tree), ``subtheme_id`` (ancestor-or-self with level
    ``subtheme``, missing when none) and ``depth`` (0 for themes).

    Raises :class:`ValidationError` listing every unknown parent, cycle, duplicated code_id, root
    that is not a theme and theme that has a parent.
    """
    ids = codebook["code_id"].astype(str).tolist()
    parents = [None if pd.isna(p) else str(p) for p in codebook["parent_id"]]
    levels = codebook["level"].astype(str).tolist()
    parent_of = dict(zip(ids, parents, strict=True))
    level_of = dict(zip(ids, levels, strict=True))
    problems: list[Problem] = []

    def add(row: int, column: str, value: object, rule: str, fix: str) -> None:
        problems.append(Problem("codebook", column, row + 2, value, rule, fix))

    seen: set[str] = set()
    for row, code in enumerate(ids):
        if code in seen:
            add(row, "code_id", code, "duplicated code_id", "give every code a unique id")
        seen.add(code)
    for row, (code, parent) in enumerate(zip(ids, parents, strict=True)):
        if parent is not None and parent not in parent_of:
            add(row, "parent_id", parent, f"code {code!r} has an unknown parent",
                "use the code_id of an existing theme or subtheme, or leave it empty for a theme")
        if level_of[code] == "theme" and parent is not None:
            add(row, "level", "theme", f"theme {code!r} has parent {parent!r}",
                "make it a subtheme or code, or clear parent_id")
    if problems:
        raise ValidationError(problems)

    rows = []
    for row, code in enumerate(ids):
        path = [code]
        while parent_of[path[-1]] is not None:
            nxt = parent_of[path[-1]]
            if nxt in path:
                cycle = " -> ".join(path[path.index(nxt):] + [nxt])
                add(row, "parent_id", parent_of[code], f"cycle in the codebook tree: {cycle}",
                    "break the cycle so that every chain of parents ends at a theme")
                break
            path.append(nxt)
        else:
            root = path[-1]
            if level_of[root] != "theme":
                add(row, "level", level_of[root],
                    f"code {code!r} sits under root {root!r}, which is not a theme",
                    f"set level of {root!r} to theme or give it a theme as parent")
                continue
            subs = [c for c in reversed(path) if level_of[c] == "subtheme"]
            rows.append((code, root, subs[0] if subs else None, len(path) - 1))
    if problems:
        raise ValidationError(problems)
    tree = pd.DataFrame(rows, columns=["code_id", "theme_id", "subtheme_id", "depth"])
    tree = tree.set_index("code_id")
    tree.insert(0, "name", codebook["name"].astype(str).to_numpy())
    tree.insert(1, "level", levels)
    return tree


def codebook_summary(codebook: pd.DataFrame) -> pd.DataFrame:
    """One row per theme (codebook order): ``theme_id``, ``name``, ``subthemes`` and ``codes``
    (entries of that level anywhere below the theme) and ``depth`` (deepest level below it, 0 for
    a theme with no children). The tree is checked as in :func:`code_tree`.
    """
    tree = code_tree(codebook)
    themes = tree[tree["level"] == "theme"]
    below = tree[tree["level"] != "theme"]
    n_sub = below[below["level"] == "subtheme"].groupby("theme_id").size()
    n_code = below[below["level"] == "code"].groupby("theme_id").size()
    depth = tree.groupby("theme_id")["depth"].max()
    ids = themes.index
    return pd.DataFrame({
        "theme_id": ids.to_numpy(dtype=object), "name": themes["name"].to_numpy(),
        "subthemes": n_sub.reindex(ids, fill_value=0).to_numpy(dtype="int64"),
        "codes": n_code.reindex(ids, fill_value=0).to_numpy(dtype="int64"),
        "depth": depth.reindex(ids, fill_value=0).to_numpy(dtype="int64"),
    })


def _check_codings(data: QualData, tree: pd.DataFrame) -> None:
    """Every problem of the codings table at once: unknown ids, empty or out-of-text segments."""
    c = data.codings
    problems: list[Problem] = []
    iv = c["interview_id"].astype(str)
    known_iv = set(data.interviews["interview_id"].astype(str))
    problems += _problems("codings", "interview_id", ~iv.isin(known_iv).to_numpy(), iv,
                          "interview_id not in the interviews table",
                          "add the interview to interviews or fix the id")
    code = c["code_id"].astype(str)
    problems += _problems("codings", "code_id", ~code.isin(tree.index).to_numpy(), code,
                          "code_id not in the codebook", "add the code to codebook or fix the id")
    start = c["start"].to_numpy(dtype="int64")
    end = c["end"].to_numpy(dtype="int64")
    problems += _problems("codings", "end", end <= start, c["end"],
                          "end must be greater than start", "segments are [start, end) in "
                          "code points; swap or fix the offsets")
    problems += _problems("codings", "start", start < 0, c["start"], "start must be 0 or more",
                          "offsets count code points from 0")
    lengths = iv.map({k: len(v) for k, v in data.transcripts.items()})
    over = (lengths.notna() & (end > lengths.fillna(0))).to_numpy()
    problems += _problems("codings", "end", over, c["end"], "end is past the end of the "
                          "transcript", "offsets are Unicode code points (not bytes or UTF-16 "
                          "units); re-export the codings or the transcript")
    if problems:
        raise ValidationError(problems)


def roll_up(data: QualData, *, coder: str | None = None) -> pd.DataFrame:
    """The codings table with each coding's ``theme_id`` and ``subtheme_id`` added.

    ``coder=None`` keeps every coder's codings (unlike the counting functions, which default to the
    first coder). The codebook tree and the codings are validated first; problems raise
    :class:`ValidationError` naming table, column, row and value.
    """
    tree = code_tree(data.codebook)
    _check_codings(data, tree)
    out = data.codings
    if coder is not None:
        coder = _pick_coder(data, coder)
        out = out[out["coder"].astype(str) == coder]
    out = out.copy()
    code = pd.Categorical(out["code_id"].astype(str), categories=tree.index)
    pos = code.codes
    out["theme_id"] = tree["theme_id"].to_numpy()[pos]
    out["subtheme_id"] = tree["subtheme_id"].to_numpy()[pos]
    return out


# --- the prepared, integer-coded segments table -----------------------------------------------

@dataclass(frozen=True)
class _Segments:
    """One coder's segments at one level, as integer arrays sorted by (interview, start)."""

    interview_ids: list[str]  # every interview in the interviews table, in table order
    units: list[str]  # ids at the level, codebook order
    unit_names: list[str]
    iv: np.ndarray  # interview position
    unit: np.ndarray  # unit position
    start: np.ndarray
    end: np.ndarray
    code_id: np.ndarray  # original code id per segment (objects)


def _segments(data: QualData, coder: str | None, level: str) -> tuple[_Segments, str]:
    _one_of("level", level, LEVELS)
    coder = _pick_coder(data, coder)
    tree = code_tree(data.codebook)
    _check_codings(data, tree)
    c = data.codings
    c = c[c["coder"].astype(str).to_numpy() == coder]
    column = {"theme": "theme_id", "subtheme": "subtheme_id", "code": None}[level]
    code_pos = pd.Categorical(c["code_id"].astype(str), categories=tree.index).codes
    at_level = tree.index.to_numpy() if column is None else tree[column].to_numpy()
    unit_ids = tree.index[tree["level"] == level].tolist() if level != "code" else \
        tree.index.tolist()
    # a subtheme-level analysis cannot place codings that have no subtheme: drop them
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
    seg = _Segments(interview_ids, unit_ids, names, iv[order], unit[order], start[order],
                    end[order], codes[order])
    return seg, coder


def _merge(group: np.ndarray, start: np.ndarray, end: np.ndarray):
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


def _pairs(group: np.ndarray, start: np.ndarray, end: np.ndarray, within: int | None):
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


def _coverage(seg: _Segments) -> np.ndarray:
    """Characters covered (union of segments) per interview x unit, shape (interviews, units)."""
    n_units = len(seg.units)
    g, s, e = _merge(seg.iv * n_units + seg.unit, seg.start, seg.end)
    cells = np.bincount(g, weights=(e - s), minlength=len(seg.interview_ids) * n_units)
    return cells.reshape(len(seg.interview_ids), n_units).astype("int64")


# --- theme counts ------------------------------------------------------------------------------

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
        numeric = ["segments", "characters", "coverage", "interviewees", "share_interviewees"]
        _one_of("value", value, numeric)
        key = f"{self.level}_id"
        wide = self.table.pivot(index=key, columns="stakeholder_group", values=value)
        wide = wide.loc[pd.unique(self.table[key]), pd.unique(self.table["stakeholder_group"])]
        wide.columns.name = "stakeholder_group"
        return wide


def theme_counts(data: QualData, *, coder: str | None = None, level: str = "theme") -> ThemeCounts:
    """Segments, character coverage and interviewees per stakeholder group and theme.

    Segment counts alone are inflated by talkative interviewees, so the number and share of
    interviewees with the theme are reported beside them. The denominator is every interviewee of
    the group in the interviews table. Coverage needs the transcripts (to know their length).
    At ``level="code"`` every codebook entry is counted by the segments coded with it directly.
    """
    seg, coder = _segments(data, coder, level)
    ivs = data.interviews
    groups = _groups_in(ivs)
    group_of = pd.Categorical(ivs["stakeholder_group"].astype(str),
                              categories=groups).codes.astype("int64")  # int8 would overflow
    n_units = len(seg.units)
    n_groups = len(groups)
    lengths = _transcript_lengths(data, seg.interview_ids, "coverage (share of the transcript)")

    segments = np.bincount(group_of[seg.iv] * n_units + seg.unit,
                           minlength=n_groups * n_units).reshape(n_groups, n_units)
    cover = _coverage(seg)  # interviews x units
    characters = np.zeros((n_groups, n_units), dtype="int64")
    np.add.at(characters, group_of, cover)
    text_chars = np.bincount(group_of, weights=lengths.to_numpy(), minlength=n_groups)

    # interviewees with the theme: any interview of theirs has a segment of it
    person = _interviewee(ivs)
    person_pos, people = pd.factorize(person.to_numpy())
    has = np.zeros((len(people), n_units), dtype=bool)
    present = np.zeros_like(cover, dtype=bool)
    present[seg.iv, seg.unit] = True
    np.logical_or.at(has, person_pos, present)
    person_group = np.zeros(len(people), dtype="int64")
    person_group[person_pos] = group_of
    with_theme = np.zeros((n_groups, n_units), dtype="int64")
    np.add.at(with_theme, person_group, has.astype("int64"))
    in_group = np.bincount(person_group, minlength=n_groups)

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
    :func:`speaker_labels` (as :func:`plot_interview_heatmap` does).
    """
    _one_of("value", value, ("segments", "characters", "coverage", "present"))
    seg, _ = _segments(data, coder, level)
    shape = (len(seg.interview_ids), len(seg.units))
    if value == "segments":
        cells = np.zeros(shape, dtype="int64")
        np.add.at(cells, (seg.iv, seg.unit), 1)
    elif value == "present":
        cells = np.zeros(shape, dtype=bool)
        cells[seg.iv, seg.unit] = True
    else:
        cells = _coverage(seg)
        if value == "coverage":
            lengths = _transcript_lengths(data, seg.interview_ids, "coverage")
            with np.errstate(divide="ignore", invalid="ignore"):
                cells = cells / lengths.to_numpy()[:, None]
    out = pd.DataFrame(cells, index=pd.Index(seg.interview_ids, name="interview_id"),
                       columns=pd.Index(seg.units, name=f"{level}_id"))
    return out


# --- co-occurrence -----------------------------------------------------------------------------

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
    _one_of("unit", unit, ("segment", "interview"))
    if within is not None and (not isinstance(within, int | np.integer) or within < 0):
        raise WaveError(f"within must be None (overlap) or an integer >= 0; got {within!r}")
    seg, coder = _segments(data, coder, level)
    k = len(seg.units)
    if unit == "interview":
        present = np.zeros((len(seg.interview_ids), k), dtype="int64")
        present[seg.iv, seg.unit] = 1
        n12 = present.T @ present
        n = np.diag(n12).copy()
        jac = _c(n12, n)
    else:
        i, j = _pairs(seg.iv, seg.start, seg.end, within)
        ua, ub = seg.unit[i], seg.unit[j]
        other = ua != ub
        flat = np.bincount(ua[other] * k + ub[other], minlength=k * k).reshape(k, k)
        n12 = flat + flat.T
        n = np.bincount(seg.unit, minlength=k)
        n12[np.diag_indices(k)] = n
        # character Jaccard from the merged blocks of each unit
        g, s, e = _merge(seg.iv * k + seg.unit, seg.start, seg.end)
        biv, bunit = g // k, g % k
        order = np.lexsort((s, biv))
        biv, bunit, s, e = biv[order], bunit[order], s[order], e[order]
        bi, bj = _pairs(biv, s, e, None)
        inter = np.minimum(e[bi], e[bj]) - s[bj]  # s[bj] >= s[bi] after sorting
        keep = bunit[bi] != bunit[bj]  # blocks of one unit are disjoint; guard anyway
        shared = np.bincount(bunit[bi][keep] * k + bunit[bj][keep], weights=inter[keep],
                             minlength=k * k).reshape(k, k)
        shared = shared + shared.T
        covered = np.bincount(bunit, weights=e - s, minlength=k)
        shared[np.diag_indices(k)] = covered
        jac = _c(shared, covered)
    c = _c(n12.astype(float), n.astype(float))
    idx = pd.Index(seg.units, name=f"{level}_id")

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, index=idx, columns=idx.copy())

    return Cooccurrence(frame(n12.astype("int64")), frame(jac), frame(c), unit, level, coder,
                        within)


# --- quotes ------------------------------------------------------------------------------------

def speaker_labels(interviews: pd.DataFrame) -> pd.Series:
    """Pseudonymous speaker label per interview_id, e.g. ``Patient 03``, ``VSW 01``.

    Interviewees are numbered 1..n within their stakeholder group in sorted order of their
    interviewee key (participant_id, else interview_id), zero-padded to at least two digits, so
    labels are deterministic and a patient interviewed twice keeps one label.
    """
    person = _interviewee(interviews)
    group = pd.Series(interviews["stakeholder_group"].astype(str).to_numpy(), index=person.index)
    labels = {}
    for g in _groups_in(interviews):
        keys = sorted(set(person[group == g]))
        width = max(2, len(str(len(keys))))
        prefix = GROUP_LABELS.get(g, g.replace("_", " ").title())
        labels.update({(g, key): f"{prefix} {n:0{width}d}" for n, key in enumerate(keys, 1)})
    out = [labels[(g, p)] for g, p in zip(group, person, strict=True)]
    return pd.Series(out, index=person.index, name="speaker")


def segment_ids(interview_id: Sequence[str], start: Sequence[int], end: Sequence[int],
                code_id: Sequence[str]) -> np.ndarray:
    """Stable segment ids ``<interview_id>:<start>-<end>:<8 hex of blake2b(code_id)>``."""
    codes = pd.Series(code_id, dtype="object").astype(str)
    digest = {c: hashlib.blake2b(c.encode("utf-8"), digest_size=4).hexdigest()
              for c in codes.unique()}
    parts = zip(interview_id, start, end, codes.map(digest), strict=True)
    return np.array([f"{i}:{int(s)}-{int(e)}:{h}" for i, s, e, h in parts], dtype=object)


def _context(text: str, start: int, end: int, n: int) -> tuple[str, str]:
    """Up to ``n`` characters either side, trimmed so no partial word is shown."""
    lo, hi = max(0, start - n), min(len(text), end + n)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and not text[lo - 1].isspace() and before and not before[0].isspace():
        cut = re.search(r"\s", before)
        before = before[cut.start():] if cut else ""
    if hi < len(text) and not text[hi].isspace() and after and not after[-1].isspace():
        cut = max((m.start() for m in re.finditer(r"\s", after)), default=None)
        after = after[:cut] if cut is not None else ""
    return before.strip(), after.strip()


def quotes(data: QualData, *, code: str | Sequence[str] | None = None,
           stakeholder_group: str | Sequence[str] | None = None, coder: str | None = None,
           interview_frame: pd.DataFrame | None = None,
           where: Mapping[str, Any] | None = None, context: int = 150) -> pd.DataFrame:
    """Coded segments with their text, context and a pseudonymous speaker label.

    ``code``: theme, subtheme or code id(s); a segment matches when its code or any ancestor does.
    ``interview_frame``: an interview-level frame keyed on ``interview_id`` or, failing that,
    ``participant_id`` (e.g. trial outcomes); its other columns are joined on and ``where`` can
    filter on them as on any interview column (``{"arm": "vocational_support"}``; a list value
    means any of). Rows are ordered by theme (codebook order), group, speaker and start.
    Columns: segment_id, theme_id, subtheme_id, code_id, stakeholder_group, speaker,
    interview_id, start, end, text, before, after, then the joined columns.
    """
    if context < 0:
        raise WaveError(f"context must be 0 or more characters; got {context}")
    rolled = roll_up(data, coder=_pick_coder(data, coder))
    ivs = data.interviews.copy()
    ivs["interview_id"] = ivs["interview_id"].astype(str)
    ivs["speaker"] = speaker_labels(data.interviews).to_numpy()
    if interview_frame is not None:
        key = "interview_id" if "interview_id" in interview_frame else "participant_id"
        if key not in interview_frame:
            raise WaveError("interview_frame needs an interview_id or participant_id column to "
                            "join on")
        if interview_frame[key].duplicated().any():
            dup = interview_frame.loc[interview_frame[key].duplicated(), key].iloc[0]
            raise WaveError(f"interview_frame has more than one row for {key} {dup!r}; "
                            "pass one row per interview or participant")
        extra = [c for c in interview_frame.columns if c not in ivs.columns or c == key]
        ivs = ivs.merge(interview_frame[extra], on=key, how="left")
    out = rolled.copy()
    out["interview_id"] = out["interview_id"].astype(str)
    out = out.merge(ivs.drop(columns=["transcript_file"]), on="interview_id", how="left")
    if code is not None:
        wanted = [code] if isinstance(code, str) else list(code)
        tree = code_tree(data.codebook)
        unknown = [c for c in wanted if c not in tree.index]
        if unknown:
            raise WaveError(f"code {unknown[0]!r} is not in the codebook (fix: use a code_id "
                            "from the codebook)")
        hit = np.zeros(len(out), dtype=bool)
        for col in ("theme_id", "subtheme_id", "code_id"):
            hit |= out[col].isin(wanted).to_numpy()
        out = out[hit]
    filters = dict(where or {})
    if stakeholder_group is not None:
        filters["stakeholder_group"] = stakeholder_group
    for col, value in filters.items():
        if col not in out.columns:
            raise WaveError(f"cannot filter quotes on {col!r}: no such interview column "
                            f"(available: {', '.join(ivs.columns)})")
        many = isinstance(value, list | tuple | set | frozenset | np.ndarray | pd.Index | pd.Series)
        out = out[out[col].isin(list(value) if many else [value])]
    ids = out["interview_id"].unique().tolist()
    _transcript_lengths(data, ids, "quotes")
    texts, before, after = [], [], []
    for iv, s, e in zip(out["interview_id"], out["start"], out["end"], strict=True):
        t = data.transcripts[iv]
        b, a = _context(t, int(s), int(e), context)
        texts.append(t[int(s):int(e)])
        before.append(b)
        after.append(a)
    out = out.assign(text=texts, before=before, after=after)
    out.insert(0, "segment_id", segment_ids(out["interview_id"], out["start"], out["end"],
                                            out["code_id"]))
    tree = code_tree(data.codebook)
    theme_rank = pd.Series(np.arange(len(tree)), index=tree.index)
    groups = _groups_in(data.interviews)
    out = out.assign(_t=out["theme_id"].map(theme_rank),
                     _g=pd.Categorical(out["stakeholder_group"].astype(str), categories=groups))
    out = out.sort_values(["_t", "_g", "speaker", "start", "end", "code_id"], kind="mergesort")
    first = ["segment_id", "theme_id", "subtheme_id", "code_id", "stakeholder_group", "speaker",
             "interview_id", "start", "end", "text", "before", "after"]
    drop = {"_t", "_g", "coder", "participant_id", "practice_id", "interview_date"}
    rest = [c for c in out.columns if c not in first and c not in drop]
    return out[first + rest].reset_index(drop=True)


def _cells(quote_rows: pd.DataFrame, rows: str, columns: str, max_per_cell: int,
           with_context: bool) -> dict[tuple[Any, Any], list[str]]:
    for col in (rows, columns):
        if col not in quote_rows:
            raise WaveError(f"quote table has no column {col!r} (columns: "
                            f"{', '.join(quote_rows.columns)})")
    cells: dict[tuple[Any, Any], list[str]] = {}
    for r in quote_rows.itertuples(index=False):
        rec = r._asdict()
        key = (rec[rows], rec[columns])
        items = cells.setdefault(key, [])
        if len(items) < max_per_cell:
            text = " ".join(str(rec["text"]).split())
            if with_context:
                text = " ".join(f"… {rec['before']} [{text}] {rec['after']} …".split())
            items.append(f"\u201c{text}\u201d ({rec['speaker']})")
    return cells


def quote_matrix(quote_rows: pd.DataFrame, *, rows: str = "theme_id",
                 columns: str = "stakeholder_group", max_per_cell: int = 3,
                 with_context: bool = False) -> pd.DataFrame:
    """Quote matrix: one cell per rows x columns value, holding up to ``max_per_cell`` quotes
    (the first in :func:`quotes` order) as “text” (Speaker NN), separated by newlines.

    Returns a DataFrame (write it with ``to_csv``); it holds speaker labels, never participant or
    interview ids.
    """
    if max_per_cell < 1:
        raise WaveError(f"max_per_cell must be 1 or more; got {max_per_cell}")
    cells = _cells(quote_rows, rows, columns, max_per_cell, with_context)
    row_keys = list(pd.unique(quote_rows[rows])) if len(quote_rows) else []
    col_keys = list(pd.unique(quote_rows[columns])) if len(quote_rows) else []
    if columns == "stakeholder_group":
        col_keys = [g for g in STAKEHOLDER_GROUPS if g in col_keys] + \
            [g for g in col_keys if g not in STAKEHOLDER_GROUPS]
    body = [["\n".join(cells.get((r, c), [])) for c in col_keys] for r in row_keys]
    return pd.DataFrame(body, index=pd.Index(row_keys, name=rows),
                        columns=pd.Index(col_keys, name=columns))


def quote_matrix_markdown(quote_rows: pd.DataFrame, *, rows: str = "theme_id",
                          columns: str = "stakeholder_group", max_per_cell: int = 3,
                          with_context: bool = False,
                          row_names: Mapping[str, str] | None = None) -> str:
    """The quote matrix as a GitHub Markdown table (pipes escaped, quotes joined by ``<br>``).

    ``row_names`` maps row keys to labels (e.g. theme_id -> theme name).
    """
    matrix = quote_matrix(quote_rows, rows=rows, columns=columns, max_per_cell=max_per_cell,
                          with_context=with_context)

    def cell(text: object) -> str:
        return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")

    head = [rows] + [cell(c) for c in matrix.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, values in matrix.iterrows():
        label = (row_names or {}).get(key, key)
        lines.append("| " + " | ".join([cell(label)] + [cell(v) for v in values]) + " |")
    return "\n".join(lines) + "\n"


def pick_quotes(quote_rows: pd.DataFrame, *, rows: str = "theme_id",
                columns: str = "stakeholder_group", per_cell: int = 2,
                row_order: Sequence[str] | None = None) -> pd.DataFrame:
    """Choose up to ``per_cell`` quotes per rows x columns cell, spread over speakers.

    :func:`quotes` orders segments by speaker, so its first quotes in a cell tend to come from one
    talkative interviewee. Here each cell takes the first segment of every speaker (in speaker
    order) before anyone's second, and a passage coded with several codes of the same row unit
    (same interview, start and end) is offered once. Rows whose ``rows`` value is missing (e.g.
    no subtheme) are left out. Deterministic: the result depends only on ``quote_rows`` order.
    Returns the chosen rows of ``quote_rows`` (same columns), cell by cell: rows in ``row_order``
    (e.g. the codebook's code_id order; values not in it go last) or else in first-seen order.
    """
    if per_cell < 1:
        raise WaveError(f"per_cell must be 1 or more; got {per_cell}")
    for col in (rows, columns, "speaker", "interview_id", "start", "end"):
        if col not in quote_rows:
            raise WaveError(f"quote table has no column {col!r} (pass the output of quotes(); "
                            f"columns: {', '.join(map(str, quote_rows.columns))})")
    kept = quote_rows[quote_rows[rows].notna() & quote_rows[columns].notna()]
    kept = kept.drop_duplicates([rows, columns, "interview_id", "start", "end"])
    row_rank = pd.Series(pd.factorize(kept[rows])[0], index=kept.index)
    if row_order is not None:
        rank = {key: n for n, key in enumerate(row_order)}
        row_rank = kept[rows].map(lambda key: rank.get(key, len(rank))) * (len(kept) + 1) \
            + row_rank
    col_rank = pd.Series(pd.factorize(kept[columns])[0], index=kept.index)
    turn = kept.groupby([rows, columns, "speaker"], sort=False).cumcount()
    position = pd.Series(np.arange(len(kept)), index=kept.index)
    # within a turn, input order: quotes() rows are sorted by speaker, so speakers alternate
    order = pd.DataFrame({"r": row_rank, "c": col_rank, "t": turn, "p": position}) \
        .sort_values(["r", "c", "t", "p"], kind="mergesort")
    chosen = kept.loc[order.index]
    chosen = chosen[chosen.groupby([rows, columns], sort=False).cumcount() < per_cell]
    return chosen.reset_index(drop=True)


def write_quote_matrix(quote_rows: pd.DataFrame, name: str, *, folder: Path | str,
                       rows: str = "theme_id", columns: str = "stakeholder_group",
                       max_per_cell: int = 3, with_context: bool = False,
                       row_names: Mapping[str, str] | None = None) -> list[Path]:
    """Write the quote matrix as ``folder/name.csv`` (one row per ``rows`` value, a ``name``
    column when ``row_names`` is given, one column per ``columns`` value, quotes separated by
    newlines) and ``folder/name.md`` (:func:`quote_matrix_markdown`), each atomically.

    The files hold quote text: for real interviews they are for the research team, not for
    sharing.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    matrix = quote_matrix(quote_rows, rows=rows, columns=columns, max_per_cell=max_per_cell,
                          with_context=with_context)
    wide = matrix.reset_index()
    wide.columns.name = None
    if row_names is not None:
        wide.insert(1, "name", [row_names.get(k, k) for k in matrix.index])
    md = quote_matrix_markdown(quote_rows, rows=rows, columns=columns,
                               max_per_cell=max_per_cell, with_context=with_context,
                               row_names=row_names)
    csv_path, md_path = folder / f"{name}.csv", folder / f"{name}.md"
    _atomic.write_text(csv_path, wide.to_csv(index=False, lineterminator="\n"))
    _atomic.write_text(md_path, md)
    return [csv_path, md_path]


# --- inter-coder agreement ---------------------------------------------------------------------

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
    found = _coders(data)
    if coders is None:
        if len(found) < 2:
            raise WaveError(f"agreement needs two coders; codings has {len(found)} "
                            f"({', '.join(found)})")
        coders = (found[0], found[1])
    if len(coders) != 2 or coders[0] == coders[1]:
        raise WaveError(f"coders must be two different coder labels; got {coders!r}")
    sa, _ = _segments(data, _pick_coder(data, coders[0]), level)
    sb, _ = _segments(data, _pick_coder(data, coders[1]), level)
    k = len(sa.units)
    # double-coded = both coders coded something there, at any level of the codebook
    coded = data.codings.groupby(data.codings["coder"].astype(str))["interview_id"]
    both_coded = set(coded.get_group(coders[0]).astype(str)) & \
        set(coded.get_group(coders[1]).astype(str))
    double = np.array([n for n, i in enumerate(sa.interview_ids) if i in both_coded],
                      dtype="int64")
    lengths = _transcript_lengths(data, [sa.interview_ids[i] for i in double],
                                  "character-level agreement").to_numpy()
    cov_a, cov_b = _coverage(sa)[double], _coverage(sb)[double]
    # characters coded by both: overlaps between A's merged blocks and B's merged blocks
    ga, s_a, e_a = _merge(sa.iv * k + sa.unit, sa.start, sa.end)
    gb, s_b, e_b = _merge(sb.iv * k + sb.unit, sb.start, sb.end)
    g = np.concatenate([ga, gb])
    s = np.concatenate([s_a, s_b])
    e = np.concatenate([e_a, e_b])
    who = np.concatenate([np.zeros(len(ga), bool), np.ones(len(gb), bool)])
    order = np.lexsort((s, g))
    g, s, e, who = g[order], s[order], e[order], who[order]
    i, j = _pairs(g, s, e, None)
    cross = who[i] != who[j]
    inter = np.minimum(e[i], e[j])[cross] - s[j][cross]
    both_all = np.bincount(g[i][cross], weights=inter,
                           minlength=len(sa.interview_ids) * k).reshape(-1, k)
    both = both_all[double].astype("int64")

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

    rows = []
    for u in used:
        la, a, b, ab = lengths.sum(), cov_a[:, u].sum(), cov_b[:, u].sum(), both[:, u].sum()
        pk, ppo = _kappa(np.array([la]), np.array([a]), np.array([b]), np.array([ab]))
        pres_a, pres_b = cov_a[:, u] > 0, cov_b[:, u] > 0
        n11 = int((pres_a & pres_b).sum())
        pkap, _ = _kappa(np.array([n_iv]), np.array([pres_a.sum()]), np.array([pres_b.sum()]),
                         np.array([n11]))
        rows.append({
            key: units[u], "interviews": n_iv, "length": int(la), "a": int(a), "b": int(b),
            "both": int(ab), "percent_agreement": float(ppo[0]), "kappa": float(pk[0]),
            "alpha_characters": _alpha_binary(int(a - ab), int(b - ab), int(ab),
                                              int(la - a - b + ab)),
            "interviews_a": int(pres_a.sum()), "interviews_b": int(pres_b.sum()),
            "interviews_both": n11, "presence_kappa": float(pkap[0]),
            "alpha_presence": _alpha_binary(int((pres_a & ~pres_b).sum()),
                                            int((pres_b & ~pres_a).sum()), n11,
                                            int((~pres_a & ~pres_b).sum())),
        })
    columns = [key, "interviews", "length", "a", "b", "both", "percent_agreement", "kappa",
               "alpha_characters", "interviews_a", "interviews_b", "interviews_both",
               "presence_kappa", "alpha_presence"]
    by_code = pd.DataFrame(rows, columns=columns)
    return Agreement(by_transcript, by_code, (coders[0], coders[1]), level)


# --- drawing -----------------------------------------------------------------------------------

def plot_heatmap(table: pd.DataFrame, *, title: str | None = None, value_format: str = "{:.0f}",
                 cmap: str = "Blues", vmin: float | None = None, vmax: float | None = None,
                 colorbar_label: str | None = None, annotate: bool = True,
                 ax=None) -> Figure:
    """Draw a numeric table as an annotated heatmap (rows top to bottom); return the Figure."""
    values = table.to_numpy(dtype=float)
    if ax is None:
        # room for the labels too: long theme names would otherwise squeeze the cells away
        row_chars = max((len(str(r)) for r in table.index), default=0)
        col_chars = max((len(str(c)) for c in table.columns), default=0)
        fig = Figure(figsize=(1.2 + 0.9 * max(1, values.shape[1]) + 0.08 * row_chars,
                              1.0 + 0.4 * max(1, values.shape[0]) + 0.06 * col_chars))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ax.grid(False)  # the project style's grid lines would cut through the cells
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax,
                      aspect="auto", interpolation="nearest")
    ax.set_xticks(range(values.shape[1]), [str(c) for c in table.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(values.shape[0]), [str(r) for r in table.index])
    ax.set_xlabel(str(table.columns.name or ""))
    ax.set_ylabel(str(table.index.name or ""))
    if annotate and values.size:
        finite = values[np.isfinite(values)]
        mid = (finite.max() + finite.min()) / 2 if finite.size else 0
        for (r, c), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(c, r, value_format.format(v), ha="center", va="center", fontsize=8,
                        color="white" if v > mid else "black")
    fig.colorbar(image, ax=ax, label=colorbar_label or "")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_group_heatmap(counts: ThemeCounts, *, value: str = "share_interviewees",
                       names: bool = True, ax=None) -> Figure:
    """Themes (rows) by stakeholder group (columns) of one :class:`ThemeCounts` column."""
    wide = counts.pivot(value)
    if names:
        label = dict(zip(counts.table[f"{counts.level}_id"], counts.table["name"], strict=False))
        wide.index = pd.Index([label[i] for i in wide.index], name=counts.level)
    share = value in ("share_interviewees", "coverage")
    return plot_heatmap(wide, value_format="{:.0%}" if share else "{:.0f}",
                        vmin=0 if share else None, vmax=1 if share else None,
                        colorbar_label=value.replace("_", " "),
                        title=f"{counts.level.title()}s by stakeholder group ({counts.coder})",
                        ax=ax)


def plot_interview_heatmap(matrix: pd.DataFrame, *, labels: pd.Series | None = None,
                           value_format: str = "{:.0f}", ax=None) -> Figure:
    """Interviews (rows) by themes (columns), e.g. :func:`theme_matrix` output.

    ``labels`` (e.g. :func:`speaker_labels`) replaces interview ids on the rows.
    """
    shown = matrix.astype(float)
    if labels is not None:
        shown.index = pd.Index([labels.get(i, i) for i in shown.index], name="speaker")
    return plot_heatmap(shown, value_format=value_format, ax=ax,
                        title="Themes by interview")


def plot_cooccurrence_heatmap(result: Cooccurrence, *, value: str = "c_coefficient",
                              names: Mapping[str, str] | None = None, diagonal: bool = True,
                              ax=None) -> Figure:
    """Unit-by-unit heatmap of ``counts``, ``jaccard`` or ``c_coefficient``.

    ``names`` maps unit ids to labels. ``diagonal=False`` leaves the diagonal blank: for jaccard
    and c it is 1 by definition and would set the top of the colour scale.
    """
    _one_of("value", value, ("counts", "jaccard", "c_coefficient"))
    table = getattr(result, value)
    if not diagonal:
        table = table.astype(float).where(~np.eye(len(table), dtype=bool))
    if names is not None:
        table = table.rename(index=lambda u: names.get(u, u), columns=lambda u: names.get(u, u))
    fmt = "{:.0f}" if value == "counts" else "{:.2f}"
    title = f"Co-occurrence ({result.unit} level): {value.replace('_', ' ')}"
    return plot_heatmap(table, value_format=fmt, ax=ax, title=title,
                        colorbar_label=value.replace("_", " "))


AGREEMENT_VALUES = ("kappa", "presence_kappa", "alpha_characters", "alpha_presence",
                    "percent_agreement")


def plot_agreement(result: Agreement, *,
                   values: Sequence[str] = ("kappa", "presence_kappa", "alpha_characters"),
                   names: Mapping[str, str] | None = None, ax=None) -> Figure:
    """Horizontal bars of agreement statistics per unit (rows in ``by_code`` order, top down).

    ``values``: columns of :attr:`Agreement.by_code` (see ``AGREEMENT_VALUES``); ``names`` maps
    unit ids to labels. Undefined statistics (NaN, e.g. a code only one coder used on one
    transcript) are marked "n/a" instead of a bar.
    """
    values = list(values)
    if not values:
        raise WaveError("values must name at least one agreement statistic")
    for v in values:
        _one_of("value", v, AGREEMENT_VALUES)
    table = result.by_code
    key = f"{result.level}_id"
    labels = [str((names or {}).get(u, u)) for u in table[key]]
    n, k = len(table), len(values)
    if ax is None:
        fig = Figure(figsize=(7.5, 1.4 + 0.14 * max(1, n) * max(2, k)))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    height = 0.8 / k
    lows = [0.0]
    for j, v in enumerate(values):
        y = np.arange(n) + (j - (k - 1) / 2) * height
        x = table[v].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(x), height=height, label=v.replace("_", " "))
        # every bar is labelled, so a zero (no bar) is told apart from undefined ("n/a")
        for xx, yy in zip(x, y, strict=True):
            ax.text(max(xx, 0) + 0.01 if np.isfinite(xx) else 0.01, yy,
                    f"{xx:.2f}" if np.isfinite(xx) else "n/a", va="center", ha="left",
                    fontsize=6, color="0.2" if np.isfinite(xx) else "0.5")
        if np.isfinite(x).any():
            lows.append(float(np.nanmin(x)))
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_xlim(min(lows) - 0.05 if min(lows) < 0 else 0, 1.12)
    ax.set_xticks([t for t in np.arange(-1, 1.01, 0.2) if t >= ax.get_xlim()[0] - 1e-9])
    ax.set_yticks(range(n), labels)
    ax.set_ylim(n - 0.5, -0.5)  # first unit on top
    ax.set_xlabel("agreement")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=k, frameon=False, fontsize=8)
    ax.set_title(f"Inter-coder agreement per {result.level} "
                 f"({result.coders[0]} vs {result.coders[1]})", pad=24)
    fig.tight_layout()
    return fig
