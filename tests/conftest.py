"""Shared fixtures: the bundled synthetic export and the shared third-party fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wave_analysis.config import REPO_ROOT, SYNTHETIC_DIR

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


@pytest.fixture(scope="session")
def synthetic_dir() -> Path:
    if not (SYNTHETIC_DIR / "participants.csv").is_file():
        pytest.fail("data/synthetic is missing; run `wave-analysis synth`")
    return SYNTHETIC_DIR


@pytest.fixture(scope="session")
def trial(synthetic_dir):
    from wave_analysis.data import load as io

    return io.load_trial(synthetic_dir)


@pytest.fixture(scope="session")
def qual(synthetic_dir):
    from wave_analysis.data import load as io

    return io.load_qualitative(synthetic_dir)


@pytest.fixture()
def synthetic_copy(tmp_path, synthetic_dir) -> Path:
    """A writable copy of the synthetic export for tests that break it."""
    target = tmp_path / "export"
    shutil.copytree(synthetic_dir, target)
    return target


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
