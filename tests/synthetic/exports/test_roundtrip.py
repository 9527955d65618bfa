"""Round trip: each committed synthetic rendering, imported with its shipped mapping, gives back
the bundled cohort's tables: the same header and the same rows, byte for byte (row order is the
export's, e.g. REDCap writes the 6-week event before the 6-month one, so rows are compared as
sorted lines), and the transcripts unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from wave_analysis.config import REPO_ROOT
from wave_analysis.data.imports import import_export
from wave_analysis.data.provenance import TRANSCRIPTS
from wave_analysis.data.schema import ALL_TABLES

EXPORTS = REPO_ROOT / "data" / "exports"
MAPPINGS = REPO_ROOT / "wave_analysis" / "data" / "imports" / "mappings"


def _labels_mapping(tmp_path: Path) -> Path:
    """The shipped REDCap mapping switched to a label export, as its comment tells a user to."""
    mapping = yaml.safe_load((MAPPINGS / "redcap_wave.yaml").read_text("utf-8"))
    mapping["sources"]["redcap"]["values"] = "labels"
    path = tmp_path / "redcap_labels.yaml"
    path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
    return path


CASES = {
    "redcap_raw": lambda tmp: "redcap_wave",
    "redcap_labels": _labels_mapping,
    "castor": lambda tmp: "castor_wave",
}


def _rows(path: Path) -> tuple[str, list[str]]:
    header, *rows = path.read_text("utf-8").splitlines()
    return header, sorted(rows)


@pytest.mark.parametrize("name", sorted(CASES))
def test_import_gives_back_the_bundled_tables(tmp_path, synthetic_dir, name):
    out = tmp_path / "imported"
    import_export(EXPORTS / name, CASES[name](tmp_path), out)
    for table in ALL_TABLES:
        header, rows = _rows(out / f"{table}.csv")
        want_header, want_rows = _rows(synthetic_dir / f"{table}.csv")
        assert header == want_header, table
        missing = sorted(set(want_rows) - set(rows))[:3]
        extra = sorted(set(rows) - set(want_rows))[:3]
        assert rows == want_rows, f"{table}: missing {missing}, unexpected {extra}"
    for text in sorted((synthetic_dir / TRANSCRIPTS).iterdir()):
        assert (out / TRANSCRIPTS / text.name).read_bytes() == text.read_bytes()
