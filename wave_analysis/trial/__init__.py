"""Trial analyses: derived outcomes (defined once in ``trial.outcomes``), effects and the NB2
solver, survival, recruitment and CONSORT, delivery, data quality and the baseline table."""
