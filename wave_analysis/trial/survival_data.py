"""The survival input table and the checks every survival fit runs first.

One row per participant with ``arm`` (one of ``design.ARMS``) and the columns a fit needs:
``duration`` and ``event`` (right-censored view) or ``lower`` and ``upper`` (interval-censored
view), as ``trial.outcomes.return_times`` produces them. ``validate_survival_data`` reports every
problem at once, quoting the first offending participants.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wave_analysis._checks import check_argument, check_one_of
from wave_analysis._precision import round_sig
from wave_analysis.design import ARMS, INTERVENTION_ARM
from wave_analysis.exceptions import Problem, ValidationError

SOURCE = "survival data"
_MAX_SHOWN = 5  # offending values quoted per problem
_TIME_COLUMNS = ("duration", "event", "lower", "upper", "arm", "participant_id")
ARM_TERM = f"arm[{INTERVENTION_ARM}]"
POSITIONS = ("right", "midpoint", "left")


def _where(data: pd.DataFrame, mask: np.ndarray, column: str) -> str:
    """Quote the first offending rows by participant id when there is one, else by index."""
    rows = data.loc[mask]
    ids = rows["participant_id"] if "participant_id" in data.columns else rows.index.to_series()
    label = "participant_id" if "participant_id" in data.columns else "index"
    shown = ", ".join(f"{i}={v!r}" for i, v in zip(ids[:_MAX_SHOWN], rows[column][:_MAX_SHOWN],
                                                   strict=True))
    more = f" (+{len(rows) - _MAX_SHOWN} more)" if len(rows) > _MAX_SHOWN else ""
    return f"{label} {shown}{more}"


def _presence_problems(data: pd.DataFrame, need: list[str], missing: list[str]) -> list[Problem]:
    """Required columns that are absent, and missing values in those present."""
    problems = [Problem(SOURCE, col, None, None, "required column is missing",
                        f"add it (columns present: {', '.join(map(str, data.columns))}); "
                        "wave_analysis.trial.outcomes.return_times produces it") for col in missing]
    for col in (c for c in need if c not in missing):
        na = data[col].isna().to_numpy()
        if na.any():
            problems.append(Problem(SOURCE, col, None, _where(data, na, col), "missing value",
                                    "drop these rows or derive the value before the analysis"))
    return problems


def _arm_problems(data: pd.DataFrame, *, both_arms: bool) -> list[Problem]:
    bad = ~data["arm"].isin(ARMS).to_numpy() & data["arm"].notna().to_numpy()
    if bad.any():
        return [Problem(SOURCE, "arm", None, _where(data, bad, "arm"),
                        "is not one of " + ", ".join(ARMS),
                        "recode the arm labels to the trial's arm names")]
    absent = [a for a in ARMS if not (data["arm"] == a).any()]
    if both_arms and absent:
        return [Problem(SOURCE, "arm", None, None, f"no participants in arm {', '.join(absent)}",
                        "a between-arm comparison needs both arms")]
    return []


def _time_problems(data: pd.DataFrame, col: str) -> list[Problem]:
    """Times that are not numbers, negative, or infinite (only ``upper`` may be inf)."""
    values = pd.to_numeric(data[col], errors="coerce").to_numpy(dtype=float)
    problems = []
    not_num = np.isnan(values) & data[col].notna().to_numpy()
    if not_num.any():
        problems.append(Problem(SOURCE, col, None, _where(data, not_num, col),
                                "not a number", "times are days since randomisation"))
    neg = values < 0
    if neg.any():
        problems.append(Problem(SOURCE, col, None, _where(data, neg, col),
                                "negative time", "times are days since randomisation, >= 0"))
    inf = np.isinf(values)
    if col != "upper" and inf.any():
        problems.append(Problem(SOURCE, col, None, _where(data, inf, col), "infinite time",
                                f"only 'upper' may be inf (return not seen); '{col}' must be "
                                "the last day known"))
    return problems


def _covariate_problems(data: pd.DataFrame, col: str) -> list[Problem]:
    """A numeric covariate may not be infinite (missing values are reported elsewhere)."""
    values = data[col]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return []
    inf = np.isinf(values.to_numpy(dtype=float, na_value=np.nan))
    if not inf.any():
        return []
    return [Problem(SOURCE, col, None, _where(data, inf, col), "infinite value",
                    "a covariate must be a finite number; correct or drop these rows")]


def _event_problems(data: pd.DataFrame) -> list[Problem]:
    ev = data["event"]
    ok = ev.isna().to_numpy() | ev.isin([True, False, 0, 1]).to_numpy()
    if ok.all():
        return []
    return [Problem(SOURCE, "event", None, _where(data, ~ok, "event"), "not boolean",
                    "use True/False (or 1/0): return observed")]


def _interval_problems(data: pd.DataFrame) -> list[Problem]:
    """``upper`` above ``lower``, and finite exactly when the return was seen."""
    lo = pd.to_numeric(data["lower"], errors="coerce").to_numpy(dtype=float)
    up = pd.to_numeric(data["upper"], errors="coerce").to_numpy(dtype=float)
    problems = []
    bad = up <= lo
    if bad.any():
        problems.append(Problem(SOURCE, "upper", None, _where(data, bad, "upper"),
                                "upper must be greater than lower (the event is in "
                                "(lower, upper])", "check the interval derivation"))
    if "event" in data.columns:
        ev = data["event"]
        readable = ev.isna().to_numpy() | ev.isin([True, False, 0, 1]).to_numpy()
        seen = ev.where(readable, None).astype("boolean").fillna(False).to_numpy(dtype=bool)
        clash = readable & (seen == np.isinf(up))  # unreadable events are reported on their own
        if clash.any():
            problems.append(Problem(
                SOURCE, "upper", None, _where(data, clash, "upper"),
                "upper must be finite when event is true and inf when it is false",
                "set upper to inf for participants whose return was not seen"))
    return problems


def validate_survival_data(data: pd.DataFrame, *, columns: Sequence[str],
                           both_arms: bool = True) -> None:
    """Raise :class:`ValidationError` listing every problem with the survival input at once.

    ``columns`` are the columns the caller needs (``arm`` is always needed). Checks: the columns
    exist; no missing values; ``arm`` only takes the values of ``design.ARMS`` (and both occur when
    ``both_arms``); times are numbers and not negative; ``event`` is boolean or 0/1;
    ``upper >= lower`` and ``upper`` is finite exactly when the return was seen; numeric
    covariates (any other column asked for) are finite; ``participant_id`` (when present) is
    unique.
    """
    check_argument(isinstance(data, pd.DataFrame), "data", "a pandas DataFrame",
                   type(data).__name__)
    need = ["arm", *[c for c in columns if c != "arm"]]
    missing = [c for c in need if c not in data.columns]
    present = [c for c in need if c not in missing]
    problems = _presence_problems(data, need, missing)
    if "arm" in present:
        problems += _arm_problems(data, both_arms=both_arms)
    for col in ("duration", "lower", "upper"):
        if col in present:
            problems += _time_problems(data, col)
    if "event" in present:
        problems += _event_problems(data)
    for col in (c for c in present if c not in _TIME_COLUMNS):
        problems += _covariate_problems(data, col)
    if {"lower", "upper"} <= set(present):
        problems += _interval_problems(data)
    if "participant_id" in data.columns:
        dup = data["participant_id"].duplicated(keep=False).to_numpy()
        if dup.any():
            problems.append(Problem(SOURCE, "participant_id", None,
                                    _where(data, dup, "participant_id"), "duplicated",
                                    "survival data has one row per participant"))
    if problems:
        raise ValidationError(problems)


def design_matrix(data: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    """Arm indicator (column ``ARM_TERM``) plus covariates; text/category/bool covariates become
    treatment-coded dummies ``name[level]`` (the first level in sorted order is the reference)."""
    x = pd.DataFrame({ARM_TERM: (data["arm"] == INTERVENTION_ARM).to_numpy(dtype=float)},
                     index=data.index)
    for c in covariates:
        col = data[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            x[c] = col.to_numpy(dtype=float)
        else:
            levels = sorted(col.astype(str).unique())
            for lev in levels[1:]:
                x[f"{c}[{lev}]"] = (col.astype(str) == lev).to_numpy(dtype=float)
    return x


def with_durations(data: pd.DataFrame, *, position: str = "right") -> pd.DataFrame:
    """A copy of the interval view with ``duration`` set where in ``(lower, upper]`` a return is
    placed for the right-censored analyses (sensitivity analyses: the primary analysis uses the
    intervals themselves).

    ``"right"``: ``upper`` (the end of the fortnight where the return was seen, as
    ``outcomes.return_times``); ``"midpoint"``: ``(lower + upper) / 2``; ``"left"``: ``lower``
    + 1 day. Censored rows keep ``duration = lower`` (the last day known not yet returned).
    """
    check_one_of("position", position, POSITIONS)
    validate_survival_data(data, columns=["lower", "upper", "event"], both_arms=False)
    lo, up = data["lower"].to_numpy(dtype=float), data["upper"].to_numpy(dtype=float)
    ev = data["event"].to_numpy(dtype=bool)
    at = {"right": up, "midpoint": (lo + up) / 2, "left": lo + 1.0}[position]
    out = data.copy()
    out["duration"] = np.where(ev, np.minimum(at, up) if position == "left" else at, lo)
    return out


def rounded_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every float column rounded to the reported precision
    (``_precision.round_sig``): the result layer calls it on the tables a result carries."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = round_sig(out[col].to_numpy(dtype=float))
    return out


def rounded_pair(pair) -> tuple[float, float]:
    """An interval's two ends as rounded floats."""
    return (round_sig(float(pair[0])), round_sig(float(pair[1])))
