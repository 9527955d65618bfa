"""Figures of the trial analyses. Drawing only: every function takes a result the computation
modules return and gives back a matplotlib ``Figure``; nothing here computes an estimate.

Names follow what they draw: ``plots.X`` draws the result of ``<module>.X`` where there is one
(``plots.kaplan_meier(survival.kaplan_meier(...))``, ``plots.feasibility(recruitment.feasibility(
...))``). Arm colours and labels come from ``design``; colours that are not arms live here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from wave_analysis._checks import check_argument
from wave_analysis.design import (
    ARM_COLOURS,
    ARM_LABELS,
    CONTROL_ARM,
    DAYS_PER_FORTNIGHT,
    FORTNIGHTS,
    INELIGIBLE_REASON_LABELS,
    INTERVENTION_ARM,
    WINDOW_DAYS,
    label,
)
from wave_analysis.trial.effects import RateRatio
from wave_analysis.trial.recruitment import ConsortFlow, Criterion
from wave_analysis.trial.survival import KaplanMeierResult
from wave_analysis.trial.turnbull import TurnbullResult

__all__ = [
    "sample_size_grid",
    "consort_flow",
    "contacts_per_participant",
    "feasibility",
    "forest",
    "kaplan_meier",
    "recruitment_by_month",
    "recruitment_by_practice",
    "sms_reply_rate",
    "steps_reached",
    "time_to_first_contact",
    "turnbull",
]

INTERVENTION_COLOUR = ARM_COLOURS[INTERVENTION_ARM]
NO_CONTACT_COLOUR = "#bdbdbd"  # participants the intervention never reached
NULL_LINE_COLOUR = "#b2182b"  # the line of no effect on the forest plot
RAG_COLOURS = {"green": "#1a9641", "amber": "#f5a623", "red": "#d7191c"}
MONTH_BAR_COLOUR, CUMULATIVE_COLOUR, PRACTICE_BAR_COLOUR = "#9ecae1", "#08519c", "#6baed6"
TARGET_COLOUR = RAG_COLOURS["red"]
STAGE_FILL, STAGE_EDGE = "#a6cee3", "#1f78b4"  # the CONSORT stage labels down the left side


# --- data quality ---------------------------------------------------------------------------


def sms_reply_rate(rate: pd.DataFrame) -> Figure:
    """Line plot of the SMS reply rate by fortnight and arm (``quality.sms_reply_rate``)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for arm, group in rate.groupby("arm"):
        ax.plot(group["fortnight"], group["reply_rate"] * 100, marker="o",
                color=ARM_COLOURS.get(arm), label=ARM_LABELS.get(arm, arm))
    ax.set(xlabel="Follow-up fortnight", ylabel="Replied to the SMS (%)", ylim=(0, 100),
           xticks=range(1, FORTNIGHTS + 1), title="SMS reply rate by fortnight and arm")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


# --- CONSORT flow diagram -------------------------------------------------------------------

_LINE = 2.6  # height of one text line in diagram units
_PAD = 1.6
_CENTRE, _SIDE, _WIDE, _NARROW = 45.0, 82.0, 36.0, 34.0  # x of the main and side columns, widths
_TOP = 150.0


def _height(n_lines: int) -> float:
    return n_lines * _LINE + 2 * _PAD


def _box(ax, x: float, top: float, width: float, lines: list[str], *, bold_first=False,
         align="center") -> tuple[float, float]:
    """Draw a box whose top edge is at ``top``; return (top, bottom)."""
    height = _height(len(lines))
    ax.add_patch(Rectangle((x - width / 2, top - height), width, height, fill=True,
                           facecolor="white", edgecolor="black", linewidth=1.0))
    tx = x if align == "center" else x - width / 2 + 1.5
    for i, line in enumerate(lines):
        ax.text(tx, top - _PAD - (i + 0.5) * _LINE, line, ha=align, va="center", fontsize=9,
                fontweight="bold" if bold_first and i == 0 else "normal")
    return top, top - height


