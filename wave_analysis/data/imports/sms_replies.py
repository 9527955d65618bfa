"""Read a free-text SMS reply as the number of days off work sick in the last 14 days.

The fortnightly SMS asks "How many of the last 14 days were you off work sick?". Replies are free
text; :func:`parse_reply` reads one with a small, closed grammar and says either how many days
(``days_off``, 0 to 14) and which form of the grammar read it, or why it refused. It never guesses:
anything outside the grammar is refused with a reason and goes to a person (the review file of
:mod:`.sms_log`).

The grammar, applied to the lower-cased text:

1. Politeness and padding are dropped: greetings ("hi"), thanks ("thanks", "ta", "cheers", "x"),
   an apology for a late reply, the period asked about ("in the last 14 days", "this fortnight",
   "out of 14") and filler words ("days", "off", "sick", "I was", "been", "had", "only", "just").
2. Refused before reading any number: a question mark ("3?", "?"), hedges ("about 3", "maybe",
   "not sure", "can't remember", "a few", "a couple"), a phased return or part-time work (the
   days off cannot be read from it), a week count other than two ("a week" may mean 5 working
   days or 7), and a reply that says it is about an earlier message ("last time", "forgot to
   reply"): those go to a person, who places them in the right fortnight.
3. Whole-reply forms:

   * none: "none", "zero", "nil", "no", "no days", "nothing", "not any" -> 0;
   * all: "all", "all of them", "every day", "whole fortnight", "all fortnight", "off all
     fortnight", "both weeks", "2 weeks", "all 14" -> 14;
   * back at work: "back at work", "back at work full time", "back to work", "returned to
     work", "working", "at work all fortnight" -> 0.
4. One number: digits ("3", "3 days", "3d"), number words ("three", "Fourteen days"), "a day"
   (1), optionally with a half ("2 and a half", "2.5", "two and a half", "2½", "half a day").
   More than one number ("2 or 3", "2-3") is refused as ambiguous, and so are decimals other than
   halves, numbers over 14 and any word the grammar does not know.

Halves round up (2.5 -> 3, "half a day" -> 1), counting the part day as a day off: the SMS asks
on how many days the participant was off work sick, and on a day half spent off sick they were;
rounding down would record "half a day" as 0, a fortnight with no absence at all. The rule is the
same in both arms, and halves are rare (the synthetic log: about 4% of replies). A reply
starting with "sorry", "correction", "I meant", "actually" or "*" is marked as a correction
(``correction``); :mod:`.sms_log` lets a marked correction replace an earlier reply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wave_analysis.design import DAYS_PER_FORTNIGHT

# Which grammar form read a reply (``Reply.form``); "" when refused.
FORMS = ("digits", "words", "half", "none", "all", "back_at_work")

NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split())
} | {"thirty": 30, "forty": 40, "fifty": 50}

# Dropped wherever they stand (step 1). Order matters: longer phrases first.
_PADDING = [
    r"sorry (?:for|about) (?:the |my )?(?:late|slow) (?:reply|response|text)",
    r"sorry (?:for|about) (?:the )?delay", r"sorry i'?m late", r"sorry late reply",
    r"(?:many )?thanks?(?: you)?(?: very much)?", r"thx", r"ta", r"cheers", r"x+",
    r"hi+(?: there)?", r"hello", r"hiya", r"hey", r"good (?:morning|afternoon|evening)",
    r"(?:in |over |during |for )?(?:the )?(?:last|past|previous) (?:14|fourteen) days",
    r"(?:in |over |during |for )?(?:the )?(?:last|past|previous) (?:2|two) weeks",
    r"(?:in |over |during |for )?(?:the |this )?(?:last|past|previous) fortnight",
    r"(?:in |over |during |for )?this fortnight", r"out of (?:14|fourteen)",
]
_PADDING_RE = re.compile(r"\b(?:" + "|".join(_PADDING) + r")\b")
_CORRECTION_RE = re.compile(
    r"^(?:\*|(?:sorry|oops|correction|apologies|my mistake|typo|actually|i meant|meant|"
    r"should (?:be|have said|say)|it should be|wrong)\b)")
_CORRECTION_WORDS = {"sorry", "oops", "correction", "apologies", "my", "mistake", "typo",
                     "actually", "meant", "should", "be", "have", "said", "say", "it", "wrong"}
_FILLER = {"day", "days", "d", "off", "sick", "i", "i'm", "im", "i've", "ive", "was", "were",
           "been", "have", "had", "has", "taken", "took", "only", "just", "so", "far", "total",
           "in", "me", "my", "it's", "its", "that's", "thats", "it", "is", "work", "from", "of",
           "ok", "okay", "the"}
_BACK_FILLER = _FILLER - {"work", "in"}  # "back in work" needs both

# Step 2: refusals with their reasons (checked on the padded-off text).
_REFUSALS = [
    (re.compile(r"\?"), "a question mark: the reply asks something or is unsure"),
    (re.compile(r"\b(?:last time|previous (?:message|text|one|fortnight's)|last (?:message|text)|"
                r"forgot|missed (?:the|your) (?:last|previous)|earlier (?:message|text)|"
                r"before that)\b"),
     "says it is about an earlier message"),
    (re.compile(r"\b(?:about|around|roughly|approx(?:imately)?|maybe|perhaps|probably|think|"
                r"guess|ish|not sure|unsure|don'?t know|dunno|can'?t remember|cannot remember|"
                r"few|couple|several|some)\b"),
     "hedged or approximate"),
    (re.compile(r"\b(?:part[ -]?time|phased|(?:working|doing) half days|reduced hours|"
                r"light duties|some days)\b"),
     "part-time work or a phased return: the days off cannot be read from it"),
]
_WEEK_REASON = "a week count other than two: a week may mean 5 working days or 7 days"

_ZERO = {"none", "zero", "nil", "no", "nothing", "nowt", "not any", "none at all", "not one",
         "no none", "not at all", "nope", "not"}
_ALL = {"all", "all of them", "all of it", "every day", "everyday", "every single day",
        "each day", "whole fortnight", "the whole fortnight", "all fortnight",
        "all the fortnight", "full fortnight", "the full fortnight", "entire fortnight",
        "the entire fortnight", "whole time", "the whole time", "all the time", "both weeks",
        "all 14", "all fourteen", "fortnight", "the fortnight", "2 weeks", "two weeks",
        "whole 2 weeks", "the whole 2 weeks", "the full 2 weeks", "full 2 weeks",
        "all 2 weeks", "still all fortnight", "the whole two weeks", "whole two weeks"}


def _without_filler(phrases: set[str]) -> frozenset[str]:
    """The phrases as they look once filler words are gone ("every day" -> "every")."""
    return frozenset(" ".join(t for t in p.split() if t not in _FILLER) for p in phrases)


_ZERO, _ALL = _without_filler(_ZERO), _without_filler(_ALL)
_BACK_RE = re.compile(
    r"^(?:now )?(?:(?:back|returned|gone back|went back|been back)(?: (?:at|to|in) work)?|"
    r"(?:at|in) work|working)"
    r"(?: (?:full ?time|fully|now|properly|normally|as normal|all fortnight|every day|"
    r"all the time|all 14))*$")


@dataclass(frozen=True)
class Reply:
    """One reply as read by :func:`parse_reply`: ``days_off`` is None when refused."""

    text: str
    days_off: int | None
    form: str  # one of FORMS when parsed, "" when refused
    reason: str  # why refused, "" when parsed
    correction: bool = False  # marked as a correction of an earlier reply

    @property
    def parsed(self) -> bool:
        return self.days_off is not None


def normalise(text: object) -> str:
    """Lower-case ASCII-ish text with one space between tokens: fractions and curly quotes
    folded, punctuation other than '?', '.', "'" and '*' turned into spaces."""
    s = "" if text is None else str(text)
    s = re.sub(r"(\d)\s*½", r"\1.5", s).replace("½", " half ")
    s = unicodedata.normalize("NFKC", s).lower().replace("\u2019", "'").replace("`", "'")
    s = re.sub(r"(\d)\.(?!\d)", r"\1", s)  # "3." -> "3"; keep "2.5"
    s = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", s)
    s = re.sub(r"[^a-z0-9.'?*]+", " ", s)
    s = re.sub(r"(\d)([a-z])", r"\1 \2", s)  # "3d", "3days"
    return " ".join(s.split())


def parse_reply(text: object) -> Reply:
    """Read one reply with the grammar of this module's docstring."""
    raw = "" if text is None else str(text)
    s = " ".join(_PADDING_RE.sub(" ", normalise(raw)).split())
    correction = bool(_CORRECTION_RE.match(s))  # after padding: "sorry for the delay" is not

    def refuse(reason: str) -> Reply:
        return Reply(raw, None, "", reason, correction)

    if not s.replace("*", "").strip():
        return refuse("no number of days in the reply" if raw.strip() else "empty reply")
    for pattern, reason in _REFUSALS:
        if pattern.search(s):
            return refuse(reason)
    words = s.replace("*", " ").split()
    if correction:
        words = _drop_correction_words(words)
    tokens = [t for t in words if t not in _FILLER]
    core = " ".join(tokens)
    if core in _ZERO:
        return Reply(raw, 0, "none", "", correction)
    if core in _ALL:
        return Reply(raw, DAYS_PER_FORTNIGHT, "all", "", correction)
    if _BACK_RE.match(" ".join(t for t in words if t not in _BACK_FILLER)):
        return Reply(raw, 0, "back_at_work", "", correction)
    if "week" in tokens or "weeks" in tokens:
        return refuse(_WEEK_REASON)
    days, form, reason = read_number(tokens)
    return Reply(raw, days, form, reason, correction)


