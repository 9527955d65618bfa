"""Trial analyses: derived outcomes (each defined once in ``outcomes``), treatment effects and
the NB2 solver (``effects``, ``nbreg``), return to work (primary, interval-censored:
``discrete_time`` and ``turnbull``; ``survival`` also holds the right-censored sensitivity
analyses; input checks in ``survival_data``), recruitment and CONSORT counts, intervention
delivery, data quality, the baseline table, and ``plots``, the only module here that draws."""