def _arrow(ax, start, end) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0,
                            "shrinkA": 0, "shrinkB": 0})


def _stage_label(ax, y_top: float, y_bottom: float, text: str) -> None:
    ax.add_patch(Rectangle((1, y_bottom), 6, y_top - y_bottom, facecolor=STAGE_FILL,
                           edgecolor=STAGE_EDGE, linewidth=0.8))
    ax.text(4, (y_top + y_bottom) / 2, text, rotation=90, ha="center", va="center",
            fontsize=9, fontweight="bold")


def _excluded_lines(flow: ConsortFlow) -> list[str]:
    n_inel = sum(flow.ineligible.values())
    lines = [f"Excluded (n={flow.excluded:,})",
             f"\u2022 Not meeting inclusion criteria (n={n_inel:,})"]
    lines += [f"    {label(r, INELIGIBLE_REASON_LABELS)} (n={n:,})"
              for r, n in flow.ineligible.items() if n]
    return lines + [f"\u2022 Declined to participate (n={flow.declined:,})",
                    f"\u2022 Other reasons (n={flow.other_excluded:,})"]


def _enrolment(ax, flow: ConsortFlow) -> float:
    """Invited -> responded -> assessed -> randomised, with the side boxes; the bottom of the
    randomised box."""
    centre, side, wide = _CENTRE, _SIDE, _WIDE
    t_inv, b_inv = _box(ax, centre, _TOP, wide, [f"Invited (n={flow.invited:,})"])
    t_res, b_res = _box(ax, centre, b_inv - 5, wide, [f"Responded (n={flow.responded:,})"])
    _arrow(ax, (centre, b_inv), (centre, t_res))
    nr_y = (b_inv + t_res) / 2
    _box(ax, side, nr_y + _height(1) / 2, wide - 4,
         [f"Did not respond (n={flow.not_responded:,})"])
    _arrow(ax, (centre, nr_y), (side - (wide - 4) / 2, nr_y))
    res_lines = [f"Assessed for eligibility (n={flow.assessed:,})"]
    if flow.not_assessed:
        res_lines.append(f"Responded, not assessed (n={flow.not_assessed:,})")
    t_ass, b_ass = _box(ax, centre, b_res - 5, wide, res_lines)
    _arrow(ax, (centre, b_res), (centre, t_ass))
    ex_top = b_ass - 3
    _, ex_bottom = _box(ax, side, ex_top, wide - 4, _excluded_lines(flow), align="left")
    t_rand, b_rand = _box(ax, centre, ex_bottom - 5, 24, [f"Randomised (n={flow.randomised:,})"],
                          bold_first=True)
    branch_y = (ex_top + ex_bottom) / 2
    ax.plot([centre, centre], [b_ass, branch_y], color="black", lw=1)
    _arrow(ax, (centre, branch_y), (side - (wide - 4) / 2, branch_y))
    _arrow(ax, (centre, branch_y), (centre, t_rand))
    _stage_label(ax, t_inv, b_rand, "Enrolment")
    return b_rand


def _arm_column(ax, flow: ConsortFlow, arm: str, *, x: float, top: float,
                arm_label: str) -> list[tuple[float, float]]:
    """Allocation, follow-up and analysis boxes of one arm; their (top, bottom) in that order."""
    alloc = [f"Allocated to {arm_label.lower()} (n={flow.allocated[arm]:,})",
             f"\u2022 Received VSW support (\u22651 contact) (n={flow.received[arm]:,})",
             f"\u2022 No VSW contact (n={flow.not_received(arm):,})"]
    t_a, b_a = _box(ax, x, top - 4, _NARROW, alloc, align="left")
    _arrow(ax, (x, top), (x, t_a))
    w = flow.withdrawn[arm]
    follow = [f"Withdrawn or lost (n={sum(w.values()):,})"]
    follow += [f"\u2022 {label(k)} (n={n:,})" for k, n in w.items()]
    t_f, b_f = _box(ax, x, b_a - 6, _NARROW, follow, align="left")
    _arrow(ax, (x, b_a), (x, t_f))
    analysis = [f"Analysed (n={flow.analysed[arm]:,})",
                f"\u2022 Excluded: no primary outcome (n={flow.not_analysed(arm):,})"]
    t_n, b_n = _box(ax, x, b_f - 6, _NARROW, analysis, align="left")
    _arrow(ax, (x, b_f), (x, t_n))
    return [(t_a, b_a), (t_f, b_f), (t_n, b_n)]


