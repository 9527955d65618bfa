"""Tests of qualitative.segments through the public analyses: transcript checks and
independence of the codings' row order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wave_analysis.data.model import QualData
from wave_analysis.exceptions import ValidationError
from wave_analysis.qualitative.cooccurrence import cooccurrence
from wave_analysis.qualitative.counts import theme_counts
from wave_analysis.qualitative.quotes import quote_matrix_markdown, quotes


def test_lone_surrogate_in_transcript_is_refused(small):
    texts = dict(small.transcripts)
    texts["i2"] = "bad \udcff text" + texts["i2"][13:]
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    with pytest.raises(ValidationError,
                       match="transcript of interview i2 contains a lone surrogate"):
        theme_counts(data)


def test_missing_transcript_is_named(small):
    texts = {k: v for k, v in small.transcripts.items() if k != "i4"}
    data = QualData(small.interviews, small.codebook, small.codings, texts)
    with pytest.raises(ValidationError, match="transcripts has no text for interview i4"):
        theme_counts(data)


def test_results_do_not_depend_on_codings_row_order(small):
    shuffled = small.codings.sample(frac=1.0, random_state=np.random.default_rng(5).integers(1e6))
    other = QualData(small.interviews, small.codebook, shuffled.reset_index(drop=True),
                     small.transcripts)
    pd.testing.assert_frame_equal(theme_counts(small).table, theme_counts(other).table)
    pd.testing.assert_frame_equal(cooccurrence(small).to_frame(),
                                  cooccurrence(other).to_frame())
    assert quote_matrix_markdown(quotes(small)) == quote_matrix_markdown(quotes(other))
    assert quotes(small).to_csv() == quotes(other).to_csv()
