"""Atomic writes: a temporary file (or folder) beside the target, then ``os.replace``.

A failed or killed run therefore never leaves a half-written file over a good one. This is the
project's only implementation of it: files go through ``write_with``, folders through
``replace_folder``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_with(path: Path | str, write: Callable[[str], object]) -> Path:
    """Call ``write(tmp_path)`` to fill a temporary file beside ``path``, then move it into place
    (readable by all, as a normal file would be). On any error the temporary file is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes owner-only files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    return write_with(path, lambda tmp: Path(tmp).write_bytes(data))


def write_text(path: Path | str, text: str) -> Path:
    """UTF-8, newlines written as given."""
    return write_bytes(path, text.encode("utf-8"))


def replace_folder(folder: Path | str, fill: Callable[[Path], object]) -> Path:
    """Build a new ``folder``: ``fill(staging)`` writes into a fresh folder beside it, which is
    swapped in only when ``fill`` returns. On any error the old folder stays as it was."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    staging.chmod(0o755)
    try:
        fill(staging)
        old = folder.with_name(f".{folder.name}.old")
        if folder.exists():
            if old.exists():
                shutil.rmtree(old)
            os.replace(folder, old)
        os.replace(staging, folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
