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
    """Randomisation date per participant id (midnight timestamps), in the table's order; a
    repeated id keeps its first row (the participants table's own checks report it)."""
    dates = pd.to_datetime(participants["randomisation_date"]).dt.normalize()
    rand = pd.Series(dates.to_numpy(), index=participants["participant_id"].astype(str))
    return rand[~rand.index.duplicated()]


def window_key(pos, fortnight):
    """One integer per (participant position, fortnight): the grouping key of a window."""
    return pos * (FORTNIGHTS + 1) + fortnight


def _clean(values: pd.Series, clean) -> np.ndarray:
    """``clean`` applied once per distinct value (a log repeats its ids and directions)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.array([clean(u) for u in uniques] + [""], dtype=object)[codes]


def _add(problems: list[Problem], where, *, source: str, column: str, values, rule: str,
         fix: str) -> None:
    """One problem per row of ``where`` (a frame with a ``row`` column, or the rows)."""
    rows = where["row"] if isinstance(where, pd.DataFrame) else where
    for row, value in zip(rows, values, strict=True):
        problems.append(Problem(source, column, None if pd.isna(row) else int(row), value,
                                rule, fix))


def prepare_log(log: pd.DataFrame, rand: pd.Series, *, source: str,
                timestamp_format: str | None, problems: list[Problem]) -> pd.DataFrame:
    """The log with clean types, an ``ok`` flag, the participant's position in ``rand``
    (``pos``) and the source order; problems for unknown directions and participants,
    duplicate message ids and unreadable timestamps. Built in one go: adding columns one by
    one to a frame of millions of rows costs seconds."""
    rows = log["row"].to_numpy()
    participant = _clean(log["participant_id"], lambda v: str(v).strip())
    direction = _clean(log["direction"], lambda v: str(v).strip().lower())
    message_id = log["message_id"].astype(str).to_numpy()
    pos = rand.index.get_indexer(participant)
    bad_dir = ~np.isin(direction, DIRECTIONS)
    _add(problems, rows[bad_dir], source=source, column="direction", values=direction[bad_dir],
         rule="is not a known message direction",
         fix="map the platform's values to out/in with `directions:` in the mapping")
    unknown = pos < 0
    _add(problems, rows[unknown], source=source, column="participant_id",
         values=participant[unknown], rule="is not in the participants table",
         fix="check the id (a phone number must be mapped to its participant id first)")
    dup = pd.Series(message_id).duplicated(keep=False).to_numpy()
    _add(problems, rows[dup], source=source, column="message_id", values=message_id[dup],
         rule="is used by more than one message",
         fix="give every message its own id (or leave the id out: the row number is used)")
    stamps, shown = _timestamps(log["timestamp"], rows, source=source, fmt=timestamp_format,
                                problems=problems)
    return pd.DataFrame({
        "message_id": message_id, "participant_id": participant, "direction": direction,
        "pos": pos, "timestamp": stamps, "timestamp_text": shown,
        "text": log["text"].to_numpy(), "row": rows, "order": np.arange(len(log)),
        "ok": ~(bad_dir | unknown | dup | np.isnat(stamps)),
    })


def _timestamps(raw: pd.Series, rows: np.ndarray, *, source: str, fmt: str | None,
                problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps, and the source's values for messages (text, or datetimes formatted only
    when a message names them: formatting millions of them costs seconds)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed, shown = pd.to_datetime(raw), raw.to_numpy()
        rule, fix = "is empty", "every message needs its timestamp"
    else:
        shown = raw.astype(object).where(raw.notna(), None).to_numpy()
        parsed = pd.to_datetime(pd.Series(shown), format=fmt or "ISO8601", errors="coerce")
        rule = f"is not a timestamp in the format {fmt or 'ISO 8601 (YYYY-MM-DD HH:MM:SS)'}"
        fix = "correct the value, or set `timestamp_format:` in the mapping to the log's format"
    stamps = parsed.to_numpy().astype("datetime64[ns]")
    bad = np.isnat(stamps)
    values = [None if pd.isna(v) else v for v in shown[bad]]
    _add(problems, rows[bad], source=source, column="timestamp", values=values, rule=rule,
         fix=fix)
    return stamps, shown


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
    rand_day = rand.to_numpy().astype("datetime64[D]")[out["pos"].to_numpy()]
    day = (out["timestamp"].to_numpy().astype("datetime64[D]") - rand_day).astype(np.int64)
    fortnight = (day + SCHEDULE_TOLERANCE_DAYS) // DAYS_PER_FORTNIGHT
    out = out.assign(day=day, fortnight=fortnight)
    out["reminder"] = out.duplicated(["pos", "fortnight"])
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
    out = out[~off].reset_index(drop=True)
    out["key"] = window_key(out["pos"], out["fortnight"])
    return out


def assign_replies(log: pd.DataFrame, sent: pd.DataFrame, *, source: str,
                   problems: list[Problem]) -> pd.DataFrame:
    """Inbound messages with the fortnight of the most recent outbound message to the same
    participant at or before them (NA when more than ``MAX_REPLY_DAYS`` later, with
    ``late_reason``), sorted by participant and time."""
    inbound = log[log["ok"] & (log["direction"] == "in")].copy()
    asked = _most_recent(sent, inbound)
    early = asked < 0
    _add(problems, inbound[early], source=source, column="timestamp",
         values=[_shown(t) for t in inbound.loc[early, "timestamp_text"]],
         rule="is a reply sent before any message to this participant",
         fix="check the participant id and the timestamp (and that the log holds the "
             "outbound messages, not only the replies)")
    inbound, asked = inbound[~early], asked[~early]
    wait = ((inbound["timestamp"].to_numpy() - sent["timestamp"].to_numpy()[asked])
            / np.timedelta64(1, "D"))
    late = wait > MAX_REPLY_DAYS
    answers = sent["message_id"].to_numpy()[asked]
    reasons = np.full(len(inbound), "", dtype=object)
    reasons[late] = [f"arrived {w:.0f} days after the last message {a} (more than "
                     f"{MAX_REPLY_DAYS}): not assigned to a fortnight"
                     for w, a in zip(wait[late], answers[late], strict=True)]
    inbound["late_reason"] = reasons
    fortnight = pd.array(sent["fortnight"].to_numpy()[asked], dtype="Int64")
    fortnight[late] = pd.NA
    inbound["fortnight"] = fortnight
    inbound["key"] = np.where(late, -1, sent["key"].to_numpy()[asked])  # -1: no window
    order = np.lexsort((inbound["order"], inbound["timestamp"], inbound["pos"]))
    return inbound.iloc[order].reset_index(drop=True)


def _most_recent(sent: pd.DataFrame, inbound: pd.DataFrame) -> np.ndarray:
    """Per inbound message, the row of ``sent`` that is the participant's most recent outbound
    message at or before it (-1 if none): one sorted search on a (participant, time) key."""
    if sent.empty or inbound.empty:
        return np.full(len(inbound), -1)
    base = min(sent["timestamp"].min(), inbound["timestamp"].min())
    span = np.int64(2) ** 40  # milliseconds: about 34 years of log per participant

    def key(frame: pd.DataFrame) -> np.ndarray:
        ms = ((frame["timestamp"] - base) // pd.Timedelta(milliseconds=1)).to_numpy(np.int64)
        return frame["pos"].to_numpy(np.int64) * span + np.minimum(ms, span - 1)

    sent_key = key(sent)
    by_key = np.argsort(sent_key, kind="stable")
    found = np.searchsorted(sent_key[by_key], key(inbound), side="right") - 1
    row = by_key[np.maximum(found, 0)]
    same = (found >= 0) & (sent["pos"].to_numpy()[row] == inbound["pos"].to_numpy())
    return np.where(same, row, -1)


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
    frame["pos"] = frame["message_id"].map(info["pos"])
    # .loc[frame.index]: assigning a longer Series to an empty frame would add its rows
    frame["fortnight"] = given.loc[frame.index].fillna(
        frame["message_id"].map(info["fortnight"]))
    frame["reply_date"] = frame["message_id"].map(info["timestamp"]).dt.normalize()
    _check_targets(frame, sent, source=source, problems=problems)
    if problems:
        raise ValidationError(problems)
    frame["fortnight"] = frame["fortnight"].astype(np.int64)
    return frame[["message_id", "participant_id", "pos", "fortnight", "days_off", "reply_date"]]


def _check_targets(frame: pd.DataFrame, sent: pd.DataFrame, *, source: str,
                   problems: list[Problem]) -> None:
    nowhere = frame["fortnight"].isna()
    _add(problems, frame[nowhere], source=source, column="fortnight",
         values=frame.loc[nowhere, "message_id"],
         rule="names a reply that was not assigned to a fortnight",
         fix="add a fortnight column saying which fortnight the reply answers")
    placed = frame[~nowhere].astype({"fortnight": np.int64})
    unsent = ~np.isin(window_key(placed["pos"], placed["fortnight"]),
                      sent.loc[~sent["reminder"], "key"])
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
