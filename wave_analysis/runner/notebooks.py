"""The notebook collection as files: which notebooks there are, their cells, the ``parameters``
cell and the notebooks each one depends on.

Notebooks are read as plain JSON, not with nbformat: importing nbformat costs more than a whole
cached run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from wave_analysis.config import NOTEBOOKS_DIR
from wave_analysis.exceptions import ArgumentError, ParameterError

# Notebooks that read another notebook's outputs (e.g. reports/tables/*): name -> upstream names.
# A notebook may also declare them itself in metadata {"wave_analysis": {"depends_on": [...]}}.
DEPENDS_ON: dict[str, tuple[str, ...]] = {}


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The ``*.ipynb`` files of ``folder`` (hidden ones skipped), sorted by name."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def read_notebook(path: Path) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_sources(nb: dict) -> list[str]:
    """The source of every code cell, in order."""
    return [cell_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def parameters_source(nb: dict, path: Path) -> str:
    """The source of the one code cell tagged ``parameters``."""
    tagged = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"
              and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ParameterError(f"{path}: needs exactly one code cell tagged 'parameters' "
                             f"(found {len(tagged)})")
    return cell_source(tagged[0])


def notebook_dependencies(path: Path) -> tuple[str, ...]:
    """Names of the notebooks whose outputs ``path`` reads (``DEPENDS_ON`` and its metadata)."""
    nb = read_notebook(path)
    meta = nb.get("metadata", {}).get("wave_analysis", {}).get("depends_on", [])
    return tuple(dict.fromkeys([*DEPENDS_ON.get(Path(path).stem, ()), *meta]))


def select(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    """The notebooks named (by full name or prefix) in ``only``; all of them when it is empty."""
    if not only:
        return list(notebooks)

    def match(nb: Path, name: str) -> bool:
        return nb.stem == name or nb.stem.startswith(name)

    missing = [o for o in only if not any(match(nb, o) for nb in notebooks)]
    if missing:
        names = ", ".join(nb.stem for nb in notebooks)
        raise ArgumentError(f"no notebook named {', '.join(missing)}; choose from {names}")
    return [nb for nb in notebooks if any(match(nb, o) for o in only)]
