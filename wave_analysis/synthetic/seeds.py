"""One seed, independent random streams for the synthetic generators.

``wave-analysis synth --seed N`` seeds one ``numpy.random.SeedSequence(N)``; the trial generator
and the interview generator each draw from their own child of it (``SeedSequence.spawn``), so
their streams are independent rather than two generators seeded with the same integer.
"""

from __future__ import annotations

import numpy as np

from wave_analysis._checks import check_int, check_one_of

STREAMS = ("trial", "interviews")  # spawn order: adding a stream must append, never reorder


def stream(seed: int, name: str) -> np.random.SeedSequence:
    """The child ``SeedSequence`` of ``SeedSequence(seed)`` that generator ``name`` draws from."""
    check_int("seed", seed, minimum=0)
    check_one_of("name", name, STREAMS)
    return np.random.SeedSequence(seed).spawn(len(STREAMS))[STREAMS.index(name)]
