"""What a REFI-QDA project holds, before importing it: sources (name, size, codings, coders),
cases with their variables, users and codes, and a mapping template to fill in.

A project from NVivo, ATLAS.ti, MAXQDA or QualCoder rarely says which stakeholder group each
interview belongs to, so the import refuses it until a mapping CSV does. :func:`inspect_qdpx`
reads the project as the import would (same safety checks, same coder pseudonyms, transcript
sizes in characters as imported) and :func:`write_template` writes that mapping as a CSV with
one row per text source: ``source`` and ``guid`` (the keys the mapping reader matches),
``stakeholder_group`` and ``participant_id`` (to fill, pre-filled where case variables or names
suggest a value), and ``group_basis``/``participant_basis`` saying where each value came from
(guesses start ``guess:``; see :mod:`~wave_analysis.data.qdpx.guess`). Extra columns are
ignored by the reader, so the filled file goes straight to ``--mapping``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wave_analysis import _atomic
from wave_analysis.data.qdpx.guess import Filled, guess_group, guess_participant
from wave_analysis.data.qdpx.offsets import normalise_text
from wave_analysis.data.qdpx.parse import ParsedProject, Source, parse_project
from wave_analysis.data.qdpx.read import pseudonymise_coders
from wave_analysis.exceptions import QdpxError

TEMPLATE_COLUMNS = ["source", "guid", "stakeholder_group", "participant_id", "group_basis",
                    "participant_basis", "characters", "codings"]
SOURCE_COLUMNS = ["source", "guid", "characters", "selections", "codings", "codes", "coders",
                  "cases", "stakeholder_group", "group_basis", "participant_id",
                  "participant_basis"]
USER_COLUMNS = ["user", "guid", "coder", "codings"]


@dataclass(frozen=True)
class SourceSummary:
    """One text source: its size as imported, its codings and the template's values."""

    name: str  # the tool's name; the GUID when the tool wrote none (as the mapping matches it)
    guid: str
    characters: int
    selections: int  # as written (NVivo repeats a span once per coding)
    codings: int  # distinct (span, code, coder), as the import keeps them
    codes: int  # distinct codes applied
    coders: tuple[str, ...]  # pseudonyms, as the import names them
    cases: tuple[str, ...]  # names of the cases holding the source
    group: Filled
    participant: Filled


@dataclass(frozen=True)
class CaseSummary:
    """One case: name (empty for MAXQDA's document variables), variables and its sources."""

    name: str
    guid: str
    variables: Mapping[str, object]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class UserSummary:
    """One user of the QDA tool; the import replaces the name by ``coder``."""

    name: str
    guid: str
    coder: str  # "" for a user who coded nothing
    codings: int


@dataclass(frozen=True)
class Inspection:
    """A REFI-QDA file's contents as the import sees them (names as the tool wrote them)."""

    file: str
    origin: str | None
    kind: str  # "project" or "codebook"
    n_codes: int
    sources: tuple[SourceSummary, ...] = ()
    cases: tuple[CaseSummary, ...] = ()
    users: tuple[UserSummary, ...] = ()
    skipped: tuple[str, ...] = ()  # non-text sources, which the import leaves out
    notes: tuple[str, ...] = ()  # what a reader should know before importing

    def sources_frame(self) -> pd.DataFrame:
        """One row per text source (:data:`SOURCE_COLUMNS`)."""
        rows = [[s.name, s.guid, s.characters, s.selections, s.codings, s.codes,
                 ", ".join(s.coders), "; ".join(s.cases), s.group.value, s.group.basis,
                 s.participant.value, s.participant.basis] for s in self.sources]
        return pd.DataFrame(rows, columns=SOURCE_COLUMNS)

    def cases_frame(self) -> pd.DataFrame:
        """One row per case: ``case``, ``guid``, ``sources`` then one column per variable."""
        names = list(dict.fromkeys(k for c in self.cases for k in c.variables))
        rows = [{"case": c.name, "guid": c.guid, "sources": "; ".join(c.sources),
                 **{k: c.variables.get(k) for k in names}} for c in self.cases]
        return pd.DataFrame(rows, columns=["case", "guid", "sources", *names])

    def users_frame(self) -> pd.DataFrame:
        """One row per user (:data:`USER_COLUMNS`)."""
        rows = [[u.name, u.guid, u.coder, u.codings] for u in self.users]
        return pd.DataFrame(rows, columns=USER_COLUMNS).astype({"codings": "int64"})

    def template_frame(self) -> pd.DataFrame:
        """The mapping template (:data:`TEMPLATE_COLUMNS`), one row per text source."""
        rows = [[s.name, s.guid, s.group.value, s.participant.value, s.group.basis,
                 s.participant.basis, s.characters, s.codings] for s in self.sources]
        return pd.DataFrame(rows, columns=TEMPLATE_COLUMNS)

    def summary(self) -> str:
        """A readable account for the terminal (``wave-analysis qdpx inspect``)."""
        made = f" ({self.origin})" if self.origin else ""
        if self.kind == "codebook":
            return f"{self.file}{made}: codebook with {self.n_codes} codes; nothing to map"
        n_codings = sum(s.codings for s in self.sources)
        lines = [f"{self.file}{made}: {len(self.sources)} text source(s), {self.n_codes} "
                 f"codes, {n_codings} codings, {len(self.cases)} case(s), "
                 f"{len(self.users)} user(s)"]
        if self.sources:
            lines += ["", "sources (characters as imported; codings with repeated spans "
                      "merged; '-' = to fill, '?' = a guess to check):",
                      _indent(_sources_table(self.sources))]
        lines += ["", "cases: none" if not self.cases else "cases and their variables:"]
        if self.cases:
            lines.append(_indent(_clip(self.cases_frame().drop(columns="guid"))
                                 .to_string(index=False)))
        lines += ["", "users (the import names them coder_1, coder_2, ... in order of their "
                  "first coding):" if self.users else "users: none"]
        if self.users:
            lines.append(_indent(_clip(self.users_frame().drop(columns="guid"))
                                 .to_string(index=False)))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _mark(filled: Filled) -> str:
    if filled.value is None:
        return "-"
    return filled.value + (" ?" if filled.guessed else "")


