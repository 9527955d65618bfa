"""The bundled synthetic cohort reproduces the published numbers and regenerates byte for byte.

Targets are read from data/published_targets.yaml (which cites the sources), not typed here.
"""

from __future__ import annotations

import filecmp
import subprocess
import sys

import numpy as np
import pytest
import yaml

from wave_analysis.config import PUBLISHED_TARGETS
from wave_analysis.synthetic import trial as synthetic
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
    assert arms["usual_care"] == c["randomised_usual_care"]["value"]
    assert arms["vocational_support"] == c["randomised_vocational_support"]["value"]
    derived = outcomes.days_absent(trial)
    assert derived["days_absent"].notna().sum() == c["with_primary_outcome"]["value"]
    randomised = trial.screening["participant_id"].dropna()
    assert set(randomised) == set(trial.participants["participant_id"])


def test_days_absent_mean_and_sd_per_arm_within_1_percent(trial, targets):
    t = targets["days_absent_6m"]
    stats = outcomes.days_absent(trial).groupby("arm")["days_absent"].agg(["mean", "std"])
    for arm in ("usual_care", "vocational_support"):
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
    per = trial.vsw_contacts.groupby("participant_id").size()
    assert per.mean() == pytest.approx(t["mean"], abs=t["mean_tolerance_absolute"])
    assert (per.min(), per.max()) == (t["min"], t["max"])
    arms = trial.participants.set_index("participant_id")["arm"]
    assert (arms[per.index] == "vocational_support").all()


def test_productivity_loss_within_2_percent(trial, targets):
    t = targets["productivity_loss_6m_gbp"]
    q = trial.questionnaires
    q6 = q[q["timepoint"] == "6m"].merge(trial.participants[["participant_id", "arm"]])
    stats = q6.groupby("arm")["productivity_loss_gbp"].agg(["mean", "std"])
    for arm in ("usual_care", "vocational_support"):
        assert stats.loc[arm, "mean"] == pytest.approx(t[arm]["mean"], rel=t["tolerance_relative"])
        assert stats.loc[arm, "std"] == pytest.approx(t[arm]["sd"], rel=t["tolerance_relative"])


def test_qualitative_sample(qual, trial, targets):
    t = targets["qualitative"]
    groups = qual.interviews["stakeholder_group"].value_counts()
    assert len(qual.interviews) == t["interviews"]["value"]
    for group in ("patient", "employer", "vsw", "gp"):
        assert groups[group] == t[group]["value"]
    patients = qual.interviews.loc[qual.interviews["stakeholder_group"] == "patient"]
    arms = trial.participants.set_index("participant_id")["arm"]
    assert (arms[patients["participant_id"]] == "vocational_support").all()
    coded_by_second = qual.codings.loc[qual.codings["coder"] != "coder_1", "interview_id"]
    assert coded_by_second.nunique() >= t["second_coder_min_transcripts"]
    assert qual.codings.loc[qual.codings["coder"] == "coder_1", "interview_id"].nunique() == 15


def test_everything_is_labelled_synthetic(synthetic_dir, trial, qual):
    assert trial.participants["participant_id"].str.startswith("SYN-").all()
    assert trial.practices["practice_name"].str.startswith("Synthetic").all()
    assert all(text.startswith("[SYNTHETIC TRANSCRIPT") for text in qual.transcripts.values())
    assert "SYNTHETIC" in (synthetic_dir / "README.md").read_text()


def test_generator_is_deterministic_and_seed_dependent():
    a, b = synthetic.make_trial(7), synthetic.make_trial(7)
    assert a.sms.equals(b.sms) and a.participants.equals(b.participants)
    c = synthetic.make_trial(8)
    assert not np.array_equal(a.participants["age"], c.participants["age"])


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
