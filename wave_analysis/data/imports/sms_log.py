"""Turn an SMS platform's message log into the ``sms`` table (one row per participant per
fortnight), with a review file for replies a person must read and an overrides file for their
decisions.

The log has one row per message: ``message_id``, ``participant_id``, ``direction`` ('out' for the
fortnightly question, 'in' for a reply), ``timestamp``, ``text`` and ``row`` (the 1-based line in
the source file, for messages). The rules, in the order they apply:

Fortnights. An outbound message's fortnight comes from its send date, not from message order:
fortnight ``k`` is due ``14 x k`` days after randomisation (the schema's meaning of
``sent_date``), and its first message must go out within ``SCHEDULE_TOLERANCE_DAYS`` of that day.
Message order would shift every later fortnight when one message failed to send; the check on the
date catches a wrong participant id or randomisation date, and a first message off schedule (or
outside fortnights 1-13) is a problem in the log. Later outbound messages before the next
fortnight is due (send days ``14k - 3`` to ``14(k+1) - 4``) are reminders or resends: they open
no new fortnight, the fortnight's ``sent_date`` stays the first message's date, and replies after
a reminder still count for that fortnight.

Windows. Each outbound message opens a window that lasts until the participant's next outbound
message, and at most ``MAX_REPLY_DAYS`` days. A reply counts for the most recent outbound message
before it (a message and its reply in the same second count as question then answer). So a late
reply that arrives after the next message was sent counts for the *next* fortnight: nothing in a
bare "3" says otherwise. A reply that says it is about an earlier message ("last time 3",
"forgot to reply") is refused by the grammar (:mod:`.sms_replies`) and goes to the review file,
where a person may place it in the earlier fortnight with an override naming that fortnight. A
reply more than ``MAX_REPLY_DAYS`` days after the last message goes to the review file unassigned.

Several replies in one window, taken in time order. The first reply the grammar reads sets
``days_off``. A later reply marked as a correction ("sorry, 4", "I meant 4", "*4") replaces it;
a later reply with the same number changes nothing; a later reply with another number and no
correction mark is a conflict, and the fortnight's ``days_off`` is missing until a person
decides (every reply of that window goes to the review file). Replies the grammar cannot read
("thanks", "not sure") leave an answered fortnight as it is (they are listed in the review file
with ``needs_decision`` false); when no reply of the window was read, the fortnight waits for a
person. A marked correction the grammar cannot read ("sorry,
I meant 2 or 3") withdraws the earlier number. ``reply_date`` is the date of the window's first
reply, read or not (the day the participant answered).

Review file: every inbound message that did not set a fortnight's ``days_off``, with
``message_id, participant_id, timestamp, text, reason``, the ``fortnight`` it was assigned to
and ``needs_decision`` (true when that fortnight's ``days_off`` is missing because of it). Those
fortnights are missing for the analysis until a person writes a decision into the overrides file:
``message_id, days_off`` and optionally ``fortnight`` (to place a late reply elsewhere). An
override sets that fortnight's ``days_off`` (empty = confirmed no usable answer) and resolves
every review row of the fortnight. The parse rate is replies read by the grammar / replies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.imports import sms_windows as windows
from wave_analysis.data.imports.sms_replies import parse_reply
from wave_analysis.design import FORTNIGHTS
from wave_analysis.exceptions import Problem, ValidationError

SCHEDULE_TOLERANCE_DAYS = windows.SCHEDULE_TOLERANCE_DAYS
MAX_REPLY_DAYS = windows.MAX_REPLY_DAYS
LOG_COLUMNS = ("message_id", "participant_id", "direction", "timestamp", "text", "row")
REVIEW_COLUMNS = ("message_id", "participant_id", "timestamp", "text", "reason", "fortnight",
                  "needs_decision")
OVERRIDE_COLUMNS = ("message_id", "days_off")  # plus optional "fortnight" and "row"
SMS_COLUMNS = ("participant_id", "fortnight", "sent_date", "reply_date", "days_off")
TIMESTAMP_TEXT = "%Y-%m-%d %H:%M:%S"  # how the review file writes timestamps
read_overrides = windows.read_overrides


@dataclass(frozen=True)
class SmsLogResult:
    """The ``sms`` table built from a message log, the replies held for review, and counts."""

    table: pd.DataFrame
    review: pd.DataFrame
    parse_rate: float  # replies the grammar read / replies (NaN without replies)
    outbound: int  # outbound messages, reminders included
    reminders: int  # outbound messages in a fortnight already opened
    inbound: int
    parsed: int  # inbound messages the grammar read
    held_out: int  # fortnights with a reply but missing days_off until a person decides
    overridden: int = 0  # fortnights set by the overrides file
    forms: dict[str, int] = field(default_factory=dict)  # parsed replies per grammar form

    def lines(self) -> list[str]:
        """The SMS part of the import report, one line each."""
        rate = "n/a" if np.isnan(self.parse_rate) else f"{self.parse_rate:.1%}"
        forms = ", ".join(f"{k} {v}" for k, v in sorted(self.forms.items()))
        return [
            f"SMS log: {self.outbound} messages sent ({self.reminders} reminders), "
            f"{self.inbound} replies",
            f"SMS replies read by the grammar: {self.parsed} of {self.inbound} ({rate})"
            + (f"; forms: {forms}" if forms else ""),
            f"SMS review file: {len(self.review)} replies, {self.held_out} fortnights missing "
            "days_off until a person decides in the overrides file",
            f"SMS overrides applied: {self.overridden} fortnights",
        ]

    def review_csv(self) -> str:
        """The review file's text (``sms_review.csv``), timestamps as ``TIMESTAMP_TEXT``."""
        out = self.review.copy()
        out["timestamp"] = out["timestamp"].dt.strftime(TIMESTAMP_TEXT)
        out["needs_decision"] = out["needs_decision"].map({True: "true", False: "false"})
        return out.to_csv(index=False, lineterminator="\n", na_rep="")


