"""Sensible first values for a mapping template: each source's stakeholder group and trial id,
with the basis of each so a person can check them before the import uses them.

Values the import itself would read (a case variable named like stakeholder/role/group, a trial
id variable; see :mod:`~wave_analysis.data.qdpx.mapping`) are copied as they are. Everything
else is a guess, and its basis starts with :data:`GUESS`:

* a group from any other variable whose value names a group ("Type" = "Line manager");
* a group from the words of the source's name, then of its cases' names ("GP_03",
  "Employer interview 2", "LineManager4"); names suggesting two groups give no guess;
* a trial id (patients only) from a case name that is an id with a digit ("P-017"), then from an
  id-like part of the source's name (at most four letters, then digits: "P017 interview",
  "WAVE-0012"), never from a group word ("GP_03").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from wave_analysis.data.qdpx import mapping as source_mapping
from wave_analysis.data.qdpx.ids import ID_RE

GUESS = "guess: "
TO_FILL = "to fill"
_LETTERS = re.compile(r"[^\W\d_]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# an id-like part of a name: a short letter prefix, an optional separator, digits
_ID_PART = re.compile(r"(?<![^\W_])([^\W\d_]{1,4})[-_]?(\d{1,6})(?![^\W_])")


@dataclass(frozen=True)
class Filled:
    """A template value (None: left empty) and why it is there."""

    value: str | None
    basis: str

    @property
    def guessed(self) -> bool:
        return self.basis.startswith(GUESS)


def _words(name: str) -> list[str]:
    return [w for run in _LETTERS.findall(name or "") for w in _CAMEL.split(run) if w]


def groups_in_name(name: str) -> set[str]:
    """The stakeholder groups the words of ``name`` name ("GP_03" -> {"gp"}); runs of up to
    three words count, so "line manager" and "vocational support worker" are found."""
    words = _words(name)
    runs = ("_".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1))
    return {g for g in map(source_mapping.norm_group, runs) if g is not None}


def _from_names(names: Iterable[tuple[str, str]]) -> Filled | None:
    """A group from the first kind of name ("source name", "case name") that suggests any."""
    for kind, name in names:
        found = groups_in_name(name)
        if len(found) == 1:
            return Filled(found.pop(), f"{GUESS}{kind} {name!r}")
        if found:
            return Filled(None, f"{TO_FILL} ({kind} {name!r} suggests "
                          f"{' and '.join(sorted(found))})")
    return None


def guess_group(variables: Mapping[str, object], source_name: str,
                case_names: Iterable[str]) -> Filled:
    """The group of one source, from its variables, its name, then its cases' names."""
    used = source_mapping.group_variables(variables)
    if used:
        name, group = used[0]
        return Filled(group, f"variable {name!r} = {variables[name]!r} (the import reads it)")
    for name, value in variables.items():
        group = source_mapping.norm_group(value)
        if name and group is not None:
            return Filled(group, f"{GUESS}variable {name!r} = {value!r}")
    names = [("source name", source_name)] + [("case name", c) for c in case_names if c]
    return _from_names(names) or Filled(None, TO_FILL)


def _id_in_name(name: str) -> str | None:
    for m in _ID_PART.finditer(name or ""):
        letters = m.group(1)
        if source_mapping.norm_group(letters) is None and ID_RE.match(m.group(0)):
            return m.group(0)
    return None


def guess_participant(variables: Mapping[str, object], group: str | None, source_name: str,
                      case_names: Iterable[str]) -> Filled:
    """The trial id of one source; only patients carry one (data dictionary)."""
    if group not in (None, "patient"):
        return Filled(None, "leave empty (only patients carry a trial id)")
    found = source_mapping.named_variable(variables, "participant_id")
    if found is not None and ID_RE.match(found[1]):
        return Filled(found[1], f"variable {found[0]!r} (the import reads it)")
    for case in case_names:
        if case and ID_RE.match(case) and any(c.isdigit() for c in case):
            return Filled(case, f"{GUESS}case name {case!r}")
    pid = _id_in_name(source_name)
    if pid is not None:
        return Filled(pid, f"{GUESS}source name {source_name!r}")
    return Filled(None, TO_FILL + ("" if group == "patient" else " if a patient"))
