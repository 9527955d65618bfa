"""Tests of wave_analysis.integration: joins of interviewees to trial outcomes, joint display,
themes against outcomes, representativeness and privacy of the outputs.

The trial side is the seeded synthetic cohort built in memory (``synthetic.make_trial()``); the
qualitative side is hand-made here so every count can be checked by hand. Expected outcome values
come from ``trial.outcomes`` (tested in test_outcomes.py) or from plain pandas in the test,
never from the integration code itself.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from wave_analysis import integration as ig
from wave_analysis.config import REPO_ROOT, SYNTHETIC_DIR
from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ParameterError, WaveError
from wave_analysis.trial import outcomes

CODEBOOK = pd.DataFrame(
    [
        ("T1", None, "Self-efficacy", "theme"),
        ("T1.1", "T1", "Growing confidence", "code"),
        ("T2", None, "Obstacles", "theme"),
        ("T2.1", "T2", "Workplace adjustments", "code"),
        ("T3", None, "Nobody mentions this", "theme"),
    ],
    columns=["code_id", "parent_id", "name", "level"],
).assign(description=None)

SHORT = "I felt able to talk to my manager myself."  # 41 characters
LONG = "x" * 350  # longer than the exemplar limit


@pytest.fixture(scope="module")
def trial():
    from wave_analysis.synthetic import trial as synthetic

    return synthetic.make_trial()


@pytest.fixture(scope="module")
def vs_ids(trial):
    p = trial.participants
    return p.loc[p["arm"] == "vocational_support", "participant_id"].tolist()


def make_qual(rows, codings, *, texts=None, codebook=CODEBOOK) -> QualData:
    """rows: (interview_id, group, participant_id); codings: (interview_id, code_id, start, end,
    coder). Every transcript is SHORT + ' ' + LONG unless texts says otherwise."""
    ivs = pd.DataFrame(rows, columns=["interview_id", "stakeholder_group", "participant_id"])
    ivs = ivs.assign(practice_id=None, interview_date=pd.Timestamp("2023-03-01"),
                     transcript_file=ivs["interview_id"] + ".txt")
    cod = pd.DataFrame(codings, columns=["interview_id", "code_id", "start", "end", "coder"])
    cod = cod.astype({"start": "Int64", "end": "Int64"})
    texts = texts or {r[0]: SHORT + " " + LONG for r in rows}
    return QualData(interviews=ivs, codebook=codebook, codings=cod, transcripts=texts)


@pytest.fixture(scope="module")
def qual(vs_ids):
    rows = [
        ("I01", "patient", vs_ids[0]),
        ("I02", "patient", vs_ids[1]),
        ("I03", "patient", vs_ids[0]),  # the same patient interviewed twice
        ("I04", "patient", "SYN-9999"),  # interviewee with no trial record
        ("I05", "employer", None),
        ("I06", "patient", vs_ids[2]),  # interviewed, never coded
    ]
    n = len(SHORT)
    codings = [
        ("I01", "T1.1", 0, n, "coder_1"),
        ("I01", "T2.1", 0, 10, "coder_1"),
        ("I02", "T2.1", 0, 20, "coder_1"),
        ("I02", "T2", 5, 30, "coder_1"),
        ("I03", "T2.1", 2, 12, "coder_1"),
        ("I04", "T1", 0, 15, "coder_1"),
        ("I05", "T1.1", 0, n + 1 + len(LONG), "coder_1"),  # too long to be an exemplar
        ("I01", "T2.1", 0, 5, "coder_2"),
    ]
    return make_qual(rows, codings)


@pytest.fixture(scope="module")
def cases(trial, qual):
    return ig.case_matrix(trial, qual)


def speaker_of(qual, participant_id):
    labels = ig.qualitative.speaker_labels(qual.interviews).to_numpy()
    return labels[(qual.interviews["participant_id"] == participant_id).to_numpy()][0]


def row_of(cases, speaker):
    return cases.table.set_index("speaker").loc[speaker]


# --- small helpers ----------------------------------------------------------------------------

def test_age_band_edges():
    assert [ig.age_band(a) for a in (18, 34, 35, 49, 50, 90)] == \
        ["18-34", "18-34", "35-49", "35-49", "50+", "50+"]
    assert ig.age_band(np.nan) is None
    with pytest.raises(WaveError, match="below 18"):
        ig.age_band(16)


def test_practice_labels_sorted_letters():
    labels = ig.practice_labels(["P3", "P1", "P2", "P1", None])
    assert labels == {"P1": "Practice A", "P2": "Practice B", "P3": "Practice C"}
    many = ig.practice_labels([f"P{i:02d}" for i in range(28)])
    assert many["P25"] == "Practice Z" and many["P26"] == "Practice AA"


# --- case matrix joins ----------------------------------------------------------------------

def test_case_matrix_one_row_per_patient(cases):
    # I01 and I03 are one patient; I04, I06 and I02 the others; the employer is not a case
    assert len(cases.table) == 4
    assert cases.table["speaker"].tolist() == sorted(cases.table["speaker"])
    assert all(s.startswith("Patient ") for s in cases.table["speaker"])


def test_case_matrix_joins_outcomes(trial, vs_ids, qual, cases):
    speaker = speaker_of(qual, vs_ids[1])
    row = row_of(cases, speaker)
    days = outcomes.days_absent(trial).set_index("participant_id")["days_absent"]
    rt = outcomes.return_times(trial, definition="first").set_index("participant_id")
    expected_days = days[vs_ids[1]]
    assert (np.isnan(row["days_absent"]) and np.isnan(expected_days)) or \
        row["days_absent"] == expected_days
    assert row["rtw_days"] == rt.loc[vs_ids[1], "duration"]
    assert bool(row["rtw_event"]) == bool(rt.loc[vs_ids[1], "event"])
    contacts = int((trial.vsw_contacts["participant_id"] == vs_ids[1]).sum())
    assert row["vsw_contacts"] == contacts
    person = trial.participants.set_index("participant_id").loc[vs_ids[1]]
    assert row["sex"] == person["sex"] and row["condition_group"] == person["condition_group"]
    assert row["age_band"] == ig.age_band(person["age"])
    assert row["arm"] == "vocational_support" and row["in_trial"]


def test_patient_interviewed_twice_sums_segments(qual, vs_ids, cases):
    labels = ig.qualitative.speaker_labels(qual.interviews).to_numpy()
    speaker = set(labels[(qual.interviews["participant_id"] == vs_ids[0]).to_numpy()])
    assert len(speaker) == 1
    row = row_of(cases, speaker.pop())
    # coder_1: I01 has one T1 segment and one T2 segment, I03 one T2 segment
    assert row["segments_T1"] == 1 and row["segments_T2"] == 2
    assert row["present_T1"] and row["present_T2"] and not row["present_T3"]


def test_interviewee_without_trial_record_keeps_row_with_note(qual, cases):
    speaker = speaker_of(qual, "SYN-9999")
    row = row_of(cases, speaker)
    assert not row["in_trial"]
    assert np.isnan(row["days_absent"]) and pd.isna(row["arm"]) and pd.isna(row["practice"])
    assert row["segments_T1"] == 1  # themes are still there
    assert any(speaker in n and "not found in the trial" in n for n in cases.notes)


def test_uncoded_patient_and_silent_theme(qual, vs_ids, cases):
    speaker = speaker_of(qual, vs_ids[2])
    row = row_of(cases, speaker)
    assert row["segments_T1"] == row["segments_T2"] == 0
    assert any("not coded by coder_1" in n and speaker in n for n in cases.notes)
    assert not cases.table["present_T3"].any() and (cases.table["segments_T3"] == 0).all()
    assert any("theme T3" in n for n in cases.notes)


def test_patient_without_participant_id_is_noted(trial):
    q = make_qual([("I1", "patient", None)], [("I1", "T1", 0, 5, "coder_1")])
    cm = ig.case_matrix(trial, q)
    assert len(cm.table) == 1 and not cm.table["in_trial"].iloc[0]
    assert any("without a trial participant id" in n for n in cm.notes)


def test_other_coder_counts_only_their_segments(trial, qual):
    cm = ig.case_matrix(trial, qual, coder="coder_2")
    assert cm.table["segments_T2"].sum() == 1 and cm.table["segments_T1"].sum() == 0
    with pytest.raises(WaveError, match="coder must be one of coder_1, coder_2"):
        ig.case_matrix(trial, qual, coder="coder_9")


def test_case_matrix_at_code_level(trial, qual, vs_ids):
    cm = ig.case_matrix(trial, qual, level="code")
    assert cm.level == "code"
    assert cm.themes["theme_id"].tolist() == CODEBOOK["code_id"].tolist()
    row = row_of(cm, speaker_of(qual, vs_ids[1]))
    # I02: one T2.1 segment and one segment coded directly at T2
    assert row["segments_T2_1"] == 1 and row["segments_T2"] == 1
    with pytest.raises(WaveError, match="level must be one of"):
        ig.case_matrix(trial, qual, level="topic")


def test_presence_and_segments_views(cases):
    pres = cases.presence()
    assert list(pres.columns) == ["Self-efficacy", "Obstacles", "Nobody mentions this"]
    assert pres.to_numpy().dtype == bool
    assert (cases.segments().to_numpy() > 0).tolist() == pres.to_numpy().tolist()


# --- quantitative findings ------------------------------------------------------------------

def test_rtwse_change_matches_plain_pandas(trial):
    f = ig.quantitative_findings(trial).set_index("finding")
    q = trial.questionnaires
    m = (q.loc[q["timepoint"] == "6m", ["participant_id", "rtwse"]]
         .merge(trial.participants[["participant_id", "arm", "rtwse"]], on="participant_id",
                suffixes=("_6m", "_0")).dropna(subset=["rtwse_6m", "rtwse_0"]))
    change = (m["rtwse_6m"] - m["rtwse_0"]).groupby(m["arm"]).mean()
    assert f.loc["rtwse_change", "value_vocational_support"] == \
        pytest.approx(change["vocational_support"])
    assert f.loc["rtwse_change", "value_usual_care"] == pytest.approx(change["usual_care"])
    assert f.loc["rtwse_change", "difference"] == \
        pytest.approx(change["vocational_support"] - change["usual_care"])
    assert set(f.index) == set(ig.FINDINGS)


def test_vsw_contacts_finding(trial):
    f = ig.quantitative_findings(trial).set_index("finding").loc["vsw_contacts"]
    per = trial.vsw_contacts.groupby("participant_id").size()
    assert f["value_vocational_support"] == pytest.approx(per.mean())
    assert f["n_vocational_support"] == per.size
    assert f"range {per.min()}-{per.max()}" in f["summary"]


# --- inferences file --------------------------------------------------------------------------

def write(tmp_path, text):
    path = tmp_path / "inferences.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_inferences_valid(tmp_path):
    path = write(tmp_path, "T1:\n  inference: confirms\n  note: fits\n  finding: rtwse_change\n"
                           "T2: expands\n")
    got = ig.read_inferences(path, theme_ids=["T1", "T2", "T3"])
    assert got["T1"] == {"inference": "confirms", "note": "fits", "finding": "rtwse_change"}
    assert got["T2"]["inference"] == "expands" and got["T2"]["finding"] is None
    assert ig.read_inferences("") == {}


@pytest.mark.parametrize(("text", "match"), [
    ("T9:\n  inference: confirms\n", r"inferences\.yaml: theme 'T9' is not a theme"),
    ("T1:\n  inference: agrees\n", r"inferences\.yaml: theme 'T1': inference must be one of "
                                   r"confirms, expands, diverges; got 'agrees'"),
    ("T1:\n  inference: confirms\n  finding: mood\n", r"theme 'T1': finding must be one of"),
    ("T1:\n  inference: confirms\n  colour: red\n", r"theme 'T1' has unknown field\(s\) colour"),
    ("- T1\n", r"inferences\.yaml: must be a mapping"),
    ("T1: [confirms\n", r"inferences\.yaml: not valid YAML"),
])
def test_read_inferences_errors_name_file_and_key(tmp_path, text, match):
    with pytest.raises(ParameterError, match=match):
        ig.read_inferences(write(tmp_path, text), theme_ids=["T1", "T2", "T3"])


def test_read_inferences_missing_file(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        ig.read_inferences(tmp_path / "nope.yaml")


def test_bundled_inferences_file_is_valid():
    got = ig.read_inferences(REPO_ROOT / "data" / "joint_display_inferences.yaml",
                             theme_ids=[f"T{i}" for i in range(1, 7)])
    assert set(got) <= {f"T{i}" for i in range(1, 7)}
    assert {v["inference"] for v in got.values()} <= set(ig.INFERENCES)


# --- joint display ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def joint(trial, qual, cases):
    inf = {"T1": {"inference": "confirms", "note": "fits", "finding": "rtwse_change"}}
    return ig.joint_display(trial, qual, inferences=inf, cases=cases)


def test_joint_display_counts_by_group(joint):
    t = joint.table.set_index("theme_id")
    # patients: keys vs0 (I01+I03), vs1, SYN-9999, vs2 -> 4 interviewees
    assert (t["patient_of"] == 4).all()
    assert t.loc["T1", "patient_n"] == 2  # vs0 (I01) and SYN-9999 (I04)
    assert t.loc["T2", "patient_n"] == 2  # vs0, vs1
    assert t.loc["T3", "patient_n"] == 0
    assert t.loc["T1", "employer_n"] == 1 and t.loc["T1", "employer_of"] == 1
    assert t.loc["T1", "patient_share"] == pytest.approx(0.5)


def test_joint_display_missing_groups_and_silent_theme(joint):
    t = joint.table.set_index("theme_id")
    for g in ("vsw", "gp"):
        assert (t[f"{g}_n"] == 0).all() and (t[f"{g}_of"] == 0).all()
        assert t[f"{g}_share"].isna().all()
    assert any("no VSW interviews" in n for n in joint.notes)
    assert any("theme T3" in n for n in joint.notes)
    assert t.loc["T3", "exemplar_quote"] == ""
    assert "no coded segment" in joint.display_frame().set_index("Theme").loc[
        "Nobody mentions this", "Exemplar quote"]


def test_exemplar_is_longest_patient_segment_under_limit(joint, qual, vs_ids):
    t = joint.table.set_index("theme_id")
    # T1: the employer's segment is longer but over 300 characters; patients come first anyway;
    # among patient T1 segments (41 chars in I01, 15 in I04) the longest wins
    assert t.loc["T1", "exemplar_quote"] == SHORT
    assert t.loc["T1", "exemplar_speaker"] == speaker_of(qual, vs_ids[0])
    # T2: segments [0,20), [5,30), [0,10), [2,12) -> the 25-character one
    assert t.loc["T2", "exemplar_quote"] == SHORT[5:30]


def test_exemplar_falls_back_to_shortest_cut(trial):
    text = ("word " * 100).strip()
    q = make_qual([("I1", "vsw", None)], [("I1", "T1", 0, 400, "coder_1"),
                                          ("I1", "T1", 0, 350, "coder_1")],
                  texts={"I1": text})
    jd = ig.joint_display(trial, q)
    quote = jd.table.set_index("theme_id").loc["T1", "exemplar_quote"]
    assert quote.endswith(" …") and len(quote) <= ig.QUOTE_MAX + 2
    assert text.startswith(quote[:-2])


def test_joint_display_inference_and_finding(joint, trial):
    t = joint.table.set_index("theme_id")
    assert t.loc["T1", "meta_inference"] == "confirms" and t.loc["T1", "inference_note"] == "fits"
    assert t.loc["T2", "meta_inference"] == ig.NOT_ASSESSED
    summary = ig.quantitative_findings(trial).set_index("finding").loc["rtwse_change", "summary"]
    assert summary in t.loc["T1", "quantitative_finding"]
    assert t.loc["T2", "quantitative_finding"] == "not linked"


def test_joint_display_rejects_unknown_theme(trial, qual):
    with pytest.raises(ParameterError, match="T9"):
        ig.joint_display(trial, qual, inferences={"T9": {"inference": "confirms"}})


def test_save_joint_display(tmp_path, joint):
    paths = ig.save_joint_display(joint, "jd", folder=tmp_path)
    assert sorted(p.name for p in paths) == ["jd.csv", "jd.html", "jd.md"]
    assert (tmp_path / "jd.md").read_text(encoding="utf-8") == joint.to_markdown()
    back = pd.read_csv(tmp_path / "jd.csv")
    assert back["theme_id"].tolist() == joint.table["theme_id"].tolist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jd.csv", "jd.html", "jd.md"]


def test_joint_display_exports(joint):
    md = joint.to_markdown()
    assert md.count("\n") == len(joint.table) + 2
    assert "| Self-efficacy |" in md
    html = joint.to_html()
    assert html.count("<tr") == len(joint.table) + 1


# --- themes against outcomes ---------------------------------------------------------------

def test_theme_outcomes_counts_and_ranges(cases):
    res = ig.theme_outcomes(cases)
    in_trial = cases.table[cases.table["in_trial"]]
    for theme in ("T1", "T2", "T3"):
        for flag, label in ((True, "with theme"), (False, "without theme")):
            sub = in_trial[in_trial[f"present_{theme}"] == flag]
            row = res.table.set_index(["theme_id", "group"]).loc[(theme, label)]
            assert row["n"] == len(sub)
            days = sub["days_absent"].dropna()
            if len(days):
                assert row["days_absent_min"] == days.min()
                assert row["days_absent_max"] == days.max()
            assert row["returned"] == int(sub["rtw_event"].fillna(False).sum())
    assert not any("p_value" in c or "test" in c for c in res.table.columns)
    assert "No statistical test" in res.note
    fig = ig.plot_theme_outcomes(res)
    assert isinstance(fig, Figure) and len(fig.axes) == 2


def test_theme_outcomes_contrasting_only(cases):
    res = ig.theme_outcomes(cases, contrasting=True)
    in_trial = cases.table[cases.table["in_trial"]]
    expected = [t for t in ("T1", "T2", "T3") if in_trial[f"present_{t}"].nunique() == 2]
    assert list(dict.fromkeys(res.table["theme_id"])) == expected


# --- representativeness -----------------------------------------------------------------------

def test_representativeness_groups(trial, qual, vs_ids):
    rep = ig.representativeness(trial, qual)
    t = rep.table
    sex = t[t["characteristic"] == "Sex"].groupby("comparison")["denominator"].first()
    n_vs = len(vs_ids)
    assert sex["interviewed"] == 3  # vs0, vs1, vs2; SYN-9999 is not in the trial
    assert sex["other_intervention"] == n_vs - 3
    assert sex["usual_care"] == int((trial.participants["arm"] == "usual_care").sum())
    assert any("not in the trial" in n for n in rep.notes)
    interviewed = trial.participants.set_index("participant_id").loc[vs_ids[:3]]
    female = t[(t["characteristic"] == "Sex") & (t["level"] == "female")
               & (t["comparison"] == "interviewed")]
    assert female["n"].iloc[0] == int((interviewed["sex"] == "female").sum())
    age = t[(t["characteristic"] == "Age (years)") & (t["comparison"] == "interviewed")]
    assert age["mean"].iloc[0] == pytest.approx(interviewed["age"].astype(float).mean())
    wide = rep.wide()
    assert list(wide.columns[2:]) == list(ig.COMPARISON_GROUPS.values())
    assert isinstance(ig.plot_representativeness(rep), Figure)


def test_participant_without_interview_moves_to_rest_of_arm(trial, vs_ids):
    q = make_qual([("I1", "patient", vs_ids[0])], [("I1", "T1", 0, 5, "coder_1")])
    sex = ig.representativeness(trial, q).table.query("characteristic == 'Sex'") \
        .groupby("comparison")["denominator"].first()
    assert sex["interviewed"] == 1 and sex["other_intervention"] == len(vs_ids) - 1


# --- qdpx input ---------------------------------------------------------------------------------

def test_same_case_matrix_from_qdpx(tmp_path, trial, qual, cases):
    from wave_analysis.data import qdpx

    path = qdpx.write_qdpx(qual, tmp_path / "project.qdpx")
    again = qdpx.read_qdpx(path).to_qualdata()
    cm = ig.case_matrix(trial, again)
    pd.testing.assert_frame_equal(cm.table, cases.table)


# --- privacy and determinism ------------------------------------------------------------------

def shared_outputs(trial, qual, cases, joint):
    rep = ig.representativeness(trial, qual)
    res = ig.theme_outcomes(cases)
    return {"case_matrix": cases.table, "joint": joint.table,
            "joint_display": joint.display_frame(),
            "joint_md": joint.to_markdown(), "joint_html": joint.to_html(),
            "theme_outcomes": res.table, "theme_points": res.points, "rep": rep.table,
            "rep_wide": rep.wide(), "findings": ig.quantitative_findings(trial),
            "styled": ig.style_case_matrix(cases).to_html()}


def test_outputs_carry_no_identifiers(trial, qual, cases, joint):
    for name, out in shared_outputs(trial, qual, cases, joint).items():
        text = out if isinstance(out, str) else out.to_csv(index=False) + " ".join(out.columns)
        assert "SYN-" not in text, name
        assert ".txt" not in text, name
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text), name
        assert ig.find_identifiers(out, trial=trial, qual=qual) == [], name


def test_find_identifiers_catches_planted_ids(trial, qual, vs_ids):
    frame = pd.DataFrame({"a": [vs_ids[0], "I03.txt", "2023-03-01", "XI05"]})
    found = ig.find_identifiers(frame, trial=trial, qual=qual)
    assert vs_ids[0] in found and "I03.txt" in found and "2023-03-01" in found
    assert "I05" not in found  # only part of a longer token
    assert ig.find_identifiers("Patient 01 in Practice A", trial=trial, qual=qual) == []


def test_outputs_are_deterministic(trial, qual):
    a = ig.case_matrix(trial, qual).table.to_csv(index=False)
    b = ig.case_matrix(trial, qual).table.to_csv(index=False)
    assert a == b
    ja = ig.joint_display(trial, qual).to_markdown()
    assert ja == ig.joint_display(trial, qual).to_markdown()


def test_case_matrix_heatmap_draws(cases):
    fig = ig.plot_case_matrix(cases)
    assert isinstance(fig, Figure)
    heat = fig.axes[0]
    assert [t.get_text() for t in heat.get_yticklabels()] == cases.table["speaker"].tolist()


# --- the bundled synthetic export (when it has been written) ----------------------------------

@pytest.mark.skipif(not (SYNTHETIC_DIR / "interviews.csv").is_file(),
                    reason="data/synthetic has no qualitative tables yet")
def test_synthetic_export_integrates():
    from wave_analysis.data import load as io

    trial = io.load_trial(SYNTHETIC_DIR)
    qual = io.load_qualitative(SYNTHETIC_DIR, trial=trial)
    cm = ig.case_matrix(trial, qual)
    n_patients = qual.interviews.loc[qual.interviews["stakeholder_group"] == "patient",
                                     "participant_id"].nunique()
    assert len(cm.table) == n_patients and cm.table["in_trial"].all()
    themes = ig.theme_table(qual)["theme_id"].tolist()
    inf = ig.read_inferences(REPO_ROOT / "data" / "joint_display_inferences.yaml",
                             theme_ids=themes)
    jd = ig.joint_display(trial, qual, inferences=inf, cases=cm)
    for out in (cm.table, jd.display_frame(), ig.representativeness(trial, qual).wide()):
        assert ig.find_identifiers(out, trial=trial, qual=qual) == []