def sms_from_log(log: pd.DataFrame, participants: pd.DataFrame,
                 overrides: pd.DataFrame | str | os.PathLike | None = None, *,
                 source: str = "sms_log.csv",
                 overrides_source: str = "sms_overrides.csv",
                 timestamp_format: str | None = None) -> SmsLogResult:
    """Build the ``sms`` table from a message log with the rules of this module's docstring.

    ``overrides`` is a DataFrame (``message_id, days_off`` and optionally ``fortnight`` and
    ``row``) or the path of an overrides CSV. ``timestamp`` may hold datetimes or text (read
    with ``timestamp_format``, ISO 8601 when None). Problems in the log (unknown participants
    or directions, unreadable timestamps, duplicate message ids, messages off the fortnightly
    schedule, replies before any message) and in the overrides are raised together as one
    ``ValidationError``.
    """
    missing = [c for c in LOG_COLUMNS if c not in log.columns]
    check_argument(not missing, "log", f"a DataFrame with columns {', '.join(LOG_COLUMNS)}",
                   f"missing {', '.join(missing)}")
    problems: list[Problem] = []
    rand = windows.randomisation_dates(participants)
    log = windows.prepare_log(log, rand, source=source, timestamp_format=timestamp_format,
                              problems=problems)
    sent = windows.outbound_fortnights(log, rand, source=source, problems=problems)
    replies = windows.assign_replies(log, sent, source=source, problems=problems)
    if problems:
        raise ValidationError(problems)
    replies = _read(replies)
    values, review = _decide(replies)
    table = _grid(rand, sent, values, replies)
    overridden = 0
    if isinstance(overrides, str | os.PathLike):
        overrides_source = Path(overrides).name
        overrides = windows.read_overrides(overrides)
    if overrides is not None:
        targets = windows.check_overrides(overrides, replies, sent, source=overrides_source)
        table, review = _apply_overrides(table, review, targets, rand)
        overridden = len(targets)
    held = review.loc[review["needs_decision"], ["participant_id", "fortnight"]]
    parsed = int(replies["parsed"].sum())
    return SmsLogResult(
        table=table, review=review,
        parse_rate=parsed / len(replies) if len(replies) else float("nan"),
        outbound=int((log["direction"] == "out").sum()),
        reminders=int(sent["reminder"].sum()), inbound=len(replies), parsed=parsed,
        held_out=len(held.drop_duplicates()), overridden=overridden,
        forms={str(k): int(v) for k, v in replies.loc[replies["parsed"], "form"]
               .value_counts().sort_index().items()},
    )


def _read(replies: pd.DataFrame) -> pd.DataFrame:
    """Parse each distinct text once (logs repeat "0" and "14" many times)."""
    codes, texts = pd.factorize(replies["text"].fillna("").astype(str))
    read = [parse_reply(t) for t in texts]
    days = pd.array([r.days_off for r in read], dtype="Int64")
    return replies.assign(
        days_off=days.take(codes), parsed=np.array([r.parsed for r in read], bool)[codes],
        form=np.array([r.form for r in read] + [""], dtype=object)[codes],
        reason=np.array([r.reason for r in read] + [""], dtype=object)[codes],
        correction=np.array([r.correction for r in read], bool)[codes])


