"""The bundled synthetic cohort reproduces the published numbers and regenerates byte for byte
(wave_analysis.synthetic.trial, .dataset, .seeds).

Targets are read from data/published_targets.yaml (which cites the sources), not typed here.
"""

from __future__ import annotations

import dataclasses
import filecmp
import json
import subprocess
import sys

import numpy as np
import pytest
import yaml

from wave_analysis.config import PUBLISHED_TARGETS
from wave_analysis.design import ARMS, CONTROL_ARM, INTERVENTION_ARM, STAKEHOLDER_GROUPS
from wave_analysis.exceptions import ArgumentError, ConfigError
from wave_analysis.synthetic import trial as synthetic
from wave_analysis.synthetic.seeds import stream
from wave_analysis.trial import effects, outcomes


@pytest.fixture(scope="module")
def targets():
    return yaml.safe_load(PUBLISHED_TARGETS.read_text("utf-8"))


def test_counts(trial, targets):
    c = targets["counts"]
    assert trial.practices["practice_id"].nunique() == c["practices"]["value"]
    assert len(trial.screening) == c["invitations"]["value"]
    arms = trial.participants["arm"].value_counts()
    assert len(trial.participants) == c["randomised"]["value"]
    for arm in ARMS:
        assert arms[arm] == c[f"randomised_{arm}"]["value"]
    derived = outcomes.days_absent(trial)
    assert derived["days_absent"].notna().sum() == c["with_primary_outcome"]["value"]
    randomised = trial.screening["participant_id"].dropna()
    assert set(randomised) == set(trial.participants["participant_id"])


def test_days_absent_mean_and_sd_per_arm_within_1_percent(trial, targets):
    t = targets["days_absent_6m"]
    stats = outcomes.days_absent(trial).groupby("arm")["days_absent"].agg(["mean", "std"])
    for arm in ARMS:
        for key, col in (("mean", "mean"), ("sd", "std")):
            assert stats.loc[arm, col] == pytest.approx(t[arm][key], rel=t["tolerance_relative"])


def test_primary_adjusted_irr_reproduces_published(trial, targets):
    t = targets["primary_irr"]
    irr = effects.primary(trial, ci_level=t["ci_level"])
    tol = t["tolerance_absolute"]
    assert irr.estimate == pytest.approx(t["estimate"], abs=tol)
    assert irr.ci_low == pytest.approx(t["ci_low"], abs=tol)
    assert irr.ci_high == pytest.approx(t["ci_high"], abs=tol)


def test_vsw_contacts(trial, targets):
    t = targets["vsw_contacts"]
    counts = outcomes.vsw_contact_counts(trial)
    per = counts[counts > 0]
    assert per.mean() == pytest.approx(t["mean"], abs=t["mean_tolerance_absolute"])
    assert (per.min(), per.max()) == (t["min"], t["max"])
    arms = trial.participants.set_index("participant_id")["arm"]
    assert (arms[per.index] == INTERVENTION_ARM).all()
    assert outcomes.received_intervention(trial).sum() == synthetic.N_CONTACTED


def test_productivity_loss_within_2_percent(trial, targets):
    t = targets["productivity_loss_6m_gbp"]
    q = trial.questionnaires
    q6 = q[q["timepoint"] == "6m"].merge(trial.participants[["participant_id", "arm"]])
    stats = q6.groupby("arm")["productivity_loss_gbp"].agg(["mean", "std"])
    for arm in ARMS:
        assert stats.loc[arm, "mean"] == pytest.approx(t[arm]["mean"], rel=t["tolerance_relative"])
        assert stats.loc[arm, "std"] == pytest.approx(t[arm]["sd"], rel=t["tolerance_relative"])


def test_qualitative_sample(qual, trial, targets):
    t = targets["qualitative"]
    groups = qual.interviews["stakeholder_group"].value_counts()
    assert len(qual.interviews) == t["interviews"]["value"]
    for group in STAKEHOLDER_GROUPS:
        assert groups[group] == t[group]["value"]
    patients = qual.interviews.loc[qual.interviews["stakeholder_group"] == "patient"]
    arms = trial.participants.set_index("participant_id")["arm"]
    assert (arms[patients["participant_id"]] == INTERVENTION_ARM).all()
    coded_by_second = qual.codings.loc[qual.codings["coder"] != "coder_1", "interview_id"]
    assert coded_by_second.nunique() >= t["second_coder_min_transcripts"]
    assert qual.codings.loc[qual.codings["coder"] == "coder_1", "interview_id"].nunique() == 15


def test_everything_is_labelled_synthetic(synthetic_dir, trial, qual):
    assert trial.participants["participant_id"].str.startswith("SYN-").all()
    assert trial.practices["practice_name"].str.startswith("Synthetic").all()
    assert all(text.startswith("[SYNTHETIC TRANSCRIPT") for text in qual.transcripts.values())
    assert "SYNTHETIC" in (synthetic_dir / "README.md").read_text()


