"""Display tables of notebook 08 (definitive-trial sample size: analytic answers, methods,
sensitivity grid, simulated power, clustering by VSW)."""

from __future__ import annotations

import pandas as pd

from wave_analysis.report.displays.base import make, num, plain, source, tidy, txt
from wave_analysis.report.format import MISSING, fmt_int, fmt_number, is_missing
from wave_analysis.report.table import DisplayTable, Row

_NB = "08_definitive_trial_sample_size"
_ANALYTIC = "Zhu and Lakkis negative binomial sample size"


def _answer(value: object) -> str:
    """A whole number as such (n), anything else to 3 decimals (an IRR, a power)."""
    if is_missing(value):
        return MISSING
    return fmt_int(value) if float(value) == round(float(value)) else fmt_number(value, 3)


def sample_size_summary(frame: pd.DataFrame) -> DisplayTable:
    """The questions the notebook answers and their answers."""
    f = tidy(frame, required=("question", "answer"), table="sample-size summary")
    rows = [Row((plain(r.question), _answer(r.answer)))
            for r in f.itertuples()]
    return make("08_sample_size_summary", "Definitive trial: sample size", [
        txt("question", "Question"), num("answer", "Answer")], rows,
        source_note=source(f"{_ANALYTIC} from the published WAVE numbers", _NB))


def sample_size_methods(frame: pd.DataFrame) -> DisplayTable:
    """n per arm by each of the three Zhu and Lakkis methods."""
    f = tidy(frame, required=("method", "n_control", "n_intervention", "n_total",
                              "n_control_unrounded", "power"), table="sample-size methods")
    rows = [Row((fmt_int(r.method), fmt_int(r.n_control), fmt_int(r.n_intervention),
                 fmt_int(r.n_total), fmt_number(r.n_control_unrounded, 1),
                 fmt_number(r.power, 3))) for r in f.itertuples()]
    columns = [txt("method", "Method"), num("n_control", "Usual care", group="n per arm"),
               num("n_intervention", "Vocational support", group="n per arm"),
               num("n_total", "Total"), num("n_control_unrounded", "n per arm, unrounded"),
               num("power", "Power achieved")]
    return make("08_sample_size_methods", "Sample size by method (Zhu and Lakkis 2014)", columns,
                rows, source_note=source(_ANALYTIC, _NB))


def sample_size_grid(frame: pd.DataFrame) -> DisplayTable:
    """n per arm across the rate ratio (columns) and the dispersion (rows)."""
    f = tidy(frame, required=("irr", "dispersion", "n_control"), table="sample-size grid")
    irrs = sorted(f["irr"].unique())
    rows = []
    for k, part in f.groupby("dispersion", sort=True):
        by_irr = part.set_index("irr")["n_control"]
        rows.append(Row((fmt_number(k, 2), *[fmt_int(by_irr[i]) if i in by_irr.index else ""
                                               for i in irrs])))
    columns = [txt("dispersion", "Dispersion k"),
               *[num(f"irr_{fmt_number(i, 2)}", fmt_number(i, 2), group="n per arm, by IRR")
                 for i in irrs]]
    return make("08_sample_size_grid", "Sensitivity of the sample size to the rate ratio and the "
                "dispersion", columns, rows, source_note=source(_ANALYTIC, _NB))


def _power_mcse(power: object, mcse: object) -> str:
    return f"{fmt_number(power, 3)} ({fmt_number(mcse, 3)})"


def _cap(value: object) -> str:
    return "None" if is_missing(value) else f"{fmt_number(value, 0)} days"


def simulated_power(frame: pd.DataFrame) -> DisplayTable:
    """Simulated against analytic power at the analytic n and at the planned n, with and
    without the 182-day cap."""
    f = tidy(frame, required=("n_control", "cap", "irr", "dispersion", "analytic_power", "power",
                              "mcse", "n_sims", "n_failed"), table="simulated power")
    rows = [Row((fmt_int(r.n_control), _cap(r.cap), fmt_number(r.irr, 2),
                 fmt_number(r.dispersion, 2), fmt_number(r.analytic_power, 3),
                 _power_mcse(r.power, r.mcse), fmt_int(r.n_sims), fmt_int(r.n_failed)))
            for r in f.itertuples()]
    columns = [num("n_control", "n per arm"), txt("cap", "Days capped at"), num("irr", "IRR"),
               num("dispersion", "Dispersion k"), num("analytic_power", "Analytic power"),
               num("power", "Simulated power (MCSE)"), num("n_sims", "Simulations"),
               num("n_failed", "Failed fits")]
    return make("08_simulated_power", "Simulated power of the planned analysis", columns, rows,
                source_note=source("Monte Carlo simulation of the negative binomial analysis",
                                   _NB),
                footnotes=("MCSE: Monte Carlo standard error of the simulated power.",))


def simulated_smallest_n(frame: pd.DataFrame) -> DisplayTable:
    """The candidate n tried in the search for the smallest n reaching the target power."""
    f = tidy(frame, required=("n_control", "power", "mcse", "n_sims", "n_rejected", "n_failed"),
             table="smallest n search")
    rows = [Row((fmt_int(r.n_control), _power_mcse(r.power, r.mcse),
                 f"{fmt_int(r.n_rejected)} / {fmt_int(r.n_sims)}", fmt_int(r.n_failed)))
            for r in f.itertuples()]
    columns = [num("n_control", "n per arm"), num("power", "Simulated power (MCSE)"),
               num("n_rejected", "Rejections / simulations"), num("n_failed", "Failed fits")]
    return make("08_simulated_smallest_n", "Search for the smallest n per arm reaching the "
                "target power (days capped at 182)", columns, rows,
                source_note=source("Monte Carlo simulation with common random numbers across "
                                   "candidate n", _NB))


def vsw_clustering(frame: pd.DataFrame) -> DisplayTable:
    """Simulated power when the intervention arm is clustered by VSW."""
    f = tidy(frame, required=("n_control", "cap", "irr", "vsws", "vsw_variance", "power", "mcse",
                              "n_sims"), table="VSW clustering")
    rows = [Row((fmt_int(r.n_control), fmt_int(r.vsws), fmt_number(r.vsw_variance, 2),
                 _power_mcse(r.power, r.mcse), fmt_int(r.n_sims))) for r in f.itertuples()]
    columns = [num("n_control", "n per arm"), num("vsws", "VSWs"),
               num("vsw_variance", "Variance of VSW effect"),
               num("power", "Simulated power (MCSE)"), num("n_sims", "Simulations")]
    return make("08_vsw_clustering", "Sensitivity: clustering by vocational support worker",
                columns, rows, source_note=source("Monte Carlo simulation of a partially "
                                                  "nested design analysed by the arm-only model",
                                                  _NB))
