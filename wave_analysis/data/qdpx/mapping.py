"""Which stakeholder group and trial participant each interview source belongs to.

A source's group and participant id come from, in order: an explicit mapping (a dict, or a CSV
``source,stakeholder_group[,participant_id][,guid]`` keyed by the source's name, its GUID when
nameless, or the ``guid`` column when given, as in the template ``wave-analysis qdpx inspect``
writes), then the project's case variables (NVivo classifications, MAXQDA document variables,
...), then the mapping's default (key or CSV row ``"*"``, or ``default_group``). :func:`assign`
also says which of these it used, so the import report can tell a reader how each group was
assigned. Only patients carry a trial id: a participant variable on another stakeholder's case is
not used.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.data.qdpx.ids import ID_RE
from wave_analysis.design import STAKEHOLDER_GROUPS
from wave_analysis.exceptions import ConfigError

DEFAULT_KEY = "*"
_GROUPISH = re.compile(r"group|role|type|stakeholder|category")
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
    """Source name (and source GUID) -> (group, participant_id), and the group of unmapped
    sources."""

    rows: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)
    default: str | None = None
    by_guid: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)


def norm_group(value: object) -> str | None:
    """The project's group name for a tool's spelling ("Line manager" -> "employer"), or None."""
    if value is None:
        return None
    key = re.sub(r"[\s-]+", "_", str(value).strip().casefold())
    return STAKEHOLDER_SYNONYMS.get(key)


def _norm_var_name(name: str) -> str:
    # NVivo writes "Classification:Variable"; keep the variable part.
    return re.sub(r"[\s_]+", " ", name.rsplit(":", 1)[-1]).strip().casefold()


def group_variables(variables: Mapping[str, object]) -> list[tuple[str, str]]:
    """(variable name, group) of the variables the import reads a group from, in the order it
    tries them: names with "stakeholder", then "role", then "group", values it recognises."""
    ranked = [k for word in ("stakeholder", "role", "group")
              for k in variables if k and word in _norm_var_name(k)]
    found = ((k, norm_group(variables[k])) for k in dict.fromkeys(ranked))
    return [(k, g) for k, g in found if g is not None]


def named_variable(variables: Mapping[str, object],
                   field_name: str) -> tuple[str, str] | None:
    """(variable name, value) of the case variable that supplies ``field_name``
    ("stakeholder_group", "participant_id", "practice_id" or "interview_date"); names follow
    common QDA conventions."""
    if field_name == "stakeholder_group":
        return next(iter(group_variables(variables)), None)
    norm = {k: _norm_var_name(k) for k in variables if k}
    if field_name == "participant_id":
        # "Participant group" or "Participant type" holds a group, not an id
        keys = [k for k, n in norm.items() if ("participant" in n or "trial id" in n
                                                or n == "pid") and not _GROUPISH.search(n)]
    elif field_name == "practice_id":
        keys = [k for k, n in norm.items() if "practice" in n]
    else:  # interview_date
        keys = [k for k, n in norm.items() if "interview date" in n] + \
               [k for k, n in norm.items() if n == "date"]
    values = ((k, str(variables[k]).strip()) for k in keys)
    return next(((k, v) for k, v in values if v), None)


def pick(variables: Mapping[str, object], field_name: str) -> str | None:
    """The value of the case variable that supplies ``field_name`` (see :func:`named_variable`)."""
    found = named_variable(variables, field_name)
    return None if found is None else found[1]


def assign(mapping: SourceMapping, label: str, variables: Mapping[str, object],
           guid: str = "") -> tuple[str | None, str | None, str]:
    """(group, participant_id, how) of the source named ``label`` (its GUID ``guid``, which
    wins over the name when the mapping lists it); ``how`` is "mapping", "variables" or
    "mapping default"; group is None when nothing supplies one."""
    group = pid = None
    how = "variables"
    row = mapping.by_guid.get(guid) if guid else None
    row = row if row is not None else mapping.rows.get(label)
    if row is not None:
        group, pid = row
        how = "mapping"
    if group is None:
        group = pick(variables, "stakeholder_group")
        how = "variables" if group else how
    if group is None and mapping.default:
        group, how = mapping.default, "mapping default"
    if pid is None and group == "patient":
        # only patients carry a trial id (data dictionary); a participant variable on another
        # stakeholder's case (say the patient an employer was linked to) is not theirs
        pid = pick(variables, "participant_id")
    return group, pid, how


# --- reading a mapping -----------------------------------------------------------------------

def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of each non-blank row, with stripped keys and values."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            cols = [c.strip() for c in (reader.fieldnames or [])]
            if "source" not in cols or "stakeholder_group" not in cols:
                raise ConfigError(f"{path.name}: mapping needs columns source, "
                                  "stakeholder_group[, participant_id, guid] (found "
                                  f"{', '.join(cols) or 'none'})")
            rows = []
            for r in reader:
                r = {k.strip(): (v or "").strip() for k, v in r.items() if isinstance(k, str)}
                if any(r.get(c) for c in ("source", "guid", "stakeholder_group",
                                          "participant_id")):
                    rows.append((reader.line_num, r))
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


def _csv_mapping(path: Path) -> SourceMapping:
    """Rows keyed by source name, and by GUID where the ``guid`` column gives one (a template
    from ``qdpx inspect``); a name listed twice with different values counts only by GUID."""
    by_name: dict[str, tuple[str | None, str | None]] = {}
    by_guid: dict[str, tuple[str | None, str | None]] = {}
    first: dict[str, tuple[int, bool]] = {}  # name -> (line, had a guid)
    ambiguous: set[str] = set()
    for line, r in _read_csv(path):
        name, guid = r.get("source", ""), r.get("guid", "")
        entry = _entry(f"{path.name} line {line}", name or guid,
                       (r.get("stakeholder_group") or None, r.get("participant_id") or None))
        if guid:
            by_guid[guid] = entry
        if not name:
            continue
        if name in by_name and by_name[name] != entry:
            other_line, other_guid = first[name]
            if not (guid and other_guid):
                raise ConfigError(
                    f"{path.name} lines {other_line} and {line}: source {name!r} is listed "
                    "twice with different values (fix: keep one row, or give each row the "
                    "source's guid)")
            ambiguous.add(name)
        by_name.setdefault(name, entry)
        first.setdefault(name, (line, bool(guid)))
    default = by_name.pop(DEFAULT_KEY, (None, None))[0]
    rows = {k: v for k, v in by_name.items() if k not in ambiguous}
    return SourceMapping(rows, default, by_guid)


def load_mapping(mapping: object) -> SourceMapping:
    """A :class:`SourceMapping` from None, a dict or a CSV path (str or Path)."""
    if mapping is None:
        return SourceMapping()
    is_path = isinstance(mapping, str | os.PathLike)
    check_argument(is_path or isinstance(mapping, Mapping), "mapping",
                   "a dict or a CSV path (source,stakeholder_group,participant_id)",
                   type(mapping).__name__)
    if is_path:
        return _csv_mapping(Path(mapping))
    out = {str(src): _entry("mapping", src, val) for src, val in dict(mapping).items()}
    default = out.pop(DEFAULT_KEY, (None, None))[0]
    return SourceMapping(out, default)


def with_default(rules: SourceMapping, group: str | None) -> SourceMapping:
    """``rules`` with ``group`` (one of the design's stakeholder groups) for every source that
    neither the mapping nor the case variables place; ``None`` leaves ``rules`` as they are."""
    if group is None:
        return rules
    check_one_of("default_group", group, STAKEHOLDER_GROUPS)
    check_argument(rules.default in (None, group), "default_group",
                   f"the mapping's default ({rules.default!r}, its '{DEFAULT_KEY}' row) when "
                   "both are given", group, "drop one of them")
    return replace(rules, default=group)
