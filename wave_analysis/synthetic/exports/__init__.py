"""The bundled synthetic cohort rendered as real data-capture exports, for the import mappings'
round-trip tests and as worked examples: REDCap raw and labels (:mod:`.redcap`) and its Stata
bundle (:mod:`.redcap_stata`), Castor (:mod:`.castor`) and a team's own spreadsheet with an SPSS
file (:mod:`.spreadsheet`), and the fortnightly SMS as the platform's message log
(:mod:`.sms_log`).

Each rendering reads the cohort with the project's loader, returns its files as bytes (fixed
order, no timestamps) and is written to ``data/exports/<name>/`` atomically by
:func:`write_exports`, which ``wave-analysis synth`` calls after regenerating the cohort.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import DATA_DIR, SYNTHETIC_DIR
from wave_analysis.data.load import load_trial
from wave_analysis.data.model import TrialData
from wave_analysis.synthetic.exports import castor, redcap, redcap_stata, sms_log, spreadsheet

EXPORTS_DIR = DATA_DIR / "exports"
Renderer = Callable[[TrialData, Path], Mapping[str, bytes]]
RENDERINGS: dict[str, Renderer] = {
    "redcap_raw": partial(redcap.render, labels=False),
    "redcap_labels": partial(redcap.render, labels=True),
    "redcap_stata": redcap_stata.render,
    "castor": castor.render,
    "spreadsheet": spreadsheet.render,
    "sms_log": sms_log.render,
}


def render(name: str, source: Path = SYNTHETIC_DIR) -> dict[str, bytes]:
    """The files of rendering ``name`` of the cohort in ``source`` (relative path -> bytes)."""
    return dict(RENDERINGS[name](load_trial(source), Path(source)))


def write_exports(source: Path = SYNTHETIC_DIR, target: Path = EXPORTS_DIR) -> list[Path]:
    """Render the cohort in ``source`` every way and write each into ``target/<name>/``,
    replacing that folder atomically. Returns the folders written."""
    trial = load_trial(source)
    written = []
    for name, renderer in RENDERINGS.items():
        files = renderer(trial, Path(source))
        written.append(_atomic.replace_folder(Path(target) / name, partial(_fill, files)))
    return written


def _fill(files: Mapping[str, bytes], staging: Path) -> None:
    for rel, content in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