def consort_flow(flow: ConsortFlow, *, arm_labels: dict[str, str] | None = None,
                 title: str | None = "CONSORT flow diagram") -> Figure:
    """The CONSORT 2010 flow diagram (enrolment, allocation, follow-up, analysis; one column per
    arm) from ``recruitment.consort_flow``. Deterministic: same counts, same figure."""
    labels = {**ARM_LABELS, **(arm_labels or {})}
    arms = flow.arms
    fig, ax = plt.subplots(figsize=(10, 12.5))
    cols = {arms[0]: 30.0, arms[1]: 72.0}
    b_rand = _enrolment(ax, flow)
    split_y = b_rand - 3
    ax.plot([_CENTRE, _CENTRE], [b_rand, split_y], color="black", lw=1)
    ax.plot([cols[arms[0]], cols[arms[1]]], [split_y, split_y], color="black", lw=1)
    columns = [_arm_column(ax, flow, arm, x=cols[arm], top=split_y,
                           arm_label=labels.get(arm, arm)) for arm in arms]
    for stage, text in enumerate(("Allocation", "Follow-up", "Analysis")):
        tops, bottoms = zip(*(boxes[stage] for boxes in columns), strict=True)
        _stage_label(ax, max(tops), min(bottoms), text)
    lowest = min(boxes[2][1] for boxes in columns)
    ax.set(xlim=(0, 101), ylim=(lowest - 2, _TOP + 2))
    ax.set_aspect("auto")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=12, fontweight="bold")
    fig.tight_layout()
    return fig


# --- recruitment and feasibility ------------------------------------------------------------


def recruitment_by_month(by_month: pd.DataFrame, *, target: int | None = None) -> Figure:
    """Bars of participants randomised per month and the cumulative line (with ``target``), from
    ``recruitment.recruitment_by_month``."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(by_month))
    ax.bar(x, by_month["randomised"], color=MONTH_BAR_COLOUR, label="Randomised in month")
    ax.set(xlabel="Month", ylabel="Participants randomised per month",
           ylim=(0, by_month["randomised"].max() * 1.45 + 1))  # headroom for the legend
    ax.set_xticks(x, by_month["month"], rotation=45, ha="right")
    ax2 = ax.twinx()
    ax2.plot(x, by_month["cumulative_randomised"], color=CUMULATIVE_COLOUR, marker="o",
             label="Cumulative randomised")
    if target is not None:
        ax2.axhline(target, color=TARGET_COLOUR, ls="--", lw=1, label=f"Target ({target})")
    top = max(int(by_month["cumulative_randomised"].max()), target or 0)
    ax2.set(ylabel="Cumulative randomised", ylim=(0, top * 1.45 + 1))
    ax2.grid(False)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=9)
    ax.set_title("Recruitment over time")
    fig.tight_layout()
    return fig


def recruitment_by_practice(by_practice: pd.DataFrame) -> Figure:
    """Horizontal bars: participants randomised per 1,000 invited, per practice (the "All
    practices" row of ``recruitment.recruitment_by_practice(total=True)`` is left out)."""
    frame = by_practice[by_practice["practice_id"] != "All practices"]
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(frame) + 1.5))
    y = np.arange(len(frame))
    ax.barh(y, frame["randomised_per_1000_invited"].fillna(0), color=PRACTICE_BAR_COLOUR)
    for yi, (n, inv) in enumerate(zip(frame["randomised"], frame["invited"], strict=True)):
        ax.text(0, yi, f" {n}/{inv:,}", va="center", ha="left", fontsize=8)
    ax.set_yticks(y, frame["practice_id"])
    ax.invert_yaxis()
    ax.set(xlabel="Randomised per 1,000 invited", title="Recruitment by practice")
    fig.tight_layout()
    return fig


