"""Reporting checklists filled from a run: CONSORT 2025, its pilot and feasibility extension,
GRAMMS and COREQ as versioned data (``data/*.yaml``, items paraphrased in our own words), and
``fill_checklists``, which points each item to the run's outputs that evidence it or leaves it to
the authors, writing ``<reports>/checklists/<guideline>.csv`` and ``checklists.html``."""

from wave_analysis.report.checklists.fill import CSV_COLUMNS, fill_checklists
from wave_analysis.report.checklists.filled import AUTHORS, EVIDENCED, FilledChecklist
from wave_analysis.report.checklists.guidelines import Guideline, Item, load_guidelines

__all__ = ["AUTHORS", "CSV_COLUMNS", "EVIDENCED", "FilledChecklist", "Guideline", "Item",
           "fill_checklists", "load_guidelines"]
