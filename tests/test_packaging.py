"""Packaging: pyproject and environment.yml agree; the console command and module entry work."""

import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from wave_analysis.config import REPO_ROOT


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(_normalise(r) for r in reqs)


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    return dict(_normalise(d) for d in deps if not d.startswith(("python=", "pip")))


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    conda, pip = _conda_requirements(), _pyproject_requirements()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml but not environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml but not pyproject.toml"
    different = {k: (pip[k], conda[k]) for k in pip if pip[k] != conda[k]}
    assert different == {}, "version specifiers differ (pyproject, environment.yml)"


def test_environment_python_matches_requires_python():
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert "python=3.11" in env["dependencies"]
    assert data["project"]["requires-python"].startswith(">=3.11")


@pytest.mark.slow
def test_console_script_is_declared_and_module_entry_runs():
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert data["project"]["scripts"]["wave-analysis"] == "wave_analysis.cli:main"
    out = subprocess.run([sys.executable, "-m", "wave_analysis", "--help"], capture_output=True,
                         text=True, check=False)
    assert out.returncode == 0
    for command in ("validate", "synth", "run", "dictionary", "list"):
        assert command in out.stdout


def test_ci_runs_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert "make test" in (REPO_ROOT / ".ci" / "run").read_text()
