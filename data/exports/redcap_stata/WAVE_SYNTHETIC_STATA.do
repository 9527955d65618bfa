version 13
clear

import delimited record_id redcap_event_name redcap_repeat_instrument redcap_repeat_instance practice bl_age bl_sex fitnote_condition___1 fitnote_condition___2 fitnote_condition___3 bl_days_absent bl_absence_band bl_occupation bl_employment bl_eq5d_index bl_eq_vas bl_rtwse baseline_complete rand_date rand_arm rand_stratum randomisation_complete fu_returned_date fu_days_absent fu_work_status fu_productivity_loss fu_eq5d_index fu_eq_vas fu_rtwse followup_questionnaire_complete sms_sent sms_sent_date sms_reply_date sms_days_off sms_complete vsw_contact_ref vsw_date vsw_mode vsw_minutes vsw_step vsw_contact_complete wd_date wd_type wd_data_retained withdrawal_complete using "WAVE_SYNTHETIC_DATA_NOHDRS.csv", varnames(nonames)

label data "WAVE trial (SYNTHETIC DATA)"

label define practice_ 1 "Synthetic Practice 01" 2 "Synthetic Practice 02" 3 "Synthetic Practice 03" 4 "Synthetic Practice 04" 5 "Synthetic Practice 05" 6 "Synthetic Practice 06" 7 "Synthetic Practice 07" 8 "Synthetic Practice 08" 9 "Synthetic Practice 09" 10 "Synthetic Practice 10" 
label define bl_sex_ 1 "Female" 2 "Male" 
label define fitnote_condition___1_ 0 "Unchecked" 1 "Checked" 
label define fitnote_condition___2_ 0 "Unchecked" 1 "Checked" 
label define fitnote_condition___3_ 0 "Unchecked" 1 "Checked" 
label define bl_absence_band_ 1 "2 to 6 weeks" 2 "More than 6 weeks" 
label define bl_occupation_ 1 "Managers, directors and senior officials" 2 "Professional occupations" 3 "Associate professional occupations" 4 "Administrative and secretarial occupations" 5 "Skilled trades occupations" 6 "Caring, leisure and other service occupations" 7 "Sales and customer service occupations" 8 "Process, plant and machine operatives" 9 "Elementary occupations" 
label define bl_employment_ 1 "Employee, full time" 2 "Employee, part time" 3 "Self-employed" 
label define baseline_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 
label define rand_arm_ 1 "Usual care" 2 "Vocational support" 
label define randomisation_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 
label define fu_work_status_ 1 "Working, usual hours and duties" 2 "Working, reduced hours or duties" 3 "Off work sick" 4 "Left the job" 
label define followup_questionnaire_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 
label define sms_sent_ 1 "Yes" 0 "No" 
label define sms_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 
label define vsw_mode_ 1 "Telephone" 2 "Video call" 
label define vsw_step_ 1 "Step 1: assessment and return-to-work plan" 2 "Step 2: ongoing support and workplace liaison" 3 "Step 3: case review or onward referral" 
label define vsw_contact_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 
label define wd_type_ 1 "Withdrew from follow-up" 2 "Lost to follow-up" 3 "Died" 
label define wd_data_retained_ 1 "Yes" 0 "No" 
label define withdrawal_complete_ 0 "Incomplete" 1 "Unverified" 2 "Complete" 

label values practice practice_
label values bl_sex bl_sex_
label values fitnote_condition___1 fitnote_condition___1_
label values fitnote_condition___2 fitnote_condition___2_
label values fitnote_condition___3 fitnote_condition___3_
label values bl_absence_band bl_absence_band_
label values bl_occupation bl_occupation_
label values bl_employment bl_employment_
label values baseline_complete baseline_complete_
label values rand_arm rand_arm_
label values randomisation_complete randomisation_complete_
label values fu_work_status fu_work_status_
label values followup_questionnaire_complete followup_questionnaire_complete_
label values sms_sent sms_sent_
label values sms_complete sms_complete_
label values vsw_mode vsw_mode_
label values vsw_step vsw_step_
label values vsw_contact_complete vsw_contact_complete_
label values wd_type wd_type_
label values wd_data_retained wd_data_retained_
label values withdrawal_complete withdrawal_complete_

tostring rand_date, replace
gen _date_1 = date(rand_date,"YMD")
drop rand_date
rename _date_1 rand_date
format rand_date %dM_d,_CY

