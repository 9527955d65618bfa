"""Every path and project-wide default in one place."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
FIGURES_DIR = REPO_ROOT / "figures"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORTS_DIR = REPO_ROOT / "reports"
EXECUTED_DIR = REPORTS_DIR / "notebooks"
TABLES_DIR = REPORTS_DIR / "tables"
DOCS_DIR = REPO_ROOT / "docs"
DATA_DICTIONARY = DOCS_DIR / "data_dictionary.md"
PUBLISHED_TARGETS = DATA_DIR / "published_targets.yaml"

# The Jupyter kernel `make` registers inside .venv; papermill runs every notebook with it.
KERNEL_NAME = "wave-analysis"

# Seed of the bundled synthetic cohort (data/synthetic). Chosen once; see synthetic.py.
DEFAULT_SEED = 2022

# Follow-up design: an SMS every 14 days for 13 fortnights = the 182-day primary outcome window.
FORTNIGHTS = 13
DAYS_PER_FORTNIGHT = 14
WINDOW_DAYS = FORTNIGHTS * DAYS_PER_FORTNIGHT

ARMS = ("usual_care", "vocational_support")
ARM_LABELS = {"usual_care": "Usual care", "vocational_support": "Vocational support"}
STAKEHOLDER_GROUPS = ("patient", "employer", "vsw", "gp")
