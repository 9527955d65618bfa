"""The Word report (``reports/wave_report.docx``): every result table as a native Word table,
every figure with a numbered caption, a generated methods paragraph per notebook, the filled
reporting checklists, in the house style or a reference document's; participant-level results
only in a separate team-only document; identical bytes for identical inputs.

``build_word_report(figures_dir=..., tables_dir=..., out_dir=..., manifest=...)`` builds it."""

from wave_analysis.report.word.build import (
    REPORT_NAME,
    TEAM_ONLY_NAME,
    Built,
    build_word_report,
)

__all__ = ["REPORT_NAME", "TEAM_ONLY_NAME", "Built", "build_word_report"]
