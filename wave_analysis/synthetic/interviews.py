"""The bundled synthetic WAVE interview corpus: sample, transcripts, codebook and two coders.

SYNTHETIC DATA. Every transcript is assembled from phrase banks written for this project; no
sentence comes from a real interview and no person is named. The design follows the published
qualitative study (Harrison et al., BJGP Open 2025; ``published.md``):

* 15 interviews: 10 intervention-arm patients sampled for maximum variation (sex, age band,
  condition group, return-to-work status, practice) by a seeded greedy choice, 2 employers (linked
  to a sampled patient's practice), 2 vocational support workers (VSWs) and 1 GP. Patients are
  interviewed 26 to 40 weeks after randomisation, the others within the same period.
* A codebook of six themes (the five published findings plus delivery practicalities), each with
  subthemes and leaf codes.
* Transcripts of "Interviewer:" / "Respondent:" turns. Each interviewee raises a seeded subset of
  the codes, at rates that depend on the stakeholder group and, for patients, on the persona
  (e.g. those still off work talk more about obstacles nobody could remove and less about
  leading their own return), so theme presence varies between interviewees. Only raised codes
  get coded passages; the rest of the length is uncoded background and story talk (routine,
  the job, family, the research, the interview itself) drawn from group- and persona-specific
  banks. Each coded passage is built from its code's phrase bank and its span is recorded while
  the text is assembled, so offsets are exact (Unicode code points into the text as written).
* ``coder_1`` codes every transcript; ``coder_2`` independently codes five (two patients and one
  employer, VSW and GP) with realistic disagreement: shifted boundaries, missed and extra
  segments, and an occasional sibling code.

Only ``numpy.random.default_rng(seed)`` draws; the same seed gives identical tables and texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wave_analysis.data.model import QualData
from wave_analysis.exceptions import Problem, ValidationError

__all__ = ["make_qualitative", "codebook", "code_id", "age_band", "template_regex", "HEADER",
           "CODE_SEP", "N_PATIENTS", "N_OTHERS", "AGE_BANDS"]

HEADER = ("[SYNTHETIC TRANSCRIPT - generated for the wave-analysis project; "
          "not real participant data]")
INTERVENTION_ARM = "vocational_support"
N_PATIENTS = 10
N_OTHERS = {"employer": 2, "vsw": 2, "gp": 1}
AGE_BANDS = ((18, 34, "18-34"), (35, 49, "35-49"), (50, 200, "50+"))
INTERVIEW_WEEKS = (26, 40)  # patients are interviewed this many weeks after randomisation
REQUIRED = ("participant_id", "practice_id", "arm", "randomisation_date", "sex", "age",
            "condition_group", "returned_to_work")
# Words per transcript (floor and cap of the corpus; targets are drawn inside per group).
WORDS_MIN, WORDS_MAX = 2000, 4500
WORD_TARGET = {"patient": (2500, 3600), "vsw": (2800, 3800), "employer": (2300, 3000),
               "gp": (2300, 2900)}
GROUP_KEY = {"patient": "p", "vsw": "v", "employer": "e", "gp": "g"}
# Double coding: which interviews coder_2 codes (by group) and how it departs from coder_1.
SECOND_CODER = {"patient": 2, "employer": 1, "vsw": 1, "gp": 1}
P_MISS, P_SIBLING, P_SHIFT, MAX_SHIFT_WORDS, P_EXTRA_CODE = 0.16, 0.09, 0.8, 8, 0.05
EXTRA_SEGMENTS = (2, 4)
P_SUBTHEME = 0.07  # coder_1 applies the subtheme instead of the leaf to a general passage
MIN_RAISED = {"patient": 9, "vsw": 16, "employer": 11, "gp": 10}  # codes raised, at least
P_MENTION_MAX = 0.95  # persona factors never make a code certain for a patient
P_BRIDGE = 0.45  # a passage ends on a sentence that also expresses a related code (overlap)
# Code ids are T1, T1.2, T1.2.1 inside this module; schema.CODEBOOK's id pattern allows only
# letters, digits, '-' and '_', so the tables use this separator instead of the dot.
CODE_SEP = "_"


def code_id(dotted: str) -> str:
    """The table code_id of a dotted internal id ("T1.2.1" -> "T1_2_1")."""
    return dotted.replace(".", CODE_SEP)


# --- public entry point ---------------------------------------------------------------------

def make_qualitative(participants: pd.DataFrame, *, seed: int) -> QualData:
    """Build the synthetic interview corpus from a trial's participants.

    ``participants`` needs the columns participant_id, practice_id, arm, randomisation_date,
    sex, age, condition_group and returned_to_work (bool); extra columns are ignored. Returns a
    :class:`QualData` whose tables follow ``schema.INTERVIEWS``, ``schema.CODEBOOK`` and
    ``schema.CODINGS`` and whose transcripts are keyed by interview_id.
    """
    people = _check_participants(participants)
    rng = np.random.default_rng(seed)
    patients = _sample_patients(people, rng)
    interviews = _interviews(patients, rng)
    transcripts: dict[str, str] = {}
    codings: list[dict] = []
    second = _second_coded(interviews, rng)
    for row in interviews.itertuples(index=False):
        persona = _persona(row, patients, rng)
        built = _Transcript(rng, row.interview_id, row.stakeholder_group, persona).build()
        transcripts[row.interview_id] = built.text
        codings += [dict(interview_id=row.interview_id, code_id=code_id(c), start=s, end=e,
                         coder="coder_1") for c, s, e in built.codings]
        if row.interview_id in second:
            codings += [dict(interview_id=row.interview_id, code_id=code_id(c), start=s, end=e,
                             coder="coder_2") for c, s, e in _second_coder(built, rng)]
    return QualData(interviews=interviews, codebook=codebook(), codings=_codings_frame(codings),
                    transcripts=transcripts, synthetic=True)


def codebook() -> pd.DataFrame:
    """The synthetic corpus's codebook (schema.CODEBOOK), themes > subthemes > codes."""
    rows = []
    for dotted, name, description in _CODES:
        depth = dotted.count(".")
        rows.append(dict(code_id=code_id(dotted),
                         parent_id=None if depth == 0 else code_id(dotted.rsplit(".", 1)[0]),
                         name=name, level=("theme", "subtheme", "code")[depth],
                         description=description))
    frame = pd.DataFrame(rows)
    return frame.astype({c: "object" for c in frame.columns})


def age_band(age: int) -> str:
    """The sampling age band ("18-34", "35-49", "50+") of an age in years."""
    for lo, hi, label in AGE_BANDS:
        if lo <= age <= hi:
            return label
    raise ValueError(f"age {age} is below {AGE_BANDS[0][0]}")


# --- input checks and sampling ----------------------------------------------------------------

def _check_participants(frame: pd.DataFrame) -> pd.DataFrame:
    where = "participants (argument of make_qualitative)"
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise ValidationError([Problem(where, c, None, None, "missing column",
                                       "add it (see schema.PARTICIPANTS; returned_to_work is a "
                                       "bool column)") for c in missing])
    people = frame.loc[:, list(REQUIRED)].reset_index(drop=True)
    problems = []
    for col in REQUIRED:
        for i in np.flatnonzero(people[col].isna().to_numpy())[:5]:
            problems.append(Problem(where, col, int(i) + 1, None, "empty value",
                                    "fill it in or drop the row"))
    rules = {"sex": ("female", "male"), "condition_group": tuple(_CONDITION_WORDS)}
    for col, allowed in rules.items():
        bad = ~people[col].isin(allowed) & people[col].notna()
        for i in np.flatnonzero(bad.to_numpy())[:5]:
            problems.append(Problem(where, col, int(i) + 1, people[col].iloc[i],
                                    f"must be one of {', '.join(allowed)}", "recode the value"))
    if problems:
        raise ValidationError(problems)
    people["randomisation_date"] = pd.to_datetime(people["randomisation_date"])
    people["age"] = people["age"].astype(int)
    people["returned_to_work"] = people["returned_to_work"].astype(bool)
    pool = people[people["arm"] == INTERVENTION_ARM].reset_index(drop=True)
    if len(pool) < N_PATIENTS:
        raise ValidationError([Problem(where, "arm", None, INTERVENTION_ARM,
                                       f"only {len(pool)} participants in the '{INTERVENTION_ARM}'"
                                       f" arm; {N_PATIENTS} patients are interviewed",
                                       f"pass at least {N_PATIENTS} intervention-arm rows")])
    pool["age_band"] = pool["age"].map(age_band)
    return pool


_SAMPLING = ("sex", "age_band", "condition_group", "returned_to_work", "practice_id")


