"""The reporting guidelines as versioned data: ``data/<key>.yaml`` holds one guideline (name,
version, citation, items), ``data/artefacts.yaml`` the run outputs an item can point to.

Items are paraphrased in our own words, never the checklists' wording: a report is checked
against the official checklist, and these files only say which output of a run evidences what.
Loading validates the data, so a typo in a file fails with its name, item and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from wave_analysis.exceptions import ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
GUIDELINE_KEYS = ("consort_2025", "consort_pilot_2016", "gramms_2008", "coreq_2007")
ROOTS = ("figures", "tables", "reports", "notebooks", "repository")
_GUIDELINE_FIELDS = ("guideline", "key", "version", "citation", "items")
_ITEM_FIELDS = ("id", "number", "section", "topic", "paraphrase", "evidence")


@dataclass(frozen=True)
class Artefact:
    """One output of a run: ``path`` inside the folder named by ``root`` (see ``ROOTS``)."""

    key: str
    root: str
    path: str
    what: str


@dataclass(frozen=True)
class Item:
    """One checklist entry (a numbered item or a lettered sub-item, e.g. 12a)."""

    id: str
    number: int
    section: str
    topic: str
    paraphrase: str
    evidence: tuple[str, ...]  # artefact keys; empty: for the authors to complete
    citation: str
    version: str


@dataclass(frozen=True)
class Guideline:
    key: str  # file stem and CSV name, e.g. consort_2025
    name: str
    version: str
    citation: str
    items: tuple[Item, ...]

    @property
    def numbered_items(self) -> int:
        """Distinct item numbers (CONSORT 2025 has 30 numbered items, 42 entries with 1a, 1b...)."""
        return len({item.number for item in self.items})


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the checklist data ({err})") from err
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top; got {type(data).__name__}")
    return data


def load_artefacts(path: Path | None = None) -> dict[str, Artefact]:
    """The artefact registry (``data/artefacts.yaml`` unless ``path``)."""
    path = Path(path) if path else DATA_DIR / "artefacts.yaml"
    out = {}
    for key, entry in (_read(path).get("artefacts") or {}).items():
        if (not isinstance(entry, dict) or entry.get("root") not in ROOTS
                or not entry.get("path") or set(entry) - {"root", "path", "what"}):
            raise ConfigError(f"{path}: artefact {key!r} has a root (one of "
                              f"{', '.join(ROOTS)}), a path and a description (what), nothing "
                              f"else; got {entry!r}")
        out[key] = Artefact(key, entry["root"], str(entry["path"]), str(entry.get("what", key)))
    return out


def _item(path: Path, raw: object, head: dict, artefacts: dict[str, Artefact]) -> Item:
    missing = [f for f in _ITEM_FIELDS if not isinstance(raw, dict) or f not in raw]
    extra = sorted(set(raw) - set(_ITEM_FIELDS)) if isinstance(raw, dict) else []
    if missing or extra:  # an extra key is usually an unquoted comma in a flow mapping
        raise ConfigError(f"{path}: item {raw!r}: every item has exactly "
                          f"{', '.join(_ITEM_FIELDS)}; missing {missing}, unexpected {extra} "
                          "(quote text that holds a comma or a colon)")
    unknown = [k for k in raw["evidence"] or () if k not in artefacts]
    if unknown:
        raise ConfigError(f"{path}: item {raw['id']}: evidence {', '.join(unknown)} is not in "
                          "artefacts.yaml; add it there or fix the key")
    if not str(raw["paraphrase"]).strip():
        raise ConfigError(f"{path}: item {raw['id']}: the paraphrase is empty")
    return Item(id=str(raw["id"]), number=int(raw["number"]), section=str(raw["section"]),
                topic=str(raw["topic"]), paraphrase=" ".join(str(raw["paraphrase"]).split()),
                evidence=tuple(raw["evidence"] or ()), citation=" ".join(head["citation"].split()),
                version=str(head["version"]))


def load_guideline(path: Path, artefacts: dict[str, Artefact] | None = None) -> Guideline:
    """One guideline file, validated: fields present, item ids unique, evidence keys known and,
    when the file states ``numbered_items``, that many distinct item numbers."""
    path = Path(path)
    head = _read(path)
    missing = [f for f in _GUIDELINE_FIELDS if not head.get(f)]
    if missing:
        raise ConfigError(f"{path}: missing {', '.join(missing)}")
    if head["key"] != path.stem:
        raise ConfigError(f"{path}: key {head['key']!r} differs from the file name; name the file "
                          f"{head['key']}.yaml or fix the key")
    artefacts = load_artefacts() if artefacts is None else artefacts
    items = tuple(_item(path, raw, head, artefacts) for raw in head["items"])
    ids = [item.id for item in items]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(f"{path}: item id(s) {', '.join(repeated)} appear more than once")
    guideline = Guideline(str(head["key"]), str(head["guideline"]), str(head["version"]),
                          " ".join(str(head["citation"]).split()), items)
    stated = head.get("numbered_items")
    if stated is not None and guideline.numbered_items != stated:
        raise ConfigError(f"{path}: {guideline.numbered_items} numbered items; the file says "
                          f"{stated}")
    return guideline


def load_guidelines(folder: Path | None = None) -> tuple[Guideline, ...]:
    """Every guideline of ``GUIDELINE_KEYS``, in that order."""
    folder = Path(folder) if folder else DATA_DIR
    artefacts = load_artefacts(folder / "artefacts.yaml")
    return tuple(load_guideline(folder / f"{key}.yaml", artefacts) for key in GUIDELINE_KEYS)
