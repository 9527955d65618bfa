"""Tests for the phrase banks (wave_analysis.synthetic.banks): packaged, loaded and checked."""

from __future__ import annotations

import re
import shutil
import tomllib
from dataclasses import fields
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from wave_analysis.config import REPO_ROOT
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import ConfigError, WaveError
from wave_analysis.synthetic import banks as bk
from wave_analysis.synthetic.interviews import persona

PACKAGED = resources.files("wave_analysis.synthetic") / "banks"


def test_packaged_banks_load_and_hold_every_field():
    banks = bk.load_banks()
    assert [f.name for f in fields(bk.Banks)] == [k for keys in bk.SPEC.values() for k in keys]
    assert sorted(p.name for p in PACKAGED.iterdir() if p.name.endswith(".yaml")) \
        == sorted(bk.SPEC)
    assert len(banks.codes) == 52 and len(banks.leaves) == 31
    assert set(banks.passages) == set(banks.leaves) == set(banks.code_questions)
    assert bk.load_banks() is banks  # read once


def test_pyproject_ships_the_banks_as_package_data():
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["wave_analysis.synthetic"]
    for name in bk.SPEC:
        assert any(re.fullmatch(p.replace(".", r"\.").replace("*", "[^/]*"), f"banks/{name}")
                   for p in patterns), name


def test_every_persona_fills_the_slots_its_group_may_use():
    banks, rng = bk.load_banks(), np.random.default_rng(0)
    patient = pd.Series({"condition_group": "other", "sex": "male", "returned_to_work": False,
                         "age": 52})
    for group in STAKEHOLDER_GROUPS:
        slots = persona(banks, group, patient if group == "patient" else None, rng)
        assert set(bk.COMMON_SLOTS) | set(bk.SLOTS[group]) <= set(slots), group
        assert all(isinstance(slots[k], str) for k in (*bk.COMMON_SLOTS, *bk.SLOTS[group]))


def test_template_regex_matches_any_filling_and_nothing_else():
    pattern = re.compile(bk.template_regex("{Vs} rang {mgr} (twice)."))
    assert pattern.fullmatch("She rang my line manager (twice).")
    assert not pattern.fullmatch("She rang my line manager twice.")


# --- a broken bank in a temporary copy fails at load time, naming file, key and problem -------

@pytest.fixture()
def copy(tmp_path):
    folder = tmp_path / "banks"
    shutil.copytree(PACKAGED, folder)
    return folder


def _edit(folder, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")


def _set(*keys, value):
    def change(data):
        for key in keys[:-1]:
            data = data[key]
        data[keys[-1]] = value
    return change


BROKEN = [
    ("passages.yaml", _set("passages", "T1.1.1", "patient", 0, value=5),
     "phrase bank passages.yaml: passages/T1.1.1/patient/0: must be a non-empty string; got 5"),
    ("passages.yaml", _set("passages", "T1.1.1", "vsw", 0, value="I told {mgr} so."),
     r"passages/T1.1.1/vsw/0: uses the slot \{mgr\}, which is not filled for the vsw group"),
    ("passages.yaml", _set("passages", "T1.1.1", "patient", 0, value="Half a {slot."),
     r"passages/T1.1.1/patient/0: has unbalanced braces"),
    ("passages.yaml", _set("passages", "T1.1.1", "nurse", value=["Hello."]),
     r"passages/T1.1.1: unknown key 'nurse'; use one of patient, returned"),
    ("passages.yaml", lambda d: d["passages"].pop("T6.3.2"),
     r"passages.yaml: passages: missing 'T6.3.2' \(every one of a leaf code"),
    ("passages.yaml", _set("bridges", 0, "to", value="T9.9.9"),
     r"passages.yaml: bridges/0/to: 'T9.9.9' is not a leaf code of codebook.yaml"),
    ("codebook.yaml", _set("codes", 1, "id", value="T7.1"),
     r"codebook.yaml: codes/1/id: 'T7.1' must be a new dotted id"),
    ("mention.yaml", _set("rates", "T1.1.1", "gp", value=1.5),
     r"mention.yaml: rates/T1.1.1/gp: must be a number from 0.0 to 1.0; got 1.5"),
    ("mention.yaml", _set("patient_factors", "still_off", "T5.2.1", value=2.0),
     r"patient_factors/still_off/T5.2.1: is not a code with a patient rate"),
    ("questions.yaml", _set("guide", "gp", value=["T1", "T2"]),
     r"questions.yaml: guide/gp: must list every theme once"),
    ("questions.yaml", lambda d: d.pop("probes"),
     r"questions.yaml: top level: missing key 'probes'"),
    ("stories.yaml", _set("stories", "vsw", 0, "draw", value=0),
     r"stories.yaml: stories/vsw/0/draw: must be a whole number of at least 1; got 0"),
    ("stories.yaml", _set("stories", "vsw", 0, "sentences", value={"gp": ["Busy."]}),
     r"stories/vsw/0/sentences/gp: is not a speaker of the vsw group"),
    ("personas.yaml", _set("modes", "telephone", value=0.5),
     r"personas.yaml: modes: probabilities must add up to 1; got 0.8"),
]


@pytest.mark.slow  # over half a second: make test, not make quick
@pytest.mark.parametrize(("name", "change", "message"), BROKEN,
                         ids=[m[:40] for _, _, m in BROKEN])
def test_a_broken_bank_raises_a_clear_config_error(copy, name, change, message):
    bk.load_banks(copy)  # the unchanged copy loads
    _edit(copy, name, change)
    with pytest.raises(ConfigError, match=message):
        bk.load_banks(copy)


def test_unreadable_and_invalid_files_are_named(copy):
    (copy / "dialogue.yaml").write_text("intro: [unclosed\n", "utf-8")
    with pytest.raises(ConfigError, match="bank dialogue.yaml: top level: is not valid YAML"):
        bk.load_banks(copy)
    (copy / "dialogue.yaml").unlink()
    with pytest.raises(ConfigError, match="phrase bank dialogue.yaml: top level: cannot be read"):
        bk.load_banks(copy)
    (copy / "dialogue.yaml").write_text("- a list\n", "utf-8")
    with pytest.raises(ConfigError, match="must be a mapping with the keys intro, intro_reply"):
        bk.load_banks(copy)


def test_config_error_is_a_wave_error():
    assert issubclass(ConfigError, WaveError)
