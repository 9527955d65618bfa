"""Formatted results: the display-table model (``table``), number formatting (``format``), the
builders that turn each tidy result frame into a display table (``displays``), and the HTML views
(``html`` static, ``interactive`` sortable and searchable, offline). Labels come from
``wave_analysis.design.label``. Sits beside ``outputs`` in the layer map: it imports the
vocabulary and helpers below it, never data or analysis code."""

from wave_analysis.report.table import Column, DisplayTable, Row

__all__ = ["Column", "DisplayTable", "Row"]
