"""Data in: schemas, the ``TrialData``/``QualData`` containers, loading and validation of an
export folder, writing tables, the data dictionary, and REFI-QDA exchange (``data.qdpx``)."""