def _sources_table(sources: tuple[SourceSummary, ...]) -> str:
    frame = pd.DataFrame(
        [[s.name, s.characters, s.codings, ", ".join(s.coders) or "-", _mark(s.group),
          _mark(s.participant)] for s in sources],
        columns=["source", "characters", "codings", "coders", "group", "participant_id"])
    return _clip(frame).to_string(index=False)


def _clip(frame: pd.DataFrame, width: int = 40) -> pd.DataFrame:
    """Long names and values cut to ``width`` characters, so a table fits a terminal."""
    def cut(v):
        return v if not isinstance(v, str) or len(v) <= width else v[:width - 1] + "…"
    return frame.apply(lambda col: col.map(cut) if col.dtype == object else col)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


# --- reading ---------------------------------------------------------------------------------

def _source_summary(src: Source, coder_of: Mapping[str, str],
                    case_names: tuple[str, ...]) -> SourceSummary:
    distinct = {(s, e, code, user) for _g, s, e, code, user in src.selections}
    coders = dict.fromkeys(coder_of[user] for *_rest, user in src.selections)
    label = src.name or src.guid
    group = guess_group(src.variables, src.name, case_names)
    participant = guess_participant(src.variables, group.value, src.name, case_names)
    return SourceSummary(label, src.guid, len(normalise_text(src.text)), len(src.selections),
                         len(distinct), len({code for _s, _e, code, _u in distinct}),
                         tuple(sorted(coders, key=_coder_order)), case_names, group,
                         participant)


def _coder_order(label: str) -> tuple[int, str]:
    tail = label.rsplit("_", 1)[-1]
    return (int(tail), label) if tail.isdigit() else (10**9, label)


def _users(project: ParsedProject, coder_of: Mapping[str, str]) -> tuple[UserSummary, ...]:
    counts: dict[str, int] = {}
    for src in project.sources:
        for *_rest, user in {(s, e, code, user) for _g, s, e, code, user in src.selections}:
            counts[user] = counts.get(user, 0) + 1
    known = [UserSummary(name, guid, coder_of.get(guid, ""), counts.get(guid, 0))
             for guid, name in project.users.items()]
    # codings by a user the Users list does not name still have a coder
    unknown = [UserSummary("(not in the project's user list)", guid, coder, counts.get(guid, 0))
               for guid, coder in coder_of.items() if guid not in project.users]
    return tuple(known + unknown)


def _notes(project: ParsedProject, sources: tuple[SourceSummary, ...]) -> tuple[str, ...]:
    notes = []
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        notes.append("source names used more than once (the template's guid column tells "
                     "them apart): " + ", ".join(map(repr, repeated)))
    if project.skipped:
        notes.append(f"{len(project.skipped)} non-text source(s) are not imported: "
                     + ", ".join(project.skipped))
    return tuple(notes)


def inspect_qdpx(path) -> Inspection:
    """Read ``path`` (``.qdpx``, ``.qde`` or ``.qdc``) with the import's checks and summarise
    it; raises :class:`~wave_analysis.exceptions.QdpxError` as the import does."""
    path = Path(path)
    project = parse_project(path)
    if project.kind == "codebook":
        return Inspection(project.file, project.origin, "codebook", len(project.codebook),
                          notes=("a codebook holds no sources; nothing to map",))
    coder_of = pseudonymise_coders(project.sources, project.hints["user"])
    cases_of: dict[str, list[str]] = {}
    for case in project.cases:
        for guid in dict.fromkeys(case.source_guids):
            cases_of.setdefault(guid, []).append(case.name)
    sources = tuple(_source_summary(s, coder_of, tuple(cases_of.get(s.guid, ())))
                    for s in project.sources)
    label = {s.guid: s.name or s.guid for s in project.sources}
    cases = tuple(CaseSummary(c.name, c.guid, dict(c.variables),
                              tuple(label.get(g, f"(not a text source: {g})")
                                    for g in c.source_guids)) for c in project.cases)
    return Inspection(project.file, project.origin, "project", len(project.codebook), sources,
                      cases, _users(project, coder_of), tuple(project.skipped),
                      _notes(project, sources))


def write_template(inspection: Inspection, path, *, overwrite: bool = False) -> Path:
    """Write ``inspection``'s mapping template to ``path`` (UTF-8 with a byte-order mark, so
    spreadsheet programs show names correctly); an existing file is kept unless
    ``overwrite`` (it may be a mapping someone has filled in)."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise QdpxError(f"{path}: already exists (fix: choose another file name, or pass "
                        "--overwrite to replace it)")
    text = inspection.template_frame().to_csv(index=False, lineterminator="\n")
    _atomic.write_text(path, "\ufeff" + text)
    return path
