"""How the case matrix is shown in a notebook: a pandas Styler with shaded segment counts.

Table presentation, not computation (so not in ``cases``) and not a matplotlib drawing (so not in
``plots``, whose functions return Figures that ``outputs.save_figure`` can write)."""

from __future__ import annotations

from wave_analysis.integration.cases import CaseMatrix, safe_column

__all__ = ["style_case_matrix"]


def style_case_matrix(cases: CaseMatrix):
    """The case matrix as a pandas Styler: segment counts shaded, theme names as headers."""
    shown = cases.table.drop(columns=[c for c in cases.table if c.startswith("present_")])
    rename = {f"segments_{safe_column(t)}": n
              for t, n in zip(cases.themes["theme_id"], cases.themes["theme"], strict=True)}
    shown = shown.rename(columns=rename)
    theme_names = list(rename.values())
    styler = shown.style.hide(axis="index").format(precision=0, na_rep="")
    if len(shown) and theme_names:
        styler = styler.background_gradient(cmap="Blues", subset=theme_names, vmin=0)
    return styler
