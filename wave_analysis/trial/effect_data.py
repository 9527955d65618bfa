"""The analysis table of the days-absent models, the result they return, and the checks every
model runs on its data before fitting (used by :mod:`.effects`, :mod:`.zinb` and :mod:`.cace`).

Checks before a rate-ratio model is fitted, in order:

1. both arms have participants with an outcome;
2. no missing or infinite value in a column the model uses (``ValidationError`` naming the column
   and the participants: a complete-case analysis must be a deliberate choice made before the
   call, never rows dropped silently by the formula);
3. the outcome varies (identical outcomes leave nothing to estimate a variance from);
4. neither arm has only zeros (the rate ratio would be 0 or infinite: not estimable, ``FitError``);
5. a stratum of the adjustment (a level of a categorical covariate such as a practice or a
   baseline-absence band) in which every outcome is 0 is left out of the fit, with a note. Its
   coefficient has no finite maximum-likelihood value (it tends to minus infinity), and as it does
   its participants' likelihood tends to 1 whatever the other parameters, so fitting without them
   gives exactly the limit of the pre-specified model's estimates (the "extended" MLE): the IRR
   is the pre-specified model's, and the note says which participants it rests on;
6. more participants than parameters.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from wave_analysis._checks import check_ci_level, check_int
from wave_analysis._precision import rounded
from wave_analysis.data.model import TrialData
from wave_analysis.design import ARMS, INTERVENTION_ARM
from wave_analysis.exceptions import (
    FitError,
    Problem,
    StatisticalWarning,
    ValidationError,
    WaveError,
)
from wave_analysis.trial.outcomes import PRIMARY_RULE, days_absent

OUTCOME = "days_absent"
ADJUSTED = "C(practice_id) + absence_band + log_baseline_days"  # the primary covariates
MIN_BOOT = 100  # fewer resamples give an interval too rough to report


@dataclass(frozen=True)
class RateRatio:
    """An incidence rate ratio of vocational support vs usual care.

    ``note`` says what a reader must know to read the row (a stratum left out of the fit, a
    fallback model, undefined bootstrap replicates); empty when there is nothing to say."""

    model: str
    estimate: float
    ci_low: float
    ci_high: float
    ci_level: float
    p_value: float
    log_se: float | None  # None when the CI does not come from a standard error (bootstrap)
    n: int
    dispersion: float | None = None  # NB2 alpha (var = mu + alpha mu^2); theta = 1 / alpha
    method: str = "Wald"  # how the CI was obtained
    note: str = ""
    boot_undefined: int | None = None  # bootstrap replicates with an undefined ratio (CACE)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.__dict__])


def wald(model: str, beta: float, se: float, ci_level: float, n: int, *,
         dispersion: float | None = None, method: str = "Wald", note: str = "") -> RateRatio:
    """A Wald rate ratio from a log-scale estimate and SE, rounded to the reported precision."""
    ci_level = check_ci_level(ci_level)
    if not (np.isfinite(beta) and np.isfinite(se) and se > 0):
        raise FitError(f"{model}: the fit gave log IRR {beta!r} with standard error {se!r}; "
                       "no finite rate ratio can be reported")
    z = stats.norm.ppf(0.5 + ci_level / 2)
    p = 2 * stats.norm.sf(abs(beta / se))
    return rounded(RateRatio(model, float(np.exp(beta)), float(np.exp(beta - z * se)),
                             float(np.exp(beta + z * se)), ci_level, float(p), float(se), n,
                             None if dispersion is None else float(dispersion), method, note))


def check_n_boot(n_boot: object) -> int:
    if isinstance(n_boot, np.integer):  # a count from numpy is as good as a Python int
        n_boot = int(n_boot)
    return check_int("n_boot", n_boot, minimum=MIN_BOOT)


def check_arms(frame: pd.DataFrame, what: str, column: str) -> None:
    """Both arms need rows with a value in ``column``, else no comparison is possible."""
    if "arm" not in frame.columns or column not in frame.columns:
        raise WaveError(f"{what}: the analysis table needs columns 'arm' and {column!r}")
    counts = frame.loc[frame[column].notna(), "arm"].value_counts()
    empty = [a for a in ARMS if counts.get(a, 0) == 0]
    if empty:
        raise WaveError(f"{what}: no participants with {column!r} in arm "
                        f"{', '.join(map(repr, empty))}; both arms ({', '.join(ARMS)}) need "
                        "data; check the export's participants and follow-up tables")


def analysis_frame(trial: TrialData, *, rule: str = PRIMARY_RULE) -> pd.DataFrame:
    """Participants with a derived outcome, joined to the covariates the models use."""
    outcome = days_absent(trial, rule=rule)
    frame = outcome.merge(trial.participants.drop(columns="arm"), on="participant_id")
    frame = frame.dropna(subset=[OUTCOME]).reset_index(drop=True)
    frame["treated"] = (frame["arm"] == INTERVENTION_ARM).astype(int)
    with np.errstate(divide="ignore"):  # a baseline of 0 days gives -inf, reported by the check
        frame["log_baseline_days"] = np.log(frame["days_absent_baseline"].astype(float))
    frame[OUTCOME] = frame[OUTCOME].round().astype(int)
    return frame


def categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """Text stratification columns as pandas categories (unused levels removed): the formula
    builds the same dummies (levels in sorted order) several times faster on large data."""
    text = [c for c in ("practice_id", "absence_band") if c in frame.columns]
    if not text:
        return frame
    return frame.assign(**{c: frame[c].astype("category").cat.remove_unused_categories()
                           for c in text})


# ---------------------------------------------------------------------------------------------
# Checks before fitting


def formula_columns(frame: pd.DataFrame, formula: str) -> list[str]:
    """The columns of ``frame`` a formula refers to, in frame order."""
    return [c for c in frame.columns
            if re.search(rf"(?<![\w.]){re.escape(str(c))}(?![\w])", formula)]


def _ids(frame: pd.DataFrame, mask) -> str:
    ids = (frame["participant_id"] if "participant_id" in frame.columns
           else pd.Series(frame.index, index=frame.index).map(lambda i: f"row {i}"))
    shown = ids[mask].astype(str).tolist()
    return ", ".join(shown[:5]) + (f" (+{len(shown) - 5} more)" if len(shown) > 5 else "")


def check_complete(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """No missing or infinite value in ``columns``: else a ``ValidationError`` naming the column
    and the participants (nothing is dropped silently)."""
    problems = []
    for col in columns:
        values = frame[col]
        bad = values.isna()
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            bad = bad | ~np.isfinite(values.astype(float))
        if bad.any():
            problems.append(Problem(
                file=f"{what}: analysis table", column=col, row=None,
                value=f"{int(bad.sum())} missing or infinite value(s) for {_ids(frame, bad)}",
                rule="a model covariate or outcome must be a finite value for every participant",
                fix="correct the export, or leave these participants out deliberately (and say "
                    "so) before the analysis; a baseline of 0 days gives log(0) = -inf"))
    if problems:
        raise ValidationError(problems)


def _check_outcome(frame: pd.DataFrame, what: str) -> None:
    y = frame[OUTCOME].astype(float)
    bad = (y < 0) | (y != np.round(y))
    if bad.any():
        raise ValidationError([Problem(
            file=f"{what}: analysis table", column=OUTCOME, row=None,
            value=f"{_ids(frame, bad)}: {y[bad].tolist()[:5]}",
            rule="days absent must be whole numbers of 0 or more",
            fix="correct the outcome derivation or the export")])
    if y.nunique() == 1:
        raise FitError(f"{what}: every participant has the same days absent ({y.iloc[0]:g}), so "
                       "there is no variation to estimate a rate ratio's precision from; check "
                       "the outcome derivation")
    for arm in ARMS:
        in_arm = frame["arm"] == arm
        if (y[in_arm] == 0).all():
            raise FitError(
                f"{what}: every participant in arm {arm!r} ({int(in_arm.sum())} participants) "
                "has 0 days absent, so the rate ratio is not estimable (its maximum-likelihood "
                "value is 0 or infinite). Options: report the days absent per arm "
                "descriptively; use an exact or penalised (Firth-type) analysis; check the "
                "outcome derivation")


def _strata_columns(frame: pd.DataFrame, columns: list[str], formula: str) -> list[str]:
    out = []
    for col in columns:
        if col in (OUTCOME, "treated"):
            continue
        values = frame[col]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(
            values)
        if not numeric or f"C({col}" in formula:
            out.append(col)
    return out


def drop_zero_strata(frame: pd.DataFrame, formula: str, what: str
                     ) -> tuple[pd.DataFrame, str]:
    """Leave out each stratum (level of a categorical covariate) whose outcomes are all 0; the
    note names them (see the module docstring for why the IRR is then the pre-specified one)."""
    columns = formula_columns(frame, formula.split("~", 1)[-1])
    zero = frame[OUTCOME] == 0
    drop = pd.Series(False, index=frame.index)
    parts = []
    for col in _strata_columns(frame, columns, formula):
        all_zero = zero.groupby(frame[col], observed=True).all()
        for level in all_zero.index[all_zero.to_numpy()]:
            rows = frame[col] == level
            drop |= rows
            parts.append(f"{col} {level!r} ({int(rows.sum())} participants)")
    if not parts:
        return frame, ""
    kept = frame.loc[~drop]
    note = (f"{'; '.join(parts)}: every outcome 0, so left out of the fit ({len(kept)} of "
            f"{len(frame)} participants analysed). A stratum with only zeros has no finite "
            "coefficient and carries no information on the others, so the IRR is the limit of "
            "the pre-specified model's estimate")
    warnings.warn(f"{what}: {note}", StatisticalWarning, stacklevel=3)
    return kept.reset_index(drop=True), note


def prepare(frame: pd.DataFrame, formula: str, what: str) -> tuple[pd.DataFrame, str]:
    """Run the checks of the module docstring; return the rows to fit and a note (or "")."""
    check_arms(frame, what, OUTCOME)
    check_complete(frame, formula_columns(frame, formula), what)
    _check_outcome(frame, what)
    frame, note = drop_zero_strata(frame, formula, what)
    return categorical(frame), note


def check_size(n: int, names: list[str], what: str, *, extra: int = 0) -> None:
    """More participants than parameters (``extra`` counts parameters outside the design, such as
    the NB dispersion); and a design of full rank."""
    k = len(names) + extra
    if n <= k:
        raise FitError(f"{what}: {n} participants for a model with {k} parameters; the model "
                       "cannot be estimated. Use the unadjusted model (adjusted=False) or fewer "
                       "covariates, or analyse more participants")


def check_rank(X: np.ndarray, names: list[str], what: str) -> None:
    """A design of full column rank, else a ``FitError`` naming a column that repeats others."""
    rank = np.linalg.matrix_rank(X)
    if rank == X.shape[1]:
        return
    culprit = names[-1]
    for j in reversed(range(X.shape[1])):  # the last column whose removal keeps the rank
        if np.linalg.matrix_rank(np.delete(X, j, axis=1)) == rank:
            culprit = names[j]
            break
    raise FitError(f"{what}: the design is rank deficient (column {culprit!r} is a combination "
                   "of the others: an empty or duplicated level, or a covariate constant within "
                   "the participants analysed); drop or merge it")
