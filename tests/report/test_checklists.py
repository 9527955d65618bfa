"""Tests of report.checklists: the guideline data validate, and filling a run's checklists points
each item to files that exist, or leaves it to the authors when they do not."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from wave_analysis.config import DATA_DICTIONARY, REPO_ROOT
from wave_analysis.exceptions import ConfigError
from wave_analysis.report.checklists import (
    AUTHORS,
    CSV_COLUMNS,
    EVIDENCED,
    fill_checklists,
    load_guidelines,
)
from wave_analysis.report.checklists.guidelines import (
    DATA_DIR,
    GUIDELINE_KEYS,
    load_artefacts,
    load_guideline,
)

# --- the data -------------------------------------------------------------------------------


def test_guideline_data_validate_with_the_published_item_counts():
    guidelines = {g.key: g for g in load_guidelines()}
    assert tuple(guidelines) == GUIDELINE_KEYS
    # CONSORT 2025: 30 numbered items (1a/1b, 5a/5b... make 42 entries); COREQ 32; GRAMMS 6
    assert guidelines["consort_2025"].numbered_items == 30
    assert len(guidelines["consort_2025"].items) == 42
    assert guidelines["coreq_2007"].numbered_items == len(guidelines["coreq_2007"].items) == 32
    assert guidelines["gramms_2008"].numbered_items == len(guidelines["gramms_2008"].items) == 6
    assert "i5239" in guidelines["consort_pilot_2016"].citation
    assert "10.1371/journal.pmed.1004587" in guidelines["consort_2025"].citation
    for g in guidelines.values():
        ids = [i.id for i in g.items]
        assert len(ids) == len(set(ids)), g.key
        for item in g.items:
            assert item.citation == g.citation and item.version == g.version
            assert item.paraphrase and item.section and item.topic
            assert len(item.paraphrase) <= 140, (g.key, item.id)  # short, our own words


def test_every_evidence_key_names_a_known_artefact():
    artefacts = load_artefacts()
    used = {k for g in load_guidelines() for i in g.items for k in i.evidence}
    assert used <= set(artefacts)
    # the data dictionary is the one the project documents (config.DATA_DICTIONARY)
    assert REPO_ROOT / artefacts["data_dictionary"].path == DATA_DICTIONARY


def _copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def test_duplicate_id_and_unknown_evidence_are_refused(tmp_path):
    folder = _copy_data(tmp_path)
    path = folder / "gramms_2008.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{id: "2", number: 2', '{id: "1", number: 2'), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"gramms_2008.yaml: item id\(s\) 1 appear more"):
        load_guideline(path, load_artefacts(folder / "artefacts.yaml"))
    path.write_text(text.replace("[joint_display_table]}", "[joint_display]}"), encoding="utf-8")
    with pytest.raises(ConfigError, match="item 6: evidence joint_display is not in"):
        load_guideline(path, load_artefacts(folder / "artefacts.yaml"))
    path.write_text(text.replace("numbered_items: 6", "numbered_items: 7"), encoding="utf-8")
    with pytest.raises(ConfigError, match="6 numbered items; the file says 7"):
        load_guideline(path, load_artefacts(folder / "artefacts.yaml"))


# --- filling from a run ---------------------------------------------------------------------


def _run(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    """A fake run: ``files`` maps "<root>/<path>" to text."""
    roots = {r: tmp_path / r for r in ("figures", "reports", "repository")}
    roots["tables"] = roots["reports"] / "tables"
    roots["notebooks"] = roots["reports"] / "notebooks"
    for name, text in files.items():
        root, _, rel = name.partition("/")
        target = roots[root] / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for folder in roots.values():
        folder.mkdir(parents=True, exist_ok=True)
    return roots


def _fill(roots, **kwargs):
    return fill_checklists(roots["reports"], roots["figures"],
                           repository_dir=roots["repository"], **kwargs)


def _rows(reports: Path, key: str) -> dict[str, dict[str, str]]:
    with (reports / "checklists" / f"{key}.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        return {r["item"]: r for r in reader}


def test_item_with_its_evidence_missing_is_left_to_the_authors(tmp_path):
    roots = _run(tmp_path, {"tables/02_table1.csv": "x\n"})  # no CONSORT figure or table
    _fill(roots, synthetic=False)
    rows = _rows(roots["reports"], "consort_2025")
    assert rows["25"]["status"] == EVIDENCED
    assert rows["25"]["evidence_path"] == "../tables/02_table1.csv"
    for item in ("22a", "22b", "26"):
        assert rows[item]["status"] == AUTHORS
        assert rows[item]["evidence"] == rows[item]["evidence_path"] == ""


def test_csv_evidence_paths_exist_and_coverage_counts(tmp_path):
    roots = _run(tmp_path, {"figures/01_consort_flow.png": "png",
                            "tables/01_consort_flow.csv": "x\n",
                            "tables/03_primary_irr.csv": "x\n",
                            "notebooks/06_qualitative_themes.ipynb": "{}",
                            "repository/docs/data_dictionary.md": "# dictionary\n"})
    filled = {c.guideline.key: c for c in _fill(roots, synthetic=True)}
    out = roots["reports"] / "checklists"
    for key, checklist in filled.items():
        rows = _rows(roots["reports"], key)
        assert len(rows) == len(checklist.items)
        evidenced = [r for r in rows.values() if r["status"] == EVIDENCED]
        assert len(evidenced) == checklist.evidenced
        for r in evidenced:
            for rel in r["evidence_path"].split("; "):
                assert (out / rel).is_file(), (key, r["item"], rel)
    consort = _rows(roots["reports"], "consort_2025")
    # 4 (dictionary), 21a (primary), 21b (flow, primary), 22a, 22b, 26 (primary)
    assert {i for i, r in consort.items() if r["status"] == EVIDENCED} == \
        {"4", "21a", "21b", "22a", "22b", "26"}
    assert consort["22a"]["evidence_path"] == ("../../figures/01_consort_flow.png; "
                                               "../tables/01_consort_flow.csv")
    page = (out / "checklists.html").read_text(encoding="utf-8")
    assert "6 of 42 items evidenced by this run" in page
    assert 'href="../../figures/01_consort_flow.png"' in page
    assert "SYNTHETIC DATA" in page


def test_no_synthetic_label_for_real_data_and_bytes_repeat(tmp_path):
    roots = _run(tmp_path, {"tables/02_table1.csv": "x\n"})
    _fill(roots, synthetic=False)
    out = roots["reports"] / "checklists"
    first = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert b"SYNTHETIC" not in first["checklists.html"]
    assert sorted(first) == ["checklists.html", *sorted(f"{k}.csv" for k in GUIDELINE_KEYS)]
    _fill(roots, synthetic=False)
    assert {p.name: p.read_bytes() for p in sorted(out.iterdir())} == first


def test_synthetic_read_from_the_manifest(tmp_path):
    roots = _run(tmp_path, {"reports/manifest.json":
                            '{"run": {"data": {"synthetic": true}}, "notebooks": {}}'})
    _fill(roots)
    page = (roots["reports"] / "checklists" / "checklists.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in page
    assert "run manifest" in _rows(roots["reports"], "consort_2025")["4"]["evidence"]
