"""The code base stays ruff-clean (rules and line length in pyproject.toml)."""

import shutil
import subprocess

import pytest

from wave_analysis.config import REPO_ROOT


def test_ruff_passes():
    ruff = shutil.which("ruff") or str(REPO_ROOT / ".venv" / "bin" / "ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff is not installed")
    out = subprocess.run([ruff, "check", "wave_analysis", "tests", "benchmarks", "scripts"],
                         cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
