"""Where a run writes: the canonical run into the tracked ``figures/`` and ``reports/``, any other
run into its own folder ``runs/NAME/``.

The canonical run is the bundled synthetic data (``config.SYNTHETIC_DIR``, verified synthetic by
the caller) with every parameter at its default and no ``--name``; ``--only`` reruns some of its
notebooks into the same places. Any other run (other data, any parameter override, a name, or
bundled data that is not verified synthetic) gets ``runs/NAME/``::

    runs/NAME/
      manifest.json          which data, parameters, hashes, durations
      team_only/             everything the notebooks write: participant-level outputs included
        figures/ tables/ notebooks/ logs/ site/   (site: every page says TEAM ONLY)
      shareable/             only what passed disclosure control
        figures/ tables/ site/
      disclosure/            results.json and summary.md of the disclosure checks

``plan_folders`` decides it; it is pure (no file is touched) and needs only ``config``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wave_analysis.config import (
    EXECUTED_DIR,
    FIGURES_DIR,
    REPO_ROOT,
    REPORTS_DIR,
    SYNTHETIC_DIR,
    TABLES_DIR,
    resolve,
)
from wave_analysis.exceptions import ArgumentError

RUNS_DIR = REPO_ROOT / "runs"
CANONICAL = "canonical"
RUN_FOLDER = "run folder"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True)
class RunFolders:
    """Every folder one run writes to (absolute paths)."""

    kind: str  # CANONICAL or RUN_FOLDER
    name: str  # "canonical", or the run folder's name
    why: str  # why the run is not canonical ("" when it is)
    root: Path  # the repository root (canonical) or runs/NAME
    figures: Path
    tables: Path
    reports: Path  # holds manifest.json (and the staging folder of running notebooks)
    notebooks: Path  # executed notebooks
    logs: Path
    site: Path  # the full HTML report (team-only in a run folder)
    disclosure: Path  # disclosure results: results.json, summary.md
    shareable: Path | None  # what passed disclosure control; None for the canonical run

    @property
    def canonical(self) -> bool:
        return self.kind == CANONICAL

    @property
    def manifest(self) -> Path:
        return self.reports / "manifest.json"

    @property
    def team_only(self) -> Path | None:
        return None if self.canonical else self.root / "team_only"

    @property
    def shareable_site(self) -> Path | None:
        return None if self.shareable is None else self.shareable / "site"

    def run_options(self) -> dict[str, Path]:
        """The folder arguments of ``execute.RunOptions``."""
        return {"figures_dir": self.figures, "tables_dir": self.tables,
                "reports_dir": self.reports, "output_dir": self.notebooks,
                "logs_dir": self.logs, "site_dir": self.site,
                "staging_dir": (self.reports if self.canonical else self.root / "team_only")
                / ".staging"}


def _canonical_folders() -> RunFolders:
    return RunFolders(CANONICAL, CANONICAL, "", REPO_ROOT, FIGURES_DIR, TABLES_DIR, REPORTS_DIR,
                      EXECUTED_DIR, REPORTS_DIR / "logs", REPORTS_DIR / "site",
                      REPORTS_DIR / "disclosure", None)


def run_folder(name: str, *, why: str = "") -> RunFolders:
    """The folders of ``runs/NAME/``."""
    root = RUNS_DIR / check_name(name)
    team = root / "team_only"
    return RunFolders(RUN_FOLDER, name, why, root, team / "figures", team / "tables", root,
                      team / "notebooks", team / "logs", team / "site", root / "disclosure",
                      root / "shareable")


def check_name(name: str) -> str:
    """A run folder's name: letters, digits, '.', '_', '-' (at most 64, not starting with a dot)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ArgumentError(f"--name {name!r}: a run name is one folder name under runs/ (up to "
                            "64 letters, digits, '.', '_' or '-', starting with a letter or "
                            "digit), e.g. --name export-2024-05")
    return name


def derived_name(data_dir: Path | str, overrides: Mapping[str, object],
                 only: Sequence[str]) -> str:
    """``<data folder name>-<8 hex digits>``: the digits hash the data path, the parameter
    values and ``--only``, so the same run gets the same folder and another run another one."""
    data = resolve(data_dir)
    slug = re.sub(r"[^a-z0-9._-]+", "-", data.name.lower()).strip("-.") or "data"
    key = json.dumps({"data": str(data), "overrides": dict(overrides),
                      "only": sorted(only)}, sort_keys=True, default=repr)
    return f"{slug[:40]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _why_not_canonical(data_dir: Path | str, overrides: Mapping[str, object], name: str | None,
                       synthetic: bool) -> str:
    if name:
        return f"--name {name}"
    if resolve(data_dir) != SYNTHETIC_DIR.resolve():
        return "the data is not the bundled synthetic data"
    if overrides:
        return "parameters differ from the defaults (" + ", ".join(sorted(overrides)) + ")"
    if not synthetic:
        return "the bundled data is not verified synthetic"
    return ""


def plan_folders(data_dir: Path | str, overrides: Mapping[str, object], name: str | None,
                 only: Sequence[str] = (), *, synthetic: bool = True) -> RunFolders:
    """Where a run writes. ``synthetic``: whether the data is verified synthetic (the caller
    checks provenance; the runner does not read data). The canonical run is the bundled data,
    verified synthetic, no overrides and no ``name``; anything else gets ``runs/NAME/`` (``name``,
    or one derived from the data folder, the overrides and ``only``)."""
    if name is not None:
        check_name(name)
    why = _why_not_canonical(data_dir, overrides, name, synthetic)
    if not why:
        return _canonical_folders()
    return run_folder(name or derived_name(data_dir, overrides, only), why=why)
