"""Making a failing frequency table shareable: primary and secondary cell suppression, or
rounding counts to a base.

Primary suppression hides every count below the threshold (zeros are kept: they are reviewed,
not suppressed). Secondary suppression then hides more cells so no hidden cell can be recovered
by subtracting the visible cells of its row or column from the row or column total: for the
body of a table (rows x count columns), while some row or column holds exactly one hidden cell,
the smallest visible non-zero cell of that row or column is hidden too. When a row or column
has no other cell to hide, the table cannot be protected by suppression (``SuppressionError``).

``SUPPRESSED`` ("[c]", the ONS mark for confidential) replaces hidden values; ``derived``
columns of a row (rates, percentages) are hidden with any of its counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wave_analysis._checks import check_int
from wave_analysis.exceptions import WaveError

SUPPRESSED = "[c]"


class SuppressionError(WaveError):
    """Suppression cannot protect the table (a row or column has no second cell to hide)."""


def primary(values: np.ndarray, threshold: int) -> np.ndarray:
    """Mask of counts above zero and below ``threshold``."""
    return (values > 0) & (values < threshold)


def _hide_one_more(values: np.ndarray, mask: np.ndarray, line: int, axis: int) -> None:
    cells = values[line, :] if axis == 0 else values[:, line]
    hidden = mask[line, :] if axis == 0 else mask[:, line]
    candidates = [(v, j) for j, v in enumerate(cells) if not hidden[j] and v > 0]
    if not candidates:
        where = f"row {line}" if axis == 0 else f"column {line}"
        raise SuppressionError(f"{where} has one suppressed cell and no other non-zero cell to "
                               "suppress: round the table or withhold it")
    _, j = min(candidates)
    if axis == 0:
        mask[line, j] = True
    else:
        mask[j, line] = True


def secondary(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Extend ``mask`` until every row and column has 0 or at least 2 hidden cells."""
    mask = mask.copy()
    while True:
        rows = [i for i in range(mask.shape[0]) if mask[i, :].sum() == 1]
        cols = [j for j in range(mask.shape[1]) if mask[:, j].sum() == 1]
        if not rows and not cols:
            return mask
        if rows:
            _hide_one_more(values, mask, rows[0], 0)
        else:
            _hide_one_more(values, mask, cols[0], 1)


def suppress(frame: pd.DataFrame, counts: list[str], *, threshold: int = 10,
             derived: tuple[str, ...] | list[str] = (),
             total_row: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` with small counts and the cells that would give them away replaced by
    ``SUPPRESSED``, and the boolean mask of hidden cells (same shape as ``frame``).

    ``counts``: the table body's count columns (a total column, if any, is not among them: it is
    shown, which is why secondary suppression is needed). ``total_row``: position of a totals row
    (shown, excluded from the body)."""
    threshold = check_int("threshold", threshold, minimum=1)
    body_rows = [i for i in range(len(frame)) if i != total_row]
    values = frame[counts].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy()[body_rows]
    mask_body = secondary(values, primary(values, threshold))
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for r, i in enumerate(body_rows):
        for c, col in enumerate(counts):
            mask.iat[i, frame.columns.get_loc(col)] = bool(mask_body[r, c])
        if mask_body[r].any():
            for col in derived:
                if col in frame.columns:
                    mask.iat[i, frame.columns.get_loc(col)] = True
    out = frame.astype(object).mask(mask, SUPPRESSED)
    return out, mask


def round_counts(frame: pd.DataFrame, counts: list[str], *, base: int = 5,
                 derived: tuple[str, ...] | list[str] = ()) -> pd.DataFrame:
    """Counts rounded to the nearest multiple of ``base`` (halves up); ``derived`` columns,
    which cannot be recomputed from rounded counts, are hidden."""
    base = check_int("base", base, minimum=1)
    out = frame.copy()
    for col in counts:
        values = pd.to_numeric(out[col], errors="coerce")
        out[col] = (np.floor(values / base + 0.5) * base).astype("Int64")
    for col in derived:
        if col in out.columns:
            out[col] = SUPPRESSED
    return out
