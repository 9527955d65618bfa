"""The trial's vocabulary: arms, stakeholder groups, codebook levels, value sets, labels, colours
and the follow-up window. Every other module takes these names from here, so one concept has one
spelling (the intervention arm is ``INTERVENTION_ARM``, never the literal string)."""

from __future__ import annotations

from wave_analysis.exceptions import ArgumentError

# --- arms ---------------------------------------------------------------------------------
CONTROL_ARM = "usual_care"
INTERVENTION_ARM = "vocational_support"
ARMS = (CONTROL_ARM, INTERVENTION_ARM)  # reference arm first: effects are intervention vs control
ARM_LABELS = {CONTROL_ARM: "Usual care", INTERVENTION_ARM: "Vocational support"}
ARM_COLOURS = {CONTROL_ARM: "#7f7f7f", INTERVENTION_ARM: "#1b7837"}
ARM_PALETTE = {ARM_LABELS[k]: v for k, v in ARM_COLOURS.items()}  # keyed by label, for seaborn

# --- follow-up: an SMS every 14 days for 13 fortnights = the 182-day primary outcome window -
FORTNIGHTS = 13
DAYS_PER_FORTNIGHT = 14
WINDOW_DAYS = FORTNIGHTS * DAYS_PER_FORTNIGHT

# --- participants --------------------------------------------------------------------------
SEXES = ("female", "male")
CONDITION_GROUPS = ("mental_health", "musculoskeletal", "other")
EMPLOYMENT_TYPES = ("employee_full_time", "employee_part_time", "self_employed")
OCCUPATION_GROUPS = (  # SOC 2020 major groups
    "managers_directors",
    "professional",
    "associate_professional",
    "administrative_secretarial",
    "skilled_trades",
    "caring_leisure_service",
    "sales_customer_service",
    "process_plant_machine",
    "elementary",
)
# Age bands used to describe interviewees (coarse, so a band never singles a person out).
AGE_BANDS = ((18, 34, "18-34"), (35, 49, "35-49"), (50, 200, "50+"))

# --- recruitment, follow-up and delivery ---------------------------------------------------
INELIGIBLE_REASONS = (
    "not_in_paid_work",
    "absence_under_2_weeks",
    "absence_over_6_months",
    "no_fit_note",
    "cannot_use_sms",
    "already_returned",
    "other",
)
TIMEPOINTS = ("6w", "6m")
WORK_STATUSES = ("working_full", "working_reduced", "off_sick", "left_job")
CONTACT_MODES = ("phone", "video")
WITHDRAWAL_TYPES = ("withdrew", "lost_to_follow_up", "died")

# --- qualitative study ---------------------------------------------------------------------
STAKEHOLDER_GROUPS = ("patient", "employer", "vsw", "gp")
GROUP_LABELS = {"patient": "Patient", "employer": "Employer", "vsw": "VSW", "gp": "GP"}
CODE_LEVELS = ("theme", "subtheme", "code")  # codebook levels, broadest first


def age_band(age: float) -> str | None:
    """The ``AGE_BANDS`` label ("18-34", "35-49", "50+") of an age in years; None when missing."""
    if age is None or age != age:  # None or NaN
        return None
    for lo, hi, label in AGE_BANDS:
        if lo <= age <= hi:
            return label
    raise ArgumentError(f"age {age} is below {AGE_BANDS[0][0]}: the trial recruited adults only")


# --- human labels: the one place a column name or a category value gets its display text -----
# Figures (axis labels, legends) and display tables take their words from here.
CATEGORY_LABELS = {
    **ARM_LABELS,
    **GROUP_LABELS,
    "all": "All",
    "female": "Female", "male": "Male",
    "mental_health": "Mental health", "musculoskeletal": "Musculoskeletal", "other": "Other",
    "employee_full_time": "Employee, full time", "employee_part_time": "Employee, part time",
    "self_employed": "Self-employed",
    "managers_directors": "Managers, directors and senior officials",
    "professional": "Professional occupations",
    "associate_professional": "Associate professional and technical occupations",
    "administrative_secretarial": "Administrative and secretarial occupations",
    "skilled_trades": "Skilled trades occupations",
    "caring_leisure_service": "Caring, leisure and other service occupations",
    "sales_customer_service": "Sales and customer service occupations",
    "process_plant_machine": "Process, plant and machine operatives",
    "elementary": "Elementary occupations",
    "not_in_paid_work": "Not in paid work", "absence_under_2_weeks": "Absent under 2 weeks",
    "absence_over_6_months": "Absent over 6 months", "no_fit_note": "No fit note",
    "cannot_use_sms": "Cannot use SMS", "already_returned": "Already returned to work",
    "6w": "6 weeks", "6m": "6 months",
    "working_full": "Working, full hours", "working_reduced": "Working, reduced hours",
    "off_sick": "Off sick", "left_job": "Left job",
    "phone": "Phone", "video": "Video",
    "withdrew": "Withdrew", "lost_to_follow_up": "Lost to follow-up", "died": "Died",
    "theme": "Theme", "subtheme": "Subtheme", "code": "Code",
    "green": "Green", "amber": "Amber", "red": "Red",
    "interviewed": "Interviewed patients", "other_intervention": "Rest of intervention arm",
    "segment": "Segment", "interview": "Interview",
    "sms reply rate": "SMS reply rate",
}
VARIABLE_LABELS = {
    "arm": "Arm",
    "participant_id": "Participant",
    "practice_id": "Practice",
    "stakeholder_group": "Stakeholder group",
    "code_id": "Code",
    "theme_id": "Theme",
    "sex": "Sex",
    "age": "Age, years",
    "age_band": "Age band, years",
    "condition_group": "Condition group",
    "employment_type": "Employment",
    "occupation_group": "Occupation (SOC 2020 major group)",
    "days_absent": "Days absent over 6 months",
    "rtw_days": "Days to return to work",
    "vsw_contacts": "VSW contacts",
    "timepoint": "Time point",
    "eq5d_index": "EQ-5D-5L index",
    "eq_vas": "EQ VAS (0-100)",
    "rtwse": "Return-to-work self-efficacy (RTWSE-11)",
    "productivity_loss_gbp": "Productivity loss, GBP",
    "estimate": "Estimate",
    "ci_low": "Lower limit",
    "ci_high": "Upper limit",
    "p_value": "P value",
    "n": "n",
    "coverage": "Coverage",
    "segments": "Segments",
    "interviewees": "Interviewees",
}


def label(name: object) -> str:
    """The display text of a category value or a column name: from ``CATEGORY_LABELS`` or
    ``VARIABLE_LABELS``, else the name with underscores as spaces and a capital first letter
    (``"response_rate"`` -> ``"Response rate"``). Non-strings are returned as text."""
    if not isinstance(name, str):
        return str(name)
    if name in CATEGORY_LABELS:
        return CATEGORY_LABELS[name]
    if name in VARIABLE_LABELS:
        return VARIABLE_LABELS[name]
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
