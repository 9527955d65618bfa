"""What a reader of the figures sees: numbers in heatmap cells contrast with their cell, colour
scales span the data, and no axis shows a raw code (``stakeholder_group``, ``pro_rata``).

Checked on drawn figures: the text colour against the rendered pixels of its cell, the colour
limits of the drawn image against the numbers, and every axis text against a snake_case pattern.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb

from wave_analysis.design import (
    CATEGORY_LABELS,
    MISSING_RULE_LABELS,
    STAKEHOLDER_GROUPS,
    STATISTIC_LABELS,
    VARIABLE_LABELS,
    label,
)
from wave_analysis.integration.cases import case_matrix
from wave_analysis.integration.plots import (
    plot_case_matrix,
    plot_representativeness,
    plot_theme_outcomes,
)
from wave_analysis.integration.representativeness import representativeness
from wave_analysis.integration.theme_outcomes import theme_outcomes
from wave_analysis.qualitative.agreement import agreement
from wave_analysis.qualitative.codebook import code_tree, coder_labels
from wave_analysis.qualitative.cooccurrence import cooccurrence
from wave_analysis.qualitative.counts import theme_counts, theme_matrix
from wave_analysis.qualitative.interviewees import speaker_labels
from wave_analysis.qualitative.plots import (
    plot_agreement,
    plot_cooccurrence_heatmap,
    plot_group_heatmap,
    plot_heatmap,
    plot_interview_heatmap,
    text_colour,
)
from wave_analysis.trial import delivery, effects, plots, recruitment
from wave_analysis.trial.outcomes import RULES

SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")  # stakeholder_group, pro_rata, theme_id


def _luminance(colour) -> float:
    """WCAG 2 relative luminance, written out here so the test does not reuse the helper."""
    c = np.array(to_rgb(colour))
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# --- the contrast helper --------------------------------------------------------------------


@pytest.mark.parametrize(("background", "expected"), [
    ("#08306b", "white"),  # darkest blue of "Blues"
    ("#1b7837", "white"),  # the intervention arm's green
    ("black", "white"),
    ("#f7fbff", "black"),  # lightest blue of "Blues"
    ("#c6dbef", "black"),
    ("white", "black"),
    ((0.6, 0.6, 0.6, 1.0), "black"),  # RGBA as a colormap returns it
])
def test_text_colour_white_on_dark_black_on_light(background, expected):
    assert text_colour(background) == expected


def test_text_colour_always_meets_wcag_aa():
    # whichever of black/white is chosen, the contrast is the better one and at least 4.5:1
    for grey in np.linspace(0, 1, 101):
        background = (grey, grey * 0.8, 1 - grey)
        chosen = text_colour(background)
        other = "white" if chosen == "black" else "black"
        assert _contrast(chosen, background) >= _contrast(other, background)
        assert _contrast(chosen, background) >= 4.5


# --- heatmaps as drawn ----------------------------------------------------------------------


def _cell_pixels(fig, ax) -> dict[tuple[int, int], np.ndarray]:
    """The rendered RGB of each cell, sampled near its top-left corner (away from the text)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())[..., :3] / 255
    height = image.shape[0]
    rows, cols = ax.images[0].get_array().shape
    out = {}
    for r in range(rows):
        for c in range(cols):
            x, y = ax.transData.transform((c - 0.35, r - 0.35))
            out[(r, c)] = image[height - int(round(y)), int(round(x))]
    return out


def _check_cell_text_contrast(fig) -> int:
    ax = fig.axes[0]
    pixels = _cell_pixels(fig, ax)
    checked = 0
    for text in ax.texts:
        c, r = (int(round(v)) for v in text.get_position())
        cell = pixels[(r, c)]
        assert _contrast(text.get_color(), cell) >= 4.5, (text.get_text(), cell)
        checked += 1
    return checked


def test_heatmap_text_contrasts_with_the_drawn_cell():
    # small shares, as on the coverage figure the issue reported (white on near-white)
    table = pd.DataFrame(np.linspace(0, 0.14, 12).reshape(3, 4), index=list("abc"),
                         columns=list("defg"))
    assert _check_cell_text_contrast(plot_heatmap(table, value_format="{:.0%}")) == 12
    # a wide range with a masked cell: dark cells must get white text
    wide = pd.DataFrame([[0.0, 5.0, np.nan], [20.0, 80.0, 100.0]], columns=list("xyz"))
    fig = plot_heatmap(wide)
    assert _check_cell_text_contrast(fig) == 5
    assert {t.get_color() for t in fig.axes[0].texts} == {"black", "white"}


