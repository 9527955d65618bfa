"""Adversarial inputs for the days-absent analyses (issue 10, item 8): one line per input.

Run from a checkout: ``PYTHONPATH=$PWD python scripts/adversarial_effects.py``. Each line shows
what ``effects.negative_binomial`` (adjusted, the primary model), ``effects.poisson_robust`` and
``effects.zero_inflated`` return, or the error class and the start of its message.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from wave_analysis.design import ARMS
from wave_analysis.trial import effects


def frame(seed: int = 1, n: int = 125, practices: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    practice = np.arange(n) % practices
    baseline = rng.integers(14, 184, n)
    treated = rng.permutation(np.arange(n) % 2)
    mu = np.exp(3.0 - 0.3 * treated + 0.4 * np.log(baseline / 40))
    y = rng.negative_binomial(1.25, 1 / (1 + 0.8 * mu))
    return pd.DataFrame({
        "participant_id": [f"S{i:03d}" for i in range(n)],
        "arm": np.array(ARMS)[treated], "treated": treated, "days_absent": y,
        "practice_id": [f"P{p:02d}" for p in practice],
        "absence_band": np.where(baseline > 42, "over 6 weeks", "2-6 weeks"),
        "days_absent_baseline": baseline, "log_baseline_days": np.log(baseline)})


def cases() -> dict[str, pd.DataFrame]:
    f = frame()
    out = {"ordinary data (n=125, 10 practices)": f}
    out["all zeros in usual care"] = f.assign(days_absent=np.where(f.treated == 0, 0,
                                                                   f.days_absent))
    out["all zeros in vocational support"] = f.assign(days_absent=np.where(f.treated == 1, 0,
                                                                           f.days_absent))
    out["all zeros in every arm"] = f.assign(days_absent=0)
    out["a practice (P03) with all zeros"] = f.assign(
        days_absent=np.where(f.practice_id == "P03", 0, f.days_absent))
    out["the reference practice (P00) with all zeros"] = f.assign(
        days_absent=np.where(f.practice_id == "P00", 0, f.days_absent))
    out["single practice"] = f.assign(practice_id="P00")
    out["n = 5"] = f.iloc[:5]
    out["identical outcomes (all 7)"] = f.assign(days_absent=7)
    out["huge counts (x 1e6)"] = f.assign(days_absent=f.days_absent * 1_000_000)
    nan = f.copy()
    nan.loc[[3, 40], "log_baseline_days"] = np.nan
    out["NaN in log_baseline_days (2 rows)"] = nan
    inf = f.copy()
    inf.loc[[7], "log_baseline_days"] = -np.inf
    out["-inf in log_baseline_days (baseline 0 days)"] = inf
    miss = f.copy()
    miss.loc[[9], "practice_id"] = None
    out["missing practice_id (1 row)"] = miss
    return out


def show(func, data) -> str:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            r = func(data)
        note = getattr(r, "note", "") or ""
        warned = [str(w.category.__name__) for w in caught]
        return (f"IRR {r.estimate:.4g} ({r.ci_low:.4g}, {r.ci_high:.4g}) p={r.p_value:.3g} "
                f"n={r.n}" + (f" note: {note[:90]}" if note else "")
                + (f" [warnings: {', '.join(sorted(set(warned)))}]" if warned else ""))
    except Exception as e:  # noqa: BLE001 (the point is to show what escapes)
        return f"{type(e).__name__}: {str(e)[:150]}"


def main() -> None:
    models = {"NB adjusted": effects.negative_binomial,
              "Poisson robust": effects.poisson_robust,
              "ZINB": effects.zero_inflated}
    for name, data in cases().items():
        print(f"## {name}")
        for label, func in models.items():
            print(f"  {label}: {show(func, data)}")


if __name__ == "__main__":
    main()
