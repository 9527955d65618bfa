"""The coded answer lists the synthetic data-capture renderings share.

A data-capture system stores a coded answer (``2``) and shows its label ("Vocational support");
the project's tables hold the value (``vocational_support``). Each list here ties the three
together once, so the REDCap, Castor and spreadsheet renderings code the same answer the same way
(as one trials unit's systems would) and their mappings can be checked against one source.
Values come from :mod:`wave_analysis.design`; codes and labels are the case report form's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wave_analysis.design import (
    ARM_LABELS,
    ARMS,
    CONDITION_GROUPS,
    CONTACT_MODES,
    EMPLOYMENT_TYPES,
    OCCUPATION_GROUPS,
    SEXES,
    WITHDRAWAL_TYPES,
    WORK_STATUSES,
)


@dataclass(frozen=True)
class Choice:
    """One coded answer: what is stored, what the form shows, what the project's table holds."""

    code: str
    label: str
    value: object


def make_choices(values, labels, codes=None) -> tuple[Choice, ...]:
    values, labels = tuple(values), tuple(labels)
    codes = tuple(codes) if codes is not None else tuple(str(i) for i in range(1, len(values) + 1))
    # strict: a list edited out of step with its values fails at import
    return tuple(Choice(c, lab, v) for c, lab, v in zip(codes, labels, values, strict=True))


ARM = make_choices(ARMS, (ARM_LABELS[a] for a in ARMS))
SEX = make_choices(SEXES, ("Female", "Male"))
CONDITION = make_choices(CONDITION_GROUPS, ("Mental health condition",
                                            "Musculoskeletal condition", "Other condition"))
ABSENCE_BAND = make_choices(("2-6 weeks", "over 6 weeks"), ("2 to 6 weeks", "More than 6 weeks"))
OCCUPATION = make_choices(OCCUPATION_GROUPS, (  # SOC 2020 major groups, numbered as in SOC
    "Managers, directors and senior officials",
    "Professional occupations",
    "Associate professional occupations",
    "Administrative and secretarial occupations",
    "Skilled trades occupations",
    "Caring, leisure and other service occupations",
    "Sales and customer service occupations",
    "Process, plant and machine operatives",
    "Elementary occupations",
))
EMPLOYMENT = make_choices(EMPLOYMENT_TYPES, ("Employee, full time", "Employee, part time",
                                             "Self-employed"))
WORK_STATUS = make_choices(WORK_STATUSES, ("Working, usual hours and duties",
                                           "Working, reduced hours or duties", "Off work sick",
                                           "Left the job"))
CONTACT_MODE = make_choices(CONTACT_MODES, ("Telephone", "Video call"))
STEP = make_choices((1, 2, 3), ("Step 1: assessment and return-to-work plan",
                                "Step 2: ongoing support and workplace liaison",
                                "Step 3: case review or onward referral"))
WITHDRAWAL_TYPE = make_choices(WITHDRAWAL_TYPES, ("Withdrew from follow-up", "Lost to follow-up",
                                                  "Died"))
YES_NO = make_choices((True, False), ("Yes", "No"), codes=("1", "0"))


def encode(values: pd.Series, choices: tuple[Choice, ...], *, to: str = "code") -> pd.Series:
    """``values`` (the project's) as the choices' ``code`` or ``label`` text; missing stays
    missing. A value with no choice is a bug in the list, so it raises."""
    table = {c.value: getattr(c, to) for c in choices}
    unknown = set(values.dropna()) - set(table)
    if unknown:
        raise ValueError(f"no {to} for {sorted(map(str, unknown))}")  # a list out of step
    return values.map(table, na_action="ignore").astype(object)


def choices_text(choices: tuple[Choice, ...], *, sep: str = " | ") -> str:
    """REDCap's choice syntax: ``1, Usual care | 2, Vocational support``."""
    return sep.join(f"{c.code}, {c.label}" for c in choices)


def practice_choices(practices: pd.DataFrame) -> tuple[Choice, ...]:
    """Recruiting practices as a coded list, numbered in practice-id order."""
    rows = practices.sort_values("practice_id")
    return make_choices(rows["practice_id"], rows["practice_name"])
