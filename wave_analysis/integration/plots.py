"""Drawing for the integration products: themes against outcomes (strip plots), the case matrix
heatmap and the representativeness bars. Every function returns a matplotlib Figure and only
draws. The theme-outcome and case-matrix figures show individual interviewees: save them as
participant-level outputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from wave_analysis.design import (
    ARM_COLOURS,
    CONTROL_ARM,
    INTERVENTION_ARM,
    STATISTIC_LABELS,
    WINDOW_DAYS,
    label,
)
from wave_analysis.integration.cases import CaseMatrix
from wave_analysis.integration.representativeness import (
    COMPARISON_GROUPS,
    NUMERIC_LABELS,
    Representativeness,
)
from wave_analysis.integration.theme_outcomes import ThemeOutcomes
from wave_analysis.qualitative.plots import plot_heatmap, text_colour

__all__ = ["plot_case_matrix", "plot_representativeness", "plot_theme_outcomes"]

_BAR_COLOUR = ARM_COLOURS[INTERVENTION_ARM]
_PRESENCE_COLOURS = {True: ARM_COLOURS[INTERVENTION_ARM], False: "#bababa"}
_COMPARISON_COLOURS = {"interviewed": ARM_COLOURS[INTERVENTION_ARM],
                       "other_intervention": "#a6dba0", CONTROL_ARM: ARM_COLOURS[CONTROL_ARM]}


def _offsets(values: np.ndarray, step: float) -> np.ndarray:
    """Deterministic vertical offsets spreading equal values (no random jitter)."""
    out = np.zeros(len(values))
    seen: dict[float, int] = {}
    for i, v in enumerate(np.round(values, 6)):
        k = seen.get(v, 0)
        seen[v] = k + 1
        out[i] = ((k + 1) // 2) * step * (1 if k % 2 else -1)
    return out


def _strips(ax, pts: pd.DataFrame, column: str, ypos: dict) -> None:
    """Points of one outcome, expressed above and not expressed below each theme's line;
    censored return-to-work times as open circles."""
    colours = _PRESENCE_COLOURS
    for flag, shift in ((True, -0.18), (False, 0.18)):
        sub = pts[(pts["present"] == flag) & pts[column].notna()]
        for theme, grp in sub.groupby("theme", sort=False):
            vals = grp[column].to_numpy(dtype=float)
            y = ypos[theme] + shift + _offsets(vals, 0.06)
            if column == "rtw_days":
                ev = grp["rtw_event"].to_numpy(dtype=bool)
                ax.scatter(vals[ev], y[ev], color=colours[flag], s=28, zorder=3)
                ax.scatter(vals[~ev], y[~ev], facecolors="none", edgecolors=colours[flag],
                           s=28, zorder=3)
            else:
                ax.scatter(vals, y, color=colours[flag], s=28, zorder=3)


def plot_theme_outcomes(result: ThemeOutcomes) -> Figure:
    """Strip plots of days absent and return-to-work time by theme, coloured by presence.

    Censored return-to-work times are open circles at the censoring day. Counts per side are
    written beside each theme; the caption states that no test is made.
    """
    themes = list(dict.fromkeys(result.table["theme"]))
    fig = Figure(figsize=(11, 1.4 + 0.6 * max(1, len(themes))))
    axes = fig.subplots(1, 2, sharey=True)
    ypos = {t: i for i, t in enumerate(themes)}
    for ax, column, title in ((axes[0], "days_absent", "Days absent over 6 months"),
                              (axes[1], "rtw_days", "Days to return to work")):
        _strips(ax, result.points, column, ypos)
        # lines between themes, not through them: a theme's two rows stay in one band
        ax.grid(False, axis="y")
        for k in range(len(themes) - 1):
            ax.axhline(k + 0.5, color="#cccccc", linewidth=0.8)
        ax.set_xlim(-5, WINDOW_DAYS + 5)
        ax.set_title(title)
        ax.set_xlabel("Days")
    tab = result.table.set_index(["theme", "group"])
    axes[0].set_yticks(range(len(themes)), [
        f"{t}\n(with {int(tab.loc[(t, 'with theme'), 'n'])}, "
        f"without {int(tab.loc[(t, 'without theme'), 'n'])})" for t in themes])
    axes[0].set_ylim(len(themes) - 0.5, -0.5)
    colours = _PRESENCE_COLOURS
    handles = [Line2D([], [], marker="o", ls="", color=colours[True], label="theme expressed"),
               Line2D([], [], marker="o", ls="", color=colours[False], label="not expressed"),
               Line2D([], [], marker="o", ls="", mfc="none", mec="#555555",
                      label="censored (no return seen)")]
    fig.legend(handles=handles, loc="upper center", ncol=3, frameon=False)
    fig.text(0.01, 0.005, "Descriptive only; no test is made.", fontsize=8, ha="left",
             va="bottom")
    height = fig.get_figheight()  # legend and footnote take fixed inches, not a share
    fig.tight_layout(rect=(0, 0.35 / height, 1, 1 - 0.55 / height))
    return fig


def _bar_text(ax, y: float, length: float, text: str) -> None:
    """Write ``text`` after a short bar, or inside the end of a long one in the colour that
    contrasts with the bar (a label never straddles bar and background)."""
    inside = length > 0.55 * WINDOW_DAYS
    ax.text(length - 3 if inside else length + 3, y, text, va="center", fontsize=7,
            ha="right" if inside else "left",
            color=text_colour(_BAR_COLOUR) if inside else "black")


def plot_case_matrix(cases: CaseMatrix) -> Figure:
    """Heatmap of segments per interviewed patient and theme, beside their days absent."""
    seg = cases.segments()
    n = max(1, len(seg))
    fig = Figure(figsize=(3.5 + 0.9 * max(1, seg.shape[1]), 1.6 + 0.42 * n))
    grid = fig.add_gridspec(1, 2, width_ratios=[max(1, seg.shape[1]), 2.2])
    ax = fig.add_subplot(grid[0])
    plot_heatmap(seg, ax=ax, colorbar_label=label("segments", STATISTIC_LABELS),
                 title="Themes by interviewed patient", xlabel=label("theme"))
    ax.grid(False)  # explicit: the style's grid would otherwise depend on call order
    bar = fig.add_subplot(grid[1], sharey=ax)
    days = cases.table["days_absent"].astype(float).to_numpy()
    bar.barh(range(len(days)), np.nan_to_num(days), color=_BAR_COLOUR)
    for i, (d, ev) in enumerate(zip(days, cases.table["rtw_event"], strict=True)):
        text = ("no trial record" if np.isnan(d) else
                "returned" if not pd.isna(ev) and bool(ev) else "no return seen")
        _bar_text(bar, i, 0.0 if np.isnan(d) else d, text)
    bar.set_xlim(0, WINDOW_DAYS)
    bar.set_xticks(range(0, WINDOW_DAYS + 1, 60))
    bar.grid(False)
    bar.grid(True, axis="x", color="#cccccc")
    bar.set_xlabel("Days absent over 6 months")
    bar.tick_params(labelleft=False)
    fig.tight_layout()
    return fig


def _sentence(text: str) -> str:
    """Sentence case for a category shown as a tick label ("not returned" -> "Not returned")."""
    return text[:1].upper() + text[1:]


def _share_panel(ax, sub: pd.DataFrame, title: str) -> None:
    """One characteristic: a bar per comparison group and level; the x range fits the data."""
    levels = list(dict.fromkeys(sub["level"]))
    width = 0.8 / len(COMPARISON_GROUPS)
    for k, comp in enumerate(COMPARISON_GROUPS):
        vals = sub[sub["comparison"] == comp].set_index("level")["percent"].reindex(levels)
        ax.barh(np.arange(len(levels)) + (k - 1) * width, vals.fillna(0).to_numpy(),
                height=width, color=_COMPARISON_COLOURS[comp], label=COMPARISON_GROUPS[comp])
    ax.set_yticks(range(len(levels)), [_sentence(label(v)) for v in levels], fontsize=8)
    ax.invert_yaxis()
    top = float(np.nan_to_num(sub["percent"].max()))
    ax.set_xlim(0, min(100, 10 * math.ceil(max(top, 1) * 1.08 / 10)))  # next 10 above the data
    ax.set_xlabel("% of group")
    ax.set_title(title, fontsize=10)


def plot_representativeness(result: Representativeness) -> Figure:
    """Percent of each group in each category (one panel per characteristic); each row of
    panels is as tall as its longest list of categories needs."""
    t = result.table[~result.table["characteristic"].isin(NUMERIC_LABELS)]
    chars = list(dict.fromkeys(t["characteristic"]))
    ncols = 3
    nrows = max(1, math.ceil(len(chars) / ncols))
    n_levels = t.groupby("characteristic", sort=False)["level"].nunique().reindex(chars)
    heights = [max(3.0, 1.0 + 0.3 * int(n_levels.iloc[r * ncols:(r + 1) * ncols].max()))
               if chars else 3.0 for r in range(nrows)]
    fig = Figure(figsize=(4.2 * ncols, sum(heights) + 0.5))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, gridspec_kw={"height_ratios": heights}))
    axes = axes.ravel()
    for ax, char in zip(axes, chars, strict=False):
        _share_panel(ax, t[t["characteristic"] == char], char)
    for ax in axes[len(chars):]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=3, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig
