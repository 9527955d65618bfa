"""A checklist filled from a run: each item with the evidence files found for it, and its
status ("evidenced" or "authors to complete")."""

from __future__ import annotations

from dataclasses import dataclass

from wave_analysis.report.checklists.guidelines import Artefact, Guideline, Item

EVIDENCED = "evidenced"
AUTHORS = "authors to complete"


@dataclass(frozen=True)
class FilledItem:
    """A checklist item and the evidence files found for it (relative to the checklists
    folder, with the artefact that each one is)."""

    item: Item
    found: tuple[tuple[Artefact, str], ...]

    @property
    def status(self) -> str:
        return EVIDENCED if self.found else AUTHORS


@dataclass(frozen=True)
class FilledChecklist:
    guideline: Guideline
    items: tuple[FilledItem, ...]

    @property
    def evidenced(self) -> int:
        return sum(f.status == EVIDENCED for f in self.items)

    @property
    def label(self) -> str:
        """The guideline with its version, as the CSV's ``guideline`` column says it."""
        g = self.guideline
        return g.name if g.version in g.name else f"{g.name} {g.version}"
