"""The fake project every runner test starts from: one notebook, one data file, and a library
and lock file of its own (so edits elsewhere in the checkout change no cache key)."""

from __future__ import annotations

import pytest
from fake_notebooks import WRITE, make_nb

from wave_analysis.runner import cache


@pytest.fixture()
def project(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "mod.py").write_text("x = 1\n")
    (tmp_path / "lock.txt").write_text("pandas==2.3.0\n")
    monkeypatch.setattr(cache, "LIBRARY_DIR", tmp_path / "lib")
    monkeypatch.setattr(cache, "LOCK_FILE", tmp_path / "lock.txt")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "value.txt").write_text("2")
    make_nb(tmp_path / "nbs", "10_alpha", WRITE.format(name="10_alpha"))
    return tmp_path
