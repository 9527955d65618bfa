"""Imports of real data-capture exports: a documented YAML mapping (``docs/import_mapping.md``)
turns a REDCap export, other systems' files or an SMS platform's message log into a schema-valid
export folder, validated by the project's own loader before anything is written.

Modules, one concern each:

* ``mapping``: load and check the mapping YAML (unknown keys -> the nearest valid key).
* ``sources``: read each declared source into text frames with source line numbers.
* ``redcap``: REDCap records, data dictionary, label exports and stats-package syntax files.
* ``columns``: build one output column (codes, dates, checkboxes, templates, events, instances).
* ``log_source``: an SMS log source handed to ``sms_log.sms_from_log``.
* ``engine``: :func:`import_export` (every problem at once; atomic write).
* ``report``: :class:`ImportReport`.
* ``template``: :func:`write_template`, a starting mapping for an export.
"""

from wave_analysis.data.imports.engine import import_export
from wave_analysis.data.imports.mapping import ImportMapping, load_mapping, shipped_mappings
from wave_analysis.data.imports.report import ImportReport
from wave_analysis.data.imports.template import template_text, write_template

__all__ = ["ImportMapping", "ImportReport", "import_export", "load_mapping", "shipped_mappings",
           "template_text", "write_template"]