def _sample_patients(pool: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Greedy maximum variation: each pick maximises the sum over sampling characteristics of
    1 / (1 + times its value is already sampled); ties go to a seeded random order."""
    order = pool.iloc[rng.permutation(len(pool))].reset_index(drop=True)
    counts: dict[str, dict] = {a: {} for a in _SAMPLING}
    chosen: list[int] = []
    values = {a: order[a].tolist() for a in _SAMPLING}
    for _ in range(N_PATIENTS):
        best, best_score = -1, -1.0
        for i in range(len(order)):
            if i in chosen:
                continue
            score = sum(1.0 / (1 + counts[a].get(values[a][i], 0)) for a in _SAMPLING)
            if score > best_score + 1e-12:
                best, best_score = i, score
        chosen.append(best)
        for a in _SAMPLING:
            counts[a][values[a][best]] = counts[a].get(values[a][best], 0) + 1
    return order.iloc[chosen].reset_index(drop=True)


def _weekday_between(lo: pd.Timestamp, hi: pd.Timestamp, rng: np.random.Generator) -> pd.Timestamp:
    days = pd.bdate_range(lo, hi)
    if len(days) == 0:  # a weekend-only window: take its first day
        return lo
    return days[int(rng.integers(len(days)))]


def _interviews(patients: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    lo_w, hi_w = INTERVIEW_WEEKS
    for p in patients.itertuples(index=False):
        date = _weekday_between(p.randomisation_date + pd.Timedelta(weeks=lo_w),
                                p.randomisation_date + pd.Timedelta(weeks=hi_w), rng)
        rows.append(dict(stakeholder_group="patient", participant_id=p.participant_id,
                         practice_id=p.practice_id, interview_date=date))
    first = min(r["interview_date"] for r in rows)
    last = max(r["interview_date"] for r in rows)
    linked = rng.permutation(len(patients))
    employer_practices = _distinct_first(patients["practice_id"].iloc[linked].tolist(),
                                         N_OTHERS["employer"])
    for practice in employer_practices:
        rows.append(dict(stakeholder_group="employer", participant_id=None,
                         practice_id=practice, interview_date=_weekday_between(first, last, rng)))
    for _ in range(N_OTHERS["vsw"]):
        rows.append(dict(stakeholder_group="vsw", participant_id=None, practice_id=None,
                         interview_date=_weekday_between(first, last, rng)))
    gp_practice = patients["practice_id"].iloc[int(rng.integers(len(patients)))]
    rows.append(dict(stakeholder_group="gp", participant_id=None, practice_id=gp_practice,
                     interview_date=_weekday_between(first, last, rng)))
    frame = pd.DataFrame(rows)
    frame = frame.sort_values("interview_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "interview_id", [f"SYN-I{i + 1:02d}" for i in range(len(frame))])
    frame["transcript_file"] = frame["interview_id"] + ".txt"
    frame["interview_date"] = pd.to_datetime(frame["interview_date"]).astype("datetime64[ns]")
    for col in ("interview_id", "stakeholder_group", "participant_id", "practice_id",
                "transcript_file"):
        frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
    return frame[["interview_id", "stakeholder_group", "participant_id", "practice_id",
                  "interview_date", "transcript_file"]]


def _distinct_first(values: list, n: int) -> list:
    """The first n distinct values (repeating from the start when there are fewer)."""
    out = list(dict.fromkeys(values))[:n]
    return (out * n)[:n] if out else out


def _second_coded(interviews: pd.DataFrame, rng: np.random.Generator) -> set[str]:
    chosen: set[str] = set()
    for group, n in SECOND_CODER.items():
        ids = interviews.loc[interviews["stakeholder_group"] == group, "interview_id"].tolist()
        pick = rng.permutation(len(ids))[:n]
        chosen.update(ids[i] for i in sorted(pick))
    return chosen


def _codings_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["interview_id", "code_id", "start", "end", "coder"])
    frame = frame.drop_duplicates().sort_values(
        ["interview_id", "coder", "start", "end", "code_id"], kind="stable")
    frame = frame.reset_index(drop=True)
    return frame.astype({"interview_id": "object", "code_id": "object", "start": "Int64",
                         "end": "Int64", "coder": "object"})


# --- personas and slot filling ----------------------------------------------------------------

_CONDITION_WORDS = {
    "mental_health": ("my anxiety", "the depression", "my mental health", "the stress",
                      "my low mood"),
    "musculoskeletal": ("my back", "my neck and shoulder", "my knee", "the back pain",
                        "my hip"),
    "other": ("the fatigue after my operation", "my heart condition", "my recovery from surgery",
              "the after-effects of the infection", "my diabetes"),
}
_JOBS = (("a care assistant in a residential home", "the home"),
         ("a warehouse operative", "the warehouse"),
         ("an administrator for the council", "the office"),
         ("a delivery driver", "the depot"),
         ("a teaching assistant in a primary school", "the school"),
         ("a supervisor in a supermarket", "the store"),
         ("an adviser in a call centre", "the call centre"),
         ("a bus driver", "the depot"),
         ("an accounts assistant", "the office"),
         ("a chef in a hotel kitchen", "the kitchen"),
         ("a maintenance engineer in a factory", "the factory"),
         ("a cleaner at a college", "the college"),
         ("a machine operator", "the factory"),
         ("a receptionist at a leisure centre", "the leisure centre"))
_MANAGERS = ("my line manager", "my manager", "my supervisor", "my team leader", "my boss")
_BUSINESSES = (("a haulage firm with about sixty drivers", "the transport manager"),
               ("a family-run care home group", "the registered manager"),
               ("a manufacturing company of about two hundred people", "the HR manager"),
               ("a chain of four garden centres", "the operations manager"),
               ("a small accountancy practice", "one of the partners"),
               ("a food processing plant", "the HR business partner"))
# Slots drawn afresh at every use (the rest are fixed per transcript by the persona).
_RANDOM_SLOTS = {
    "n_wk": ("three", "four", "five", "six", "eight", "ten"),
    "n_calls": ("a couple of", "three or four", "a few", "four or five", "several"),
    "n_years": ("two", "three", "five", "seven", "nine", "twelve", "fifteen"),
    "n_min": ("twenty minutes", "half an hour", "forty minutes", "three quarters of an hour"),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
    "hours": ("three mornings a week", "four hours a day", "two days a week",
              "half days for a fortnight", "three short shifts a week"),
}


def _persona(row, patients: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Slots fixed for one transcript; they vary with group, sex, condition, RTW and the seed."""
    she = bool(rng.random() < 0.6)
    slots = dict(vs="she" if she else "he", Vs="She" if she else "He",
                 vo="her" if she else "him", vp="her" if she else "his",
                 svc=str(rng.choice(["the service", "the vocational support",
                                     "the support from the VSW"])),
                 mode=str(rng.choice(["telephone", "video call"], p=[0.7, 0.3])))
    group = row.stakeholder_group
    slots["group"] = group
    slots["weeks_off"] = str(rng.choice(["six", "eight", "ten", "twelve", "fifteen"]))
    if group == "patient":
        p = patients.set_index("participant_id").loc[row.participant_id]
        job, place = _JOBS[int(rng.integers(len(_JOBS)))]
        partners = (["my partner", "my husband"] if p["sex"] == "female"
                    else ["my partner", "my wife"])
        slots.update(job=job, work=place, mgr=str(rng.choice(_MANAGERS)),
                     cond=str(rng.choice(_CONDITION_WORDS[p["condition_group"]])),
                     partner=str(rng.choice(partners)), condition_group=p["condition_group"],
                     rtw=bool(p["returned_to_work"]), age_band=age_band(int(p["age"])),
                     sex=p["sex"])
        slots["Mgr"] = slots["mgr"][0].upper() + slots["mgr"][1:]
        slots["Partner"] = slots["partner"][0].upper() + slots["partner"][1:]
    elif group == "employer":
        business, role = _BUSINESSES[int(rng.integers(len(_BUSINESSES)))]
        slots.update(business=business, role=role,
                     emp=str(rng.choice(["our employee", "the member of staff",
                                         "the colleague who was off"])))
    elif group == "vsw":
        slots.update(bg=str(rng.choice(["occupational therapy", "employment support",
                                        "physiotherapy", "HR", "psychological wellbeing"])))
    else:
        slots.update(gp_years=str(rng.choice(["eight", "eleven", "fifteen", "twenty"])),
                     area=str(rng.choice(["a market town", "an inner-city area",
                                          "a former mining village", "a suburban area"])))
    return slots


class _Slots(dict):
    """format_map mapping: persona slots are fixed, the _RANDOM_SLOTS are drawn at each use."""

    def __init__(self, fixed: dict, rng: np.random.Generator):
        super().__init__(fixed)
        self.rng = rng

    def __missing__(self, key):
        if key in _RANDOM_SLOTS:
            options = _RANDOM_SLOTS[key]
            return options[int(self.rng.integers(len(options)))]
        raise KeyError(f"phrase bank slot {{{key}}} has no value for this transcript")


def template_regex(template: str) -> str:
    """A regex matching any filling of a phrase-bank template (slots become ``.+?``)."""
    parts = re.split(r"\{[A-Za-z_]+\}", template)
    return ".+?".join(re.escape(p) for p in parts)


# --- transcript assembly --------------------------------------------------------------------

@dataclass
class _Built:
    text: str
    codings: list[tuple[str, int, int]]  # coder_1 (code_id, start, end)
    lines: list[tuple[int, int]]  # respondent lines (start, end of the spoken text)
    spare: list[tuple[int, int, str]]  # uncoded respondent sentences next to a coded passage


@dataclass
class _Transcript:
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
    def keys(self) -> tuple[str, ...]:
        key = GROUP_KEY[self.group]
        if self.group == "patient":  # narrower banks by RTW status, condition and age band
            return (key, "pr" if self.persona["rtw"] else "po", self.persona["condition_group"],
                    self.persona["age_band"])
        return (key,)

    def templates(self, bank: dict) -> list[tuple[str, int, str]]:
        return [(k, i, t) for k in self.keys() for i, t in enumerate(bank.get(k, ()))]

    def unused(self, name: str, bank: dict) -> list[tuple[str, int, str]]:
        return [(k, i, t) for k, i, t in self.templates(bank) if (name, k, i) not in self.used]

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
        return template.format_map(_Slots(self.persona, self.rng))

    def one(self, options) -> str:
        return self.fill(options[int(self.rng.integers(len(options)))])

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

    def answer(self, sentences: list[tuple[str, tuple[str, ...], str | None]]) -> None:
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
        return len(self.unused(code, _BANK.get(code, {})))

    def passage(self, code: str) -> list[tuple[str, tuple[str, ...], str | None]]:
        """Opener, 2-4 sentences expressing ``code`` (sometimes bridging to a related code),
        and sometimes an uncoded tail."""
        rng = self.rng
        label = code
        if rng.random() < P_SUBTHEME:
            label = code.rsplit(".", 1)[0]
        n = int(rng.integers(2, 5))
        out: list[tuple[str, tuple[str, ...], str | None]] = []
        if rng.random() < 0.6:
            out.append((self.one(_OPENERS[self.group]), (), None))
        out += [(s, (label,), None) for s in self.draw(code, _BANK[code], n)]
        bridges = [b for b in _BRIDGES if b[0] == code and GROUP_KEY[self.group] in b[2]
                   and b[1] in self.mentioned and ("bridge", b[3]) not in self.used]
        if bridges and rng.random() < P_BRIDGE:
            a, b, _, text = bridges[int(rng.integers(len(bridges)))]
            self.used.add(("bridge", text))
            out.append((self.fill(text), (label, b), None))
            out += [(s, (b,), None) for s in self.draw(b, _BANK[b], int(rng.integers(1, 3)))]
        if rng.random() < 0.35:
            out += [(s, (), code) for s in self.draw("tail", _TAILS, 1)]
        return out

    def build(self) -> _Built:
        rng, group = self.rng, self.group
        self._emit(HEADER)
        self._emit(f"Interview {self.interview_id}. Stakeholder group: {group}. "
                   f"Conducted by {self.persona['mode']}. Identifying details have been removed.")
        self.ask(self.one(_INTRO))
        self.answer([(self.one(_INTRO_REPLY), (), None)])
        for question, bank, n in _BACKGROUND[group]:
            self.story(question, bank, n, ordered=True)
        lo, hi = WORD_TARGET[group]
        target = int(rng.integers(lo, hi + 1))
        probs = _mention_probs(group, self.persona)
        codes_for_group = [c for c in _LEAVES if probs.get(c, 0) > 0 and c in _BANK]
        self.mentioned = self.raise_codes(codes_for_group, probs)
        # Uncoded stories (routine, family, the job...) sit between the guide's topics, at
        # seeded places; "late" ones come just before the closing question.
        stories = [st for st in _STORIES[group] if st[0] == "mid"]
        stories = [stories[i] for i in rng.permutation(len(stories))]
        late = [st for st in _STORIES[group] if st[0] == "late"]
        guide = list(_GUIDE[group])
        slots = np.sort(rng.integers(0, len(guide) + 1, len(stories)))
        plan: list = []
        for i, theme in enumerate(guide + [None]):
            plan += [stories[j] for j in range(len(stories)) if slots[j] == i]
            if theme is not None:
                plan.append(theme)
        for item in plan:
            if self.words > WORDS_MAX - 600:
                break
            if isinstance(item, tuple):
                self.story(item[1], item[2], item[3])
                continue
            codes = [c for c in codes_for_group if c.startswith(item + ".") and c in self.mentioned]
            codes = [codes[i] for i in rng.permutation(len(codes))]
            first = True
            for code in codes:
                if not self.available(code) or self.words > WORDS_MAX - 600:
                    continue
                if first:
                    self.ask(self.one(_THEME_QUESTIONS[item][self.qkey()]))
                    first = False
                else:
                    self.ask(self.one(_CODE_QUESTIONS[code][self.qkey()] + _PROBES))
                self.answer(self.passage(code))
        # Top up to the target length with further passages on codes this interviewee raised
        # (never a code they did not raise, so theme presence varies between people), then
        # general talk.
        last = None
        while self.words < target and self.words < WORDS_MAX - 500:
            left = [c for c in codes_for_group if c in self.mentioned and self.available(c)]
            if len(left) > 1 and last in left:  # never the same question twice in a row
                left.remove(last)
            if left:
                weights = np.array([probs[c] for c in left])
                code = last = left[int(rng.choice(len(left), p=weights / weights.sum()))]
                question = self.one(_CODE_QUESTIONS[code][self.qkey()])
                if rng.random() < 0.3:
                    question = self.one(_BACK_TO) + " " + question[0].lower() + question[1:]
                self.ask(question)
                self.answer(self.passage(code))
                continue
            if not self.story(_FILLER_QUESTIONS, _FILLER, int(rng.integers(2, 4)), name="filler"):
                break
        for _, question, bank, n in late:
            self.story(question, bank, n)
        self.ask(self.one(_CLOSING))
        self.answer([(s, (), None) for s in self.draw("closing", _CLOSING_REPLY, 2)])
        self.ask(self.one(_THANKS))
        self.answer([(self.one(_GOODBYE), (), None)])
        return _Built("".join(self.parts) + "\n", self.codings, self.lines, self.spare)

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

    def story(self, question: tuple[str, ...], bank: dict, n: int, *, ordered: bool = False,
              name: str | None = None) -> bool:
        """An uncoded question and answer from a background bank; False when it is used up."""
        said = self.draw(name or question[0], bank, n, ordered=ordered)
        if not said:
            return False
        self.ask(self.one(question))
        cut = len(said) // 2 if len(said) >= 5 and self.rng.random() < 0.5 else len(said)
        self.answer([(s, (), None) for s in said[:cut]])
        if cut < len(said):  # a long answer is broken by a nudge from the interviewer
            self.ask(self.one(_NUDGES))
            self.answer([(s, (), None) for s in said[cut:]])
        return True

    def qkey(self) -> str:
        return "p" if self.group == "patient" else "o"


def _mention_probs(group: str, persona: dict) -> dict[str, float]:
    """Probability that this interviewee raises each code: the group's base rate, and for
    patients times the factors of their persona (RTW status, condition group, age band)."""
    key = GROUP_KEY[group]
    probs = {c: p[key] for c, p in _MENTION.items() if p.get(key, 0) > 0}
    if group == "patient":
        traits = ("rtw" if persona["rtw"] else "off", persona["condition_group"],
                  persona["age_band"])
        for trait in traits:
            for c, factor in _PATIENT_FACTORS.get(trait, {}).items():
                probs[c] = min(P_MENTION_MAX, probs[c] * factor)
    return probs


# --- the second coder -------------------------------------------------------------------------

def _second_coder(built: _Built, rng: np.random.Generator) -> list[tuple[str, int, int]]:
    """coder_2's independent coding: the same passages with realistic disagreement."""
    text = built.text
    out = []
    for code, start, end in built.codings:
        u = rng.random()
        if u < P_MISS:
            continue
        if u < P_MISS + P_SIBLING:
            code = _sibling(code, rng)
        if rng.random() < P_SHIFT:
            line = next((lo, hi) for lo, hi in built.lines if lo <= start and end <= hi)
            start, end = _shift(text, line, start, end, rng)
        out.append((code, start, end))
        if rng.random() < P_EXTRA_CODE:  # coder_2 also applies a second, related code
            out.append((_sibling(code, rng), start, end))
    spare = list(built.spare)
    n_extra = min(len(spare), int(rng.integers(EXTRA_SEGMENTS[0], EXTRA_SEGMENTS[1] + 1)))
    for j in rng.permutation(len(spare))[:n_extra]:
        start, end, near = spare[int(j)]
        out.append((near, start, end))
    return out


def _sibling(code: str, rng: np.random.Generator) -> str:
    parent = code.rsplit(".", 1)[0] if "." in code else code
    same_level = [c for c, _, _ in _CODES if c != code and c.count(".") == code.count(".")
                  and c.rsplit(".", 1)[0] == parent]
    if not same_level:  # an only child: use a code of a sibling subtheme instead
        theme = code.split(".")[0]
        same_level = [c for c, _, _ in _CODES if c != code and c.startswith(theme + ".")
                      and c.count(".") == code.count(".")]
    return same_level[int(rng.integers(len(same_level)))] if same_level else code


def _shift(text: str, line: tuple[int, int], start: int, end: int,
           rng: np.random.Generator) -> tuple[int, int]:
    """Move start and end by up to MAX_SHIFT_WORDS words, staying inside the respondent line."""
    lo, hi = line
    starts = [lo + m.start() for m in re.finditer(r"\S+", text[lo:hi])]
    ends = [lo + m.end() for m in re.finditer(r"\S+", text[lo:hi])]
    i = starts.index(start) if start in starts else int(np.searchsorted(starts, start))
    j = ends.index(end) if end in ends else int(np.searchsorted(ends, end))
    k = MAX_SHIFT_WORDS
    i = int(np.clip(i + rng.integers(-k, k + 1), 0, len(starts) - 1))
    j = int(np.clip(j + rng.integers(-k, k + 1), 0, len(ends) - 1))
    new_start, new_end = starts[i], ends[j]
    if new_end <= new_start:
        return start, end
    return new_start, new_end


# === phrase banks ==============================================================================
# Written for this project. Keys say who can say a sentence: p patient (pr returned to work,
# po still off; a condition group or age band narrows it further), v VSW, e employer, g GP.
# Slots in braces are filled from the transcript's persona (see _persona and _RANDOM_SLOTS).

_CODES = (
    ("T1", "Individualised return-to-work planning",
     "Return-to-work plans fitted to the person, shaped by how they felt about their condition "
     "and their workplace."),
    ("T1.1", "Feelings about the condition", "How views of the condition shaped the plan."),
    ("T1.1.1", "Readiness and confidence to return",
     "Feeling ready or not to go back, and how that set the pace of the plan."),
    ("T1.1.2", "Fear of relapse or harm",
     "Worry that working would make the condition worse or bring it back; planning for "
     "setbacks."),
    ("T1.2", "Feelings about the workplace", "How the workplace relationship shaped the plan."),
    ("T1.2.1", "Relationship with the manager",
     "Trust, contact or strain with the line manager and how it shaped planning."),
    ("T1.2.2", "Job security and absence culture",
     "Worry about losing the job, being judged, absence procedures or colleagues covering."),
    ("T1.3", "Tailoring the plan", "The concrete content of an individual plan."),
    ("T1.3.1", "Phased return and hours", "Graded hours, phased start dates, part-time returns."),
    ("T1.3.2", "Adjusted duties", "Changed tasks, lighter duties or a different role on return."),
    ("T2", "Identifying and mitigating obstacles",
     "A person-centred, holistic approach that finds and reduces barriers to return."),
    ("T2.1", "Person-centred, holistic assessment", "How the VSW got to know the person."),
    ("T2.1.1", "Looking at the whole person",
     "Life outside work (home, money, caring, sleep) treated as part of return to work."),
    ("T2.1.2", "Being listened to", "Feeling heard, having time, not being rushed or judged."),
    ("T2.2", "Practical mitigation", "Concrete actions that reduced an obstacle."),
    ("T2.2.1", "Workplace adjustments",
     "Equipment, workstation, breaks, start times, travel, a quiet space."),
    ("T2.2.2", "Signposting to other services",
     "Referral or pointers to talking therapies, physiotherapy, debt advice and similar."),
    ("T2.2.3", "Fit notes and sick pay",
     "Fit note wording ('may be fit for work'), fit note consultations, sick pay worries."),
    ("T2.3", "Obstacles beyond the VSW's reach", "Barriers the support could not remove."),
    ("T2.3.1", "Waiting for treatment",
     "Waiting lists or delays in diagnosis or treatment holding up return."),
    ("T2.3.2", "Inflexible employers", "Employers unable or unwilling to adjust."),
    ("T3", "Self-efficacy",
     "VSWs supporting patients to negotiate their own return to work."),
    ("T3.1", "Preparing to negotiate", "Getting ready for conversations with the employer."),
    ("T3.1.1", "Rehearsing conversations",
     "Planning what to say to the employer: role play, written points."),
    ("T3.1.2", "Knowing rights and options",
     "Learning about reasonable adjustments, policies and what can be asked for."),
    ("T3.2", "Owning the return", "The patient in charge of their return."),
    ("T3.2.1", "Patient leads employer contact",
     "The patient, not the VSW, talks to the employer; the VSW deliberately steps back."),
    ("T3.2.2", "Growing confidence",
     "More confidence, control or self-belief attributed to the support."),
    ("T4", "Independence of the VSW",
     "The VSW's independence from employer and healthcare, enabling open talk about "
     "capabilities."),
    ("T4.1", "A neutral third party", "Where the VSW stands in relation to others."),
    ("T4.1.1", "Independent of the employer",
     "The VSW seen as not working for, or reporting to, the employer."),
    ("T4.1.2", "Separate from healthcare",
     "The VSW distinguished from the GP, doctors and fit-note gatekeeping."),
    ("T4.2", "Open talk about capabilities", "What independence made it possible to say."),
    ("T4.2.1", "Honesty about limits",
     "Saying what one can and cannot do without fear of consequences."),
    ("T4.2.2", "Trust and confidentiality",
     "Trust in the VSW; control over what is shared with the employer."),
    ("T5", "Employer views", "How employers saw the support; potential benefit."),
    ("T5.1", "Potential benefit", "Gains employers see or expect."),
    ("T5.1.1", "Earlier, sustained return",
     "Benefit to the business: shorter absence, lower cost, fewer failed returns."),
    ("T5.1.2", "Support for managers",
     "Help for managers without HR or occupational health, especially in small firms."),
    ("T5.2", "Reservations and conditions", "Employers' doubts or conditions."),
    ("T5.2.1", "Wanting to be kept informed",
     "Employers wishing for more contact or information from the VSW."),
    ("T5.2.2", "Overlap with existing support",
     "How the support sits beside occupational health, HR or an assistance programme."),
    ("T6", "Practicalities of delivery",
     "Remote delivery (phone and video), timing, dose and access."),
    ("T6.1", "Remote delivery", "Support by telephone or video call."),
    ("T6.1.1", "Convenience of telephone support",
     "Phone contact fitting around life; no travel; easier to talk."),
    ("T6.1.2", "Limits of remote contact",
     "Missing face-to-face contact, video problems, slower rapport."),
    ("T6.2", "Timing and dose", "When the support came and how much of it."),
    ("T6.2.1", "Timing of support",
     "How soon after going off sick the support started; too early or too late."),
    ("T6.2.2", "Number and ending of sessions",
     "How many contacts, their length, spacing and ending."),
    ("T6.3", "Access and referral", "How people came to the support."),
    ("T6.3.1", "Hearing about the service",
     "Invitation letters, first impressions, reasons for taking part."),
    ("T6.3.2", "Role of the GP",
     "GP involvement, fit-note consultations, links between GP and VSW."),
)
_LEAVES = tuple(c for c, _, _ in _CODES if c.count(".") == 2)

# Probability that an interviewee of each group talks about a code (p patient, v VSW,
# e employer, g GP): VSW independence for most patients and VSWs, employer views mostly from
# employers, obstacles everywhere. Patients' rates are moderate so that subthemes vary between
# them; _PATIENT_FACTORS then tie them to the persona.
_MENTION = {
    "T1.1.1": dict(p=.5, v=.7, e=.3, g=.5), "T1.1.2": dict(p=.3, v=.5, g=.5),
    "T1.2.1": dict(p=.55, v=.6, e=.8), "T1.2.2": dict(p=.3, v=.5, e=.4, g=.3),
    "T1.3.1": dict(p=.5, v=.7, e=.8, g=.4), "T1.3.2": dict(p=.3, v=.5, e=.6),
    "T2.1.1": dict(p=.5, v=.9, g=.6), "T2.1.2": dict(p=.45, v=.5),
    "T2.2.1": dict(p=.3, v=.6, e=.7), "T2.2.2": dict(p=.3, v=.8, g=.6),
    "T2.2.3": dict(p=.3, v=.5, e=.5, g=.9), "T2.3.1": dict(p=.3, v=.6, g=.8),
    "T2.3.2": dict(p=.2, v=.6, g=.3),
    "T3.1.1": dict(p=.45, v=.8), "T3.1.2": dict(p=.3, v=.6, e=.4),
    "T3.2.1": dict(p=.45, v=.8, e=.6), "T3.2.2": dict(p=.5, v=.6, e=.4, g=.4),
    "T4.1.1": dict(p=.85, v=.9, e=.6, g=.4), "T4.1.2": dict(p=.4, v=.7, g=.9),
    "T4.2.1": dict(p=.5, v=.8, g=.4), "T4.2.2": dict(p=.3, v=.6),
    "T5.1.1": dict(p=.15, v=.3, e=1.0, g=.5), "T5.1.2": dict(p=.1, v=.3, e=.9, g=.3),
    "T5.2.1": dict(v=.3, e=.8), "T5.2.2": dict(p=.1, v=.2, e=.7, g=.2),
    "T6.1.1": dict(p=.6, v=.8, e=.3, g=.4), "T6.1.2": dict(p=.3, v=.7, e=.3),
    "T6.2.1": dict(p=.4, v=.8, e=.5, g=.6), "T6.2.2": dict(p=.4, v=.7),
    "T6.3.1": dict(p=.45, v=.3, e=.5, g=.6), "T6.3.2": dict(p=.25, v=.4, g=1.0),
}
# Multipliers of a patient's rates by persona trait (capped at P_MENTION_MAX). Still off work:
# more about obstacles nobody could remove and job worries, less about leading their own return
# or a phased start. Mental health: feelings about the condition, trust, signposting to talking
# therapies. Musculoskeletal: adjustments and changed duties, waiting for physio or scans.
_PATIENT_FACTORS = {
    "off": {"T2.3.1": 2.2, "T2.3.2": 2.6, "T1.2.2": 1.6, "T3.2.1": 0.45, "T3.2.2": 0.45,
            "T3.1.1": 0.7, "T1.3.1": 0.6, "T1.3.2": 0.6, "T5.1.1": 0.3},
    "rtw": {"T2.3.1": 0.5, "T2.3.2": 0.35, "T3.2.1": 1.5, "T3.2.2": 1.5, "T3.1.1": 1.2,
            "T1.3.1": 1.4, "T5.1.1": 1.4},
    "mental_health": {"T1.1.1": 1.5, "T1.1.2": 2.0, "T4.2.2": 1.6, "T2.2.2": 1.7,
                      "T2.1.2": 1.3, "T2.2.1": 0.6, "T1.3.2": 0.7},
    "musculoskeletal": {"T2.2.1": 2.6, "T1.3.2": 2.2, "T2.3.1": 1.4, "T1.1.1": 0.7,
                        "T1.1.2": 0.8, "T2.2.2": 0.8},
    "other": {"T1.1.2": 1.5, "T1.3.1": 1.2, "T2.3.1": 1.2},
    "18-34": {"T3.1.2": 1.5, "T6.1.2": 0.7},
    "50+": {"T1.2.2": 1.4, "T6.1.2": 1.4},
}

# Order of topics in each group's interview guide.
_GUIDE = {"patient": ("T1", "T2", "T4", "T3", "T6", "T5"),
          "vsw": ("T2", "T1", "T3", "T4", "T6", "T5"),
          "employer": ("T5", "T1", "T2", "T3", "T4", "T6"),
          "gp": ("T6", "T2", "T4", "T1", "T5", "T3")}

_BANK: dict[str, dict[str, list[str]]] = {
    "T1.1.1": {
        "p": ["At the start I honestly couldn't picture myself back at {work}, so the plan had to "
              "begin with where my head was at, not with a date.",
              "{Vs} asked me how ready I felt on a scale of one to ten, and we built the plan "
              "around that number rather than what anyone else wanted.",
              "Some weeks I felt ready and some weeks I didn't, and the plan moved with me instead "
              "of me having to fit the plan.",
              "I think I needed to feel that I could cope with {cond} before I could even talk "
              "about going back.",
              "It wasn't about rushing me, it was about working out when I would actually feel up "
              "to it.",
              "Once I started believing I could manage a few hours, the whole plan came together "
              "quite quickly."],
        "pr": ["By the time I went back I felt ready, and I think that's because we didn't set "
               "the date until I did."],
        "po": ["I'm not there yet, and {vs} accepted that, so the plan at the moment is more about "
               "small steps at home."],
        "v": ["The first thing I look at is how ready the person feels, because a plan that they "
              "don't believe in just falls over.",
              "Some people are desperate to get back and you have to slow them down a bit, and "
              "others need a lot of reassurance before they'll even discuss a date.",
              "We'd often use a simple confidence rating and come back to it each call, so the "
              "plan followed how they were feeling rather than the calendar.",
              "You can't write the same plan for two people, because how they feel about their "
              "condition is completely different.",
              "If someone feels they've lost their nerve, the plan has to start with rebuilding "
              "that before anything goes to the employer."],
        "e": ["We didn't push for a date, because we'd rather have someone back once than twice.",
              "When the employee told us they felt ready, that was when we started talking about "
              "dates, not before.",
              "You could hear the difference in confidence over a few weeks, and that made us "
              "more comfortable planning a return."],
        "g": ["Some patients tell me they're ready when they're clearly not, because they're "
              "worried about money.",
              "Readiness is a big thing; some patients are physically fit for work but "
              "emotionally they're nowhere near it.",
              "If a patient says to me they don't feel ready, I take that seriously, and I think "
              "the VSW worked from the same starting point.",
              "The plan only works if it starts from how the patient feels about going back, not "
              "from how many weeks they've been off."],
    },
    "T1.1.2": {
        "p": ["My biggest worry was that going back would set {cond} off again and I'd end up "
              "worse than before.",
              "I was frightened of doing too much too soon, because that's exactly what happened "
              "the last time.",
              "{Vs} didn't brush the worry aside, {vs} helped me think about what I'd do if things "
              "started to slip.",
              "We wrote down the early warning signs, so if I noticed them I knew what to do "
              "rather than just going off sick again.",
              "Part of me thought it was safer to stay at home, because at least at home nothing "
              "could make it worse."],
        "po": ["I'm still scared that if I go back before I'm properly right, I'll be straight "
               "back to square one."],
        "v": ["Fear of relapse comes up with nearly everyone, whether it's a bad back or anxiety, "
              "and it shapes what they'll agree to.",
              "I'd talk through what a setback would look like and what they would do, so it felt "
              "less like a cliff edge.",
              "A lot of people have had a failed return before, and that memory drives how "
              "cautious the plan needs to be.",
              "We'd build a plan B into the plan, so a bad day didn't automatically mean another "
              "fit note."],
        "g": ["A previous failed return to work makes patients much more cautious the next time.",
              "Many of my patients worry that work will make their condition worse, and that fear "
              "is often a bigger barrier than the condition itself.",
              "With back pain especially, people are frightened that moving and lifting will "
              "damage something, and they need reassurance that it won't.",
              "I think having someone to plan for setbacks took some of that fear away."],
    },
    "T1.2.1": {
        "p": ["{Mgr} has always been decent with me, so I felt I could be fairly honest about "
              "what I needed.",
              "Things with {mgr} were a bit strained before I went off, and that made me dread the "
              "first conversation.",
              "It helped that {mgr} rang me every couple of weeks just to see how I was, without "
              "any pressure.",
              "{Vs} asked a lot about what {mgr} was like, because that changed how we went about "
              "the plan.",
              "If I'd had a different manager I think the plan would have looked completely "
              "different.",
              "I didn't want {mgr} to think I was swinging the lead, so I was quite guarded at "
              "first."],
        "e": ["I've known {emp} for years, so we had a good relationship to start from, and that "
              "made the conversations easier.",
              "As a manager you don't always know whether to ring someone or leave them alone, "
              "and I worried about getting that wrong.",
              "I kept in touch every fortnight or so, just a quick call, so they knew the door was "
              "open.",
              "The relationship between the employee and their manager is everything in a return "
              "to work, in my experience.",
              "Where the manager and the employee don't get on, it's much harder, whatever support "
              "is in place."],
        "v": ["The relationship with the line manager is usually the first thing I ask about, "
              "because it decides how the plan will go.",
              "If someone trusts their manager, I can encourage them to have an open conversation "
              "early on.",
              "Where the relationship has broken down, the plan has to be much more careful, and "
              "sometimes it's about a different role or a different employer.",
              "People often feel their manager has lost patience with them, even when that isn't "
              "true."],
    },
    "T1.2.2": {
        "p": ["I was worried I'd lose my job if I stayed off much longer, and that worry didn't "
              "help my recovery at all.",
              "At {work} there's a bit of a culture where if you're off sick people assume you're "
              "skiving.",
              "I kept thinking about the sickness policy and the stages, and whether I was heading "
              "for a formal meeting.",
              "There was a lot of gossip at {work}, so I was anxious about what people would say "
              "when I walked back in.",
              "I felt guilty about the others having to cover my work, and that played on my "
              "mind."],
        "po": ["I've had a letter about an absence review, and that's made me even more anxious "
               "about the whole thing."],
        "e": ["I'm aware some staff see a phone call from us as pressure, even when it's meant "
              "kindly.",
              "We've tried to move away from the idea that being off sick is something to be "
              "ashamed of.",
              "We're not a big organisation, so we can't keep a role open indefinitely, and I "
              "won't pretend otherwise.",
              "There's an attendance policy, and at some point it kicks in, but we try to use it "
              "sensibly.",
              "Some of the team did feel the strain of covering, and you have to manage that as "
              "well."],
        "v": ["A lot of people are frightened of losing their job, and that fear can keep them off "
              "longer rather than getting them back sooner.",
              "Some workplaces have a culture where sickness is treated as a disciplinary matter, "
              "and people pick up on that very quickly.",
              "I'd explain how absence procedures usually work, because people often imagine the "
              "worst."],
        "g": ["Some patients are convinced they'll lose their job if they take more time off.",
              "Patients often tell me they're worried about their job, and there isn't much I can "
              "do about that in a ten-minute appointment.",
              "Fear of a disciplinary for sickness absence comes up more than you'd think."],
    },
    "T1.3.1": {
        "p": ["We agreed I'd start on {hours} and build up from there over about {n_wk} weeks.",
              "The phased return was the key thing for me, because going straight back full time "
              "would have been too much.",
              "{Vs} helped me work out a sensible pattern of hours before I took it to {mgr}.",
              "We talked about starting mid-week, so the first week wasn't too long."],
        "pr": ["I started on {hours} and I'm now back on my normal hours, which I didn't think "
               "would happen.",
               "Going back part time meant I could rest in between, and by the end I was "
               "managing full shifts."],
        "po": ["The plan is to start with {hours}, once the next appointment is out of the way."],
        "e": ["The build-up of hours was written down, so everyone on the team knew what to "
              "expect.",
              "We agreed a phased return over {n_wk} weeks, starting with {hours}, and we "
              "reviewed it each week.",
              "A phased return costs us a bit in the short term, but it's better than someone "
              "coming back full time and going off again.",
              "Honestly, the phased return was mostly the employee's plan, and it was a sensible "
              "one, so we went with it.",
              "We did have to juggle the rota to fit the reduced hours, but it was manageable."],
        "v": ["A phased return is the most common thing we put in a plan, but the pattern of "
              "hours has to fit the person and the job.",
              "I'd usually suggest a few short days rather than one long one, so people aren't "
              "wiped out after the first shift.",
              "We'd plan the build-up over a set number of weeks, with a review point, so it "
              "didn't just drift.",
              "For some people a phased return isn't possible financially, so that has to be part "
              "of the conversation too."],
        "g": ["When a plan for graded hours already exists, writing the fit note becomes much "
              "simpler.",
              "I've seen phased returns work well for people with anxiety in particular.",
              "On the fit note I can tick phased return, but I don't have time to work out what "
              "that should look like in practice.",
              "A properly planned phased return is much more useful than me just writing 'may be "
              "fit for work' and hoping for the best."],
    },
    "T1.3.2": {
        "p": ["We talked about me doing lighter jobs for a while, so I wasn't lifting or on my "
              "feet all day.",
              "I asked whether I could come off the front-line work for a few weeks and help with "
              "paperwork instead.",
              "Having different duties to start with meant I could get back into the routine "
              "without the parts that set {cond} off.",
              "{Vs} helped me list the tasks I could do and the ones I couldn't, which made it "
              "much clearer."],
        "pr": ["I was on amended duties for the first month, and then I gradually picked up my "
               "usual work."],
        "e": ["We found some lighter duties for a few weeks, mostly stock checking and training "
              "the new starters.",
              "We haven't got endless light duties, but we could take the heavier jobs off the "
              "rota for a while.",
              "It was useful to have a clear list of what the employee could and couldn't do, "
              "rather than guessing.",
              "We moved them to a different shift pattern for a while, which suited everyone in "
              "the end."],
        "v": ["Adjusted duties are often easier to agree than people think, as long as they're "
              "time-limited and specific.",
              "I'd get people to break their job down into tasks, and mark which ones they could "
              "do now and which ones later.",
              "In smaller firms there just isn't another role, so the adjustments have to be "
              "within the job itself."],
    },
    "T2.1.1": {
        "p": ["It wasn't just about work; {vs} asked about everything, money, sleep, how things "
              "were at home.",
              "Money was a big worry because I'd gone onto statutory sick pay, and we talked about "
              "that as much as the job.",
              "{Vs} looked at the whole picture, not just {cond}, and that made a huge difference.",
              "My sleep was all over the place, and {vs} pointed out how much that was affecting "
              "everything else."],
        "35-49": ["I was caring for my mum at the same time, and {vs} was the first person who "
                  "actually took that into account.",
                  "Things at home were difficult with {partner} and the kids, and that was all "
                  "tied up with why I was off."],
        "50+": ["I was looking after {partner} as well, who hasn't been well, and {vs} could see "
                "that was part of it."],
        "18-34": ["I'd just moved into a new flat and money was tight, and {vs} understood that "
                  "all of that was part of why I was struggling."],
        "v": ["You can't separate work from the rest of someone's life, so the first call is a "
              "broad conversation about everything.",
              "Often the barrier isn't the condition at all, it's debt, or childcare, or a "
              "relationship that's falling apart.",
              "I'd ask about sleep, money, caring responsibilities, transport, the lot, because "
              "any one of those can stop a return.",
              "The holistic bit is the heart of the job, really; the work plan comes out of "
              "understanding the person.",
              "Some people were surprised I asked about things outside work, but it usually "
              "opened things up."],
        "g": ["Caring responsibilities come up a lot, and they're rarely on anyone's radar at "
              "work.",
              "Debt and housing problems often sit behind what looks like a purely medical "
              "absence.",
              "The VSW could look at the whole person in a way I simply can't in a short "
              "consultation.",
              "A lot of what keeps people off is social, housing, money, relationships, and "
              "that's not something a prescription fixes.",
              "I liked that it wasn't just focused on the diagnosis, because the diagnosis is "
              "often the least of it."],
    },
    "T2.1.2": {
        "p": ["{Vs} actually listened, and I didn't feel like I was being rushed off the phone.",
              "It was the first time since I went off that someone had the time to hear the whole "
              "story.",
              "I never felt judged, even when I said things I was a bit embarrassed about.",
              "With the doctor you've got ten minutes, whereas {vs} would stay on the line as long "
              "as I needed.",
              "I felt like {vs} was interested in me as a person, not just as a case to get back "
              "to work."],
        "v": ["Half the job is listening; people have often not been properly heard by anyone "
              "since they went off.",
              "I'd let the first call run for as long as it needed, because if people feel rushed "
              "they won't tell you what's really going on.",
              "I think being heard, without judgement, is therapeutic in itself for a lot of "
              "people."],
    },
    "T2.2.1": {
        "p": ["We looked at things like my chair and the height of my desk, which sounds small "
              "but made a real difference.",
              "{Vs} suggested I ask for regular breaks written into the plan, so I didn't have to "
              "ask each time.",
              "Getting a parking space nearer the entrance was a small thing but it meant I could "
              "actually get in.",
              "I asked about working from home one day a week, which {mgr} agreed to in the end.",
              "We talked about a quiet space I could go to if I felt overwhelmed."],
        "e": ["A lot of adjustments cost nothing at all, it's just a matter of thinking about it.",
              "We got an assessment done on the workstation and bought a new chair, which wasn't "
              "expensive.",
              "We agreed extra breaks, and to be fair it didn't cause any problems on the floor.",
              "Some of the adjustments were simple once we knew what was needed; the problem is "
              "knowing what to ask.",
              "We changed the start time so the employee could avoid the rush hour traffic."],
        "v": ["Often the adjustments are very simple, like breaks, a different chair, or a later "
              "start, but nobody has thought to ask.",
              "I'd explain what reasonable adjustments are and give some examples, so people had "
              "ideas to take to their employer.",
              "Travel is often overlooked, and a change of start time can make all the "
              "difference.",
              "With mental health, adjustments like a quiet space or a regular check-in can "
              "matter as much as any equipment."],
    },
    "T2.2.2": {
        "p": ["It was useful to know what was out there, because I had no idea where to start."],
        "mental_health": ["{Vs} gave me the number for the talking therapies service, which I "
                          "wouldn't have known to ring myself."],
        "musculoskeletal": ["I got pointed towards a physio self-referral, and I was seen much "
                            "quicker than through the doctor."],
        "other": ["{Vs} found me a support group for people recovering from the same thing, "
                  "which I'd never have looked for."],
        "35-49": ["{Vs} put me in touch with someone for advice on my debts, which took a load "
                  "off my mind."],
        "18-34": ["{Vs} told me about a local advice service for help with my rent, which took a "
                  "load off my mind."],
        "50+": ["{Vs} pointed me to a carers' organisation, because I was doing a lot for "
                "{partner} on top of everything."],
        "v": ["Signposting is a big part of what I do, to talking therapies, physio "
              "self-referral, debt advice, Citizens Advice.",
              "I keep a list of local services for each area, because what's available varies so "
              "much between places.",
              "Sometimes just knowing where to go is the barrier, and a phone number and a bit of "
              "encouragement is enough.",
              "I'd follow up to see if they'd actually made the call, because people often don't "
              "the first time."],
        "g": ["Physio self-referral is something patients often don't know they can do.",
              "The VSW knew about services I didn't even know existed, which I found quite useful "
              "for my own practice.",
              "Being pointed to the right service earlier could save a lot of repeat appointments "
              "with us.",
              "I'd rather a VSW signposts to debt advice than I prescribe something for the "
              "stress the debt is causing."],
    },
    "T2.2.3": {
        "p": ["I didn't really understand the fit note until {vs} explained what 'may be fit for "
              "work' actually meant.",
              "I was worried about my sick pay running out, and we worked out roughly when that "
              "would happen.",
              "{Vs} suggested what to ask the GP to put on the next fit note, so it matched the "
              "plan.",
              "I didn't know you could go back before the fit note ran out, so that was news to "
              "me."],
        "e": ["We pay company sick pay for a period, and when that drops to statutory, people "
              "feel it.",
              "It would help if fit notes said a bit more about what the person could do.",
              "The fit notes we get usually just say 'not fit for work', so they don't really help "
              "us plan anything.",
              "When the fit note said 'may be fit' with a phased return, at least we had something "
              "to work with.",
              "Sick pay is a factor, I won't pretend it isn't, for us and for the employee."],
        "v": ["A lot of people don't know that a fit note can say 'may be fit for work', and "
              "employers often don't know either.",
              "I'd help people think about what to discuss with their GP at the next fit note "
              "appointment.",
              "When statutory sick pay is about to run out, the pressure changes completely, and "
              "the plan has to take account of that."],
        "g": ["The fit note is a blunt instrument; I rarely have the information to write anything "
              "useful in the comments box.",
              "Honestly, most of the time I tick 'not fit', because I don't know enough about the "
              "job to say anything else.",
              "When the VSW had already talked things through, the patient came in with a clear "
              "idea of what the fit note should say.",
              "It changed the fit note conversation from whether they're fit to what they could "
              "do.",
              "I think patients feel the fit note is something done to them, and the VSW helped "
              "them take part in it."],
    },
    "T2.3.1": {
        "p": ["I was waiting months for a scan, and there was nothing {vs} could do to speed that "
              "up.",
              "Everything was on hold until I'd seen the specialist, and that took far longer than "
              "anyone said."],
        "mental_health": ["The waiting list for counselling was so long that I'd almost given "
                          "up on it."],
        "po": ["I'm still waiting for treatment, so realistically the plan can't go much further "
               "until then."],
        "v": ["The biggest thing I can't fix is waiting lists; people are stuck for months "
              "waiting for a scan or therapy.",
              "We'd plan around the wait where we could, but sometimes there's only so much you "
              "can do.",
              "It's frustrating when someone is ready in themselves but can't move forward until "
              "they've had treatment."],
        "g": ["Waiting times for physio and mental health services are a real problem, and they "
              "keep people off work.",
              "I can refer, but then the patient waits months, and by then they've been off so "
              "long it's harder to go back.",
              "The VSW couldn't fix the waiting lists, but at least the patient wasn't just "
              "sitting at home in the meantime."],
    },
    "T2.3.2": {
        "p": ["They told me there were no lighter duties, and that was the end of the "
              "conversation.",
              "No matter what we suggested, the answer from {work} was always that it wouldn't "
              "work operationally."],
        "po": ["{Mgr} said they couldn't offer reduced hours, so it was full time or nothing.",
               "I don't think {work} want me back, to be honest, and there's not much {vs} can do "
               "about that."],
        "v": ["Some employers just won't adapt, and at that point you're helping the person think "
              "about other options.",
              "Small businesses sometimes genuinely can't offer adjustments, and others simply "
              "don't want to.",
              "When the employer digs their heels in, the plan becomes more about the person's "
              "rights and their next steps.",
              "It's hard to watch someone who's ready to go back being blocked by a rigid policy."],
        "g": ["Zero-hours contracts make it very hard to negotiate a gradual return.",
              "Some employers are very rigid, and there's little a GP or anyone else can do about "
              "that.",
              "I've had patients ready to go back on lighter duties whose employer simply "
              "refused."],
    },
    "T3.1.1": {
        "p": ["We practised what I was going to say to {mgr}, which sounds daft but it really "
              "helped.",
              "{Vs} suggested I write down the main points before the meeting, so I wouldn't "
              "forget them when I got nervous.",
              "We did a kind of role play, with {vo} being my manager, so I knew what to expect.",
              "Having the words ready meant I didn't freeze when it came to it."],
        "v": ["I'd often rehearse the conversation with people, what they'd say, what the manager "
              "might say back.",
              "Writing down three or four key points before a meeting with the employer makes a "
              "big difference to people.",
              "We'd talk about how to start the conversation, because that's usually the hardest "
              "bit.",
              "Some people want to practise a few times, and that's fine, it's their "
              "conversation."],
    },
    "T3.1.2": {
        "p": ["I didn't know I could ask for reasonable adjustments until {vs} explained it.",
              "Knowing what the policy actually said gave me a lot more confidence going into the "
              "meeting.",
              "{Vs} explained what I was entitled to ask for, and what the employer had to "
              "consider.",
              "It helped to know that a phased return was a normal thing to ask for, not a special "
              "favour."],
        "e": ["Some managers get nervous when staff mention their rights, but I found it helped.",
              "The employee came in knowing what they wanted to ask for, which actually made it "
              "easier for us.",
              "I could tell they'd been told about adjustments, because they asked quite specific "
              "questions."],
        "v": ["A lot of people don't know their rights, or they think asking for adjustments will "
              "get them into trouble.",
              "I'd explain the basics of reasonable adjustments and absence policies, without "
              "turning it into a legal matter.",
              "Knowing what's normal to ask for takes away some of the fear of looking like a "
              "troublemaker."],
    },
    "T3.2.1": {
        "p": ["{Vs} never rang my employer; it was always me who had the conversations, with {vo} "
              "in the background.",
              "I liked that I was the one doing it, because it was my job and my return.",
              "{Vs} offered to get involved if I wanted, but I decided to do it myself in the end.",
              "I rang {mgr} myself to talk about the plan, which I would never have done at the "
              "start."],
        "e": ["It was quite refreshing to have the employee come to us with ideas rather than "
              "waiting to be told.",
              "We never actually spoke to the VSW; everything came through the employee, which "
              "was fine.",
              "The employee brought the plan to us themselves, so it felt like their plan rather "
              "than something imposed.",
              "I'd have liked to speak to the VSW at times, but I understand why they left it to "
              "the employee."],
        "v": ["I deliberately don't ring the employer unless the person asks me to, because it's "
              "their return, not mine.",
              "My role is to help them have the conversation, not to have it for them.",
              "In most cases people were happy to lead it themselves once they had a plan in "
              "their hand.",
              "If I step in, the employer starts talking to me instead of them, and that "
              "undermines the whole point."],
    },
    "T3.2.2": {
        "p": ["By the end I felt a lot more confident, like I had some control over what was "
              "happening.",
              "I think the biggest thing {vs} gave me was belief that I could do it.",
              "Each call I felt a bit stronger, and I started to think about the future again.",
              "I surprised myself, to be honest, with how much I could do once I had a bit of "
              "support."],
        "pr": ["If it happened again, I think I'd know how to handle it myself now."],
        "e": ["The employee said themselves that they felt more in control this time round.",
              "You could see the employee was more confident, and they came back with a much "
              "better attitude.",
              "They were much more able to say what they needed, which is half the battle."],
        "v": ["The aim is that people leave the service more confident than they came in, "
              "whether or not they're back yet.",
              "You can hear the change in someone's voice over a few calls, when they start "
              "making decisions again.",
              "Confidence is what makes a return last, because they can handle the next problem "
              "themselves."],
        "g": ["A couple of patients said they felt they'd taken charge of things again.",
              "The patients who'd had the support seemed more confident about going back when I "
              "saw them.",
              "Some patients came in talking about what they were going to do, rather than what "
              "was being done to them."],
    },
    "T4.1.1": {
        "p": ["It mattered that {vs} wasn't from work; I could say things I'd never have said to "
              "{mgr}.",
              "If it had been the occupational health people from work, I'd have been a lot more "
              "careful what I said.",
              "{Vs} was on my side, not the company's, and that made all the difference.",
              "I knew nothing would get back to {work} unless I wanted it to."],
        "e": ["If we'd arranged it ourselves, I doubt the employee would have been as open with "
              "them.",
              "I can see why an employee would talk more openly to someone who doesn't work for "
              "us.",
              "I did wonder at first whose side the VSW was on, but in the end it didn't really "
              "matter.",
              "Occupational health is paid for by us, and staff know that, so they're always a "
              "bit wary.",
              "An independent person can say things to the employee that they might not accept "
              "from their manager."],
        "v": ["Being independent of the employer is huge; people tell me things they'd never say "
              "to HR.",
              "I always make it clear at the start that I don't work for their employer and I "
              "won't contact them without permission.",
              "Because I'm not from the company, people don't feel they're being managed out.",
              "Occupational health is seen as the employer's service, and we're seen as neutral, "
              "which opens things up."],
        "g": ["Patients are suspicious of anything that comes from their employer, so "
              "independence matters.",
              "If it came through the employer, I think a lot of my patients simply wouldn't "
              "engage."],
    },
    "T4.1.2": {
        "p": ["{Vs} wasn't a doctor, so it didn't feel like another appointment where I had to "
              "prove I was ill.",
              "With the GP I always felt I had to justify being off, but with {vo} I didn't.",
              "It was good that it was separate from the surgery, because the GP hasn't got the "
              "time anyway."],
        "v": ["I'm not medical, and I think that helps; people don't feel they have to prove how "
              "ill they are.",
              "People know I'm not the one signing the fit note, so they're more honest about what "
              "they can do.",
              "Being outside the NHS system means I'm not part of the waiting game, I'm just there "
              "to help with work."],
        "g": ["The VSW isn't the person who signs the fit note, and I think that frees the "
              "conversation up.",
              "Patients sometimes feel they have to present as unwell to get a fit note, and that "
              "isn't a good basis for planning work.",
              "It takes some of the work conversation out of the consulting room, where frankly it "
              "doesn't get much time.",
              "There is a tension in the GP being both the advocate and the gatekeeper, and the "
              "VSW sits outside that.",
              "I'd be cautious about it becoming part of the practice, because I think part of its "
              "value is being separate."],
    },
    "T4.2.1": {
        "p": ["I could be honest about what I couldn't do, without worrying it would be held "
              "against me.",
              "I admitted to {vo} that I couldn't manage the early shifts, which I'd never told "
              "anyone at work.",
              "It was a relief to say out loud that I wasn't coping, without it going on a record "
              "somewhere.",
              "I was able to say what I could realistically manage, rather than what I thought "
              "people wanted to hear."],
        "v": ["People are much more honest about what they can and can't do when they know it "
              "isn't going straight to their manager.",
              "Once people trust you, you get a realistic picture of their capabilities, and the "
              "plan is better for it.",
              "They'll tell me they can't manage a full shift, and then we can work out what they "
              "can manage.",
              "Honesty about limits early on avoids the plan failing in week two."],
        "g": ["Patients don't always tell me what they can't do at work, because they worry about "
              "what goes on the note.",
              "I think an honest conversation about capabilities needs time and trust, and I can "
              "rarely offer either.",
              "I suspect patients were more open with the VSW about their limitations than they "
              "are with me.",
              "A realistic picture of what someone can do is exactly what's missing from most fit "
              "note conversations."],
    },
    "T4.2.2": {
        "p": ["I trusted {vs} from quite early on, and that's not like me.",
              "{Vs} always checked what I was happy to share with work before anything went "
              "anywhere.",
              "I felt in control of what was shared, which made me trust the whole thing more."],
        "mental_health": ["Knowing it was confidential meant I could talk about my mental health "
                          "properly for once."],
        "v": ["Confidentiality is the foundation; I agree with each person what, if anything, is "
              "shared with their employer.",
              "Trust takes a couple of calls to build, especially over the phone, but once it's "
              "there people open up.",
              "If I broke that trust once, the whole relationship would be gone."],
    },
    "T5.1.1": {
        "p": ["I think my employer got me back sooner than they would have otherwise, so it "
              "worked for them too.",
              "{Mgr} said it was the smoothest return they'd dealt with, which I took as a "
              "compliment."],
        "e": ["If it gets people back even a couple of weeks earlier, that's a real saving for a "
              "business like ours.",
              "What matters to us is that the return lasts, and this one has, which isn't always "
              "the case.",
              "Covering an absence with agency staff is expensive, so anything that shortens it is "
              "worth looking at.",
              "I think there's a lot of potential in it, particularly for people who'd otherwise "
              "drift into long-term sickness.",
              "From a business point of view, a planned return is far better than someone turning "
              "up unannounced when the fit note ends.",
              "The employee came back with a plan that actually held, and we didn't have the "
              "usual second period of absence."],
        "v": ["Employers benefit too, because a planned return is more likely to stick.",
              "When I explain that the aim is a sustainable return, most employers are "
              "interested."],
        "g": ["Employers lose a lot when someone drifts off long term, and so does the patient.",
              "For employers I'd have thought the benefit is fairly obvious, fewer long absences "
              "and fewer failed returns.",
              "It's in everyone's interest, including the employer's, that people don't drift "
              "into long-term sickness."],
    },
    "T5.1.2": {
        "p": ["I think {mgr} was glad someone else had helped me think it through, because they "
              "didn't know what to do either."],
        "e": ["Our managers have had no real training on long-term absence, so anything that "
              "guides them is welcome.",
              "We haven't got an HR department as such, so I'm making it up as I go along, and "
              "this kind of support would help.",
              "Line managers aren't trained for this; they're trained to run a shift, not to "
              "manage someone back from anxiety.",
              "It would be useful to have somewhere to ring for advice when someone's off, "
              "especially with mental health.",
              "Smaller employers like us don't have occupational health, so something free and "
              "independent would fill a gap.",
              "I felt more confident handling it because the employee had already done a lot of "
              "the thinking."],
        "v": ["Smaller employers often have nobody to turn to, so they're grateful for anything "
              "that makes the return clearer.",
              "Managers are often as anxious as the employee, they just don't want to say the "
              "wrong thing."],
        "g": ["Smaller employers often ring the practice asking what to do, and we're not really "
              "the right people.",
              "Small employers in particular don't have occupational health, and I think the VSW "
              "fills that gap to some extent."],
    },
    "T5.2.1": {
        "e": ["My one reservation is that we didn't hear much; I'd have liked a bit more contact "
              "from the VSW.",
              "A short update, with the employee's permission, would have helped us plan the "
              "rota.",
              "It felt a bit one-sided at times, because we only heard what the employee chose to "
              "tell us.",
              "I'd want to know there was a plan, even if I didn't know the details."],
        "v": ["Some employers would like us to report back to them, and I have to explain that "
              "isn't how it works.",
              "I understand employers wanting information, but it has to come through the person, "
              "with their agreement."],
    },
    "T5.2.2": {
        "p": ["We already had an occupational health service at work, but it felt very different "
              "to the support from {vo}."],
        "e": ["For a small firm like ours, an occupational health referral is expensive and slow.",
              "We already have an occupational health provider, so I'd want to know how this fits "
              "alongside that.",
              "We have an employee assistance programme, which does some of this, although "
              "take-up is low.",
              "If it duplicated what occupational health does, I'm not sure we'd need it, but it "
              "didn't really.",
              "The difference is that this starts before we're even involved, whereas "
              "occupational health is after a referral from us."],
        "v": ["Where there's already occupational health involved, I try to work alongside it "
              "rather than duplicate it.",
              "Larger employers sometimes feel they've got it covered, but their staff don't "
              "always see it that way."],
        "g": ["Where occupational health exists, it's usually slow to get involved.",
              "Some of my patients work for big organisations with occupational health, but most "
              "don't have anything like that."],
    },
    "T6.1.1": {
        "p": ["Doing it over the phone was much easier for me; I didn't have to get dressed up "
              "and travel anywhere.",
              "On a bad day I could still do a phone call from the sofa, whereas I'd have "
              "cancelled an appointment.",
              "I think I was more open on the phone, because nobody could see my face."],
        "35-49": ["The calls fitted around the school run and my hospital appointments, which "
                  "really helped."],
        "18-34": ["I'm used to doing everything on my phone, so it felt completely normal."],
        "50+": ["I was a bit unsure about doing it all by phone at first, but it turned out to "
                "be fine."],
        "v": ["Phone works well for most people; there's no travel, and they can talk from home, "
              "where they feel safe.",
              "People cancel far fewer calls than face-to-face appointments, in my experience.",
              "I can fit calls around people's treatment and childcare, which wouldn't be "
              "possible if they had to come in.",
              "Some people actually find it easier to talk openly without having to look at "
              "someone."],
        "e": ["Because it was all by phone, the employee didn't need time off for appointments.",
              "Staff working shifts could fit calls around their rota, which suited us.",
              "Remote support makes sense for our staff, because they're spread over a wide "
              "area."],
        "g": ["Remote support means patients in rural areas aren't disadvantaged by distance.",
              "For people who are off sick, not having to travel to an appointment is a real "
              "advantage.",
              "Telephone support is realistic for the NHS, and patients are used to it now after "
              "the pandemic."],
    },
    "T6.1.2": {
        "p": ["Sometimes I'd have liked to meet {vo} in person, just to put a face to the voice.",
              "On the phone it's easy to say you're fine when you're not, and I probably did that "
              "once or twice."],
        "18-34": ["The video call kept freezing, so in the end we just did it by phone."],
        "35-49": ["We tried video once, but with the kids in the house it was easier just to "
                  "talk on the phone."],
        "50+": ["I'm not great with video, so we stuck to the phone, though I'd have liked to "
                "see who I was talking to."],
        "v": ["You miss the body language over the phone, so you have to listen very carefully to "
              "how things are said.",
              "Video is good when it works, but a lot of people haven't got the data or the "
              "confidence to use it.",
              "Building rapport takes a bit longer remotely, especially with people who are very "
              "low.",
              "With someone who is very anxious, I'd sometimes wonder whether a face-to-face "
              "meeting would have helped."],
        "e": ["Some of our older staff would probably prefer to see someone in person.",
              "I'm not sure it would work as well for staff who aren't comfortable on the phone."],
    },
    "T6.2.1": {
        "p": ["It came at the right time for me; any earlier and I wouldn't have been ready to "
              "talk about work.",
              "I wish I'd had it sooner, because by then I'd already been off for {weeks_off} "
              "weeks and had lost my confidence.",
              "The first call was within a week of me signing up, which was quicker than I "
              "expected."],
        "v": ["The earlier we get people the better, because after a few months off, going back "
              "gets much harder.",
              "Some people were referred quite late, when their job was already at risk, and that "
              "limits what you can do.",
              "At the very start of an absence, some people aren't ready to talk about work at "
              "all, so timing is a balance.",
              "I'd like to get people in the first couple of weeks of a fit note, before the "
              "worry sets in."],
        "e": ["If it had been there in the first few weeks, I think we'd have saved a lot of time.",
              "The sooner this sort of support starts the better, because the longer someone's "
              "off the harder it is.",
              "By the time we were aware of the support, the employee had already been off for a "
              "couple of months."],
        "g": ["Ideally it would be offered at the first fit note, not the third or fourth.",
              "The timing is key; if you wait until someone's been off for six months, you've "
              "lost them.",
              "The fit note consultation is a good moment to offer it, because that's when work is "
              "on the table.",
              "Offering it too early, when someone's in the acute phase, wouldn't work either."],
    },
    "T6.2.2": {
        "p": ["I had {n_calls} calls in all, each about {n_min}, which felt about right.",
              "I could have done with a couple more calls at the end, when I'd just gone back and "
              "things were wobbly.",
              "When it ended, {vs} said I could get back in touch if I needed to, which was "
              "reassuring.",
              "The calls got further apart as I got better, which felt natural."],
        "v": ["Most people had somewhere between three and six calls, but some needed a lot more.",
              "I'd space the calls out as people got more confident, so the ending didn't feel "
              "like a cliff edge.",
              "The stepped approach meant I could do more with the people who needed it.",
              "Ending is important; I'd always make sure people knew what to do if things went "
              "wrong later."],
    },
    "T6.3.1": {
        "p": ["I got a letter from the surgery about the study, and I nearly threw it away, to be "
              "honest.",
              "I signed up because I thought anything was worth a try at that point.",
              "I wasn't sure what it was at first, I thought it might be something to do with "
              "benefits.",
              "Once I'd read what it was about, I thought it sounded like what I'd been missing."],
        "v": ["A lot of people weren't sure what we were when we first rang, so the first few "
              "minutes were always about explaining.",
              "Some people thought we were from the job centre or their employer, and that put "
              "them on guard."],
        "e": ["I'd want to know about it much earlier, ideally as soon as someone goes off.",
              "I only found out about it when the employee mentioned it to me.",
              "I'd never heard of anything like it before, and I've been dealing with absence a "
              "long time."],
        "g": ["Patients were more likely to take it up if one of us mentioned it in person.",
              "The letters went out from the practice, so patients trusted them more than if "
              "they'd come from elsewhere.",
              "Most patients I spoke to hadn't heard of anything like this before.",
              "I think if it were routine, we'd mention it at the fit note appointment, and that "
              "would be the natural place."],
    },
    "T6.3.2": {
        "p": ["The GP didn't really talk about work, they just signed the fit note and asked how "
              "I was.",
              "I don't think my GP knew much about the support I was getting, to be honest.",
              "It would have been good if the GP and {vs} had been joined up a bit more."],
        "v": ["Contact with GPs was fairly limited; most of it went through the patient.",
              "It would help if GPs knew a bit more about what we do, so they could mention it at "
              "the fit note appointment."],
        "g": ["Work comes up in nearly every fit note consultation, but we have very little time "
              "to deal with it properly.",
              "I see my role as the medical side, and I'm happy for the work side to be picked up "
              "by someone with more time.",
              "I didn't get much feedback from the VSWs, and I'm not sure I needed it, as long as "
              "the patient was getting the help.",
              "GPs aren't trained in occupational health, and most of us would admit that.",
              "If the VSW had a concern about the patient's health, I'd want them to come back to "
              "us, of course.",
              "Honestly, anything that takes the work conversation off a GP's plate is welcome at "
              "the moment."],
    },
}

# Sentences that express two codes at once: the first code's passage ends on one, the second
# code's passage starts on it, so the two codings overlap (co-occurrence needs this).
_BRIDGES = (
    ("T4.1.1", "T4.2.1", "p", "Because {vs} had nothing to do with {work}, I could admit what I "
     "really couldn't manage yet."),
    ("T4.1.1", "T4.2.1", "v", "Because I'm not from their employer, people will admit what they "
     "really can't manage yet."),
    ("T4.2.1", "T1.3.1", "p", "Once I'd been honest about my limits, we could plan hours that I "
     "could actually stick to."),
    ("T4.2.1", "T1.3.1", "v", "Once they've been honest about their limits, we can plan hours "
     "they can actually sustain."),
    ("T2.1.1", "T2.2.2", "p", "Because we'd talked about the money side, {vs} pointed me to "
     "someone who could help with it."),
    ("T2.1.1", "T2.2.2", "v", "Once the money or housing side comes out, I can point them to "
     "someone who can actually help with it."),
    ("T3.1.1", "T3.2.1", "p", "After we'd practised, I felt able to ring {mgr} myself rather "
     "than asking {vo} to do it."),
    ("T3.1.1", "T3.2.1", "v", "Once they've practised it, most people are happy to have the "
     "conversation themselves rather than asking me to."),
    ("T1.1.2", "T4.2.1", "p", "I could tell {vo} how scared I was of it all coming back, which I "
     "hadn't told anyone at work."),
    ("T1.2.1", "T3.1.1", "p", "Because things were tense with {mgr}, we spent a lot of time "
     "planning how I'd open that first conversation."),
    ("T1.2.1", "T3.1.1", "v", "Where the relationship with the manager is tense, we spend longer "
     "planning how the first conversation will go."),
    ("T5.1.1", "T1.3.1", "e", "The phased plan meant we had a rough idea when we'd have them "
     "back, which helps with cover."),
    ("T5.2.1", "T3.2.1", "e", "Because everything came through the employee, we didn't hear "
     "from the VSW directly, which I'd have liked."),
    ("T4.1.2", "T2.2.3", "g", "Because the VSW isn't signing anything, the patient came to the "
     "fit note appointment with a realistic plan."),
    ("T2.3.1", "T6.3.2", "g", "When a patient is stuck on a waiting list, all I can really do is "
     "keep signing fit notes, which isn't satisfying."),
    ("T6.1.1", "T2.1.2", "p", "Being at home on the phone, I felt relaxed enough to talk for as "
     "long as I needed, and {vs} never hurried me."),
    ("T2.1.1", "T1.1.1", "v", "Once you understand what's going on at home, you get a much "
     "better sense of whether they're really ready."),
)

_THEME_QUESTIONS = {
    "T1": {"p": ("Can you tell me how the plan for going back to work came together?",
                 "How did you and the VSW go about planning your return to work?",
                 "Thinking about the plan you made with the VSW, what shaped it?"),
           "o": ("How were return-to-work plans put together, in your experience?",
                 "What shaped the plans that were made for people going back?",
                 "Can you tell me about the return-to-work plans and how they came about?")},
    "T2": {"p": ("What were the main things getting in the way of going back, and how were they "
                 "dealt with?",
                 "Were there things that made going back harder, and did the VSW help with any of "
                 "them?"),
           "o": ("What were the main obstacles to people returning to work, and how were they "
                 "tackled?",
                 "What kinds of things got in the way of a return, and what could be done about "
                 "them?")},
    "T3": {"p": ("How did you feel about talking to your employer about going back?",
                 "Who did the talking with your employer, and how did that feel?"),
           "o": ("How much did people negotiate their own return, and how much was done for "
                 "them?",
                 "How did the employee and the employer communicate about the return?")},
    "T4": {"p": ("How did you feel about the VSW being separate from your work and your GP?",
                 "What was it like talking to someone who wasn't from your employer or the "
                 "surgery?"),
           "o": ("How important was it that the VSW was independent of the employer and the "
                 "health service?",
                 "How did the VSW's position, outside the employer and the NHS, affect things?")},
    "T5": {"p": ("Do you think your employer got anything out of the support?",
                 "How do you think your employer saw the support you were getting?"),
           "o": ("From an employer's point of view, what do you see as the benefits or drawbacks "
                 "of this kind of support?",
                 "How do you think employers view a service like this?")},
    "T6": {"p": ("The support was all by phone or video. How did that work for you?",
                 "Can you tell me about the practical side, how often you spoke and how, and the "
                 "timing?"),
           "o": ("What about the practical side, the remote delivery and the timing of the "
                 "support?",
                 "How did the practical arrangements work, the phone and video contact and the "
                 "timing?")},
}

_CODE_QUESTIONS = {
    "T1.1.1": {"p": ("How ready did you feel to go back, and did that change the plan?",
                     "How did your confidence about going back affect things?"),
               "o": ("How did people's sense of being ready affect the plan?",
                     "How much did confidence about going back shape things?")},
    "T1.1.2": {"p": ("Did you have any worries about your health if you went back?",
                     "Were you worried about things getting worse?"),
               "o": ("Did worries about the condition getting worse come up?",
                     "How did fears about relapse play into it?")},
    "T1.2.1": {"p": ("What's your relationship with your manager like?",
                     "How did things go with your manager during the time off?"),
               "o": ("How important was the relationship with the line manager?",
                     "How did the contact between manager and employee go?")},
    "T1.2.2": {"p": ("Did you have any worries about your job itself while you were off?",
                     "What's the attitude to sickness absence like where you work?"),
               "o": ("Did worries about job security come into it?",
                     "How did the workplace culture around absence affect things?")},
    "T1.3.1": {"p": ("How were your hours worked out for going back?",
                     "Was there anything like a phased return?"),
               "o": ("How were hours and start dates worked out?",
                     "What part did phased returns play?")},
    "T1.3.2": {"p": ("Did anything change about your duties in the plan?",
                     "Were there parts of the job you couldn't do at first?"),
               "o": ("Were duties changed at all as part of the return?",
                     "How were tasks handled that the person couldn't do at first?")},
    "T2.1.1": {"p": ("Did you talk about things outside work as well?",
                     "Were there other things going on in your life that affected going back?"),
               "o": ("How much did life outside work come into it?",
                     "What non-work issues came up?")},
    "T2.1.2": {"p": ("How did the conversations with the VSW feel?", "Did you feel listened to?"),
               "o": ("What do you think people valued about the conversations?",)},
    "T2.2.1": {"p": ("Were any changes made at work to help you?",
                     "Did you talk about adjustments at work?"),
               "o": ("What kinds of workplace adjustments were made?",
                     "How did adjustments at work come about?")},
    "T2.2.2": {"p": ("Were you put in touch with any other services?",
                     "Did the VSW point you towards any other help?"),
               "o": ("How much did signposting to other services come into it?",
                     "What other services were people pointed towards?")},
    "T2.2.3": {"p": ("How did the fit notes and sick pay side of things go?",
                     "Did the fit note come up in your conversations?"),
               "o": ("What part did the fit note play?",
                     "How did fit notes and sick pay affect things?")},
    "T2.3.1": {"p": ("Was there anything about your treatment that held things up?",
                     "Were you waiting for any treatment during this time?"),
               "o": ("Were there obstacles that couldn't be solved?",
                     "How did waiting for treatment affect things?")},
    "T2.3.2": {"p": ("How flexible was your employer about the plan?",
                     "Did your employer go along with what you suggested?"),
               "o": ("What happened when employers weren't able or willing to adapt?",
                     "How flexible were employers, in your experience?")},
    "T3.1.1": {"p": ("How did you prepare for talking to your employer?",
                     "Did you plan what to say before speaking to work?"),
               "o": ("How were people helped to prepare for talking to their employer?",
                     "What preparation went into those conversations?")},
    "T3.1.2": {"p": ("Did you learn anything about what you could ask for at work?",
                     "How much did you know about your rights at work?"),
               "o": ("How aware were people of what they could ask for?",
                     "Did knowledge of rights and policies come into it?")},
    "T3.2.1": {"p": ("Who spoke to your employer about the plan?",
                     "Did the VSW ever contact your work directly?"),
               "o": ("Who did the talking with the employer?",
                     "How much contact was there between the VSW and the employer?")},
    "T3.2.2": {"p": ("Do you feel differently about things now, compared with the start?",
                     "Has the support changed how you see yourself?"),
               "o": ("Did you notice any change in people over the course of the support?",
                     "What difference did it make to people's confidence?")},
    "T4.1.1": {"p": ("Would it have been different if the support had come through your "
                     "employer?",
                     "How did you see the VSW, in relation to your work?"),
               "o": ("How did the VSW's independence from the employer matter?",
                     "Would it work the same if it came through the employer?")},
    "T4.1.2": {"p": ("How was talking to the VSW different from seeing your GP?",),
               "o": ("How did the VSW's role differ from the GP's?",
                     "Does it matter that the VSW is not part of the health service?")},
    "T4.2.1": {"p": ("Could you be open with the VSW about what you could and couldn't do?",
                     "Were there things you told the VSW that you hadn't told anyone else?"),
               "o": ("How open were people about what they could and couldn't do?",)},
    "T4.2.2": {"p": ("How did you feel about what was shared with other people?",
                     "How quickly did you come to trust the VSW?"),
               "o": ("How was confidentiality handled?", "How did trust develop?")},
    "T5.1.1": {"p": ("Do you think your employer benefited?",),
               "o": ("What benefit, if any, do you see for the employer?",
                     "Is there a business case for this kind of support?")},
    "T5.1.2": {"p": ("How do you think your manager found it?",),
               "o": ("How did managers find the process?",
                     "Would this kind of support help managers?")},
    "T5.2.1": {"p": ("Did your employer want to know more about the support?",),
               "o": ("How much information did employers want, and how much did they get?",)},
    "T5.2.2": {"p": ("Was there any other support at work, like occupational health?",),
               "o": ("How does this fit with occupational health or other support employers "
                     "have?",)},
    "T6.1.1": {"p": ("What was it like having the support by phone?",
                     "How did the phone calls fit around the rest of your life?"),
               "o": ("How well did remote delivery work?",
                     "What were the advantages of phone contact?")},
    "T6.1.2": {"p": ("Were there any downsides to it being remote?",),
               "o": ("Were there limits to doing it remotely?",
                     "What about video, or the lack of face-to-face contact?")},
    "T6.2.1": {"p": ("Did the support come at the right time for you?",
                     "How soon after going off did it start?"),
               "o": ("How important was the timing of the support?",
                     "When is the right time to offer it?")},
    "T6.2.2": {"p": ("How many calls did you have, and was that enough?",
                     "How did the support come to an end?"),
               "o": ("How many contacts did people need?", "How did the support end?")},
    "T6.3.1": {"p": ("How did you first hear about the support?",
                     "What made you decide to take part?"),
               "o": ("How did people come to know about the service?",
                     "What did people think the service was at first?")},
    "T6.3.2": {"p": ("Was your GP involved at all?", "How did your GP fit into all of this?"),
               "o": ("What was the GP's role in all this?",
                     "How much contact was there with GPs?")},
}
_PROBES = ("Can you say a bit more about that?", "And was there anything else around that?",
           "How did that feel at the time?", "Can you give me an example?",
           "Mm-hm. What happened next?")

_BACK_TO = ("Going back to something you said earlier,", "Just picking up on an earlier point,",
            "Coming back to that for a moment,")
_OPENERS = {
    "patient": ("Yeah.", "Erm, yeah.", "Right.", "Oh, definitely.", "That's a good question.",
                "Mm, let me think.", "Well, yes.", "I suppose so.", "Honestly?", "Yes, I think so.",
                "Hmm."),
    "vsw": ("Yes.", "That's a really good question.", "Absolutely.", "It varies, really.",
            "Mm, yes.", "Right.", "I think so, yes."),
    "employer": ("Yes.", "Well.", "Right.", "To be fair, yes.", "Mm.", "Good question."),
    "gp": ("Yes.", "Mm.", "Well.", "I think so.", "That's a fair question.", "Right."),
}
_TAILS = {
    "p": ["But that's just how it was for me.", "I don't know if that makes sense.",
          "Anyway, that's where things were at that point.", "It's hard to explain, really.",
          "I'd never been in that position before, so it was all new.",
          "Looking back, I can see that now, but I couldn't at the time.",
          "Sorry, I'm going off on a bit of a tangent."],
    "v": ["Every case is different, of course.", "That's my experience, anyway.",
          "It's not always straightforward.", "Some of that depends on the person, obviously.",
          "I could give you lots of examples of that."],
    "e": ["That's how it looked from our side, anyway.", "Every situation is different, obviously.",
          "It's a balancing act.", "We're still learning, to be honest."],
    "g": ["That's my impression, anyway.", "I'm generalising, of course.",
          "It depends very much on the patient."],
}
_FILLER = {
    "p": ["Things are a bit calmer at home now than they were.",
          "I've been trying to get out for a walk every day, which helps.",
          "{Partner} has been really supportive through all of it.",
          "Some days are still better than others.",
          "I've started to get back into a routine, getting up at the same time and so on.",
          "I've been seeing a bit more of my friends again.",
          "I'm trying not to look too far ahead.", "It's been a long year, one way and another."],
    "v": ["Caseloads vary a lot, and some weeks are much busier than others.",
          "We have regular supervision, which helps with the harder cases.",
          "I keep notes after every call, so I can pick up where we left off.",
          "It can be emotionally demanding, especially when people are in crisis.",
          "We'd sometimes discuss cases as a team to get other ideas.",
          "The training was useful, but you learn most from doing it."],
    "e": ["Things have been very busy for us this year.",
          "We're recruiting at the moment, which is a challenge in itself.",
          "Staff turnover is something we're always trying to get on top of.",
          "We've been trying to do more on wellbeing generally.",
          "The cost of living has hit a lot of our staff quite hard.",
          "We've had a few long-term absences this year, more than usual.",
          "Our managers are stretched, like everyone else's.",
          "We're trying to be more flexible about hours generally, since the pandemic.",
          "Getting agency cover at short notice is almost impossible at the moment."],
    "g": ["Demand is relentless at the moment, as you probably know.",
          "We have a social prescriber now, which helps a bit.",
          "A lot of our consultations now are by phone as well.",
          "Continuity of care is much harder than it used to be.",
          "We see a lot of people whose health problems are tangled up with their work.",
          "Mental health presentations have gone up a lot in the last few years.",
          "The practice has grown, but the number of GPs hasn't kept pace.",
          "We're doing more with the primary care network these days."],
}
# Uncoded talk between the guide's topics: (place, question variants, bank, sentences to draw);
# place "mid" is a seeded spot between topics, "late" just before the closing question.
_STORIES: dict[str, tuple] = {
    "patient": (
        ("mid", ("What did a normal day look like for you while you were off?",
                 "Can you talk me through a typical day during the time you were off work?"),
         {"p": ["To begin with I didn't really have a routine at all, I'd just get up whenever "
                "and drift through the day.",
                "I'd walk to the shop or round the block, just so I'd been out of the house "
                "at least once.",
                "The days felt very long, and I'd find myself looking at the clock and it'd only "
                "be half past ten.",
                "I'd put the radio on for company, because the house was so quiet with everyone "
                "else out.",
                "Afternoons were the worst, there was nothing to structure them around.",
                "I ended up doing jobs around the house that I'd been putting off for years, "
                "painting the back bedroom and so on.",
                "{Partner} would ring at lunchtime to check how I was, which I appreciated even "
                "if I didn't always say much.",
                "I'd try to cook a proper meal in the evening, because that was something I could "
                "still do and feel useful."],
          "mental_health": [
              "Some mornings I couldn't face getting dressed, and I'd still be in my dressing "
              "gown when people came home.",
              "I'd sleep badly and then nap in the afternoon, which only made the nights worse.",
              "I stopped answering the phone for a while, I just let it ring.",
              "Even going to the supermarket felt like a big thing, I'd go first thing when it "
              "was quiet."],
          "musculoskeletal": [
              "I spent a lot of the day lying flat or on the floor, because that was the only "
              "position that didn't hurt.",
              "I had a set of exercises from the physio sheet that I'd do morning and evening.",
              "Getting in and out of the car was a performance, so I didn't go far.",
              "I'd walk to the end of the road and back, and then try to go a bit further each "
              "week."],
          "other": [
              "I'd be exhausted by lunchtime, even if I hadn't done anything, so I'd have a lie "
              "down most afternoons.",
              "A lot of the day went on appointments, blood tests and waiting around at the "
              "hospital.",
              "I had to pace myself with everything, even a shower could wipe me out early on.",
              "I kept a little diary of how I felt each day, because the nurse suggested it."]},
         7),
        ("mid", ("Who's at home with you, if you don't mind me asking?",
                 "Can you tell me a bit about your home life?"),
         {"p": ["{Partner} works full time, so most days it was just me and the dog.",
                "We've been together a long time, and we've had harder years than this one, "
                "to be honest.",
                "My sister lives round the corner and she'd pop in most days with a bit of "
                "shopping.",
                "Money was tight for a while, but we cut back and got by."],
          "18-34": ["I'm renting a flat with {partner}, it's small but it's ours.",
                    "I moved back in with my mum for a few weeks at the worst point, which I "
                    "never thought I'd do.",
                    "Most of my friends are working, so the days were quite lonely.",
                    "We'd been saving for a deposit on a house, and that's been put on hold."],
          "35-49": ["We've got two kids, one at primary and one just started secondary, so "
                    "the house is never quiet for long.",
                    "The kids knew something was wrong, and we had to think about how much to "
                    "tell them.",
                    "My mum's getting on a bit, so I help out with her shopping and lifts to "
                    "appointments.",
                    "Evenings are all homework, tea and getting everyone ready for the next day."],
          "50+": ["The children have all left home now, so it's just the two of us.",
                  "We've got three grandchildren, and I'd normally have them after school a "
                  "couple of days a week.",
                  "My dad is in a care home, so I visit him most weekends.",
                  "{Partner} retired last year, so at least there was someone else in the "
                  "house."]},
         5),
        ("mid", ("What does a typical working day involve in your job?",
                 "What sort of things do you actually do at {work} day to day?"),
         {"p": ["You start at {work} with a quick handover, find out what's happened since your "
                "last shift, and then it's straight into it.",
                "A lot of it is routine, but there's always something that doesn't go to plan.",
                "There's a fair bit of paperwork these days, more than when I started.",
                "The team is about a dozen of us, and most of us have been there a while.",
                "We usually have a break mid-morning, if it's not too busy, and a proper lunch "
                "if we're lucky.",
                "The travel in takes about {n_min} each way, which isn't too bad.",
                "It's quite a physical job, you're on your feet most of the day.",
                "What I like about it is the people, the customers and the team both.",
                "We had a new system brought in last year, and it took everyone a while to get "
                "used to it."]},
         6),
        ("mid", ("Apart from work, how did {cond} affect things day to day?",
                 "Outside of work, what difference did it make to everyday life?"),
         {"p": ["I stopped going to things I used to enjoy, because I never knew how I'd be on "
                "the day.",
                "I'd cancel plans at the last minute, and after a while people stopped asking.",
                "Little things like the washing or the garden just got left."],
          "mental_health": [
              "I couldn't concentrate on a book or even a programme on the telly, my mind just "
              "wandered off.",
              "I'd go over and over conversations in my head, usually at three in the morning.",
              "Being around people was exhausting, even people I love.",
              "I lost my appetite completely for a while and lost quite a bit of weight."],
          "musculoskeletal": [
              "I couldn't pick up the shopping bags, so {partner} had to do all of that.",
              "Sleeping was hard, because every time I turned over the pain woke me up.",
              "I couldn't drive for a few weeks, which meant relying on lifts for everything.",
              "Even putting my socks on in the morning took ages."],
          "other": [
              "The tiredness was the thing, it wasn't like normal tiredness, it was bone deep.",
              "I had to give up driving for a while on the doctor's advice.",
              "Walking up the stairs left me out of breath for the first few weeks.",
              "I had a lot of new tablets to get used to, and some of them made me feel "
              "rough."]},
         5),
        ("mid", ("What helps you when things are difficult, outside of work?",
                 "Are there things you do for yourself that make a difference?"),
         {"p": ["Walking, mostly, there's a path along the river near us and I'd go down there "
                "most mornings.",
                "I've got back into gardening, it's slow and nobody's watching you.",
                "Music helps, I'll put something on and just sit with a cup of tea.",
                "I'd meet a friend for a coffee once a week, and that kept me going.",
                "I joined a little walking group run by the community centre.",
                "Having the dog meant I had to get out whatever the weather.",
                "I started doing a bit of cooking from scratch, which I'd never had time for "
                "before."],
          "mental_health": ["I tried one of the relaxation apps, some of it was a bit much "
                            "but the breathing helped.",
                            "Writing things down before bed helped me stop going round in "
                            "circles."],
          "musculoskeletal": ["Swimming was the one thing that didn't hurt, so I went to the "
                              "leisure centre early on weekday mornings.",
                              "A hot water bottle and a decent pillow did more than I'd "
                              "expected."],
          "other": ["Resting when I needed to, rather than pushing through, which is harder "
                    "than it sounds.",
                    "Getting outside in the fresh air, even just sitting in the garden."]},
         5),
        ("mid", ("Did you keep in touch with anyone from work, just socially?",
                 "What about your colleagues, did you see much of them?"),
         {"p": ["A couple of people from work would message me now and then, just to see how I "
                "was.",
                "There's a group chat, but I muted it for a while because it was all work "
                "stuff.",
                "One of the lads from {work} dropped round with a card that everyone had "
                "signed.",
                "I went to someone's leaving do while I was off, which was a bit awkward."],
          "pr": ["Seeing everyone again on the first morning was nicer than I'd expected.",
                 "Most people just said good to have you back and left it at that, which was "
                 "what I wanted."],
          "po": ["I've lost touch with most of them, to be honest, it's been so long.",
                 "I bumped into someone from work in town and didn't know what to say about why "
                 "I was still off."]},
         4),
        ("mid", ("You've also been doing the study's text messages and questionnaires. How has "
                 "that been?",
                 "How have you found the research side of things, the texts and the forms?"),
         {"p": ["The text messages every couple of weeks were easy enough, you just reply with "
                "a number.",
                "I did forget one or two of the texts, I think, but mostly I kept up.",
                "The questionnaires were quite long, but I could do them in bits.",
                "Some of the questions made me stop and think about how I was really doing.",
                "I didn't mind the forms, I just hope it's useful for somebody.",
                "It was a bit strange at first, answering questions about how many days I'd "
                "been off."]},
         4),
        ("mid", ("What were you doing before this job?",
                 "How did you end up working as {job}?"),
         {"p": ["I left school at sixteen and went straight into work, I've never really been "
                "out of it until now.",
                "I fell into it, to be honest, a friend said they were taking people on and I "
                "went along.",
                "I did a couple of years at college but it wasn't for me.",
                "I've done all sorts, shop work, bar work, a bit of labouring."],
          "18-34": ["This is only my second job, before that I was doing bits of agency work.",
                    "I was at college until a few years ago, so I'm still finding my feet."],
          "35-49": ["I had the kids fairly young, so I went back to work once they were at "
                    "school.",
                    "I was in the same job for ten years before this one, until the place shut "
                    "down."],
          "50+": ["I've been working since I was fifteen, one way or another.",
                  "I was made redundant in my forties and had to start again somewhere new."]},
         4),
        ("mid", ("How did the people around you react when you went off?",
                 "What did family and friends make of it all?"),
         {"p": ["{Partner} was brilliant, took over a lot of the things I normally do without "
                "making a fuss.",
                "Some friends were great and some just went quiet, which taught me a lot.",
                "My mum worried, she'd ring every day, which was lovely but a bit much.",
                "People didn't always know what to say, so they said nothing.",
                "I didn't tell many people at first, I was a bit embarrassed."],
          "mental_health": ["There's still a stigma, I think, people are kinder about a "
                            "broken leg than about your head.",
                            "A friend who'd been through something similar was the one who "
                            "really understood."],
          "musculoskeletal": ["Everyone had an opinion about backs, and a cousin who'd had the "
                              "same thing.",
                              "People could see I was in pain, so at least nobody doubted "
                              "it."],
          "other": ["People assumed once the operation was done I'd be fine, but it wasn't "
                    "like that.",
                    "The family rallied round, meals on the doorstep for the first week."]},
         5),
        ("late", ("Looking ahead, how do you see the next year or so?",
                  "What are you hoping for over the next year?"),
         {"pr": ["I'd like to get back to doing some of the things I used to do, like the "
                 "football on a weekday evening.",
                 "We're hoping to get away for a week in the summer, which we haven't done for "
                 "ages.",
                 "I'm thinking about doing a course, something to move on a bit at work."],
          "po": ["I'm taking it a week at a time, really, I don't like to plan too far.",
                 "I'd like to be feeling more like myself by the summer, whatever that looks "
                 "like.",
                 "We might have to move somewhere cheaper, depending on how things go."],
          "18-34": ["I've still got time to work out what I really want to do, I suppose."],
          "35-49": ["I just want things to be steady for the kids, really."],
          "50+": ["I've started thinking about retirement a bit more seriously since all "
                  "this."]},
         3),
        ("late", ("How have you found talking about all this today?",
                  "Before we finish, how has it been, talking it all through?"),
         {"p": ["It's been fine, actually, easier than I thought it would be.",
                "It's strange looking back on it, it feels like a long time ago now.",
                "I was a bit nervous about it, but you've made it easy.",
                "It's good to think it might help someone else in the same boat.",
                "I didn't realise how much I had to say until I started."]},
         2),
    ),
    "vsw": (
        ("mid", ("What does a typical week look like for you?",
                 "Can you talk me through an ordinary working week?"),
         {"v": ["Mondays are mostly catching up, reading notes and planning who I need to ring "
                "that week.",
                "I'd usually have four or five calls booked a day, with gaps in between to write "
                "them up.",
                "Some calls are ten minutes, just a check-in, and some go on for well over an "
                "hour.",
                "I try to keep one afternoon a week free for new referrals, because they come in "
                "bursts.",
                "There's a team call on {day} mornings where we go through anything tricky.",
                "A fair amount of the week goes on admin, chasing people who've missed calls and "
                "rebooking.",
                "Fridays I try to finish a bit earlier, but it doesn't always work out.",
                "No two weeks are the same, which is one of the things I like about it."]},
         6),
        ("mid", ("What's it like working remotely yourself, from your side?",
                 "Where do you work from, and how does that suit you?"),
         {"v": ["I work from home, from the spare room, with a headset and two screens.",
                "It can be isolating, so the team messages each other a lot during the day.",
                "You have to be strict about finishing, otherwise the laptop is always there.",
                "I've got a lovely view of the garden, which helps after a heavy call.",
                "We meet up in person every couple of months, which is nice.",
                "When the broadband goes down, that's the whole day thrown."]},
         4),
        ("mid", ("What training and supervision did you have for the role?",
                 "How were you prepared for the work, and who supports you?"),
         {"v": ["The initial training was a few days, covering the model, the paperwork and a "
                "lot of practice calls.",
                "We did role plays with each other, which everyone hated at the time but were "
                "really useful.",
                "I have supervision once a month with a senior colleague, and more often if I "
                "need it.",
                "There's a manual we can go back to, though after a while you don't really need "
                "it.",
                "Supervision is where you offload, as much as anything, some of the stories stay "
                "with you.",
                "We had refresher sessions every few months on things like benefits and "
                "employment law."]},
         5),
        ("mid", ("How do you keep track of everything for the study?",
                 "What does the record keeping involve?"),
         {"v": ["Every contact goes on the database, with the date, how long it lasted and what "
                "we covered.",
                "The study forms were a bit of a learning curve at first, lots of boxes.",
                "I write a short note straight after each call while it's fresh in my mind.",
                "We get audited now and then, to check the records match what was done.",
                "It adds maybe ten minutes to each call, all told."]},
         3),
        ("mid", ("How did you come to be doing this kind of work?",
                 "What drew you to the job in the first place?"),
         {"v": ["After training in {bg} I spent a few years in the NHS before moving across.",
                "I'd seen how much being out of work affects people, and I wanted to do "
                "something about it.",
                "My first job was in a jobcentre, which taught me a lot about the system.",
                "I'd had time off myself years ago, so I know a bit about what it feels like.",
                "I liked the idea of something that sits between health and work, rather than "
                "just one side.",
                "It was a friend who told me about the job, and I thought why not."]},
         4),
        ("mid", ("How do you look after yourself in a job like this?",
                 "Is it a demanding job, emotionally?"),
         {"v": ["Some days are really heavy, and I'll go for a walk at lunchtime to clear my "
                "head.",
                "I try not to check emails in the evening, though I don't always manage it.",
                "Talking to colleagues helps a lot, they know what it's like.",
                "I do a bit of running, which is my way of switching off.",
                "You learn to leave it at the door, mostly."]},
         4),
        ("late", ("How has it been, talking about the work today?",
                  "Before we wrap up, how have you found the interview?"),
         {"v": ["It's been good to reflect on it, you don't often get the chance.",
                "It's made me realise how much the job has changed since I started.",
                "Fine, thank you, I hope some of it is useful.",
                "It's nice to be asked, honestly."]},
         2),
    ),
    "employer": (
        ("mid", ("Can you tell me a bit more about the people who work for you?",
                 "What's the workforce like, in terms of the jobs people do?"),
         {"e": ["Most of our people are local, and quite a few have been with us for years.",
                "We've got a mix of full time and part time, and a lot of people on set shifts.",
                "The average age has crept up, we struggle to attract younger people.",
                "There's a core team who keep the place running and then seasonal staff on top.",
                "A lot of the work is physical, so even a small injury can keep someone off.",
                "We've got some families where two or three generations have worked for us.",
                "English is a second language for a fair few of our staff, so we do a lot of "
                "things face to face."]},
         6),
        ("mid", ("How did you come to be in your current role?",
                 "What's your own background?"),
         {"e": ["I started on the shop floor myself, years ago, and worked my way up.",
                "I came from a bigger company where there was a whole HR department, so this "
                "was a change.",
                "I've been in this role about {n_years} years now.",
                "I did a management course a few years back, but most of it you learn on the "
                "job.",
                "I never meant to end up doing the people side of things, it just landed on me.",
                "Before this I managed a team in retail for a long time."]},
         5),
        ("mid", ("What are the main pressures on the business at the moment?",
                 "How are things for the business generally?"),
         {"e": ["Costs have gone through the roof, energy especially, and we can't pass it all "
                "on.",
                "Recruitment is the big one, we advertise and get hardly any applicants.",
                "Orders are up, which is good, but it means everyone is stretched.",
                "We've had to put prices up twice this year, and customers notice.",
                "We've had to cut back on overtime, which not everyone is happy about.",
                "There's a lot more regulation than there used to be, and it all takes time.",
                "We're investing in new equipment, which should help in the long run."]},
         5),
        ("mid", ("Is there anything the business does on health and wellbeing more generally?",
                 "What do you do for staff wellbeing, day to day?"),
         {"e": ["We've trained a couple of people as mental health first aiders.",
                "There's a free fruit bowl and a staff room, which sounds small but people like "
                "it.",
                "We put on a health check day last year, with blood pressure checks and so on.",
                "We're trying to get managers to have proper one to ones, not just when there's "
                "a problem.",
                "We do a summer barbecue and a night out at the end of the year, that sort of "
                "thing.",
                "Honestly, it's patchy, and it depends a lot on the manager."]},
         5),
        ("mid", ("What's the work itself like, on a normal day?",
                 "Can you describe a normal day there?"),
         {"e": ["The day starts early, first people are in before seven.",
                "Mornings are the busiest, then it calms down a bit after lunch.",
                "Everyone mucks in, job titles don't mean a lot when you're short.",
                "We've got a lot of regular customers, and they notice when someone's missing.",
                "It's noisy and it's busy, but most people like it that way.",
                "We run on quite a tight schedule, there isn't much slack built in."]},
         5),
        ("mid", ("How has the business changed over the years?",
                 "Has the organisation changed much since you've been there?"),
         {"e": ["We've roughly doubled in size in the last ten years.",
                "We used to be a real family firm, and it's become more formal as we've grown.",
                "We went through a difficult patch a few years ago and had to let some people "
                "go.",
                "A lot more of the work is done on computers now, even on the floor.",
                "We were bought out by a larger group, which changed some of the policies.",
                "The customers have changed, they expect everything quicker than they used to."]},
         4),
        ("mid", ("Who are your customers, broadly?",
                 "What kind of work comes in, and from whom?"),
         {"e": ["Most of our work comes from a handful of big contracts.",
                "We've got a lot of regulars, some of whom have been with us for decades.",
                "It's very seasonal, the run-up to the end of the year is mad.",
                "We supply other businesses mainly, not the public.",
                "Margins are tight, so every contract matters.",
                "Word of mouth is still how most of our new work comes in."]},
         4),
        ("late", ("How have you found talking about this today?",
                  "Before we finish, how has the interview been from your side?"),
         {"e": ["It's been useful, it's made me think about how we handle these things.",
                "Fine, I hope it helps, it's an important area.",
                "It's not often anyone asks the employer's view, so thank you.",
                "Interesting, I'd like to see what other employers said."]},
         2),
    ),
    "gp": (
        ("mid", ("What does a typical day look like for you at the practice?",
                 "Can you describe an ordinary clinical day?"),
         {"g": ["I'm usually in by eight, and the morning surgery runs until about half twelve.",
                "The lunchtime is really for visits, prescriptions and reading letters.",
                "There's a stack of results and paperwork every day, and it never really ends.",
                "Afternoon surgery is often the duty list, so you don't know what's coming in.",
                "A lot of days I'm still there at seven finishing off the admin.",
                "We have a quick huddle in the morning to go through anything urgent.",
                "Appointments are ten minutes, which is rarely enough for anything complicated."]},
         6),
        ("mid", ("Who else is in the practice team?",
                 "Can you tell me about the wider team at the practice?"),
         {"g": ["We've got a practice nurse team, a pharmacist and a physiotherapist who sees "
                "people directly.",
                "The receptionists are the front line, and they have a very hard job.",
                "We've taken on a couple of newer roles through the network, which has helped.",
                "We train junior doctors, so there's usually a registrar with us.",
                "The practice manager holds the whole thing together, frankly.",
                "Staff turnover has been higher than we'd like in the last couple of years."]},
         5),
        ("mid", ("How did you come to have an interest in work and health?",
                 "What's your own background, before general practice?"),
         {"g": ["I did a bit of hospital medicine before going into general practice.",
                "I don't have any special training in occupational health, like most GPs.",
                "My dad was a miner, so I grew up around people whose health was tied up with "
                "their jobs.",
                "I've always found the social side of medicine interesting, maybe more than the "
                "science.",
                "I went on a half-day course about work and health years ago, and that was it.",
                "I've been at this practice for most of my career."]},
         5),
        ("mid", ("What's the local area like, in terms of work?",
                 "Who are the main employers around you?"),
         {"g": ["The practice serves {area}, and the big employers have mostly gone.",
                "A lot of our patients work in care, retail or warehouses on the bypass.",
                "There's a lot of shift work and agency work, which makes planning hard for "
                "people.",
                "Some families have had nobody in steady work for a couple of generations.",
                "We also have plenty of self-employed patients, builders, drivers, cleaners.",
                "When a local firm closes, we see the knock-on effects in the surgery for "
                "months."]},
         5),
        ("mid", ("How has general practice changed in recent years, from where you sit?",
                 "What's changed most about the job since you started?"),
         {"g": ["Remote consultations have become normal, which suits some patients and not "
                "others.",
                "Patients are more complex now, with several conditions at once.",
                "There's much more paperwork, and much more of it is online.",
                "The expectations of patients have gone up while the time per patient hasn't.",
                "I think we've got better at talking about mental health, on the whole.",
                "There's less continuity, patients don't always see the same doctor."]},
         5),
        ("mid", ("Has the practice been involved in research before?",
                 "What's it like having a research study running in the practice?"),
         {"g": ["We've taken part in a few studies over the years, mostly through the local "
                "research network.",
                "Research is a bit of extra work for the admin team, but it's good for the "
                "practice.",
                "The searches to find eligible patients were done by the research nurse.",
                "Some of the partners were keener than others, to be honest.",
                "I like being involved, it keeps you thinking."]},
         3),
        ("mid", ("What are the common health problems among your working-age patients?",
                 "What do you see most in people of working age?"),
         {"g": ["Back and neck problems, without a doubt, and a lot of anxiety and low mood.",
                "Long-term conditions like diabetes are turning up younger than they used to.",
                "A lot of our patients have more than one problem, physical and mental together.",
                "We see a fair bit of alcohol-related harm, often hidden for a long time.",
                "Sleep problems come up in almost every consultation with shift workers.",
                "Weight and inactivity sit behind a lot of what we see."]},
         5),
        ("mid", ("How do you manage the workload yourself?",
                 "How do you look after yourself in a job like that?"),
         {"g": ["I work three and a half days clinically, which is about as much as I can "
                "sustain.",
                "Honestly, not always very well, the admin creeps into the evenings.",
                "We've tried to protect a lunch break, though it often gets eaten up.",
                "I cycle in when I can, it gives me time to think.",
                "The partners meet weekly, and we do try to look out for each other.",
                "Burnout is a real worry across the profession."]},
         5),
        ("mid", ("Do you do any teaching or training at the practice?",
                 "Are you involved in training other doctors?"),
         {"g": ["I'm a trainer, so I supervise a registrar for a year at a time.",
                "Teaching keeps me on my toes, the registrars ask very good questions.",
                "We debrief at the end of each surgery, which takes a while but is worth it.",
                "Medical students come through the practice in short blocks too.",
                "It's one of the parts of the job I enjoy most, seeing people grow in "
                "confidence.",
                "It does add to the day, and the funding doesn't really cover the time."]},
         4),
        ("late", ("How have you found talking about this today?",
                  "Before we finish, how has this been for you?"),
         {"g": ["It's been interesting, it's not something we get much time to think about.",
                "Fine, I hope it's useful, I'm not sure I'm typical.",
                "It's made me think I should ask about work more often, actually.",
                "Good, thank you, it's a subject I care about."]},
         2),
    ),
}

_NUDGES = ("Mm-hm.", "Right.", "Go on.", "Mm. And?", "Okay. Anything else?", "Yeah, go on.",
           "Right, I see.", "And how was that?", "Mm.", "Sure.")

_FILLER_QUESTIONS = ("And how are things more generally at the moment?",
                     "Is there anything else about that time you want to mention?",
                     "Can you tell me a bit more about the day-to-day side of things?")

_INTRO = ("Thanks very much for agreeing to talk to me today. The recording is on now. As we "
          "discussed, everything you say will be kept confidential and anything that could "
          "identify you will be removed. There are no right or wrong answers, and you can stop at "
          "any time. Is that all okay?",
          "Thank you for making the time for this. I've started the recording now. Just to remind "
          "you, it's confidential, we'll take out anything identifying, and you can skip any "
          "question or stop whenever you like. Are you happy to go ahead?",
          "Okay, the recording's running. Thanks again for taking part. I'm interested in your "
          "experiences, so there are no right or wrong answers, and anything identifying will be "
          "taken out of the transcript. Is that okay with you?")
_INTRO_REPLY = ("Yes, that's fine.", "Yeah, no problem.", "Yes, go ahead.", "That's fine, yes.")
_CLOSING = ("We're nearly at the end. Is there anything we haven't covered that you think is "
            "important?",
            "That's all my questions. Is there anything else you'd like to add?",
            "Before we finish, is there anything you'd like to say that I haven't asked about?")
_CLOSING_REPLY = {
    "p": ["I just think more people should have this kind of support.",
          "I'd say to anyone in my position, give it a go.", "I think that's everything, really.",
          "It made a difference to me, and I hope it carries on.",
          "Only that I'm grateful, really."],
    "v": ["I'd just say that the independence is the key thing to keep.",
          "I hope it gets rolled out properly, because people need it.",
          "I think that's covered it, thank you.", "Only that it's been a really rewarding job."],
    "e": ["I think it's a good idea, it just needs to be joined up with employers a bit more.",
          "Nothing else, really, I think we've covered it.",
          "I'd be interested to see the results."],
    "g": ["Only that anything that helps with work and health is welcome.",
          "I think we've covered it, thank you.", "I'd be keen to hear how the study turns out."],
}
_THANKS = ("Thank you so much, that's been really helpful. I'll stop the recording now.",
           "Brilliant, thank you for your time. I'm going to stop the recording there.",
           "Thanks ever so much for talking to me. I'll end the recording now.")
_GOODBYE = ("No problem, good luck with it.", "You're welcome, take care.",
            "That's fine, thank you.", "No worries, bye.")

# Background questions per group: (question variants, bank, sentences to draw).
_BACKGROUND = {
    "patient": (
        (("Could you start by telling me a bit about your job, and what a normal week looked "
          "like before you went off?",
          "To start with, can you tell me about your work and how long you've been doing it?"),
         {"p": ["I work as {job}, and I've been there about {n_years} years.",
                "It's a busy job, and most days you're on the go from start to finish.",
                "I like the job on the whole, and I get on with most of the people there.",
                "The hours are fairly long, and there's not a lot of slack in the rota.",
                "Before all this I'd hardly had a day off sick in years."],
          "18-34": ["It's really my first proper job, so I was worried about how being off "
                    "would look.",
                    "I'm still fairly new there compared with most of the team."],
          "35-49": ["With the mortgage and the kids, I can't really afford not to work.",
                    "I'd been thinking about going for a promotion before this happened."],
          "50+": ["At my age you do start to wonder how many more years you've got in you.",
                  "I've seen a lot of changes there over the years, not all of them good."]}, 4),
        (("And what led to you being signed off work?",
          "Can you tell me a bit about what happened that meant you needed time off?"),
         {"mental_health": [
             "It had been building for a long time, really, with the stress at work and things "
             "at home.",
             "In the end I just couldn't face going in, and I was in tears in the car park one "
             "morning.",
             "I wasn't sleeping, I wasn't eating properly, and I couldn't concentrate on "
             "anything.",
             "The GP said it was anxiety and depression and signed me off for a few weeks to "
             "start with.",
             "I'd had a bad patch years ago, but this was much worse."],
          "musculoskeletal": [
             "I hurt my back lifting at work, and it just got worse over a couple of weeks.",
             "It started as a niggle and then one morning I couldn't get out of bed.",
             "The pain was going down my leg, and sitting or standing for long was impossible.",
             "The GP sent me for physio and signed me off in the meantime.",
             "I'd been managing the pain for months with tablets before it finally gave way."],
          "other": [
             "I had an operation, and the recovery took much longer than anyone had told me it "
             "would.",
             "I was really unwell with an infection and then the tiredness just wouldn't lift.",
             "I ended up in hospital for a few days, and after that I was off for a good while.",
             "I didn't realise how much it would take out of me, physically and mentally.",
             "Every time I thought I was getting better, I'd have a bad week and be back to "
             "square one."]}, 3),
        (("Where are things with work now?",
          "And how are things at the moment, in terms of work?"),
         {"pr": ["I've been back for a few months now, and on the whole it's going well.",
                 "I went back after about {weeks_off} weeks off in the end, on a phased return to "
                 "start with.",
                 "There are still days when it's hard, but I'm managing.",
                 "I'm back on my normal hours now, which I'm quite proud of."],
          "po": ["I'm still off at the moment, which I find really frustrating.",
                 "I've had a couple of false starts, so I'm trying to be more careful this time.",
                 "The fit note runs out in a few weeks, and we'll see where things are then.",
                 "I'm hoping to go back soon, but I'm not sure my job will still be the same."]},
         2),
    ),
    "vsw": (
        (("Could you tell me a bit about your role and your background before you became a VSW?",
          "Can you start by describing your role as a vocational support worker?"),
         {"v": ["My background is in {bg}, and I've worked in return-to-work services for a good "
                "few years.",
                "As a VSW I take referrals, do an initial assessment by phone, and then support "
                "people with a return-to-work plan.",
                "I was trained for the trial, which covered the stepped-care approach and how to "
                "work with employers.",
                "At any one time I'd have a caseload of people at different stages.",
                "It's a varied job, because no two people's situations are the same.",
                "I'd done similar work before, but never completely remotely."]}, 4),
        (("What does a typical first contact look like?",
          "How would you normally start with someone new?"),
         {"v": ["The first call is usually the longest, maybe an hour, and it's mostly about "
                "getting to know the person.",
                "I explain who I am, that I'm independent, and what the support can and can't "
                "do.",
                "We'd go through their job, their health, and anything else going on, and then "
                "agree what to focus on.",
                "By the end of the first call or the second, we'd usually have the outline of a "
                "plan."]}, 3),
    ),
    "employer": (
        (("Could you tell me a bit about your organisation and your role?",
          "To start, can you describe your business and what you do there?"),
         {"e": ["We're {business}, and I'm {role}.",
                "I deal with most of the sickness absence cases, alongside everything else.",
                "We don't have a dedicated HR team, so a lot of it falls to the managers.",
                "Absence has been a real challenge for us in the last couple of years.",
                "Most of our staff are on the shop floor or out on the road, not sat at a desk.",
                "We try to be a decent employer, but we're also under a lot of pressure to keep "
                "things running."]}, 4),
        (("How do you normally handle it when someone is off sick for a long time?",
          "What usually happens when a member of staff is off long term?"),
         {"e": ["Normally we'd keep in touch by phone and arrange a welfare meeting after a few "
                "weeks.",
                "If it goes on, we'd refer to occupational health, although that takes time.",
                "Honestly, it varies a lot depending on the manager and the person.",
                "The fit note is often all we have to go on, and it doesn't tell us much.",
                "We've had people go off and never come back, which is bad for everyone."]}, 3),
        (("Without naming anyone, can you tell me about the employee who had the support?",
          "Thinking of the member of staff who had the vocational support, how did things go?"),
         {"e": ["They'd been off for a couple of months when they first mentioned the support.",
                "It started as a physical problem, and then the stress of being off made things "
                "worse.",
                "They'd been with us a long time and were well liked, so everyone wanted it to "
                "work.",
                "To start with we weren't sure whether they'd come back at all.",
                "There were a few ups and downs along the way.",
                "Looking back, the turning point was when they came to us with a plan of their "
                "own."]}, 4),
    ),
    "gp": (
        (("Could you tell me a bit about yourself and your practice?",
          "To begin, can you describe your practice and how long you've been a GP?"),
         {"g": ["I've been a GP for about {gp_years} years, and the practice serves {area}.",
                "We have a lot of patients in manual jobs, and quite a few on zero-hours "
                "contracts.",
                "Fit notes are a big part of the workload, particularly for mental health and "
                "back problems.",
                "I'm one of the partners, so I also deal with the practice side of things.",
                "We took part in the trial because work and health is something we see every "
                "day."]}, 3),
        (("How do conversations about work usually go in a fit note consultation?",
          "What happens when a patient comes in needing a fit note?"),
         {"g": ["Usually it's fairly quick, how are you, are you ready to go back, and if not I "
                "extend the note.",
                "I try to ask about work, but in ten minutes there are usually more pressing "
                "medical issues.",
                "Some patients want to go back and some don't, and it's hard to know what's best "
                "for them.",
                "I'm conscious that the longer someone is off, the less likely they are to "
                "return.",
                "The fit note conversation can feel quite adversarial, which I don't like."]}, 3),
        (("How did you first hear about the vocational support, and what did you make of it?",
          "What was your first impression of the vocational support service?"),
         {"g": ["We were told about it at a practice meeting when the trial started.",
                "I was sceptical at first, because we've had lots of schemes come and go.",
                "I only had a handful of patients who I knew had taken it up.",
                "The feedback I heard from patients was mostly positive.",
                "It felt like something that had been missing for a long time."]}, 4),
        (("Without identifying anyone, can you think of a patient for whom work was a big "
          "part of the picture?",
          "Is there a patient, without naming them, who comes to mind when you think about work "
          "and health?"),
         {"g": ["One patient comes to mind who'd been off with back pain for about three months.",
                "Every time they came in, the conversation was really about whether their job "
                "would still be there.",
                "The pain itself was slowly improving, but the worry about work seemed to be "
                "getting worse.",
                "I kept extending the fit note because I didn't know what else to do.",
                "In the end it was a change of duties that got them back, not anything I "
                "prescribed.",
                "That case stuck with me, because it showed how little of it was really "
                "medical."]}, 4),
    ),
}
