"""Hand-made QualData builders shared by the qualitative tests, and naive references
(character sets; no intervals, no sorting) that are independent of the sweep-line code."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from wave_analysis.data.model import QualData

CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Working with the VSW", "theme"),
        ("S1", "T1", "Trust", "subtheme"),
        ("C1", "S1", "Felt listened to", "code"),
        ("C2", "T1", "Practical help", "code"),
        ("T2", None, "Employer contact", "theme"),
        ("C3", "T2", "Phased return", "code"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)


def interviews(rows):
    return pd.DataFrame(rows, columns=["interview_id", "stakeholder_group", "participant_id"]) \
        .assign(practice_id=None, interview_date=pd.Timestamp("2021-06-01"),
                transcript_file=lambda d: d["interview_id"] + ".txt")


def codings(rows):
    frame = pd.DataFrame(rows, columns=["interview_id", "code_id", "start", "end", "coder"])
    return frame.astype({"start": "Int64", "end": "Int64"})


def qual(ivs, cods, texts, codebook=CODEBOOK):
    return QualData(interviews=interviews(ivs), codebook=codebook, codings=codings(cods),
                    transcripts=texts)


def words(n: int) -> str:
    """A transcript of n characters made of 4-letter words and spaces ('abcd efgh ...')."""
    text = " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] * 4 for i in range(n // 5 + 2))
    return text[:n]


# --- naive references (character sets; no intervals, no sorting) -------------------------------


def chars(segments):
    return set(itertools.chain.from_iterable(range(s, e) for s, e in segments))


def naive_tree_theme(code: str) -> str:
    parent = dict(zip(CODEBOOK["code_id"], CODEBOOK["parent_id"], strict=True))
    while parent[code] is not None:
        code = parent[code]
    return code


def random_qual(seed: int, n_interviews: int = 6, n_codings: int = 120) -> QualData:
    rng = np.random.default_rng(seed)
    groups = ["patient", "employer", "vsw", "gp"]
    ivs = [(f"i{k}", groups[k % 4], f"P{k:03d}" if k % 4 == 0 else None)
           for k in range(n_interviews)]
    lengths = rng.integers(150, 400, n_interviews)
    texts = {f"i{k}": words(int(n)) for k, n in enumerate(lengths)}
    rows = []
    for _ in range(n_codings):
        k = int(rng.integers(n_interviews))
        s = int(rng.integers(0, lengths[k] - 1))
        e = int(min(lengths[k], s + rng.integers(1, 60)))
        rows.append((f"i{k}", str(rng.choice(["C1", "C2", "C3", "S1", "T2"])), s, e,
                     str(rng.choice(["coder_1", "coder_2"]))))
    return qual(ivs, rows, texts)


def two_coder_text(length, a_segments, b_segments, code="C1"):
    ivs = [("i1", "patient", "P001")]
    rows = [("i1", code, s, e, "coder_1") for s, e in a_segments] + \
        [("i1", code, s, e, "coder_2") for s, e in b_segments]
    return qual(ivs, rows, {"i1": words(length)})


# --- agreement ---------------------------------------------------------------------------------


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, Departmental Papers (ASC) 43,
# https://repository.upenn.edu/asc_papers/43 -- section A, "Binary or dichotomous data, two
# observers, no missing data": 10 units, published alpha = 0.095.
# (Coincidences o00=10, o01=o10=4, o11=2, n0=14, n1=6: alpha = 1 - 19*4/(14*6) = 0.0952.)
KRIPP_OBS_C = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
KRIPP_OBS_K = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


# a deeper codebook: two codes under one subtheme, a theme and a subtheme nobody uses
NESTED_CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Working with the VSW", "theme"),
        ("S1", "T1", "Trust", "subtheme"),
        ("C1", "S1", "Felt listened to", "code"),
        ("C2", "S1", "Honest", "code"),
        ("C4", "T1", "Practical help", "code"),
        ("T2", None, "Employer contact", "theme"),
        ("T3", None, "Unused theme", "theme"),
        ("S3", "T3", "Unused subtheme", "subtheme"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)


def nested(cods, ivs=None) -> QualData:
    """A QualData on NESTED_CODEBOOK with 200-character transcripts (i1, i2: patients, i3: GP)."""
    ivs = ivs or [("i1", "patient", "P001"), ("i2", "patient", "P002"), ("i3", "gp", None)]
    interviews = pd.DataFrame(ivs, columns=["interview_id", "stakeholder_group",
                                            "participant_id"]).assign(
        practice_id=None, interview_date=pd.Timestamp("2021-06-01"),
        transcript_file=lambda d: d["interview_id"] + ".txt")
    codings = pd.DataFrame(cods, columns=["interview_id", "code_id", "start", "end", "coder"])
    return QualData(interviews, NESTED_CODEBOOK, codings.astype({"start": "Int64", "end": "Int64"}),
                    {i: words(200) for i in interviews["interview_id"]})
