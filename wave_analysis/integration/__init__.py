"""Mixed-methods integration: each interviewee's themes beside their trial outcomes.

Import the module you need (this package re-exports nothing):

- ``cases``: :func:`~wave_analysis.integration.cases.case_matrix`, one row per interviewed
  patient (speaker label, arm, practice label, sex, age band, condition group, days absent,
  return-to-work time, VSW contacts) with each theme's presence and segment count; and
  ``outcome_frame``, one row per randomised participant;
- ``findings``: the trial-level findings a theme can sit beside (computed, never typed);
- ``inferences``: the analyst's meta-inferences read from a YAML file;
- ``joint_display``: themes as rows with interviewees per stakeholder group, an exemplar quote,
  the linked finding and the meta-inference;
- ``theme_outcomes``: outcomes of interviewees with and without each theme (descriptive only);
- ``representativeness``: interviewed patients against the rest of the intervention arm and the
  control arm;
- ``privacy``: practice labels and the check that no identifier reaches an output;
- ``plots``: every drawing; ``display``: the styled case matrix for notebooks.

Privacy. The only participant-level key in any output is the speaker label (``Patient 03``);
practices appear as ``Practice A``... Trial participant ids, practice ids and names, interview
ids, transcript file names and dates never leave this package; the case matrix is still
participant-level data (for the research team, never for publication).
"""
