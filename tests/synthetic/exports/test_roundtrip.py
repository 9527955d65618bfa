"""Round trip: each committed synthetic rendering, imported with its shipped mapping, gives back
the bundled cohort: every table equal after the project's loader, the transcripts unchanged, and
for text sources (REDCap, Castor) the same CSV rows byte for byte. Row order is the export's
(REDCap writes the 6-week event before the 6-month one), so rows are compared sorted. SPSS and
Excel cells arrive as numbers, and the engine writes a whole float as ``1`` where the bundled CSV
has ``1.0``: the same value once loaded, so those renderings are compared after the loader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from wave_analysis.config import REPO_ROOT
from wave_analysis.data.imports import import_export
from wave_analysis.data.load import load_qualitative, load_trial
from wave_analysis.data.provenance import TRANSCRIPTS
from wave_analysis.data.schema import ALL_TABLES, QUALITATIVE_TABLES, TRIAL_TABLES

EXPORTS = REPO_ROOT / "data" / "exports"
MAPPINGS = REPO_ROOT / "wave_analysis" / "data" / "imports" / "mappings"


# A label export names events by their labels ("Baseline (Arm 1: Arm 1)"; the rendering's
# arms.csv and events.csv give them): a user's label mapping tells the engine which is which.
# Repeating instruments ("SMS", "VSW contact") the engine matches to form names by itself.
EVENT_LABELS = {"Baseline (Arm 1: Arm 1)": "baseline_arm_1",
                "6-week follow-up (Arm 1: Arm 1)": "followup_6w_arm_1",
                "6-month follow-up (Arm 1: Arm 1)": "followup_6m_arm_1",
                "Withdrawal (Arm 1: Arm 1)": "withdrawal_arm_1"}


def _labels_mapping(tmp_path: Path) -> Path:
    """The shipped REDCap mapping switched to a label export: ``values: labels`` and the event
    labels named."""
    mapping = yaml.safe_load((MAPPINGS / "redcap_wave.yaml").read_text("utf-8"))
    mapping["sources"]["redcap"].update(values="labels", events=EVENT_LABELS)
    path = tmp_path / "redcap_labels.yaml"
    path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    return path


def _stata_mapping(tmp_path: Path) -> Path:
    """The shipped REDCap mapping pointed at REDCap's Stata bundle: the header-less data and the
    .do file (column names and value labels) instead of records and dictionary."""
    mapping = yaml.safe_load((MAPPINGS / "redcap_wave.yaml").read_text("utf-8"))
    source = mapping["sources"]["redcap"]
    del source["dictionary"]
    source.update(records="WAVE_SYNTHETIC_DATA_NOHDRS.csv", syntax="WAVE_SYNTHETIC_STATA.do")
    path = tmp_path / "redcap_stata.yaml"
    path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    return path


CASES = {
    "redcap_raw": lambda tmp: "redcap_wave",
    "redcap_labels": _labels_mapping,
    "redcap_stata": _stata_mapping,
    "castor": lambda tmp: "castor_wave",
    "spreadsheet": lambda tmp: "spreadsheet_wave",
}
TEXT_SOURCES = ("redcap_raw", "redcap_labels", "redcap_stata", "castor")


def _rows(path: Path) -> tuple[str, list[str]]:
    header, *rows = path.read_text("utf-8").splitlines()
    return header, sorted(rows)


def _frames(folder: Path) -> dict[str, pd.DataFrame]:
    trial, qual = load_trial(folder), load_qualitative(folder)
    frames = {name: getattr(trial, name) for name in TRIAL_TABLES}
    frames.update({name: getattr(qual, name) for name in QUALITATIVE_TABLES})
    return {name: frame.sort_values(list(frame.columns)).reset_index(drop=True)
            for name, frame in frames.items()}


@pytest.fixture(scope="module")
def bundled(synthetic_dir):
    return _frames(synthetic_dir)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Import a rendering once per module: name -> output folder."""
    done: dict[str, Path] = {}

    def run(name: str) -> Path:
        if name not in done:
            tmp = tmp_path_factory.mktemp(name)
            import_export(EXPORTS / name, CASES[name](tmp), tmp / "imported")
            done[name] = tmp / "imported"
        return done[name]
    return run


@pytest.mark.slow  # over half a second: make test, not make quick
@pytest.mark.parametrize("name", sorted(CASES))
def test_import_gives_back_the_bundled_tables_after_the_loader(imported, bundled, synthetic_dir,
                                                                name):
    out = imported(name)
    got = _frames(out)
    for table, frame in bundled.items():
        pd.testing.assert_frame_equal(got[table], frame, obj=table)
    for text in sorted((synthetic_dir / TRANSCRIPTS).iterdir()):
        assert (out / TRANSCRIPTS / text.name).read_bytes() == text.read_bytes()


@pytest.mark.parametrize("name", TEXT_SOURCES)
def test_text_sources_give_back_the_bundled_csv_rows(imported, synthetic_dir, name):
    out = imported(name)
    for table in ALL_TABLES:
        header, rows = _rows(out / f"{table}.csv")
        want_header, want_rows = _rows(synthetic_dir / f"{table}.csv")
        assert header == want_header, table
        missing = sorted(set(want_rows) - set(rows))[:3]
        extra = sorted(set(rows) - set(want_rows))[:3]
        assert rows == want_rows, f"{table}: missing {missing}, unexpected {extra}"
