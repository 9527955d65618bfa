"""The bundled synthetic ``sms`` table rendered as an SMS platform's message log (SYNTHETIC).

One row per message, in time order, as a platform exports it: ``message_id, participant,
direction (outbound/inbound), sent_at (YYYY-MM-DD HH:MM:SS), body``. Each sent fortnightly SMS
becomes an outbound message on its ``sent_date``; each reply an inbound message on its
``reply_date`` whose free text is drawn from the forms of the reply grammar
(:mod:`wave_analysis.data.imports.sms_replies`): digits, number words, none/zero, halves (a value
``v`` written as ``v - 1`` and a half, which the grammar's half-up rule reads back as ``v``),
"all"/"every day" for 14 and "back at work" for 0. On top of that, drawn deterministically:

* about ``UNREADABLE_SHARE`` of replies are unreadable ("not sure", "2 or 3", "?", "call me"):
  the import holds them out in its review file, and an override with the true value restores
  them (the round-trip test does exactly that);
* about ``DOUBLE_SHARE`` of replies come twice: a number then "thanks", a wrong number then a
  marked correction ("sorry, 4"), or the same number twice;
* replies a day or more after the SMS ("late": the bundled replies come 0-3 days after it) and,
  for about ``REMINDER_SHARE`` of late or missing replies, a reminder SMS the day after;
  late replies sometimes apologise ("Sorry for the late reply, 3").

The bundled table never has a reply after the next fortnight's SMS, so the log has none either;
the import's rule for those is tested on hand-made logs. Draws come from
``numpy.random.SeedSequence(RENDER_SEED)`` in the table's row order, so the bytes are the same on
every run and machine (``render``); ``write_sms_log`` regenerates the folder atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wave_analysis import _atomic
from wave_analysis.config import DATA_DIR, SYNTHETIC_DIR
from wave_analysis.data.imports.sms_replies import NUMBER_WORDS, parse_reply
from wave_analysis.data.load import load_trial
from wave_analysis.data.model import TrialData
from wave_analysis.design import DAYS_PER_FORTNIGHT
from wave_analysis.exceptions import WaveError

RENDER_SEED = 1212  # fixed once (issue 12); changing it changes the committed log
UNREADABLE_SHARE = 0.03
DOUBLE_SHARE = 0.03
REMINDER_SHARE = 0.5
FOLDER = DATA_DIR / "exports" / "sms_log"
LOG_FILE = "sms_log.csv"
COLUMNS = ("message_id", "participant", "direction", "sent_at", "body")
DIRECTIONS = {"out": "outbound", "in": "inbound"}
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
QUESTION = "WAVE study: how many of the last 14 days were you off work sick? Reply with a number."
REMINDER = "WAVE study reminder: how many of the last 14 days were you off work sick?"

_WORD = {v: w for w, v in NUMBER_WORDS.items()}
# Reply forms per value v (Python format fields: v, word, Word, half, half_word).
_ANY = ["{v}", "{v} days", "{v}d", "{v} days off", " {v} ", "{v} thanks", "{word}",
        "{Word} days", "Hi, {v} days this fortnight", "{v} days in the last 14 days",
        "{Word}. Thanks", "{v} days off sick"]
_HALF = ["{half} and a half", "{half}.5", "{half_word} and a half days", "{half}½ days"]
_ZERO = ["none", "zero", "0", "no days", "nil", "None thanks", "No days off", "back at work",
         "back at work full time", "Back to work now", "0 days"]
_ALL = ["all", "every day", "All of them", "whole fortnight", "off all fortnight", "14",
        "fourteen", "All 14 days", "the whole fortnight"]
_UNREADABLE = ["not sure", "{v} or {w}", "?", "call me", "can't remember", "about {v}",
               "{v}?", "dunno"]
_EXTRA = ["thanks", "Thank you", "ok thanks", "x"]


@dataclass(frozen=True)
class RenderedLog:
    """The log (text cells, as written) and the (participant, fortnight) pairs whose reply was
    rendered unreadable, which the import must hold out for review."""

    log: pd.DataFrame
    unreadable: frozenset[tuple[str, int]]


def render_log(sms: pd.DataFrame) -> RenderedLog:
    """The message log of a loaded ``sms`` table (see the module docstring)."""
    rng = np.random.default_rng(np.random.SeedSequence(RENDER_SEED))
    rows: list[tuple[pd.Timestamp, str, str, str]] = []
    unreadable = set()
    for r in sms.itertuples(index=False):
        if pd.isna(r.sent_date):
            continue
        asked = r.sent_date + pd.Timedelta(hours=10, seconds=int(rng.integers(0, 1800)))
        rows.append((asked, r.participant_id, "out", QUESTION))
        replied = pd.notna(r.reply_date)
        lag = (r.reply_date - r.sent_date).days if replied else DAYS_PER_FORTNIGHT
        if lag >= 2 and rng.random() < REMINDER_SHARE:
            rows.append((asked + pd.Timedelta(days=1), r.participant_id, "out", REMINDER))
        if not replied:
            continue
        at = _reply_time(rng, asked, r.reply_date, lag)
        texts, bad = _reply_texts(rng, int(r.days_off), late=lag >= 2)
        if bad:
            unreadable.add((r.participant_id, int(r.fortnight)))
        for i, text in enumerate(texts):
            rows.append((at + pd.Timedelta(minutes=3 * i), r.participant_id, "in", text))
    frame = pd.DataFrame(rows, columns=["at", "participant", "direction", "body"])
    frame = frame.sort_values(["at", "participant"], kind="stable", ignore_index=True)
    return RenderedLog(pd.DataFrame({
        "message_id": [f"SYN-SMS{i:06d}" for i in range(1, len(frame) + 1)],
        "participant": frame["participant"],
        "direction": frame["direction"].map(DIRECTIONS),
        "sent_at": frame["at"].dt.strftime(TIMESTAMP_FORMAT),
        "body": frame["body"],
    }), frozenset(unreadable))


def _reply_time(rng, asked: pd.Timestamp, reply_date: pd.Timestamp, lag: int) -> pd.Timestamp:
    """Same day: minutes to hours after the SMS; a later day: between 07:00 and 22:00."""
    if lag == 0:
        return asked + pd.Timedelta(seconds=int(rng.integers(120, 11 * 3600)))
    return reply_date + pd.Timedelta(seconds=int(rng.integers(7 * 3600, 22 * 3600)))


def _reply_texts(rng, value: int, *, late: bool) -> tuple[list[str], bool]:
    """The reply (or replies) of a participant who had ``value`` days off, and whether it is
    rendered unreadable. Each text is checked against the grammar."""
    draw = rng.random()
    if draw < UNREADABLE_SHARE:
        other = value + 1 if value < DAYS_PER_FORTNIGHT else value - 1
        text = _pick(rng, _UNREADABLE).format(v=value, w=other)
        _check(text, None)
        return [text], True
    text = _readable(rng, value)
    if late and rng.random() < 0.3:
        text = f"Sorry for the late reply, {text.strip()}"
    _check(text, value)
    if draw < UNREADABLE_SHARE + DOUBLE_SHARE:
        return _double(rng, value, text), False
    return [text], False


def _readable(rng, value: int) -> str:
    forms = list(_ANY)
    if value == 0:
        forms = _ZERO + ["{v}", "{word}"]
    elif value == DAYS_PER_FORTNIGHT:
        forms += _ALL
    if value >= 1:
        forms += _HALF if value >= 2 else ["half a day"]
    word = _WORD[value]
    half_word = _WORD.get(value - 1, "")
    return _pick(rng, forms).format(v=value, word=word, Word=word.capitalize(), half=value - 1,
                                    half_word=half_word)


def _double(rng, value: int, text: str) -> list[str]:
    """Two replies to one SMS: number then thanks, a wrong number then a marked correction,
    or the same number twice."""
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return [text, _pick(rng, _EXTRA)]
    if kind == 1:
        wrong = value + 1 if value < DAYS_PER_FORTNIGHT else value - 1
        return [str(wrong), f"Sorry, {value}"]
    return [str(value), f"{value} days"]


def _pick(rng, options: list[str]) -> str:
    return options[int(rng.integers(0, len(options)))]


def _check(text: str, value: int | None) -> None:
    """The renderer's forms must read as intended (a guard against editing a form list)."""
    got = parse_reply(text).days_off
    if got != value:
        raise WaveError(f"synthetic SMS log bug: {text!r} reads as {got}, rendered for {value}")


