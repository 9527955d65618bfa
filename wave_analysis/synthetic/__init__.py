"""The bundled synthetic WAVE cohort, calibrated to the published numbers: trial tables
(``synthetic.trial``), the interview corpus (``synthetic.interviews``, ``.transcripts``, phrase
banks in ``banks/*.yaml`` loaded by ``.banks``), one seed split into independent streams
(``.seeds``) and the dataset folder (``.dataset``)."""
