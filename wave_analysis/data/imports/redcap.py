"""REDCap offline exports: the records CSV ("flat" format), its data dictionary CSV, and the
statistics-package bundles (a header-less CSV beside an SPSS ``.sps`` or Stata ``.do`` syntax file
that names the columns and carries the value labels).

What the records file holds (REDCap's documented export format; ``shared/notes/edc-and-word.md``):
one row per record x event x repeating-instrument instance, with the structural columns
``redcap_event_name`` (longitudinal projects only), ``redcap_repeat_instrument`` and
``redcap_repeat_instance`` (blank on non-repeating rows); a checkbox field is one column per
choice, ``field___code``, 1/0 (``Checked``/``Unchecked`` in a label export); every instrument has
``<form>_complete`` (0 Incomplete, 1 Unverified, 2 Complete). A label export writes each choice's
label instead of its code; :func:`to_codes` turns labels back into codes through the dictionary's
"Choices, Calculations, OR Slider Labels" (``1, Yes | 0, No``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis.data.read import read_raw
from wave_analysis.exceptions import DataFormatError, Problem

EVENT = "redcap_event_name"
REPEAT_INSTRUMENT = "redcap_repeat_instrument"
REPEAT_INSTANCE = "redcap_repeat_instance"
STRUCTURAL = (EVENT, REPEAT_INSTRUMENT, REPEAT_INSTANCE, "redcap_data_access_group",
              "redcap_survey_identifier")
COMPLETE_STATUS = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
CHECKBOX_STATES = {"1": "Checked", "0": "Unchecked"}
FIXED_CHOICES = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}
_CHOICE_TYPES = ("radio", "dropdown", "checkbox", "yesno", "truefalse")

# Data dictionary header -> our name; the CSV download and the API (snake_case) spell them
# differently.
_DICT_COLUMNS = {
    "Variable / Field Name": "name", "field_name": "name",
    "Form Name": "form", "form_name": "form",
    "Field Type": "type", "field_type": "type",
    "Field Label": "label", "field_label": "label",
    "Choices, Calculations, OR Slider Labels": "choices",
    "select_choices_or_calculations": "choices",
}


@dataclass(frozen=True)
class Field:
    name: str
    form: str
    type: str
    label: str
    choices: Mapping[str, str] = field(default_factory=dict)  # code -> label


@dataclass(frozen=True)
class RedcapDictionary:
    """The fields of a project, from its data dictionary CSV or a stats-package syntax file."""

    fields: Mapping[str, Field]
    file: str

    @property
    def forms(self) -> list[str]:
        return list(dict.fromkeys(f.form for f in self.fields.values() if f.form))

    def field_of(self, column: str) -> Field | None:
        """The field a records column belongs to (``reason___2`` -> ``reason``)."""
        if column in self.fields:
            return self.fields[column]
        base = column.split("___", 1)[0]
        hit = self.fields.get(base)
        return hit if hit is not None and hit.type == "checkbox" else None

    def form_of(self, column: str) -> str | None:
        hit = self.field_of(column)
        return hit.form if hit is not None and hit.form else None

    def labels_to_codes(self, column: str) -> dict[str, str] | None:
        """Label -> code for a records column that holds choices, else None."""
        if column.endswith("_complete") and column[: -len("_complete")] in self.forms:
            return {v: k for k, v in COMPLETE_STATUS.items()}
        hit = self.field_of(column)
        if hit is None:
            return None
        if hit.type == "checkbox" and column != hit.name:
            return {v: k for k, v in CHECKBOX_STATES.items()}
        choices = FIXED_CHOICES.get(hit.type) or hit.choices
        return {label: code for code, label in choices.items()} if choices else None

    def choice_for_column(self, column: str) -> str | None:
        """The choice code of a checkbox column ``field___suffix`` (suffix rules of REDCap)."""
        hit = self.field_of(column)
        if hit is None or "___" not in column:
            return None
        suffix = column.split("___", 1)[1]
        for code in hit.choices:
            if checkbox_suffix(code) == suffix:
                return code
        return None


def checkbox_suffix(code: str) -> str:
    """The column suffix REDCap gives a checkbox choice: lower case, other characters '_'."""
    return re.sub(r"[^a-z0-9]", "_", str(code).lower())


def parse_choices(text: str) -> dict[str, str]:
    """``1, Yes | 0, No`` -> {"1": "Yes", "0": "No"} (a label may itself contain commas)."""
    choices = {}
    for part in str(text).split("|"):
        if "," not in part:
            continue
        code, label = part.split(",", 1)
        choices[code.strip()] = label.strip()
    return choices


def read_dictionary(path: Path, display: str) -> RedcapDictionary:
    """Read a data dictionary CSV (the download or the API's snake_case form)."""
    table = read_raw(path)
    frame = table.frame.rename(columns=_DICT_COLUMNS)
    missing = [c for c in ("name", "form", "type") if c not in frame.columns]
    if missing:
        raise DataFormatError(f"{display}: not a REDCap data dictionary (no 'Variable / Field "
                              "Name', 'Form Name' or 'Field Type' column); download it from "
                              "Project Setup > Data Dictionary")
    fields = {}
    for row in frame.itertuples(index=False):
        if pd.isna(row.name):
            continue
        kind = str(row.type).strip().lower()
        raw = getattr(row, "choices", None)
        choices = parse_choices(raw) if kind in _CHOICE_TYPES and not pd.isna(raw) else {}
        label = getattr(row, "label", None)
        fields[str(row.name).strip()] = Field(str(row.name).strip(), str(row.form).strip(), kind,
                                              "" if pd.isna(label) else str(label), choices)
    return RedcapDictionary(fields, display)


# --- statistics-package bundles ---------------------------------------------------------------

_QUOTED = r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\""
_PAIR = re.compile(rf"({_QUOTED}|[^\s'\"]+)\s+({_QUOTED})")


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        q = text[0]
        return text[1:-1].replace(q * 2, q)
    return text


def _spss(text: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Column order (DATA LIST) and value labels (VALUE LABELS) of an SPSS syntax file."""
    names: list[str] = []
    data_list = re.search(r"DATA\s+LIST\b.*?/(.*?)\n\s*\.", text, re.S | re.I)
    if data_list:
        names = re.findall(r"([A-Za-z_@#$][\w.@#$]*)\s*\(", data_list.group(1))
    labels: dict[str, dict[str, str]] = {}
    for block in re.findall(r"VALUE\s+LABELS\b(.*?)\n\s*\.", text, re.S | re.I):
        for part in re.split(r"\n\s*/", block):
            words = part.strip().split(None, 1)
            if len(words) == 2:
                labels[words[0]] = {_unquote(c): _unquote(lab) for c, lab in
                                    _PAIR.findall(words[1])}
    return names, labels


def _stata(text: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Column order (insheet/import delimited) and value labels (label define/values)."""
    names: list[str] = []
    sheet = re.search(r"^\s*(?:insheet|import\s+delimited)\s+(.*?)\s+using\b", text, re.M | re.S)
    if sheet:
        names = sheet.group(1).split()
    defined = {}
    for name, body in re.findall(r"^\s*label\s+define\s+(\S+)\s+(.*?)(?:,\s*\w+)?\s*$", text,
                                 re.M):
        defined[name] = {_unquote(c): _unquote(lab) for c, lab in _PAIR.findall(body)}
    labels = {var: defined[lab] for var, lab in
              re.findall(r"^\s*label\s+values\s+(\S+)\s+(\S+)\s*$", text, re.M) if lab in defined}
    return names, labels


def read_syntax(path: Path, display: str) -> tuple[list[str], RedcapDictionary]:
    """Column names and a dictionary (value labels as choices) from an ``.sps`` or ``.do``."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFormatError(f"{display}: not a UTF-8 text file") from None
    parse = _spss if path.suffix.lower() == ".sps" else _stata
    names, labels = parse(text)
    if not names:
        raise DataFormatError(f"{display}: no column list found (expected REDCap's SPSS "
                              "'DATA LIST ... /name (format) ...' or Stata 'insheet name ... "
                              "using'); use the syntax file of the same download")
    fields = {}
    for name in names:
        base = name.split("___", 1)[0]
        if base in fields or base in STRUCTURAL:
            continue
        kind = "checkbox" if "___" in name else ("radio" if labels.get(name) else "text")
        choices = labels.get(name, {}) if kind == "radio" else {}
        fields[base] = Field(base, "", kind, "", choices)
    return names, RedcapDictionary(fields, display)


# --- records ----------------------------------------------------------------------------------

def to_codes(frame: pd.DataFrame, lines: np.ndarray, dictionary: RedcapDictionary,
             file: str) -> tuple[pd.DataFrame, list[Problem]]:
    """A label export's values turned back into codes; labels the dictionary does not list
    are problems (one per cell)."""
    problems: list[Problem] = []
    out = frame.copy()
    for column in frame.columns:
        lookup = dictionary.labels_to_codes(column)
        if not lookup:
            continue
        values = frame[column]
        codes = values.map(lookup)
        bad = values.notna() & codes.isna()
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(file, column, int(lines[i]), values.iloc[i],
                                    "is not a label of this field in the data dictionary",
                                    f"use one of {', '.join(map(repr, lookup))} or check that "
                                    "the dictionary is the project's current one"))
        out[column] = codes.where(~bad, values)
    return out, problems


def header_problem(columns: list[str], dictionary: RedcapDictionary | None, id_field: str,
                   file: str) -> Problem | None:
    """Records whose headers are not variable names: labels as headers (an export option), or
    a records file of another project."""
    if id_field in columns:
        return None
    labels = {f.label for f in (dictionary.fields.values() if dictionary else ())}
    if labels and sum(c in labels for c in columns) >= max(1, len(columns) // 4):
        return Problem(file, None, 1, None, "the headers are the fields' labels, not their "
                       "variable names", "export again with variable names as headers (the "
                       "'CSV (raw data)' export, or 'raw variable names' in the export options)")
    return Problem(file, id_field, 1, None, "record id column not found",
                   "set id_field on the source to the records' id column, or check that the "
                   "dictionary belongs to this project")


def structure_problems(frame: pd.DataFrame, lines: np.ndarray, id_field: str,
                       file: str) -> list[Problem]:
    """Duplicate (record, event, instrument, instance) rows and instance numbers that are not
    whole numbers of 1 or more."""
    problems: list[Problem] = []
    keys = [c for c in (id_field, EVENT, REPEAT_INSTRUMENT, REPEAT_INSTANCE)
            if c in frame.columns]
    dupes = frame.duplicated(subset=keys, keep="first").to_numpy()
    for i in np.flatnonzero(dupes):
        key = ", ".join(f"{k}={frame[k].iloc[i]}" for k in keys if not pd.isna(frame[k].iloc[i]))
        problems.append(Problem(file, id_field, int(lines[i]), frame[id_field].iloc[i],
                                f"duplicate row for ({key})",
                                "keep one row per record, event and instance (re-export, or "
                                "remove the repeated row)"))
    if REPEAT_INSTANCE in frame.columns:
        values = frame[REPEAT_INSTANCE]
        nums = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & ~((nums >= 1) & (nums % 1 == 0))
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(file, REPEAT_INSTANCE, int(lines[i]), values.iloc[i],
                                    "is not a repeat instance number (a whole number from 1)",
                                    "correct the instance number"))
    return problems


def normalise_names(values: pd.Series, known: list[str],
                    labels: Mapping[str, str] | None) -> pd.Series:
    """Event or instrument labels (a label export) back to unique names: the mapping's own
    label -> name table first, then the name REDCap derives from a label ("Vsw Contact" ->
    vsw_contact) when that is a known name."""
    lookup = dict(labels or {})
    for value in values.dropna().unique():
        if value in lookup or value in known:
            continue
        guess = re.sub(r"[^a-z0-9]+", "_", str(value).lower()).strip("_")
        if guess in known:
            lookup[value] = guess
    return values.map(lambda v: lookup.get(v, v), na_action="ignore") if lookup else values


def event_labels(path: Path, display: str) -> dict[str, str]:
    """Event label -> unique event name from REDCap's events CSV (Define My Events > Download
    events), with the arms CSV beside it when present: a label export writes events as
    ``<event name> (Arm <n>: <arm name>)``, and as the bare event name in some versions."""
    events = read_raw(path).frame
    needed = {"event_name", "arm_num", "unique_event_name"}
    if not needed <= set(events.columns):
        raise DataFormatError(f"{display}: not REDCap's events CSV (columns event_name, arm_num, "
                              "unique_event_name); download it from Define My Events")
    arms = {}
    arms_file = path.with_name("arms.csv")
    if arms_file.is_file():
        frame = read_raw(arms_file).frame
        if {"arm_num", "name"} <= set(frame.columns):
            arms = dict(zip(frame["arm_num"], frame["name"], strict=True))
    labels = {}
    for row in events.itertuples(index=False):
        labels[str(row.event_name)] = str(row.unique_event_name)
        arm = arms.get(row.arm_num, f"Arm {row.arm_num}")
        labels[f"{row.event_name} (Arm {row.arm_num}: {arm})"] = str(row.unique_event_name)
    return labels
