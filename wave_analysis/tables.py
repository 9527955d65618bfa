"""Result tables: tidy CSV and Markdown export (and Table 1, built with tableone).

Every key result is written as a tidy CSV under ``reports/tables/`` (one row per estimate with
``estimate``, ``ci_low``, ``ci_high``, ``ci_level`` where they apply) so CI and other tools can read
it, plus a Markdown copy for people. Writes are atomic.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from wave_analysis.config import TABLES_DIR


def _atomic_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_table(frame: pd.DataFrame, name: str, *, folder: Path | str | None = None,
               formats: tuple[str, ...] = ("csv", "md"), float_digits: int = 6) -> list[Path]:
    """Write ``frame`` as ``folder/name.csv`` (full precision, rounded to ``float_digits`` so
    last-bit noise never changes the bytes) and ``name.md``."""
    folder = Path(folder) if folder is not None else TABLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    rounded = frame.round(float_digits)
    written = []
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            text = rounded.to_csv(index=False, lineterminator="\n")
        elif fmt == "md":
            text = rounded.to_markdown(index=False) + "\n"
        elif fmt == "html":
            text = rounded.to_html(index=False, border=0) + "\n"
        elif fmt == "tex":
            text = rounded.to_latex(index=False) + "\n"
        else:
            raise ValueError(f"unsupported table format {fmt!r}; use csv, md, html or tex")
        _atomic_text(path, text)
        written.append(path)
    return written