def feasibility(criteria: Iterable[Criterion]) -> Figure:
    """Traffic lights: one row per criterion of ``recruitment.feasibility``, the lamp of its
    status lit."""
    criteria = list(criteria)
    fig, ax = plt.subplots(figsize=(9, 0.95 * len(criteria) + 0.6))
    for row, c in enumerate(criteria):
        y = len(criteria) - 1 - row
        for j, status in enumerate(("red", "amber", "green")):
            lit = status == c.status
            ax.add_patch(plt.Circle((1.0 + j * 0.6, y), 0.24, facecolor=RAG_COLOURS[status],
                                    alpha=1.0 if lit else 0.15, edgecolor="black",
                                    linewidth=1.5 if lit else 0.5))
        op = "\u2265" if c.higher_is_better else "\u2264"  # the signs, not ">=" and "<="
        ax.text(2.9, y + 0.15, f"{label(c.name)}: {c.value:.2f} "
                f"({c.status.upper()})", va="center",
                fontsize=10, fontweight="bold")
        ax.text(2.9, y - 0.2, f"{c.unit}; green {op} {c.green:g}, amber {op} {c.amber:g}",
                va="center", fontsize=8.5, color="#444444")
    ax.set(xlim=(0.5, 10), ylim=(-0.6, len(criteria) - 0.4), aspect="equal")
    ax.axis("off")
    ax.set_title("Feasibility stop/go criteria", fontweight="bold")
    fig.tight_layout()
    return fig


# --- treatment effects ----------------------------------------------------------------------


