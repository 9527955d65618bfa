"""One builder per result table: the tidy frame a notebook saves -> a ``DisplayTable``.

Use them in notebooks as ``out.table(frame, name, display=displays.primary_irr(frame))``. Each
builder formats only what is in the frame (rounded as it is saved), so the display's numbers
can be checked against the CSV beside it; ``BUILDERS`` maps each saved table name to its
builder (names with ``{definition}`` take the return-to-work definition).
"""

from wave_analysis.report.displays.delivery import delivery_mode, delivery_summary, steps_reached
from wave_analysis.report.displays.effects import (
    primary_irr,
    productivity,
    published_comparison,
    questionnaires,
    sensitivity_irr,
)
from wave_analysis.report.displays.integration import (
    case_matrix,
    detail_outcomes,
    joint_display,
    quantitative_findings,
    representativeness,
    theme_outcomes,
)
from wave_analysis.report.displays.qualitative import (
    agreement,
    codebook,
    cooccurrence,
    quote_matrix,
    theme_counts,
)
from wave_analysis.report.displays.quality import (
    missingness,
    questionnaire_returns,
    table_sizes,
    validation_problems,
)
from wave_analysis.report.displays.recruitment import (
    consort_flow,
    feasibility_criteria,
    recruitment_by_month,
    recruitment_by_practice,
    table_one,
)
from wave_analysis.report.displays.sample_size import (
    sample_size_grid,
    sample_size_methods,
    sample_size_summary,
    simulated_power,
    simulated_smallest_n,
    vsw_clustering,
)
from wave_analysis.report.displays.survival import logrank, return_to_work, turnbull_curve

BUILDERS = {
    "00_validation_problems": validation_problems,
    "00_table_sizes": table_sizes,
    "00_missingness": missingness,
    "00_questionnaire_returns": questionnaire_returns,
    "01_consort_flow": consort_flow,
    "01_recruitment_by_practice": recruitment_by_practice,
    "01_recruitment_by_month": recruitment_by_month,
    "01_feasibility_criteria": feasibility_criteria,
    "02_table1": table_one,
    "03_primary_irr": primary_irr,
    "03_sensitivity_irr": sensitivity_irr,
    "03_published_comparison": published_comparison,
    "03_productivity": productivity,
    "03_questionnaires": questionnaires,
    "04_return_to_work_{definition}": return_to_work,
    "04_turnbull_{definition}": turnbull_curve,
    "04_logrank_{definition}": logrank,
    "05_delivery_summary": delivery_summary,
    "05_delivery_mode": delivery_mode,
    "05_steps_reached": steps_reached,
    "06_theme_counts": theme_counts,
    "06_cooccurrence": cooccurrence,
    "06_quote_matrix": quote_matrix,
    "06_agreement": agreement,
    "07_case_matrix": case_matrix,
    "07_joint_display": joint_display,
    "07_quantitative_findings": quantitative_findings,
    "07_theme_outcomes": theme_outcomes,
    "07_detail_outcomes": detail_outcomes,
    "07_representativeness": representativeness,
    "08_sample_size_summary": sample_size_summary,
    "08_sample_size_methods": sample_size_methods,
    "08_sample_size_grid": sample_size_grid,
    "08_simulated_power": simulated_power,
    "08_simulated_smallest_n": simulated_smallest_n,
    "08_vsw_clustering": vsw_clustering,
}

__all__ = ["BUILDERS", *sorted(f.__name__ for f in BUILDERS.values()), "codebook"]
