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


# --- human labels: figures, tables and reports take every displayed name from here ---------
# Codes keep their spelling in data and tidy CSVs; readers see these labels.
SEX_LABELS = {"female": "Female", "male": "Male"}
CONDITION_LABELS = {"mental_health": "Mental health", "musculoskeletal": "Musculoskeletal",
                    "other": "Other condition"}
EMPLOYMENT_LABELS = {"employee_full_time": "Employee, full time",
                     "employee_part_time": "Employee, part time", "self_employed": "Self-employed"}
OCCUPATION_LABELS = {  # SOC 2020 major group titles
    "managers_directors": "Managers, directors and senior officials",
    "professional": "Professional occupations",
    "associate_professional": "Associate professional occupations",
    "administrative_secretarial": "Administrative and secretarial occupations",
    "skilled_trades": "Skilled trades occupations",
    "caring_leisure_service": "Caring, leisure and other service occupations",
    "sales_customer_service": "Sales and customer service occupations",
    "process_plant_machine": "Process, plant and machine operatives",
    "elementary": "Elementary occupations",
}
INELIGIBLE_REASON_LABELS = {
    "not_in_paid_work": "Not in paid work",
    "absence_under_2_weeks": "Absent under 2 weeks",
    "absence_over_6_months": "Absent over 6 months",
    "no_fit_note": "No fit note",
    "cannot_use_sms": "Cannot use SMS",
    "already_returned": "Already returned to work",
    "other": "Other reason",
    "not_recorded": "Reason not recorded",
}
TIMEPOINT_LABELS = {"6w": "6 weeks", "6m": "6 months"}
WORK_STATUS_LABELS = {"working_full": "Working, usual hours", "working_reduced": "Working, reduced "
                      "hours", "off_sick": "Off sick", "left_job": "Left the job"}
CONTACT_MODE_LABELS = {"phone": "Telephone", "video": "Video"}
WITHDRAWAL_LABELS = {"withdrew": "Withdrew", "lost_to_follow_up": "Lost to follow-up",
                     "died": "Died"}
CODE_LEVEL_LABELS = {"theme": "Theme", "subtheme": "Subtheme", "code": "Code"}
MISSING_RULE_LABELS = {  # trial.outcomes.RULES
    "sms_questionnaire": "SMS, gaps from the 6-month questionnaire",
    "interpolate": "interpolation between replies",
    "pro_rata": "pro rata",
    "worst_case": "worst case",
}
FEASIBILITY_LABELS = {"recruitment rate": "Recruitment rate", "engagement": "Engagement",
                      "sms reply rate": "SMS reply rate"}  # trial.recruitment.feasibility
STATISTIC_LABELS = {  # qualitative statistics drawn or tabulated
    "kappa": "Cohen's kappa (characters)",
    "presence_kappa": "Cohen's kappa (presence per interview)",
    "alpha_characters": "Krippendorff's alpha (characters)",
    "alpha_presence": "Krippendorff's alpha (presence per interview)",
    "percent_agreement": "Percent agreement",
    "jaccard": "Jaccard index",
    "c_coefficient": "C coefficient",
    "counts": "Co-occurrences",
    "segments": "Coded segments",
    "characters": "Coded characters",
    "coverage": "Coverage (share of transcript text)",
    "interviewees": "Interviewees",
    "share_interviewees": "Share of interviewees",
    "present": "Theme present",
}
VARIABLE_LABELS = {  # column names that reach an axis or a header
    "arm": "Arm",
    "stakeholder_group": "Stakeholder group",
    "theme_id": "Theme",
    "subtheme_id": "Subtheme",
    "code_id": "Code",
    "speaker": "Interviewee",
    "interview_id": "Interview",
    "practice_id": "Practice",
    "log_baseline_days": "log days absent before randomisation",
    "days_absent": "Days absent over 6 months",
    "days_absent_baseline": "Days off before randomisation",
}
# Every label set whose codes mean one thing wherever they appear ("other" is ambiguous, so the
# reasons for ineligibility are looked up with their own vocabulary).
_GENERAL_LABELS = (ARM_LABELS, GROUP_LABELS, SEX_LABELS, CONDITION_LABELS, EMPLOYMENT_LABELS,
                   OCCUPATION_LABELS, TIMEPOINT_LABELS, WORK_STATUS_LABELS, CONTACT_MODE_LABELS,
                   WITHDRAWAL_LABELS, CODE_LEVEL_LABELS, STATISTIC_LABELS, VARIABLE_LABELS)


def _merged(*vocabularies: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for vocabulary in vocabularies:
        for code, text in vocabulary.items():
            if out.setdefault(code, text) != text:
                raise ArgumentError(f"design labels: code {code!r} has two labels, "
                                    f"{out[code]!r} and {text!r}; keep one")
    return out


LABELS = _merged(*_GENERAL_LABELS)


def label(code, vocabulary: dict[str, str] | None = None) -> str:
    """The human label of a code: from ``vocabulary`` when given and it has the code, else from
    the general labels above; text with no label (theme names, practice ids) passes unchanged."""
    key = "" if code is None else str(code)
    if vocabulary is not None and key in vocabulary:
        return vocabulary[key]
    return LABELS.get(key, key)
