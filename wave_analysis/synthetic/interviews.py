"""The bundled synthetic WAVE interview corpus: sample, transcripts, codebook and two coders.

SYNTHETIC DATA. Every transcript is assembled from phrase banks written for this project
(``synthetic/banks/*.yaml``, loaded by :mod:`.banks`); no sentence comes from a real interview
and no person is named. The design follows the published qualitative study (Harrison et al.,
BJGP Open 2025; ``published.md``):

* 15 interviews: 10 intervention-arm patients sampled for maximum variation (sex, age band,
  condition group, return-to-work status, practice) by a seeded greedy choice, 2 employers (linked
  to a sampled patient's practice), 2 vocational support workers (VSWs) and 1 GP. Patients are
  interviewed 26 to 40 weeks after randomisation, the others within the same period.
* A codebook of six themes (the five published findings plus delivery practicalities), each with
  subthemes and leaf codes (codebook.yaml).
* Transcripts (:mod:`.transcripts`): each interviewee raises a seeded subset of the codes, at
  rates that depend on the stakeholder group and, for patients, on the persona, so theme presence
  varies between interviewees; the rest of the length is uncoded background and story talk.
* ``coder_1`` codes every transcript; ``coder_2`` independently codes five (two patients and one
  employer, VSW and GP) with realistic disagreement: shifted boundaries, missed and extra
  segments, and an occasional sibling code.

One ``numpy.random.default_rng`` draws everything, from the seed given (an integer or the
interview stream of the cohort's ``SeedSequence``); the same seed gives identical tables and texts.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from wave_analysis.data.model import QualData
from wave_analysis.design import CONDITION_GROUPS, INTERVENTION_ARM, SEXES, age_band
from wave_analysis.exceptions import Problem, ValidationError
from wave_analysis.synthetic.banks import Banks, load_banks
from wave_analysis.synthetic.transcripts import Built, Transcript

N_PATIENTS = 10
N_OTHERS = {"employer": 2, "vsw": 2, "gp": 1}
INTERVIEW_WEEKS = (26, 40)  # patients are interviewed this many weeks after randomisation
REQUIRED = ("participant_id", "practice_id", "arm", "randomisation_date", "sex", "age",
            "condition_group", "returned_to_work")
SAMPLING = ("sex", "age_band", "condition_group", "returned_to_work", "practice_id")
P_VSW_IS_SHE = 0.6  # pronouns of the VSW the interviewee talks about
# Double coding: which interviews coder_2 codes (by group) and how it departs from coder_1.
SECOND_CODER = {"patient": 2, "employer": 1, "vsw": 1, "gp": 1}
P_MISS, P_SIBLING, P_SHIFT, MAX_SHIFT_WORDS, P_EXTRA_CODE = 0.16, 0.09, 0.8, 8, 0.05
EXTRA_SEGMENTS = (2, 4)
# Code ids are dotted (T1.2.1) in the banks; schema.CODEBOOK's id pattern allows only letters,
# digits, '-' and '_', so the tables use this separator instead of the dot.
CODE_SEP = "_"


def code_id(dotted: str) -> str:
    """The table code_id of a dotted bank id ("T1.2.1" -> "T1_2_1")."""
    return dotted.replace(".", CODE_SEP)


def make_qualitative(participants: pd.DataFrame, *,
                     seed: int | np.random.SeedSequence) -> QualData:
    """Build the synthetic interview corpus from a trial's participants.

    ``participants`` needs the columns participant_id, practice_id, arm, randomisation_date,
    sex, age, condition_group and returned_to_work (bool); extra columns are ignored. Returns a
    :class:`QualData` whose tables follow ``schema.INTERVIEWS``, ``schema.CODEBOOK`` and
    ``schema.CODINGS`` and whose transcripts are keyed by interview_id.
    """
    banks = load_banks()
    people = _check_participants(participants)
    rng = np.random.default_rng(seed)
    patients = _sample_patients(people, rng)
    interviews = _interviews(patients, rng)
    transcripts: dict[str, str] = {}
    codings: list[dict] = []
    second = _second_coded(interviews, rng)
    by_id = patients.set_index("participant_id")
    for row in interviews.itertuples(index=False):
        slots = persona(banks, row.stakeholder_group, by_id.loc[row.participant_id]
                        if row.stakeholder_group == "patient" else None, rng)
        built = Transcript(banks, rng, row.interview_id, row.stakeholder_group, slots).build()
        transcripts[row.interview_id] = built.text
        coded = [("coder_1", built.codings)]
        if row.interview_id in second:
            coded.append(("coder_2", _second_coder(banks, built, rng)))
        codings += [dict(interview_id=row.interview_id, code_id=code_id(c), start=s, end=e,
                         coder=coder) for coder, spans in coded for c, s, e in spans]
    return QualData(interviews=interviews, codebook=codebook(banks),
                    codings=_codings_frame(codings), transcripts=transcripts, synthetic=True)


def codebook(banks: Banks | None = None) -> pd.DataFrame:
    """The synthetic corpus's codebook (schema.CODEBOOK), themes > subthemes > codes."""
    rows = []
    for code in (banks or load_banks()).codes:
        rows.append(dict(code_id=code_id(code.id),
                         parent_id=code_id(code.id.rsplit(".", 1)[0]) if code.depth else None,
                         name=code.name, level=("theme", "subtheme", "code")[code.depth],
                         description=code.description))
    frame = pd.DataFrame(rows)
    return frame.astype({c: "object" for c in frame.columns})


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
    for col, allowed in {"sex": SEXES, "condition_group": CONDITION_GROUPS}.items():
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


