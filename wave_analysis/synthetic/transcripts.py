"""One synthetic interview transcript, assembled from the phrase banks with coder_1's codings.

A transcript is "Interviewer:" / "Respondent:" turns: the introduction, the group's background
questions, then the interview guide's topics with uncoded stories at seeded places between them,
topped up to a drawn length, and the closing. The interviewee raises a seeded subset of the codes
(rates in mention.yaml, for patients times their persona's factors); only raised codes get coded
passages. Each passage's span is recorded while the text is written, so offsets are exact
(Unicode code points into the text as written).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from wave_analysis.exceptions import WaveError
from wave_analysis.synthetic.banks import Banks, Talk

HEADER = ("[SYNTHETIC TRANSCRIPT - generated for the wave-analysis project; "
          "not real participant data]")
# Words per transcript (floor and cap of the corpus; targets are drawn inside per group).
WORDS_MIN, WORDS_MAX = 2000, 4500
WORD_TARGET = {"patient": (2500, 3600), "vsw": (2800, 3800), "employer": (2300, 3000),
               "gp": (2300, 2900)}
P_SUBTHEME = 0.07  # coder_1 applies the subtheme instead of the leaf to a general passage
MIN_RAISED = {"patient": 9, "vsw": 16, "employer": 11, "gp": 10}  # codes raised, at least
P_MENTION_MAX = 0.95  # persona factors never make a code certain for a patient
P_BRIDGE = 0.45  # a passage ends on a sentence that also expresses a related code (overlap)

Sentence = tuple[str, tuple[str, ...], str | None]  # text, codes coder_1 applies, nearby code


class _Slots(dict):
    """format_map mapping: persona slots are fixed, the banks' random slots drawn at each use."""

    def __init__(self, fixed: dict, random_slots: dict, rng: np.random.Generator):
        super().__init__(fixed)
        self.random_slots, self.rng = random_slots, rng

    def __missing__(self, key):
        if key in self.random_slots:
            options = self.random_slots[key]
            return options[int(self.rng.integers(len(options)))]
        raise WaveError(f"synthetic generator bug: phrase bank slot {{{key}}} has no value for "
                        "this transcript (banks.SLOTS and interviews.persona disagree)")


@dataclass
class Built:
    """A finished transcript: its text, coder_1's codings and where coder_2 may differ."""

    text: str
    codings: list[tuple[str, int, int]]  # coder_1 (dotted code id, start, end)
    lines: list[tuple[int, int]]  # respondent lines (start, end of the spoken text)
    spare: list[tuple[int, int, str]]  # uncoded respondent sentences next to a coded passage


def mention_probs(banks: Banks, group: str, persona: dict) -> dict[str, float]:
    """Probability that this interviewee raises each code: the group's base rate, and for
    patients times the factors of their persona (return status, condition group, age band)."""
    probs = {c: rates[group] for c, rates in banks.rates.items() if rates.get(group, 0) > 0}
    if group == "patient":
        for trait in (_status(persona), persona["condition_group"], persona["age_band"]):
            for code, factor in banks.patient_factors.get(trait, {}).items():
                probs[code] = min(P_MENTION_MAX, probs[code] * factor)
    return probs


def _status(persona: dict) -> str:
    return "returned" if persona["rtw"] else "still_off"


