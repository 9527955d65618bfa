"""Import a REFI-QDA project (``.qdpx``, bare ``.qde`` or ``.qdc`` codebook) as tidy tables.

Decisions (documented here because analyses depend on them):

* Text and offsets: see :mod:`~wave_analysis.data.qdpx.offsets`. Selections that do not fit the
  text (end beyond the text, start >= end, inside a character) are reported in
  :attr:`QdpxReport.rejected`, never shifted. NVivo's repeated spans (same source, code, start, end
  and coder) are merged and counted.
* Coders are pseudonymised as ``coder_1, coder_2, ...`` in order of their first coding in the file;
  real user names never reach a table or the report.
* Groups and participant ids: see :mod:`~wave_analysis.data.qdpx.mapping`; the report records how
  each interview's group was assigned.
* ``interview_date``: a date-like case variable if present, else the date of the source's
  ``creationDateTime`` (when it was added to the QDA tool, not necessarily the interview), else
  :data:`UNKNOWN_DATE`; the report lists which interviews got which.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis._checks import check_one_of
from wave_analysis.data.model import QualData
from wave_analysis.data.qdpx import mapping as source_mapping
from wave_analysis.data.qdpx.ids import ID_RE, PRACTICE_RE, slug, unique
from wave_analysis.data.qdpx.offsets import OFFSET_UNITS, UnitChoice, choose_unit, normalise_text
from wave_analysis.data.qdpx.parse import ParsedProject, Source, parse_project
from wave_analysis.data.write import write_tables
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import QdpxError

UNKNOWN_DATE = pd.Timestamp("1900-01-01")  # placeholder when a project holds no interview date
INTERVIEW_COLUMNS = ["interview_id", "stakeholder_group", "participant_id", "practice_id",
                     "interview_date", "transcript_file"]
CODING_COLUMNS = ["interview_id", "code_id", "start", "end", "coder"]


# --- results ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RejectedSelection:
    """A selection that could not be placed on its transcript (reported, never shifted)."""

    interview_id: str
    code_id: str | None
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class QdpxReport:
    """What an import found and decided; holds counts and pseudonymous ids only."""

    file: str
    origin: str | None
    n_sources: int
    n_codes: int
    n_coders: int
    n_selections: int
    n_codings: int
    n_duplicates_merged: int
    offset_unit: str
    offset_reason: str
    boundary_shares: Mapping[str, float]
    rejected: tuple[RejectedSelection, ...] = ()
    skipped_sources: tuple[str, ...] = ()
    date_sources: Mapping[str, str] = field(default_factory=dict)
    mapping_sources: Mapping[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """One row per rejected selection."""
        return pd.DataFrame([r.__dict__ for r in self.rejected],
                            columns=["interview_id", "code_id", "start", "end", "reason"])

    def summary(self) -> str:
        shares = ", ".join(f"{k} {v:.1%}" for k, v in self.boundary_shares.items())
        placeholder = sorted(k for k, v in self.date_sources.items() if v == "placeholder")
        lines = [
            f"{self.file}: {self.n_sources} sources, {self.n_codes} codes, {self.n_coders} coders, "
            f"{self.n_codings} codings from {self.n_selections} selections "
            f"({self.n_duplicates_merged} duplicates merged, {len(self.rejected)} rejected)",
            f"offset unit: {self.offset_unit} ({self.offset_reason}); "
            f"word-boundary shares: {shares or 'n/a'}",
        ]
        if placeholder:
            lines.append(f"interview_date unknown, set to {UNKNOWN_DATE.date()} for: "
                         + ", ".join(placeholder))
        if self.skipped_sources:
            lines.append("skipped non-text sources: " + ", ".join(self.skipped_sources))
        return "\n".join(lines)


@dataclass(frozen=True)
class QdpxImport:
    """Tidy tables and transcripts read from a REFI-QDA file, plus the import report."""

    interviews: pd.DataFrame
    codebook: pd.DataFrame
    codings: pd.DataFrame
    transcripts: Mapping[str, str]
    report: QdpxReport
    source_names: Mapping[str, str] = field(default_factory=dict)  # interview_id -> source label

    def to_qualdata(self) -> QualData:
        return QualData(interviews=self.interviews, codebook=self.codebook,
                        codings=self.codings, transcripts=dict(self.transcripts))


# --- interviews ------------------------------------------------------------------------------

@dataclass
class _Interviews:
    """Interview rows being built, with what went wrong and how each was decided."""

    rows: list[dict] = field(default_factory=list)
    transcripts: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # interview_id -> source name or GUID
    iid_of: dict[str, str] = field(default_factory=dict)  # source GUID -> interview_id
    date_sources: dict[str, str] = field(default_factory=dict)
    mapping_sources: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    bad_values: list[str] = field(default_factory=list)


def _interview_date(src: Source, variables_date: str | None) -> tuple[pd.Timestamp, str]:
    date = pd.to_datetime(variables_date[:10], errors="coerce") if variables_date else pd.NaT
    if not pd.isna(date):
        return date, "variable"
    if src.created and not pd.isna(pd.to_datetime(src.created[:10], errors="coerce")):
        return pd.Timestamp(src.created[:10]), "creationDateTime"
    return UNKNOWN_DATE, "placeholder"


def _add_interview(acc: _Interviews, src: Source, iid: str, *, mapping, file_hint) -> None:
    label = src.name or src.guid
    group, pid, how = source_mapping.assign(mapping, label, src.variables, src.guid)
    if group is None:
        acc.unmapped.append(label)
    acc.mapping_sources[iid] = how
    if pid is not None and not ID_RE.match(pid):
        acc.bad_values.append(f"{label!r} participant_id {pid!r}")
    practice = source_mapping.pick(src.variables, "practice_id")
    if practice is not None and not PRACTICE_RE.match(practice):
        acc.bad_values.append(f"{label!r} practice_id {practice!r}")
    date, acc.date_sources[iid] = _interview_date(
        src, source_mapping.pick(src.variables, "interview_date"))
    acc.rows.append({"interview_id": iid, "stakeholder_group": group, "participant_id": pid,
                     "practice_id": practice, "interview_date": date,
                     "transcript_file": file_hint or f"{iid}.txt"})
    acc.transcripts[iid] = normalise_text(src.text)
    acc.labels[iid] = label


def _listed(labels: list[str]) -> str:
    return ", ".join(repr(u) for u in labels[:10]) + (" ..." if len(labels) > 10 else "")


def inspect_command(path: Path) -> str:
    """The command that writes a mapping template for ``path``, for messages."""
    return f"wave-analysis qdpx inspect {shlex.quote(str(path))} --template mapping.csv"


def _raise_for_interviews(acc: _Interviews, file: str, path: Path) -> None:
    if acc.unmapped:
        raise QdpxError(
            f"{file}: {len(acc.unmapped)} source(s) have no stakeholder group: "
            f"{_listed(acc.unmapped)} (fix: run `{inspect_command(path)}`, fill its "
            "stakeholder_group column and pass --mapping mapping.csv (qdpx_mapping= in "
            "load_study), or pass --default-group GROUP (default_group=) for a single-group "
            "project, or add a "
            "'stakeholder_group' case variable in your QDA tool; groups: "
            f"{', '.join(STAKEHOLDER_GROUPS)})")
    if acc.bad_values:
        raise QdpxError(f"{file}: invalid ids: " + "; ".join(acc.bad_values[:10])
                        + " (fix: use letters, digits, '-' or '_', or pass mapping=)")


def _interviews(project: ParsedProject, mapping, path: Path) -> _Interviews:
    """One interview per text source; ids from our note when valid, else from the name."""
    acc = _Interviews()
    taken: set[str] = set()
    for k, src in enumerate(project.sources, start=1):
        hint = project.hints["source"].get(src.guid)
        base = hint if hint and hint.casefold() not in taken else slug(src.name, f"source_{k}")
        iid = acc.iid_of[src.guid] = unique(base, taken)
        _add_interview(acc, src, iid, mapping=mapping,
                       file_hint=project.hints["file"].get(src.guid))
    _raise_for_interviews(acc, project.file, path)
    return acc


def _interview_frame(acc: _Interviews) -> pd.DataFrame:
    interviews = pd.DataFrame(acc.rows, columns=INTERVIEW_COLUMNS)
    interviews["interview_date"] = pd.to_datetime(interviews["interview_date"])
    return interviews


# --- coders and codings ----------------------------------------------------------------------

def pseudonymise_coders(sources: list[Source], user_hints: Mapping[str, str]) -> dict[str, str]:
    """User GUID -> ``coder_N`` by first coding in document order; our own export keeps its
    labels (verified by the identifiers note)."""
    coder_of: dict[str, str] = {}
    used: set[str] = set()
    for src in sources:
        for *_rest, user in src.selections:
            if user in coder_of:
                continue
            hint = user_hints.get(user)
            if hint and hint not in used:
                coder_of[user] = hint
                used.add(hint)
            else:
                coder_of[user] = ""  # numbered below, after every kept label is known
    n = 0
    for user, label in coder_of.items():
        if not label:
            n += 1
            while f"coder_{n}" in used:
                n += 1
            coder_of[user] = f"coder_{n}"
            used.add(coder_of[user])
    return coder_of


def _place_selections(project: ParsedProject, acc: _Interviews, choice: UnitChoice,
                      coder_of: Mapping[str, str]) -> tuple[list[tuple], list[RejectedSelection]]:
    """Coding rows for selections that fit their text; the rest as rejected selections."""
    rows, rejected = [], []
    for src in project.sources:
        iid = acc.iid_of[src.guid]
        if src.whole_codings:
            rejected.append(RejectedSelection(iid, None, 0, 0, f"{src.whole_codings} coding(s) "
                                              "of the whole source without a text span"))
        if not src.selections:
            continue
        s_st, e_st, ok = choice.spans[src.guid]
        for i, (_g, s, e, code_guid, user) in enumerate(src.selections):
            code_id = project.code_ids.get(code_guid)
            if code_id is None:
                rejected.append(RejectedSelection(iid, None, s, e,
                                                  f"refers to unknown code {code_guid!r}"))
            elif not ok[i]:
                rejected.append(RejectedSelection(
                    iid, code_id, s, e, f"does not fit the {len(acc.transcripts[iid])}-character "
                    f"text under offset unit {choice.unit}"))
            else:
                rows.append((iid, code_id, int(s_st[i]), int(e_st[i]), coder_of[user]))
    return rows, rejected


def _codings_frame(rows: list[tuple], source_order: list[str]) -> pd.DataFrame:
    """Duplicates merged, in canonical order (source order, then span, code, coder) so output
    does not depend on how the tool happened to list its selections."""
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    order = {iid: k for k, iid in enumerate(source_order)}
    codings = (codings.drop_duplicates()
               .assign(_src=codings["interview_id"].map(order))
               .sort_values(["_src", "start", "end", "code_id", "coder"], kind="stable")
               .drop(columns="_src").reset_index(drop=True))
    return codings.astype({"interview_id": str, "code_id": str, "start": "Int64",
                           "end": "Int64", "coder": str})


# --- import ----------------------------------------------------------------------------------

def _empty_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    interviews = pd.DataFrame(columns=INTERVIEW_COLUMNS)
    codings = pd.DataFrame({"interview_id": pd.Series(dtype=str),
                            "code_id": pd.Series(dtype=str), "start": pd.Series(dtype="Int64"),
                            "end": pd.Series(dtype="Int64"), "coder": pd.Series(dtype=str)})
    return interviews, codings


def _codebook_only(project: ParsedProject) -> QdpxImport:
    interviews, codings = _empty_tables()
    report = QdpxReport(project.file, project.origin, 0, len(project.codebook), 0, 0, 0, 0,
                        "codepoint", "codebook only: no selections", {})
    return QdpxImport(interviews, project.codebook, codings, {}, report)


def _selection_spans(sources: list[Source]) -> dict[str, tuple[str, np.ndarray]]:
    return {src.guid: (src.text, np.array([(s, e) for _g, s, e, _c, _u in src.selections],
                                          dtype=np.int64))
            for src in sources if src.selections}


def read_qdpx(path, *, offset_unit: str = "auto", mapping=None,
              default_group: str | None = None) -> QdpxImport:
    """Read a REFI-QDA ``.qdpx``, bare ``.qde`` or ``.qdc`` codebook into tidy tables.

    ``offset_unit``: ``"auto"`` or one of :data:`OFFSET_UNITS` (see ``offsets``).
    ``mapping``: dict or CSV path (columns ``source,stakeholder_group[,participant_id]``)
    keyed by the source's ``name`` (its GUID when nameless); values may be a group string, a
    ``(group, participant_id)`` tuple or a dict. A key ``"*"`` gives the default group for
    unmapped sources; ``default_group`` (one of the design's stakeholder groups) does the same
    for a single-group project. Explicit mapping wins over case variables. Raises
    :class:`QdpxError` for unsafe or unreadable files and unmapped sources, ``ConfigError`` for a
    bad mapping. ``wave-analysis qdpx inspect FILE --template mapping.csv`` writes a mapping
    to fill in (see :mod:`~wave_analysis.data.qdpx.inspect`).
    """
    path = Path(path)
    check_one_of("offset_unit", offset_unit, ("auto", *OFFSET_UNITS))  # before opening the file
    rules = source_mapping.with_default(source_mapping.load_mapping(mapping), default_group)
    project = parse_project(path)
    if project.kind == "codebook":
        return _codebook_only(project)
    acc = _interviews(project, rules, path)
    choice = choose_unit(_selection_spans(project.sources), offset_unit=offset_unit,
                         written_by_us=project.written_by_us)
    coder_of = pseudonymise_coders(project.sources, project.hints["user"])
    rows, rejected = _place_selections(project, acc, choice, coder_of)
    codings = _codings_frame(rows, list(acc.iid_of.values()))
    report = QdpxReport(
        file=project.file, origin=project.origin, n_sources=len(project.sources),
        n_codes=len(project.codebook), n_coders=len(coder_of),
        n_selections=sum(len(s.selections) for s in project.sources),
        n_codings=len(codings), n_duplicates_merged=len(rows) - len(codings),
        offset_unit=choice.unit, offset_reason=choice.reason,
        boundary_shares=dict(choice.shares), rejected=tuple(rejected),
        skipped_sources=tuple(project.skipped), date_sources=acc.date_sources,
        mapping_sources=acc.mapping_sources)
    return QdpxImport(_interview_frame(acc), project.codebook, codings, acc.transcripts, report,
                      acc.labels)


def _check_participant_ids(result: QdpxImport, path: Path) -> None:
    """Refuse what the folder's loader would: a patient without a trial id, another stakeholder
    with one (both can only come from the mapping or a default group)."""
    iv = result.interviews
    names = [result.source_names.get(i, i) for i in iv["interview_id"]]
    patient = (iv["stakeholder_group"] == "patient").to_numpy()
    has_id = iv["participant_id"].notna().to_numpy()
    missing = [n for n, p, h in zip(names, patient, has_id, strict=True) if p and not h]
    if missing:
        raise QdpxError(
            f"{path.name}: {len(missing)} patient source(s) have no participant_id: "
            f"{_listed(missing)} (fix: run `{inspect_command(path)}`, fill the participant_id "
            "column with each patient's trial id and pass --mapping mapping.csv, or give those "
            "sources another --default-group / stakeholder_group; every patient interview "
            "needs a trial id)")
    extra = [f"{n!r} ({g}, {pid!r})" for n, g, pid in zip(
        names, iv["stakeholder_group"], iv["participant_id"], strict=True)
        if g != "patient" and not pd.isna(pid)]
    if extra:
        raise QdpxError(f"{path.name}: {len(extra)} source(s) that are not patients have a "
                        f"participant_id: {', '.join(extra[:10])} (fix: leave participant_id "
                        "empty for employer, vsw and gp sources in the mapping; only patients "
                        "carry a trial id)")


def import_qdpx(file, outdir, *, offset_unit: str = "auto", mapping=None,
                default_group: str | None = None, overwrite: bool = False) -> QdpxImport:
    """Import ``file`` and write interviews/codebook/codings CSVs and transcripts/ to ``outdir``.

    ``mapping`` and ``default_group`` as in :func:`read_qdpx`. Patients without a trial id, and
    other stakeholders with one, are refused here (the loader would reject the folder). The
    folder is built beside ``outdir`` and swapped in only when complete
    (:func:`~wave_analysis.data.write.write_tables`), so a failure leaves no half-written output;
    a non-empty ``outdir`` is refused unless ``overwrite=True``.
    """
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise QdpxError(f"{outdir}: exists and is not a folder (fix: choose another OUTDIR)")
    if outdir.is_dir() and any(outdir.iterdir()) and not overwrite:
        raise QdpxError(f"{outdir}: folder is not empty (fix: choose an empty folder or pass "
                        "overwrite=True / --overwrite)")
    result = read_qdpx(file, offset_unit=offset_unit, mapping=mapping,
                       default_group=default_group)
    _check_participant_ids(result, Path(file))
    files = dict(zip(result.interviews["interview_id"], result.interviews["transcript_file"],
                     strict=True))
    write_tables(outdir, {"interviews": result.interviews, "codebook": result.codebook,
                          "codings": result.codings},
                 transcripts={files[iid]: text for iid, text in result.transcripts.items()})
    return result
