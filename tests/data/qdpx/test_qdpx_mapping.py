"""Stakeholder groups and participant ids of imported sources (data.qdpx.mapping)."""

from __future__ import annotations

import pandas as pd
import pytest
from qdpx_builders import G, project_xml, text_source

from wave_analysis.data.qdpx import UNKNOWN_DATE, mapping, read_qdpx
from wave_analysis.exceptions import ArgumentError, ConfigError, QdpxError


def _variables_xml(names: list[str]) -> str:
    return "<Variables>" + "".join(
        f'<Variable guid="{G.format(700 + k)}" name="{n}" typeOfVariable="Text"/>'
        for k, n in enumerate(names)) + "</Variables>"



def _value(k: int, value: str) -> str:
    return (f'<VariableValue><VariableRef targetGUID="{G.format(700 + k)}"/>'
            f"<TextValue>{value}</TextValue></VariableValue>")



def test_nvivo_classification_and_maxqda_nameless_cases(tmp_path):
    names = ["Person:Age group", "Person:Stakeholder group", "Person:Trial ID",
             "Interview date"]
    cases = (
        f'<Cases><Case guid="{G.format(800)}" name="Mrs Example">'
        + _value(0, "30-39") + _value(1, "Patient") + _value(2, "P-017") + _value(3, "2021-06-02")
        + f'<SourceRef targetGUID="{G.format(201)}"/></Case>'
        f'<Case guid="{G.format(801)}">' + _value(1, "Vocational support worker")
        + f'<SourceRef targetGUID="{G.format(202)}"/></Case></Cases>')
    xml = project_xml(text_source(1, "i1", "", content="one", created="2020-01-02T10:00:00Z")
                      + text_source(2, "i2", "", content="two", created="2020-02-03T10:00:00Z")
                      + text_source(3, "i3", "", content="three"),
                      extra=_variables_xml(names) + cases)
    f = tmp_path / "p.qde"
    f.write_bytes(xml)
    with pytest.raises(QdpxError, match=r"1 source\(s\) have no stakeholder group: 'i3'.*mapping"):
        read_qdpx(f)
    iv = read_qdpx(f, mapping={"i3": ("employer", None)}).interviews.set_index("interview_id")
    assert iv.loc["i1", "stakeholder_group"] == "patient"
    assert iv.loc["i1", "participant_id"] == "P-017"
    assert iv.loc["i1", "interview_date"] == pd.Timestamp("2021-06-02")
    assert iv.loc["i2", "stakeholder_group"] == "vsw"
    assert iv.loc["i2", "interview_date"] == pd.Timestamp("2020-02-03")  # creationDateTime
    assert iv.loc["i3", "stakeholder_group"] == "employer"
    assert iv.loc["i3", "interview_date"] == UNKNOWN_DATE
    assert "Mrs Example" not in iv.to_csv()



def test_mapping_csv_and_bad_group(tmp_path):
    f = tmp_path / "p.qde"
    f.write_bytes(project_xml(text_source(1, "Int A", "", content="x")))
    m = tmp_path / "map.csv"
    m.write_text("source,stakeholder_group,participant_id\nInt A,GP,\n*,patient,\n")
    iv = read_qdpx(f, mapping=m).interviews
    assert list(iv["stakeholder_group"]) == ["gp"] and iv["participant_id"].isna().all()
    m.write_text("source,stakeholder_group\nInt A,nurse\n")
    with pytest.raises(ConfigError, match="'nurse'; use one of patient, employer, vsw, gp"):
        read_qdpx(f, mapping=m)


def test_assign_precedence_mapping_then_variables_then_default():
    rules = mapping.load_mapping({"A": ("gp", None), "B": {"participant_id": "P-2"},
                                  "*": "patient"})
    variables = {"Person:Stakeholder group": "Employer", "Trial ID": "P-9"}
    # a trial id variable belongs to patients only: a GP's case does not pass it on
    assert mapping.assign(rules, "A", variables) == ("gp", None, "mapping")
    assert mapping.assign(rules, "B", variables) == ("employer", "P-2", "variables")
    assert mapping.assign(rules, "C", {}) == ("patient", None, "mapping default")
    assert mapping.assign(rules, "C", {"Trial ID": "P-9"}) == ("patient", "P-9",
                                                               "mapping default")
    # a variable naming the group is not a participant id
    assert mapping.assign(rules, "C", {"Participant group": "Patient"}) == (
        "patient", None, "variables")
    assert mapping.assign(mapping.load_mapping(None), "C", {}) == (None, None, "variables")


def test_bad_mappings_name_the_problem(tmp_path):
    with pytest.raises(ArgumentError, match="mapping must be a dict or a CSV path"):
        mapping.load_mapping(42)
    m = tmp_path / "map.csv"
    m.write_text("name,group\nA,gp\n")
    with pytest.raises(ConfigError, match="map.csv: mapping needs columns source, "
                       "stakeholder_group"):
        mapping.load_mapping(m)
    with pytest.raises(ConfigError, match="has participant_id 'P 1'; use letters"):
        mapping.load_mapping({"A": ("patient", "P 1")})
    with pytest.raises(ConfigError, match="cannot read"):
        mapping.load_mapping(tmp_path / "absent.csv")
