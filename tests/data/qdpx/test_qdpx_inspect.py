"""Inspecting a REFI-QDA project before import (data.qdpx.inspect, data.qdpx.guess): sources,
cases, users, the mapping template and its guesses, --default-group, and the round trip
inspect -> template -> filled by hand -> import -> the project's loader, on hand-built projects
and on the real exports in ../shared/fixtures (skipped when absent)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from qdpx_builders import FIXTURES, NVIVO, G, project_xml, selection, text_source

from wave_analysis.data.load import load_qualitative, validate_folder
from wave_analysis.data.qdpx import import_qdpx, inspect_qdpx, read_qdpx, write_template
from wave_analysis.data.qdpx.guess import GUESS, groups_in_name, guess_participant
from wave_analysis.data.qdpx.inspect import TEMPLATE_COLUMNS
from wave_analysis.exceptions import ArgumentError, ConfigError, QdpxError

TEXTS = {1: "GP: I write fit notes.\r\nEvery week.", 2: "Patient: back at work 😀 now.",
         3: "Manager: we adjusted duties.", 4: "Patient and GP talk.", 5: "no name here"}
NAMES = {1: "GP_03", 2: "Interview A", 3: "Int B", 4: "Patient 5 with GP", 5: None}


def _variables() -> str:
    return ('<Variables>'
            f'<Variable guid="{G.format(700)}" name="Person:Role" typeOfVariable="Text"/>'
            f'<Variable guid="{G.format(701)}" name="Type" typeOfVariable="Text"/>'
            '</Variables>')


def _value(k: int, value: str) -> str:
    return (f'<VariableValue><VariableRef targetGUID="{G.format(700 + k)}"/>'
            f"<TextValue>{value}</TextValue></VariableValue>")


def _cases() -> str:
    # an NVivo-style named case and a MAXQDA-style nameless case (document variables)
    return ('<Cases>'
            f'<Case guid="{G.format(800)}" name="P-017">{_value(0, "Patient")}'
            f'<SourceRef targetGUID="{G.format(202)}"/></Case>'
            f'<Case guid="{G.format(801)}">{_value(1, "Line manager")}'
            f'<SourceRef targetGUID="{G.format(203)}"/>'
            f'<SourceRef targetGUID="{G.format(299)}"/></Case></Cases>')


def _project(tmp_path: Path) -> Path:
    # source 1: NVivo repeats one span per coding (Alice twice on the same code), Bob adds one
    sels = {1: selection(0, 0, 2, user=900) + selection(1, 0, 2, user=900)
            + selection(2, 4, 9, code=2, user=901),
            2: selection(3, 0, 7, user=901)}
    sources = "".join(text_source(k, NAMES[k], sels.get(k, ""), content=TEXTS[k])
                      for k in TEXTS)
    sources += f'<PDFSource guid="{G.format(299)}" name="Consent form.pdf" path="x.pdf"/>'
    f = tmp_path / "project.qde"
    f.write_bytes(project_xml(sources, extra=_variables() + _cases()))
    return f


@pytest.fixture()
def project(tmp_path):
    return _project(tmp_path)


def test_sources_cases_and_users_as_the_import_sees_them(project):
    found = inspect_qdpx(project)
    src = found.sources_frame().set_index("guid")
    assert list(src.index) == [G.format(200 + k) for k in TEXTS]  # document order
    assert src.loc[G.format(205), "source"] == G.format(205)  # nameless: keyed by GUID
    # sizes in characters as imported: CRLF read as one line end, the emoji one character
    assert src.loc[G.format(201), "characters"] == len(TEXTS[1]) - 1
    assert src.loc[G.format(202), "characters"] == len(TEXTS[2])
    assert src.loc[G.format(201), ["selections", "codings", "codes"]].tolist() == [3, 2, 2]
    # the coder pseudonyms are the import's (same source, same codings)
    imported = read_qdpx(project, default_group="gp")
    by_iid = imported.codings.groupby("interview_id")["coder"].unique()
    for guid, iid in ((G.format(201), "GP_03"), (G.format(202), "Interview_A")):
        assert set(src.loc[guid, "coders"].split(", ")) == set(by_iid[iid])
    users = found.users_frame().set_index("user")
    assert users.loc["Alice Realname", "codings"] == 1  # the repeated span counts once
    assert users.loc["Bob Realname", "codings"] == 2
    assert {users.loc["Alice Realname", "coder"], users.loc["Bob Realname", "coder"]} == {
        "coder_1", "coder_2"}
    cases = found.cases_frame()
    assert list(cases.columns) == ["case", "guid", "sources", "Person:Role", "Type"]
    assert cases["case"].tolist() == ["P-017", ""]
    assert cases.loc[1, "sources"].startswith("Int B; (not a text source")
    assert "Consent form.pdf" in " ".join(found.notes)


def test_template_guesses_are_marked_and_explained(project):
    template = inspect_qdpx(project).template_frame().set_index("guid")
    assert template.columns.tolist() == TEMPLATE_COLUMNS[:1] + TEMPLATE_COLUMNS[2:]
    row = template.loc[G.format(201)]  # "GP_03": only the name says GP
    assert (row["stakeholder_group"], row["participant_id"]) == ("gp", None)
    assert row["group_basis"] == f"{GUESS}source name 'GP_03'"
    row = template.loc[G.format(202)]  # a Role variable the import reads, a case named P-017
    assert row["stakeholder_group"] == "patient"
    assert row["group_basis"] == "variable 'Person:Role' = 'Patient' (the import reads it)"
    assert (row["participant_id"], row["participant_basis"]) == (
        "P-017", f"{GUESS}case name 'P-017'")
    row = template.loc[G.format(203)]  # MAXQDA document variable that the import ignores
    assert (row["stakeholder_group"], row["group_basis"]) == (
        "employer", f"{GUESS}variable 'Type' = 'Line manager'")
    row = template.loc[G.format(204)]  # the name names two groups: no guess
    assert row["stakeholder_group"] is None
    assert row["group_basis"] == "to fill (source name 'Patient 5 with GP' suggests gp and patient)"
    assert template.loc[G.format(205), "group_basis"] == "to fill"


def test_name_guesses():
    assert groups_in_name("GP_03") == {"gp"}
    assert groups_in_name("LineManager4 interview") == {"employer"}
    assert groups_in_name("vocational-support-worker 2") == {"vsw"}
    assert groups_in_name("videos_10_selected") == set()
    assert groups_in_name("Gpx notes") == set()  # whole words only
    assert guess_participant({}, "patient", "P017 interview", ()).value == "P017"
    assert guess_participant({}, None, "WAVE-0012", ()).value == "WAVE-0012"
    assert guess_participant({}, None, "videos_10_selected", ()).value is None
    assert guess_participant({}, None, "GP_03", ()).value is None  # a group word, not an id
    assert guess_participant({"Trial ID": "P-9"}, "gp", "P017", ("P-1",)).value is None


def _fill(template: Path, values: dict[str, tuple[str, str]]) -> None:
    """What a user does in a spreadsheet: type a group (and a trial id) into the rows."""
    with template.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        if r["source"] in values:
            r["stakeholder_group"], r["participant_id"] = values[r["source"]]
    with template.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_round_trip_inspect_template_fill_import_load(project, tmp_path):
    template = write_template(inspect_qdpx(project), tmp_path / "mapping.csv")
    assert template.read_bytes().startswith(b"\xef\xbb\xbfsource,guid,")
    with pytest.raises(QdpxError, match=r"2 source\(s\) have no stakeholder group: "
                       r"'Patient 5 with GP', '0000.*qdpx inspect .*project\.qde"):
        import_qdpx(project, tmp_path / "out", mapping=template)  # the guesses alone
    _fill(template, {"Patient 5 with GP": ("patient", "P-005"), G.format(205): ("VSW", "")})
    import_qdpx(project, tmp_path / "out", mapping=template)
    loaded = load_qualitative(tmp_path / "out")
    iv = loaded.interviews.set_index("interview_id")
    assert iv["stakeholder_group"].tolist() == ["gp", "patient", "employer", "patient", "vsw"]
    assert iv["participant_id"].fillna("-").tolist() == ["-", "P-017", "-", "P-005", "-"]
    assert len(loaded.codings) == 3 and loaded.transcripts["GP_03"] == TEXTS[1].replace("\r", "")


def test_template_keeps_a_filled_mapping_and_guid_tells_same_names_apart(project, tmp_path):
    found = inspect_qdpx(project)
    target = tmp_path / "mapping.csv"
    target.write_text("filled by hand")
    with pytest.raises(QdpxError, match="mapping.csv: already exists"):
        write_template(found, target)
    assert target.read_text() == "filled by hand"
    write_template(found, target, overwrite=True)
    # two rows with one name: only their GUIDs place them; without GUIDs it is an error
    target.write_text("source,guid,stakeholder_group,participant_id\n"
                      f"GP_03,{G.format(201)},gp,\nGP_03,{G.format(202)},patient,P-1\n")
    iv = read_qdpx(project, mapping=target, default_group="vsw").interviews
    assert iv["stakeholder_group"].tolist()[:2] == ["gp", "patient"]
    target.write_text("source,stakeholder_group,participant_id\nGP_03,gp,\nGP_03,patient,P-1\n")
    with pytest.raises(ConfigError, match="mapping.csv lines 2 and 3: source 'GP_03' is "
                       "listed twice with different values"):
        read_qdpx(project, mapping=target)


def test_default_group_is_checked_and_patients_need_a_trial_id(project, tmp_path):
    with pytest.raises(ArgumentError, match="default_group must be one of patient, employer, "
                       "vsw, gp; got 'nurse'"):
        read_qdpx(project, default_group="nurse")
    with pytest.raises(ArgumentError, match="default_group must be the mapping's default"):
        read_qdpx(project, mapping={"*": "gp"}, default_group="vsw")
    out = tmp_path / "out"
    with pytest.raises(QdpxError, match=r"project.qde: 5 patient source\(s\) have no "
                       r"participant_id: 'GP_03', 'Interview A', 'Int B', 'Patient 5 with GP', "
                       r"'0000.* \(fix: run `wave-analysis qdpx inspect "):
        import_qdpx(project, out, default_group="patient")
    with pytest.raises(QdpxError, match=r"1 source\(s\) that are not patients have a "
                       r"participant_id: 'GP_03' \(gp, 'P-3'\)"):
        import_qdpx(project, out, mapping={"GP_03": ("gp", "P-3"),
                                           "Interview A": ("patient", "P-017")},
                    default_group="vsw")
    assert not out.exists()  # nothing written


def test_inspect_a_codebook_and_an_empty_project(tmp_path):
    qdc = tmp_path / "c.qdc"
    qdc.write_text('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f'<Code guid="{G.format(1)}" name="A" isCodable="true"/></Codes></CodeBook>')
    found = inspect_qdpx(qdc)
    assert (found.kind, found.n_codes, found.template_frame().shape) == ("codebook", 1, (0, 8))
    assert found.summary() == "c.qdc: codebook with 1 codes; nothing to map"
    empty = tmp_path / "e.qde"
    empty.write_bytes(project_xml("", users=""))
    found = inspect_qdpx(empty)
    assert found.summary().splitlines()[0] == ("e.qde: 0 text source(s), 4 codes, 0 codings, "
                                               "0 case(s), 0 user(s)")


# --- the real exports ------------------------------------------------------------------------

REAL = sorted(p for p in FIXTURES.glob("*") if p.suffix.lower() in (".qdpx", ".qde", ".qdc")) \
    if FIXTURES.is_dir() else []


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_exports_inspect_without_failing(path, tmp_path):
    found = inspect_qdpx(path)
    assert found.summary().startswith(path.name)
    template = found.template_frame()
    assert template.columns.tolist() == TEMPLATE_COLUMNS
    assert len(template) == len(found.sources) and template["guid"].is_unique
    write_template(found, tmp_path / "t.csv")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", dtype=str)
    assert back["guid"].tolist() == template["guid"].tolist()


@pytest.fixture()
def nvivo_path():
    if not NVIVO.exists():
        pytest.skip("../shared/fixtures/refi-qda is absent")
    return NVIVO


def test_real_nvivo_default_group_where_it_was_refused(nvivo_path, tmp_path):
    with pytest.raises(QdpxError, match=r"2 source\(s\) have no stakeholder group: "
                       r"'videos_selection', 'videos_10_selected' \(fix: run `wave-analysis "
                       r"qdpx inspect .*nvivo12-win-oltas0517.qdpx --template mapping.csv`"):
        import_qdpx(nvivo_path, tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
    result = import_qdpx(nvivo_path, tmp_path / "out", default_group="employer")
    assert validate_folder(tmp_path / "out") == []
    assert set(result.interviews["stakeholder_group"]) == {"employer"}
    assert set(result.report.mapping_sources.values()) == {"mapping default"}


def test_real_nvivo_round_trip_through_the_template(nvivo_path, tmp_path):
    found = inspect_qdpx(nvivo_path)
    names = found.sources_frame()["source"].tolist()
    assert names == ["videos_selection", "videos_10_selected"]
    template = write_template(found, tmp_path / "mapping.csv")
    _fill(template, {"videos_selection": ("vsw", ""), "videos_10_selected": ("patient", "P-10")})
    import_qdpx(nvivo_path, tmp_path / "out", mapping=template)
    loaded = load_qualitative(tmp_path / "out")
    assert loaded.interviews["stakeholder_group"].tolist() == ["vsw", "patient"]
    assert loaded.interviews["participant_id"].fillna("-").tolist() == ["-", "P-10"]
    assert found.sources_frame()["codings"].sum() == len(loaded.codings)  # repeats merged
    sizes = dict(zip(found.sources_frame()["source"], found.sources_frame()["characters"],
                     strict=True))
    assert len(loaded.transcripts["videos_10_selected"]) == sizes["videos_10_selected"]
