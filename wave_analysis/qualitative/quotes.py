"""Quotes: coded segments with their text, context and a pseudonymous speaker label
(:func:`quotes`), stable segment ids, a spread choice of quotes per cell (:func:`pick_quotes`) and
the quote matrix as a frame (:func:`quote_matrix`, :func:`quote_matrix_table` for a CSV) or as
Markdown (:func:`quote_matrix_markdown`).

Quote text of real interviews is for the research team: save quote matrices as participant-level
outputs. They hold speaker labels, never participant or interview ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument, check_int, check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.qualitative.codebook import code_tree, pick_coder, roll_up
from wave_analysis.qualitative.interviewees import groups_present, speaker_labels
from wave_analysis.qualitative.segments import transcript_lengths

__all__ = ["QUOTE_COLUMNS", "pick_quotes", "quote_matrix", "quote_matrix_markdown",
           "quote_matrix_table", "quotes", "segment_ids"]

# the leading columns of quotes(); joined interview columns follow
QUOTE_COLUMNS = ("segment_id", "theme_id", "subtheme_id", "code_id", "stakeholder_group",
                 "speaker", "interview_id", "start", "end", "text", "before", "after")
# identifying columns that never reach a quote table
_DROPPED = {"_t", "_g", "coder", "participant_id", "practice_id", "interview_date"}
_MANY = (list, tuple, set, frozenset, np.ndarray, pd.Index, pd.Series)


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


def _interview_columns(data: QualData, interview_frame: pd.DataFrame | None) -> pd.DataFrame:
    """The interviews table with speaker labels and the columns of ``interview_frame`` joined."""
    ivs = data.interviews.copy()
    ivs["interview_id"] = ivs["interview_id"].astype(str)
    ivs["speaker"] = speaker_labels(data.interviews).to_numpy()
    if interview_frame is None:
        return ivs
    key = "interview_id" if "interview_id" in interview_frame else "participant_id"
    check_argument(key in interview_frame, "interview_frame",
                   "a frame with an interview_id or participant_id column to join on",
                   list(interview_frame.columns))
    dup = interview_frame.loc[interview_frame[key].duplicated(), key]
    check_argument(dup.empty, "interview_frame", f"a frame with one row per {key}",
                   None if dup.empty else dup.iloc[0], "a repeated value")
    extra = [c for c in interview_frame.columns if c not in ivs.columns or c == key]
    return ivs.merge(interview_frame[extra], on=key, how="left")


def _under_codes(out: pd.DataFrame, data: QualData, code: str | Sequence[str]) -> pd.DataFrame:
    """Rows whose code, subtheme or theme is one of ``code``."""
    wanted = [code] if isinstance(code, str) else list(code)
    tree = code_tree(data.codebook)
    unknown = [c for c in wanted if c not in tree.index]
    check_argument(not unknown, "code", "a code_id of the codebook", unknown[0] if unknown
                   else None)
    hit = np.zeros(len(out), dtype=bool)
    for col in ("theme_id", "subtheme_id", "code_id"):
        hit |= out[col].isin(wanted).to_numpy()
    return out[hit]


def _where(out: pd.DataFrame, filters: Mapping[str, Any], available: Sequence[str]):
    """Rows matching every filter (a list-like value means any of)."""
    for col, value in filters.items():
        check_argument(col in out.columns, "where", "keyed by interview columns", col,
                       f"available: {', '.join(available)}")
        many = isinstance(value, _MANY)
        out = out[out[col].isin(list(value) if many else [value])]
    return out


def _with_text(out: pd.DataFrame, data: QualData, context: int) -> pd.DataFrame:
    """Add text, before and after (context) and the segment id."""
    transcript_lengths(data, out["interview_id"].unique().tolist(), "quotes")
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
    return out


def quotes(data: QualData, *, code: str | Sequence[str] | None = None,
           stakeholder_group: str | Sequence[str] | None = None, coder: str | None = None,
           interview_frame: pd.DataFrame | None = None,
           where: Mapping[str, Any] | None = None, context: int = 150) -> pd.DataFrame:
    """Coded segments with their text, context and a pseudonymous speaker label.

    ``code``: theme, subtheme or code id(s); a segment matches when its code or any ancestor does.
    ``interview_frame``: an interview-level frame keyed on ``interview_id`` or, failing that,
    ``participant_id`` (e.g. trial outcomes); its other columns are joined on and ``where`` can
    filter on them as on any interview column (``{"arm": INTERVENTION_ARM}``; a list value
    means any of). Rows are ordered by theme (codebook order), group, speaker and start.
    Columns: ``QUOTE_COLUMNS``, then the joined columns.
    """
    check_int("context", context, minimum=0)
    rolled = roll_up(data, coder=pick_coder(data, coder))
    ivs = _interview_columns(data, interview_frame)
    out = rolled.copy()
    out["interview_id"] = out["interview_id"].astype(str)
    out = out.merge(ivs.drop(columns=["transcript_file"]), on="interview_id", how="left")
    if code is not None:
        out = _under_codes(out, data, code)
    filters = dict(where or {})
    if stakeholder_group is not None:
        filters["stakeholder_group"] = stakeholder_group
    out = _with_text(_where(out, filters, list(ivs.columns)), data, context)
    tree = code_tree(data.codebook)
    theme_rank = pd.Series(np.arange(len(tree)), index=tree.index)
    groups = groups_present(data.interviews)
    out = out.assign(_t=out["theme_id"].map(theme_rank),
                     _g=pd.Categorical(out["stakeholder_group"].astype(str), categories=groups))
    out = out.sort_values(["_t", "_g", "speaker", "start", "end", "code_id"], kind="mergesort")
    first = list(QUOTE_COLUMNS)
    rest = [c for c in out.columns if c not in first and c not in _DROPPED]
    return out[first + rest].reset_index(drop=True)


def _check_columns(quote_rows: pd.DataFrame, columns: Sequence[str]) -> None:
    for col in columns:
        check_one_of("quote table column", col, list(map(str, quote_rows.columns)),
                     "pass the output of quotes()")


def _cells(quote_rows: pd.DataFrame, rows: str, columns: str, max_per_cell: int,
           with_context: bool) -> dict[tuple[Any, Any], list[str]]:
    _check_columns(quote_rows, (rows, columns))
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

    It holds speaker labels, never participant or interview ids.
    """
    check_int("max_per_cell", max_per_cell, minimum=1)
    cells = _cells(quote_rows, rows, columns, max_per_cell, with_context)
    row_keys = list(pd.unique(quote_rows[rows])) if len(quote_rows) else []
    col_keys = list(pd.unique(quote_rows[columns])) if len(quote_rows) else []
    if columns == "stakeholder_group":
        col_keys = [g for g in STAKEHOLDER_GROUPS if g in col_keys] + \
            [g for g in col_keys if g not in STAKEHOLDER_GROUPS]
    body = [["\n".join(cells.get((r, c), [])) for c in col_keys] for r in row_keys]
    return pd.DataFrame(body, index=pd.Index(row_keys, name=rows),
                        columns=pd.Index(col_keys, name=columns))


def quote_matrix_table(quote_rows: pd.DataFrame, *, rows: str = "theme_id",
                       columns: str = "stakeholder_group", max_per_cell: int = 3,
                       with_context: bool = False,
                       row_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The quote matrix as a flat table to save as CSV: a ``rows`` column, a ``name`` column when
    ``row_names`` is given, then one column per ``columns`` value (quotes separated by newlines).

    Participant-level for real interviews: save it with ``participant_level=True``.
    """
    matrix = quote_matrix(quote_rows, rows=rows, columns=columns, max_per_cell=max_per_cell,
                          with_context=with_context)
    wide = matrix.reset_index()
    wide.columns.name = None
    if row_names is not None:
        wide.insert(1, "name", [row_names.get(k, k) for k in matrix.index])
    return wide


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
    check_int("per_cell", per_cell, minimum=1)
    _check_columns(quote_rows, (rows, columns, "speaker", "interview_id", "start", "end"))
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
