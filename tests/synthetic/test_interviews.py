"""Tests for the synthetic interview corpus (wave_analysis.synthetic.interviews, .transcripts)."""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd
import pytest

from wave_analysis.data import schema
from wave_analysis.design import CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.exceptions import ValidationError
from wave_analysis.synthetic import interviews as sq
from wave_analysis.synthetic.banks import load_banks, template_regex
from wave_analysis.synthetic.transcripts import HEADER, WORDS_MAX, WORDS_MIN

SEEDS = (0, 7, 2022)
PATIENT_GROUP, ARM = "patient", INTERVENTION_ARM
BANKS = load_banks()


def make_people(seed: int = 0, n: int = 40, n_practices: int = 8) -> pd.DataFrame:
    """A hand-built participants frame: half intervention arm, several practices."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "participant_id": [f"SYN-P{i:03d}" for i in range(n)],
        "practice_id": [f"SYN-GP{i % n_practices:02d}" for i in range(n)],
        "arm": [ARM if i % 2 == 0 else CONTROL_ARM for i in range(n)],
        "randomisation_date": pd.Timestamp("2022-06-01")
        + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
        "sex": rng.choice(["female", "male"], n),
        "age": rng.integers(19, 66, n),
        "condition_group": rng.choice(["mental_health", "musculoskeletal", "other"], n),
        "returned_to_work": rng.random(n) < 0.6,
    })


@cache
def corpus(seed: int):
    return sq.make_qualitative(make_people(seed), seed=seed)


def band(age: int) -> str:  # independent of design.age_band on purpose
    return "18-34" if age < 35 else "35-49" if age < 50 else "50+"


# --- tables ---------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_tables_validate_against_schemas(seed):
    q = corpus(seed)
    schema.INTERVIEWS.validate(q.interviews, lazy=True)
    schema.CODEBOOK.validate(q.codebook, lazy=True)
    schema.CODINGS.validate(q.codings, lazy=True)
    assert str(q.interviews["interview_date"].dtype) == "datetime64[ns]"
    assert str(q.codings["start"].dtype) == "Int64" and str(q.codings["end"].dtype) == "Int64"
    assert q.synthetic
    assert set(q.transcripts) == set(q.interviews["interview_id"])
    assert set(q.codings["code_id"]) <= set(q.codebook["code_id"])


def test_interview_mix_and_links():
    people = make_people(0)
    q = corpus(0)
    iv = q.interviews
    assert iv["interview_id"].tolist() == [f"SYN-I{i:02d}" for i in range(1, 16)]
    assert (iv["transcript_file"] == iv["interview_id"] + ".txt").all()
    assert iv["stakeholder_group"].value_counts().to_dict() == {
        "patient": 10, "employer": 2, "vsw": 2, "gp": 1}
    assert iv["interview_date"].is_monotonic_increasing
    pat = iv[iv["stakeholder_group"] == PATIENT_GROUP].merge(
        people, on="participant_id", suffixes=("", "_trial"))
    assert len(pat) == 10 and pat["participant_id"].is_unique
    assert (pat["arm"] == ARM).all()
    assert (pat["practice_id"] == pat["practice_id_trial"]).all()
    others = iv[iv["stakeholder_group"] != PATIENT_GROUP]
    assert others["participant_id"].isna().all()
    employers = others[others["stakeholder_group"] == "employer"]
    assert employers["practice_id"].isin(pat["practice_id"]).all()
    assert employers["practice_id"].is_unique
    assert others.loc[others["stakeholder_group"] == "vsw", "practice_id"].isna().all()
    assert others.loc[others["stakeholder_group"] == "gp", "practice_id"].notna().all()


@pytest.mark.parametrize("seed", SEEDS)
def test_interview_dates(seed):
    people = make_people(seed).set_index("participant_id")
    iv = corpus(seed).interviews
    pat = iv[iv["stakeholder_group"] == PATIENT_GROUP]
    weeks = ((pat["interview_date"].to_numpy()
              - people.loc[pat["participant_id"], "randomisation_date"].to_numpy())
             / np.timedelta64(7, "D"))
    assert (weeks >= 26).all() and (weeks <= 40).all()
    others = iv[iv["stakeholder_group"] != PATIENT_GROUP]["interview_date"]
    assert others.between(pat["interview_date"].min(), pat["interview_date"].max()).all()
    assert (iv["interview_date"].dt.dayofweek < 5).all()  # weekdays


@pytest.mark.parametrize("seed", SEEDS)
def test_purposive_sample_covers_the_pool(seed):
    people = make_people(seed)
    pool = people[people["arm"] == ARM]
    iv = corpus(seed).interviews
    chosen = people.set_index("participant_id").loc[
        iv.loc[iv["stakeholder_group"] == PATIENT_GROUP, "participant_id"]]
    for col in ("sex", "condition_group", "returned_to_work"):
        assert set(chosen[col]) == set(pool[col]), col
    assert set(chosen["age"].map(band)) == set(pool["age"].map(band))
    assert chosen["practice_id"].nunique() >= min(5, pool["practice_id"].nunique())


def test_sample_spreads_over_practices_even_when_one_dominates():
    people = make_people(3, n=60)
    # Most of the intervention arm in one practice: the sample must still reach others.
    people.loc[people.index < 44, "practice_id"] = "SYN-GP00"
    q = sq.make_qualitative(people, seed=3)
    pats = q.interviews[q.interviews["stakeholder_group"] == PATIENT_GROUP]
    pool_practices = people.loc[people["arm"] == ARM, "practice_id"].nunique()
    assert pats["practice_id"].nunique() >= min(5, pool_practices)


def test_codebook_tree_shape():
    cb = sq.codebook()
    schema.CODEBOOK.validate(cb, lazy=True)
    themes = cb[cb["level"] == "theme"]
    assert set(cb["code_id"]) == {sq.code_id(c.id) for c in BANKS.codes}
    assert themes["code_id"].tolist() == [f"T{i}" for i in range(1, 7)]
    assert themes["parent_id"].isna().all()
    ids = set(cb["code_id"])
    for row in cb[cb["level"] != "theme"].itertuples():
        assert row.parent_id in ids
        assert row.code_id.startswith(row.parent_id + sq.CODE_SEP)
        parent_level = cb.set_index("code_id").loc[row.parent_id, "level"]
        assert parent_level == {"subtheme": "theme", "code": "subtheme"}[row.level]
    children = cb.groupby("parent_id")["code_id"].count()
    for theme in themes["code_id"]:
        assert 2 <= children[theme] <= 3, theme
    for sub in cb.loc[cb["level"] == "subtheme", "code_id"]:
        assert 1 <= children.get(sub, 0) <= 3, sub
    assert cb["description"].notna().all() and (cb["description"].str.len() > 10).all()


# --- transcripts ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_transcript_format_and_length(seed):
    for iid, text in corpus(seed).transcripts.items():
        assert text.startswith(HEADER + "\n\n")
        assert "\r" not in text and text.isascii()
        turns = text.rstrip("\n").split("\n\n")[2:]  # header and interview line first
        assert turns[0].startswith("Interviewer: ") and turns[-1].startswith("Respondent: ")
        for a, b in zip(turns, turns[1:], strict=False):
            assert a.split(":")[0] != b.split(":")[0], (iid, a[:40])  # turns alternate
        assert all(t.startswith(("Interviewer: ", "Respondent: ")) for t in turns)
        assert WORDS_MIN <= len(text.split()) <= WORDS_MAX, (iid, len(text.split()))
        assert "{" not in text and "}" not in text  # every slot filled


def test_transcripts_vary_with_the_interviewee():
    q = corpus(0)
    people = make_people(0).set_index("participant_id")
    pat = q.interviews[q.interviews["stakeholder_group"] == PATIENT_GROUP]
    words = {"mental_health": ("anxiety", "depression", "stress", "mental health", "low mood"),
             "musculoskeletal": ("back", "shoulder", "knee", "hip"),
             "other": ("operation", "infection", "heart", "surgery", "diabetes")}
    for row in pat.itertuples():
        group = people.loc[row.participant_id, "condition_group"]
        text = q.transcripts[row.interview_id].lower()
        assert any(w in text for w in words[group]), (row.interview_id, group)
        back = bool(people.loc[row.participant_id, "returned_to_work"])
        said_back = any(m in text for m in BACK_MARKERS)
        said_off = any(m in text for m in OFF_MARKERS)
        assert (said_back, said_off) == (back, not back), row.interview_id


# Phrases of the "where are things with work now" answer, by return-to-work status.
BACK_MARKERS = ("i've been back for a few months", "weeks off in the end",
                "still days when it's hard", "back on my normal hours now")
OFF_MARKERS = ("still off at the moment", "couple of false starts", "fit note runs out",
               "hoping to go back soon")


def test_no_respondent_paragraph_repeated_verbatim():
    turns = []
    for seed in (0,):
        for text in corpus(seed).transcripts.values():
            turns += [t for t in text.split("\n\n") if t.startswith("Respondent: ")
                      and len(t) >= 200]
    counts = pd.Series(turns).value_counts()
    repeated = int((counts[counts > 1] - 1).sum())
    assert repeated <= 0.02 * len(turns), counts.head()


def test_no_names_only_roles():
    # Capitalised words inside sentences must come from a small vocabulary of roles and terms.
    allowed = {"I", "I'm", "I'd", "I've", "I'll", "GP", "GPs", "GP's", "VSW's", "VSW", "VSWs",
               "NHS", "HR",
               "SYNTHETIC", "TRANSCRIPT", "Interview", "Stakeholder", "Conducted",
               "Identifying", "Citizens", "Advice", "B", "Monday", "Tuesday", "Wednesday",
               "Thursday", "Friday", "Interviewer", "Respondent", "Mm-hm", "Mm", "WAVE"}
    for text in corpus(0).transcripts.values():
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][A-Za-z'-]*)", text):
            assert m.group(1) in allowed or m.group(1).startswith("SYN-"), m.group(1)


# --- codings --------------------------------------------------------------------------------

@cache
def _phrase_regex(table_id: str) -> re.Pattern:
    """Any sentence the code's phrase bank (or a bridge sentence involving it, or for a subtheme
    any child's bank) can produce, repeated with single spaces."""
    leaves = [c for c in BANKS.passages if sq.code_id(c) == table_id
              or sq.code_id(c).startswith(table_id + sq.CODE_SEP)]
    assert leaves, table_id
    templates = [t for c in leaves for bank in BANKS.passages[c].values() for t in bank]
    templates += [b.text for b in BANKS.bridges if b.first in leaves or b.second in leaves]
    one = "(?:" + "|".join(template_regex(t) for t in templates) + ")"
    return re.compile(f"{one}(?: {one})*")


