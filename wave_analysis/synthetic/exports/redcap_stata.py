"""The synthetic REDCap project as REDCap's Stata bundle: a header-less raw-data CSV and the
``.do`` file REDCap writes beside it, which names the columns (``import delimited ... using``),
defines the value labels (``label define sex_ 1 "Female" 2 "Male"``, checkboxes
``0 "Unchecked" 1 "Checked"``, form status ``0 "Incomplete" ...``), attaches them (``label
values``), turns date text into Stata dates and labels every variable.

REDCap names the files ``<PROJECT>_DATA_NOHDRS_<date>_<time>.csv`` and
``<PROJECT>_STATA_<date>_<time>.do``; the date and time are left out here so the bytes depend on
the data only. Rows and columns are those of the raw records export (:mod:`.redcap`).
"""

from __future__ import annotations

from pathlib import Path

from wave_analysis.data.model import TrialData
from wave_analysis.synthetic.exports import redcap
from wave_analysis.synthetic.exports.files import SYNTHETIC_TITLE, readme, source_files

DATA_FILE = "WAVE_SYNTHETIC_DATA_NOHDRS.csv"
DO_FILE = "WAVE_SYNTHETIC_STATA.do"
CHECKBOX = '0 "Unchecked" 1 "Checked"'


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _value_labels(fields: tuple[redcap.Field, ...]) -> dict[str, str]:
    """Stata variable -> its ``label define`` body, in column order."""
    out: dict[str, str] = {}
    status = " ".join(f"{code} {_quoted(label)}" for code, label in redcap.STATUS)
    for form in redcap.FORMS:
        for f in (f for f in fields if f.form == form):
            if f.kind == "checkbox":
                out.update({f"{f.name}___{c.code}": CHECKBOX for c in f.choices})
            elif f.kind == "yesno":
                out[f.name] = '1 "Yes" 0 "No"'
            elif f.choices:
                out[f.name] = " ".join(f"{c.code} {_quoted(c.label)}" for c in f.choices)
        out[f"{form}_complete"] = status
    return out


def _variable_labels(fields: tuple[redcap.Field, ...]) -> dict[str, str]:
    """Stata variable -> its ``label variable`` text (REDCap's wording for the fixed columns)."""
    out = [("redcap_event_name", "Event Name"),
           ("redcap_repeat_instrument", "Repeat Instrument"),
           ("redcap_repeat_instance", "Repeat Instance")]
    for form in redcap.FORMS:
        for f in (f for f in fields if f.form == form):
            if f.kind == "checkbox":
                out += [(f"{f.name}___{c.code}", f"{f.label} (choice={c.label})")
                        for c in f.choices]
            else:
                out.append((f.name, f.label))
        out.append((f"{form}_complete", "Complete?"))
    return dict(out)


def do_file(trial: TrialData, columns: list[str]) -> str:
    """The ``.do`` file for the header-less CSV with ``columns``."""
    fields = redcap.fields(trial.practices)
    values = _value_labels(fields)
    labels = _variable_labels(fields)
    dates = [f.name for f in fields if f.validation == "date_ymd"]
    lines = ["version 13", "clear", "",
             f'import delimited {" ".join(columns)} using "{DATA_FILE}", varnames(nonames)',
             "", f'label data "{SYNTHETIC_TITLE}"', ""]
    lines += [f"label define {name}_ {body} " for name, body in values.items()]
    lines += [""] + [f"label values {name} {name}_" for name in values] + [""]
    for i, name in enumerate(dates, start=1):
        lines += [f"tostring {name}, replace", f'gen _date_{i} = date({name},"YMD")',
                  f"drop {name}", f"rename _date_{i} {name}", f"format {name} %dM_d,_CY", ""]
    lines += [f"label variable {name} {_quoted(labels[name])}" for name in columns]
    lines += ["", f"order {' '.join(columns)}", "set more off", "describe", ""]
    return "\n".join(lines)


def render(trial: TrialData, source: Path) -> dict[str, bytes]:
    """Every file of the Stata-bundle rendering (relative path -> bytes)."""
    frame = redcap.records(trial)
    data = frame.to_csv(index=False, header=False, lineterminator="\n", na_rep="")
    files = {DATA_FILE: data.encode("utf-8"),
             DO_FILE: do_file(trial, list(frame.columns)).encode("utf-8")}
    files.update(source_files(source, ("practices", "screening")))
    files.update(source_files(source))
    files["README.txt"] = readme("REDCap's Stata export bundle", _README)
    return dict(sorted(files.items()))


_README = f"""REDCap project "{SYNTHETIC_TITLE}" exported for Stata ("Stata" in REDCap's
data export): the raw data without a header row and the syntax file that reads it.

{DATA_FILE}   raw codes, one row per record x event x repeating instance
{DO_FILE}          column names, value labels, date conversion, variable labels
practices.csv, screening.csv, interviews.csv, codebook.csv, codings.csv, transcripts/
                                  kept outside REDCap, copied unchanged

The same project and rows as redcap_raw/ (see its README for events, forms and missing codes).
Import: the redcap_wave mapping with records: {DATA_FILE} and syntax: {DO_FILE}
(no dictionary: the value labels come from the .do file).
"""