@dataclass
class Transcript:
    """The transcript being written; ``build()`` writes it once."""

    banks: Banks
    rng: np.random.Generator
    interview_id: str
    group: str
    persona: dict
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    words: int = 0
    codings: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    spare: list = field(default_factory=list)
    used: set = field(default_factory=set)
    mentioned: set = field(default_factory=set)  # codes this interviewee raises

    # bank access -------------------------------------------------------------------------------
    def speakers(self) -> tuple[str, ...]:
        """The speaker keys whose sentences this interviewee may say."""
        if self.group == "patient":  # narrower banks by return status, condition and age band
            return ("patient", _status(self.persona), self.persona["condition_group"],
                    self.persona["age_band"])
        return (self.group,)

    def unused(self, name: str, bank: dict) -> list[tuple[str, int, str]]:
        return [(k, i, t) for k in self.speakers() for i, t in enumerate(bank.get(k, ()))
                if (name, k, i) not in self.used]

    def draw(self, name: str, bank: dict, n: int, *, ordered: bool = False) -> list[str]:
        """n unused templates of a bank, filled (in bank order when ``ordered``, as a story
        must be); marks them used in this transcript."""
        pool = self.unused(name, bank)
        if not pool:
            return []
        pick = self.rng.permutation(len(pool))[:n]
        if ordered:
            pick = np.sort(pick)
        out = []
        for j in pick:
            k, i, t = pool[int(j)]
            self.used.add((name, k, i))
            out.append(self.fill(t))
        return out

    def fill(self, template: str) -> str:
        return template.format_map(_Slots(self.persona, self.banks.random_slots, self.rng))

    def one(self, options) -> str:
        return self.fill(options[int(self.rng.integers(len(options)))])

    def asked(self) -> str:
        return "patient" if self.group == "patient" else "others"

    # writing -----------------------------------------------------------------------------------
    def _emit(self, line: str) -> None:
        if self.parts:
            self.parts.append("\n\n")
            self.pos += 2
        self.parts.append(line)
        self.pos += len(line)
        self.words += len(line.split())

    def ask(self, text: str) -> None:
        self._emit("Interviewer: " + text)

    def answer(self, sentences: list[Sentence]) -> None:
        """One respondent turn. Each sentence carries the codes coder_1 applies to it and, when
        uncoded, the code of the passage it sits beside (a chance for coder_2 to extend)."""
        prefix = "Respondent: "
        start = self.pos + (len(self.parts) > 0) * 2 + len(prefix)
        offsets, cursor = [], start
        for text, _, _ in sentences:
            offsets.append((cursor, cursor + len(text)))
            cursor += len(text) + 1
        self._emit(prefix + " ".join(s for s, _, _ in sentences))
        self.lines.append((start, cursor - 1))
        labels = list(dict.fromkeys(c for _, codes, _ in sentences for c in codes))
        for code in labels:  # one span per run of consecutive sentences carrying the code
            run = None
            for (s, e), (_, codes, _) in zip(offsets, sentences, strict=True):
                if code in codes:
                    run = (run[0], e) if run else (s, e)
                elif run:
                    self.codings.append((code, *run))
                    run = None
            if run:
                self.codings.append((code, *run))
        for (s, e), (_, codes, near) in zip(offsets, sentences, strict=True):
            if not codes and near:
                self.spare.append((s, e, near))

    # content -----------------------------------------------------------------------------------
    def available(self, code: str) -> int:
        return len(self.unused(code, self.banks.passages.get(code, {})))

    def passage(self, code: str) -> list[Sentence]:
        """Opener, 2-4 sentences expressing ``code`` (sometimes bridging to a related code),
        and sometimes an uncoded tail."""
        rng, banks = self.rng, self.banks
        label = code
        if rng.random() < P_SUBTHEME:
            label = code.rsplit(".", 1)[0]
        n = int(rng.integers(2, 5))
        out: list[Sentence] = []
        if rng.random() < 0.6:
            out.append((self.one(banks.openers[self.group]), (), None))
        out += [(s, (label,), None) for s in self.draw(code, banks.passages[code], n)]
        bridges = [b for b in banks.bridges if b.first == code and b.speaker == self.group
                   and b.second in self.mentioned and ("bridge", b.text) not in self.used]
        if bridges and rng.random() < P_BRIDGE:
            bridge = bridges[int(rng.integers(len(bridges)))]
            self.used.add(("bridge", bridge.text))
            out.append((self.fill(bridge.text), (label, bridge.second), None))
            more = self.draw(bridge.second, banks.passages[bridge.second], int(rng.integers(1, 3)))
            out += [(s, (bridge.second,), None) for s in more]
        if rng.random() < 0.35:
            out += [(s, (), code) for s in self.draw("tail", banks.tails, 1)]
        return out

    def build(self) -> Built:
        """Write the whole interview (the order of random draws is part of the seed's output)."""
        banks, group = self.banks, self.group
        self._emit(HEADER)
        self._emit(f"Interview {self.interview_id}. Stakeholder group: {group}. "
                   f"Conducted by {self.persona['mode']}. Identifying details have been removed.")
        self.ask(self.one(banks.intro))
        self.answer([(self.one(banks.intro_reply), (), None)])
        for talk in banks.background[group]:
            self.story(talk, ordered=True)
        lo, hi = WORD_TARGET[group]
        target = int(self.rng.integers(lo, hi + 1))
        probs = mention_probs(banks, group, self.persona)
        codes = [c for c in banks.leaves if probs.get(c, 0) > 0 and c in banks.passages]
        self.mentioned = self.raise_codes(codes, probs)
        self.follow_guide(codes)
        self.top_up(codes, probs, target)
        for talk in banks.stories[group]:
            if talk.place == "late":
                self.story(talk)
        self.ask(self.one(banks.closing))
        self.answer([(s, (), None) for s in self.draw("closing", banks.closing_reply, 2)])
        self.ask(self.one(banks.thanks))
        self.answer([(self.one(banks.goodbye), (), None)])
        return Built("".join(self.parts) + "\n", self.codings, self.lines, self.spare)

    def raise_codes(self, codes: list[str], probs: dict[str, float]) -> set[str]:
        """The codes this interviewee raises: each with its mention probability, then topped up
        to MIN_RAISED (every interview covers some ground) with the group's common codes,
        weighted towards the commonest so that rare codes stay rare."""
        rng = self.rng
        raised = {c for c in codes if rng.random() < probs[c]}
        rest = [c for c in codes if c not in raised and probs[c] >= 0.25]
        short = min(len(rest), MIN_RAISED[self.group] - len(raised))
        if short > 0:
            weights = np.array([probs[c] for c in rest]) ** 2
            pick = rng.choice(len(rest), short, replace=False, p=weights / weights.sum())
            raised.update(rest[int(i)] for i in pick)
        return raised

    def follow_guide(self, codes: list[str]) -> None:
        """The guide's topics in order, with the uncoded "mid" stories at seeded places between
        them; each topic asks about the raised codes of its theme."""
        rng, banks = self.rng, self.banks
        stories = [talk for talk in banks.stories[self.group] if talk.place == "mid"]
        stories = [stories[i] for i in rng.permutation(len(stories))]
        guide = list(banks.guide[self.group])
        slots = np.sort(rng.integers(0, len(guide) + 1, len(stories)))
        plan: list = []
        for i, theme in enumerate(guide + [None]):
            plan += [stories[j] for j in range(len(stories)) if slots[j] == i]
            if theme is not None:
                plan.append(theme)
        for item in plan:
            if self.words > WORDS_MAX - 600:
                break
            if isinstance(item, Talk):
                self.story(item)
                continue
            raised = [c for c in codes if c.startswith(item + ".") and c in self.mentioned]
            raised = [raised[i] for i in rng.permutation(len(raised))]
            first = True
            for code in raised:
                if not self.available(code) or self.words > WORDS_MAX - 600:
                    continue
                if first:
                    self.ask(self.one(banks.theme_questions[item][self.asked()]))
                    first = False
                else:
                    self.ask(self.one(banks.code_questions[code][self.asked()] + banks.probes))
                self.answer(self.passage(code))

    def top_up(self, codes: list[str], probs: dict[str, float], target: int) -> None:
        """Further passages on codes this interviewee raised (never one they did not raise, so
        theme presence varies between people) up to the target length, then general talk."""
        rng, banks = self.rng, self.banks
        last = None
        while self.words < target and self.words < WORDS_MAX - 500:
            left = [c for c in codes if c in self.mentioned and self.available(c)]
            if len(left) > 1 and last in left:  # never the same question twice in a row
                left.remove(last)
            if left:
                weights = np.array([probs[c] for c in left])
                code = last = left[int(rng.choice(len(left), p=weights / weights.sum()))]
                question = self.one(banks.code_questions[code][self.asked()])
                if rng.random() < 0.3:
                    question = self.one(banks.back_to) + " " + question[0].lower() + question[1:]
                self.ask(question)
                self.answer(self.passage(code))
                continue
            filler = Talk(banks.filler_questions, int(rng.integers(2, 4)), banks.filler)
            if not self.story(filler, name="filler"):
                break

    def story(self, talk: Talk, *, ordered: bool = False, name: str | None = None) -> bool:
        """An uncoded question and answer from a background bank; False when it is used up."""
        said = self.draw(name or talk.questions[0], talk.sentences, talk.draw, ordered=ordered)
        if not said:
            return False
        self.ask(self.one(talk.questions))
        cut = len(said) // 2 if len(said) >= 5 and self.rng.random() < 0.5 else len(said)
        self.answer([(s, (), None) for s in said[:cut]])
        if cut < len(said):  # a long answer is broken by a nudge from the interviewer
            self.ask(self.one(self.banks.nudges))
            self.answer([(s, (), None) for s in said[cut:]])
        return True
