"""The synthetic label is earned (data.provenance): only a folder whose every data file matches the
generator's sha256 record in dataset.json is synthetic; any edit, addition or removal makes it
real, with a reason naming the file; real data then gets no stamp and no participant-level output
in a shared folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from wave_analysis import cli, outputs  # noqa: E402
from wave_analysis.data import provenance as prov  # noqa: E402
from wave_analysis.data.load import load_qualitative, load_trial  # noqa: E402
from wave_analysis.data.provenance import SYNTHETIC_REASON, Provenance, provenance  # noqa: E402
from wave_analysis.data.study import load_study  # noqa: E402
from wave_analysis.exceptions import ArgumentError, DataFormatError, PrivacyError  # noqa: E402

REAL = ": the data is treated as real"


def _sha256sum(folder) -> str:
    """What `sha256sum` of every data file, sorted by path, then sha256 of that, gives."""
    files = sorted([p for p in folder.iterdir() if p.suffix == ".csv"]
                   + list((folder / "transcripts").iterdir()),
                   key=lambda p: p.relative_to(folder).as_posix())
    lines = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  "
                    f"{p.relative_to(folder).as_posix()}\n" for p in files)
    return hashlib.sha256(lines.encode()).hexdigest()


def _meta(folder) -> dict:
    return json.loads((folder / "dataset.json").read_text("utf-8"))


def _write_meta(folder, meta) -> None:
    (folder / "dataset.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


def test_the_bundled_folder_is_synthetic(synthetic_dir, trial, qual):
    p = provenance(synthetic_dir)
    assert p == Provenance(synthetic_dir, True, _sha256sum(synthetic_dir), SYNTHETIC_REASON)
    assert trial.synthetic is True and qual.synthetic is True
    # the record covers every table and every transcript the generator wrote, nothing else
    record = _meta(synthetic_dir)["files"]
    assert len(record) == 10 + len(qual.transcripts)
    assert "dataset.json" not in record and "README.md" not in record
    assert p.line() == f"{synthetic_dir}: synthetic data (verified): {SYNTHETIC_REASON}"


def test_a_byte_identical_copy_elsewhere_is_synthetic(synthetic_copy, synthetic_dir):
    p = provenance(str(synthetic_copy))
    assert p.synthetic and p.reason == SYNTHETIC_REASON
    assert p.digest == provenance(synthetic_dir).digest  # the digest identifies the data
    assert load_trial(synthetic_copy).synthetic is True


def _edit_cell(folder, editor):
    editor.set(folder / "participants.csv", 2, "age", "52")  # was 51


def _edit_transcript(folder, _):
    path = folder / "transcripts" / "SYN-I03.txt"
    path.write_text(path.read_text("utf-8") + "One more line.\n", encoding="utf-8")


def _add_table(folder, _):
    pd.DataFrame({"practice_id": ["SYN-P01"]}).to_csv(folder / "notes.tsv", sep="\t")


def _remove_transcript(folder, _):
    (folder / "transcripts" / "SYN-I15.txt").unlink()


def _delete_record(folder, _):
    (folder / "dataset.json").unlink()


def _record_without_hashes(folder, _):
    meta = _meta(folder)
    del meta["files"]  # what an older generator wrote, or a team's template
    _write_meta(folder, meta)


def _record_from_someone_else(folder, _):
    meta = _meta(folder)
    meta["generator"] = "my_team.export"
    _write_meta(folder, meta)


def _unreadable_record(folder, _):
    (folder / "dataset.json").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize(("change", "reason"), [
    (_edit_cell, "participants.csv differs from what the generator wrote" + REAL),
    (_edit_transcript, "transcripts/SYN-I03.txt differs from what the generator wrote" + REAL),
    (_add_table, "notes.tsv was added (it is not in the generator's record in dataset.json)"
     + REAL),
    (_remove_transcript, "transcripts/SYN-I15.txt is missing (the generator wrote it)" + REAL),
    (_delete_record, "no dataset.json: only the generator's output, with a hash of every file "
     "recorded in dataset.json, counts as synthetic"),
    (_record_without_hashes, "dataset.json records no file hashes (an old copy or a template?)"
     + REAL + "; `wave-analysis synth` writes the synthetic data with them"),
    (_record_from_someone_else, "dataset.json was not written by the synthetic generator (it "
     "needs \"generator\": \"wave_analysis.synthetic\" and \"synthetic\": true)" + REAL),
    (_unreadable_record, "dataset.json cannot be read (JSONDecodeError)" + REAL),
])
def test_any_change_makes_the_data_real_with_the_reason(synthetic_copy, csv_editor, change,
                                                        reason):
    before = provenance(synthetic_copy)
    change(synthetic_copy, csv_editor)
    after = provenance(synthetic_copy)
    assert after.synthetic is False
    assert after.reason == reason
    record_only = change in (_delete_record, _record_without_hashes, _record_from_someone_else,
                             _unreadable_record)
    assert (after.digest == before.digest) is record_only  # the data's identity: data files only
    assert after.line() == f"{synthetic_copy}: real data: {reason}"


def test_many_differences_are_counted_after_the_first_three(synthetic_copy):
    for name in ("SYN-I01.txt", "SYN-I02.txt", "SYN-I03.txt", "SYN-I04.txt", "SYN-I05.txt"):
        (synthetic_copy / "transcripts" / name).write_text("replaced\n", encoding="utf-8")
    reason = provenance(synthetic_copy).reason
    assert reason.startswith("transcripts/SYN-I01.txt differs from what the generator wrote; "
                             "transcripts/SYN-I02.txt differs")
    assert reason.endswith("; and 2 more files" + REAL)


def test_a_team_template_with_its_own_data_is_real(synthetic_copy, trial):
    # copy data/synthetic as a template and put the team's (here: re-exported) tables in it
    people = trial.participants.copy()
    (synthetic_copy / "participants.csv").unlink()
    people.to_parquet(synthetic_copy / "participants.parquet")
    p = provenance(synthetic_copy)
    assert not p.synthetic
    assert p.reason == ("participants.csv is missing (the generator wrote it); "
                        "participants.parquet was added (it is not in the generator's record in "
                        "dataset.json)" + REAL)


def test_a_same_size_edit_that_keeps_the_time_stamp_is_seen(synthetic_copy, monkeypatch):
    monkeypatch.setattr(prov, "_SETTLED_NS", -10**18)  # cache every hash, however fresh
    path = synthetic_copy / "practices.csv"
    stat = path.stat()
    assert provenance(synthetic_copy).synthetic
    text = path.read_text("utf-8")
    path.write_text(text.replace("West Midlands", "West Midlandz", 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    assert path.stat().st_size == stat.st_size
    assert provenance(synthetic_copy).reason == ("practices.csv differs from what the generator "
                                                 "wrote" + REAL)


def test_one_load_of_a_study_hashes_each_file_once(synthetic_copy, monkeypatch):
    monkeypatch.setattr(prov, "_SETTLED_NS", -10**18)
    monkeypatch.setattr(prov, "_HASHES", {})
    file_hashes = []

    def sha256(*content):  # a file is hashed in chunks (no argument); the digest in one call
        if not content:
            file_hashes.append(1)
        return hashlib.sha256(*content)

    monkeypatch.setattr(prov, "hashlib", SimpleNamespace(sha256=sha256))
    study = load_study(synthetic_copy)  # provenance, then load_trial and load_qualitative
    load_qualitative(synthetic_copy)
    assert study.synthetic and study.provenance.synthetic
    assert len(file_hashes) == len(_meta(synthetic_copy)["files"])


def test_bad_folder_arguments(tmp_path):
    with pytest.raises(DataFormatError, match="nowhere: no such folder; pass the folder holding "
                       "the export"):
        provenance(tmp_path / "nowhere")
    with pytest.raises(ArgumentError, match="folder must be a path"):
        provenance("")


# --- what real data means for outputs ---------------------------------------------------------

def _figure():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2])
    return fig


@pytest.mark.slow  # over half a second: make test, not make quick
def test_an_edited_copy_is_loaded_as_real_and_treated_as_real(synthetic_copy, csv_editor,
                                                              tmp_path, monkeypatch, capsys):
    shared = tmp_path / "shared"
    monkeypatch.setattr(outputs, "SHARED_FOLDERS", (shared,))
    _edit_transcript(synthetic_copy, csv_editor)
    trial = load_trial(synthetic_copy)
    assert trial.synthetic is False and load_qualitative(synthetic_copy).synthetic is False
    with pytest.raises(PrivacyError, match="cases shows individual participants"):
        outputs.save_figure(_figure(), "cases", folder=shared, synthetic=trial.synthetic,
                            participant_level=True)
    assert not shared.exists()

    study = load_study(synthetic_copy)
    assert study.describe() == f"{synthetic_copy} (real data)"
    out = outputs.Outputs.start(tmp_path / "real", tmp_path / "tables",
                                synthetic=study.synthetic, data=study.describe())
    note = capsys.readouterr().out
    assert note == f"> **Data**: `{synthetic_copy} (real data)`\n"  # no synthetic banner
    out.figure(_figure(), "counts", formats=("svg",))
    assert "SYNTHETIC DATA" not in (tmp_path / "real" / "counts.svg").read_text()
    written = out.figure(_figure(), "cases", participant_level=True)  # a team-only folder
    assert [p.name for p in written] == ["cases.png", "cases.svg"]
    into_shared = outputs.Outputs.start(shared, shared, synthetic=study.synthetic)
    assert into_shared.figure(_figure(), "cases", participant_level=True) == []
    assert not shared.exists()


def test_the_bundled_data_is_stamped_and_named(synthetic_dir, tmp_path, capsys):
    study = load_study(synthetic_dir, qualitative=False)
    out = outputs.Outputs.start(tmp_path, tmp_path, synthetic=study.synthetic,
                                data=study.describe())
    assert out.data == "data/synthetic (bundled synthetic data, verified)"
    assert capsys.readouterr().out == (outputs.BANNER + "\n>\n> **Data**: `data/synthetic "
                                       "(bundled synthetic data, verified)`\n")
    out.figure(_figure(), "counts", formats=("svg",))
    assert "SYNTHETIC DATA" in (tmp_path / "counts.svg").read_text()
    with pytest.raises(ArgumentError, match="data must be one line of text"):
        outputs.Outputs.start(tmp_path, tmp_path, synthetic=True, data=study)


def test_validate_prints_the_provenance_line(synthetic_copy, csv_editor, capsys):
    _edit_cell(synthetic_copy, csv_editor)
    assert cli.main(["validate", str(synthetic_copy)]) == 0
    assert capsys.readouterr().out == (
        f"{synthetic_copy}: real data: participants.csv differs from what the generator wrote"
        f"{REAL}\n{synthetic_copy}: all tables valid\n")


def test_files_that_are_not_data_do_not_count(tmp_path, synthetic_dir):
    moved = tmp_path / "moved"
    shutil.copytree(synthetic_dir, moved)
    (moved / "README.md").write_text("our notes\n", encoding="utf-8")
    (moved / "notes.md").write_text("more notes\n", encoding="utf-8")
    (moved / "old").mkdir()
    shutil.copy(moved / "sms.csv", moved / "old" / "sms.csv")
    assert provenance(moved).synthetic
    assert prov.data_files(moved).keys() == _meta(moved)["files"].keys()
