"""The checks and window rules behind :func:`.sms_log.sms_from_log` (the rules are documented
there): reading the log's timestamps, giving each outbound message its fortnight, assigning each
reply to a window, deciding a window with several replies, and checking an overrides file.

Every check appends :class:`~wave_analysis.exceptions.Problem` entries (file, row, column, value,
fix) instead of raising, so the caller reports every problem in the log at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis.data.read import read_raw
from wave_analysis.design import DAYS_PER_FORTNIGHT, FORTNIGHTS
from wave_analysis.exceptions import Problem, ValidationError

SCHEDULE_TOLERANCE_DAYS = 3  # a fortnight's first SMS may go out this many days early or late
MAX_REPLY_DAYS = DAYS_PER_FORTNIGHT  # a reply later than this after the last message is unassigned
DIRECTIONS = ("out", "in")


def randomisation_dates(participants: pd.DataFrame) -> pd.Series:
    """Randomisation date per participant id (midnight timestamps)."""
    dates = pd.to_datetime(participants["randomisation_date"]).dt.normalize()
    return pd.Series(dates.to_numpy(), index=participants["participant_id"].astype(str))


def _rows(frame: pd.DataFrame) -> list[int | None]:
    return [None if pd.isna(r) else int(r) for r in frame["row"]]


def _add(problems: list[Problem], frame: pd.DataFrame, *, source: str, column: str,
         values, rule: str, fix: str) -> None:
    for row, value in zip(_rows(frame), values, strict=True):
        problems.append(Problem(source, column, row, value, rule, fix))


def prepare_log(log: pd.DataFrame, rand: pd.Series, *, source: str,
                timestamp_format: str | None, problems: list[Problem]) -> pd.DataFrame:
    """The log with clean types, an ``ok`` flag and the source order; problems for unknown
    directions and participants, duplicate message ids and unreadable timestamps."""
    log = log.loc[:, ["message_id", "participant_id", "direction", "timestamp", "text", "row"]]
    log = log.reset_index(drop=True)
    log["order"] = np.arange(len(log))
    log["message_id"] = log["message_id"].astype(str)
    log["participant_id"] = log["participant_id"].astype(str).str.strip()
    log["direction"] = log["direction"].astype(str).str.strip().str.lower()
    bad_dir = ~log["direction"].isin(DIRECTIONS)
    _add(problems, log[bad_dir], source=source, column="direction",
         values=log.loc[bad_dir, "direction"], rule="is not a known message direction",
         fix="map the platform's values to out/in with `directions:` in the mapping")
    unknown = ~log["participant_id"].isin(rand.index)
    _add(problems, log[unknown], source=source, column="participant_id",
         values=log.loc[unknown, "participant_id"], rule="is not in the participants table",
         fix="check the id (a phone number must be mapped to its participant id first)")
    dup = log["message_id"].duplicated(keep=False)
    _add(problems, log[dup], source=source, column="message_id",
         values=log.loc[dup, "message_id"], rule="is used by more than one message",
         fix="give every message its own id (or leave the id out: the row number is used)")
    log["timestamp"], log["timestamp_text"] = _timestamps(
        log, source=source, fmt=timestamp_format, problems=problems)
    log["ok"] = ~(bad_dir | unknown | dup | log["timestamp"].isna())
    return log


def _timestamps(log: pd.DataFrame, *, source: str, fmt: str | None,
                problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """Timestamps, and the source's values for messages (text, or datetimes formatted only
    when a message names them: formatting millions of them costs seconds)."""
    raw = log["timestamp"]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed, shown = pd.to_datetime(raw), raw
        rule, fix = "is empty", "every message needs its timestamp"
    else:
        shown = raw.astype(object).where(raw.notna(), None)
        parsed = pd.to_datetime(shown, format=fmt or "ISO8601", errors="coerce")
        rule = f"is not a timestamp in the format {fmt or 'ISO 8601 (YYYY-MM-DD HH:MM:SS)'}"
        fix = "correct the value, or set `timestamp_format:` in the mapping to the log's format"
    bad = parsed.isna()
    values = [None if pd.isna(v) else v for v in shown[bad]]
    _add(problems, log[bad], source=source, column="timestamp", values=values, rule=rule,
         fix=fix)
    return parsed.astype("datetime64[ns]"), shown


def _shown(value) -> str:
    """A timestamp as the source gave it (text), or formatted when it came as a datetime."""
    return value if isinstance(value, str) else f"{value:%Y-%m-%d %H:%M:%S}"


def outbound_fortnights(log: pd.DataFrame, rand: pd.Series, *, source: str,
                        problems: list[Problem]) -> pd.DataFrame:
    """Outbound messages with their fortnight and a ``reminder`` flag (not the first message of
    its fortnight). Fortnight k covers send days [14k - tolerance, 14(k+1) - tolerance) after
    randomisation; its first message must be within the tolerance of day 14k."""
    out = log[log["ok"] & (log["direction"] == "out")]
    out = out.sort_values(["timestamp", "order"], kind="stable")
    day = (out["timestamp"].dt.normalize() - out["participant_id"].map(rand)).dt.days
    fortnight = (day + SCHEDULE_TOLERANCE_DAYS) // DAYS_PER_FORTNIGHT
    out = out.assign(day=day, fortnight=fortnight)
    out["reminder"] = out.duplicated(["participant_id", "fortnight"])
    off = (out["fortnight"] < 1) | (out["fortnight"] > FORTNIGHTS) | (
        ~out["reminder"] & ((out["day"] - DAYS_PER_FORTNIGHT * out["fortnight"]).abs()
                            > SCHEDULE_TOLERANCE_DAYS))
    _add(problems, out[off], source=source, column="timestamp",
         values=[f"{_shown(t)} (day {d} after randomisation)"
                 for t, d in zip(out.loc[off, "timestamp_text"], out.loc[off, "day"],
                                 strict=True)],
         rule=f"is not within {SCHEDULE_TOLERANCE_DAYS} days of a scheduled SMS (day 14 x "
              f"fortnight, fortnights 1-{FORTNIGHTS}) and follows no message of its fortnight",
         fix="check the participant id, the randomisation date and the timestamp; remove "
             "test messages from the log")
    return out[~off].reset_index(drop=True)


def assign_replies(log: pd.DataFrame, sent: pd.DataFrame, *, source: str,
                   problems: list[Problem]) -> pd.DataFrame:
    """Inbound messages with the fortnight of the most recent outbound message before them
    (NA when more than ``MAX_REPLY_DAYS`` later, with ``late_reason``)."""
    inbound = log[log["ok"] & (log["direction"] == "in")].sort_values(["timestamp", "order"],
                                                                      kind="stable")
    opened = sent[["participant_id", "timestamp", "fortnight", "message_id"]].rename(
        columns={"timestamp": "asked_at", "message_id": "answers"}).sort_values("asked_at")
    merged = pd.merge_asof(inbound, opened, left_on="timestamp", right_on="asked_at",
                           by="participant_id", direction="backward", allow_exact_matches=True)
    early = merged["asked_at"].isna()
    _add(problems, merged[early], source=source, column="timestamp",
         values=[_shown(t) for t in merged.loc[early, "timestamp_text"]],
         rule="is a reply sent before any message to this participant",
         fix="check the participant id and the timestamp (and that the log holds the "
             "outbound messages, not only the replies)")
    merged = merged[~early].copy()
    wait = (merged["timestamp"] - merged["asked_at"]).dt.total_seconds() / 86400
    late = wait > MAX_REPLY_DAYS
    merged["late_reason"] = [
        f"arrived {w:.0f} days after the last message {a} (more than {MAX_REPLY_DAYS}): not "
        "assigned to a fortnight" if is_late else ""
        for w, a, is_late in zip(wait, merged["answers"], late, strict=True)]
    merged["fortnight"] = merged["fortnight"].astype("Int64").mask(late)
    return merged.sort_values(["participant_id", "timestamp", "order"], kind="stable",
                              ignore_index=True)


def resolve_window(replies: list[tuple]) -> tuple[int | None, dict[str, str], bool]:
    """Several replies in one window, in time order, each ``(message_id, parsed, days_off,
    correction, reason)``: ``(days_off or None, {message_id: reason} for the replies that did
    not set it, needs_decision)``; the rules are in :mod:`.sms_log`."""
    value, used, conflict = None, None, False
    reasons: dict[str, str] = {}
    for mid, parsed, days_off, correction, reason in replies:
        mid = str(mid)
        if parsed and (used is None or correction):
            if used is not None:
                reasons[used] = f"replaced by the marked correction in message {mid}"
            value, used, conflict = int(days_off), mid, False
        elif parsed and int(days_off) == value:
            reasons[mid] = f"repeats the number of message {used}"
        elif parsed:
            conflict = True
            reasons[mid] = (f"says {int(days_off)} but message {used} said {value} for the "
                            "same fortnight, with no correction mark")
        elif correction and used is not None:
            conflict = True
            reasons[mid] = f"a correction of message {used} that the grammar cannot read ({reason})"
        else:
            reasons[mid] = reason
    if conflict:
        reasons[used] = reasons.get(used, "conflicting replies in one window")
        return None, reasons, True
    if used is None:
        return None, reasons, True
    return value, {m: (t if t.startswith(("repeats", "replaced")) else
                       f"{t}; the fortnight is answered by message {used}")
                   for m, t in reasons.items()}, False


def read_overrides(path) -> pd.DataFrame:
    """An overrides CSV (``message_id,days_off[,fortnight]``) as text with file ``row``s."""
    raw = read_raw(Path(path))
    frame = raw.frame.astype(object).where(raw.frame.notna(), None)
    return frame.assign(row=raw.lines)


def check_overrides(overrides: pd.DataFrame, replies: pd.DataFrame, sent: pd.DataFrame, *,
                    source: str) -> pd.DataFrame:
    """The overrides as targets (message_id, participant_id, fortnight, days_off, reply_date);
    every problem (unknown message ids, days_off outside 0-14, ...) raised together."""
    problems: list[Problem] = []
    frame = overrides.reset_index(drop=True).copy()
    if "row" not in frame.columns:
        frame["row"] = np.arange(len(frame)) + 2  # header is line 1
    missing = [c for c in ("message_id", "days_off") if c not in frame.columns]
    if missing:
        raise ValidationError([Problem(source, c, None, None, "is missing",
                                       "the overrides file needs message_id,days_off")
                               for c in missing])
    frame["message_id"] = frame["message_id"].astype(str).str.strip()
    frame["days_off"] = _whole(frame, "days_off", 0, DAYS_PER_FORTNIGHT, source, problems)
    given = pd.Series(_whole(frame, "fortnight", 1, FORTNIGHTS, source, problems)
                      if "fortnight" in frame.columns else pd.NA, index=frame.index,
                      dtype="Int64")
    info = replies.set_index("message_id")
    known = frame["message_id"].isin(info.index)
    _add(problems, frame[~known], source=source, column="message_id",
         values=frame.loc[~known, "message_id"], rule="is not a reply in the SMS log",
         fix="copy the message_id from sms_review.csv")
    dup = frame["message_id"].duplicated(keep=False)
    _add(problems, frame[dup], source=source, column="message_id",
         values=frame.loc[dup, "message_id"], rule="has more than one override",
         fix="keep one decision per message")
    frame = frame[known & ~dup].copy()
    frame["participant_id"] = frame["message_id"].map(info["participant_id"])
    # .loc[frame.index]: assigning a longer Series to an empty frame would add its rows
    frame["fortnight"] = given.loc[frame.index].fillna(
        frame["message_id"].map(info["fortnight"]))
    frame["reply_date"] = frame["message_id"].map(info["timestamp"]).dt.normalize()
    _check_targets(frame, sent, source=source, problems=problems)
    if problems:
        raise ValidationError(problems)
    frame["fortnight"] = frame["fortnight"].astype(np.int64)
    return frame[["message_id", "participant_id", "fortnight", "days_off", "reply_date"]]


def _check_targets(frame: pd.DataFrame, sent: pd.DataFrame, *, source: str,
                   problems: list[Problem]) -> None:
    nowhere = frame["fortnight"].isna()
    _add(problems, frame[nowhere], source=source, column="fortnight",
         values=frame.loc[nowhere, "message_id"],
         rule="names a reply that was not assigned to a fortnight",
         fix="add a fortnight column saying which fortnight the reply answers")
    opened = pd.MultiIndex.from_frame(sent[["participant_id", "fortnight"]].astype(
        {"fortnight": np.int64}))
    placed = frame[~nowhere].astype({"fortnight": np.int64})
    unsent = ~pd.MultiIndex.from_frame(placed[["participant_id", "fortnight"]]).isin(opened)
    _add(problems, placed[unsent], source=source, column="fortnight",
         values=placed.loc[unsent, "fortnight"].tolist(),
         rule="is a fortnight whose SMS was never sent to this participant",
         fix="check the fortnight number")
    twice = placed.duplicated(["participant_id", "fortnight"], keep=False)
    _add(problems, placed[twice], source=source, column="message_id",
         values=placed.loc[twice, "message_id"],
         rule="is one of several overrides for the same participant and fortnight",
         fix="keep one decision per fortnight")


def _whole(frame: pd.DataFrame, column: str, lo: int, hi: int, source: str,
           problems: list[Problem]) -> pd.Series:
    """A column of whole numbers from lo to hi (empty allowed) as Int64; problems otherwise."""
    text = frame[column].astype(object).where(frame[column].notna(), None)
    text = text.map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    number = pd.to_numeric(text, errors="coerce")
    whole = number.notna() & (number % 1 == 0) & number.between(lo, hi)
    bad = text.notna() & ~whole
    _add(problems, frame[bad], source=source, column=column, values=text[bad],
         rule=f"must be a whole number from {lo} to {hi} (or empty)",
         fix=f"write the {column} a person decided on")
    return pd.array(number.where(whole), dtype="Int64")