def forest(results: Sequence[RateRatio], *, title: str | None = None) -> Figure:
    """Forest plot of IRRs (intervention vs control) across models: log x-axis, a line at 1,
    estimates with their CIs and the numbers written on the right."""
    check_argument(len(results) > 0, "results", "a non-empty sequence of RateRatio", results)
    levels = sorted({r.ci_level for r in results})
    n = len(results)
    fig, ax = plt.subplots(figsize=(10, 0.6 * n + 1.4))
    ypos = np.arange(n)[::-1]
    est = np.array([r.estimate for r in results])
    lo = np.array([r.ci_low for r in results])
    hi = np.array([r.ci_high for r in results])
    ax.errorbar(est, ypos, xerr=[est - lo, hi - est], fmt="s", color=INTERVENTION_COLOUR,
                ecolor="#333333", capsize=3, markersize=5)
    ax.axvline(1.0, color=NULL_LINE_COLOUR, linewidth=1, linestyle="--")
    ax.set_xscale("log")
    ax.set_yticks(ypos, [textwrap.fill(r.model, 44) for r in results], fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    span = (min(lo.min(), 0.9), max(hi.max(), 1.1))
    ax.set_xlim(span[0] / 1.15, span[1] * 1.15)
    ticks = [t for t in (0.25, 0.33, 0.5, 0.67, 1, 1.5, 2, 3, 4)  # labels that never touch
             if span[0] / 1.15 <= t <= span[1] * 1.15]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    for y, r in zip(ypos, results, strict=True):
        ax.annotate(f"{r.estimate:.3f} ({r.ci_low:.3f} to {r.ci_high:.3f})", (1.01, y),
                    xycoords=("axes fraction", "data"), va="center", fontsize=8)
    level = ", ".join(f"{lv:.0%}" for lv in levels)
    ax.set_xlabel(f"Incidence rate ratio, {ARM_LABELS[INTERVENTION_ARM].lower()} vs "
                  f"{ARM_LABELS[CONTROL_ARM].lower()} ({level} CI; log scale)")
    ax.set_title(title or "Days absent over 6 months: IRR across models")
    fig.tight_layout()
    return fig


# --- return to work -------------------------------------------------------------------------


def _survival_axes(ax, xticks: Sequence[float], *, returned: bool, title: str):
    ax.set_xlim(0, max(xticks))
    ax.set_ylim(0, 1)
    ax.set_xticks(list(xticks))
    ax.set_xlabel("Days since randomisation")
    ax.set_ylabel("Proportion returned to work" if returned else "Proportion not yet returned")
    ax.set_title(title)
    ax.legend(loc="upper left" if returned else "upper right", frameon=False)


def _default_ticks(xticks: Sequence[float] | None) -> list[float]:
    return list(xticks) if xticks is not None else [
        *range(0, WINDOW_DAYS, 2 * DAYS_PER_FORTNIGHT), WINDOW_DAYS]


def _curves(table, *, returned: bool):
    """Per arm: times, estimate and band of a survival table (``arm``, ``time``, ``estimate``,
    ``ci_low``, ``ci_high``); flipped to the proportion returned when ``returned``."""
    for arm, rows in table.groupby("arm", sort=False):
        est, lo, hi = (rows[c].to_numpy() for c in ("estimate", "ci_low", "ci_high"))
        if returned:
            est, lo, hi = 1 - est, 1 - hi, 1 - lo
        yield arm, rows["time"].to_numpy(), est, lo, hi


def kaplan_meier(km: KaplanMeierResult, *, returned: bool = False,
                 xticks: Sequence[float] | None = None, at_risk: bool = True,
                 title: str | None = None, ax=None) -> Figure:
    """The curves of ``survival.kaplan_meier`` with bands and a numbers-at-risk table.

    Drawn from the result's (rounded) ``table``, so the figure is the same on every machine.
    ``returned=True`` draws the cumulative proportion returned (1 - S) instead of the proportion
    not yet returned. ``xticks`` (days) also sets the at-risk table columns; default every 4 weeks
    to the end of the window.
    """
    from lifelines.plotting import add_at_risk_counts

    xticks = _default_ticks(xticks)
    fig, ax = plt.subplots(figsize=(7, 5)) if ax is None else (ax.figure, ax)
    for arm, t, est, lo, hi in _curves(km.table, returned=returned):
        colour = ARM_COLOURS[arm]
        ax.step(t, est, where="post", color=colour, label=ARM_LABELS[arm])
        ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.25, linewidth=0)
    _survival_axes(ax, xticks, returned=returned,
                   title=title or f"Time to return to work ({km.ci_level:.0%} pointwise bands)")
    if at_risk:  # counts only (integers): the fits' event tables
        add_at_risk_counts(*km.fitters.values(), ax=ax, xticks=list(xticks),
                           rows_to_show=["At risk"])
    fig.tight_layout()
    return fig


def turnbull(tb: TurnbullResult, *, returned: bool = False,
             xticks: Sequence[float] | None = None, title: str | None = None,
             ax=None) -> Figure:
    """The Turnbull curves of ``turnbull.turnbull`` with their bootstrap bands.

    The estimate is known at the inspection times (markers); between them the NPMLE does not say
    when in the fortnight the returns fell, and the line joins them straight (the convention of
    the RMST). ``returned=True`` draws the proportion returned.
    """
    xticks = _default_ticks(xticks)
    fig, ax = plt.subplots(figsize=(7, 4.5)) if ax is None else (ax.figure, ax)
    for arm, t, est, lo, hi in _curves(tb.table, returned=returned):
        colour = ARM_COLOURS[arm]
        ax.plot(t, est, marker="o", markersize=3, color=colour, label=ARM_LABELS[arm])
        ax.fill_between(t, lo, hi, color=colour, alpha=0.2, linewidth=0)
    _survival_axes(ax, xticks, returned=returned, title=title or (
        f"Time to return to work: Turnbull estimate ({tb.ci_level:.0%} bootstrap bands)"))
    fig.tight_layout()
    return fig


# --- intervention delivery ------------------------------------------------------------------


