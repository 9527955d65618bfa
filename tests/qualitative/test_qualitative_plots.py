"""Tests of qualitative.plots: the heatmaps and agreement bars draw the computed numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from qual_builders import nested

from wave_analysis.exceptions import ArgumentError
from wave_analysis.qualitative.agreement import agreement
from wave_analysis.qualitative.cooccurrence import cooccurrence
from wave_analysis.qualitative.counts import theme_counts, theme_matrix
from wave_analysis.qualitative.interviewees import speaker_labels
from wave_analysis.qualitative.plots import (
    plot_agreement,
    plot_cooccurrence_heatmap,
    plot_group_heatmap,
    plot_interview_heatmap,
)


def test_heatmaps_draw_the_numbers(small):
    counts = theme_counts(small)
    fig = plot_group_heatmap(counts, value="segments")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    drawn = np.asarray(ax.images[0].get_array())
    assert (drawn == counts.pivot("segments").to_numpy()).all()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Working with the VSW",
                                                            "Employer contact"]
    co = cooccurrence(small)
    fig2 = plot_cooccurrence_heatmap(co)
    assert np.allclose(np.asarray(fig2.axes[0].images[0].get_array()),
                       co.c_coefficient.to_numpy())
    matrix = theme_matrix(small, value="present")
    fig3 = plot_interview_heatmap(matrix, labels=speaker_labels(small.interviews))
    labels = [t.get_text() for t in fig3.axes[0].get_yticklabels()]
    assert labels == ["Patient 01", "Patient 02", "Employer 01", "GP 01"]


def test_plot_agreement_draws_the_statistics():
    # i1 double coded: coder_1 codes C1 on [0, 50), coder_2 on [0, 40) and C4 only coder_2
    data = nested([("i1", "C1", 0, 50, "coder_1"), ("i1", "C1", 0, 40, "coder_2"),
                 ("i1", "C4", 100, 120, "coder_2"), ("i2", "C1", 0, 10, "coder_1")])
    agree = agreement(data)
    fig = plot_agreement(agree, values=("kappa", "presence_kappa"),
                           names={"C1": "Felt listened to"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches]
    expected = agree.by_code[["kappa", "presence_kappa"]].to_numpy().T.ravel()
    # presence on one transcript: C1 used by both (p_e = 1, kappa undefined: "n/a", no bar);
    # C4 by coder_2 only (p_o = 0, p_e = 0*1 + 1*0 = 0, kappa 0)
    assert np.isnan(expected[2]) and expected[3] == 0
    assert np.allclose(widths, np.nan_to_num(expected))
    assert sum(t.get_text() == "n/a" for t in ax.texts) == 1
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Felt listened to", "C4"]
    # C1 by hand: length 200, a=50, b=40, both=40: p_o=190/200, p_e=.25*.2+.75*.8=.65
    assert widths[0] == pytest.approx((0.95 - 0.65) / (1 - 0.65))
    with pytest.raises(ArgumentError, match="value must be one of kappa, presence_kappa, "
                       "alpha_characters, alpha_presence, percent_agreement; got 'nonsense'"):
        plot_agreement(agree, values=("nonsense",))


def test_cooccurrence_heatmap_names_and_blank_diagonal():
    # i1: C1 [0, 10) overlaps C4 [5, 20) (both T1) and T2 [15, 30): T1-T2 co-occur once
    data = nested([("i1", "C1", 0, 10, "coder_1"), ("i1", "C4", 5, 20, "coder_1"),
                 ("i1", "T2", 15, 30, "coder_1")])
    co = cooccurrence(data)
    fig = plot_cooccurrence_heatmap(co, names={"T1": "Working with the VSW"}, diagonal=False)
    drawn = np.ma.filled(fig.axes[0].images[0].get_array().astype(float), np.nan)
    assert np.isnan(np.diag(drawn)).all()
    # T1 has 2 segments, T2 one, one overlapping pair: c = 1 / (2 + 1 - 1)
    assert drawn[0, 1] == drawn[1, 0] == pytest.approx(0.5)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == \
        ["Working with the VSW", "T2", "T3"]
    assert np.diag(co.c_coefficient.to_numpy())[:2].tolist() == [1.0, 1.0]  # result untouched
