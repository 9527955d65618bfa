"""A throwaway ``git clone`` of this checkout as it is now, for tests that look at ``git status``
after a command: the clone holds the committed tree plus any uncommitted edits of the working
tree (committed in the clone), so the tests see the code under test. Git runs without the user's
global or system configuration."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from wave_analysis.config import REPO_ROOT

# no global or system git configuration (a user's global nbstripout filter would change answers)
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.org"}


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=GIT_ENV, check=check)


def status(repo: Path, *extra: str) -> str:
    """``git status --porcelain`` (what ``git commit -a`` would pick up, and untracked files)."""
    return git(repo, "status", "--porcelain", *extra).stdout


def clone_checkout(target: Path) -> Path:
    """Clone REPO_ROOT into ``target`` at its HEAD, with the working tree's uncommitted edits
    (modified, new and deleted files that git does not ignore) committed on top."""
    if shutil.which("git") is None or not (REPO_ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of the project")
    head = git(REPO_ROOT, "rev-parse", "HEAD").stdout.strip()
    git(REPO_ROOT.parent, "clone", "--quiet", "--no-checkout", str(REPO_ROOT), str(target))
    git(target, "checkout", "--quiet", "-B", "under-test", head)
    listed = git(REPO_ROOT, "ls-files", "-z", "--modified", "--others", "--deleted",
                 "--exclude-standard").stdout
    for name in sorted(set(filter(None, listed.split("\0")))):
        source, copy = REPO_ROOT / name, target / name
        if source.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        else:
            copy.unlink(missing_ok=True)
    git(target, "add", "--all")
    if status(target):
        git(target, "commit", "--quiet", "--no-verify", "-m", "working tree under test")
    not_racy(target)
    assert status(target) == "", status(target)
    return target


def not_racy(repo: Path) -> None:
    """Date every file 10 s back and refresh the index, so git trusts the stat data instead of
    hashing every file again (through any filter configured later) on each command."""
    past = time.time() - 10
    for name in filter(None, git(repo, "ls-files", "-z").stdout.split("\0")):
        os.utime(repo / name, (past, past))
    git(repo, "update-index", "-q", "--really-refresh")
