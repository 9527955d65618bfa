"""Notebook 06 (qualitative themes) executed on the real NVivo fixture in ../shared/fixtures
(skipped when that folder is absent). The library helpers it uses are tested in
tests/qualitative/.
"""

from __future__ import annotations

import pandas as pd
import pytest

from wave_analysis.config import KERNEL_NAME, NOTEBOOKS_DIR, REPO_ROOT

SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
NVIVO = SHARED_FIXTURES / "refi-qda" / "nvivo12-win-oltas0517.qdpx"



@pytest.mark.slow
def test_notebook_runs_on_a_real_nvivo_project(tmp_path):
    if not NVIVO.is_file():
        pytest.skip(f"shared fixture {NVIVO} is absent")
    import papermill

    figures, tables = tmp_path / "figures", tmp_path / "tables"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "06_qualitative_themes.ipynb"), str(tmp_path / "06.ipynb"),
        parameters={"qdpx_file": str(NVIVO), "figures_dir": str(figures),
                    "tables_dir": str(tables), "coder": "someone_else"},
        kernel_name=KERNEL_NAME, progress_bar=False)
    counts = pd.read_csv(tables / "06_theme_counts.csv")
    # the fixture's README: 303 codings by one coder, every one rolls up to exactly one theme
    assert counts["segments"].sum() == 303
    assert set(counts["stakeholder_group"]) == {"patient"}  # the notebook's default group
    assert (counts["coder"] == "coder_1").all()  # unknown coder fell back to the first
    pairs = pd.read_csv(tables / "06_cooccurrence.csv")
    n_themes = len(counts)
    assert (pairs["unit"].value_counts() == n_themes * (n_themes - 1) // 2).all()
    # one coder: no agreement table. Real data written to folders that are not the shared
    # figures/ and reports/tables/: the participant-level quote matrix and per-interview heatmap
    # are kept there for the team (tests/test_outputs.py: never in the shared folders).
    assert sorted(p.name for p in tables.glob("*.csv")) == [
        "06_cooccurrence.csv", "06_quote_matrix.csv", "06_theme_counts.csv"]
    assert (figures / "06_themes_by_interview.svg").is_file()
    group_figure = (figures / "06_themes_by_group.svg").read_text("utf-8")
    assert "SYNTHETIC DATA" not in group_figure  # real data is never stamped synthetic