@pytest.mark.parametrize("seed", SEEDS)
def test_coder_1_spans_are_the_phrases_of_their_code(seed):
    q = corpus(seed)
    c1 = q.codings[q.codings["coder"] == "coder_1"]
    assert set(c1["interview_id"]) == set(q.interviews["interview_id"])
    for row in c1.itertuples():
        text = q.transcripts[row.interview_id]
        assert 0 <= row.start < row.end <= len(text)
        seg = text[row.start:row.end]
        line_start = text.rfind("\n", 0, row.start) + 1
        assert text.startswith("Respondent: ", line_start), (row.interview_id, seg[:40])
        assert "\n" not in seg
        assert text[row.start - 1] == " " and seg[0].isupper()  # starts a sentence
        assert seg[-1] in ".?!"  # ends a sentence, never mid-word
        assert _phrase_regex(row.code_id).fullmatch(seg), (row.code_id, seg)


def test_a_coded_passage_fails_the_phrase_check_for_an_unrelated_code():
    q = corpus(0)
    row = q.codings[(q.codings["coder"] == "coder_1")
                    & (q.codings["code_id"] == sq.code_id("T6.1.1"))].iloc[0]
    seg = q.transcripts[row["interview_id"]][row["start"]:row["end"]]
    assert not _phrase_regex(sq.code_id("T5.2.1")).fullmatch(seg)


