"""``reports/manifest.json``: the record of every notebook's last run (cache key and its parts,
status, duration, parameters, input and output hashes) and of the environment (Python, package
versions, library and environment hashes).

The runner reads it to decide what is cached and rewrites it, atomically, after every notebook,
so a killed run keeps what finished; the HTML site shows it.
"""

from __future__ import annotations

import json
import sys
from importlib import metadata
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import REPO_ROOT, resolve
from wave_analysis.runner.cache import Task

MANIFEST_NAME = "manifest.json"


def load_manifest(reports_dir: Path) -> dict:
    """The manifest in ``reports_dir``; an empty one when it is missing or unreadable."""
    path = Path(reports_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"notebooks": {}}
    ok = isinstance(data, dict) and isinstance(data.get("notebooks"), dict)
    return data if ok else {"notebooks": {}}


def write_manifest(reports_dir: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n"
    _atomic.write_text(Path(reports_dir) / MANIFEST_NAME, text)


def display_path(path: Path) -> str:
    """Paths in the manifest are relative to the repository root when inside it."""
    path = Path(path)
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def package_versions() -> dict[str, str]:
    return dict(sorted((d.metadata["Name"].lower(), d.version) for d in metadata.distributions()
                       if d.metadata["Name"]))


def header(*, library: str, environment: str) -> dict:
    """The manifest's record of the environment the run used."""
    return {"python": sys.version.split()[0], "packages": package_versions(),
            "library": library, "environment": environment}


def task_entry(task: Task, *, log: Path) -> dict:
    """What the manifest says of a notebook whatever the outcome of its run."""
    data_dir = display_path(resolve(task.parameters.get("data_dir", ".")))
    return {"notebook": display_path(task.path), "key": task.key, "key_parts": task.parts,
            "parameters": task.parameters, "depends_on": list(task.depends_on),
            "inputs": {f"{data_dir}/{k}": v for k, v in task.inputs.items()},
            "log": display_path(log)}


def failed_entry(entry: dict, previous: dict, result: dict, *, reason: str,
                 executed: Path) -> dict:
    """``entry`` for a failed run: the error, and the last good outputs and key kept on record
    (they are still in place)."""
    return {**entry, "status": "failed", "seconds": round(result["seconds"], 3),
            "reason": reason,
            "error": {"cell": result.get("cell"), "ename": result.get("ename", ""),
                      "evalue": result.get("evalue", ""), "message": result["error"]},
            "outputs": previous.get("outputs", {}), "executed": display_path(executed),
            "key": previous.get("key", ""), "key_parts": previous.get("key_parts", {}),
            "attempted_key": entry["key"]}
