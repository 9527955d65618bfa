"""Helper library for the WAVE mixed-methods notebooks.

Notebooks stay thin: they set parameters, load data through :mod:`wave_analysis.io`, call the
analysis modules and save figures through :func:`wave_analysis.plotting.save_figure`.
"""

__version__ = "0.1.0"
