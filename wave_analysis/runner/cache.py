"""Cache keys: a notebook is executed again only when one part of its key changes.

The key hashes its code cells (markdown edits do not count), its parameter values, the bytes of
every file in its ``data_dir``, the library's files, the locked dependency set and Python version,
and the keys of the notebooks it depends on. ``plan`` computes every key before any kernel starts
and puts the notebooks in dependency order; ``cache_miss_reason`` says which part changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis.config import LOCK_FILE, resolve
from wave_analysis.exceptions import ConfigError, ParameterError
from wave_analysis.runner.notebooks import code_sources, notebook_dependencies, read_notebook
from wave_analysis.runner.parameters import coerce, declared_parameters

# The wave_analysis package: every file in it (not only *.py: package data too) is in the key.
LIBRARY_DIR = Path(__file__).resolve().parents[1]


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest(obj) -> str:
    """sha256 of a JSON-able object, independent of key order."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def hash_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (hidden files and folders skipped), by relative
    path; a single file is hashed under its own name."""
    folder = Path(folder)
    if folder.is_file():
        return {folder.name: file_hash(folder)}
    out = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(root) / name
                out[path.relative_to(folder).as_posix()] = file_hash(path)
    return out


def library_hash(folder: Path | None = None) -> str:
    """One hash of the library's files (byte-code caches left out)."""
    folder = Path(folder or LIBRARY_DIR)
    files = {name: sha for name, sha in hash_folder(folder).items()
             if "__pycache__" not in name.split("/") and not name.endswith(".pyc")}
    return digest(files)


def environment_hash(lock: Path | None = None) -> str:
    """One hash of the locked dependency set and the Python version."""
    lock = Path(lock or LOCK_FILE)
    locked = file_hash(lock) if lock.is_file() else "no-lock-file"
    return digest({"lock": locked, "python": sys.version})


def code_hash(nb: dict) -> str:
    """Only code cells count: markdown edits never trigger a rerun."""
    return digest(code_sources(nb))


# ----------------------------------------------------------------------------- plan


@dataclass
class Task:
    """One notebook to run (or to take from the cache), with its key."""

    name: str
    path: Path
    parameters: dict  # the public values (final output folders)
    depends_on: tuple[str, ...]
    inputs: dict[str, str]  # data file -> sha256
    parts: dict[str, str] = field(default_factory=dict)  # cache key components
    key: str = ""


def _topological(tasks: dict[str, Task]) -> list[str]:
    order, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ConfigError(f"notebook dependencies form a cycle: {' -> '.join(trail)}")
        state[name] = "visiting"
        for dep in tasks[name].depends_on:
            visit(dep, [*trail, dep])
        state[name] = "done"
        order.append(name)

    for name in tasks:
        visit(name, [name])
    return order


def _with_upstream(notebooks: Sequence[Path], everything: Sequence[Path]) -> dict[str, Path]:
    """``notebooks`` and, transitively, the notebooks they depend on."""
    by_name = {nb.stem: nb for nb in everything}
    wanted, queue = {}, list(notebooks)
    while queue:
        nb = queue.pop()
        if nb.stem in wanted:
            continue
        wanted[nb.stem] = nb
        for dep in notebook_dependencies(nb):
            if dep not in by_name:
                raise ConfigError(f"{nb.name} depends on {dep!r}, which is not a notebook "
                                  f"in {nb.parent}")
            queue.append(by_name[dep])
    return wanted


def _values(path: Path, common: Mapping[str, object],
            overrides: Mapping[str, object]) -> dict:
    """Parameter values: declared defaults, then the runner's folders, then the overrides."""
    declared = declared_parameters(path)
    values = {k: p.default for k, p in declared.items()}
    values.update({k: v for k, v in common.items() if k in declared})
    values.update({k: coerce(v, declared[k].type) for k, v in overrides.items()
                   if k in declared})
    return values


def _inputs(name: str, values: dict, data_hashes: dict[Path, dict]) -> dict[str, str]:
    """Hashes of the files in the notebook's ``data_dir`` (each folder hashed once per plan)."""
    data = values.get("data_dir")
    if data is None:
        return {}
    folder = resolve(data)
    if not folder.exists():
        raise ParameterError(f"{name}: data_dir {folder} does not exist; pass --data "
                             "with the folder of the trial export")
    if folder not in data_hashes:
        data_hashes[folder] = hash_folder(folder)
    return data_hashes[folder]


def plan(notebooks: Sequence[Path], *, common: Mapping[str, object],
         overrides: Mapping[str, object], everything: Sequence[Path]) -> dict[str, Task]:
    """Cache keys and checked parameters for ``notebooks`` (plus, transitively, the notebooks
    they depend on, taken from ``everything``), in dependency order."""
    wanted = _with_upstream(notebooks, everything)
    shared = {"library": library_hash(), "environment": environment_hash()}
    tasks, data_hashes = {}, {}
    for name in sorted(wanted):
        path = wanted[name]
        values = _values(path, common, overrides)
        inputs = _inputs(name, values, data_hashes)
        task = Task(name, path, values, notebook_dependencies(path), inputs)
        task.parts = {"code": code_hash(read_notebook(path)), "parameters": digest(values),
                      "inputs": digest(inputs), **shared}
        tasks[name] = task
    ordered = {name: tasks[name] for name in _topological(tasks)}
    for task in ordered.values():
        task.parts["upstream"] = digest({d: ordered[d].key for d in task.depends_on})
        task.key = digest(task.parts)
    return ordered


# ----------------------------------------------------------------------------- validity


def _outputs_intact(entry: dict) -> bool:
    for name, sha in entry.get("outputs", {}).items():
        path = resolve(name)
        if not path.is_file() or file_hash(path) != sha:
            return False
    return True


def cache_miss_reason(task: Task, entry: dict | None, executed: Path) -> str:
    """Empty when the cached result (manifest ``entry``, executed copy ``executed``) is usable,
    else which part of the key changed."""
    if not entry or entry.get("status") not in ("executed", "cached"):
        return "not run before" if not entry else f"last run {entry.get('status')}"
    if entry.get("key") != task.key:
        old = entry.get("key_parts", {})
        changed = [k for k, v in task.parts.items() if old.get(k) != v]
        return ", ".join(changed or ["key"]) + " changed"
    if not executed.is_file():
        return "executed notebook missing"
    if not _outputs_intact(entry):
        return "outputs missing or changed"
    return ""
