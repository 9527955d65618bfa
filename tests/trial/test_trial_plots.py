"""Tests for wave_analysis.trial.plots: each figure draws what its result says (checked through
the drawn artists, not images), and the CONSORT diagram is byte-for-byte reproducible."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from wave_analysis.design import ARM_COLOURS, ARM_LABELS, ARMS, INTERVENTION_ARM
from wave_analysis.exceptions import ArgumentError
from wave_analysis.trial import plots, survival, turnbull
from wave_analysis.trial.effects import RateRatio
from wave_analysis.trial.recruitment import ConsortFlow, criterion

UC, VS = ARMS


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def texts(fig: Figure) -> str:
    return " | ".join(t.get_text() for ax in fig.axes for t in ax.texts)


# --- data quality ---------------------------------------------------------------------------


def test_sms_reply_rate_one_line_per_arm_in_percent():
    rate = pd.DataFrame({"arm": [UC, UC, VS, VS], "fortnight": [1, 2, 1, 2],
                         "reply_rate": [1.0, 0.5, 0.75, 0.25]})
    fig = plots.sms_reply_rate(rate)
    ax = fig.axes[0]
    assert len(ax.lines) == 2
    by_label = {line.get_label(): line for line in ax.lines}
    assert set(by_label) == {ARM_LABELS[UC], ARM_LABELS[VS]}
    for arm, expected in ((UC, [100, 50]), (VS, [75, 25])):
        line = by_label[ARM_LABELS[arm]]
        assert line.get_ydata().tolist() == expected
        assert to_hex(line.get_color()) == ARM_COLOURS[arm]
    assert ax.get_ylim() == (0, 100) and ax.get_ylabel() == "Replied to the SMS (%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [ARM_LABELS[UC],
                                                                    ARM_LABELS[VS]]


# --- CONSORT --------------------------------------------------------------------------------


def small_flow() -> ConsortFlow:
    return ConsortFlow(
        invited=10, responded=7, not_responded=3, not_assessed=1, assessed=6, excluded=4,
        ineligible={"no_fit_note": 1, "other": 0, "not_recorded": 1}, declined=1,
        other_excluded=1, randomised=2, allocated={UC: 1, VS: 1}, received={UC: 0, VS: 1},
        withdrawn={UC: {"withdrew": 0, "lost_to_follow_up": 1, "died": 0},
                   VS: {"withdrew": 0, "lost_to_follow_up": 0, "died": 0}},
        analysed={UC: 1, VS: 0})


def test_consort_flow_writes_every_box():
    fig = plots.consort_flow(small_flow())
    shown = texts(fig)
    for box in ("Invited (n=10)", "Responded (n=7)", "Did not respond (n=3)",
                "Assessed for eligibility (n=6)", "Responded, not assessed (n=1)",
                "Excluded (n=4)", "No fit note (n=1)", "Reason not recorded (n=1)",
                "Declined to participate (n=1)", "Randomised (n=2)",
                "Allocated to usual care (n=1)", "Allocated to vocational support (n=1)",
                "Lost to follow-up (n=1)", "Analysed (n=0)",
                "Excluded: no primary outcome (n=1)"):
        assert box in shown, box
    assert "Other reason (n=0)" not in shown  # reasons with no one are left out
    for stage in ("Enrolment", "Allocation", "Follow-up", "Analysis"):
        assert stage in shown
    boxes = [p for p in fig.axes[0].patches if to_hex(p.get_facecolor()) == "#ffffff"]
    assert len(boxes) == 6 + 3 * 2  # six enrolment boxes, three per arm


def test_consort_flow_is_byte_for_byte_reproducible(tmp_path):
    from wave_analysis.outputs import save_figure, set_style

    set_style()  # as notebooks do: the figure is drawn under the project style
    paths = []
    for run in ("a", "b"):
        fig = plots.consort_flow(small_flow())
        paths.append(save_figure(fig, "consort", folder=tmp_path / run, formats=("svg",))[0])
        plt.close(fig)
    assert paths[0].read_bytes() == paths[1].read_bytes()


# --- recruitment and feasibility ------------------------------------------------------------


def test_recruitment_by_month_bars_cumulative_line_and_target():
    by_month = pd.DataFrame({"month": ["2022-01", "2022-02", "2022-03"], "randomised": [1, 0, 3],
                             "cumulative_randomised": [1, 1, 4]})
    fig = plots.recruitment_by_month(by_month, target=6)
    bars_ax, line_ax = fig.axes
    assert [b.get_height() for b in bars_ax.patches] == [1, 0, 3]
    assert [t.get_text() for t in bars_ax.get_xticklabels()] == by_month["month"].tolist()
    cumulative, target = line_ax.lines
    assert cumulative.get_ydata().tolist() == [1, 1, 4]
    assert list(target.get_ydata()) == [6, 6]
    assert [t.get_text() for t in bars_ax.get_legend().get_texts()] == [
        "Randomised in month", "Cumulative randomised", "Target (6)"]
    without = plots.recruitment_by_month(by_month)
    assert len(without.axes[1].lines) == 1


def test_recruitment_by_practice_leaves_out_the_total_row():
    by_practice = pd.DataFrame({"practice_id": ["A", "B", "All practices"],
                                "invited": [5, 0, 5], "randomised": [1, 0, 1],
                                "randomised_per_1000_invited": [200.0, np.nan, 200.0]})
    fig = plots.recruitment_by_practice(by_practice)
    ax = fig.axes[0]
    assert [b.get_width() for b in ax.patches] == [200.0, 0.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
    assert [t.get_text() for t in ax.texts] == [" 1/5", " 0/0"]


def test_feasibility_lights_one_lamp_per_criterion_in_its_colour():
    crit = [criterion("recruitment rate", 3, 2, green=1.0, amber=0.5),
            criterion("engagement", 1, 2, green=0.8, amber=0.4),
            criterion("sms reply rate", 1, 4, green=0.8, amber=0.6)]
    assert [c.status for c in crit] == ["green", "amber", "red"]
    fig = plots.feasibility(crit)
    lit = [p for p in fig.axes[0].patches if p.get_alpha() == 1.0]
    assert len(fig.axes[0].patches) == 3 * len(crit)
    assert [to_hex(p.get_facecolor()) for p in lit] == [plots.RAG_COLOURS[c.status]
                                                        for c in crit]
    assert "Engagement: 0.50 (AMBER)" in texts(fig)  # the design label, not the code


# --- effects --------------------------------------------------------------------------------


def rate_ratio(model: str, estimate: float, low: float, high: float) -> RateRatio:
    return RateRatio(model, estimate, low, high, 0.8, 0.1, 0.1, 100)


def test_forest_draws_each_estimate_with_its_interval():
    results = [rate_ratio("primary", 0.8, 0.6, 1.05), rate_ratio("Poisson", 0.9, 0.7, 1.2)]
    fig = plots.forest(results)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["primary", "Poisson"]
    markers = ax.lines[0]
    assert markers.get_xdata().tolist() == [0.8, 0.9]
    assert to_hex(markers.get_color()) == ARM_COLOURS[INTERVENTION_ARM]
    null = [line for line in ax.lines if list(line.get_xdata()) == [1.0, 1.0]]
    assert len(null) == 1  # the line of no effect
    assert "0.800 (0.600 to 1.050)" in texts(fig)
    assert "vocational support vs usual care (80% CI" in ax.get_xlabel()
    with pytest.raises(ArgumentError, match="results must be a non-empty sequence of RateRatio"):
        plots.forest([])


# --- return to work -------------------------------------------------------------------------


@pytest.fixture
def tiny_km() -> survival.KaplanMeierResult:
    """Five participants per arm (as in test_survival's hand-computed example)."""
    data = pd.DataFrame({
        "arm": [UC] * 5 + [VS] * 5,
        "duration": [14.0, 14, 28, 42, 56, 14, 14, 28, 28, 42],
        "event": [True, False, True, True, False, True, True, False, True, False]})
    return survival.kaplan_meier(data)


@pytest.mark.parametrize("returned", [False, True])
def test_kaplan_meier_has_arms_bands_and_at_risk_table(tiny_km, returned):
    fig = plots.kaplan_meier(tiny_km, returned=returned, xticks=[0, 14, 28, 42])
    main = fig.axes[0]
    assert main.get_legend_handles_labels()[1] == [ARM_LABELS[UC], ARM_LABELS[VS]]
    assert len(main.collections) >= 2  # one confidence band per arm
    table = " ".join(t.get_text() for ax in fig.axes[1:] for t in ax.get_xticklabels())
    # At risk at day 0 is 5 per arm; at day 28 (end of period, lifelines' default) 2 and 1.
    assert "Usual care   5" in table and "Vocational support   5" in table
    assert "\n2\n1" in table
    ylabel = "returned to work" if returned else "not yet returned"
    assert ylabel in main.get_ylabel()


def test_kaplan_meier_draws_into_a_given_axes(tiny_km):
    fig, ax = plt.subplots()
    assert plots.kaplan_meier(tiny_km, ax=ax, at_risk=False) is fig
    assert len(fig.axes) == 1  # no at-risk table axes added


# --- intervention delivery ------------------------------------------------------------------


PER_PERSON = pd.DataFrame({"participant_id": ["V1", "V2", "V3", "V4"],
                           "contacts": [3, 1, 0, 1],
                           "days_to_first_contact": [3.0, 21.0, np.nan, 9.0]})


def test_contacts_per_participant_one_bar_per_count_zero_in_grey():
    fig = plots.contacts_per_participant(PER_PERSON)
    bars = fig.axes[0].patches
    assert [b.get_height() for b in bars] == [1, 2, 0, 1]  # 0, 1, 2, 3 contacts
    colours = [to_hex(b.get_facecolor()) for b in bars]
    assert colours == [plots.NO_CONTACT_COLOUR] + [ARM_COLOURS[INTERVENTION_ARM]] * 3


def test_time_to_first_contact_counts_the_contacted_and_marks_the_median():
    fig = plots.time_to_first_contact(PER_PERSON, bin_days=7)
    ax = fig.axes[0]
    heights = [b.get_height() for b in ax.patches]
    assert sum(heights) == 3 and heights[:4] == [1, 1, 0, 1]  # days 0-6, 7-13, 14-20, 21-27
    median = [line for line in ax.lines if line.get_label().startswith("Median")]
    assert median[0].get_label() == "Median 9 days" and list(median[0].get_xdata()) == [9, 9]


def test_steps_reached_bars_and_shares():
    steps = pd.DataFrame({"step": [0, 1, 2, 3], "label": ["No contact", "1", "2", "3"],
                          "participants": [1, 1, 0, 2], "share": [0.25, 0.25, 0.0, 0.5]})
    fig = plots.steps_reached(steps)
    ax = fig.axes[0]
    assert [b.get_width() for b in ax.patches] == [1, 1, 0, 2]
    assert to_hex(ax.patches[0].get_facecolor()) == plots.NO_CONTACT_COLOUR
    assert [t.get_text() for t in ax.texts] == [" 1 (25%)", " 1 (25%)", " 0 (0%)", " 2 (50%)"]
    assert [t.get_text() for t in ax.get_yticklabels()] == steps["label"].tolist()


def test_kaplan_meier_draws_the_rounded_table(tiny_km):
    fig = plots.kaplan_meier(tiny_km, at_risk=False)
    line = fig.axes[0].get_lines()[0]  # usual care, drawn from km.table (rounded values)
    table = tiny_km.table[tiny_km.table["arm"] == UC]
    assert list(line.get_ydata()) == table["estimate"].tolist()


@pytest.fixture
def tiny_turnbull() -> turnbull.TurnbullResult:
    data = pd.DataFrame({
        "arm": [UC] * 5 + [VS] * 5,
        "lower": [0.0, 14, 14, 28, 42, 0, 0, 28, 14, 42],
        "upper": [14.0, np.inf, 28, 42, np.inf, 14, 14, np.inf, 28, np.inf]})
    return turnbull.turnbull(data, times=[0, 14, 28, 42], n_boot=50, seed=1)


@pytest.mark.parametrize("returned", [False, True])
def test_turnbull_draws_curves_bands_and_points(tiny_turnbull, returned):
    fig = plots.turnbull(tiny_turnbull, returned=returned, xticks=[0, 14, 28, 42])
    ax = fig.axes[0]
    assert ax.get_legend_handles_labels()[1] == [ARM_LABELS[UC], ARM_LABELS[VS]]
    assert len(ax.collections) == 2  # one band per arm
    est = tiny_turnbull.table.loc[tiny_turnbull.table["arm"] == UC, "estimate"].to_numpy()
    expected = 1 - est if returned else est
    assert np.array_equal(ax.get_lines()[0].get_ydata(), expected)
    assert "Turnbull" in ax.get_title()
