"""The manifest records what every notebook's last run used and produced."""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

import pytest
from fake_notebooks import manifest, run, sha

from wave_analysis.config import REPO_ROOT
from wave_analysis.runner.manifest import (
    MANIFEST_NAME,
    display_path,
    failed_entry,
    load_manifest,
    write_manifest,
)


@pytest.mark.slow  # over half a second: make test, not make quick
def test_manifest_records_keys_hashes_parameters_and_versions(project):
    run(project, overrides={"label": "b"})
    entry = manifest(project)["10_alpha"]
    assert entry["status"] == "executed" and len(entry["key"]) == 64 and entry["seconds"] > 0
    assert set(entry["key_parts"]) == {"code", "parameters", "inputs", "library",
                                       "environment", "upstream"}
    assert entry["parameters"]["label"] == "b" and entry["parameters"]["scale"] == 1.0
    data_file = project / "data" / "value.txt"
    assert entry["inputs"] == {data_file.as_posix(): sha(data_file)}
    figure, table = project / "figures" / "10_alpha.png", project / "tables" / "10_alpha.csv"
    executed = project / "reports" / "notebooks" / "10_alpha.ipynb"
    assert entry["outputs"] == {p.as_posix(): sha(p) for p in (figure, table, executed)}
    whole = json.loads((project / "reports" / "manifest.json").read_text())
    assert whole["python"] == sys.version.split()[0]
    assert whole["packages"]["papermill"] == metadata.version("papermill")
    log = (project / "reports" / "logs" / "10_alpha.log").read_text()
    assert "[10_alpha] ok" in log


@pytest.mark.parametrize("text", [None, "", "{not json", "[1, 2]", '{"notebooks": [1]}'])
def test_a_missing_or_unreadable_manifest_reads_as_empty(tmp_path, text):
    if text is not None:
        (tmp_path / MANIFEST_NAME).write_text(text)
    assert load_manifest(tmp_path) == {"notebooks": {}}


def test_manifest_is_written_whole_and_read_back(tmp_path):
    data = {"notebooks": {"10_a": {"status": "executed", "outputs": {"f.png": "ab"}}},
            "python": "3.11", "when": Path("x")}
    write_manifest(tmp_path / "reports", data)
    assert load_manifest(tmp_path / "reports") == {**data, "when": "x"}
    assert [p.name for p in (tmp_path / "reports").iterdir()] == [MANIFEST_NAME], "no temp file"


def test_paths_inside_the_checkout_are_recorded_relative_to_it(tmp_path):
    assert display_path(REPO_ROOT / "figures" / "a.png") == "figures/a.png"
    assert display_path(tmp_path / "a.png") == (tmp_path / "a.png").as_posix()


def test_a_failed_run_keeps_the_last_good_outputs_and_key_on_record():
    entry = {"notebook": "nbs/10_a.ipynb", "key": "new", "key_parts": {"code": "new"}}
    previous = {"key": "old", "key_parts": {"code": "old"}, "outputs": {"f.png": "ab"}}
    result = {"seconds": 1.23456, "error": "cell 3: ValueError: bad", "cell": 3,
              "ename": "ValueError", "evalue": "bad"}
    out = failed_entry(entry, previous, result, reason="code changed",
                       executed=Path("/x/10_a.failed.ipynb"))
    assert out["status"] == "failed" and out["seconds"] == 1.235
    assert (out["key"], out["attempted_key"], out["key_parts"]) == ("old", "new",
                                                                    {"code": "old"})
    assert out["outputs"] == {"f.png": "ab"} and out["executed"] == "/x/10_a.failed.ipynb"
    assert out["error"] == {"cell": 3, "ename": "ValueError", "evalue": "bad",
                            "message": "cell 3: ValueError: bad"}
