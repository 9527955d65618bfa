"""The codebook tree (theme > subtheme > code), its summary, checks of the codings table against
it, the coder labels and :func:`roll_up`, which gives every coding its theme and subtheme.

Every problem is reported at once as a :class:`~wave_analysis.exceptions.ValidationError` naming
table, column, row and value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.exceptions import Problem, ValidationError

__all__ = ["check_codings", "code_tree", "codebook_summary", "coder_labels", "pick_coder",
           "roll_up"]

_MAX_PROBLEMS = 50  # per rule: enough to fix by, without building a million Problem objects


# --- coders ----------------------------------------------------------------------------------

def coder_labels(data: QualData) -> list[str]:
    """The coder labels of the codings table, sorted."""
    return sorted(data.codings["coder"].astype(str).unique())


def pick_coder(data: QualData, coder: str | None) -> str:
    """``coder`` when it coded something; the first coder label when ``coder`` is None."""
    found = coder_labels(data)
    if not found:
        raise ValidationError([Problem("codings", None, None, None, "codings table is empty: "
                                       "there is nothing to analyse", "code at least one segment")])
    if coder is None:
        return found[0]
    check_one_of("coder", coder, found, "coder labels come from the 'coder' column of codings")
    return coder


# --- the tree --------------------------------------------------------------------------------

def _link_problems(ids: list[str], parent_of: dict, level_of: dict) -> list[Problem]:
    """Duplicated ids, unknown parents and themes with a parent."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for row, code in enumerate(ids):
        if code in seen:
            problems.append(Problem("codebook", "code_id", row + 2, code, "duplicated code_id",
                                    "give every code a unique id"))
        seen.add(code)
    for row, code in enumerate(ids):
        parent = parent_of[code]
        if parent is not None and parent not in parent_of:
            problems.append(Problem(
                "codebook", "parent_id", row + 2, parent, f"code {code!r} has an unknown parent",
                "use the code_id of an existing theme or subtheme, or leave it empty for a theme"))
        if level_of[code] == "theme" and parent is not None:
            problems.append(Problem("codebook", "level", row + 2, "theme",
                                    f"theme {code!r} has parent {parent!r}",
                                    "make it a subtheme or code, or clear parent_id"))
    return problems


def _place(row: int, code: str, parent_of: dict, level_of: dict) -> tuple | Problem:
    """(code, theme, subtheme, depth) of one code, or the Problem that prevents placing it."""
    path = [code]
    while parent_of[path[-1]] is not None:
        nxt = parent_of[path[-1]]
        if nxt in path:
            cycle = " -> ".join(path[path.index(nxt):] + [nxt])
            return Problem("codebook", "parent_id", row + 2, parent_of[code],
                           f"cycle in the codebook tree: {cycle}",
                           "break the cycle so that every chain of parents ends at a theme")
        path.append(nxt)
    root = path[-1]
    if level_of[root] != "theme":
        return Problem("codebook", "level", row + 2, level_of[root],
                       f"code {code!r} sits under root {root!r}, which is not a theme",
                       f"set level of {root!r} to theme or give it a theme as parent")
    subs = [c for c in reversed(path) if level_of[c] == "subtheme"]
    return (code, root, subs[0] if subs else None, len(path) - 1)


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
    problems = _link_problems(ids, parent_of, level_of)
    if problems:
        raise ValidationError(problems)
    placed = [_place(row, code, parent_of, level_of) for row, code in enumerate(ids)]
    problems = [p for p in placed if isinstance(p, Problem)]
    if problems:
        raise ValidationError(problems)
    tree = pd.DataFrame(placed, columns=["code_id", "theme_id", "subtheme_id", "depth"])
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


# --- the codings table -----------------------------------------------------------------------

def _problems(column: str, mask: np.ndarray, values: pd.Series, rule: str,
              fix: str) -> list[Problem]:
    """One Problem per flagged row of codings (first ``_MAX_PROBLEMS``); row is the file line."""
    pos = np.flatnonzero(mask)[:_MAX_PROBLEMS]
    return [Problem("codings", column, int(p) + 2, values.iloc[p], rule, fix) for p in pos]


def check_codings(data: QualData, tree: pd.DataFrame) -> None:
    """Every problem of the codings table at once: unknown ids, empty or out-of-text segments."""
    c = data.codings
    problems: list[Problem] = []
    iv = c["interview_id"].astype(str)
    known_iv = set(data.interviews["interview_id"].astype(str))
    problems += _problems("interview_id", ~iv.isin(known_iv).to_numpy(), iv,
                          "interview_id not in the interviews table",
                          "add the interview to interviews or fix the id")
    code = c["code_id"].astype(str)
    problems += _problems("code_id", ~code.isin(tree.index).to_numpy(), code,
                          "code_id not in the codebook", "add the code to codebook or fix the id")
    start = c["start"].to_numpy(dtype="int64")
    end = c["end"].to_numpy(dtype="int64")
    problems += _problems("end", end <= start, c["end"],
                          "end must be greater than start", "segments are [start, end) in "
                          "code points; swap or fix the offsets")
    problems += _problems("start", start < 0, c["start"], "start must be 0 or more",
                          "offsets count code points from 0")
    lengths = iv.map({k: len(v) for k, v in data.transcripts.items()})
    over = (lengths.notna() & (end > lengths.fillna(0))).to_numpy()
    problems += _problems("end", over, c["end"], "end is past the end of the "
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
    check_codings(data, tree)
    out = data.codings
    if coder is not None:
        coder = pick_coder(data, coder)
        out = out[out["coder"].astype(str) == coder]
    out = out.copy()
    code = pd.Categorical(out["code_id"].astype(str), categories=tree.index)
    pos = code.codes
    out["theme_id"] = tree["theme_id"].to_numpy()[pos]
    out["subtheme_id"] = tree["subtheme_id"].to_numpy()[pos]
    return out
