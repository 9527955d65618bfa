"""Fixtures for the data-layer tests: editing a CSV of a writable export copy in place."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest


class CsvEditor:
    """Edit a CSV as rows of strings (header is line 1), written back with LF line ends."""

    def rewrite(self, path: Path, edit: Callable[[list[list[str]]], list[list[str]]]) -> None:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        rows = edit(rows)
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)

    def set(self, path: Path, line: int, column: str, value: str) -> None:
        """Put ``value`` in ``column`` on file line ``line``."""
        def edit(rows):
            rows[line - 1][rows[0].index(column)] = value
            return rows
        self.rewrite(path, edit)


@pytest.fixture()
def csv_editor() -> CsvEditor:
    return CsvEditor()
