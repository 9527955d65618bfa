"""Artefact sidecars: every file ``outputs`` writes gets its metadata (name, kind, title,
caption, synthetic, participant_level, disclosure spec) in ``<folder>/.artefacts/<file>.json``.
One definition of where that lives and how it is read, for the layers that read it back
(disclosure, the site, the Word report)."""

from __future__ import annotations

import json
from pathlib import Path

ARTEFACTS = ".artefacts"  # hidden folder of sidecars beside the files they describe


def sidecar_path(file: Path | str) -> Path:
    """Where the metadata of ``file`` lives: ``<folder>/.artefacts/<file name>.json``."""
    file = Path(file)
    return file.parent / ARTEFACTS / f"{file.name}.json"


def read_sidecar(file: Path | str) -> dict | None:
    """The metadata of ``file``; None when it has no sidecar or the sidecar cannot be read."""
    try:
        record = json.loads(sidecar_path(file).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def title_from_name(stem: str) -> str:
    """A title for an artefact whose sidecar has none: ``03_forest_irr`` -> ``Forest irr``."""
    words = stem.split("_")
    words = words[1:] if len(words) > 1 and words[0].isdigit() else words
    text = " ".join(words).strip() or stem
    return text[:1].upper() + text[1:]
