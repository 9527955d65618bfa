"""What an import did, for the person who has to trust it: rows read per source, rows written per
table, every code mapped (source code -> project value, count), rows dropped and why, forms not
marked complete (reported, never dropped), and for an SMS log the parse rate and the review count.
Written beside the tables as ``import_report.md`` and ``import_report.json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Dropped:
    table: str
    reason: str
    rows: int


@dataclass(frozen=True)
class Incomplete:
    """Rows kept although their form is not marked Complete (status 0 or 1)."""

    table: str
    form: str
    status: str
    rows: int


@dataclass(frozen=True)
class SmsSummary:
    inbound: int
    parsed: int
    parse_rate: float
    review: int  # replies in the review file
    held_out: int  # fortnights whose days_off stay missing until a person resolves them
    review_file: str


@dataclass(frozen=True)
class ImportReport:
    """The outcome of :func:`~wave_analysis.data.imports.import_export`."""

    mapping: str
    source: str
    out_dir: str
    rows_read: Mapping[str, int]
    rows_written: Mapping[str, int]
    codes: Mapping[str, tuple[tuple[str, object, int], ...]] = field(default_factory=dict)
    dropped: tuple[Dropped, ...] = ()
    incomplete: tuple[Incomplete, ...] = ()
    copied: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sms: SmsSummary | None = None

    def lines(self) -> list[str]:
        """The summary the CLI prints."""
        out = [f"imported {self.source} with mapping {self.mapping} into {self.out_dir}"]
        out.append("read: " + ", ".join(f"{f} {n} rows" for f, n in self.rows_read.items()))
        out.append("wrote: " + ", ".join(f"{t} {n}" for t, n in self.rows_written.items()))
        if self.copied:
            out.append("copied unchanged: " + ", ".join(self.copied))
        for d in self.dropped:
            out.append(f"dropped {d.rows} {d.table} source rows: {d.reason}")
        for i in self.incomplete:
            out.append(f"kept {i.rows} {i.table} rows whose form '{i.form}' is {i.status} "
                       "(not marked Complete)")
        out += [f"note: {n}" for n in self.notes]
        if self.sms is not None:
            s = self.sms
            out.append(f"SMS replies parsed: {s.parsed} of {s.inbound} ({s.parse_rate:.1%}); "
                       f"{s.review} replies for review in {s.review_file}; {s.held_out} "
                       "fortnights missing until a person resolves them in the overrides file")
        out.append(f"codes mapped: {len(self.codes)} columns (see import_report.md)")
        return out

    def to_markdown(self) -> str:
        md = ["# Import report", "", *[f"- {line}" for line in self.lines()[:-1]], "",
              "## Codes mapped", "", "| column | source code | value | rows |",
              "|---|---|---|---|"]
        for column, rows in self.codes.items():
            md += [f"| {column} | {code} | {value} | {n} |" for code, value, n in rows]
        return "\n".join(md) + "\n"

    def to_json(self) -> str:
        data = asdict(self)
        data["codes"] = {k: [list(r) for r in v] for k, v in self.codes.items()}
        return json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"