def _synth(out, seed: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wave_analysis", "synth", "--seed", str(seed),
                             "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_processes_write_the_same_bytes_and_another_seed_differs(tmp_path):
    runs = {name: (tmp_path / name, _synth(tmp_path / name, seed))
            for name, seed in (("a", 7), ("b", 7), ("c", 8))}
    for _, run in runs.values():
        assert run.wait(timeout=300) == 0, run.stderr.read().decode()
    a, b, c = (_files(out) for out, _ in runs.values())
    assert a == b
    assert a.keys() == c.keys()
    assert all(a[name] != c[name] for name in ("participants.csv", "sms.csv", "codings.csv",
                                               "transcripts/SYN-I01.txt"))
    assert json.loads(a["dataset.json"])["seed"] == 7


def test_dataset_json_records_the_parameters_used(synthetic_dir):
    meta = json.loads((synthetic_dir / "dataset.json").read_text("utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == 2022
    assert meta["calibration"] == {"beta": synthetic.BETA, "delta": synthetic.DELTA}
    as_json = json.loads(json.dumps(dataclasses.asdict(synthetic.read_targets())))
    assert meta["targets"] == as_json
    assert meta["targets_file"] == "data/published_targets.yaml"
    assert meta["choices"]["no_outcome"] == {CONTROL_ARM: 3, INTERVENTION_ARM: 2}


def test_trial_and_interviews_draw_from_independent_child_streams():
    draws = {name: np.random.default_rng(stream(7, name)).random(4)
             for name in ("trial", "interviews")}
    assert not np.allclose(draws["trial"], draws["interviews"])
    assert not np.allclose(draws["trial"], np.random.default_rng(7).random(4))
    assert stream(7, "trial").entropy == 7  # children of SeedSequence(7)
    assert stream(7, "trial").spawn_key == (0,) and stream(7, "interviews").spawn_key == (1,)
    with pytest.raises(ArgumentError, match="name must be one of trial, interviews; got 'qual'"):
        stream(7, "qual")
    with pytest.raises(ArgumentError, match="seed must be a whole number of at least 0; got -1"):
        stream(-1, "trial")


def test_interviewees_return_to_work_status_is_the_outcomes_definition(trial, qual):
    returned = outcomes.return_times(trial, definition="first").set_index("participant_id")
    patients = qual.interviews[qual.interviews["stakeholder_group"] == "patient"]
    statuses = set()
    for row in patients.itertuples():
        text = qual.transcripts[row.interview_id].lower()
        back = any(m in text for m in ("i've been back for a few months", "weeks off in the end",
                                       "back on my normal hours now"))
        off = any(m in text for m in ("still off at the moment", "couple of false starts",
                                      "fit note runs out", "hoping to go back soon"))
        assert (back, off) == (bool(returned.loc[row.participant_id, "event"]),
                               not returned.loc[row.participant_id, "event"]), row.interview_id
        statuses.add(back)
    assert statuses == {True, False}  # the sample covers both


# --- the targets file -------------------------------------------------------------------------

def _targets_copy(tmp_path, change) -> object:
    data = yaml.safe_load(PUBLISHED_TARGETS.read_text("utf-8"))
    change(data)
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    return path


def test_targets_are_read_from_the_yaml(targets):
    t = synthetic.read_targets()
    assert t.invitations == targets["counts"]["invitations"]["value"]
    assert t.days_absent[INTERVENTION_ARM] == (targets["days_absent_6m"][INTERVENTION_ARM]["mean"],
                                               targets["days_absent_6m"][INTERVENTION_ARM]["sd"])
    assert sum(t.no_outcome.values()) == (targets["counts"]["randomised"]["value"]
                                          - targets["counts"]["with_primary_outcome"]["value"])


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["vsw_contacts"].pop("mean"), r"targets.yaml: missing vsw_contacts/mean"),
    (lambda d: d["counts"]["invitations"].update(value="many"),
     r"counts/invitations/value must be a number of at least 0; got 'many'"),
    (lambda d: d["counts"]["randomised"].update(value=131),
     r"counts/randomised is not the sum of the randomised per arm"),
])
def test_a_broken_targets_file_raises_config_error(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        synthetic.read_targets(_targets_copy(tmp_path, change))


def test_unreadable_targets_file(tmp_path):
    (tmp_path / "t.yaml").write_text("counts: [", "utf-8")
    with pytest.raises(ConfigError, match="t.yaml: cannot be read as YAML"):
        synthetic.read_targets(tmp_path / "t.yaml")


@pytest.mark.slow
def test_synth_command_reproduces_the_bundled_data_byte_for_byte(tmp_path, synthetic_dir):
    out = tmp_path / "synthetic"
    run = subprocess.run([sys.executable, "-m", "wave_analysis", "synth", "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    cmp = filecmp.dircmp(synthetic_dir, out)
    files = sorted(p.relative_to(synthetic_dir) for p in synthetic_dir.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    for rel in files:
        assert (synthetic_dir / rel).read_bytes() == (out / rel).read_bytes(), (
            f"{rel} differs: run `wave-analysis synth` and commit data/synthetic")
    assert not cmp.left_only and not cmp.right_only
