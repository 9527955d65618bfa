"""Write tables (and transcripts) as a schema-valid export folder, replacing it atomically.

CSV cells follow the loader's conventions (``data.load``): ISO dates, ``true``/``false`` for
booleans, empty for missing, UTF-8 with Unix line ends, so writing then loading is lossless.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wave_analysis import _atomic


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text in the loader's conventions."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(out[col]) or str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "true", False: "false"}, na_action="ignore")
    return out.to_csv(index=False, lineterminator="\n", na_rep="")


def write_tables(folder, tables: Mapping[str, pd.DataFrame], *,
                 transcripts: Mapping[str, str] | None = None,
                 extra_files: Mapping[str, str] | None = None) -> Path:
    """Write tables as CSV (and ``transcripts/`` as UTF-8) into ``folder``, replacing it
    atomically: the new folder is built beside the old one and swapped in only when complete."""

    def fill(staging: Path) -> None:
        for name, frame in tables.items():
            (staging / f"{name}.csv").write_text(csv_text(frame), encoding="utf-8", newline="")
        if transcripts:
            (staging / "transcripts").mkdir()
            for file, text in sorted(transcripts.items()):
                (staging / "transcripts" / file).write_text(text, encoding="utf-8", newline="")
        for file, text in (extra_files or {}).items():
            (staging / file).write_text(text, encoding="utf-8", newline="")

    return _atomic.replace_folder(Path(folder), fill)
