"""Which stakeholder group and trial participant each interview source belongs to.

A source's group and participant id come from, in order: an explicit mapping (a dict, or a CSV
``source,stakeholder_group[,participant_id]`` keyed by the source's name, its GUID when nameless),
then the project's case variables (NVivo classifications, MAXQDA document variables, ...), then
the mapping's default (key or CSV row ``"*"``). :func:`assign` also says which of these it used,
so the import report can tell a reader how each group was assigned.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.qdpx.ids import ID_RE
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import ConfigError

DEFAULT_KEY = "*"
# Spellings QDA projects use for the groups (case, spaces and hyphens are ignored).
STAKEHOLDER_SYNONYMS = {
    "patient": "patient", "patients": "patient", "participant": "patient",
    "employer": "employer", "employers": "employer", "line_manager": "employer",
    "manager": "employer",
    "vsw": "vsw", "vsws": "vsw", "vocational_support_worker": "vsw",
    "gp": "gp", "gps": "gp", "general_practitioner": "gp",
}


@dataclass(frozen=True)
class SourceMapping:
    """Source name -> (group, participant_id), and the group of unmapped sources."""

    rows: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    default: str | None = None


def norm_group(value: object) -> str | None:
    """The project's group name for a tool's spelling ("Line manager" -> "employer"), or None."""
    if value is None:
        return None
    key = re.sub(r"[\s-]+", "_", str(value).strip().casefold())
    return STAKEHOLDER_SYNONYMS.get(key)


def _norm_var_name(name: str) -> str:
    # NVivo writes "Classification:Variable"; keep the variable part.
    return re.sub(r"[\s_]+", " ", name.rsplit(":", 1)[-1]).strip().casefold()


def pick(variables: Mapping[str, object], field_name: str) -> str | None:
    """The case variable that supplies ``field_name``; names follow common QDA conventions."""
    norm = {_norm_var_name(k): v for k, v in variables.items() if k}
    if field_name == "stakeholder_group":
        ranked = [k for k in norm if "stakeholder" in k] + [k for k in norm if "role" in k] + \
                 [k for k in norm if "group" in k]
        groups = (norm_group(norm[k]) for k in ranked)
        return next((g for g in groups if g is not None), None)
    if field_name == "participant_id":
        keys = [k for k in norm if "participant" in k or "trial id" in k or k == "pid"]
    elif field_name == "practice_id":
        keys = [k for k in norm if "practice" in k]
    else:  # interview_date
        keys = [k for k in norm if "interview date" in k] + [k for k in norm if k == "date"]
    values = (str(norm[k]).strip() for k in keys)
    return next((v for v in values if v), None)


def assign(mapping: SourceMapping, label: str,
           variables: Mapping[str, object]) -> tuple[str | None, str | None, str]:
    """(group, participant_id, how) of the source named ``label``; ``how`` is "mapping",
    "variables" or "mapping default"; group is None when nothing supplies one."""
    group = pid = None
    how = "variables"
    if label in mapping.rows:
        group, pid = mapping.rows[label]
        how = "mapping"
    if group is None:
        group = pick(variables, "stakeholder_group")
        how = "variables" if group else how
    if pid is None:
        pid = pick(variables, "participant_id")
    if group is None and mapping.default:
        group, how = mapping.default, "mapping default"
    return group, pid, how


# --- reading a mapping -----------------------------------------------------------------------

def _read_csv(path: Path) -> dict[str, tuple[str | None, str | None]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            cols = [c.strip() for c in (reader.fieldnames or [])]
            if "source" not in cols or "stakeholder_group" not in cols:
                raise ConfigError(f"{path.name}: mapping needs columns source, "
                                  "stakeholder_group[, participant_id] (found "
                                  f"{', '.join(cols) or 'none'})")
            rows = {}
            for r in reader:
                r = {k.strip(): (v or "").strip() for k, v in r.items() if k}
                rows[r["source"]] = (r.get("stakeholder_group") or None,
                                     r.get("participant_id") or None)
    except OSError as exc:
        raise ConfigError(f"mapping file {path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"mapping file {path}: not UTF-8 at byte {exc.start} (fix: save it "
                          "as 'CSV UTF-8')") from None
    return rows


def _entry(origin: str, src: object, val: object) -> tuple[str | None, str | None]:
    """(group, participant_id) of one mapping value: a group, a (group, id) pair or a dict."""
    if isinstance(val, str) or val is None:
        group, pid = val, None
    elif isinstance(val, Mapping):
        group, pid = val.get("stakeholder_group"), val.get("participant_id")
    else:
        group, pid = (tuple(val) + (None, None))[:2]
    g = norm_group(group) if group else None
    if group and g is None:
        raise ConfigError(f"{origin}: source {src!r} has stakeholder_group {group!r}; "
                          f"use one of {', '.join(STAKEHOLDER_GROUPS)}")
    if pid is not None and (pid == "" or pd.isna(pid)):
        pid = None
    if pid is not None and not ID_RE.match(str(pid)):
        raise ConfigError(f"{origin}: source {src!r} has participant_id {pid!r}; use "
                          "letters, digits, '-' or '_' (at most 30)")
    return g, None if pid is None else str(pid)


def load_mapping(mapping: object) -> SourceMapping:
    """A :class:`SourceMapping` from None, a dict or a CSV path (str or Path)."""
    if mapping is None:
        return SourceMapping()
    is_path = isinstance(mapping, str | os.PathLike)
    check_argument(is_path or isinstance(mapping, Mapping), "mapping",
                   "a dict or a CSV path (source,stakeholder_group,participant_id)",
                   type(mapping).__name__)
    if is_path:
        rows, origin = _read_csv(Path(mapping)), Path(mapping).name
    else:
        rows, origin = dict(mapping), "mapping"
    out = {str(src): _entry(origin, src, val) for src, val in rows.items()}
    default = out.pop(DEFAULT_KEY, (None, None))[0]
    return SourceMapping(out, default)