def render(trial: TrialData, source: Path | None = None) -> dict[str, bytes]:
    """The files of ``data/exports/sms_log/``: the log and its README (relative path ->
    bytes). ``source`` is unused (the signature every rendering shares)."""
    rendered = render_log(trial.sms)
    log = rendered.log
    text = log.to_csv(index=False, lineterminator="\n").encode("utf-8")
    return {LOG_FILE: text, "README.txt": _readme(log, len(rendered.unreadable)).encode("utf-8")}


def write_sms_log(folder: Path | str = FOLDER, source: Path | str = SYNTHETIC_DIR) -> Path:
    """Render the cohort in ``source`` and replace ``folder`` with the files, atomically."""
    files = render(load_trial(source), Path(source))

    def fill(staging: Path) -> None:
        for name, content in files.items():
            (staging / name).write_bytes(content)

    return _atomic.replace_folder(Path(folder), fill)


def _readme(log: pd.DataFrame, unreadable: int) -> str:
    outbound = int((log["direction"] == DIRECTIONS["out"]).sum())
    reminders = int((log["body"] == REMINDER).sum())
    return f"""SYNTHETIC DATA - WAVE trial (SYNTHETIC DATA), rendered as an SMS platform log.
Not real participant data: every row is generated by wave_analysis.synthetic from the bundled
synthetic cohort (data/synthetic/sms.csv) and is regenerated byte for byte by
`wave-analysis synth` (wave_analysis.synthetic.exports.sms_log, seed {RENDER_SEED}).
Do not edit by hand.

{LOG_FILE}: one row per message in time order, {len(log)} messages ({outbound} outbound of which
{reminders} reminders, {len(log) - outbound} inbound replies).
  message_id   platform message id
  participant  trial participant id
  direction    outbound (the fortnightly SMS or a reminder) / inbound (a reply)
  sent_at      timestamp, YYYY-MM-DD HH:MM:SS
  body         message text; replies are free text

{unreadable} replies are deliberately unreadable ("not sure", "2 or 3", "?"): importing the log
puts them in sms_review.csv and leaves those fortnights without days_off until an overrides file
(message_id,days_off) gives the value. Some replies come twice (a number then "thanks", a wrong
number then "Sorry, N", the same number twice) and some come a few days late, after a reminder.
Import: sources kind sms_log with columns {{participant_id: participant, direction: direction,
timestamp: sent_at, text: body, message_id: message_id}}, directions {{outbound: out, inbound:
in}}, timestamp_format "{TIMESTAMP_FORMAT}".
"""