def _sample_patients(pool: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Greedy maximum variation: each pick maximises the sum over sampling characteristics of
    1 / (1 + times its value is already sampled); ties go to a seeded random order."""
    order = pool.iloc[rng.permutation(len(pool))].reset_index(drop=True)
    counts: dict[str, dict] = {a: {} for a in SAMPLING}
    chosen: list[int] = []
    values = {a: order[a].tolist() for a in SAMPLING}
    for _ in range(N_PATIENTS):
        best, best_score = -1, -1.0
        for i in range(len(order)):
            if i in chosen:
                continue
            score = sum(1.0 / (1 + counts[a].get(values[a][i], 0)) for a in SAMPLING)
            if score > best_score + 1e-12:
                best, best_score = i, score
        chosen.append(best)
        for a in SAMPLING:
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


# --- personas ---------------------------------------------------------------------------------

def persona(banks: Banks, group: str, patient: pd.Series | None,
            rng: np.random.Generator) -> dict:
    """Slots fixed for one transcript; they vary with group, sex, condition, RTW and the seed.
    ``patient`` is the interviewed patient's row (None for the other groups)."""
    she = bool(rng.random() < P_VSW_IS_SHE)
    slots = dict(vs="she" if she else "he", Vs="She" if she else "He",
                 vo="her" if she else "him", vp="her" if she else "his",
                 svc=str(rng.choice(banks.services)),
                 mode=str(rng.choice(list(banks.modes), p=list(banks.modes.values()))))
    slots["group"] = group
    slots["weeks_off"] = str(rng.choice(banks.weeks_off))
    if group == "patient":
        job, place = banks.jobs[int(rng.integers(len(banks.jobs)))]
        slots.update(job=job, work=place, mgr=str(rng.choice(banks.managers)),
                     cond=str(rng.choice(banks.condition_words[patient["condition_group"]])),
                     partner=str(rng.choice(banks.partners[patient["sex"]])),
                     condition_group=patient["condition_group"],
                     rtw=bool(patient["returned_to_work"]), age_band=age_band(int(patient["age"])),
                     sex=patient["sex"])
        slots["Mgr"] = slots["mgr"][0].upper() + slots["mgr"][1:]
        slots["Partner"] = slots["partner"][0].upper() + slots["partner"][1:]
    elif group == "employer":
        business, role = banks.businesses[int(rng.integers(len(banks.businesses)))]
        slots.update(business=business, role=role, emp=str(rng.choice(banks.employees)))
    elif group == "vsw":
        slots.update(bg=str(rng.choice(banks.vsw_backgrounds)))
    else:
        slots.update(gp_years=str(rng.choice(banks.gp_years)),
                     area=str(rng.choice(banks.gp_areas)))
    return slots


# --- the second coder -------------------------------------------------------------------------

def _second_coder(banks: Banks, built: Built,
                  rng: np.random.Generator) -> list[tuple[str, int, int]]:
    """coder_2's independent coding: the same passages with realistic disagreement."""
    text = built.text
    out = []
    for code, start, end in built.codings:
        u = rng.random()
        if u < P_MISS:
            continue
        if u < P_MISS + P_SIBLING:
            code = _sibling(banks, code, rng)
        if rng.random() < P_SHIFT:
            line = next((lo, hi) for lo, hi in built.lines if lo <= start and end <= hi)
            start, end = _shift(text, line, start, end, rng)
        out.append((code, start, end))
        if rng.random() < P_EXTRA_CODE:  # coder_2 also applies a second, related code
            out.append((_sibling(banks, code, rng), start, end))
    spare = list(built.spare)
    n_extra = min(len(spare), int(rng.integers(EXTRA_SEGMENTS[0], EXTRA_SEGMENTS[1] + 1)))
    for j in rng.permutation(len(spare))[:n_extra]:
        start, end, near = spare[int(j)]
        out.append((near, start, end))
    return out


def _sibling(banks: Banks, code: str, rng: np.random.Generator) -> str:
    ids = [c.id for c in banks.codes]
    parent = code.rsplit(".", 1)[0] if "." in code else code
    same_level = [c for c in ids if c != code and c.count(".") == code.count(".")
                  and c.rsplit(".", 1)[0] == parent]
    if not same_level:  # an only child: use a code of a sibling subtheme instead
        theme = code.split(".")[0]
        same_level = [c for c in ids if c != code and c.startswith(theme + ".")
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
