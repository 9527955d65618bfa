"""Load a whole study in one call: the trial tables, and the qualitative data either from the
same export folder's tables or from a REFI-QDA project (``.qdpx``) with its mapping.

This is the one loader the notebooks use, so every notebook treats parameters the same way:

* Paths are ``str`` or ``Path``; an empty string means "not given" (papermill parameters are
  strings). Relative paths are relative to the repository root, as every notebook parameter
  is (:func:`~wave_analysis.config.resolve`).
* ``qdpx_mapping`` not given means :data:`DEFAULT_MAPPING`: sources whose group is not set by a
  case variable are labelled ``patient``, so any project can be explored without preparing a
  mapping. The label reveals nothing about anyone, but comparisons between groups are meaningless
  until every source is mapped; :meth:`Study.import_summary` says how each group was assigned.
  A mapping file (CSV ``source,stakeholder_group[,participant_id]``) is strict: a source it does
  not cover and that has no group variable is an error, unless the file has a ``*`` row.
* When the trial is loaded too, qualitative tables are checked against it (patients' ids must be
  intervention-arm participants).
* The export folder's :func:`~wave_analysis.data.provenance.provenance` is kept as
  ``Study.provenance``; ``Study.describe()`` says in one line which data was used (for the
  notebooks' opening note, the run's manifest and the site).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.config import resolve
from wave_analysis.data.load import load_qualitative, load_trial
from wave_analysis.data.model import QualData, TrialData
from wave_analysis.data.provenance import Provenance, provenance
from wave_analysis.data.qdpx import QdpxReport, read_qdpx

# Group of every source that neither the mapping nor a case variable assigns.
DEFAULT_MAPPING: Mapping[str, str] = {"*": "patient"}


@dataclass(frozen=True)
class Study:
    """The loaded parts of a study; a part that was not asked for is None."""

    trial: TrialData | None
    qual: QualData | None
    qdpx_report: QdpxReport | None = None  # set when the qualitative data came from a .qdpx
    provenance: Provenance | None = None  # of the export folder, when one was read

    @property
    def parts(self) -> tuple[TrialData | QualData, ...]:
        return tuple(p for p in (self.trial, self.qual) if p is not None)

    @property
    def synthetic(self) -> bool:
        """True only when every loaded part is the bundled synthetic data (a ``.qdpx`` import
        never is). A study mixing synthetic and real parts counts as real: its outputs hold real
        data, so they are neither stamped synthetic nor treated as shareable."""
        return bool(self.parts) and all(p.synthetic for p in self.parts)

    def describe(self) -> str:
        """Which data was used, in one line: ``data/synthetic (bundled synthetic data,
        verified)``, ``/path/export (real data)``, plus the ``.qdpx`` the interviews came from."""
        parts = []
        if self.provenance is not None:
            parts.append(self.provenance.describe())
        if self.qdpx_report is not None:
            parts.append(f"interviews from {self.qdpx_report.file} (a .qdpx import: real data)")
        if not parts:
            kind = "synthetic data, not verified" if self.synthetic else "real data"
            parts.append(f"data given in memory ({kind})")
        return " with ".join(parts)

    def import_summary(self) -> str:
        """Markdown describing a ``.qdpx`` import: the report's summary and how many interviews
        got their stakeholder group from the mapping, a case variable or the default; "" when
        the qualitative data came from tables."""
        report = self.qdpx_report
        if report is None:
            return ""
        counts = pd.Series(report.mapping_sources, dtype="object").value_counts()
        table = ["| stakeholder group from | interviews |", "|---|---:|"]
        table += [f"| {how} | {n} |" for how, n in counts.items()]
        return (f"Imported `{report.file}`:\n\n```\n{report.summary()}\n```\n\n"
                + "\n".join(table) + "\n")


def _given(value: object, name: str) -> Path | None:
    """``value`` resolved against the repository root; None for None or ""."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    check_argument(isinstance(value, str | os.PathLike), name,
                   "a path (str or Path) or '' for none", value)
    return resolve(value)


def _mapping(qdpx_mapping: object) -> object:
    if isinstance(qdpx_mapping, Mapping):
        return qdpx_mapping
    path = _given(qdpx_mapping, "qdpx_mapping")
    return DEFAULT_MAPPING if path is None else path


def load_study(data_dir, *, qdpx_file=None, qdpx_mapping=None, trial: bool = True,
               qualitative: bool = True) -> Study:
    """Load the parts of a study a notebook needs.

    ``data_dir``: the export folder (trial tables, and qualitative tables with ``transcripts/``).
    ``qdpx_file``: a REFI-QDA project to take the qualitative data from instead of ``data_dir``.
    ``qdpx_mapping``: CSV path or dict (see :func:`~wave_analysis.data.qdpx.read_qdpx`); not given
    means :data:`DEFAULT_MAPPING`. ``trial``/``qualitative``: which parts to load.
    Raises ``ArgumentError`` for contradictory arguments, ``ValidationError``, ``QdpxError`` or
    ``ConfigError`` for bad data.
    """
    check_argument(trial is True or trial is False, "trial", "True or False", trial)
    check_argument(qualitative is True or qualitative is False, "qualitative", "True or False",
                   qualitative)
    check_argument(trial or qualitative, "trial", "True when qualitative is False", trial,
                   "nothing would be loaded")
    folder, project = _given(data_dir, "data_dir"), _given(qdpx_file, "qdpx_file")
    check_argument(project is None or qualitative, "qdpx_file", "'' when qualitative is False",
                   qdpx_file)
    check_argument(project is not None or qdpx_mapping in (None, ""), "qdpx_mapping",
                   "'' when no qdpx_file is given", qdpx_mapping, "a mapping applies to a .qdpx")
    needs_folder = trial or project is None
    check_argument(folder is not None or not needs_folder, "data_dir",
                   "an export folder (str or Path)", data_dir)
    origin = provenance(folder) if needs_folder else None  # the loaders reuse its cached hashes
    trial_data = load_trial(folder) if trial else None
    if not qualitative:
        return Study(trial_data, None, provenance=origin)
    if project is None:
        return Study(trial_data, load_qualitative(folder, trial=trial_data), provenance=origin)
    imported = read_qdpx(project, mapping=_mapping(qdpx_mapping))
    return Study(trial_data, imported.to_qualdata(), imported.report, provenance=origin)
