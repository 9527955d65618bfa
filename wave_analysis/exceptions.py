"""One root error class, its subclasses and the project's warning classes.

The CLI turns any ``WaveError`` into one line on stderr and a non-zero exit. Bad arguments to a
public function raise ``ArgumentError`` (also a ``ValueError``, so callers that catch built-in
errors keep working); bad input data raises ``ValidationError`` with every ``Problem`` at once.
"""

from __future__ import annotations

from dataclasses import dataclass


class WaveError(Exception):
    """Root of every error the project raises on purpose."""


class ArgumentError(WaveError, ValueError):
    """A public function was called with an argument it cannot use (see ``_checks``)."""


class ConfigError(WaveError):
    """A project file that is not data (a YAML of parameters or inferences, a mapping) is wrong."""


class DataFormatError(WaveError):
    """A file could not be read as a table (encoding, separator, header, unknown extension)."""


@dataclass(frozen=True)
class Problem:
    """One validation finding, precise enough to fix by hand."""

    file: str
    column: str | None
    row: int | None  # 1-based line in the file (header is line 1), None for file-level problems
    value: object
    rule: str
    fix: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        col = f" column '{self.column}'" if self.column else ""
        val = "" if self.value is None else f": {self.value!r}"
        return f"{where}:{col}{val} {self.rule} (fix: {self.fix})"


class ValidationError(WaveError):
    """Raised with every problem found at once (lazy validation)."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        head = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {n - 3} more)" if n > 3 else ""
        super().__init__(f"{n} validation problem{'s' * (n != 1)}: {head}{more}")

    def report(self) -> str:
        return "\n".join(summarise(self.problems))


def _lines(rows: list[int]) -> str:
    """'28-40, 52' from a sorted list of line numbers."""
    runs, start = [], rows[0]
    for prev, cur in zip(rows, rows[1:] + [None], strict=True):
        if cur != prev + 1:
            runs.append(str(start) if start == prev else f"{start}-{prev}")
            start = cur
    return ", ".join(runs)


def summarise(problems: list[Problem]) -> list[str]:
    """One line per distinct problem: the same value breaking the same rule in the same column on
    many rows is reported once with its line numbers."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.column, repr(p.value), p.rule, p.fix), []).append(p)
    out = []
    for group in groups.values():
        first = group[0]
        rows = sorted({p.row for p in group if p.row is not None})
        if len(rows) <= 1:
            out.append(str(first))
            continue
        col = f" column '{first.column}'" if first.column else ""
        val = "" if first.value is None else f": {first.value!r}"
        out.append(f"{first.file}:{_lines(rows)}:{col}{val} {first.rule} "
                   f"({len(rows)} rows; fix: {first.fix})")
    return out


class ParameterError(WaveError):
    """A notebook parameter has an unknown name or the wrong type (notebook parameters only)."""


class NotebookError(WaveError):
    """A notebook failed while executing."""


class QdpxError(WaveError):
    """A REFI-QDA project could not be read safely."""


class FitError(WaveError):
    """A model could not be fitted reliably (no convergence, separation, a singular or indefinite
    information matrix, non-finite estimates). The message names the cause and what to try."""


class PrivacyError(WaveError):
    """An output would put participant-level content where it could be shared."""


class StatisticalWarning(UserWarning):
    """A non-fatal caveat of an analysis (a sparse cell, a fallback model, an undefined value)."""
