"""The phrase banks of the synthetic interview corpus: YAML package data, loaded and checked.

The words of every synthetic transcript live in ``wave_analysis/synthetic/banks/*.yaml`` (each
file says what it holds in its header comment). ``load_banks()`` reads them once through
``importlib.resources`` and checks their shape and cross-references before the generator sees
them, so a typo in a bank fails at load time with a ``ConfigError`` naming the file, the key and
what is wrong, not deep inside a transcript with a ``KeyError``.

Speakers: a sentence is said by ``patient`` (any patient), ``returned`` / ``still_off``
(patients by return-to-work status), a condition group or an age band (patients who fit it),
``vsw``, ``employer`` or ``gp``. Slots in braces (``{vs}``, ``{work}``) are filled from the
interviewee's persona (``SLOTS``) or drawn afresh at each use (``random_slots`` in
personas.yaml); a template may only use the slots of its speaker's group.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from wave_analysis.design import AGE_BANDS, CONDITION_GROUPS, SEXES, STAKEHOLDER_GROUPS
from wave_analysis.exceptions import ConfigError

RETURN_STATUS = ("returned", "still_off")  # a patient's return-to-work status, as a speaker key
PATIENT_TRAITS = (*RETURN_STATUS, *CONDITION_GROUPS, *(label for _, _, label in AGE_BANDS))
SPEAKERS = {"patient": ("patient", *PATIENT_TRAITS), "vsw": ("vsw",),
            "employer": ("employer",), "gp": ("gp",)}
SPEAKER_GROUP = {s: group for group, keys in SPEAKERS.items() for s in keys}
ASKED = ("patient", "others")  # question variants: asked of a patient, or of anyone else
PLACES = ("mid", "late")  # where an uncoded story sits in the interview
# Persona slots a template may use: every group's, then its speaker group's own.
COMMON_SLOTS = ("vs", "Vs", "vo", "vp", "svc", "mode", "weeks_off")
SLOTS = {"patient": ("job", "work", "mgr", "Mgr", "cond", "partner", "Partner"),
         "employer": ("business", "role", "emp"), "vsw": ("bg",), "gp": ("gp_years", "area")}
CODE_ID = re.compile(r"T\d+(\.\d+){0,2}")


@dataclass(frozen=True)
class Code:
    """One codebook entry; ``id`` is dotted (T1.2.1), depth 0 theme, 1 subtheme, 2 code."""

    id: str
    name: str
    description: str

    @property
    def depth(self) -> int:
        return self.id.count(".")


@dataclass(frozen=True)
class Bridge:
    """A sentence expressing two codes at once, said by one group."""

    first: str
    second: str
    speaker: str
    text: str


@dataclass(frozen=True)
class Talk:
    """An uncoded question and answer: question variants, sentences by speaker, how many to tell."""

    questions: tuple[str, ...]
    draw: int
    sentences: Mapping[str, tuple[str, ...]]
    place: str = "mid"


@dataclass(frozen=True)
class Banks:
    """Every bank, keyed as in the YAML files (one field per top-level key)."""

    codes: tuple[Code, ...]  # codebook.yaml
    rates: Mapping[str, Mapping[str, float]]  # mention.yaml
    patient_factors: Mapping[str, Mapping[str, float]]
    passages: Mapping[str, Mapping[str, tuple[str, ...]]]  # passages.yaml
    bridges: tuple[Bridge, ...]
    guide: Mapping[str, tuple[str, ...]]  # questions.yaml
    theme_questions: Mapping[str, Mapping[str, tuple[str, ...]]]
    code_questions: Mapping[str, Mapping[str, tuple[str, ...]]]
    probes: tuple[str, ...]
    back_to: tuple[str, ...]
    nudges: tuple[str, ...]
    filler_questions: tuple[str, ...]
    intro: tuple[str, ...]  # dialogue.yaml
    intro_reply: tuple[str, ...]
    openers: Mapping[str, tuple[str, ...]]
    tails: Mapping[str, tuple[str, ...]]
    filler: Mapping[str, tuple[str, ...]]
    closing: tuple[str, ...]
    closing_reply: Mapping[str, tuple[str, ...]]
    thanks: tuple[str, ...]
    goodbye: tuple[str, ...]
    background: Mapping[str, tuple[Talk, ...]]  # stories.yaml
    stories: Mapping[str, tuple[Talk, ...]]
    condition_words: Mapping[str, tuple[str, ...]]  # personas.yaml
    jobs: tuple[tuple[str, str], ...]
    managers: tuple[str, ...]
    businesses: tuple[tuple[str, str], ...]
    services: tuple[str, ...]
    modes: Mapping[str, float]
    weeks_off: tuple[str, ...]
    partners: Mapping[str, tuple[str, ...]]
    employees: tuple[str, ...]
    vsw_backgrounds: tuple[str, ...]
    gp_years: tuple[str, ...]
    gp_areas: tuple[str, ...]
    random_slots: Mapping[str, tuple[str, ...]]

    @property
    def leaves(self) -> tuple[str, ...]:
        """The codes a passage is coded with (depth 2), in codebook order."""
        return tuple(c.id for c in self.codes if c.depth == 2)


def load_banks(folder: Path | str | None = None) -> Banks:
    """The checked phrase banks: the packaged ones (read once), or those in ``folder``."""
    return _packaged() if folder is None else _load(Path(folder))


@functools.cache
def _packaged() -> Banks:
    return _load(resources.files("wave_analysis.synthetic") / "banks")


# --- shape checks: each takes (value, where) and returns the value in its frozen form ---------

class _Where(tuple):
    """Where a value sits: the file, then the keys and list positions down to it."""

    def __truediv__(self, key) -> _Where:
        return _Where((*self, key))

    def error(self, problem: str) -> ConfigError:
        path = "/".join(str(k) for k in self[1:]) or "top level"
        return ConfigError(f"phrase bank {self[0]}: {path}: {problem} (fix the file; see the "
                           "comment at its top)")


def _got(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(value, at: _Where) -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error(f"must be a non-empty string; got {_got(value)}")
    return value


def _texts(value, at: _Where) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise at.error(f"must be a non-empty list of strings; got {_got(value)}")
    return tuple(_text(v, at / i) for i, v in enumerate(value))


def _count(value, at: _Where) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise at.error(f"must be a whole number of at least 1; got {_got(value)}")
    return value


def _number(value, at: _Where, lo: float, hi: float) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not lo <= value <= hi:
        raise at.error(f"must be a number from {lo} to {hi}; got {_got(value)}")
    return float(value)


def _one_of(options: tuple[str, ...]) -> Callable:
    def check(value, at: _Where) -> str:
        if value not in options:
            raise at.error(f"must be one of {', '.join(options)}; got {_got(value)}")
        return value
    return check


def _mapping(value, at: _Where, check: Callable, keys=None, *, complete=False) -> dict:
    """A non-empty mapping whose keys come from ``keys`` (all of them when ``complete``)."""
    if not isinstance(value, dict) or not value:
        raise at.error(f"must be a non-empty mapping; got {_got(value)}")
    for key in value:
        if keys is not None and key not in keys:
            raise at.error(f"unknown key {key!r}; use one of {', '.join(map(str, keys))}")
    missing = [k for k in keys if k not in value] if complete else []
    if missing:
        raise at.error(f"missing key {missing[0]!r} (needs all of {', '.join(keys)})")
    return {key: check(v, at / key) for key, v in value.items()}


def _keyed(keys=None, check: Callable = _texts, *, complete=False) -> Callable:
    return lambda value, at: _mapping(value, at, check, keys, complete=complete)


def _records(build: Callable, checks: dict[str, Callable]) -> Callable:
    """A non-empty list of mappings with exactly the keys of ``checks``; each entry becomes
    ``build(*checked values)``."""
    def check(value, at: _Where) -> tuple:
        if not isinstance(value, list) or not value:
            raise at.error(f"must be a non-empty list of entries; got {_got(value)}")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or set(item) != set(checks):
                raise (at / i).error(f"must have exactly the keys {', '.join(checks)}; "
                                     f"got {_got(item)}")
            out.append(build(*(fn(item[key], at / i / key) for key, fn in checks.items())))
        return tuple(out)
    return check


def _codes(value, at: _Where) -> tuple[Code, ...]:
    codes = _records(Code, {"id": _text, "name": _text, "description": _text})(value, at)
    seen: set[str] = set()
    for i, code in enumerate(codes):
        parent = code.id.rsplit(".", 1)[0] if code.depth else None
        if not CODE_ID.fullmatch(code.id) or code.id in seen or (parent and parent not in seen):
            raise (at / i / "id").error(f"{code.id!r} must be a new dotted id (T1, T1.2, T1.2.3) "
                                        "listed after its parent")
        seen.add(code.id)
    return codes


def _pair(*values: str) -> tuple[str, ...]:
    return values


_RATE = functools.partial(_number, lo=0.0, hi=1.0)
_FACTOR = functools.partial(_number, lo=0.0, hi=10.0)
_SPEAKER_TEXTS = _keyed(tuple(SPEAKER_GROUP))
_GROUP_TEXTS = _keyed(STAKEHOLDER_GROUPS, complete=True)
_TALK = {"questions": _texts, "draw": _count, "sentences": _SPEAKER_TEXTS}
_BRIDGE = {"from": _text, "to": _text, "speaker": _one_of(STAKEHOLDER_GROUPS), "text": _text}

# file -> top-level key -> check. Every key is required; the field of Banks is the key.
SPEC: dict[str, dict[str, Callable]] = {
    "codebook.yaml": {"codes": _codes},
    "mention.yaml": {"rates": _keyed(None, _keyed(STAKEHOLDER_GROUPS, _RATE)),
                     "patient_factors": _keyed(PATIENT_TRAITS, _keyed(None, _FACTOR))},
    "passages.yaml": {"passages": _keyed(None, _SPEAKER_TEXTS),
                      "bridges": _records(Bridge, _BRIDGE)},
    "questions.yaml": {"guide": _GROUP_TEXTS,
                       "theme_questions": _keyed(None, _keyed(ASKED, complete=True)),
                       "code_questions": _keyed(None, _keyed(ASKED, complete=True)),
                       "probes": _texts, "back_to": _texts, "nudges": _texts,
                       "filler_questions": _texts},
    "dialogue.yaml": {"intro": _texts, "intro_reply": _texts, "openers": _GROUP_TEXTS,
                      "tails": _SPEAKER_TEXTS, "filler": _SPEAKER_TEXTS, "closing": _texts,
                      "closing_reply": _SPEAKER_TEXTS, "thanks": _texts, "goodbye": _texts},
    "stories.yaml": {"background": _keyed(STAKEHOLDER_GROUPS, _records(Talk, _TALK),
                                          complete=True),
                     "stories": _keyed(STAKEHOLDER_GROUPS, _records(
                         Talk, {**_TALK, "place": _one_of(PLACES)}), complete=True)},
    "personas.yaml": {"condition_words": _keyed(CONDITION_GROUPS, complete=True),
                      "jobs": _records(_pair, {"job": _text, "workplace": _text}),
                      "managers": _texts,
                      "businesses": _records(_pair, {"business": _text, "role": _text}),
                      "services": _texts, "modes": _keyed(None, _RATE), "weeks_off": _texts,
                      "partners": _keyed(SEXES, complete=True), "employees": _texts,
                      "vsw_backgrounds": _texts, "gp_years": _texts, "gp_areas": _texts,
                      "random_slots": _keyed(None)},
}
TEMPLATE_FILES = ("passages.yaml", "questions.yaml", "dialogue.yaml", "stories.yaml")


# --- loading and cross-references -------------------------------------------------------------

def _read(folder, name: str) -> dict:
    at = _Where((name,))
    try:
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise at.error(f"cannot be read from {folder} ({exc.__class__.__name__})") from None
    except yaml.YAMLError as exc:
        raise at.error(f"is not valid YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(data, dict):
        raise at.error(f"must be a mapping with the keys {', '.join(SPEC[name])}; "
                       f"got {_got(data)}")
    return data


def _load(folder) -> Banks:
    raw = {name: _read(folder, name) for name in SPEC}
    found: dict = {}
    for name, data in raw.items():
        found.update(_mapping(data, _Where((name,)), lambda v, at: SPEC[at[0]][at[-1]](v, at),
                              tuple(SPEC[name]), complete=True))
    banks = Banks(**found)
    _check_references(banks)
    _check_people(banks)
    for name in TEMPLATE_FILES:
        for at, group, text in _strings(raw[name], _Where((name,))):
            _check_slots(text, at, group, banks.random_slots)
    return banks


def _same_keys(found, expected, at: _Where, what: str) -> None:
    extra = [k for k in found if k not in expected]
    missing = [k for k in expected if k not in found]
    if extra:
        raise (at / extra[0]).error(f"is not {what}")
    if missing:
        raise at.error(f"missing {missing[0]!r} (every one of {what} needs an entry)")


def _check_references(b: Banks) -> None:
    """Codes, groups and speakers named in one bank exist where the generator will look."""
    themes, leaves, leaf = tuple(c.id for c in b.codes if c.depth == 0), b.leaves, "a leaf code"
    _same_keys(b.rates, leaves, _Where(("mention.yaml", "rates")), leaf)
    _same_keys(b.passages, leaves, _Where(("passages.yaml", "passages")), leaf)
    _same_keys(b.code_questions, leaves, _Where(("questions.yaml", "code_questions")), leaf)
    _same_keys(b.theme_questions, themes, _Where(("questions.yaml", "theme_questions")), "a theme")
    for group, order in b.guide.items():
        if sorted(order) != sorted(themes):
            raise _Where(("questions.yaml", "guide", group)).error(
                f"must list every theme once ({', '.join(themes)}); got {list(order)}")
    for trait, factors in b.patient_factors.items():
        for code in factors:
            if "patient" not in b.rates.get(code, {}):
                raise _Where(("mention.yaml", "patient_factors", trait, code)).error(
                    "is not a code with a patient rate in rates")
    for i, bridge in enumerate(b.bridges):
        for key, code in (("from", bridge.first), ("to", bridge.second)):
            if code not in leaves:
                raise _Where(("passages.yaml", "bridges", i, key)).error(
                    f"{code!r} is not a leaf code of codebook.yaml")


def _check_people(b: Banks) -> None:
    """Stories are told by their own group; persona draws are well formed."""
    for name in ("background", "stories"):
        for group, talks in getattr(b, name).items():
            for i, talk in enumerate(talks):
                for speaker in talk.sentences:
                    if SPEAKER_GROUP[speaker] != group:
                        raise _Where(("stories.yaml", name, group, i, "sentences",
                                      speaker)).error(f"is not a speaker of the {group} group")
    if abs(sum(b.modes.values()) - 1) > 1e-9:
        raise _Where(("personas.yaml", "modes")).error(
            f"probabilities must add up to 1; got {sum(b.modes.values())}")
    persona_slots = {*COMMON_SLOTS, *(s for slots in SLOTS.values() for s in slots)}
    for key in b.random_slots:
        if key in persona_slots:
            raise _Where(("personas.yaml", "random_slots", key)).error(
                "is also a persona slot; give it another name")


def _strings(node, at: _Where, group: str | None = None) -> Iterator[tuple]:
    """Every string under ``node`` with where it is and the group whose persona fills it: the
    nearest speaker key (or a bridge's speaker) above it; None for lines said to anyone."""
    if isinstance(node, str):
        yield at, group, node
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, at / i, group)
    elif isinstance(node, dict):
        group = SPEAKER_GROUP.get(node.get("speaker"), group)
        for key, value in node.items():
            inner = None if key == "others" else SPEAKER_GROUP.get(key, group)
            yield from _strings(value, at / key, inner)


def _check_slots(text: str, at: _Where, group: str | None, random_slots) -> None:
    """Every {slot} in a template is well formed and filled for its speaker's group."""
    allowed = {*COMMON_SLOTS, *SLOTS.get(group, ()), *random_slots}
    try:
        parsed = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text)
                  if name is not None]
    except ValueError as exc:
        raise at.error(f"has unbalanced braces ({exc})") from None
    for name, spec, conv in parsed:
        if name not in allowed or spec or conv:
            who = f"the {group} group" if group else "every interviewee"
            raise at.error(f"uses the slot {{{name}}}, which is not filled for {who}; "
                           f"slots: {', '.join(sorted(allowed))}")


def template_regex(template: str) -> str:
    """A regex matching any filling of a phrase-bank template (slots become ``.+?``)."""
    parts = re.split(r"\{[A-Za-z_]+\}", template)
    return ".+?".join(re.escape(p) for p in parts)
