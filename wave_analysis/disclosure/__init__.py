"""Statistical disclosure control of everything a run shares (UK trusted-research-environment
rules, as ACRO implements them), the identifier scan, and publishing from ``team_only/`` to
``shareable/``.

``publish(source, shareable, results_dir, *, identifiers, blocking)`` checks every artefact;
``identifiers_from(study_or_folder)`` collects what must never appear in a shared file;
``release(run_folder, artefact, reason=...)`` shares one withheld artefact with a recorded reason.
Notebooks describe each artefact with ``wave_analysis.disclosure.spec`` (``sdc=`` when saving).
"""

from wave_analysis.disclosure import spec
from wave_analysis.disclosure.identifiers import Identifiers, identifiers_from, scan
from wave_analysis.disclosure.publish import publish, release
from wave_analysis.disclosure.results import Summary
from wave_analysis.disclosure.rules import Thresholds

__all__ = ["Identifiers", "Summary", "Thresholds", "identifiers_from", "publish", "release",
           "scan", "spec"]
