"""One-call study loading (data.study): trial and qualitative tables, or a .qdpx with its mapping,
the synthetic flag of the parts, the import summary and contradictory arguments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from wave_analysis.config import REPO_ROOT
from wave_analysis.data.provenance import provenance
from wave_analysis.data.qdpx import write_qdpx
from wave_analysis.data.study import DEFAULT_MAPPING, Study, load_study
from wave_analysis.exceptions import ArgumentError, ConfigError, QdpxError, ValidationError


@pytest.fixture(scope="module")
def synthetic_qdpx(tmp_path_factory, qual) -> Path:
    """The synthetic corpus written as a .qdpx, with its case variables removed so groups must
    come from a mapping (as in a project coded without them)."""
    stripped = type(qual)(qual.interviews.assign(stakeholder_group=None, participant_id=None),
                          qual.codebook, qual.codings, qual.transcripts)
    return write_qdpx(stripped, tmp_path_factory.mktemp("qdpx") / "synthetic.qdpx")


def test_tables_from_the_synthetic_folder(synthetic_dir, trial, qual):
    study = load_study(synthetic_dir)
    pdt.assert_frame_equal(study.trial.participants, trial.participants)
    pdt.assert_frame_equal(study.qual.codings, qual.codings)
    assert study.qdpx_report is None and study.import_summary() == ""
    assert study.synthetic
    # a relative path is relative to the repository root, whatever the working directory
    relative = synthetic_dir.relative_to(REPO_ROOT)
    assert load_study(str(relative), trial=False).qual.source == synthetic_dir


def test_only_the_parts_asked_for(synthetic_dir):
    trial_only = load_study(synthetic_dir, qualitative=False)
    assert trial_only.qual is None and trial_only.trial is not None
    qual_only = load_study(str(synthetic_dir), trial=False, qdpx_file="", qdpx_mapping="")
    assert qual_only.trial is None and qual_only.qual.synthetic


def test_qualitative_tables_are_checked_against_trial_ids(synthetic_copy):
    # drop a patient interviewee from the trial tables: the interview's id is then unknown
    people = pd.read_csv(synthetic_copy / "participants.csv", dtype=str)
    interviews = pd.read_csv(synthetic_copy / "interviews.csv", dtype=str)
    pid = interviews["participant_id"].dropna().iloc[0]
    for name in ("sms", "questionnaires", "vsw_contacts", "withdrawals", "screening"):
        frame = pd.read_csv(synthetic_copy / f"{name}.csv", dtype=str, keep_default_na=False)
        if "participant_id" in frame:
            frame = frame[frame["participant_id"] != pid]
        frame.to_csv(synthetic_copy / f"{name}.csv", index=False)
    people[people["participant_id"] != pid].to_csv(synthetic_copy / "participants.csv",
                                                   index=False)
    with pytest.raises(ValidationError, match=f"'{pid}' unknown id \\(not in participants\\)"):
        load_study(synthetic_copy)


def test_qdpx_with_the_default_mapping(synthetic_dir, synthetic_qdpx, qual):
    study = load_study(synthetic_dir, qdpx_file=synthetic_qdpx, trial=False)
    assert set(study.qual.interviews["stakeholder_group"]) == {"patient"}
    assert len(study.qual.codings) == len(qual.codings)
    assert study.qdpx_report.mapping_sources == {i: "mapping default"
                                                 for i in qual.interviews["interview_id"]}
    assert not study.synthetic  # an import is never "synthetic"
    summary = study.import_summary()
    assert summary.startswith("Imported `synthetic.qdpx`:\n\n```\nsynthetic.qdpx: 15 sources")
    assert f"| mapping default | {len(qual.interviews)} |" in summary
    assert DEFAULT_MAPPING == {"*": "patient"}


@pytest.mark.slow  # over half a second: make test, not make quick
def test_qdpx_with_a_mapping_file_and_the_trial(synthetic_dir, synthetic_qdpx, qual, tmp_path):
    iv = qual.interviews
    mapping = tmp_path / "mapping.csv"
    rows = iv.assign(source=iv["interview_id"])[["source", "stakeholder_group",
                                                 "participant_id"]]
    rows.iloc[1:].to_csv(mapping, index=False)  # the first source is left out
    with pytest.raises(QdpxError, match=f"1 source\\(s\\) have no stakeholder group: "
                       f"'{iv['interview_id'].iloc[0]}'"):
        load_study(synthetic_dir, qdpx_file=synthetic_qdpx, qdpx_mapping=mapping)
    rows.to_csv(mapping, index=False)
    study = load_study(synthetic_dir, qdpx_file=str(synthetic_qdpx), qdpx_mapping=str(mapping))
    pdt.assert_series_equal(study.qual.interviews["stakeholder_group"],
                            iv["stakeholder_group"], check_dtype=False)
    assert study.trial.synthetic and not study.synthetic  # mixed counts as real
    assert "| mapping | 15 |" in study.import_summary()
    mapping.write_text("name,group\n")
    with pytest.raises(ConfigError, match="mapping needs columns source, stakeholder_group"):
        load_study(synthetic_dir, qdpx_file=synthetic_qdpx, qdpx_mapping=mapping)


def test_contradictory_or_missing_arguments(synthetic_dir, synthetic_qdpx):
    with pytest.raises(ArgumentError, match="trial must be True when qualitative is False; got "
                       "False \\(nothing would be loaded\\)"):
        load_study(synthetic_dir, trial=False, qualitative=False)
    with pytest.raises(ArgumentError, match="qdpx_file must be '' when qualitative is False"):
        load_study(synthetic_dir, qdpx_file=synthetic_qdpx, qualitative=False)
    with pytest.raises(ArgumentError, match="qdpx_mapping must be '' when no qdpx_file is given"):
        load_study(synthetic_dir, qdpx_mapping="mapping.csv")
    with pytest.raises(ArgumentError, match="data_dir must be an export folder"):
        load_study("", qdpx_file=synthetic_qdpx)  # the trial still needs the folder
    assert load_study("", qdpx_file=synthetic_qdpx, trial=False).trial is None
    with pytest.raises(ArgumentError, match="qdpx_file must be a path \\(str or Path\\)"):
        load_study(synthetic_dir, qdpx_file=3)
    with pytest.raises(ArgumentError, match="trial must be True or False; got 'yes'"):
        load_study(synthetic_dir, trial="yes")


def test_study_synthetic_needs_every_part(trial, qual):
    assert Study(trial, qual).synthetic
    assert not Study(None, None).synthetic
    real = type(qual)(qual.interviews, qual.codebook, qual.codings, qual.transcripts)
    assert not Study(trial, real).synthetic


@pytest.mark.slow  # over half a second: make test, not make quick
def test_provenance_is_kept_and_describe_says_which_data(synthetic_dir, synthetic_copy,
                                                         synthetic_qdpx, trial, qual):
    study = load_study(synthetic_dir)
    assert study.provenance == provenance(synthetic_dir)
    assert study.describe() == "data/synthetic (bundled synthetic data, verified)"
    assert load_study(synthetic_copy, qualitative=False).describe() == \
        f"{synthetic_copy} (synthetic data, verified)"
    (synthetic_copy / "dataset.json").unlink()
    real = load_study(synthetic_copy)
    assert not real.synthetic and not real.provenance.synthetic
    assert real.describe() == f"{synthetic_copy} (real data)"
    mixed = load_study(synthetic_dir, qdpx_file=synthetic_qdpx)
    assert mixed.describe() == ("data/synthetic (bundled synthetic data, verified) with "
                                "interviews from synthetic.qdpx (a .qdpx import: real data)")
    imported = load_study("", qdpx_file=synthetic_qdpx, trial=False)
    assert imported.provenance is None
    assert imported.describe() == "interviews from synthetic.qdpx (a .qdpx import: real data)"
    assert Study(trial, qual).describe() == "data given in memory (synthetic data, not verified)"
    assert Study(None, None).describe() == "data given in memory (real data)"
