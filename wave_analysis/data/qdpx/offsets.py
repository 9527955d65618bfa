"""Transcript text as stored, and the mapping of a tool's selection offsets onto it.

Stored text: a leading byte-order mark is dropped and every CRLF (and lone CR) becomes LF, so a
transcript reads back identically with Python's default universal-newline ``open``. Offsets in
``codings`` are Unicode code points over that stored text, 0-based, end exclusive.

Offset units of a file (:data:`OFFSET_UNITS`): ``"codepoint"`` (the standard: code points over the
text as stored in the archive, CRLF counting two), ``"utf16"`` (NVivo for Windows: UTF-16 code
units, CRLF two, emoji two), ``"codepoint_lf"`` (ATLAS.ti: code points with CRLF counting one), or
``"auto"``: the unit under which most selections start and end on a word boundary (ties go to the
standard's ``codepoint``). A *word boundary* is a position that does not split a word: the text
start or end, or any position whose two neighbours are not both word characters (Unicode letters,
numbers or combining marks). Offsets inside a surrogate pair or a CRLF never count.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from wave_analysis._checks import check_one_of

OFFSET_UNITS = ("codepoint", "utf16", "codepoint_lf")

# per source: stored start, stored end, and whether the selection fits the text
Spans = tuple[np.ndarray, np.ndarray, np.ndarray]


# --- text ------------------------------------------------------------------------------------

def encoding_of(data: bytes) -> tuple[int, str]:
    """(bytes to skip, encoding) of a text source: UTF-8 with or without BOM, or UTF-16 by BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        return 3, "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 0, "utf-16"  # the codec reads and drops the BOM
    return 0, "utf-8"


def decode(data: bytes) -> str:
    """The text of a source file as the tool wrote it (BOM dropped, CRLF kept); raises
    ``UnicodeDecodeError`` for bytes that are not text in :func:`encoding_of`'s encoding."""
    skip, encoding = encoding_of(data)
    return strip_bom(data[skip:].decode(encoding))


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def normalise_text(raw: str) -> str:
    """The stored text: LF line ends only."""
    return raw.replace("\r\n", "\n").replace("\r", "\n")


# --- offsets ---------------------------------------------------------------------------------

def word_char_mask(text: str) -> np.ndarray:
    """True where a character is a word character (letter, number or combining mark)."""
    cats = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    # ASCII fast path, unicodedata for the rest (the text is mostly ASCII or Latin).
    mask = np.zeros(len(text), dtype=bool)
    ascii_ = cats < 128
    a = cats[ascii_]
    mask[ascii_] = ((a >= 48) & (a <= 57)) | ((a >= 65) & (a <= 90)) | ((a >= 97) & (a <= 122))
    for i in np.flatnonzero(~ascii_):
        mask[i] = unicodedata.category(text[i])[0] in "LNM"
    return mask


