"""Apply the rules a spec calls for to one table, and the differencing check across tables."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wave_analysis.disclosure import rules, spec
from wave_analysis.disclosure.rules import REVIEW, Finding, Thresholds


def _frequency(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return rules.threshold(frame, part["counts"], threshold=t.threshold)


def _statistics(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return rules.units_threshold(frame, part["units"], part["columns"], threshold=t.threshold)


def _magnitude(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return (rules.units_threshold(frame, part["units"], [part["values"]], threshold=t.threshold)
            + rules.nk_dominance(frame, part["values"], part["top"], n=t.nk_n, k=t.nk_k)
            + rules.p_percent(frame, part["values"], part["top"], p=t.p_percent))


def _regression(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    found = rules.residual_df(frame, part.get("residual_df"), minimum=t.dof)
    if part.get("units"):
        found += rules.units_threshold(frame, part["units"], [], threshold=t.threshold)
    return found


def _survival(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return rules.survival_steps(frame, part.get("at_risk"), part.get("events"),
                                threshold=t.survival)


def _quotes(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return [Finding("quotes", REVIEW, None, None, None,
                    "verbatim interview material: a person reads it before it is shared")]


def _other(frame: pd.DataFrame, part: dict, t: Thresholds) -> list[Finding]:
    return [Finding("other", REVIEW, None, None, None, f"no rule applies: {part['reason']}")]


_RULES = {"frequency": _frequency, "statistics": _statistics, "magnitude": _magnitude,
          "regression": _regression, "survival": _survival, "quotes": _quotes, "other": _other}


def check_table(frame: pd.DataFrame | None, sdc: Mapping | None,
                thresholds: Thresholds) -> list[Finding]:
    """Findings of every rule ``sdc`` calls for, plus the minima/maxima rule on any table.
    No spec, or no table data to check: one review finding."""
    if sdc is None:
        return [Finding("no_spec", REVIEW, None, None, None,
                        "no disclosure spec: a person must look (pass sdc= when saving)")]
    parts = spec.parts(spec.check(sdc))
    if frame is None:
        if all(p["kind"] in ("quotes", "other") for p in parts):
            return [f for p in parts for f in _RULES[p["kind"]](pd.DataFrame(), p, thresholds)]
        return [Finding("no_data", REVIEW, None, None, None,
                        "the table this spec describes was not found as CSV: a person checks it")]
    found = [f for p in parts for f in _RULES[p["kind"]](frame, p, thresholds)]
    return found + rules.extremes(frame)


def differencing(frames: Mapping[str, tuple[pd.DataFrame, Mapping]],
                 thresholds: Thresholds) -> dict[str, list[Finding]]:
    """Frequency tables of one run that share a count column whose totals differ by fewer than
    ``threshold`` (but not 0) units: subtracting one from the other can isolate a few people.
    ``frames``: artefact key -> (table, spec). Returns key -> review findings naming the other."""
    totals: dict[str, dict[str, float]] = {}
    for key, (frame, sdc) in frames.items():
        cols = [c for p in spec.parts(sdc) if p["kind"] == "frequency" for c in p["counts"]]
        totals[key] = {c: float(pd.to_numeric(frame[c], errors="coerce").sum())
                       for c in cols if c in frame.columns}
    found: dict[str, list[Finding]] = {}
    keys = sorted(totals)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            for col in sorted(set(totals[a]) & set(totals[b])):
                gap = abs(totals[a][col] - totals[b][col])
                if 0 < gap < thresholds.threshold:
                    for one, two in ((a, b), (b, a)):
                        found.setdefault(one, []).append(Finding(
                            "differencing", REVIEW, None, col, gap,
                            f"total of '{col}' differs from {two} by {gap:g} units (fewer than "
                            f"{thresholds.threshold}): the difference may isolate people"))
    return found
