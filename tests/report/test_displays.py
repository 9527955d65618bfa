"""report.displays: every number a display table shows equals the tidy CSV saved beside it,
rounded to the decimals shown; grouped headers, row groups and checks on the input frame."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from wave_analysis import outputs
from wave_analysis.design import ARMS, label
from wave_analysis.exceptions import ArgumentError
from wave_analysis.qualitative.counts import theme_counts
from wave_analysis.report import displays
from wave_analysis.report.displays.base import footnoted, grouped, orientation_for
from wave_analysis.report.format import parse_number
from wave_analysis.report.table import Column, Row
from wave_analysis.trial import delivery, effects, quality, recruitment
from wave_analysis.trial import power as pw


def _saved(frame: pd.DataFrame, name: str, folder) -> pd.DataFrame:
    """The tidy CSV as the notebook writes it, read back."""
    outputs.save_table(frame, name, folder=folder, formats=("csv",))
    return pd.read_csv(folder / f"{name}.csv")


def _decimals(cell: str) -> int:
    head = cell.strip().split(" ")[0].replace(",", "").rstrip("%")
    return len(head.split(".")[1]) if "." in head else 0


def _assert_cells_match(table, csv: pd.DataFrame, mapping: dict[str, tuple[str, float]]):
    """Row i of the display is row i of the CSV; each mapped display column shows the CSV column
    (times ``scale``, for percentages) rounded to the decimals it shows."""
    assert len(table.rows) == len(csv)
    keys = [c.key for c in table.columns]
    checked = 0
    for key, (column, scale) in mapping.items():
        j = keys.index(key)
        for row, expected in zip(table.rows, csv[column], strict=True):
            shown = parse_number(row.cells[j])
            if pd.isna(expected):
                assert shown is None, (key, row.cells[j])
                continue
            want = round(float(expected) * scale, _decimals(row.cells[j]))
            assert shown == pytest.approx(want, abs=1e-9), (key, row.cells[j], expected)
            checked += 1
    assert checked >= len(mapping)


def test_recruitment_by_practice_matches_its_csv(trial, tmp_path):
    csv = _saved(recruitment.recruitment_by_practice(trial, total=True), "p", tmp_path)
    table = displays.recruitment_by_practice(csv)
    _assert_cells_match(table, csv, {"invited": ("invited", 1), "responded": ("responded", 1),
                                     "randomised": ("randomised", 1),
                                     "randomised_per_1000_invited":
                                         ("randomised_per_1000_invited", 1)})
    shares = [re.search(r"\(([\d.]+)%\)", r.cells[2]).group(1) for r in table.rows]
    assert [float(s) for s in shares] == [round(v * 100, 1) for v in csv["response_rate"]]


def test_recruitment_by_month_groups_the_randomised_columns(trial, tmp_path):
    csv = _saved(recruitment.recruitment_by_month(trial), "m", tmp_path)
    table = displays.recruitment_by_month(csv)
    _assert_cells_match(table, csv, {c: (c, 1) for c in (
        "invited", "randomised_usual_care", "randomised_vocational_support", "randomised",
        "cumulative_randomised")})
    assert [g for g, _ in table.column_spans()] == [None, None, "Randomised", None]


def test_delivery_tables_match_their_csvs(trial, tmp_path):
    csv = _saved(delivery.delivery_summary(trial).to_frame(), "d", tmp_path)
    _assert_cells_match(displays.delivery_summary(csv), csv,
                        {"n": ("n", 1), "mean": ("mean", 1), "median": ("median", 1)})
    csv = _saved(delivery.mode_shares(trial), "mode", tmp_path)
    _assert_cells_match(displays.delivery_mode(csv), csv, {
        "contacts": ("contacts", 1), "minutes_mean": ("minutes_mean", 1),
        "participants": ("participants", 1)})
    csv = _saved(delivery.steps_reached(trial), "steps", tmp_path)
    _assert_cells_match(displays.steps_reached(csv), csv, {
        "participants": ("participants", 1), "reached_at_least": ("reached_at_least", 100)})


def test_primary_irr_shows_each_confidence_level_from_the_csv(trial, tmp_path):
    frame = effects.results_frame([effects.primary(trial, ci_level=lv) for lv in (0.8, 0.95)])
    csv = _saved(frame, "irr", tmp_path)
    table = displays.primary_irr(csv)
    assert [c.label for c in table.columns][2:4] == ["IRR (80% CI)", "IRR (95% CI)"]
    (row,) = table.rows
    for cell, (_, r) in zip(row.cells[2:4], csv.iterrows(), strict=True):
        numbers = [float(x) for x in re.findall(r"-?\d+\.\d+", cell)]
        assert numbers == [round(r[c], 3) for c in ("estimate", "ci_low", "ci_high")]
    assert parse_number(row.cells[1]) == csv["n"].iloc[0]


def test_consort_flow_puts_each_arm_in_its_column(trial, tmp_path):
    csv = _saved(recruitment.consort_flow(trial).to_frame(), "c", tmp_path)
    table = displays.consort_flow(csv)
    keys = [c.key for c in table.columns]
    allocated = [r for r in table.rows if r.cells[0] == "Allocated"]
    assert len(allocated) == 1
    for arm in ("usual_care", "vocational_support"):
        want = csv[(csv["stage"] == "allocated") & (csv["arm"] == arm)]["n"].iloc[0]
        assert parse_number(allocated[0].cells[keys.index(f"n_{arm}")]) == want
    assert [r.cells[:2] for r in table.rows][5:7] == [("Excluded", ""), ("", "Not eligible")]
    invited = next(r for r in table.rows if r.cells[0] == "Invited")
    assert parse_number(invited.cells[keys.index("n_all")]) == csv["n"].iloc[0]
    assert {r.group for r in table.rows} == {"Enrolment", "Allocation, follow-up and analysis"}
    assert sum(1 for r in table.rows if r.group == "Enrolment") == (csv["arm"] == "all").sum()


def test_theme_counts_pivot_matches_the_long_csv(qual, tmp_path):
    csv = _saved(theme_counts(qual, level="theme").to_frame(), "t", tmp_path)
    table = displays.theme_counts(csv)
    keys = [c.key for c in table.columns]
    for row in table.rows:
        long = csv[csv["name"] == row.cells[0]].set_index("stakeholder_group")
        for group, r in long.iterrows():
            assert parse_number(row.cells[keys.index(f"interviewees_{group}")]) == \
                r["interviewees"]
            assert parse_number(row.cells[keys.index(f"segments_{group}")]) == r["segments"]
            assert parse_number(row.cells[keys.index(f"coverage_{group}")]) == \
                round(r["coverage"] * 100, 1)
    assert table.orientation == "landscape"  # 13 columns do not fit a portrait page


def test_sample_size_grid_pivots_dispersion_by_irr(tmp_path):
    design = pw.Design(41.0, 1.8, alpha=0.05, method=3, dropout=0.1, design_effect=1.0)
    csv = _saved(pw.sample_size_grid([0.75, 0.8], [1.6, 2.0], design=design, power=0.9), "g",
                 tmp_path)
    table = displays.sample_size_grid(csv)
    for row in table.rows:
        for col, cell in zip(table.columns[1:], row.cells[1:], strict=True):
            hit = csv[(csv["dispersion"] == float(row.cells[0]))
                      & (csv["irr"] == float(col.label))]
            assert parse_number(cell) == hit["n_control"].iloc[0]


def test_a_frame_without_the_expected_columns_is_refused_with_the_missing_names():
    with pytest.raises(ArgumentError, match="without responded, response_rate"):
        displays.recruitment_by_practice(pd.DataFrame({"practice_id": ["A"], "invited": [3],
                                                       "randomised": [1],
                                                       "randomised_per_1000_invited": [1.0]}))
    with pytest.raises(ArgumentError, match="frame must be a pandas DataFrame"):
        displays.delivery_mode([1, 2])


def test_orientation_turns_landscape_only_when_the_row_is_too_wide():
    cell = "0.910 (0.650 to 1.273)"  # 22 characters + 2 of padding per column
    narrow = [Column(f"c{i}", "n", align="decimal") for i in range(4)]
    assert orientation_for(narrow, [Row((cell,) * 4)]) == "portrait"  # 96 <= 110
    wide = [Column(f"c{i}", "n", align="decimal") for i in range(5)]
    assert orientation_for(wide, [Row((cell,) * 5)]) == "landscape"  # 120 > 110
    long_text = [Column("q", "Quote"), Column("t", "Theme")]
    assert orientation_for(long_text, [Row(("word " * 200, "x"))]) == "portrait"  # text wraps


def test_every_builder_is_registered_under_the_name_it_builds():
    for name, builder in displays.BUILDERS.items():
        assert builder.__doc__, name
        assert builder.__module__.startswith("wave_analysis.report.displays."), name


def test_rows_of_a_group_are_brought_together_and_ungrouped_rows_keep_their_place():
    rows = [Row(("1",), "A"), Row(("2",), "B"), Row(("3",), "A"), Row(("4",)), Row(("5",), "B"),
            Row(("6",))]
    assert [r.cells[0] for r in grouped(rows)] == ["1", "3", "2", "5", "4", "6"]


def test_footnote_markers_only_when_rows_differ():
    assert footnoted(["Wald", "Wald"]) == (["", ""], ["Wald"])
    marks, notes = footnoted(["Wald", None, "HC0", "Wald"], start=1)
    assert marks == ["ᵇ", "", "ᶜ", "ᵇ"] and notes == ["ᵇ Wald", "ᶜ HC0"]


def test_questionnaire_rows_are_grouped_by_outcome_with_decimals_of_its_scale(tmp_path):
    rows = []
    for timepoint in ("6w", "6m"):
        for outcome, est in (("eq5d_index", -0.0037621), ("eq_vas", -0.755635)):
            rows.append({"outcome": outcome, "timepoint": timepoint, "estimate": est,
                         "ci_low": est - 0.01, "ci_high": est + 0.01, "ci_level": 0.8,
                         "p_value": 0.7, "method": "ANCOVA", "note": None,
                         **{f"{s}_{a}": v for a in ("usual_care", "vocational_support")
                            for s, v in (("n", 50), ("mean", 0.5), ("sd", 0.2))}})
    table = displays.questionnaires(_saved(pd.DataFrame(rows), "q", tmp_path))
    assert [(r.group, r.cells[0]) for r in table.rows] == [
        ("EQ-5D-5L index", "6 weeks"), ("EQ-5D-5L index", "6 months"),
        ("EQ VAS (0-100)", "6 weeks"), ("EQ VAS (0-100)", "6 months")]
    assert table.rows[0].cells[5] == "-0.004 (-0.014 to 0.006)"  # EQ-5D-5L: 3 decimals
    assert table.rows[2].cells[5] == "-0.8 (-0.8 to -0.7)"  # EQ VAS: 1 decimal
    assert table.footnotes == ("ANCOVA",)  # one method: no markers


def test_data_quality_tables_match_their_csvs(trial, tmp_path):
    sizes = _saved(quality.table_sizes(trial), "s", tmp_path)
    _assert_cells_match(displays.table_sizes(sizes), sizes,
                        {"rows": ("rows", 1), "columns": ("columns", 1)})
    miss = _saved(quality.missingness(trial), "m", tmp_path)
    table = displays.missingness(miss)
    _assert_cells_match(table, miss, {"missing": ("missing", 1), "rows": ("rows", 1)})
    shares = [re.search(r"\(([\d.]+)%\)", r.cells[1]).group(1) for r in table.rows]
    assert [float(s) for s in shares] == [round(v * 100, 1) for v in miss["share_missing"]]
    assert [r.group for r in table.rows] == list(miss["table"])


def test_questionnaire_returns_show_each_arm_and_time_point_with_its_share(trial, tmp_path):
    csv = _saved(quality.questionnaire_returns(trial), "r", tmp_path)
    table = displays.questionnaire_returns(csv)
    assert [r.cells[0] for r in table.rows] == ["6 weeks", "6 months"]  # design order
    assert [c.label for c in table.columns[1:]] == [
        f"{label(a)} (n={csv.loc[csv['arm'] == a, 'randomised'].iloc[0]})" for a in ARMS]
    for row, timepoint in zip(table.rows, ("6w", "6m"), strict=True):
        for cell, arm in zip(row.cells[1:], ARMS, strict=True):
            want = csv[(csv["timepoint"] == timepoint) & (csv["arm"] == arm)].iloc[0]
            count, share = re.fullmatch(r"(\d+) \(([\d.]+)%\)", cell).groups()
            assert int(count) == want["returned"]
            assert float(share) == round(want["share_returned"] * 100, 1)


def test_validation_findings_are_participant_level_and_say_when_there_are_none(tmp_path):
    from wave_analysis.exceptions import Problem

    empty = displays.validation_problems(quality.problems_frame([]))
    assert empty.rows == () and empty.participant_level
    assert "passed every rule" in empty.footnotes[0]
    found = [Problem("sms.csv", "days_off", 12, "15", "days_off must be 0 to 14", "correct it"),
             Problem("sms.csv", None, None, None, "file is missing", "export it")]
    csv = _saved(quality.problems_frame(found), "v", tmp_path)
    table = displays.validation_problems(csv)
    assert [r.cells for r in table.rows] == [
        ("sms.csv", "12", "days_off", "15", "days_off must be 0 to 14", "correct it"),
        ("sms.csv", "", "", "", "file is missing", "export it")]


def test_turnbull_curve_shows_every_time_after_day_0_for_both_arms_as_percentages(tmp_path):
    grid = [0.0, 14.0, 28.0, 182.0]
    rows = [{"arm": arm, "time": t, "estimate": 1 - k * shift, "ci_low": 1 - k * shift - 0.1234,
             "ci_high": min(1.0, 1 - k * shift + 0.0456), "ci_level": 0.95}
            for arm, shift in (("usual_care", 0.20371), ("vocational_support", 0.2649))
            for k, t in enumerate(grid)]
    csv = _saved(pd.DataFrame(rows).assign(definition="first", analysis="primary"), "t",
                 tmp_path)
    table = displays.turnbull_curve(csv)
    assert [r.cells[:2] for r in table.rows] == [("14", "2"), ("28", "4"), ("182", "26")]
    assert table.columns[2].group == "Not yet returned to work, % (95% CI)"
    for row in table.rows:
        for cell, arm in zip(row.cells[2:], ARMS, strict=True):
            want = csv[(csv["arm"] == arm) & (csv["time"] == float(row.cells[0]))].iloc[0]
            shown = [float(x) for x in re.findall(r"[\d.]+", cell)]
            assert shown == [round(want[c] * 100, 1) for c in ("estimate", "ci_low", "ci_high")]
    assert not table.interactive and table.orientation == "portrait"