@pytest.mark.parametrize("seed", SEEDS)
def test_mostly_leaf_codes_some_subthemes_and_overlaps(seed):
    q = corpus(seed)
    c1 = q.codings[q.codings["coder"] == "coder_1"]
    level = c1["code_id"].map(q.codebook.set_index("code_id")["level"])
    assert (level == "code").mean() > 0.85
    assert (level == "subtheme").sum() >= 5
    assert (level != "theme").all()
    overlaps = 0
    for _, d in c1.groupby("interview_id"):
        s, e, c = d["start"].to_numpy(int), d["end"].to_numpy(int), d["code_id"].to_numpy()
        hit = (s[:, None] < e[None, :]) & (s[None, :] < e[:, None]) & (c[:, None] != c[None, :])
        overlaps += int(np.triu(hit, 1).sum())
    assert overlaps >= 10


def _theme_interviews(q, theme: str, group: str) -> tuple[int, int]:
    c1 = q.codings[q.codings["coder"] == "coder_1"]
    ids = q.interviews.loc[q.interviews["stakeholder_group"] == group, "interview_id"]
    with_theme = set(c1.loc[c1["code_id"].str.split(sq.CODE_SEP).str[0] == theme, "interview_id"])
    return len(set(ids) & with_theme), len(ids)


