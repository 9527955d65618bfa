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
