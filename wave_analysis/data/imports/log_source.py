"""An ``sms_log`` source -> the ``sms`` table: the log's columns are renamed to the contract's
(message_id, participant_id, direction, timestamp, text, row), directions mapped to out/in and
timestamps parsed with the declared format; fortnight assignment, reply parsing and the review
file are :func:`wave_analysis.data.imports.sms_log.sms_from_log`'s work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis.data.imports.mapping import SourceSpec
from wave_analysis.data.imports.report import SmsSummary
from wave_analysis.data.imports.sms_log import sms_from_log
from wave_analysis.data.imports.sources import SourceFrame, source_path
from wave_analysis.exceptions import Problem, ValidationError


@dataclass(frozen=True)
class SmsBuilt:
    table: pd.DataFrame
    review: pd.DataFrame
    review_csv: str  # the review file's text, timestamps kept to the second
    summary: SmsSummary


def _log_frame(src: SourceFrame, spec: SourceSpec, problems: list[Problem]) -> pd.DataFrame | None:
    columns = dict(spec.get("columns") or {})
    frame, n_before = src.frame, len(problems)
    for key, col in columns.items():
        if col not in frame.columns:
            problems.append(Problem(src.file, str(col), None, None,
                                    f"column not found (sources.{spec.name}.columns.{key})",
                                    f"name a column of {src.file}; it has "
                                    f"{', '.join(map(str, frame.columns))}"))
    if len(problems) > n_before:
        return None
    directions = spec.get("directions") or {"out": "out", "in": "in"}
    raw_dir = frame[columns["direction"]]
    direction = raw_dir.map(directions)
    for value in pd.unique(raw_dir[raw_dir.notna() & direction.isna()]):
        rows = np.flatnonzero((raw_dir == value).to_numpy())
        problems += [Problem(src.file, columns["direction"], int(src.lines[i]), value,
                             f"direction not in sources.{spec.name}.directions",
                             f"add '\"{value}\": out' or '\"{value}\": in' there")
                     for i in rows[:1000]]
    fmt = str(spec.get("timestamp_format"))
    stamps = pd.to_datetime(frame[columns["timestamp"]], format=fmt, errors="coerce")
    bad = frame[columns["timestamp"]].notna() & stamps.isna()
    problems += [Problem(src.file, columns["timestamp"], int(src.lines[i]),
                         frame[columns["timestamp"]].iloc[i],
                         f"does not match the timestamp format {fmt!r} "
                         f"(sources.{spec.name}.timestamp_format)",
                         "correct the timestamp or the format")
                 for i in np.flatnonzero(bad.to_numpy())[:1000]]
    ids = frame[columns["message_id"]] if "message_id" in columns else \
        pd.Series([f"row{line}" for line in src.lines], index=frame.index)
    return pd.DataFrame({"message_id": ids.astype(object),
                         "participant_id": frame[columns["participant_id"]],
                         "direction": direction, "timestamp": stamps,
                         "text": frame[columns["text"]], "row": src.lines}).reset_index(drop=True)


def sms_table(src: SourceFrame, spec: SourceSpec, participants: pd.DataFrame | None,
              source_dir: Path, problems: list[Problem]) -> SmsBuilt | None:
    """The sms table and review rows from a message log (problems recorded, None on failure)."""
    log = _log_frame(src, spec, problems)
    if participants is None:
        problems.append(Problem(src.file, None, None, None, "the SMS log needs the participants "
                                "table (randomisation dates fix the fortnights)",
                                "map the participants table or copy it"))
    overrides = None
    if spec.get("overrides"):
        overrides = source_path(source_dir, spec, "overrides", problems)
    if log is None or participants is None or (spec.get("overrides") and overrides is None):
        return None
    try:
        result = sms_from_log(log, participants, overrides=overrides, source=src.file)
    except ValidationError as err:
        problems += err.problems
        return None
    return SmsBuilt(result.table, result.review, result.review_csv(),
                    SmsSummary(result.inbound, result.parsed, float(result.parse_rate),
                               len(result.review), result.held_out, "sms_review.csv"))
