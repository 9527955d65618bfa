"""Display tables of notebook 06 (qualitative themes: codebook, theme counts by stakeholder
group, co-occurrence pairs, quote matrix, inter-coder agreement)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.design import GROUP_LABELS, STAKEHOLDER_GROUPS, label
from wave_analysis.report.displays.base import make, num, plain, source, text, tidy, txt
from wave_analysis.report.format import MISSING, fmt_int, fmt_number, fmt_pct, is_missing
from wave_analysis.report.table import DisplayTable, Row

_NB = "06_qualitative_themes"


def codebook(tree: pd.DataFrame) -> DisplayTable:
    """The whole code tree (``qualitative.codebook.code_tree``, index code_id): one row per
    theme, subtheme and code, searchable."""
    f = tree.reset_index() if "code_id" not in tree.columns else tree
    f = tidy(f, required=("code_id", "name", "level", "theme_id"), table="codebook")
    names = dict(zip(f["code_id"], f["name"], strict=True))
    rows = [Row((plain(r["code_id"]), plain(r["name"]), text(r["level"]),
                 plain(names.get(r["theme_id"], r["theme_id"]))))
            for r in f.to_dict("records")]
    columns = [txt("code_id", "Code id"), txt("name", "Name"), txt("level", "Level"),
               txt("theme", "Theme")]
    return make("06_codebook", "Codebook", columns, rows, interactive=True,
                source_note=source("Codebook of the thematic analysis", _NB))


def theme_counts(frame: pd.DataFrame) -> DisplayTable:
    """Per theme and stakeholder group: interviewees with the theme (n/N, %), coded segments and
    coverage (share of the group's transcript characters)."""
    f = tidy(frame, required=("stakeholder_group", "theme_id", "name", "segments", "coverage",
                              "interviewees", "interviewees_in_group", "share_interviewees"),
             table="theme counts")
    groups = [g for g in STAKEHOLDER_GROUPS if g in set(f["stakeholder_group"])]
    rows = []
    for _, part in f.groupby("theme_id", sort=False):
        by_group = part.set_index("stakeholder_group")
        cells = []
        for g in groups:
            if g not in by_group.index:
                cells += ["", "", ""]
                continue
            r = by_group.loc[g]
            cells += [f"{fmt_int(r['interviewees'])}/{fmt_int(r['interviewees_in_group'])} "
                      f"({fmt_pct(r['share_interviewees'], 0, proportion=True)})",
                      fmt_int(r["segments"]), fmt_pct(r["coverage"], 1, proportion=True)]
        rows.append(Row((plain(part["name"].iloc[0]), *cells)))
    columns = [txt("theme", "Theme")]
    for g in groups:
        head = GROUP_LABELS.get(g, label(g))
        columns += [num(f"interviewees_{g}", "Interviewees", group=head),
                    num(f"segments_{g}", "Segments", group=head),
                    num(f"coverage_{g}", "Coverage", group=head)]
    return make("06_theme_counts", "Themes by stakeholder group", columns, rows,
                source_note=source("Coded segments of the analysis coder", _NB),
                footnotes=("Interviewees: with at least one segment of the theme / interviewed "
                           "in the group (%). Coverage: characters coded with the theme over all "
                           "transcript characters of the group (overlaps counted once).",))


def cooccurrence(frame: pd.DataFrame) -> DisplayTable:
    """Every pair of themes, at segment and interview level: counts, Jaccard and c-coefficient
    (sortable and searchable)."""
    f = tidy(frame, required=("a", "b", "n_a", "n_b", "n_ab", "jaccard", "c_coefficient", "unit",
                              "a_name", "b_name"), table="co-occurrence")
    rows = [Row((text(r.unit), plain(r.a_name), plain(r.b_name), fmt_int(r.n_a), fmt_int(r.n_b),
                 fmt_int(r.n_ab), fmt_number(r.jaccard, 3), fmt_number(r.c_coefficient, 3)))
            for r in f.itertuples()]
    columns = [txt("unit", "Unit"), txt("a_name", "Theme A"), txt("b_name", "Theme B"),
               num("n_a", "n A"), num("n_b", "n B"), num("n_ab", "n both"),
               num("jaccard", "Jaccard"), num("c_coefficient", "c-coefficient")]
    return make("06_cooccurrence", "Co-occurrence of themes (pairs)", columns, rows,
                interactive=True,
                source_note=source("Overlapping coded segments, and interviews coded with both",
                                   _NB),
                footnotes=("Segment level: c = n12 / (n1 + n2 - n12) (ATLAS.ti), Jaccard on "
                           "shared coded characters; interview level: interviews coded with "
                           "both, where the two coincide.",))


def quote_matrix(frame: pd.DataFrame) -> DisplayTable:
    """Verbatim quotes per theme and stakeholder group (participant-level; searchable)."""
    f = tidy(frame, required=("name",), table="quote matrix")
    groups = [g for g in STAKEHOLDER_GROUPS if g in f.columns]
    rows = [Row((plain(r["name"]), *[plain(r[g]) for g in groups]))
            for r in f.to_dict("records")]
    columns = [txt("name", "Theme"), *[txt(g, GROUP_LABELS.get(g, label(g))) for g in groups]]
    return make("06_quote_matrix", "Quote matrix: themes by stakeholder group", columns, rows,
                interactive=True, participant_level=True, orientation="landscape",
                source_note=source("Quotes picked one per speaker before anyone's second", _NB),
                footnotes=("Verbatim interview text under pseudonymous speaker labels: for the "
                           "research team only.",))


def agreement(frame: pd.DataFrame) -> DisplayTable:
    """Inter-coder agreement per code: percent agreement, kappa and alpha on characters, and
    presence at interview level."""
    f = tidy(frame, required=("code_id", "name", "interviews", "percent_agreement", "kappa",
                              "alpha_characters", "presence_kappa", "alpha_presence", "coder_a",
                              "coder_b"), table="agreement")
    rows = [Row((plain(r.code_id), plain(r.name), fmt_int(r.interviews),
                 fmt_pct(r.percent_agreement, 1, proportion=True), _stat(r.kappa),
                 _stat(r.alpha_characters), _stat(r.presence_kappa), _stat(r.alpha_presence)))
            for r in f.itertuples()]
    columns = [txt("code_id", "Code id"), txt("name", "Code"), num("interviews", "Interviews"),
               num("percent_agreement", "Agreement", group="Characters"),
               num("kappa", "Kappa", group="Characters"),
               num("alpha_characters", "Alpha", group="Characters"),
               num("presence_kappa", "Kappa", group="Presence per interview"),
               num("alpha_presence", "Alpha", group="Presence per interview")]
    coders = f"{plain(f['coder_a'].iloc[0])} and {plain(f['coder_b'].iloc[0])}" if len(f) else ""
    return make("06_agreement", f"Inter-coder agreement per code ({coders})", columns, rows,
                source_note=source("Character-level Cohen's kappa and Krippendorff's alpha on "
                                   "the transcripts both coders coded", _NB),
                footnotes=(f"{MISSING}: undefined (chance agreement is 1 for a code this rare or "
                           "common).",))


def _stat(value: object) -> str:
    return MISSING if is_missing(value) else fmt_number(value, 2)
