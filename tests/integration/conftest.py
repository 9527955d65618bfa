"""Fixtures of the integration tests: the seeded synthetic trial (in memory), hand-made
qualitative data joined to it, and the case matrix and joint display built from them."""

from __future__ import annotations

import pytest
from integration_builders import LONG, SHORT, make_qual

from wave_analysis.design import INTERVENTION_ARM
from wave_analysis.integration.cases import case_matrix
from wave_analysis.integration.joint_display import joint_display


@pytest.fixture(scope="module")
def trial():
    from wave_analysis.synthetic import trial as synthetic

    return synthetic.make_trial()


@pytest.fixture(scope="module")
def vs_ids(trial):
    p = trial.participants
    return p.loc[p["arm"] == INTERVENTION_ARM, "participant_id"].tolist()


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
    return case_matrix(trial, qual)


@pytest.fixture(scope="module")
def joint(trial, qual, cases):
    inf = {"T1": {"inference": "confirms", "note": "fits", "finding": "rtwse_change"}}
    return joint_display(trial, qual, inferences=inf, cases=cases)
