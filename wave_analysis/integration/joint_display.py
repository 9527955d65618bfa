"""The joint display: every codebook theme with its interviewees per stakeholder group, an
exemplar quote, the linked quantitative finding (computed) and the analyst's meta-inference.

:class:`JointDisplay` returns what a notebook saves: ``to_frame()`` (every computed column, for
other tools, as CSV), ``to_markdown()`` and ``to_html()`` (the reader's version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.model import QualData, TrialData
from wave_analysis.design import GROUP_LABELS, STAKEHOLDER_GROUPS
from wave_analysis.integration._format import median_range
from wave_analysis.integration.cases import (
    CaseMatrix,
    analysis_coder,
    case_matrix,
    interviewee_frame,
    safe_column,
    theme_cells,
    theme_table,
)
from wave_analysis.integration.findings import FINDINGS, quantitative_findings
from wave_analysis.integration.inferences import NOT_ASSESSED
from wave_analysis.qualitative.quotes import quotes
from wave_analysis.trial import outcomes

__all__ = ["QUOTE_MAX", "JointDisplay", "joint_display"]

QUOTE_MAX = 300  # characters: exemplar quotes longer than this are a paragraph, not a quote


def _exemplar(rows: pd.DataFrame) -> tuple[str, str]:
    """Longest segment under QUOTE_MAX characters, patient group first; else the shortest one
    cut at a word boundary. Deterministic: ties keep quotes() order."""
    if rows.empty:
        return "", ""
    order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
    rows = rows.assign(_text=[" ".join(str(t).split()) for t in rows["text"]])
    rows = rows.assign(_len=rows["_text"].str.len(),
                       _g=rows["stakeholder_group"].map(order).fillna(len(order)))
    for _, group in rows.groupby("_g", sort=True):
        fits = group[group["_len"] <= QUOTE_MAX]
        if len(fits):
            best = fits.iloc[int(np.argmax(fits["_len"].to_numpy()))]
            return best["_text"], best["speaker"]
    best = rows.iloc[int(np.argmin(rows["_len"].to_numpy()))]
    cut = best["_text"][:QUOTE_MAX].rsplit(" ", 1)[0]
    return cut + " …", best["speaker"]


@dataclass(frozen=True)
class JointDisplay:
    """Themes (rows) x integration columns.

    ``table`` columns: theme_id, theme; per stakeholder group ``<group>_n`` (interviewees with
    the theme), ``<group>_of`` (interviewees in the group) and ``<group>_share``; exemplar_quote,
    exemplar_speaker; finding (key), quantitative_finding (computed text);
    interviewee_outcomes (days absent of interviewed patients with and without the theme);
    meta_inference and inference_note (from the analyst's file, "not yet assessed" when absent).
    """

    table: pd.DataFrame
    notes: tuple[str, ...]
    coder: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def display_frame(self) -> pd.DataFrame:
        """A reader's version: 'n/N (share)' per group and text columns, no keys."""
        t = self.table
        out = pd.DataFrame({"Theme": t["theme"]})
        for g in STAKEHOLDER_GROUPS:
            head = GROUP_LABELS.get(g, g)
            out[head] = [f"{n}/{of} ({s:.0%})" if of else "no interviews"
                         for n, of, s in zip(t[f"{g}_n"], t[f"{g}_of"], t[f"{g}_share"],
                                             strict=True)]
        out["Exemplar quote"] = [f"\u201c{q}\u201d ({s})" if q else "no coded segment"
                                 for q, s in zip(t["exemplar_quote"], t["exemplar_speaker"],
                                                 strict=True)]
        out["Quantitative finding"] = t["quantitative_finding"]
        out["Interviewed patients' days absent"] = t["interviewee_outcomes"]
        out["Meta-inference"] = [i if not n else f"{i}: {n}" for i, n in
                                 zip(t["meta_inference"], t["inference_note"], strict=True)]
        return out

    def to_markdown(self) -> str:
        frame = self.display_frame().astype(str)
        cell = lambda s: s.replace("\\", "\\\\").replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |",
                 "|" + "---|" * frame.shape[1]]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |"
                  for row in frame.itertuples(index=False)]
        return "\n".join(lines) + "\n"

    def to_html(self) -> str:
        return self.display_frame().to_html(index=False, border=0, escape=True) + "\n"


