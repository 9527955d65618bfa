"""The identifier scan: before an artefact is shared, look in its text for the loaded data's
identifiers and for verbatim interview quotes.

``identifiers_from(study_or_folder)`` collects trial participant ids, practice ids and names,
interview ids, transcript file names, dates tied to individuals (randomisation, SMS reply,
VSW contact, interview and withdrawal dates) and the transcripts. ``scan(text, identifiers)``
finds any of them in an artefact's text; a run of ``quote_chars`` or more characters that also
occurs in a transcript is a verbatim quote. Quotes are found through an index of every
``quote_chars``-long shingle of the normalised transcripts (lower case, one space for any white
space, straight quotes), so a scan costs one dictionary look-up per character of the artefact.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wave_analysis._checks import check_int
from wave_analysis.data.load import load_qualitative, load_trial
from wave_analysis.data.model import QualData, TrialData

# kind -> (table, column) of the trial and qualitative tables
_TRIAL_IDS = {
    "participant id": [("participants", "participant_id")],
    "practice id": [("practices", "practice_id")],
    "practice name": [("practices", "practice_name")],
    "contact id": [("vsw_contacts", "contact_id")],
    "individual date": [("participants", "randomisation_date"), ("sms", "reply_date"),
                        ("vsw_contacts", "contact_date"), ("withdrawals", "withdrawal_date")],
}
_QUAL_IDS = {
    "interview id": [("interviews", "interview_id")],
    "transcript file": [("interviews", "transcript_file")],
    "individual date": [("interviews", "interview_date")],
}
_QUOTE_MARKS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                              "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SVG_TEXT = re.compile(r"<!--(.*?)-->|<text[^>]*>(.*?)</text>", re.DOTALL)


@dataclass(frozen=True)
class Hit:
    """One identifier or quote found in an artefact."""

    kind: str
    value: str
    where: str

    def message(self, artefact: str) -> str:
        return f"{artefact}: {self.kind} {self.value!r} found {self.where}"


@dataclass(frozen=True)
class Identifiers:
    """What must never appear in a shared artefact: kind -> values, and the transcripts."""

    values: Mapping[str, frozenset[str]] = field(default_factory=dict)
    transcripts: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Identifiers:
        return cls({}, {})

    def patterns(self) -> dict[str, re.Pattern]:
        """One regular expression per kind; values match whole (not inside a longer id)."""
        out = {}
        for kind, values in self.values.items():
            words = sorted((v for v in values if v), key=len, reverse=True)
            if words:
                body = "|".join(re.escape(w) for w in words)
                out[kind] = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")
        return out


def _column_values(frame: pd.DataFrame, column: str) -> set[str]:
    if column not in frame.columns:
        return set()
    values = frame[column].dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return set(values.dt.strftime("%Y-%m-%d"))
    return {str(v).strip() for v in values if str(v).strip()}


def _collect(part, table_ids: dict, into: dict[str, set[str]]) -> None:
    for kind, places in table_ids.items():
        for table, column in places:
            frame = getattr(part, table, None)
            if isinstance(frame, pd.DataFrame):
                into.setdefault(kind, set()).update(_column_values(frame, column))


def _parts(study_or_folder) -> tuple[TrialData | None, QualData | None]:
    if isinstance(study_or_folder, str | Path):
        folder = Path(study_or_folder)
        trial = load_trial(folder) if (folder / "participants.csv").exists() else None
        qual = (load_qualitative(folder, trial=trial)
                if (folder / "interviews.csv").exists() else None)
        return trial, qual
    if isinstance(study_or_folder, TrialData):
        return study_or_folder, None
    if isinstance(study_or_folder, QualData):
        return None, study_or_folder
    return getattr(study_or_folder, "trial", None), getattr(study_or_folder, "qual", None)


def identifiers_from(study_or_folder) -> Identifiers:
    """The identifiers of a loaded ``Study`` (or ``TrialData``/``QualData``), or of an export
    folder (loaded and validated here)."""
    trial, qual = _parts(study_or_folder)
    values: dict[str, set[str]] = {}
    if trial is not None:
        _collect(trial, _TRIAL_IDS, values)
    transcripts: dict[str, str] = {}
    if qual is not None:
        _collect(qual, _QUAL_IDS, values)
        transcripts = dict(qual.transcripts)
    return Identifiers({k: frozenset(v) for k, v in values.items()}, transcripts)


def normalise(text: str) -> str:
    """Lower case, straight quotes, one space for any run of white space (or a line break)."""
    text = html.unescape(text.replace('""', '"')).translate(_QUOTE_MARKS)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).lower()


class QuoteIndex:
    """Every ``length``-character shingle of the normalised transcripts -> (transcript, offset)."""

    def __init__(self, transcripts: Mapping[str, str], length: int):
        self.length = check_int("quote_chars", length, minimum=10)
        self.shingles: dict[str, tuple[str, int]] = {}
        for name in sorted(transcripts):
            text = normalise(transcripts[name])
            for i in range(len(text) - length + 1):
                self.shingles.setdefault(text[i:i + length], (name, i))

    def runs(self, text: str) -> list[tuple[int, int, str, int]]:
        """Verbatim runs in ``text``: (start, end, transcript, offset), merged when they touch."""
        text, found = normalise(text), []
        for i in range(len(text) - self.length + 1):
            source = self.shingles.get(text[i:i + self.length])
            if source is None:
                continue
            if found and found[-1][1] >= i + self.length - 1:
                start, _, name, offset = found[-1]
                found[-1] = (start, i + self.length, name, offset)
            else:
                found.append((i, i + self.length, *source))
        return found


def artefact_text(path: Path) -> str:
    """The text of a table, text or figure file to scan ('' for a raster image): for an SVG,
    its text elements and the comments in which matplotlib records each drawn string."""
    if path.suffix.lower() in (".png", ".pdf", ".jpg", ".jpeg"):
        return ""
    text = path.read_text("utf-8", errors="replace")
    if path.suffix.lower() == ".svg":
        return "\n".join(a or b for a, b in _SVG_TEXT.findall(text))
    return text


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def scan(artefact_text: str, identifiers: Identifiers, *, quote_chars: int = 40,
         index: QuoteIndex | None = None, where: str = "") -> list[Hit]:
    """Every identifier in ``artefact_text`` and every verbatim transcript run of ``quote_chars``
    or more characters. ``index``: a prebuilt ``QuoteIndex`` (built here when None)."""
    hits = []
    prefix = f"in {where} " if where else ""
    for kind, pattern in sorted(identifiers.patterns().items()):
        for match in pattern.finditer(artefact_text):
            hits.append(Hit(kind, match.group(0),
                            f"{prefix}at line {_line_of(artefact_text, match.start())}"))
    if identifiers.transcripts:
        index = index or QuoteIndex(identifiers.transcripts, quote_chars)
        for start, end, name, offset in index.runs(artefact_text):
            snippet = normalise(artefact_text)[start:end]
            hits.append(Hit("verbatim quote", snippet[:60] + ("..." if len(snippet) > 60 else ""),
                            f"{prefix}({end - start} characters, transcript {name} near "
                            f"character {offset})"))
    return hits