@pytest.mark.parametrize("seed", SEEDS)
def test_themes_are_distributed_plausibly(seed):
    q = corpus(seed)
    has = {(t, g): _theme_interviews(q, t, g) for t in ("T2", "T4", "T5")
           for g in ("patient", "vsw", "employer", "gp")}
    assert has["T4", "patient"][0] >= 7 and has["T4", "vsw"][0] == 2
    assert has["T5", "employer"][0] == 2 and has["T5", "patient"][0] <= 6
    assert sum(n for (t, _), (n, _) in has.items() if t == "T2") >= 12  # obstacles frequent


def _patient_subthemes(q, people: pd.DataFrame) -> pd.DataFrame:
    """One row per interviewed patient: their persona and, per subtheme, whether coder_1 coded
    it anywhere in their transcript (computed here, not by the qualitative module)."""
    c1 = q.codings[q.codings["coder"] == "coder_1"]
    sub = c1["code_id"].str.split(sq.CODE_SEP).str[:2].str.join(sq.CODE_SEP)
    has = pd.crosstab(c1["interview_id"], sub) > 0
    subthemes = q.codebook.loc[q.codebook["level"] == "subtheme", "code_id"]
    pat = q.interviews[q.interviews["stakeholder_group"] == PATIENT_GROUP]
    has = has.reindex(index=pat["interview_id"], columns=subthemes, fill_value=False)
    persona = people.set_index("participant_id").loc[
        pat["participant_id"], ["returned_to_work", "condition_group"]]
    return pd.concat([persona.set_index(has.index), has], axis=1)


@pytest.mark.parametrize("seed", SEEDS)
def test_patient_subtheme_presence_varies(seed):
    # Not every patient raises every subtheme: a heatmap of share of interviewees must not be
    # flat. Most subthemes sit between a fifth and nine tenths of patients, few at 1.0.
    table = _patient_subthemes(corpus(seed), make_people(seed))
    has = table.drop(columns=["returned_to_work", "condition_group"])
    share = has.mean()
    assert share.between(0.2, 0.9).sum() >= 5, share.round(2).to_dict()
    assert (share == 1.0).sum() <= 4, share.round(2).to_dict()
    theme = has.T.groupby(has.columns.str.split(sq.CODE_SEP).str[0]).any().T.mean()
    assert theme.drop("T5").min() >= 0.5, theme.to_dict()  # yet main themes are widely raised
    assert has.sum(axis=1).nunique() > 1


@cache
def _pooled_patients() -> pd.DataFrame:
    return pd.concat([_patient_subthemes(corpus(s), make_people(s))
                      for s in (*SEEDS, 1, 2, 3, 4, 5)], ignore_index=True)


def test_presence_depends_on_the_persona():
    t = _pooled_patients()  # 80 patients over eight seeds
    sub = {name: sq.code_id(name) for name in ("T2.3", "T3.2", "T1.1")}
    off, back = t[~t["returned_to_work"]], t[t["returned_to_work"]]
    assert min(len(off), len(back)) >= 20
    # Still off work: more obstacles nobody could remove, less owning the return.
    assert off[sub["T2.3"]].mean() >= back[sub["T2.3"]].mean() + 0.2
    assert back[sub["T3.2"]].mean() >= off[sub["T3.2"]].mean() + 0.2
    # Mental health: more talk about feelings about the condition.
    mh = t["condition_group"] == "mental_health"
    assert t.loc[mh, sub["T1.1"]].mean() >= t.loc[~mh, sub["T1.1"]].mean() + 0.1


