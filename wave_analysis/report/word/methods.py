"""The generated methods paragraph of each report section (one section per notebook), written from
what the run recorded: the notebook's parameters and status in the manifest, the data it used, the
analyses its tables name (their source notes say the model, covariates and missing-data rule), and
the software versions. It is a draft for the authors: the caller marks it as generated text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from wave_analysis.config import NOTEBOOKS_DIR, resolve

# Parameters that are places, not analysis choices (the data used is named once, from the run).
_PLACES = ("_dir", "_file", "_mapping")
_SKIP = {"client"}
# How a parameter reads in prose; any other is "name value" with underscores as spaces.
_LABELS = {
    "ci_level": "confidence level", "n_boot": "bootstrap resamples", "seed": "random seed",
    "se_convention": "standard-error convention", "definition": "return-to-work definition",
    "tau": "restricted-mean horizon (days)", "n_sims": "simulated trials per scenario",
    "alpha": "two-sided significance level", "power": "target power",
    "irr": "rate ratio to detect", "level": "codebook level", "coder": "coder counted",
    "nonnormal": "variables summarised as median [Q1, Q3]",
}
_PERCENT = {"ci_level", "power"}
_PLAIN = {"seed"}  # identifiers, not quantities: no thousands separator
# The packages whose versions a methods section cites (those installed in the run).
_SOFTWARE = ("numpy", "pandas", "scipy", "statsmodels", "lifelines", "tableone", "matplotlib",
             "seaborn", "papermill")


def _value(name: str, value: object) -> str:
    if name in _PERCENT and isinstance(value, float) and 0 < value < 1:
        return f"{value * 100:g}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and name not in _PLAIN:
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def parameter_phrases(parameters: Mapping[str, object]) -> list[str]:
    """``confidence level 80%``, ``bootstrap resamples 2,000``, ... (sorted by name)."""
    phrases = []
    for name in sorted(parameters):
        if name in _SKIP or name.endswith(_PLACES):
            continue
        value = parameters[name]
        if value in ("", None, []):
            continue
        phrases.append(f"{_LABELS.get(name, name.replace('_', ' '))} {_value(name, value)}")
    return phrases


def software_line(manifest: Mapping) -> str:
    """``Python 3.11.7; numpy 2.1.0, pandas 2.2.3, ...`` from the manifest's environment."""
    packages = manifest.get("packages") or {}
    named = [f"{p} {packages[p]}" for p in _SOFTWARE if p in packages]
    python = manifest.get("python")
    head = f"Python {python}" if python else "Python"
    return head + ("; " + ", ".join(named) if named else "")


def notebook_stem(prefix: str, manifest: Mapping) -> str:
    """The notebook numbered ``prefix`` (``03`` -> ``03_days_absent``): the manifest's, else
    the project's, else the prefix itself."""
    names = sorted(n for n in (manifest.get("notebooks") or {}) if n.split("_", 1)[0] == prefix)
    names = names or sorted(p.stem for p in NOTEBOOKS_DIR.glob(f"{prefix}_*.ipynb"))
    return names[0] if names else prefix


def _notebook_path(entry: Mapping, stem: str) -> Path | None:
    """The notebook the manifest names, else the project's notebook with this name or prefix."""
    if entry.get("notebook"):
        return resolve(entry["notebook"])
    found = sorted(NOTEBOOKS_DIR.glob(f"{stem}.ipynb")) or sorted(
        NOTEBOOKS_DIR.glob(f"{stem}_*.ipynb"))
    return found[0] if found else None


def notebook_title(entry: Mapping, stem: str) -> str:
    """The notebook's first Markdown heading (``03 Days absent: ...``), else its file name."""
    path = _notebook_path(entry, stem)
    try:
        cells = json.loads(path.read_text("utf-8"))["cells"] if path else []
    except (OSError, ValueError, KeyError, TypeError):
        cells = []
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            text = "".join(cell.get("source", "")).strip()
            first = text.splitlines()[0] if text else ""
            if first.startswith("#"):
                return first.lstrip("#").strip()
    return stem.replace("_", " ")


def _unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def methods_text(stem: str, manifest: Mapping, *, source_notes: Iterable[str] = ()) -> str:
    """One paragraph on how the section's results were produced."""
    entry = (manifest.get("notebooks") or {}).get(stem, {})
    data = ((manifest.get("run") or {}).get("data") or {}).get("description")
    parts = [f"The results in this section come from notebook {stem}"
             + (f", run on {data}" if data else "") + "."]
    phrases = parameter_phrases(entry.get("parameters") or {})
    if phrases:
        parts.append("Settings: " + "; ".join(phrases) + ".")
    notes = _unique(n.rstrip(".") for n in source_notes)
    if notes:
        parts.append("Analyses: " + "; ".join(notes) + ".")
    parts.append(f"Software: {software_line(manifest)}; wave-analysis library "
                 f"{str(manifest.get('library') or 'unrecorded')[:12]}.")
    return " ".join(parts)
