"""Qualitative analysis of coded interviews: codebook tree, theme counts, co-occurrence, quotes and
inter-coder agreement.

Import the module you need (this package re-exports nothing):

- ``codebook``: the theme > subtheme > code tree, the codebook summary, checks of the codings
  table and :func:`~wave_analysis.qualitative.codebook.roll_up`;
- ``interviewees``: who was interviewed (interviewee keys, groups present, speaker labels);
- ``segments``: (internal) one coder's coded segments at one level as sorted integer arrays,
  merging overlaps and character coverage;
- ``counts``: theme counts per stakeholder group and the interview-by-theme matrix;
- ``cooccurrence``: theme-by-theme co-occurrence at segment or interview level;
- ``quotes``: coded text with context and pseudonymous speakers, quote matrices;
- ``agreement``: inter-coder agreement (Cohen's kappa, Krippendorff's alpha);
- ``plots``: every drawing (heatmaps, the agreement bars).

Everything works on the long codings table of a :class:`~wave_analysis.data.model.QualData`
(one row per coded segment: ``interview_id, code_id, start, end, coder``); every matrix here is a
pivot of it. Offsets are Unicode code points with ``end`` exclusive, which is exactly Python ``str``
indexing, so ``transcript[start:end]`` is the coded text (transcripts must be surrogate-free: a
lone surrogate means the text was decoded wrongly and the offsets cannot be trusted).

Levels. Each coding is rolled up the codebook tree: its *theme* is the root of its tree and its
*subtheme* the ancestor-or-self whose ``level`` is ``subtheme`` (missing when the segment was
coded directly at theme level, or under a theme without subthemes). Analyses take ``level=`` one
of ``design.CODE_LEVELS`` (theme, subtheme, code); segments without a subtheme are left out at
subtheme level.

Coder. Counts, co-occurrence and quotes use one coder's codings, ``coder=`` (default: the first
coder label in sorted order, e.g. ``coder_1``). Agreement compares two coders.

Interviewees. An interviewee is the trial ``participant_id`` when present (patients) and the
``interview_id`` otherwise, so a patient interviewed twice counts once.
"""
