"""Table 1: baseline characteristics by arm, built with tableone.

``table_one_frame`` flattens it for ``outputs.save_table`` (CSV, Markdown, HTML and LaTeX)."""

from __future__ import annotations

import pandas as pd

from wave_analysis._checks import check_argument
from wave_analysis.data.model import TrialData
from wave_analysis.design import (
    ARM_LABELS,
    ARMS,
    CONDITION_GROUPS,
    EMPLOYMENT_TYPES,
    OCCUPATION_GROUPS,
    SEXES,
)
from wave_analysis.exceptions import Problem, ValidationError, WaveError

# --- Table 1: baseline characteristics by arm (tableone) ----------------------------------

TABLE1_LABELS = {
    "age": "Age, years",
    "sex": "Sex",
    "condition_group": "Health condition on the fit note",
    "days_absent_baseline": "Days off work before randomisation",
    "absence_band": "Baseline absence band",
    "occupation": "Occupation (SOC 2020 major group)",
    "employment_type": "Employment type",
    "eq5d_index": "EQ-5D-5L index",
    "eq_vas": "EQ VAS (0-100)",
    "rtwse": "Return-to-work self-efficacy (RTWSE-11, 1-6)",
}
TABLE1_CATEGORICAL = ("sex", "condition_group", "absence_band", "occupation", "employment_type")
# Skewed: absence duration is right-skewed, EQ-5D index is bounded with a ceiling.
TABLE1_NONNORMAL = ("days_absent_baseline", "eq5d_index")
TABLE1_DECIMALS = {"age": 1, "days_absent_baseline": 0, "eq5d_index": 3, "eq_vas": 1,
                   "rtwse": 2}
LEVEL_LABELS = {
    "sex": {"female": "Female", "male": "Male"},
    "condition_group": {"mental_health": "Mental health", "musculoskeletal": "Musculoskeletal",
                        "other": "Other"},
    "absence_band": {"2-6 weeks": "2-6 weeks", "over 6 weeks": "Over 6 weeks"},
    "occupation": {
        "managers_directors": "Managers, directors and senior officials",
        "professional": "Professional",
        "associate_professional": "Associate professional and technical",
        "administrative_secretarial": "Administrative and secretarial",
        "skilled_trades": "Skilled trades",
        "caring_leisure_service": "Caring, leisure and other service",
        "sales_customer_service": "Sales and customer service",
        "process_plant_machine": "Process, plant and machine operatives",
        "elementary": "Elementary",
    },
    "employment_type": {"employee_full_time": "Employee, full time",
                        "employee_part_time": "Employee, part time",
                        "self_employed": "Self-employed"},
}
_LEVEL_ORDER = {"sex": SEXES, "condition_group": CONDITION_GROUPS,
                "absence_band": ("2-6 weeks", "over 6 weeks"), "occupation": OCCUPATION_GROUPS,
                "employment_type": EMPLOYMENT_TYPES}


def _check_arms(participants: pd.DataFrame) -> None:
    """Every arm is one of ``design.ARMS`` and there is at least one participant."""
    if participants.empty:
        raise ValidationError([Problem("participants", None, None, None, "has no rows",
                                       "Table 1 needs the randomised participants")])
    bad = sorted(set(participants["arm"].dropna()) - set(ARMS), key=str)
    if bad:
        raise ValidationError([Problem("participants", "arm", None, v,
                                       "is not one of " + ", ".join(ARMS),
                                       "use the arm names of the data dictionary") for v in bad])


def table_one(data: TrialData | pd.DataFrame, *, variables: tuple[str, ...] | None = None,
              nonnormal: tuple[str, ...] = TABLE1_NONNORMAL, overall: bool = True,
              decimals: dict[str, int] | None = None):
    """Table 1: baseline characteristics by arm as a ``tableone.TableOne``.

    Continuous variables are mean (SD), those in ``nonnormal`` median [Q1,Q3]; categorical ones
    n (%) of the arm. No p-values: CONSORT 2010 (item 15) advises against testing baseline
    differences in a randomised trial. ``data`` is a trial or its participants table."""
    from tableone import TableOne

    frame = data.participants if isinstance(data, TrialData) else data
    variables = tuple(variables or TABLE1_LABELS)
    missing = [c for c in ("arm", *variables) if c not in frame.columns]
    if missing:
        raise WaveError(f"participants: missing column(s) {', '.join(missing)} needed for "
                        f"Table 1; available: {', '.join(frame.columns)}")
    unknown = sorted(set(nonnormal) - set(variables))
    check_argument(not unknown, "nonnormal", "Table 1 variables (" + ", ".join(variables) + ")",
                   tuple(unknown))
    _check_arms(frame)
    categorical = [c for c in variables if c in TABLE1_CATEGORICAL
                   or not pd.api.types.is_numeric_dtype(frame[c])]
    data_ = pd.DataFrame({"arm": frame["arm"].map(ARM_LABELS)})
    for col in variables:
        if col in categorical:
            data_[col] = frame[col].map(lambda v, c=col: LEVEL_LABELS.get(c, {}).get(v, v))
        else:  # tableone wants plain floats, not nullable Int64
            data_[col] = pd.to_numeric(frame[col], errors="raise").astype(float)
    order = {c: [LEVEL_LABELS.get(c, {}).get(v, v) for v in _LEVEL_ORDER[c]]
             for c in categorical if c in _LEVEL_ORDER}
    return TableOne(data_, columns=list(variables), categorical=categorical,
                    continuous=[c for c in variables if c not in categorical],
                    nonnormal=list(nonnormal), groupby="arm", pval=False, overall=overall,
                    order=order, rename={c: TABLE1_LABELS.get(c, c) for c in variables},
                    decimals={**TABLE1_DECIMALS, **(decimals or {})}, missing=True)


def table_one_frame(table) -> pd.DataFrame:
    """A ``TableOne`` as a flat frame: ``variable``, ``level``, ``missing``, ``overall`` and one
    column per arm label (cells are the formatted strings tableone prints)."""
    t = table.tableone.copy()
    t.columns = [c[-1] if isinstance(c, tuple) else c for c in t.columns]
    t = t.reset_index()
    t.columns = ["variable", "level", *t.columns[2:]]
    t = t.rename(columns={"Missing": "missing", "Overall": "overall"})
    arms = [ARM_LABELS[a] for a in ARMS if ARM_LABELS[a] in t.columns]
    keep = ["variable", "level"] + [c for c in ("missing", "overall") if c in t.columns] + arms
    out = t[keep].astype(str)
    return out.replace({"nan": ""})
