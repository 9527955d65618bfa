"""Notebooks saved from JupyterLab after a run (outputs, execution counts, timings, kernel
details) never show as a change once ``make`` has set up the nbstripout git filter that
``.gitattributes`` names; a real edit still does. Checked in a throwaway clone, with the filter
configured by the Makefile's own ``git-filter`` target."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkout import GIT_ENV, clone_checkout, git, not_racy, status

from wave_analysis.config import REPO_ROOT

BIN = Path(sys.executable).parent
NOTEBOOK = "notebooks/03_days_absent.ipynb"


def save_as_jupyterlab_does(path: Path) -> None:
    """Outputs, execution counts, cell timings and the kernel's language_info, written the way
    JupyterLab writes a notebook (indent 1, sorted keys)."""
    nb = json.loads(path.read_text("utf-8"))
    nb["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
        "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3", "version": "3.11.2"}
    count = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["0.95\n"]},
                               {"data": {"text/plain": ["<Figure>"]}, "execution_count": count,
                                "metadata": {}, "output_type": "execute_result"}]
            cell["metadata"]["execution"] = {"iopub.execute_input": "2024-05-01T10:00:00.1Z",
                                             "shell.execute_reply": "2024-05-01T10:00:01.2Z"}
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if shutil.which("make") is None or not (BIN / "nbstripout").is_file():
        pytest.skip("needs make and nbstripout in the environment (make setup installs it)")
    return clone_checkout(tmp_path_factory.mktemp("filter") / "clone")


def test_gitattributes_names_the_filter_for_every_notebook():
    lines = (REPO_ROOT / ".gitattributes").read_text().splitlines()
    assert "*.ipynb filter=nbstripout" in lines and "*.ipynb diff=ipynb" in lines


def test_without_the_filter_a_saved_notebook_shows_as_a_change(clone):
    save_as_jupyterlab_does(clone / NOTEBOOK)
    try:
        assert status(clone) == f" M {NOTEBOOK}\n"
        assert git(clone, "diff", "--exit-code", "--quiet", check=False).returncode == 1
        git(clone, "add", "--all")
        assert status(clone) == f"M  {NOTEBOOK}\n", "git add stages the outputs"
    finally:
        git(clone, "reset", "--quiet", "--hard")
        not_racy(clone)


@pytest.mark.slow  # each git command that reads a changed notebook runs nbstripout (~1 s)
def test_with_the_filter_make_sets_up_outputs_never_show_as_a_change(clone):
    subprocess.run(["make", "--no-print-directory", "-C", str(clone), "git-filter",
                    f"BIN={BIN}"], check=True, capture_output=True, env=GIT_ENV)
    clean = git(clone, "config", "filter.nbstripout.clean").stdout
    assert "nbstripout" in clean and "--keep-id" in clean
    assert status(clone) == ""
    save_as_jupyterlab_does(clone / NOTEBOOK)
    assert '"execution_count": 1' in (clone / NOTEBOOK).read_text()  # outputs stay in the file
    assert git(clone, "diff", "--exit-code").returncode == 0
    # git status compares file sizes before it runs a filter, so it lists the notebook until
    # the index is refreshed; `git add` (or `commit -a`) then stages nothing
    git(clone, "add", "--all")
    assert git(clone, "diff", "--cached", "--exit-code").returncode == 0
    assert status(clone) == ""
    # a real edit still shows, without the outputs
    nb = json.loads((clone / NOTEBOOK).read_text())
    nb["cells"][0]["source"] = ["# Days absent, revised\n"]
    (clone / NOTEBOOK).write_text(json.dumps(nb, indent=1, sort_keys=True) + "\n")
    diff = git(clone, "diff").stdout
    assert "Days absent, revised" in diff and "execution_count\": 1" not in diff