def test_synthetic_heatmaps_text_contrast(qual):
    counts = theme_counts(qual)
    for value in ("coverage", "share_interviewees", "segments"):
        assert _check_cell_text_contrast(plot_group_heatmap(counts, value=value)) > 0
    co = cooccurrence(qual, unit="segment")
    assert _check_cell_text_contrast(plot_cooccurrence_heatmap(co, diagonal=False)) > 0


@pytest.mark.slow  # over half a second: make test, not make quick
def test_colour_scale_spans_the_data_range(qual):
    counts = theme_counts(qual)
    for value in ("coverage", "share_interviewees", "segments"):
        fig = plot_group_heatmap(counts, value=value)
        data = counts.pivot(value).to_numpy(dtype=float)
        assert fig.axes[0].images[0].get_clim() == pytest.approx(
            (np.nanmin(data), np.nanmax(data))), value
    co = cooccurrence(qual, unit="interview")
    fig = plot_cooccurrence_heatmap(co, value="jaccard", diagonal=False)
    off = co.jaccard.to_numpy(dtype=float)[~np.eye(len(co.jaccard), dtype=bool)]
    assert fig.axes[0].images[0].get_clim() == pytest.approx((off.min(), off.max()))
    # the coverage figure of the issue: values 0-17%, so the scale must not run to 100%
    assert fig.axes[0].images[0].get_clim()[1] <= 1


# --- labels ---------------------------------------------------------------------------------


def test_design_labels_are_one_definition():
    assert set(STAKEHOLDER_GROUPS) <= set(CATEGORY_LABELS)
    assert label("stakeholder_group") == VARIABLE_LABELS["stakeholder_group"]
    assert label("Employer views") == "Employer views"  # free text passes unchanged
    assert label("other", {"other": "Other reason"}) == "Other reason"
    assert label("kappa", STATISTIC_LABELS) == "Cohen's kappa (characters)"
    assert set(MISSING_RULE_LABELS) == set(RULES)  # every missing-reply rule has its label
    for vocabulary in (CATEGORY_LABELS, VARIABLE_LABELS, STATISTIC_LABELS):
        assert not any(SNAKE.search(v) for v in vocabulary.values())


def _axis_texts(fig) -> list[str]:
    """Every text a reader sees on the axes: axis labels, tick labels, legend entries, colour-bar
    labels, in-plot annotations (titles left out: they carry coder names from the data)."""
    out = []
    for ax in fig.axes:
        out += [ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        out += [t.get_text() for t in ax.texts]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def _qualitative_figures(qual):
    names = code_tree(qual.codebook)["name"].to_dict()
    counts = theme_counts(qual)
    coders = coder_labels(qual)
    matrix = theme_matrix(qual, value="coverage").rename(columns=names)
    yield plot_group_heatmap(counts, value="coverage")
    yield plot_group_heatmap(counts, value="share_interviewees")
    yield plot_interview_heatmap(matrix, labels=speaker_labels(qual.interviews),
                                 value_format="{:.0%}")
    yield plot_cooccurrence_heatmap(cooccurrence(qual, unit="segment"), names=names,
                                    diagonal=False)
    yield plot_agreement(agreement(qual, coders=tuple(coders[:2]), level="code"), names=names)


def _integration_figures(trial, qual):
    cases = case_matrix(trial, qual)
    yield plot_case_matrix(cases)
    yield plot_theme_outcomes(theme_outcomes(cases))
    yield plot_representativeness(representativeness(trial, qual))


def _trial_figures(trial):
    yield plots.consort_flow(recruitment.consort_flow(trial))
    yield plots.feasibility(recruitment.feasibility(trial))
    yield plots.recruitment_by_practice(recruitment.recruitment_by_practice(trial, total=True))
    yield plots.steps_reached(delivery.steps_reached(trial))
    yield plots.time_to_first_contact(delivery.per_participant(trial))
    yield plots.forest(effects.sensitivity(trial, n_boot=100, seed=1))


@pytest.mark.slow  # over half a second: make test, not make quick
def test_no_raw_codes_on_any_axis(trial, qual):
    import matplotlib.pyplot as plt

    figures = [*_qualitative_figures(qual), *_integration_figures(trial, qual),
               *_trial_figures(trial)]
    for fig in figures:
        texts = _axis_texts(fig)
        assert texts
        raw = [t for t in texts if SNAKE.search(t)]
        assert not raw, raw
    plt.close("all")


def test_theme_outcome_bands_keep_a_themes_two_rows_together(trial, qual):
    # expressed points sit above each theme's tick, not expressed below: a line through the tick
    # would put one theme's grey points in a band with the next theme's green ones
    fig = plot_theme_outcomes(theme_outcomes(case_matrix(trial, qual)))
    for ax in fig.axes:
        assert not any(g.get_visible() for g in ax.yaxis.get_gridlines())
        separators = [line.get_ydata()[0] for line in ax.lines]
        assert separators and all(y % 1 == 0.5 for y in separators)
