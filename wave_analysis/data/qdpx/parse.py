"""The parts of a REFI-QDA project the import uses: codebook tree, sources with their selections,
case variables, and our own identifiers note. Nothing here decides ids of interviews, groups or
offsets; :mod:`wave_analysis.data.qdpx.read` does that from a :class:`ParsedProject`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from wave_analysis.data.qdpx.archive import open_project
from wave_analysis.data.qdpx.ids import empty_hints, read_id_note, unique
from wave_analysis.design import CODE_LEVELS

CODEBOOK_COLUMNS = ["code_id", "parent_id", "name", "level", "description"]


@dataclass
class Source:
    """One TextSource: its text as in the file (BOM stripped, CRLF kept) and its selections."""

    guid: str
    name: str
    text: str
    created: str | None
    selections: list[tuple[str, int, int, str, str]]  # sel guid, start, end, code guid, user
    whole_codings: int = 0
    variables: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One Case: its name (MAXQDA leaves it empty), variable values and the sources it holds."""

    guid: str
    name: str
    variables: dict[str, object]
    source_guids: tuple[str, ...]


@dataclass(frozen=True)
class ParsedProject:
    """What :func:`parse_project` found in one file."""

    file: str  # the file's name, for messages and the report
    origin: str | None  # the tool that wrote it (Project/@origin)
    kind: str  # "project" or "codebook"
    codebook: pd.DataFrame  # CODEBOOK_COLUMNS, depth-first document order
    code_ids: dict[str, str]  # code GUID -> code_id
    hints: dict[str, dict[str, str]]  # ids from our own identifiers note (see ids.read_id_note)
    sources: list[Source] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # non-text sources, "<kind> <name>"
    cases: list[Case] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # user GUID -> name as the tool wrote it

    @property
    def written_by_us(self) -> bool:
        return (self.origin or "").startswith("wave-analysis")


def _text(elem: ET.Element | None) -> str | None:
    if elem is None or elem.text is None or not elem.text.strip():
        return None
    return elem.text.strip()


def _code_tree(codes_parent, ns) -> list[tuple[ET.Element, str | None, int]]:
    """(code, parent GUID, depth) for every code, depth-first in document order, no recursion."""
    pending = []
    if codes_parent is not None:
        pending = [(c, None, 0) for c in reversed(codes_parent.findall(ns + "Code"))]
    ordered = []
    while pending:
        elem, parent, depth = pending.pop()
        ordered.append((elem, parent, depth))
        guid = elem.get("guid") or ""
        pending.extend((c, guid, depth + 1) for c in reversed(elem.findall(ns + "Code")))
    return ordered


def _read_codebook(codes_parent, ns, id_hint: dict[str, str]) -> tuple[pd.DataFrame, dict]:
    ordered = _code_tree(codes_parent, ns)
    guid_to_id: dict[str, str] = {}
    taken: set[str] = set()
    for elem, _parent, _depth in ordered:  # ids from our own note first, so they are kept
        guid = elem.get("guid") or ""
        hint = id_hint.get(guid)
        if hint and hint.casefold() not in taken:
            taken.add(hint.casefold())
            guid_to_id[guid] = hint
    width = max(3, len(str(len(ordered))))
    counter = 0
    rows: list[dict] = []
    for elem, parent_guid, depth in ordered:
        guid = elem.get("guid") or ""
        if guid not in guid_to_id:
            counter += 1
            guid_to_id[guid] = unique(f"C{counter:0{width}d}", taken)
        rows.append({
            "code_id": guid_to_id[guid],
            "parent_id": guid_to_id.get(parent_guid) if parent_guid else None,
            "name": (elem.get("name") or "").strip() or "(unnamed)",
            "level": CODE_LEVELS[min(depth, len(CODE_LEVELS) - 1)],
            "description": _text(elem.find(ns + "Description")),
        })
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS).astype(
        {"code_id": str, "name": str, "level": str})
    return frame, guid_to_id


