"""Check every artefact of a run and decide what may leave it: ``publish`` (from ``team_only/``
to ``shareable/``) and ``release`` (one withheld artefact, with the analyst's reason).

With ``blocking`` (real data) only passing, non-participant-level artefacts are copied to
``shareable``; a failing frequency table may instead be suppressed or rounded
(``on_fail="suppress"|"round"``) and is shared only if the treated table passes. Without
``blocking`` (the canonical synthetic run) the checks are only recorded.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wave_analysis import _atomic, outputs
from wave_analysis._checks import check_argument, check_one_of
from wave_analysis.disclosure import artefacts, checks, results, spec, suppress
from wave_analysis.disclosure.artefacts import Artefact
from wave_analysis.disclosure.identifiers import Identifiers, QuoteIndex, artefact_text, scan
from wave_analysis.disclosure.rules import PASS, Thresholds
from wave_analysis.exceptions import ArgumentError, PrivacyError, WaveError

ON_FAIL = ("withhold", "suppress", "round")
TEAM_ONLY, SHAREABLE, DISCLOSURE = "team_only", "shareable", "disclosure"


def _folders(source: Path | Mapping[str, Path]) -> dict[str, Path]:
    if isinstance(source, Mapping):
        return {k: Path(v) for k, v in source.items() if k in artefacts.KINDS}
    return {k: Path(source) / k for k in artefacts.KINDS}


def _copy(files, target: Path) -> list[Path]:
    """Copy files and their sidecars into ``target``, atomically each."""
    done = []
    for file in files:
        for src, dst in ((file, target / file.name),
                         (outputs.sidecar_path(file), outputs.sidecar_path(target / file.name))):
            if src.is_file():
                _atomic.write_with(dst, lambda tmp, s=src: shutil.copyfile(s, tmp))
        done.append(target / file.name)
    return done


def _scan(artefact: Artefact, identifiers: Identifiers, index: QuoteIndex | None,
          quote_chars: int) -> list:
    return [hit for f in artefact.files for hit in scan(
        artefact_text(f), identifiers, quote_chars=quote_chars, index=index, where=f.name)]


def _treat(frame: pd.DataFrame, sdc: dict, on_fail: str, t: Thresholds) -> pd.DataFrame | None:
    """The suppressed or rounded table, or None when the spec has no counts to treat."""
    freq = [p for p in spec.parts(sdc) if p["kind"] == "frequency"]
    if not freq or len(freq) != len(spec.parts(sdc)):
        return None
    counts = [c for p in freq for c in p["counts"] if c in frame.columns]
    derived = [c for p in freq for c in p["derived"]]
    if on_fail == "round":
        frame = suppress.round_counts(frame, counts, derived=derived)
    try:
        return suppress.suppress(frame, counts, threshold=t.threshold, derived=derived)[0]
    except suppress.SuppressionError:
        return None


def _share_treated(artefact: Artefact, frame, on_fail: str, t: Thresholds,
                   shareable: Path) -> dict | None:
    """Suppress or round a failing table; share it when the treated table passes."""
    if artefact.kind != "tables" or frame is None or not artefact.spec:
        return None
    treated = _treat(frame, artefact.spec, on_fail, t)
    if treated is None:
        return None
    numeric = treated.replace(suppress.SUPPRESSED, pd.NA)
    found = checks.check_table(numeric, artefact.spec, t)
    if results.status_of(found, [], artefact.participant_level) != PASS:
        return None
    formats = tuple(f.suffix[1:] for f in artefact.files if f.suffix[1:] in
                    outputs.TABLE_FORMATS)
    outputs.save_table(treated, artefact.name, folder=shareable / "tables", formats=formats,
                       synthetic=artefact.synthetic, sdc=artefact.spec)
    return {"treatment": "suppressed" if on_fail == "suppress" else "rounded and suppressed",
            "cells": [f.to_dict() for f in found]}


def _check_all(found: list[Artefact], folders, identifiers, t: Thresholds):
    index = QuoteIndex(identifiers.transcripts, t.quote_chars) if identifiers.transcripts else None
    frames, checked = {}, []
    for art in found:
        frame = artefacts.table_frame(art, folders)
        findings = checks.check_table(frame, art.spec, t)
        if art.kind == "tables" and frame is not None and art.spec:
            frames[art.key] = (frame, art.spec)
        checked.append((art, frame, findings, _scan(art, identifiers, index, t.quote_chars)))
    diffs = checks.differencing(frames, t)
    return [(a, fr, fi + diffs.get(a.key, []), h) for a, fr, fi, h in checked]


def publish(source: Path | Mapping[str, Path], shareable: Path | None, results_dir: Path, *,
            identifiers: Identifiers, blocking: bool, on_fail: str = "withhold",
            thresholds: Thresholds | None = None) -> results.Summary:
    """Check every artefact in ``source/figures`` and ``source/tables`` (or the folders of a
    mapping {"figures": ..., "tables": ...}); with ``blocking`` copy what may be shared to
    ``shareable``; write ``results.json`` and ``summary.md`` into ``results_dir``."""
    check_one_of("on_fail", on_fail, ON_FAIL)
    check_argument(not blocking or shareable is not None, "shareable",
                   "a folder when blocking is True", shareable)
    t = thresholds or Thresholds()
    folders = _folders(source)
    records = []
    for art, frame, findings, hits in _check_all(artefacts.collect(folders), folders,
                                                 identifiers, t):
        record = results.make_record(art, findings, hits)
        if not blocking:
            record["destination"] = "not published (recorded only)"
        elif record["status"] == PASS:
            _copy(art.files, Path(shareable) / art.kind)
            record["destination"] = "shareable"
        elif (on_fail != "withhold" and not hits and not art.participant_level
              and (treated := _share_treated(art, frame, on_fail, t, Path(shareable)))):
            record["treatment"] = treated
            record["destination"] = "shareable (treated)"
        else:
            record["destination"] = TEAM_ONLY
        records.append(record)
    doc = results.document(records, t, blocking=blocking, on_fail=on_fail)
    return results.write(doc, results_dir)


def _find(doc: dict, artefact: str, where: Path) -> dict:
    records = doc["results"]
    if artefact in records:
        return records[artefact]
    named = [r for r in records.values() if r["name"] == artefact]
    if len(named) == 1:
        return named[0]
    if named:
        raise ArgumentError(f"{artefact} is ambiguous in {where}: say one of "
                            + ", ".join(r["uid"] for r in named))
    raise ArgumentError(f"{artefact}: no such artefact in {where}; artefacts are named like "
                        "tables/NAME or figures/NAME")


def release(run_folder: Path, artefact: str, *, reason: str) -> Path:
    """Copy one withheld artefact of ``run_folder`` from ``team_only/`` to ``shareable/`` and
    record ``reason`` and the time in ``disclosure/results.json``. Returns the first file's new
    path. Participant-level artefacts are never released."""
    check_argument(isinstance(reason, str) and bool(reason.strip()), "reason",
                   "a sentence saying why the output is safe to share", reason)
    run_folder = Path(run_folder)
    results_dir = run_folder / DISCLOSURE
    doc = results.load(results_dir)
    record = _find(doc, artefact, results_dir / results.RESULTS)
    if record["participant_level"]:
        raise PrivacyError(f"{record['uid']} shows individual participants: it stays in "
                           f"{TEAM_ONLY}/ and cannot be released; share an aggregate instead")
    if (record["destination"] or "").startswith(SHAREABLE):
        raise ArgumentError(f"{record['uid']} is already in {SHAREABLE}/")
    kind = record["uid"].split("/", 1)[0]
    files = [run_folder / TEAM_ONLY / kind / name for name in record["files"]]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise WaveError(f"{record['uid']}: {', '.join(missing)} not found; rerun the analysis")
    copied = _copy(files, run_folder / SHAREABLE / kind)
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    record.update(destination="shareable (released)", exception=reason.strip(),
                  released={"reason": reason.strip(), "time": now,
                            "files": [f.name for f in copied]})
    results.write(doc, results_dir)
    return copied[0]
