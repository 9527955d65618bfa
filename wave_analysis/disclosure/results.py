"""The record of a disclosure check, modelled on ACRO's ``results.json`` (one record per output:
uid, status pass / fail / review, type, the checks' outcome, the files, and the analyst's
``exception`` text when an output is released anyway), plus the run's thresholds; and
``summary.md``, the counts of artefacts passing, failing and needing review and the rules they
trip. Canonical-run files carry no dates, so they are the same on every machine."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.disclosure.rules import FAIL, PASS, REVIEW, Finding, Thresholds
from wave_analysis.exceptions import WaveError

RESULTS, SUMMARY = "results.json", "summary.md"
VERSION = 1


def status_of(findings: list[Finding], hits: list, participant_level: bool) -> str:
    """fail if any rule fails, an identifier is found or the artefact is participant-level;
    review if any finding asks for a person; else pass."""
    if participant_level or hits or any(f.status == FAIL for f in findings):
        return FAIL
    return REVIEW if findings else PASS


def make_record(artefact, findings: list[Finding], hits: list, *, treatment: str | None = None
                ) -> dict:
    """One results.json record (``artefact``: an ``artefacts.Artefact``)."""
    participant = artefact.participant_level
    status = status_of(findings, hits, participant)
    rules = sorted({f.rule for f in findings} | ({"identifiers"} if hits else set())
                   | ({"participant_level"} if participant else set()))
    return {
        "uid": artefact.key, "name": artefact.name, "type": artefact.kind.rstrip("s"),
        "status": status, "rules": rules, "participant_level": participant,
        "synthetic": artefact.synthetic, "analysis": artefact.analysis(),
        "files": [f.name for f in artefact.files], "spec": artefact.spec,
        "failing_cells": [f.to_dict() for f in findings if f.status == FAIL],
        "review": [f.to_dict() for f in findings if f.status == REVIEW],
        "identifiers": [h.message(artefact.key) for h in hits],
        "summary": _record_summary(status, findings, hits, participant),
        "treatment": treatment, "destination": None, "exception": "", "released": None,
    }


def _record_summary(status: str, findings: list[Finding], hits: list, participant: bool) -> str:
    counts = Counter(f.rule for f in findings if f.status == status or status == PASS)
    parts = [f"{rule}: {n} finding{'s' * (n != 1)}" for rule, n in sorted(counts.items())]
    if hits:
        parts.append(f"identifiers: {len(hits)} found")
    if participant:
        parts.append("participant-level: team only")
    return status + ("; " + "; ".join(parts) if parts else "")


@dataclass(frozen=True)
class Summary:
    """Counts of one publish: what passed, failed, needs review, and what was shared."""

    results_dir: Path
    total: int
    passed: int
    failed: int
    review: int
    shared: int
    blocking: bool
    rules: dict[str, int] = field(default_factory=dict)  # rule -> artefacts tripping it

    def line(self) -> str:
        """One line for the CLI."""
        rules = ", ".join(f"{r} {n}" for r, n in sorted(self.rules.items(), key=lambda x: -x[1]))
        tail = (f"{self.shared} copied to shareable" if self.blocking
                else "recorded, not blocking")
        return (f"disclosure: {self.total} artefacts: {self.passed} pass, {self.failed} fail, "
                f"{self.review} review" + (f" (rules: {rules})" if rules else "")
                + f"; {tail}; see {self.results_dir / SUMMARY}")


def summarise(results: dict, results_dir: Path) -> Summary:
    records = list(results["results"].values())
    statuses = Counter(r["status"] for r in records)
    rules = Counter(rule for r in records if r["status"] != PASS for rule in r["rules"])
    shared = sum(1 for r in records if (r["destination"] or "").startswith("shareable"))
    return Summary(Path(results_dir), len(records), statuses[PASS], statuses[FAIL],
                   statuses[REVIEW], shared, bool(results["blocking"]), dict(rules))


def document(records: list[dict], thresholds: Thresholds, *, blocking: bool,
             on_fail: str) -> dict:
    return {"version": VERSION, "tool": "wave_analysis.disclosure", "blocking": blocking,
            "on_fail": on_fail, "thresholds": thresholds.to_dict(),
            "results": {r["uid"]: r for r in records}}


def render_summary(results: dict) -> str:
    """summary.md: counts, the rules tripped, and one line per artefact that did not pass."""
    s = summarise(results, Path("."))
    t = results["thresholds"]
    lines = ["# Disclosure control", "",
             f"Threshold {t['threshold']} units; dominance N-K with N={t['nk_n']}, "
             f"K={t['nk_k']:.0%}; p% with p={t['p_percent']:.0%}; residual df >= {t['dof']}; "
             f"survival steps >= {t['survival']}; quotes of {t['quote_chars']} characters.",
             "", "| status | artefacts |", "|---|---:|",
             f"| pass | {s.passed} |", f"| fail | {s.failed} |", f"| review | {s.review} |",
             f"| **total** | {s.total} |", ""]
    mode = ("blocking: only passing artefacts were copied to shareable/"
            if s.blocking else "not blocking: the checks were recorded, nothing was withheld")
    lines += [f"Mode: {mode}.", "", "| rule | artefacts not passing that trip it |", "|---|---:|"]
    lines += [f"| {rule} | {n} |" for rule, n in sorted(s.rules.items())] + [""]
    lines += ["| artefact | status | analysis | summary | released |", "|---|---|---|---|---|"]
    for r in results["results"].values():
        if r["status"] != PASS:
            why = r["released"]["reason"] if r["released"] else ""
            lines.append(f"| {r['uid']} | {r['status']} | {r['analysis']['notebook']} | "
                         f"{r['summary']} | {why} |")
    return "\n".join(lines) + "\n"


def write(results: dict, results_dir: Path) -> Summary:
    """results.json and summary.md into ``results_dir``, atomically."""
    results_dir = Path(results_dir)
    _atomic.write_text(results_dir / RESULTS,
                       json.dumps(results, indent=2, sort_keys=False, allow_nan=False) + "\n")
    _atomic.write_text(results_dir / SUMMARY, render_summary(results))
    return summarise(results, results_dir)


def load(results_dir: Path) -> dict:
    path = Path(results_dir) / RESULTS
    if not path.is_file():
        raise WaveError(f"{path}: no disclosure results; run the analysis first")
    try:
        return json.loads(path.read_text("utf-8"))
    except ValueError as err:
        raise WaveError(f"{path}: not valid JSON ({err}); rerun the analysis") from None
