"""The free-text SMS reply grammar: real-looking replies and what each must give.

Each row is a reply as a participant might type it, the days off it must give (None when it must
be refused) and the grammar form that reads it, or a fragment of the refusal reason.
"""

from __future__ import annotations

import pytest

from wave_analysis.data.imports.sms_replies import FORMS, normalise, parse_reply

READ = [
    # digits
    ("3", 3, "digits"), (" 3 days", 3, "digits"), ("3d", 3, "digits"), ("3days", 3, "digits"),
    ("3 days.", 3, "digits"), ("3 Days off", 3, "digits"), ("0", 0, "digits"),
    ("0 days", 0, "digits"), ("14", 14, "digits"), ("10 days off sick", 10, "digits"),
    ("4 days in the last 14 days", 4, "digits"), ("3 out of 14", 3, "digits"),
    ("Hi, 3 days off this fortnight", 3, "digits"), ("3 thanks x", 3, "digits"),
    ("3 days sick thank you", 3, "digits"), ("Sorry for the late reply, 3", 3, "digits"),
    ("I was off 5 days", 5, "digits"), ("i've had 2 days off", 2, "digits"),
    ("only 1 day", 1, "digits"), ("7 days in the past fortnight", 7, "digits"),
    # number words
    ("three", 3, "words"), ("Three days", 3, "words"), ("THREE", 3, "words"),
    ("fourteen", 14, "words"), ("Five. Thanks", 5, "words"), ("a day", 1, "words"),
    ("one day", 1, "words"), ("just a day off", 1, "words"), ("eleven days", 11, "words"),
    # none
    ("none", 0, "none"), ("None thanks", 0, "none"), ("zero", 0, "none"), ("nil", 0, "none"),
    ("no days", 0, "none"), ("No days off", 0, "none"), ("nothing", 0, "none"),
    ("no", 0, "none"), ("not any", 0, "none"), ("none at all", 0, "none"),
    # halves, rounded up (a part day off counts as a day off)
    ("2 and a half", 3, "half"), ("2.5", 3, "half"), ("two and a half", 3, "half"),
    ("2½", 3, "half"), ("2½ days", 3, "half"), ("2 and a half days", 3, "half"),
    ("half a day", 1, "half"), ("half day", 1, "half"), ("0.5", 1, "half"),
    ("13.5", 14, "half"), ("4.0", 4, "digits"), ("one and a half days", 2, "half"),
    # all of the fortnight
    ("all", 14, "all"), ("All of them", 14, "all"), ("every day", 14, "all"),
    ("Every single day", 14, "all"), ("whole fortnight", 14, "all"),
    ("the whole fortnight", 14, "all"), ("off all fortnight", 14, "all"),
    ("Been off the whole fortnight", 14, "all"), ("2 weeks", 14, "all"),
    ("both weeks", 14, "all"), ("all 14 days", 14, "all"),
    # back at work
    ("back at work", 0, "back_at_work"), ("back at work full time", 0, "back_at_work"),
    ("Back at work full-time", 0, "back_at_work"), ("back to work", 0, "back_at_work"),
    ("I'm back in work now", 0, "back_at_work"), ("went back to work", 0, "back_at_work"),
    ("working full time", 0, "back_at_work"), ("returned to work", 0, "back_at_work"),
    ("Back at work, thanks!", 0, "back_at_work"),
]

REFUSED = [
    ("", "empty reply"), ("   ", "empty reply"), ("?", "question mark"),
    ("3?", "question mark"), ("how many?", "question mark"),
    ("2 or 3", "more than one number (2, 3)"), ("2-3", "more than one number"),
    ("2/3 days", "more than one number"), ("3 or 4 days", "more than one number"),
    ("not sure", "hedged"), ("about 3", "hedged"), ("maybe 2", "hedged"),
    ("can't remember", "hedged"), ("a few", "hedged"), ("a couple of days", "hedged"),
    ("roughly 4", "hedged"), ("3ish", "hedged"),
    ("call me", "no number of days in the reply (call)"), ("thanks", "no number"),
    ("ok", "no number"), ("still off", "no number"), ("STOP", "no number"),
    ("15", "15 is more than the 14 days"), ("twenty", "20 is more than"),
    ("14.5", "14.5 is more than"), ("2.3", "decimal other than a half"),
    ("a week", "a week count other than two"), ("1 week", "a week count"),
    ("back at work part time", "part-time"), ("phased return, 3 days", "part-time"),
    ("doing half days", "part-time"),
    ("last time 3", "earlier message"), ("forgot to reply, 2", "earlier message"),
    ("3 days sick, back now", "words the grammar does not know: back now"),
    ("3 days and the doctor says another week", "week"),
]


@pytest.mark.parametrize(("text", "days", "form"), READ)
def test_reads(text, days, form):
    reply = parse_reply(text)
    assert (reply.days_off, reply.form, reply.reason) == (days, form, "")
    assert reply.parsed and reply.form in FORMS and reply.text == text


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_refuses_with_a_reason(text, reason):
    reply = parse_reply(text)
    assert reply.days_off is None and not reply.parsed and reply.form == ""
    assert reason in reply.reason


@pytest.mark.parametrize(("text", "days"), [
    ("sorry, 4", 4), ("Sorry 4 not 3", None), ("*4", 4), ("I meant 4", 4),
    ("sorry i meant 4 days", 4), ("Correction: 5", 5), ("actually 2", 2),
    ("should be 6", 6), ("sorry, none", 0), ("sorry, 2 or 3", None),
])
def test_corrections_are_marked(text, days):
    reply = parse_reply(text)
    assert reply.correction and reply.days_off == days


@pytest.mark.parametrize("text", ["3", "Sorry for the late reply, 3", "sorry for the delay 2",
                                  "thanks 3"])
def test_an_apology_for_a_late_reply_is_not_a_correction(text):
    assert not parse_reply(text).correction


def test_halves_round_up_and_whole_numbers_stay():
    # the stated rule: a part day counts as a day off, so n and a half -> n + 1
    for n in range(14):
        assert parse_reply(f"{n} and a half").days_off == n + 1
        assert parse_reply(f"{n}.5").days_off == n + 1
        assert parse_reply(str(n)).days_off == n
    assert parse_reply("14 and a half").days_off is None


def test_every_number_word_to_fourteen():
    words = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen").split()
    assert [parse_reply(f"{w} days").days_off for w in words] == list(range(15))


def test_normalise_folds_case_punctuation_and_fractions():
    assert normalise("  Three  DAYS!! ") == "three days"
    assert normalise("2½") == "2.5"
    assert normalise("I\u2019m back") == "i'm back"
    assert normalise("3d.") == "3 d"
    assert normalise(None) == ""