def contacts_per_participant(per_person: pd.DataFrame) -> Figure:
    """Histogram of VSW contacts per allocated participant (``delivery.per_participant``), the
    zero-contact bar in grey."""
    fig, ax = plt.subplots(figsize=(7, 4))
    counts = per_person["contacts"].value_counts().sort_index()
    full = counts.reindex(range(int(per_person["contacts"].max()) + 1), fill_value=0)
    colours = [NO_CONTACT_COLOUR if k == 0 else INTERVENTION_COLOUR for k in full.index]
    ax.bar(full.index, full.to_numpy(), color=colours, edgecolor="white")
    ax.set(xlabel="VSW contacts per participant", ylabel="Participants",
           xticks=list(full.index), title="Contacts per participant (intervention arm)")
    fig.tight_layout()
    return fig


def time_to_first_contact(per_person: pd.DataFrame, *, bin_days: int = 7) -> Figure:
    """Histogram of days from randomisation to the first VSW contact (contacted participants of
    ``delivery.per_participant``) with the median marked."""
    days = per_person["days_to_first_contact"].dropna().to_numpy(float)
    fig, ax = plt.subplots(figsize=(7, 4))
    top = (int(days.max()) // bin_days + 1) * bin_days if days.size else bin_days
    counts, _, _ = ax.hist(days, bins=np.arange(0, top + bin_days, bin_days),
                           color=INTERVENTION_COLOUR, edgecolor="white")
    ax.set_xticks(np.arange(0, top + bin_days, bin_days))  # ticks on the bin edges
    ax.set_ylim(0, max(counts.max(initial=0), 1) * 1.25)  # headroom: the legend clears the bars
    if days.size:
        ax.axvline(np.median(days), color="black", ls="--", lw=1,
                   label=f"Median {np.median(days):g} days")
        ax.legend(loc="upper right")
    ax.set(xlabel="Days from randomisation to first contact", ylabel="Participants",
           title="Time to first VSW contact")
    fig.tight_layout()
    return fig


def steps_reached(steps: pd.DataFrame) -> Figure:
    """Bars of the highest stepped-care step reached (``delivery.steps_reached``; the first row,
    step 0 = never contacted, in grey)."""
    fig, ax = plt.subplots(figsize=(7, 3.5))
    y = np.arange(len(steps))
    ax.barh(y, steps["participants"],
            color=[NO_CONTACT_COLOUR] + [INTERVENTION_COLOUR] * (len(steps) - 1))
    for yi, (n, share) in enumerate(zip(steps["participants"], steps["share"], strict=True)):
        ax.text(n, yi, f" {n} ({share:.0%})", va="center", fontsize=9)
    ax.set_yticks(y, steps["label"])
    ax.invert_yaxis()
    ax.set(xlabel="Participants", title="Highest stepped-care step reached",
           xlim=(0, steps["participants"].max() * 1.25 + 1))
    fig.tight_layout()
    return fig


def sample_size_grid(grid: pd.DataFrame, *, planned_per_arm: int | None = None) -> Figure:
    """Participants to randomise per arm against the dispersion k, one line per IRR
    (``power.sample_size_grid``); ``planned_per_arm`` draws the planned size."""
    check_argument(isinstance(grid, pd.DataFrame)
                   and {"irr", "dispersion", "n_control"} <= set(grid.columns), "grid",
                   "the frame power.sample_size_grid returns", type(grid).__name__)
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for irr, part in grid.groupby("irr", sort=True):
        part = part.sort_values("dispersion")
        ax.plot(part["dispersion"], part["n_control"], marker="o", label=f"IRR {irr:g}")
    if planned_per_arm is not None:
        ax.axhline(planned_per_arm, color="0.4", linestyle="--", linewidth=1)
        ax.annotate(f"planned {planned_per_arm} per arm", (grid["dispersion"].min(),
                    planned_per_arm), textcoords="offset points", xytext=(2, 4), fontsize=8)
    ax.set_xlabel(r"Dispersion $k$ (variance $= \mu + k\mu^2$)")
    ax.set_ylabel("Participants to randomise per arm")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
