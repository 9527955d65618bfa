"""The identifier scan: planted ids and quotes are found, clean artefacts give nothing."""

from __future__ import annotations

import time

import pytest

from wave_analysis.config import SYNTHETIC_DIR
from wave_analysis.data.study import load_study
from wave_analysis.disclosure import identifiers_from, scan
from wave_analysis.disclosure.identifiers import Identifiers, QuoteIndex, artefact_text


@pytest.fixture(scope="module")
def ids():
    return identifiers_from(load_study(SYNTHETIC_DIR))


def test_collects_every_kind(ids):
    assert "SYN-0001" in ids.values["participant id"]
    assert "SYN-P01" in ids.values["practice id"]
    assert "Synthetic Practice 01" in ids.values["practice name"]
    assert "SYN-I01" in ids.values["interview id"]
    assert "SYN-I01.txt" in ids.values["transcript file"]
    assert "2022-05-24" in ids.values["individual date"]  # SYN-0001's randomisation date
    assert "SYN-I01" in ids.transcripts
    assert identifiers_from(SYNTHETIC_DIR).values == ids.values  # a folder works too


def test_a_planted_trial_id_in_a_table_is_found(ids):
    table = "arm,n,mean\nusual_care,64,42.1\nvocational_support,66,SYN-0042\n"
    hits = scan(table, ids, where="t.csv")
    assert [(h.kind, h.value) for h in hits] == [("participant id", "SYN-0042")]
    assert "line 3" in hits[0].where and "t.csv" in hits[0].message("tables/t")


def test_an_id_inside_a_longer_token_is_not_a_hit(ids):
    assert scan("code SYN-00421 and XSYN-0001", ids) == []


def test_a_60_character_quote_in_markdown_is_found(ids):
    transcript = next(iter(ids.transcripts.values()))
    quote = " ".join(transcript[500:560].split())  # 60 characters, white space normalised
    md = f"| theme | quote |\n|---|---|\n| T1 | \u201c{quote}\u201d (Patient 01) |\n"
    hits = scan(md, ids, quote_chars=40)
    assert [h.kind for h in hits] == ["verbatim quote"]
    assert "characters, transcript" in hits[0].where


def test_a_39_character_run_is_not_a_quote(ids):
    transcript = next(iter(ids.transcripts.values()))
    assert scan(transcript[500:539], Identifiers({}, ids.transcripts), quote_chars=40) == []


def test_clean_artefacts_give_nothing(ids):
    clean = ("theme,group,interviewees\nT1,patient,10\nT2,employer,2\n"
             "The phased return was discussed by most patients in the intervention arm.\n")
    assert scan(clean, ids) == []


def test_svg_text_is_scanned(tmp_path, ids):
    svg = tmp_path / "f.svg"
    svg.write_text('<svg><g id="text_1"><!-- SYN-P03 --><path d="M 0 0"/></g></svg>')
    assert [h.value for h in scan(artefact_text(svg), ids)] == ["SYN-P03"]


def test_quote_index_scans_in_linear_time(ids):
    index = QuoteIndex(ids.transcripts, 40)
    text = "lorem ipsum dolor sit amet " * 4000  # ~100 kB
    start = time.perf_counter()
    assert index.runs(text) == []
    assert time.perf_counter() - start < 2.0
