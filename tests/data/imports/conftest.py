"""Fixtures: the small WAVE-shaped REDCap export of ``redcap_fixture``, raw and as labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from redcap_fixture import as_labels, raw_records, write_export


@pytest.fixture()
def redcap_raw(tmp_path) -> Path:
    return write_export(tmp_path / "redcap_raw", raw_records())


@pytest.fixture()
def redcap_labels(tmp_path) -> Path:
    return write_export(tmp_path / "redcap_labels", as_labels(raw_records()))