def _drop_correction_words(tokens: list[str]) -> list[str]:
    """Correction markers ("sorry i meant 4", "should be 4") only lead a reply."""
    i = 0
    while i < len(tokens) and tokens[i] in _CORRECTION_WORDS | {"i"}:
        i += 1
    return tokens[i:]


def _number(token: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    return float(NUMBER_WORDS[token]) if token in NUMBER_WORDS else None


def read_number(tokens: list[str]) -> tuple[int | None, str, str]:
    """``(days_off, form, reason)`` from the tokens left once padding and filler are gone:
    one number, optionally with a half, rounded half up; refused otherwise."""
    numbers = [t for t in tokens if _number(t) is not None]
    if len(numbers) > 1:
        return None, "", f"more than one number ({', '.join(numbers)}): ambiguous"
    half = _half_pattern(tokens, numbers[0] if numbers else None)
    if half is None:
        unknown = " ".join(t for t in tokens if t not in numbers)
        if not numbers:
            return None, "", "no number of days in the reply" + (f" ({unknown})" * bool(unknown))
        return None, "", f"words the grammar does not know: {unknown}"
    value, form = half
    if value != int(value) and value % 1 != 0.5:
        return None, "", f"{value:g} is a decimal other than a half"
    days = int(value // 1 + (value % 1 >= 0.5))  # round half up: a part day is a day off
    if days > DAYS_PER_FORTNIGHT:
        return None, "", f"{value:g} is more than the {DAYS_PER_FORTNIGHT} days asked about"
    return days, form, ""


def _half_pattern(tokens: list[str], number: str | None) -> tuple[float, str] | None:
    """The accepted shapes of the remaining tokens, as (value, form), or None."""
    if number is None:
        if tokens in (["half"], ["half", "a"], ["a", "half"]):
            return 0.5, "half"
        if tokens == ["a"]:  # "a day"
            return 1.0, "words"
        return None
    value = _number(number)
    rest = tokens[tokens.index(number) + 1:]
    if tokens[:1] != [number]:
        return None
    if rest in (["and", "a", "half"], ["and", "half"], ["a", "half"], ["half"]):
        return value + 0.5, "half"
    if rest:
        return None
    if value % 1:
        return value, "half" if value % 1 == 0.5 else "digits"
    return value, "digits" if number[0].isdigit() else "words"
