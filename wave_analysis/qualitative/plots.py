"""Drawing for the qualitative analyses: annotated heatmaps (themes by group, by interview,
co-occurrence) and the inter-coder agreement bars. Every function returns a matplotlib Figure
and only draws; the numbers come from ``counts``, ``cooccurrence`` and ``agreement``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.design import STATISTIC_LABELS, label
from wave_analysis.qualitative.agreement import AGREEMENT_VALUES, Agreement
from wave_analysis.qualitative.cooccurrence import Cooccurrence
from wave_analysis.qualitative.counts import ThemeCounts

__all__ = ["plot_agreement", "plot_cooccurrence_heatmap", "plot_group_heatmap", "plot_heatmap",
           "plot_interview_heatmap", "text_colour"]

_COOCCURRENCE_VALUES = ("counts", "jaccard", "c_coefficient")


def text_colour(background) -> str:
    """"black" or "white", whichever contrasts more with ``background`` (any matplotlib colour).

    Contrast ratio as in WCAG 2: (L1 + 0.05) / (L2 + 0.05) with the relative luminance L of the
    sRGB colour; black wins on cells lighter than L = 0.179, white on darker ones.
    """
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
              for c in to_rgb(background)]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"


def number_text(value_format: str, value: float) -> str:
    """``value`` formatted, without the minus of a value that rounds to zero ("-0.00")."""
    text = value_format.format(value)
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        text = text[1:]
    return text


def _annotate(ax, image, values: np.ndarray, value_format: str) -> None:
    """Write every finite value in its cell, in the colour that contrasts with the cell."""
    for (r, c), v in np.ndenumerate(values):
        if np.isfinite(v):
            cell = image.cmap(image.norm(v))
            ax.text(c, r, number_text(value_format, v), ha="center", va="center", fontsize=8,
                    color=text_colour(cell))


def _name_label(name) -> str:
    """The axis label of an index or columns name; none when the name is unset."""
    return "" if name is None else label(name)


def _heatmap_figure(table: pd.DataFrame) -> Figure:
    """A figure with room for the cells and the labels (long theme names would otherwise
    squeeze the cells away)."""
    rows, cols = table.shape
    row_chars = max((len(str(r)) for r in table.index), default=0)
    col_chars = max((len(str(c)) for c in table.columns), default=0)
    return Figure(figsize=(1.2 + 0.9 * max(1, cols) + 0.08 * row_chars,
                           1.0 + 0.4 * max(1, rows) + 0.06 * col_chars))


def plot_heatmap(table: pd.DataFrame, *, title: str | None = None, value_format: str = "{:.0f}",
                 cmap: str = "Blues", vmin: float | None = None, vmax: float | None = None,
                 colorbar_label: str | None = None, annotate: bool = True,
                 xlabel: str | None = None, ylabel: str | None = None, ax=None) -> Figure:
    """Draw a numeric table as an annotated heatmap (rows top to bottom); return the Figure.

    The colour scale spans the data's finite range unless ``vmin``/``vmax`` say otherwise; a
    percent ``value_format`` ("{:.0%}") labels the colour bar in percent too. Axis labels default
    to the design labels of the index and column names.
    """
    values = table.to_numpy(dtype=float)
    fig = _heatmap_figure(table) if ax is None else ax.figure
    ax = fig.add_subplot() if ax is None else ax
    ax.grid(False)  # the project style's grid lines would cut through the cells
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=vmin, vmax=vmax,
                      aspect="auto", interpolation="nearest")
    ax.set_xticks(range(values.shape[1]), [str(c) for c in table.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(values.shape[0]), [str(r) for r in table.index])
    ax.set_xlabel(_name_label(table.columns.name) if xlabel is None else xlabel)
    ax.set_ylabel(_name_label(table.index.name) if ylabel is None else ylabel)
    if annotate and values.size:
        _annotate(ax, image, values, value_format)
    bar = fig.colorbar(image, ax=ax, label=colorbar_label or "")
    if value_format.endswith("%}"):
        bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_group_heatmap(counts: ThemeCounts, *, value: str = "share_interviewees",
                       names: bool = True, ax=None) -> Figure:
    """Themes (rows) by stakeholder group (columns) of one :class:`ThemeCounts` column."""
    wide = counts.pivot(value)
    if names:
        names_of = dict(zip(counts.table[f"{counts.level}_id"], counts.table["name"],
                            strict=False))
        wide.index = pd.Index([names_of[i] for i in wide.index], name=counts.level)
    wide.columns = pd.Index([label(g) for g in wide.columns],
                            name=wide.columns.name)
    share = value in ("share_interviewees", "coverage")
    level = label(counts.level)
    return plot_heatmap(wide, value_format="{:.0%}" if share else "{:.0f}",
                        colorbar_label=label(value, STATISTIC_LABELS),
                        title=f"{level}s by stakeholder group ({counts.coder})", ax=ax)


def plot_interview_heatmap(matrix: pd.DataFrame, *, labels: pd.Series | None = None,
                           value_format: str = "{:.0f}", ax=None) -> Figure:
    """Interviews (rows) by themes (columns), e.g. ``counts.theme_matrix`` output.

    ``labels`` (e.g. ``interviewees.speaker_labels``) replaces interview ids on the rows; the
    colour bar is labelled with what the cells hold (``matrix.attrs["value"]``, set by
    ``theme_matrix``).
    """
    shown = matrix.astype(float)
    if labels is not None:
        shown.index = pd.Index([labels.get(i, i) for i in shown.index], name="speaker")
    value = matrix.attrs.get("value")
    return plot_heatmap(shown, value_format=value_format, ax=ax, title="Themes by interview",
                        colorbar_label=label(value, STATISTIC_LABELS) if value else None)


def plot_cooccurrence_heatmap(result: Cooccurrence, *, value: str = "c_coefficient",
                              names: Mapping[str, str] | None = None, diagonal: bool = True,
                              ax=None) -> Figure:
    """Unit-by-unit heatmap of ``counts``, ``jaccard`` or ``c_coefficient``.

    ``names`` maps unit ids to labels. ``diagonal=False`` leaves the diagonal blank: for jaccard
    and c it is 1 by definition and would set the top of the colour scale. Small coefficients
    (all below 0.1, as segment-level c often is) get three decimals so no coloured cell reads 0.
    """
    check_one_of("value", value, _COOCCURRENCE_VALUES)
    table = getattr(result, value)
    if not diagonal:
        table = table.astype(float).where(~np.eye(len(table), dtype=bool))
    if names is not None:
        table = table.rename(index=lambda u: names.get(u, u), columns=lambda u: names.get(u, u))
    largest = np.nanmax(np.abs(table.to_numpy(dtype=float)), initial=0.0)
    fmt = "{:.0f}" if value == "counts" else "{:.2f}" if largest >= 0.1 else "{:.3f}"
    what = label(value, STATISTIC_LABELS)
    return plot_heatmap(table, value_format=fmt, ax=ax, colorbar_label=what,
                        title=f"Co-occurrence of {label(result.level).lower()}s"
                              f" ({result.unit} level): {what}")


def _agreement_bars(ax, table: pd.DataFrame, values: list[str]) -> list[float]:
    """One bar per statistic and unit, each labelled; returns the lowest values drawn."""
    n, k = len(table), len(values)
    height = 0.8 / k
    lows = [0.0]
    for j, v in enumerate(values):
        y = np.arange(n) + (j - (k - 1) / 2) * height
        x = table[v].to_numpy(dtype=float)
        ax.barh(y, np.nan_to_num(x), height=height, label=label(v, STATISTIC_LABELS))
        # every bar is labelled, so a zero (no bar) is told apart from undefined ("n/a")
        for xx, yy in zip(x, y, strict=True):
            ax.text(max(xx, 0) + 0.01 if np.isfinite(xx) else 0.01, yy,
                    number_text("{:.2f}", xx) if np.isfinite(xx) else "n/a", va="center",
                    ha="left", fontsize=6, color="0.2" if np.isfinite(xx) else "0.5")
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
    chance_corrected = "percent_agreement" not in values  # kappa and alpha: 0 is chance level
    ax.set_xlabel("Agreement (1 = perfect, 0 = chance)" if chance_corrected else "Agreement")
    # one statistic per legend line: side by side, long names would widen the figure
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1, frameon=False, fontsize=8)
    ax.set_title(f"Inter-coder agreement per {result.level} "
                 f"({result.coders[0]} vs {result.coders[1]})", pad=8 + 12 * k)
    fig.tight_layout()
    return fig
