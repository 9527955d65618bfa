"""Helper library for the WAVE mixed-methods notebooks.

Layers, lowest first (imports point down only; ``pyproject.toml`` holds the contracts):
``config``/``design``/``exceptions``/``_checks``/``_atomic`` -> ``data`` -> ``synthetic`` ->
``trial`` -> ``qualitative`` -> ``integration`` -> ``outputs`` -> ``runner`` -> ``cli``.
Notebooks stay thin: parameters, ``data.study.load_study``, library calls, ``outputs.Outputs``.
"""

__version__ = "0.1.0"
