"""Tests of integration.inferences: the meta-inference YAML file."""

from __future__ import annotations

import pytest

from wave_analysis.config import REPO_ROOT
from wave_analysis.exceptions import ConfigError
from wave_analysis.integration.inferences import INFERENCES, read_inferences


def write(tmp_path, text):
    path = tmp_path / "inferences.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_inferences_valid(tmp_path):
    path = write(tmp_path, "T1:\n  inference: confirms\n  note: fits\n  finding: rtwse_change\n"
                           "T2: expands\n")
    got = read_inferences(path, theme_ids=["T1", "T2", "T3"])
    assert got["T1"] == {"inference": "confirms", "note": "fits", "finding": "rtwse_change"}
    assert got["T2"]["inference"] == "expands" and got["T2"]["finding"] is None
    assert read_inferences("") == {}


@pytest.mark.parametrize(("text", "match"), [
    ("T9:\n  inference: confirms\n", r"inferences\.yaml: theme 'T9' is not a theme"),
    ("T1:\n  inference: agrees\n", r"inferences\.yaml: theme 'T1': inference must be one of "
                                   r"confirms, expands, diverges; got 'agrees'"),
    ("T1:\n  inference: confirms\n  finding: mood\n", r"theme 'T1': finding must be one of"),
    ("T1:\n  inference: confirms\n  colour: red\n", r"theme 'T1' has unknown field\(s\) colour"),
    ("- T1\n", r"inferences\.yaml: must be a mapping"),
    ("T1: [confirms\n", r"inferences\.yaml: not valid YAML"),
])
def test_read_inferences_errors_name_file_and_key(tmp_path, text, match):
    with pytest.raises(ConfigError, match=match):
        read_inferences(write(tmp_path, text), theme_ids=["T1", "T2", "T3"])


def test_read_inferences_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"inferences file .*nope\.yaml not found"):
        read_inferences(tmp_path / "nope.yaml")


def test_bundled_inferences_file_is_valid():
    got = read_inferences(REPO_ROOT / "data" / "joint_display_inferences.yaml",
                             theme_ids=[f"T{i}" for i in range(1, 7)])
    assert set(got) <= {f"T{i}" for i in range(1, 7)}
    assert {v["inference"] for v in got.values()} <= set(INFERENCES)