tostring fu_returned_date, replace
gen _date_2 = date(fu_returned_date,"YMD")
drop fu_returned_date
rename _date_2 fu_returned_date
format fu_returned_date %dM_d,_CY

tostring sms_sent_date, replace
gen _date_3 = date(sms_sent_date,"YMD")
drop sms_sent_date
rename _date_3 sms_sent_date
format sms_sent_date %dM_d,_CY

tostring sms_reply_date, replace
gen _date_4 = date(sms_reply_date,"YMD")
drop sms_reply_date
rename _date_4 sms_reply_date
format sms_reply_date %dM_d,_CY

tostring vsw_date, replace
gen _date_5 = date(vsw_date,"YMD")
drop vsw_date
rename _date_5 vsw_date
format vsw_date %dM_d,_CY

tostring wd_date, replace
gen _date_6 = date(wd_date,"YMD")
drop wd_date
rename _date_6 wd_date
format wd_date %dM_d,_CY

label variable record_id "Participant ID"
label variable redcap_event_name "Event Name"
label variable redcap_repeat_instrument "Repeat Instrument"
label variable redcap_repeat_instance "Repeat Instance"
label variable practice "Recruiting general practice"
label variable bl_age "Age at randomisation (years)"
label variable bl_sex "Sex"
label variable fitnote_condition___1 "Condition on the fit note (choice=Mental health condition)"
label variable fitnote_condition___2 "Condition on the fit note (choice=Musculoskeletal condition)"
label variable fitnote_condition___3 "Condition on the fit note (choice=Other condition)"
label variable bl_days_absent "Consecutive days off work sick before randomisation"
label variable bl_absence_band "Length of sickness absence at baseline"
label variable bl_occupation "Occupation (SOC 2020 major group)"
label variable bl_employment "Employment type"
label variable bl_eq5d_index "EQ-5D-5L index (England value set)"
label variable bl_eq_vas "EQ VAS (0 worst to 100 best imaginable health)"
label variable bl_rtwse "Return-to-work self-efficacy (RTWSE-11 item mean)"
label variable baseline_complete "Complete?"
label variable rand_date "Date randomised"
label variable rand_arm "Allocated arm"
label variable rand_stratum "Randomisation stratum (practice | absence band)"
label variable randomisation_complete "Complete?"
label variable fu_returned_date "Date questionnaire returned"
label variable fu_days_absent "Days off work sick since randomisation"
label variable fu_work_status "Current work status"
label variable fu_productivity_loss "Work productivity loss over the period (GBP)"
label variable fu_eq5d_index "EQ-5D-5L index (England value set)"
label variable fu_eq_vas "EQ VAS (0 worst to 100 best imaginable health)"
label variable fu_rtwse "Return-to-work self-efficacy (RTWSE-11 item mean)"
label variable followup_questionnaire_complete "Complete?"
label variable sms_sent "SMS sent this fortnight?"
label variable sms_sent_date "Date the SMS was sent"
label variable sms_reply_date "Date of the reply"
label variable sms_days_off "Days off work sick in the last 14 days (reply)"
label variable sms_complete "Complete?"
label variable vsw_contact_ref "Contact reference (VSW service log)"
label variable vsw_date "Date of contact"
label variable vsw_mode "Mode of contact"
label variable vsw_minutes "Length of contact (minutes)"
label variable vsw_step "Stepped-care step"
label variable vsw_contact_complete "Complete?"
label variable wd_date "Date of withdrawal (last contact when lost to follow-up)"
label variable wd_type "Type of withdrawal"
label variable wd_data_retained "May data collected before withdrawal be analysed?"
label variable withdrawal_complete "Complete?"

order record_id redcap_event_name redcap_repeat_instrument redcap_repeat_instance practice bl_age bl_sex fitnote_condition___1 fitnote_condition___2 fitnote_condition___3 bl_days_absent bl_absence_band bl_occupation bl_employment bl_eq5d_index bl_eq_vas bl_rtwse baseline_complete rand_date rand_arm rand_stratum randomisation_complete fu_returned_date fu_days_absent fu_work_status fu_productivity_loss fu_eq5d_index fu_eq_vas fu_rtwse followup_questionnaire_complete sms_sent sms_sent_date sms_reply_date sms_days_off sms_complete vsw_contact_ref vsw_date vsw_mode vsw_minutes vsw_step vsw_contact_complete wd_date wd_type wd_data_retained withdrawal_complete
set more off
describe
