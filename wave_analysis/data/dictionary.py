"""Generate the data dictionary (``docs/data_dictionary.md``) from the pandera schemas.

The schemas are the source of truth; ``wave-analysis dictionary`` rewrites the file and a test
fails when the committed copy is stale.
"""

from __future__ import annotations

import pandera.pandas as pa

from wave_analysis.data import schema

KIND_LABELS = {"id": "id (text)", "str": "text", "int": "integer", "float": "number",
               "date": "date (YYYY-MM-DD)", "bool": "true/false"}


def _rules(column: pa.Column) -> str:
    parts = []
    for check in column.checks:
        stats = check.statistics or {}
        if "allowed_values" in stats:
            parts.append("one of " + ", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif {"min_value", "max_value"} <= set(stats):
            parts.append(f"{stats['min_value']} to {stats['max_value']}")
        elif "min_value" in stats:
            parts.append(f">= {stats['min_value']}")
        elif "pattern" in stats:
            parts.append(f"matches `{stats['pattern']}`")
        else:
            parts.append(check.error or check.name)
    if column.unique:
        parts.append("unique")
    return "; ".join(parts)


def render() -> str:
    lines = [
        "# WAVE data dictionary",
        "",
        "Generated from `wave_analysis/schema.py` by `wave-analysis dictionary`; do not edit by "
        "hand.",
        "",
        "An export folder holds one file per table, named after the table (`participants.csv`, "
        "`sms.parquet`, ...), in CSV/TSV (UTF-8), XLSX, SPSS `.sav`, Stata `.dta` or Parquet; "
        "formats may be mixed. Interview transcripts are UTF-8 text files in `transcripts/`. "
        "Missing values are empty cells (also accepted: " + ", ".join(
            f"`{v}`" for v in ("NA", "N/A", "n/a", "null", ".")) + ").",
        "",
        schema.__doc__.split("Instruments.", 1)[1].strip().join(["**Instruments.** ", ""]),
        "",
    ]
    for group, tables in (("Trial tables", schema.TRIAL_TABLES),
                          ("Qualitative tables", schema.QUALITATIVE_TABLES)):
        lines += [f"## {group}", ""]
        for name, table in tables.items():
            lines += [f"### `{name}`", "", table.description or "", ""]
            if table.unique:
                lines += [f"Each combination of {', '.join(table.unique)} appears once.", ""]
            lines += ["| column | type | required | allowed values | meaning |",
                      "|---|---|---|---|---|"]
            for col_name, col in table.columns.items():
                kind = KIND_LABELS[col.metadata["kind"]]
                required = "no" if col.nullable else "yes"
                lines.append(f"| `{col_name}` | {kind} | {required} | {_rules(col)} | "
                             f"{col.description} |")
            lines.append("")
    lines += [
        "## Cross-table rules",
        "",
        "- every `practice_id` is listed in `practices`; every `participant_id` in `sms`, "
        "`questionnaires`, `vsw_contacts`, `withdrawals` and `screening` is in `participants`;",
        "- SMS, questionnaires and VSW contacts are not dated before the participant's "
        "randomisation; VSW contacts belong to vocational-support participants;",
        "- interviewed patients carry the participant id of an intervention-arm participant; "
        "other stakeholders carry none;",
        "- codings point at known codes and interviews; offsets lie inside the transcript "
        "(`end` exclusive, counted in Unicode characters); a theme has no parent.",
        "",
    ]
    return "\n".join(lines)