def test_musculoskeletal_patients_talk_more_about_adjustments():
    q_codes, msk_flags = [], []
    for s in (*SEEDS, 1, 2, 3, 4, 5):
        q, people = corpus(s), make_people(s).set_index("participant_id")
        c1 = q.codings[q.codings["coder"] == "coder_1"]
        for row in q.interviews[q.interviews["stakeholder_group"] == PATIENT_GROUP].itertuples():
            codes = set(c1.loc[c1["interview_id"] == row.interview_id, "code_id"])
            q_codes.append(sq.code_id("T2.2.1") in codes)
            msk_flags.append(people.loc[row.participant_id, "condition_group"]
                             == "musculoskeletal")
    said, msk = np.array(q_codes), np.array(msk_flags)
    assert said[msk].mean() >= said[~msk].mean() + 0.2


@pytest.mark.parametrize("seed", SEEDS)
def test_transcripts_hold_plenty_of_uncoded_talk(seed):
    # Length comes from background and story turns, not from codes the person never raised:
    # a good share of every respondent's words is outside coder_1's segments.
    q = corpus(seed)
    c1 = q.codings[q.codings["coder"] == "coder_1"]
    for iid, text in q.transcripts.items():
        coded = np.zeros(len(text), bool)
        for row in c1[c1["interview_id"] == iid].itertuples():
            coded[row.start:row.end] = True
        said = np.zeros(len(text), bool)
        for m in re.finditer(r"^Respondent: (.*)$", text, flags=re.M):
            said[m.start(1):m.end(1)] = True
        assert 0.2 <= (said & ~coded).sum() / said.sum() <= 0.8, iid


# --- the second coder and agreement ---------------------------------------------------------

def kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two boolean vectors (local helper, on purpose)."""
    po = np.mean(a == b)
    pa, pb = a.mean(), b.mean()
    pe = pa * pb + (1 - pa) * (1 - pb)
    return float((po - pe) / (1 - pe)) if pe < 1 else float("nan")


def char_kappas(q) -> pd.Series:
    c = q.codings
    ids = sorted(c.loc[c["coder"] == "coder_2", "interview_id"].unique())
    out = {}
    for code in sorted(c["code_id"].unique()):
        vec = {"coder_1": [], "coder_2": []}
        for iid in ids:
            for coder, parts in vec.items():
                v = np.zeros(len(q.transcripts[iid]), bool)
                sel = c[(c["interview_id"] == iid) & (c["coder"] == coder) & (c["code_id"] == code)]
                for s, e in zip(sel["start"], sel["end"], strict=True):
                    v[s:e] = True
                parts.append(v)
        a, b = np.concatenate(vec["coder_1"]), np.concatenate(vec["coder_2"])
        if a.any() or b.any():
            out[code] = kappa(a, b)
    return pd.Series(out)


def test_kappa_helper_known_answers():
    a = np.array([1, 1, 0, 0], bool)
    assert kappa(a, a) == 1.0
    assert kappa(a, ~a) == -1.0
    # po = 0.75, pe = 0.5 -> 0.5 (hand computation)
    assert kappa(a, np.array([1, 1, 1, 0], bool)) == pytest.approx(0.5)


@pytest.mark.parametrize("seed", SEEDS)
def test_second_coder_codes_five_mixed_transcripts(seed):
    q = corpus(seed)
    ids = q.codings.loc[q.codings["coder"] == "coder_2", "interview_id"].unique()
    groups = q.interviews.set_index("interview_id").loc[ids, "stakeholder_group"]
    assert groups.value_counts().to_dict() == {"patient": 2, "employer": 1, "vsw": 1, "gp": 1}
    for row in q.codings[q.codings["coder"] == "coder_2"].itertuples():
        text = q.transcripts[row.interview_id]
        assert 0 <= row.start < row.end <= len(text)
        assert "\n" not in text[row.start:row.end]


@pytest.mark.parametrize("seed", SEEDS)
def test_agreement_is_realistic(seed):
    q = corpus(seed)
    k = char_kappas(q)
    assert 0.6 <= k.median() <= 0.85, k.describe()
    assert 0.6 <= k.mean() <= 0.8, k.describe()
    assert k.min() < 0.5  # some codes disagree badly (a sibling code, a missed segment)
    c = q.codings
    ids = c.loc[c["coder"] == "coder_2", "interview_id"].unique()
    key = ["interview_id", "code_id", "start", "end"]
    one = c[(c["coder"] == "coder_1") & c["interview_id"].isin(ids)][key]
    two = c[c["coder"] == "coder_2"][key]
    same = one.merge(two, on=key)
    assert 0.1 * len(one) < len(same) < 0.6 * len(one)  # boundaries often shift, not always
    assert _unmatched(one, two) >= 3  # coder_1 segments that coder_2 missed or recoded
    assert _unmatched(two, one) >= 3  # coder_2's extra segments and other codes


def _unmatched(a: pd.DataFrame, b: pd.DataFrame) -> int:
    """Segments of a with no overlapping segment of the same code in b."""
    pairs = a.reset_index().merge(b, on=["interview_id", "code_id"], how="left",
                                  suffixes=("", "_b"))
    pairs["hit"] = (pairs["start"] < pairs["end_b"]) & (pairs["start_b"] < pairs["end"])
    return int((~pairs.groupby("index")["hit"].any()).sum())


# --- determinism and input checks -------------------------------------------------------------

def test_a_different_seed_gives_a_different_corpus():
    # Same seed, same corpus is checked across two processes in test_synthetic_trial.py.
    people = make_people(0)
    a, c = sq.make_qualitative(people, seed=11), sq.make_qualitative(people, seed=12)
    assert dict(a.transcripts) != dict(c.transcripts)
    assert not a.codings.equals(c.codings)


def test_a_seed_sequence_is_accepted_as_the_seed():
    people = make_people(0)
    child = np.random.SeedSequence(0).spawn(2)[1]
    q = sq.make_qualitative(people, seed=child)
    assert dict(q.transcripts) != dict(corpus(0).transcripts)
    assert set(q.interviews["stakeholder_group"]) == {"patient", "employer", "vsw", "gp"}


def test_input_is_not_modified():
    people = make_people(1)
    before = people.copy()
    sq.make_qualitative(people, seed=1)
    pd.testing.assert_frame_equal(people, before)


def test_extra_columns_are_ignored():
    people = make_people(0).assign(days_absent=5, stratum="x")
    q = sq.make_qualitative(people, seed=0)
    assert dict(q.transcripts) == dict(corpus(0).transcripts)


def test_missing_column_is_named():
    with pytest.raises(ValidationError, match="'returned_to_work'.*missing column"):
        sq.make_qualitative(make_people(0).drop(columns="returned_to_work"), seed=0)


def test_too_few_intervention_participants():
    people = make_people(0, n=14)  # 7 in the intervention arm
    with pytest.raises(ValidationError, match=r"only 7 participants in the 'vocational_support'"):
        sq.make_qualitative(people, seed=0)


def test_bad_values_are_reported_with_row():
    people = make_people(0)
    people.loc[3, "sex"] = "F"
    people.loc[5, "condition_group"] = None
    with pytest.raises(ValidationError) as err:
        sq.make_qualitative(people, seed=0)
    text = str(err.value)
    assert "column 'sex': 'F' must be one of female, male" in text
    assert ":6: column 'condition_group'" in text and "empty value" in text


def test_written_text_keeps_offsets(tmp_path):
    # Transcripts are written as UTF-8 without newline translation (as io.write_tables does);
    # offsets count code points, so the coded text must read back identically.
    q = corpus(0)
    back = {}
    for iid, text in q.transcripts.items():
        (tmp_path / f"{iid}.txt").write_text(text, encoding="utf-8", newline="")
        back[iid] = (tmp_path / f"{iid}.txt").read_bytes().decode("utf-8")
    assert back == dict(q.transcripts)
    for row in q.codings.itertuples():
        assert back[row.interview_id][row.start:row.end] \
            == q.transcripts[row.interview_id][row.start:row.end]
