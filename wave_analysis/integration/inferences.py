"""The analyst's meta-inferences (confirms, expands, diverges) per theme, read from a YAML file:
theme code_id -> ``{inference, note, finding}``. The file is project configuration, not a
notebook parameter file, so problems in it raise :class:`~wave_analysis.exceptions.ConfigError`
naming the file and the key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from wave_analysis.exceptions import ConfigError
from wave_analysis.integration.findings import FINDINGS

__all__ = ["INFERENCES", "NOT_ASSESSED", "read_inferences"]

INFERENCES = ("confirms", "expands", "diverges")
NOT_ASSESSED = "not yet assessed"
_INFERENCE_KEYS = ("inference", "note", "finding")


def _load(path: Path) -> object:
    if not path.is_file():
        raise ConfigError(f"inferences file {path} not found (fix: create it or pass "
                          "inferences_file='' to leave every theme 'not yet assessed')")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{path.name}: not valid YAML ({err})") from None


def _entry(where: str, value: object) -> dict:
    """One theme's entry, checked: a bare string is the inference."""
    if isinstance(value, str):
        value = {"inference": value}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must map to {{inference: ..., note: ...}}; got {value!r}")
    extra = [k for k in value if k not in _INFERENCE_KEYS]
    if extra:
        raise ConfigError(f"{where} has unknown field(s) {', '.join(map(str, extra))}; "
                          f"allowed: {', '.join(_INFERENCE_KEYS)}")
    inference = value.get("inference")
    if inference not in INFERENCES:
        raise ConfigError(f"{where}: inference must be one of {', '.join(INFERENCES)}; "
                          f"got {inference!r}")
    finding = value.get("finding")
    if finding is not None and finding not in FINDINGS:
        raise ConfigError(f"{where}: finding must be one of {', '.join(FINDINGS)}; got "
                          f"{finding!r}")
    note = value.get("note")
    return {"inference": inference, "note": "" if note is None else str(note).strip(),
            "finding": finding}


def read_inferences(path, *, theme_ids: Sequence[str] | None = None) -> dict[str, dict]:
    """Read the meta-inference file: YAML mapping theme code_id ->
    ``{inference: confirms|expands|diverges, note: text, finding: key}`` (``note`` and
    ``finding`` optional; ``finding`` one of ``findings.FINDINGS``).

    ``path`` may be empty (no file: every theme is "not yet assessed"). With ``theme_ids``,
    a key that is not one of them is an error. Errors name the file and the key.
    """
    if path is None or str(path) == "":
        return {}
    path = Path(path)
    raw = _load(path)
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{path.name}: must be a mapping of theme code_id to "
                          "{inference, note}; got a " + type(raw).__name__)
    known = None if theme_ids is None else [str(t) for t in theme_ids]
    out: dict[str, dict] = {}
    for key, value in raw.items():
        key = str(key)
        where = f"{path.name}: theme {key!r}"
        if known is not None and key not in known:
            raise ConfigError(f"{where} is not a theme of the codebook (themes: "
                              f"{', '.join(known)}); fix the code_id or remove the entry")
        out[key] = _entry(where, value)
    return out
