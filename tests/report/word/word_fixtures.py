"""A small run's artefacts for the Word report tests: tidy CSVs with the display tables made from
them (cells formatted here from the CSV values, as ``report.displays`` does), figures with
sidecars, a manifest and a filled checklist.

Tables: ``03_primary_irr`` (grouped columns, p-values), ``02_baseline`` (row groups, counts with
percentages, 60 rows so it runs over pages), ``07_wide_outcomes`` (12 columns: landscape) and
``07_case_matrix`` (participant-level). Figures: ``03_forest_irr`` (PNG+SVG, title and caption
in the sidecar), ``07_case_matrix`` (participant-level), ``05_steps_reached`` (no title: the
title comes from the name).
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from wave_analysis.outputs import save_figure, save_table  # noqa: E402
from wave_analysis.report.table import Column, DisplayTable, Row  # noqa: E402


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _write(tables: Path, frame: pd.DataFrame, table: DisplayTable) -> None:
    save_table(frame, table.name, folder=tables, synthetic=table.synthetic,
               participant_level=table.participant_level)
    (tables / f"{table.name}.table.json").write_text(table.to_json(), "utf-8")


def primary(tables: Path) -> None:
    frame = pd.DataFrame({
        "model": ["Negative binomial, adjusted", "Negative binomial, unadjusted",
                  "Poisson, robust SE"],
        "n_usual_care": [58, 58, 58], "n_vocational_support": [62, 62, 62],
        "irr": [0.91034, 0.88712, 0.93051], "ci_low": [0.64921, 0.61234, 0.70011],
        "ci_high": [1.27512, 1.28501, 1.23674], "p_value": [0.7312, 0.00042, 0.6514]})
    rows = tuple(Row((r.model, f"{r.n_usual_care}", f"{r.n_vocational_support}",
                      f"{r.irr:.3f} ({r.ci_low:.3f} to {r.ci_high:.3f})", _p(r.p_value)))
                 for r in frame.itertuples())
    cols = (Column("model", "Model"),
            Column("n_usual_care", "Usual care", group="Participants analysed", align="right"),
            Column("n_vocational_support", "Vocational support", group="Participants analysed",
                   align="right"),
            Column("irr", "IRR (80% CI)", align="decimal"), Column("p_value", "p", align="decimal"))
    _write(tables, frame, DisplayTable(
        "03_primary_irr", "Days absent over 6 months: incidence rate ratio", cols, rows,
        footnotes=("IRR: incidence rate ratio, vocational support over usual care.",),
        source_note="Negative binomial regression adjusted for practice and baseline absence; "
                    "notebook 03", synthetic=True))


def baseline(tables: Path, n_rows: int = 60) -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 60, size=(n_rows, 2))
    frame = pd.DataFrame({"variable": [f"Characteristic {i // 4 + 1}" for i in range(n_rows)],
                          "level": [f"Level {i % 4 + 1}" for i in range(n_rows)],
                          "n_uc": n[:, 0], "pct_uc": (100 * n[:, 0] / 130).round(6),
                          "n_vs": n[:, 1], "pct_vs": (100 * n[:, 1] / 130).round(6)})
    rows = tuple(Row((r.level, f"{r.n_uc} ({r.pct_uc:.1f}%)", f"{r.n_vs} ({r.pct_vs:.1f}%)"),
                     group=r.variable) for r in frame.itertuples())
    cols = (Column("level", "Characteristic"),
            Column("n_uc", "Usual care (n=130)", align="decimal"),
            Column("n_vs", "Vocational support (n=130)", align="decimal"))
    _write(tables, frame, DisplayTable("02_baseline", "Baseline characteristics by arm", cols,
                                       rows, source_note="tableone; notebook 02", synthetic=True))


def wide(tables: Path) -> None:
    rng = np.random.default_rng(11)
    values = rng.normal(50, 20, size=(6, 11)).round(4)
    frame = pd.DataFrame(values, columns=[f"week_{w:02d}_mean_days" for w in range(11)])
    frame.insert(0, "group", [f"Stakeholder group {i}" for i in range(6)])
    rows = tuple(Row((r[0], *(f"{v:,.2f}" for v in r[1:]))) for r in frame.itertuples(index=False))
    cols = (Column("group", "Group"), *(Column(c, f"Fortnight {i + 1} mean days absent",
                                               align="decimal")
                                        for i, c in enumerate(frame.columns[1:])))
    _write(tables, frame, DisplayTable("07_wide_outcomes", "Days absent by fortnight", cols, rows,
                                       source_note="notebook 07", synthetic=True))


def case_matrix(tables: Path) -> None:
    frame = pd.DataFrame({"participant_id": ["P001", "P002"], "days_absent": [12, 40]})
    rows = tuple(Row((r.participant_id, str(r.days_absent))) for r in frame.itertuples())
    cols = (Column("participant_id", "Participant"), Column("days_absent", "Days absent",
                                                            align="right"))
    _write(tables, frame, DisplayTable("07_case_matrix", "Case matrix", cols, rows,
                                       source_note="notebook 07", synthetic=True,
                                       participant_level=True))


def figures(folder: Path) -> None:
    specs = (("03_forest_irr", False, {"title": "Forest plot of rate ratios",
                                       "caption": "Points: IRR; lines: 80% CI."}),
             ("05_steps_reached", False, {}), ("07_case_matrix", True, {}))
    for name, private, meta in specs:
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.plot([0, 1, 2], [1, 3, 2])
        ax.set_title(name)
        save_figure(fig, name, folder=folder, synthetic=True, participant_level=private)
        plt.close(fig)
        for ext in ("png", "svg"):
            side = folder / ".artefacts" / f"{name}.{ext}.json"
            side.write_text(json.dumps({**json.loads(side.read_text()), **meta}), "utf-8")


def checklist(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "guideline": ["CONSORT 2025"] * 3, "item": ["1a", "13", "26"],
        "section": ["Title and abstract", "Results", "Open science"],
        "topic": ["Identified as randomised", "Participant flow", "Data sharing"],
        "evidence": ["", "CONSORT flow diagram", "Data dictionary"],
        "evidence_path": ["", "figures/01_consort_flow.png", "docs/data_dictionary.md"],
        "status": ["authors to complete", "evidenced", "evidenced"],
    }).to_csv(folder / "consort_2025.csv", index=False)


def manifest() -> dict:
    params = {"data_dir": "data/synthetic", "ci_level": 0.8, "n_boot": 2000, "seed": 2022}
    return {"notebooks": {"03_days_absent": {"notebook": "notebooks/03_days_absent.ipynb",
                                             "parameters": params, "status": "executed"},
                          "02_baseline": {"notebook": "notebooks/02_baseline.ipynb",
                                          "parameters": {"show_overall": True}}},
            "run": {"kind": "canonical", "name": "canonical", "why": "",
                    "data": {"synthetic": True, "description": "data/synthetic (synthetic)"}},
            "python": "3.11.7", "packages": {"numpy": "2.1.0", "statsmodels": "0.14.4"},
            "library": "0123456789abcdef"}


def make_run(root: Path) -> dict[str, Path]:
    """Write the artefacts under ``root``; returns the folders."""
    folders = {"figures": root / "figures", "tables": root / "tables",
               "checklists": root / "checklists"}
    for write in (primary, baseline, wide, case_matrix):
        write(folders["tables"])
    figures(folders["figures"])
    checklist(folders["checklists"])
    return folders
