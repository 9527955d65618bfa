"""Data in: ``schema`` (pandera schemas), ``model`` (the ``TrialData``/``QualData`` containers),
``read`` (raw files of every format), ``load`` (coercion and lazy validation of an export folder,
with the cross-table rules of ``rules``), ``study`` (``load_study``: everything a notebook loads,
from tables or a ``.qdpx``), ``write`` (export folders), ``dictionary`` (the data dictionary) and
``qdpx`` (REFI-QDA exchange)."""
