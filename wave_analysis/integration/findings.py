"""The trial-level findings a theme can sit beside in the joint display, computed from the trial
tables (never typed): one row per key of :data:`FINDINGS` with the numbers per arm and a
summary in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wave_analysis.data.model import TrialData
from wave_analysis.design import ARM_LABELS, ARMS, CONTROL_ARM, INTERVENTION_ARM
from wave_analysis.integration._format import number
from wave_analysis.integration.cases import outcome_frame
from wave_analysis.trial import outcomes

__all__ = ["FINDINGS", "quantitative_findings"]

# The quantitative findings a theme can be linked to in the inferences file (key -> label).
FINDINGS = {
    "rtwse_change": "Return-to-work self-efficacy (RTWSE-11, 1-6): change baseline to 6 months",
    "vsw_contacts": "VSW contacts per intervention-arm participant",
    "days_absent": "Days absent from work over 6 months",
    "return_to_work": "Return to work within 6 months",
    "eq5d_change": "EQ-5D-5L index: change baseline to 6 months",
    "productivity": "Work productivity loss at 6 months (GBP)",
}
_LABEL = {a: ARM_LABELS[a].lower() for a in ARMS}
_INTERVENTION_FIRST = (INTERVENTION_ARM, CONTROL_ARM)  # the order summaries name the arms in


def _mean_sd(values: pd.Series) -> tuple[int, float, float]:
    v = values.dropna().astype(float)
    return int(v.size), float(v.mean()) if v.size else np.nan, \
        float(v.std(ddof=1)) if v.size > 1 else np.nan


def _row(key: str, statistic: str, n: dict, value: dict, difference: float,
         summary: str) -> dict:
    """One findings row: per-arm columns are named after the arms (n_<arm>, value_<arm>)."""
    return {"finding": key, "statistic": statistic,
            f"n_{CONTROL_ARM}": n[CONTROL_ARM], f"value_{CONTROL_ARM}": value[CONTROL_ARM],
            f"n_{INTERVENTION_ARM}": n[INTERVENTION_ARM],
            f"value_{INTERVENTION_ARM}": value[INTERVENTION_ARM], "difference": difference,
            "summary": summary}


def _by_arm(arms: dict, key: str, column: str, statistic: str, *,
            style: tuple[int, bool, str]) -> dict:
    """Mean (SD, n) per arm and the unadjusted difference, intervention minus control.

    ``style``: decimals, whether to sign the means, and the unit written after the numbers."""
    digits, sign, unit = style
    stats = {a: _mean_sd(arms[a][column]) for a in ARMS}
    diff = stats[INTERVENTION_ARM][1] - stats[CONTROL_ARM][1]
    parts = [f"{_LABEL[a]} {number(stats[a][1], digits, sign)}{unit} "
             f"(SD {number(stats[a][2], digits)}, n {stats[a][0]})" for a in _INTERVENTION_FIRST]
    summary = (f"{statistic}: " + "; ".join(parts)
               + f"; difference {number(diff, digits, True)}{unit} (unadjusted)")
    return _row(key, statistic, {a: stats[a][0] for a in ARMS},
                {a: stats[a][1] for a in ARMS}, diff, summary)


def _vsw_contacts(trial: TrialData, arm: pd.DataFrame) -> dict:
    """Contacts per intervention-arm participant who received the intervention, and modes."""
    c = trial.vsw_contacts
    received = outcomes.received_intervention(trial).reindex(arm["participant_id"]).to_numpy()
    with_contact = arm.loc[received, "vsw_contacts"]
    modes = c["mode"].astype(str).value_counts(normalize=True)
    mode_text = ", ".join(f"{m} {share:.0%}" for m, share in modes.sort_index().items())
    minutes = c["minutes"].astype(float)
    rng = (f"range {int(with_contact.min())}-{int(with_contact.max())}"
           if len(with_contact) else "no contacts")
    mean = float(with_contact.mean()) if len(with_contact) else np.nan
    summary = (f"{int(received.sum())}/{len(arm)} intervention-arm participants had at "
               f"least one VSW contact; mean {number(mean)} contacts ({rng}); modes: "
               f"{mode_text or 'none'}; median "
               f"{number(float(minutes.median()) if len(minutes) else np.nan, 0)} minutes "
               "per contact")
    return _row("vsw_contacts", "mean contacts per participant with any",
                {CONTROL_ARM: 0, INTERVENTION_ARM: int(received.sum())},
                {CONTROL_ARM: np.nan, INTERVENTION_ARM: mean}, np.nan, summary)


def _return_to_work(arms: dict, definition: str) -> dict:
    ret = {a: (int(arms[a]["rtw_event"].sum()), len(arms[a])) for a in ARMS}
    share = {a: ret[a][0] / ret[a][1] if ret[a][1] else np.nan for a in ARMS}
    what = "first return" if definition == "first" else "sustained return"
    summary = f"{what} to work reported within 6 months: " + "; ".join(
        f"{_LABEL[a]} {ret[a][0]}/{ret[a][1]} ({number(100 * share[a], 0)}%)"
        for a in _INTERVENTION_FIRST)
    return _row("return_to_work", f"share reporting a {what} within 6 months",
                {a: ret[a][1] for a in ARMS}, share,
                share[INTERVENTION_ARM] - share[CONTROL_ARM], summary)


def quantitative_findings(trial: TrialData, *, definition: str = "first",
                          rule: str = outcomes.PRIMARY_RULE) -> pd.DataFrame:
    """The trial-level findings a theme can sit beside, computed from the trial tables.

    One row per key of :data:`FINDINGS`: ``finding``, ``label``, ``statistic`` (what the values
    are), ``n_<control arm>``, ``value_<control arm>``, ``n_<intervention arm>``,
    ``value_<intervention arm>`` (arms as in ``design.ARMS``), ``difference`` (intervention
    minus control; NaN where it does not apply) and ``summary`` (the same numbers in words).
    Changes are unadjusted mean changes of participants with both values (descriptive; the
    ANCOVA is in ``trial.effects``).
    """
    f = outcome_frame(trial, definition=definition, rule=rule)
    arms = {a: f[f["arm"] == a] for a in ARMS}
    rows = [
        _by_arm(arms, "rtwse_change", "rtwse_change", "mean change in RTWSE-11",
                style=(2, True, "")),
        _vsw_contacts(trial, arms[INTERVENTION_ARM]),
        _by_arm(arms, "days_absent", "days_absent", "mean days absent over 6 months",
                style=(1, False, "")),
        _return_to_work(arms, definition),
        _by_arm(arms, "eq5d_change", "eq5d_change", "mean change in EQ-5D-5L index",
                style=(3, True, "")),
        _by_arm(arms, "productivity", "productivity_6m", "mean productivity loss at 6 months",
                style=(0, False, " GBP")),
    ]
    out = pd.DataFrame(rows)
    out.insert(1, "label", out["finding"].map(FINDINGS))
    return out