def _decide(replies: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per answered fortnight its ``days_off``, and the replies left for review."""
    assigned = replies[replies["key"] >= 0]
    size = assigned.groupby("key", sort=False)["message_id"].transform("size").to_numpy()
    single, multi = assigned[size == 1], assigned[size > 1]
    unread = single[~single["parsed"]]
    picked = _Picked(list(unread.index), list(unread["reason"]), [True] * len(unread))
    decided = _decide_windows(multi, picked)
    late = replies[replies["key"] < 0]
    picked.extend(list(late.index), list(late["late_reason"]), [False] * len(late))
    values = pd.concat([single[["key", "days_off"]], decided], ignore_index=True)
    rows = replies.loc[picked.index]
    review = pd.DataFrame({
        "message_id": rows["message_id"].astype(str), "participant_id": rows["participant_id"],
        "timestamp": rows["timestamp"], "text": rows["text"],
        "reason": pd.Series(picked.reason, index=rows.index, dtype=object),
        "fortnight": pd.array(rows["fortnight"], dtype="Int64"),
        "needs_decision": np.array(picked.needs, dtype=bool), "order": rows["order"],
    }).sort_values(["participant_id", "timestamp", "order"], kind="stable")
    return values, review.drop(columns="order").reset_index(drop=True)


@dataclass
class _Picked:
    """Replies going to the review file: their row labels, reasons and needs_decision."""

    index: list
    reason: list
    needs: list

    def extend(self, index, reason, needs) -> None:
        self.index += index
        self.reason += reason
        self.needs += needs


def _decide_windows(multi: pd.DataFrame, picked: _Picked) -> pd.DataFrame:
    """Windows with several replies, one at a time in plain Python (they are few; the rows of
    a window are consecutive because replies are sorted by participant and time)."""
    cols = ("message_id", "key", "parsed", "days_off", "correction", "reason")
    mid, key, parsed, days, correction, reason = (multi[c].tolist() for c in cols)
    labels = multi.index.tolist()
    out: dict[str, list] = {"key": [], "days_off": []}
    start, n = 0, len(labels)
    for end in range(1, n + 1):
        if end < n and key[end] == key[start]:
            continue
        window = list(zip(mid[start:end], parsed[start:end], days[start:end],
                          correction[start:end], reason[start:end], strict=True))
        value, reasons, needs = windows.resolve_window(window)
        out["key"].append(key[start])
        out["days_off"].append(value)
        chosen = [j for j in range(start, end) if mid[j] in reasons]
        picked.extend([labels[j] for j in chosen], [reasons[mid[j]] for j in chosen],
                      [needs] * len(chosen))
        start = end
    return pd.DataFrame({"key": np.array(out["key"], dtype=np.int64),
                         "days_off": pd.array(out["days_off"], dtype="Int64")})


def _cell(pos, fortnight) -> np.ndarray:
    """Row of the sms table for a participant position and fortnight."""
    return np.asarray(pos, dtype=np.int64) * FORTNIGHTS + np.asarray(fortnight, np.int64) - 1


def _grid(rand: pd.Series, sent: pd.DataFrame, values: pd.DataFrame,
          replies: pd.DataFrame) -> pd.DataFrame:
    """One row per participant (in the participants table's order) per fortnight 1-13."""
    cells = len(rand) * FORTNIGHTS
    sent_date = np.full(cells, np.datetime64("NaT"), dtype="datetime64[ns]")
    first = sent[~sent["reminder"]]
    sent_date[_cell(first["pos"], first["fortnight"])] = first["timestamp"].dt.normalize()
    reply_date = np.full(cells, np.datetime64("NaT"), dtype="datetime64[ns]")
    answered = replies[replies["key"] >= 0].drop_duplicates("key")  # sorted: the first reply
    reply_date[_cell(answered["pos"], answered["fortnight"])] = \
        answered["timestamp"].dt.normalize()
    days = np.zeros(cells, dtype=np.int64)
    known = values[values["days_off"].notna()]
    pos, fortnight = np.divmod(known["key"].to_numpy(np.int64), FORTNIGHTS + 1)
    days[_cell(pos, fortnight)] = known["days_off"].to_numpy(np.int64)
    missing = np.ones(cells, dtype=bool)
    missing[_cell(pos, fortnight)] = False
    return pd.DataFrame({
        "participant_id": np.repeat(rand.index.to_numpy(dtype=object), FORTNIGHTS),
        "fortnight": pd.array(np.tile(np.arange(1, FORTNIGHTS + 1), len(rand)), dtype="Int64"),
        "sent_date": sent_date, "reply_date": reply_date,
        "days_off": pd.arrays.IntegerArray(days, missing),
    })


def _apply_overrides(table: pd.DataFrame, review: pd.DataFrame, targets: pd.DataFrame,
                     rand: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Set each overridden fortnight's ``days_off`` and drop its review rows."""
    table = table.copy()
    at = _cell(targets["pos"], targets["fortnight"])
    table.loc[at, "days_off"] = targets["days_off"].to_numpy()
    no_reply = table.loc[at, "reply_date"].isna().to_numpy()
    table.loc[at[no_reply], "reply_date"] = targets["reply_date"].to_numpy()[no_reply]
    pos = rand.index.get_indexer(review["participant_id"])
    keys = windows.window_key(pos, review["fortnight"].fillna(-1).to_numpy(np.int64))
    done = windows.window_key(targets["pos"], targets["fortnight"])
    resolved = np.isin(keys, done) & review["fortnight"].notna().to_numpy()
    resolved |= review["message_id"].isin(targets["message_id"]).to_numpy()
    return table, review[~resolved].reset_index(drop=True)