class OffsetMap:
    """Maps file offsets under each unit to code points over the stored (LF) text."""

    def __init__(self, raw: str):
        self.raw = raw
        cp = np.frombuffer(raw.encode("utf-32-le"), dtype="<u4") if raw else np.zeros(0, "<u4")
        n = len(raw)
        is_cr = cp == 13
        crlf = np.zeros(n, dtype=bool)
        if n > 1:
            crlf[:-1] = is_cr[:-1] & (cp[1:] == 10)
        self.dropped = np.flatnonzero(crlf)  # the CR of each CRLF disappears in stored text
        units16 = np.where(cp > 0xFFFF, 2, 1)
        self.u16_starts = np.concatenate([[0], np.cumsum(units16)])  # unit offset of cp i
        # codepoint_lf counts CRLF as one: raw index i sits at i - (CRs dropped before i).
        self.n_raw = n

    def to_stored(self, unit: str, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stored code-point offsets and a validity mask for file offsets ``pos``."""
        check_one_of("unit", unit, OFFSET_UNITS)
        pos = np.asarray(pos, dtype=np.int64)
        if unit == "utf16":
            idx = np.searchsorted(self.u16_starts, pos)
            ok = (idx < len(self.u16_starts)) & (pos >= 0)
            ok[ok] = self.u16_starts[idx[ok]] == pos[ok]  # not inside a surrogate pair
            raw_idx = idx
        elif unit == "codepoint":
            raw_idx = pos
            ok = (pos >= 0) & (pos <= self.n_raw)
        else:  # codepoint_lf: add the CRs dropped before each LF-space position
            n_lf = self.n_raw - len(self.dropped)
            lf_of_drop = self.dropped - np.arange(len(self.dropped))  # LF-space index of each CR
            raw_idx = pos + np.searchsorted(lf_of_drop, pos, side="left")
            ok = (pos >= 0) & (pos <= n_lf)
        raw_idx = np.where(ok, raw_idx, 0)
        # Between CR and LF of a CRLF: the break is one character in the stored text.
        inside_crlf = np.isin(raw_idx - 1, self.dropped)
        ok &= ~inside_crlf
        stored = raw_idx - np.searchsorted(self.dropped, raw_idx)
        return stored, ok


def boundary_ok(mask: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """True where stored offset ``pos`` is a word boundary of the text whose mask is ``mask``."""
    n = len(mask)
    pos = np.clip(pos, 0, n)
    inner = (pos > 0) & (pos < n)
    res = np.ones(len(pos), dtype=bool)
    p = pos[inner]
    res[inner] = ~(mask[p - 1] & mask[p])
    return res


# --- choosing the unit -----------------------------------------------------------------------

@dataclass(frozen=True)
class UnitChoice:
    """The offset unit used, why, the word-boundary share of every unit tried, and each
    source's selections converted under the chosen unit."""

    unit: str
    reason: str
    shares: Mapping[str, float]
    spans: Mapping[str, Spans]


def _convert(prepared: Mapping[str, tuple], unit: str) -> tuple[dict[str, Spans], float]:
    """Every source's selections under ``unit``, and the share that sit on word boundaries."""
    hits = total = 0
    out: dict[str, Spans] = {}
    for key, (offset_map, mask, spans) in prepared.items():
        s_st, s_ok = offset_map.to_stored(unit, spans[:, 0])
        e_st, e_ok = offset_map.to_stored(unit, spans[:, 1])
        ok = s_ok & e_ok & (s_st < e_st)
        on_boundary = ok & boundary_ok(mask, s_st) & boundary_ok(mask, e_st)
        hits += int(on_boundary.sum())
        total += len(spans)
        out[key] = (s_st, e_st, ok)
    return out, (hits / total if total else float("nan"))


def _reason(shares: Mapping[str, float], *, offset_unit: str, any_selections: bool,
            written_by_us: bool) -> tuple[str, str]:
    if offset_unit != "auto":
        return offset_unit, "set by the caller"
    if not any_selections:
        return "codepoint", "no selections; the standard's unit"
    if written_by_us:
        return "codepoint", "written by wave-analysis, which uses the standard's unit"
    best = max(shares.values())
    tied = [u for u in OFFSET_UNITS if shares[u] == best]
    # ties -> the standard's unit, which OFFSET_UNITS lists first
    return tied[0], (f"most selections on word boundaries ({best:.1%})" if len(tied) == 1 else
                     f"units agree on this text ({best:.1%} on word boundaries); standard kept")


def choose_unit(sources: Mapping[str, tuple[str, np.ndarray]], *, offset_unit: str = "auto",
                written_by_us: bool = False) -> UnitChoice:
    """Convert each source's selections (``key -> (raw text, (n, 2) file offsets)``; sources
    without selections left out) under every candidate unit and keep the best one."""
    check_one_of("offset_unit", offset_unit, ("auto", *OFFSET_UNITS))
    prepared = {key: (OffsetMap(raw), word_char_mask(normalise_text(raw)), spans)
                for key, (raw, spans) in sources.items()}
    units = OFFSET_UNITS if offset_unit == "auto" else (offset_unit,)
    shares, converted = {}, {}
    for unit in units:
        converted[unit], shares[unit] = _convert(prepared, unit)
    unit, reason = _reason(shares, offset_unit=offset_unit, any_selections=bool(sources),
                           written_by_us=written_by_us)
    return UnitChoice(unit, reason, shares, converted[unit])
