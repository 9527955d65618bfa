"""Outcomes of interviewed patients who expressed a theme beside those who did not.

With about ten interviewees these are descriptive counts and ranges; no test is made."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wave_analysis.integration.cases import CaseMatrix, safe_column

__all__ = ["NO_TEST_NOTE", "ThemeOutcomes", "theme_outcomes"]

NO_TEST_NOTE = ("Descriptive only: counts and ranges of the interviewed patients' outcomes by "
                "whether they expressed the theme. No statistical test is made; with this few "
                "purposively sampled interviewees a p-value would carry no meaning.")
_TABLE_COLUMNS = ["theme_id", "theme", "group", "n", "days_absent_n", "days_absent_min",
                  "days_absent_median", "days_absent_max", "returned", "censored",
                  "rtw_days_min", "rtw_days_median", "rtw_days_max"]
_POINT_COLUMNS = ["theme_id", "theme", "present", "speaker", "days_absent", "rtw_days",
                  "rtw_event"]


@dataclass(frozen=True)
class ThemeOutcomes:
    """Outcomes of interviewed patients with and without each theme (descriptive only).

    ``table``: one row per theme x presence ("with theme" / "without theme"): n, days absent
    n/min/median/max, returned (events) and censored counts, return-to-work days min/median/max
    among those who returned. ``points``: the per-patient values behind the strip plot
    (participant-level: speaker labels only). No test is made: with about ten interviewees a
    p-value would mean nothing.
    """

    table: pd.DataFrame
    points: pd.DataFrame
    note: str

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()


def _summary(sub: pd.DataFrame, theme: str, name: str, label: str) -> dict:
    days = sub["days_absent"].dropna().astype(float)
    event = sub["rtw_event"].fillna(False).astype(bool)
    rtw = sub.loc[event, "rtw_days"].astype(float)
    return {
        "theme_id": theme, "theme": name, "group": label, "n": len(sub),
        "days_absent_n": int(days.size),
        "days_absent_min": days.min() if days.size else np.nan,
        "days_absent_median": days.median() if days.size else np.nan,
        "days_absent_max": days.max() if days.size else np.nan,
        "returned": int(event.sum()), "censored": int((~event).sum()),
        "rtw_days_min": rtw.min() if rtw.size else np.nan,
        "rtw_days_median": rtw.median() if rtw.size else np.nan,
        "rtw_days_max": rtw.max() if rtw.size else np.nan,
    }


def _points(sub: pd.DataFrame, theme: str, name: str, flag: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "theme_id": theme, "theme": name, "present": flag,
        "speaker": sub["speaker"].to_numpy(),
        "days_absent": sub["days_absent"].astype(float).to_numpy(),
        "rtw_days": sub["rtw_days"].astype(float).to_numpy(),
        "rtw_event": sub["rtw_event"].fillna(False).astype(bool).to_numpy(),
    })


def theme_outcomes(cases: CaseMatrix, *, contrasting: bool = False) -> ThemeOutcomes:
    """Per theme, outcomes of interviewed patients who expressed it beside those who did not.

    ``contrasting=True`` keeps only the units some, but not all, interviewed patients in the
    trial expressed (useful at code level, where most rows would otherwise be one-sided).
    """
    t = cases.table[cases.table["in_trial"]]
    rows, points = [], []
    for theme, name in zip(cases.themes["theme_id"], cases.themes["theme"], strict=True):
        present = t[f"present_{safe_column(theme)}"].astype(bool)
        if contrasting and present.nunique() < 2:
            continue
        for flag, label in ((True, "with theme"), (False, "without theme")):
            sub = t[present == flag]
            rows.append(_summary(sub, theme, name, label))
            points.append(_points(sub, theme, name, flag))
    table = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    pts = (pd.concat(points, ignore_index=True) if points else
           pd.DataFrame(columns=_POINT_COLUMNS))
    return ThemeOutcomes(table, pts, NO_TEST_NOTE)
