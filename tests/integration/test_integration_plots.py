"""Tests of integration.plots: each figure draws from its result."""

from __future__ import annotations

from matplotlib.figure import Figure

from wave_analysis.integration.plots import (
    plot_case_matrix,
    plot_representativeness,
    plot_theme_outcomes,
)
from wave_analysis.integration.representativeness import representativeness
from wave_analysis.integration.theme_outcomes import theme_outcomes


def test_case_matrix_heatmap_draws(cases):
    fig = plot_case_matrix(cases)
    assert isinstance(fig, Figure)
    heat = fig.axes[0]
    assert [t.get_text() for t in heat.get_yticklabels()] == cases.table["speaker"].tolist()


def test_theme_outcomes_plot_draws(cases):
    fig = plot_theme_outcomes(theme_outcomes(cases))
    assert isinstance(fig, Figure) and len(fig.axes) == 2


def test_representativeness_plot_draws(trial, qual):
    assert isinstance(plot_representativeness(representativeness(trial, qual)), Figure)