def _variables(root, ns) -> dict[str, tuple[str, str]]:
    out = {}
    variables = root.find(ns + "Variables")
    if variables is not None:
        for v in variables.findall(ns + "Variable"):
            out[v.get("guid") or ""] = (v.get("name") or "", v.get("typeOfVariable") or "Text")
    return out


def _values(elem, ns, var_defs) -> dict[str, object]:
    vals: dict[str, object] = {}
    for vv in elem.findall(ns + "VariableValue"):
        ref = vv.find(ns + "VariableRef")
        if ref is None:
            continue
        name = var_defs.get(ref.get("targetGUID") or "", ("", ""))[0]
        for child in vv:
            if child.tag != ns + "VariableRef" and child.text and child.text.strip():
                vals[name] = child.text.strip()
    return vals


def _selections(src: ET.Element, ns: str) -> list[tuple[str, int, int, str, str]]:
    sels = []
    for sel in src.findall(ns + "PlainTextSelection"):
        try:
            start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        except (TypeError, ValueError):
            start, end = -1, -1  # reported as not fitting the text
        for coding in sel.findall(ns + "Coding"):
            ref = coding.find(ns + "CodeRef")
            user = coding.get("creatingUser") or sel.get("creatingUser") or ""
            sels.append((sel.get("guid") or "", start, end,
                         "" if ref is None else ref.get("targetGUID") or "", user))
    return sels


def _read_sources(root, ns, texts, var_defs) -> tuple[list[Source], list[str]]:
    out, skipped = [], []
    container = root.find(ns + "Sources")
    if container is None:
        return out, skipped
    for src in container:
        local = src.tag[len(ns):] if src.tag.startswith(ns) else src.tag
        guid = src.get("guid") or ""
        if local != "TextSource":
            skipped.append(f"{local} {src.get('name') or guid}")
            continue
        out.append(Source(guid=guid, name=src.get("name") or "", text=texts.get(guid, ""),
                          created=src.get("creationDateTime"), selections=_selections(src, ns),
                          whole_codings=len(src.findall(ns + "Coding")),
                          variables=_values(src, ns, var_defs)))
    return out, skipped


def _apply_cases(root, ns, sources: list[Source], var_defs) -> list[Case]:
    """The project's cases; their variables are copied onto the sources each case refers to
    (MAXQDA cases are nameless)."""
    container = root.find(ns + "Cases")
    if container is None:
        return []
    by_guid = {s.guid: s for s in sources}
    cases = []
    for case in container.findall(ns + "Case"):
        vals = _values(case, ns, var_defs)
        refs = tuple(ref.get("targetGUID") or "" for ref in case.findall(ns + "SourceRef"))
        cases.append(Case(case.get("guid") or "", (case.get("name") or "").strip(), vals, refs))
        for ref in refs:
            src = by_guid.get(ref)
            if src is not None:
                for k, v in vals.items():
                    src.variables.setdefault(k, v)
    return cases


def _users(root, ns) -> dict[str, str]:
    users = root.find(ns + "Users")
    if users is None:
        return {}
    return {u.get("guid") or "": (u.get("name") or u.get("id") or "").strip()
            for u in users.findall(ns + "User")}


def parse_project(path: Path) -> ParsedProject:
    """Open ``path`` safely (see :mod:`~wave_analysis.data.qdpx.archive`) and read its parts."""
    opened = open_project(path)
    root, ns = opened.root, opened.ns
    if opened.kind == "codebook":
        codebook, code_ids = _read_codebook(root.find(ns + "Codes"), ns, {})
        return ParsedProject(path.name, root.get("origin"), "codebook", codebook, code_ids,
                             empty_hints())
    hints = read_id_note(root, ns)
    codebook, code_ids = _read_codebook(root.find(f"{ns}CodeBook/{ns}Codes"), ns, hints["code"])
    var_defs = _variables(root, ns)
    sources, skipped = _read_sources(root, ns, opened.texts, var_defs)
    cases = _apply_cases(root, ns, sources, var_defs)
    return ParsedProject(path.name, root.get("origin"), "project", codebook, code_ids, hints,
                         sources, skipped, cases, _users(root, ns))
