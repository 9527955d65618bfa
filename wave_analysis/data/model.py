"""The containers every analysis module receives: frozen dataclasses of validated DataFrames."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class TrialData:
    """Validated trial tables (see ``schema.TRIAL_TABLES`` for their columns)."""

    practices: pd.DataFrame
    screening: pd.DataFrame
    participants: pd.DataFrame
    sms: pd.DataFrame
    questionnaires: pd.DataFrame
    vsw_contacts: pd.DataFrame
    withdrawals: pd.DataFrame
    source: Path | None = None
    synthetic: bool = False  # True only for verified generator output (data.provenance)


@dataclass(frozen=True)
class QualData:
    """Validated qualitative tables plus transcript texts keyed by ``interview_id``."""

    interviews: pd.DataFrame
    codebook: pd.DataFrame
    codings: pd.DataFrame
    transcripts: Mapping[str, str] = field(default_factory=dict)
    source: Path | None = None
    synthetic: bool = False  # True only for verified generator output (data.provenance)
