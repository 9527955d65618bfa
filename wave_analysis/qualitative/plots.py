"""Drawing for the qualitative analyses: annotated heatmaps (themes by group, by interview,
co-occurrence) and the inter-coder agreement bars. Every function returns a matplotlib Figure
and only draws; the numbers come from ``counts``, ``cooccurrence`` and ``agreement``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.qualitative.agreement import AGREEMENT_VALUES, Agreement
from wave_analysis.qualitative.cooccurrence import Cooccurrence
from wave_analysis.qualitative.counts import ThemeCounts

__all__ = ["plot_agreement", "plot_cooccurrence_heatmap", "plot_group_heatmap", "plot_heatmap",
           "plot_interview_heatmap"]

_COOCCURRENCE_VALUES = ("counts", "jaccard", "c_coefficient")


def _annotate(ax, values: np.ndarray, value_format: str) -> None:
    """Write every finite value in its cell, white on dark cells."""
    finite = values[np.isfinite(values)]
    mid = (finite.max() + finite.min()) / 2 if finite.size else 0
    for (r, c), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(c, r, value_format.format(v), ha="center", va="center", fontsize=8,
                    color="white" if v > mid else "black")


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
        _annotate(ax, values, value_format)
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
    """Interviews (rows) by themes (columns), e.g. ``counts.theme_matrix`` output.

    ``labels`` (e.g. ``interviewees.speaker_labels``) replaces interview ids on the rows.
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
    check_one_of("value", value, _COOCCURRENCE_VALUES)
    table = getattr(result, value)
    if not diagonal:
        table = table.astype(float).where(~np.eye(len(table), dtype=bool))
    if names is not None:
        table = table.rename(index=lambda u: names.get(u, u), columns=lambda u: names.get(u, u))
    fmt = "{:.0f}" if value == "counts" else "{:.2f}"
    title = f"Co-occurrence ({result.unit} level): {value.replace('_', ' ')}"
    return plot_heatmap(table, value_format=fmt, ax=ax, title=title,
                        colorbar_label=value.replace("_", " "))


def _agreement_bars(ax, table: pd.DataFrame, values: list[str]) -> list[float]:
    """One bar per statistic and unit, each labelled; returns the lowest values drawn."""
    n, k = len(table), len(values)
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
    return lows


def plot_agreement(result: Agreement, *,
                   values: Sequence[str] = ("kappa", "presence_kappa", "alpha_characters"),
                   names: Mapping[str, str] | None = None, ax=None) -> Figure:
    """Horizontal bars of agreement statistics per unit (rows in ``by_code`` order, top down).

    ``values``: columns of :attr:`Agreement.by_code` (see ``agreement.AGREEMENT_VALUES``);
    ``names`` maps unit ids to labels. Undefined statistics (NaN, e.g. a code only one coder used
    on one transcript) are marked "n/a" instead of a bar.
    """
    values = list(values)
    check_argument(bool(values), "values", "at least one agreement statistic", values)
    for v in values:
        check_one_of("value", v, AGREEMENT_VALUES)
    table = result.by_code
    labels = [str((names or {}).get(u, u)) for u in table[f"{result.level}_id"]]
    n, k = len(table), len(values)
    if ax is None:
        fig = Figure(figsize=(7.5, 1.4 + 0.14 * max(1, n) * max(2, k)))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    lows = _agreement_bars(ax, table, values)
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
