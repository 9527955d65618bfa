"""The artefacts of a run: the files of its figures and tables folders grouped by name, with the
metadata their sidecars (``.artefacts/<file>.json``, written by ``outputs``) record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wave_analysis._sidecars import sidecar_path
from wave_analysis.config import NOTEBOOKS_DIR
from wave_analysis.outputs import DISPLAY_SUFFIX

KINDS = ("figures", "tables")  # folder name -> artefact type figure / table


@dataclass(frozen=True)
class Artefact:
    """One named output: e.g. ``tables/01_recruitment_by_practice`` (its .csv and .md)."""

    kind: str                  # "figures" or "tables"
    name: str
    folder: Path
    files: tuple[Path, ...]
    sidecars: tuple[dict, ...]  # one per file that has one

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.name}"

    @property
    def participant_level(self) -> bool:
        return any(s.get("participant_level") for s in self.sidecars)

    @property
    def synthetic(self) -> bool:
        return bool(self.sidecars) and all(s.get("synthetic") for s in self.sidecars)

    @property
    def spec(self) -> dict | None:
        """The disclosure spec: the table file's when there is one, else the first given."""
        specs = [s["disclosure"] for s in sorted(self.sidecars, key=lambda s: s.get("kind") !=
                                                 "table") if s.get("disclosure")]
        return specs[0] if specs else None

    def analysis(self) -> dict:
        """The notebook that made it (by its number prefix) and the name it was saved under."""
        prefix = self.name.split("_", 1)[0]
        books = sorted(p.stem for p in NOTEBOOKS_DIR.glob(f"{prefix}_*.ipynb"))
        return {"notebook": books[0] if books else None, "name": self.name}


def _sidecar(file: Path) -> dict | None:
    path = sidecar_path(file)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"name": file.stem, "file": file.name, "disclosure": None,
                "participant_level": True, "broken_sidecar": True}  # unreadable: never shared


def _artefact_name(file: Path) -> str:
    """The name a file belongs to: its stem, or for a display table ``<name>.table.json`` the
    tidy table's name, so the formatted view is checked and shared with its table."""
    if file.name.endswith(DISPLAY_SUFFIX):
        return file.name[:-len(DISPLAY_SUFFIX)]
    return file.stem


def collect(folders: dict[str, Path]) -> list[Artefact]:
    """Every artefact of ``folders`` (kind -> folder), sorted by key; hidden files skipped."""
    found = []
    for kind in KINDS:
        folder = folders.get(kind)
        if folder is None or not folder.is_dir():
            continue
        groups: dict[str, list[Path]] = {}
        for file in sorted(p for p in folder.iterdir() if p.is_file()
                           and not p.name.startswith(".")):
            groups.setdefault(_artefact_name(file), []).append(file)
        for name, files in groups.items():
            sidecars = tuple(s for s in (_sidecar(f) for f in files) if s is not None)
            found.append(Artefact(kind, name, folder, tuple(files), sidecars))
    return sorted(found, key=lambda a: a.key)


def table_frame(artefact: Artefact, folders: dict[str, Path]) -> pd.DataFrame | None:
    """The data the rules check: a table's CSV, or the CSV of the table a figure draws."""
    if artefact.kind == "tables":
        path = artefact.folder / f"{artefact.name}.csv"
    else:
        spec = artefact.spec or {}
        table = spec.get("table")
        tables = folders.get("tables")
        if not table or tables is None:
            return None
        path = tables / f"{table}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=True)
