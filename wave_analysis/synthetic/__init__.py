"""The bundled synthetic WAVE cohort: trial tables (``synthetic.trial``) and the interview corpus
(``synthetic.interviews``), calibrated to the published numbers."""
