"""report.table: the DisplayTable model (checks, JSON round trip, to_frame) and its static HTML
(structure parsed, not searched as text)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from wave_analysis.exceptions import ArgumentError, DataFormatError
from wave_analysis.report import Column, DisplayTable, Row
from wave_analysis.report.html import SYNTHETIC_LABEL


def _table(**changes) -> DisplayTable:
    base = dict(
        name="03_example", title="Days absent <by arm> & more",
        columns=(Column("model", "Model"),
                 Column("n_uc", "n", group="Usual care", align="right"),
                 Column("pct_uc", "%", group="Usual care", align="right"),
                 Column("n_vs", "n", group="Vocational support", align="right"),
                 Column("pct_vs", "%", group="Vocational support", align="right"),
                 Column("irr", "IRR (80% CI)", align="decimal")),
        rows=(Row(("Adjusted", "64", "49.2", "66", "50.8", "0.910 (0.650 to 1.273)"), "Primary"),
              Row(("Unadjusted", "64", "49.2", "66", "50.8", "0.888 (0.621 to 1.268)"),
                  "Sensitivity"),
              Row(("Poisson", "64", "49.2", "66", "50.8", "<0.001"), "Sensitivity")),
        footnotes=("ᵃ Wald, observed information.",),
        source_note="Negative binomial regression; notebook 03_days_absent",
        synthetic=True)
    base.update(changes)
    return DisplayTable(**base)


def _tree(markup: str) -> ET.Element:
    return ET.fromstring(f"<root>{markup}</root>")  # well-formed markup, or this raises


def test_json_round_trip_gives_an_equal_table(tmp_path):
    table = _table(participant_level=True, orientation="landscape", interactive=True)
    path = tmp_path / "t.table.json"
    path.write_text(table.to_json(), encoding="utf-8")
    assert DisplayTable.from_json(path) == table
    assert DisplayTable.from_dict(json.loads(table.to_json())) == table
    assert table.to_json() == DisplayTable.from_json(path).to_json()  # stable bytes


def test_json_is_deterministic_and_self_describing():
    record = json.loads(_table().to_json())
    assert record["format"] == "wave-display-table" and record["version"] == 1
    assert record["columns"][1] == {"key": "n_uc", "label": "n", "group": "Usual care",
                                    "align": "right"}
    assert record["rows"][0] == {"cells": ["Adjusted", "64", "49.2", "66", "50.8",
                                           "0.910 (0.650 to 1.273)"], "group": "Primary"}
    assert _table().to_json() == _table().to_json()


def test_reading_a_file_that_is_not_a_display_table_names_the_file(tmp_path):
    bad = tmp_path / "x.table.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"x\.table\.json: not valid JSON"):
        DisplayTable.from_json(bad)
    bad.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(DataFormatError, match="not a wave-display-table record"):
        DisplayTable.from_json(bad)
    record = json.loads(_table().to_json())
    record["version"] = 99
    bad.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(DataFormatError, match="version 99 is not supported"):
        DisplayTable.from_json(bad)
    del record["rows"]
    record["version"] = 1
    bad.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(DataFormatError, match="malformed record"):
        DisplayTable.from_json(bad)


@pytest.mark.parametrize(("changes", "match"), [
    ({"rows": (Row(("only one cell",)),)}, r"rows\[0\] must be a Row with 6 cells"),
    ({"columns": ()}, "columns must be a non-empty sequence of Column"),
    ({"columns": (Column("a", "A"), Column("a", "B")), "rows": ()}, "distinct keys"),
    ({"orientation": "sideways"}, "orientation must be one of portrait, landscape"),
    ({"name": ""}, "name must be a non-empty artefact name"),
])
def test_inconsistent_tables_are_refused(changes, match):
    with pytest.raises(ArgumentError, match=match):
        _table(**changes)


def test_cells_must_be_formatted_text():
    with pytest.raises(ArgumentError, match="formatted text"):
        Row((0.91, "x"))
    with pytest.raises(ArgumentError, match="align must be one of left, right, decimal"):
        Column("a", "A", align="centre")


def test_column_spans_merge_adjacent_columns_of_a_group_only():
    spans = _table().column_spans()
    assert spans == [(None, 1), ("Usual care", 2), ("Vocational support", 2), (None, 1)]
    split = _table(columns=(Column("a", "A", group="G"), Column("b", "B"),
                            Column("c", "C", group="G")), rows=())
    assert split.column_spans() == [("G", 1), (None, 1), ("G", 1)]


def test_to_frame_shows_the_displayed_text_with_grouped_headers_and_row_groups():
    frame = _table().to_frame()
    assert list(frame.columns) == [("", "Model"), ("Usual care", "n"), ("Usual care", "%"),
                                   ("Vocational support", "n"), ("Vocational support", "%"),
                                   ("", "IRR (80% CI)")]
    assert list(frame.index) == ["Primary", "Sensitivity", "Sensitivity"]
    assert frame.iloc[2, 5] == "<0.001"
    keyed = _table().to_frame(header="key")
    assert list(keyed.columns) == ["model", "n_uc", "pct_uc", "n_vs", "pct_vs", "irr"]
    flat = _table(columns=(Column("a", "A"),), rows=(Row(("x",)),)).to_frame()
    assert list(flat.columns) == ["A"] and isinstance(flat.index, pd.RangeIndex)


def test_html_structure_grouped_headers_row_groups_notes_and_synthetic_label():
    root = _tree(_table().to_html())
    box = root.find("div[@class='wave-table portrait']")
    assert box is not None and box.get("data-name") == "03_example"
    table = box.find("div[@class='wave-table-scroll']/table")  # scrolls inside its own box
    caption = table.find("caption")
    assert caption.text.strip() == "Days absent <by arm> & more"  # escaped, read back as text
    assert caption.find("span[@class='synthetic-label']").text == SYNTHETIC_LABEL
    top, bottom = table.findall("thead/tr")
    assert [(th.text, th.get("colspan"), th.get("rowspan")) for th in top] == [
        ("Model", None, "2"), ("Usual care", "2", None), ("Vocational support", "2", None),
        ("IRR (80% CI)", None, "2")]
    assert [th.text for th in bottom] == ["n", "%", "n", "%"]
    body = table.findall("tbody/tr")
    assert [tr.get("class") for tr in body] == ["row-group", None, "row-group", None, None]
    assert body[0].find("th").text == "Primary" and body[0].find("th").get("colspan") == "6"
    assert [td.text for td in body[4]] == ["Poisson", "64", "49.2", "66", "50.8", "<0.001"]
    assert [td.get("class") for td in body[1]][-1] == "decimal"
    notes = [p.text for p in box.findall("div[@class='wave-table-notes']/p")]
    assert notes == ["ᵃ Wald, observed information.",
                     "Source: Negative binomial regression; notebook 03_days_absent",
                     SYNTHETIC_LABEL]


def test_html_of_real_data_has_no_synthetic_label_and_a_single_header_row():
    table = _table(synthetic=False, columns=tuple(Column(c.key, c.label, align=c.align)
                                                  for c in _table().columns))
    root = _tree(table.to_html())
    assert root.find(".//span[@class='synthetic-label']") is None
    assert SYNTHETIC_LABEL not in table.to_html()
    assert len(root.findall(".//thead/tr")) == 1


def test_repr_html_is_the_static_table_unless_interactive():
    table = _table()
    assert table._repr_html_() == table.to_html()
    assert "wave-itable-03_example" in _table(interactive=True)._repr_html_()
