"""SMS message log -> sms table: fortnights from send dates, reply windows, several replies per
window, the review file, overrides, and every problem reported at once."""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.data.imports.sms_log import (
    REVIEW_COLUMNS,
    SMS_COLUMNS,
    sms_from_log,
)
from wave_analysis.data.schema import SMS
from wave_analysis.exceptions import ValidationError

RAND = {"P1": "2023-01-02", "P2": "2023-02-06"}
ASK = "How many of the last 14 days were you off work sick? Reply with a number."


def participants() -> pd.DataFrame:
    return pd.DataFrame({"participant_id": list(RAND),
                         "randomisation_date": pd.to_datetime(list(RAND.values()))})


def day(pid: str, n: int, hour: str = "10:00") -> str:
    """The timestamp ``n`` days after ``pid``'s randomisation, at ``hour``."""
    date = pd.Timestamp(RAND[pid]) + pd.Timedelta(days=n)
    return f"{date:%Y-%m-%d} {hour}"


def make_log(*messages: tuple[str, str, str, str]) -> pd.DataFrame:
    """(participant, direction, timestamp, text) rows -> a log as the engine passes it."""
    frame = pd.DataFrame(messages, columns=["participant_id", "direction", "timestamp", "text"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"])
    frame.insert(0, "message_id", [f"M{i}" for i in range(1, len(frame) + 1)])
    frame["row"] = range(2, len(frame) + 2)
    return frame


def out(pid: str, n: int, hour: str = "10:00"):
    return (pid, "out", day(pid, n, hour), ASK)


def reply(pid: str, n: int, text: str, hour: str = "18:00"):
    return (pid, "in", day(pid, n, hour), text)


def row(result, pid: str, fortnight: int) -> dict:
    t = result.table
    return t[(t["participant_id"] == pid) & (t["fortnight"] == fortnight)].iloc[0].to_dict()


def test_one_row_per_participant_and_fortnight_valid_against_the_schema():
    result = sms_from_log(make_log(out("P1", 14), reply("P1", 14, "3 days"),
                                   out("P1", 28), reply("P1", 30, "none"),
                                   out("P2", 14)), participants())
    t = result.table
    assert list(t.columns) == list(SMS_COLUMNS) and len(t) == 2 * 13
    SMS.validate(t)
    assert row(result, "P1", 1) | {} == {
        "participant_id": "P1", "fortnight": 1, "sent_date": pd.Timestamp("2023-01-16"),
        "reply_date": pd.Timestamp("2023-01-16"), "days_off": 3}
    assert row(result, "P1", 2)["days_off"] == 0
    assert row(result, "P1", 2)["reply_date"] == pd.Timestamp("2023-02-01")
    unanswered = row(result, "P2", 1)
    assert unanswered["sent_date"] == pd.Timestamp("2023-02-20")
    assert pd.isna(unanswered["reply_date"]) and pd.isna(unanswered["days_off"])
    assert t.loc[t["participant_id"] == "P1", "sent_date"].iloc[2:].isna().all()  # never sent
    assert (result.outbound, result.inbound, result.parsed, result.parse_rate) == (3, 2, 2, 1.0)


def test_fortnight_comes_from_the_send_date_not_from_message_order():
    # fortnight 2's message failed to send: the second message is fortnight 3's
    result = sms_from_log(make_log(out("P1", 14), out("P1", 42), reply("P1", 43, "5")),
                          participants())
    assert pd.isna(row(result, "P1", 2)["sent_date"])
    assert row(result, "P1", 3)["days_off"] == 5


def test_messages_a_few_days_off_schedule_and_reminders():
    log = make_log(out("P1", 11), out("P1", 31), out("P1", 33), reply("P1", 34, "2"))
    result = sms_from_log(log, participants())
    assert row(result, "P1", 1)["sent_date"] == pd.Timestamp(day("P1", 11)[:10])
    # day 31 is fortnight 2 sent 3 days late; day 33 is its reminder, not a new fortnight
    assert row(result, "P1", 2)["sent_date"] == pd.Timestamp(day("P1", 31)[:10])
    assert row(result, "P1", 2)["days_off"] == 2 and pd.isna(row(result, "P1", 3)["sent_date"])
    assert result.reminders == 1 and result.outbound == 3


def test_a_late_reply_after_the_next_message_counts_for_the_next_fortnight():
    result = sms_from_log(make_log(out("P1", 14), out("P1", 28), reply("P1", 28, "4", "11:00")),
                          participants())
    assert pd.isna(row(result, "P1", 1)["days_off"]) and row(result, "P1", 2)["days_off"] == 4


def test_a_reply_about_an_earlier_message_goes_to_review_and_an_override_places_it():
    log = make_log(out("P1", 14), out("P1", 28), reply("P1", 29, "forgot to reply last time, 6"))
    result = sms_from_log(log, participants())
    assert pd.isna(row(result, "P1", 2)["days_off"])
    review = result.review
    assert list(review.columns) == list(REVIEW_COLUMNS)
    assert review.loc[0, ["message_id", "fortnight", "needs_decision"]].tolist() == \
        ["M3", 2, True]
    assert "earlier message" in review.loc[0, "reason"] and result.held_out == 1
    placed = sms_from_log(log, participants(), pd.DataFrame(
        {"message_id": ["M3"], "days_off": ["6"], "fortnight": ["1"]}))
    assert row(placed, "P1", 1)["days_off"] == 6
    assert row(placed, "P1", 1)["reply_date"] == pd.Timestamp(day("P1", 29)[:10])
    assert placed.review.empty and placed.overridden == 1 and placed.held_out == 0


def test_a_reply_long_after_the_last_message_is_not_assigned():
    log = make_log(out("P1", 14), reply("P1", 14 + 15, "2"))
    result = sms_from_log(log, participants())
    assert pd.isna(row(result, "P1", 1)["reply_date"])
    (entry,) = result.review.to_dict("records")
    assert pd.isna(entry["fortnight"]) and not entry["needs_decision"]
    assert entry["reason"].startswith("arrived 15 days after the last message M1")
    with pytest.raises(ValidationError, match="not assigned to a fortnight"):
        sms_from_log(log, participants(), pd.DataFrame({"message_id": ["M2"], "days_off": [2]}))


@pytest.mark.parametrize(("texts", "days_off", "review", "needs"), [
    (["3", "thanks"], 3, {"M3": "no number of days in the reply; the fortnight is answered "
                                "by message M2"}, False),
    (["3", "sorry, 4"], 4, {"M2": "replaced by the marked correction in message M3"}, False),
    (["3", "3 days"], 3, {"M3": "repeats the number of message M2"}, False),
    (["not sure", "2"], 2, {"M2": "hedged or approximate; the fortnight is answered by "
                                  "message M3"}, False),
    (["3", "4"], None, {"M2": "conflicting replies in one window",
                        "M3": "says 4 but message M2 said 3 for the same fortnight, with no "
                              "correction mark"}, True),
    (["3", "sorry, 2 or 3"], None, {
        "M2": "conflicting replies in one window",
        "M3": "a correction of message M2 that the grammar cannot read (more than one number "
              "(2, 3): ambiguous)"}, True),
    (["3", "4", "sorry, 4"], 4, {"M2": "replaced by the marked correction in message M4",
                                 "M3": "says 4 but message M2 said 3 for the same fortnight, "
                                       "with no correction mark; the fortnight is answered by "
                                       "message M4"}, False),
    (["?", "call me"], None, {"M2": "a question mark: the reply asks something or is unsure",
                              "M3": "no number of days in the reply (call)"}, True),
])
def test_several_replies_to_one_message(texts, days_off, review, needs):
    replies = [reply("P1", 15, text, f"{9 + i:02d}:00") for i, text in enumerate(texts)]
    result = sms_from_log(make_log(out("P1", 14), *replies), participants())
    got = row(result, "P1", 1)
    assert (None if pd.isna(got["days_off"]) else got["days_off"]) == days_off
    assert got["reply_date"] == pd.Timestamp(day("P1", 15)[:10])  # the first reply's date
    assert dict(zip(result.review["message_id"], result.review["reason"], strict=True)) == review
    assert set(result.review["needs_decision"]) == {needs}
    assert result.held_out == int(needs)


def test_parse_rate_counts_replies_the_grammar_read():
    log = make_log(out("P1", 14), reply("P1", 14, "2"), out("P1", 28), reply("P1", 28, "?"),
                   out("P1", 42), reply("P1", 42, "two and a half"), out("P2", 14),
                   reply("P2", 15, "back at work"))
    result = sms_from_log(log, participants())
    assert result.parse_rate == pytest.approx(3 / 4)
    assert result.forms == {"back_at_work": 1, "digits": 1, "half": 1}
    assert [row(result, "P1", k)["days_off"] for k in (1, 3)] == [2, 3]
    assert result.lines()[1] == ("SMS replies read by the grammar: 3 of 4 (75.0%); forms: "
                                 "back_at_work 1, digits 1, half 1")


def test_every_problem_in_the_log_at_once():
    log = make_log(reply("P1", 13, "3"), out("P1", 14), ("P9", "out", day("P1", 14), ASK),
                   ("P1", "in", day("P1", 15), "2"), out("P2", 19), ("P2", "sms", day("P2", 14),
                                                                      "x"))
    log["timestamp"] = log["timestamp"].dt.strftime("%Y-%m-%d %H:%M").astype(object)
    log.loc[3, "timestamp"] = "15/01/2023 18:00"
    log.loc[5, "message_id"] = "M3"
    with pytest.raises(ValidationError) as caught:
        sms_from_log(log, participants(), source="platform.csv", timestamp_format="%Y-%m-%d %H:%M")
    assert [str(p) for p in caught.value.problems] == [
        "platform.csv:7: column 'direction': 'sms' is not a known message direction (fix: map "
        "the platform's values to out/in with `directions:` in the mapping)",
        "platform.csv:4: column 'participant_id': 'P9' is not in the participants table (fix: "
        "check the id (a phone number must be mapped to its participant id first))",
        "platform.csv:4: column 'message_id': 'M3' is used by more than one message (fix: give "
        "every message its own id (or leave the id out: the row number is used))",
        "platform.csv:7: column 'message_id': 'M3' is used by more than one message (fix: give "
        "every message its own id (or leave the id out: the row number is used))",
        "platform.csv:5: column 'timestamp': '15/01/2023 18:00' is not a timestamp in the format "
        "%Y-%m-%d %H:%M (fix: correct the value, or set `timestamp_format:` in the mapping to "
        "the log's format)",
        "platform.csv:6: column 'timestamp': '2023-02-25 10:00 (day 19 after randomisation)' is "
        "not within 3 days of a scheduled SMS (day 14 x fortnight, fortnights 1-13) and "
        "follows no message of its fortnight (fix: check the participant id, the randomisation "
        "date and the timestamp; remove test messages from the log)",
        "platform.csv:2: column 'timestamp': '2023-01-15 18:00' is a reply sent before any "
        "message to this participant (fix: check the participant id and the timestamp (and "
        "that the log holds the outbound messages, not only the replies))",
    ]


def test_override_problems_at_once(tmp_path):
    log = make_log(out("P1", 14), reply("P1", 14, "?"), out("P1", 28), reply("P1", 28, "3"),
                   reply("P1", 29, "thanks"))
    overrides = tmp_path / "decisions.csv"
    overrides.write_text("message_id,days_off,fortnight\nM2,15,\nM9,3,\nM1,2,\nM4,three,\n"
                         "M4,1,\nM5,1,5\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        sms_from_log(log, participants(), overrides)
    assert [(p.file, p.row, p.column, p.value, p.rule) for p in caught.value.problems] == [
        ("decisions.csv", 2, "days_off", "15", "must be a whole number from 0 to 14 (or empty)"),
        ("decisions.csv", 5, "days_off", "three",
         "must be a whole number from 0 to 14 (or empty)"),
        ("decisions.csv", 3, "message_id", "M9", "is not a reply in the SMS log"),
        ("decisions.csv", 4, "message_id", "M1", "is not a reply in the SMS log"),
        ("decisions.csv", 5, "message_id", "M4", "has more than one override"),
        ("decisions.csv", 6, "message_id", "M4", "has more than one override"),
        ("decisions.csv", 7, "fortnight", 5,
         "is a fortnight whose SMS was never sent to this participant"),
    ]


def test_overrides_resolve_review_rows_and_empty_means_confirmed_missing(tmp_path):
    log = make_log(out("P1", 14), reply("P1", 14, "not sure"), out("P1", 28),
                   reply("P1", 28, "2 or 3"), out("P2", 14), reply("P2", 14, "3"),
                   reply("P2", 14, "4", "19:00"))
    before = sms_from_log(log, participants())
    assert before.held_out == 3 and len(before.review) == 4
    overrides = tmp_path / "sms_overrides.csv"
    overrides.write_text("message_id,days_off\nM2,\nM4,3\nM7,4\n", encoding="utf-8")
    after = sms_from_log(log, participants(), overrides)
    assert pd.isna(row(after, "P1", 1)["days_off"])  # a person confirmed: no usable answer
    assert row(after, "P1", 2)["days_off"] == 3 and row(after, "P2", 1)["days_off"] == 4
    assert after.review.empty and after.overridden == 3 and after.held_out == 0
    assert before.table.drop(columns="days_off").equals(after.table.drop(columns="days_off"))


def test_review_csv_text():
    result = sms_from_log(make_log(out("P1", 14), reply("P1", 14, "2, or 3?")), participants())
    assert result.review_csv() == (
        "message_id,participant_id,timestamp,text,reason,fortnight,needs_decision\n"
        "M2,P1,2023-01-16 18:00:00,\"2, or 3?\",a question mark: the reply asks something or is "
        "unsure,1,true\n")


def test_without_replies_the_parse_rate_is_undefined():
    result = sms_from_log(make_log(out("P1", 14)), participants())
    assert result.inbound == 0 and pd.isna(result.parse_rate)
    assert result.lines()[1].endswith("0 of 0 (n/a)")


def test_a_reply_in_the_same_second_as_its_message_answers_it():
    log = make_log(out("P1", 14, "10:00"), reply("P1", 14, "2", "10:00"))
    assert row(sms_from_log(log, participants()), "P1", 1)["days_off"] == 2


def test_empty_datetimes_and_dates_as_python_dates():
    log = make_log(out("P1", 14), reply("P1", 14, "2"))
    log.loc[1, "timestamp"] = pd.NaT
    people = participants().assign(
        randomisation_date=[d.date() for d in participants()["randomisation_date"]])
    with pytest.raises(ValidationError) as caught:
        sms_from_log(log, people)
    assert [str(p) for p in caught.value.problems] == [
        "sms_log.csv:3: column 'timestamp' is empty (fix: every message needs its timestamp)"]
    log.loc[1, "timestamp"] = pd.Timestamp(day("P1", 14, "11:00"))
    assert row(sms_from_log(log, people), "P1", 1)["days_off"] == 2
