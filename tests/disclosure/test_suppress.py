"""Suppression: small cells hidden, and the hidden cells cannot be recovered from the margins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wave_analysis.disclosure import suppress


def _table():
    # practices x arms, with a total column and a total row that stay visible
    body = pd.DataFrame({"practice": ["A", "B", "C"], "usual": [20, 3, 15],
                         "support": [18, 14, 12], "other": [11, 25, 16]})
    body["total"] = body[["usual", "support", "other"]].sum(axis=1)
    totals = pd.DataFrame({"practice": ["total"], **{c: [body[c].sum()] for c in
                                                     ("usual", "support", "other", "total")}})
    return pd.concat([body, totals], ignore_index=True)


COUNTS = ["usual", "support", "other"]


def test_every_row_and_column_has_zero_or_at_least_two_hidden_cells():
    out, mask = suppress.suppress(_table(), COUNTS, threshold=10, total_row=3)
    body = mask.loc[0:2, COUNTS].to_numpy()
    assert out.at[1, "usual"] == suppress.SUPPRESSED  # primary
    assert all(n in (0, 2, 3) for n in body.sum(axis=0)) and all(
        n in (0, 2, 3) for n in body.sum(axis=1))
    assert body.sum() >= 4  # a hidden cell needs partners in its row and its column
    assert out.at[3, "usual"] != suppress.SUPPRESSED  # totals stay visible


def test_hidden_cells_cannot_be_solved_from_the_margins():
    """Write the row and column totals as linear equations in the hidden cells: the system has
    a non-trivial null space, so more than one table fits what is published."""
    table = _table()
    _, mask = suppress.suppress(table, COUNTS, threshold=10, total_row=3)
    body = mask.loc[0:2, COUNTS].to_numpy()
    hidden = [(i, j) for i in range(3) for j in range(3) if body[i, j]]
    rows = [[1.0 if h[0] == i else 0.0 for h in hidden] for i in range(3)]
    cols = [[1.0 if h[1] == j else 0.0 for h in hidden] for j in range(3)]
    a = np.array(rows + cols)
    assert np.linalg.matrix_rank(a) < len(hidden)  # not unique
    # an explicit second solution: move 1 around a cycle of hidden cells, still non-negative
    null = np.linalg.svd(a)[2][-1]
    values = np.array([table.at[i, COUNTS[j]] for i, j in hidden], dtype=float)
    other = values + null / np.abs(null).max()
    assert np.allclose(a @ other, a @ values) and not np.allclose(other, values)
    assert (other >= 0).all()


def test_without_secondary_suppression_the_cell_is_recovered():
    """The check above can fail: hide only the primary cell and the row total gives it back."""
    table = _table()
    primary = suppress.primary(table.loc[0:2, COUNTS].to_numpy(), 10)
    assert primary.sum() == 1
    i, j = map(int, np.argwhere(primary)[0])
    recovered = table.at[i, "total"] - sum(table.at[i, c] for k, c in enumerate(COUNTS) if k != j)
    assert recovered == table.at[i, COUNTS[j]]


def test_a_row_with_no_partner_cannot_be_protected():
    with pytest.raises(suppress.SuppressionError, match="row 0 has one suppressed cell"):
        suppress.suppress(pd.DataFrame({"n": [3], "m": [0]}), ["n", "m"], threshold=10)


def test_rounding_to_base_5_and_derived_columns_hidden():
    out = suppress.round_counts(pd.DataFrame({"n": [12, 13, 2], "rate": [0.1, 0.2, 0.3]}), ["n"],
                                base=5, derived=["rate"])
    assert out["n"].tolist() == [10, 15, 0]
    assert set(out["rate"]) == {suppress.SUPPRESSED}
