"""Tests of qualitative.interviewees: pseudonymous speaker labels.
"""

from __future__ import annotations

from qual_builders import interviews

from wave_analysis.qualitative.interviewees import speaker_labels


def test_speaker_labels_are_deterministic_within_group():
    ivs = interviews([("z9", "patient", "P010"), ("a1", "patient", "P002"),
                      ("e1", "employer", None), ("v2", "vsw", None), ("v1", "vsw", None),
                      ("g", "gp", None), ("a2", "patient", "P002")])
    labels = speaker_labels(ivs)
    assert labels.to_dict() == {"z9": "Patient 02", "a1": "Patient 01", "e1": "Employer 01",
                                "v2": "VSW 02", "v1": "VSW 01", "g": "GP 01", "a2": "Patient 01"}
    assert speaker_labels(ivs.iloc[::-1]).sort_index().equals(labels.sort_index())
