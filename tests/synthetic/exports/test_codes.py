"""Every coded answer list of the renderings covers exactly its value set in design.py, with
distinct codes and labels, so no project value can be rendered without a code."""

from __future__ import annotations

import pytest

from wave_analysis import design
from wave_analysis.synthetic.exports import codes

LISTS = {
    "ARM": (codes.ARM, design.ARMS), "SEX": (codes.SEX, design.SEXES),
    "CONDITION": (codes.CONDITION, design.CONDITION_GROUPS),
    "OCCUPATION": (codes.OCCUPATION, design.OCCUPATION_GROUPS),
    "EMPLOYMENT": (codes.EMPLOYMENT, design.EMPLOYMENT_TYPES),
    "WORK_STATUS": (codes.WORK_STATUS, design.WORK_STATUSES),
    "CONTACT_MODE": (codes.CONTACT_MODE, design.CONTACT_MODES),
    "WITHDRAWAL_TYPE": (codes.WITHDRAWAL_TYPE, design.WITHDRAWAL_TYPES),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_choices_cover_the_design_value_set(name):
    choices, values = LISTS[name]
    assert [c.value for c in choices] == list(values)
    assert len({c.code for c in choices}) == len({c.label for c in choices}) == len(values)


def test_redcap_choice_syntax():
    assert codes.choices_text(codes.ARM) == "1, Usual care | 2, Vocational support"
