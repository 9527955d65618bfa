"""Every path and project-wide default in one place, and ``resolve()`` for notebook paths."""

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
LOCK_FILE = REPO_ROOT / "requirements-lock.txt"

# The Jupyter kernel `make` registers inside .venv; papermill runs every notebook with it.
KERNEL_NAME = "wave-analysis"

# Seed of the bundled synthetic cohort (data/synthetic). Chosen once; see synthetic/trial.py.
DEFAULT_SEED = 2022


def resolve(path) -> Path:
    """Relative paths in notebook parameters are relative to the repository root, so a notebook
    opened in JupyterLab (working directory notebooks/) and one run by papermill agree."""
    path = Path(path)
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()