def _group_counts(table: pd.DataFrame, qual: QualData, seg: pd.DataFrame,
                  notes: list[str]) -> None:
    """Add <group>_n, <group>_of and <group>_share for every stakeholder group of the design."""
    people = interviewee_frame(qual)
    themes = table["theme_id"]
    for g in STAKEHOLDER_GROUPS:
        sub = people[people["stakeholder_group"] == g]
        present = (seg.loc[sub["interview_id"]] > 0).to_numpy()
        has = pd.DataFrame(present, columns=themes).groupby(sub["key"].to_numpy()).any()
        n_in = int(sub["key"].nunique())
        n = has.sum(axis=0).reindex(themes).fillna(0).astype("int64").to_numpy() \
            if n_in else np.zeros(len(themes), dtype="int64")
        table[f"{g}_n"] = n
        table[f"{g}_of"] = n_in
        table[f"{g}_share"] = n / n_in if n_in else np.nan
        if not n_in:
            notes.append(f"no {GROUP_LABELS.get(g, g)} interviews: their columns are empty")


def _exemplars(table: pd.DataFrame, qual: QualData, coder: str) -> None:
    coded = qual.codings["coder"].astype(str) == coder
    rows = (quotes(qual, coder=coder, context=0) if coded.any()
            else pd.DataFrame(columns=["theme_id", "stakeholder_group", "speaker", "text"]))
    ex = [_exemplar(rows[rows["theme_id"] == t]) for t in table["theme_id"]]
    table["exemplar_quote"] = [q for q, _ in ex]
    table["exemplar_speaker"] = [s for _, s in ex]


def _interviewee_outcomes(cases: CaseMatrix, theme_ids: pd.Series) -> list[str]:
    """Days absent of interviewed patients with and without each theme, in words."""
    summary = []
    days = cases.table["days_absent"]
    for t in theme_ids:
        present = cases.table[f"present_{safe_column(t)}"].astype(bool)
        summary.append(f"with theme n {int(present.sum())}: {median_range(days[present])}; "
                       f"without n {int((~present).sum())}: {median_range(days[~present])}")
    return summary


def joint_display(trial: TrialData, qual: QualData, *, inferences: Mapping[str, Mapping] |
                  None = None, coder: str | None = None, definition: str = "first",
                  rule: str = outcomes.PRIMARY_RULE,
                  cases: CaseMatrix | None = None) -> JointDisplay:
    """The joint display: every codebook theme with its counts per stakeholder group (every
    group in ``design.STAKEHOLDER_GROUPS`` gets columns, zero when it has no interviews), an
    exemplar quote, the linked quantitative finding and the analyst's meta-inference.

    ``inferences``: from ``inferences.read_inferences``; themes absent from it show
    ``NOT_ASSESSED`` and the quantitative finding "not linked". ``cases``: a case matrix to
    reuse (else built here).
    """
    coder = analysis_coder(qual, coder)
    inferences = dict(inferences or {})
    themes = theme_table(qual)
    unknown = [k for k in inferences if k not in set(themes["theme_id"])]
    check_argument(not unknown, "inferences", "keyed by themes of the codebook", unknown,
                   f"themes: {', '.join(themes['theme_id'])}")
    notes: list[str] = []
    table = themes.copy()
    seg, _ = theme_cells(qual, coder)
    _group_counts(table, qual, seg, notes)
    _exemplars(table, qual, coder)
    findings = quantitative_findings(trial, definition=definition, rule=rule).set_index("finding")
    keys = [inferences.get(t, {}).get("finding") for t in themes["theme_id"]]
    table["finding"] = keys
    table["quantitative_finding"] = [
        f"{FINDINGS[k]}: {findings.loc[k, 'summary']}" if k else "not linked" for k in keys]
    if cases is None or cases.level != "theme" or cases.coder != coder:
        cases = case_matrix(trial, qual, coder=coder, definition=definition, rule=rule)
    table["interviewee_outcomes"] = _interviewee_outcomes(cases, themes["theme_id"])
    table["meta_inference"] = [inferences.get(t, {}).get("inference", NOT_ASSESSED)
                               for t in themes["theme_id"]]
    table["inference_note"] = [inferences.get(t, {}).get("note", "") for t in themes["theme_id"]]
    for t, name in zip(themes["theme_id"], themes["theme"], strict=True):
        if not sum(int(table.loc[table["theme_id"] == t, f"{g}_n"].iloc[0])
                   for g in STAKEHOLDER_GROUPS):
            notes.append(f"theme {t} ({name}): no interviewee expressed it")
    missing = [t for t in themes["theme_id"] if t not in inferences]
    if missing:
        notes.append(f"{NOT_ASSESSED}: {', '.join(missing)}")
    return JointDisplay(table, tuple(notes), coder)
