"""All-or-nothing outputs: a notebook writes its figures and tables into a staging folder under
``reports/.staging/NAME``; only when the whole notebook succeeds are they moved into their real
folders (each file atomically), so a failed or killed notebook leaves earlier outputs untouched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import resolve
from wave_analysis.runner.cache import Task, file_hash
from wave_analysis.runner.manifest import display_path
from wave_analysis.runner.parameters import OUTPUT_PARAMETERS, PATH_PARAMETERS


@dataclass
class Staged:
    """A notebook's staging area: what its kernel is given and where its outputs go."""

    root: Path
    parameters: dict  # for the kernel: absolute paths, output folders pointed at staging
    folders: dict[Path, Path] = field(default_factory=dict)  # staged folder -> final folder
    seeded: dict[Path, str] = field(default_factory=dict)  # copied-in upstream file -> sha256


def move(src: Path, dst: Path) -> None:
    """Move into place atomically: a rename, or (across filesystems) an atomic copy."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError:  # another filesystem
        _atomic.write_with(dst, lambda tmp: shutil.copyfile(src, tmp))
        Path(src).unlink()


def prepare(task: Task, root: Path, upstream_outputs: dict[str, dict]) -> Staged:
    """A fresh staging folder for ``task``. Files that upstream notebooks wrote into the same
    output folders are copied in (``upstream_outputs``: notebook -> its manifest outputs), so a
    notebook may read them from its own output folder."""
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    staged = Staged(root, dict(task.parameters))
    params = staged.parameters
    for name in PATH_PARAMETERS:
        if name in params:
            params[name] = str(resolve(params[name]))
    for name in OUTPUT_PARAMETERS:
        if name in params:
            stage = root / name
            stage.mkdir()
            staged.folders[stage] = resolve(params[name])
            params[name] = str(stage)
    for dep in task.depends_on:
        for out in upstream_outputs.get(dep, {}):
            src = resolve(out)
            for stage, final in staged.folders.items():
                if src.parent == final and src.is_file():
                    shutil.copyfile(src, stage / src.name)
                    staged.seeded[stage / src.name] = file_hash(src)
    return staged


def promote(staged: Staged, previous: dict[str, str]) -> dict[str, str]:
    """Move the staged outputs into their folders; drop files this notebook wrote last time
    (``previous``: its manifest outputs) and no longer writes. Returns output path -> sha256."""
    outputs = {}
    for stage, final in staged.folders.items():
        for path in sorted(p for p in stage.rglob("*") if p.is_file()):
            sha = file_hash(path)
            if staged.seeded.get(path) == sha:
                continue  # an upstream file we copied in, unchanged
            target = final / path.relative_to(stage)
            move(path, target)
            outputs[display_path(target)] = sha
    for old in previous:
        if old not in outputs:
            resolve(old).unlink(missing_ok=True)
    return dict(sorted(outputs.items()))


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.root, ignore_errors=True)
    with contextlib.suppress(OSError):  # the shared .staging/ too, once no notebook uses it
        staged.root.parent.rmdir()
