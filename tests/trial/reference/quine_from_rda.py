"""Write tests/trial/fixtures/quine.csv from MASS's data/quine.rda (how the fixture was made).

Usage (from the repository root)::

    python tests/trial/reference/quine_from_rda.py quine.rda > tests/trial/fixtures/quine.csv

The .rda is MASS 7.3-65's ``data/quine.rda`` (CRAN mirror on GitHub: cran/MASS, commit b6a2274,
``git show HEAD:data/quine.rda``). It is a gzip-compressed R workspace in XDR serialisation format
version 2; this reader handles the few record types a data frame of factors and integers uses and
fails loudly on anything else. No R installation is needed.
"""

from __future__ import annotations

import gzip
import struct
import sys

NILVALUE, SYMSXP, LISTSXP, CHARSXP, INTSXP, REALSXP, STRSXP, VECSXP = 254, 1, 2, 9, 13, 14, 16, 19
REFSXP = 255
HEADER = """\
# MASS quine data: 146 children from Walgett, New South Wales; days absent from school
# in one school year by ethnic background (Eth: A Aboriginal, N not), Sex, Age (F0
# primary, F1-F3 forms) and learner status (Lrn: AL average, SL slow).
# Source: S. Quine, quoted in Aitkin, M. (1978) The analysis of unbalanced cross
# classifications (with discussion). JRSS A 141, 195-223. As distributed in R package
# MASS 7.3-65 (Venables and Ripley, Modern Applied Statistics with S, 4th ed., Springer
# 2002), data/quine.rda; MASS is GPL-2 | GPL-3 and its LICENCE.note states that the
# datasets are understood not to be copyright. Converted by
# tests/trial/reference/quine_from_rda.py.
"""


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos, self.refs = data, 0, []

    def int(self) -> int:
        (value,) = struct.unpack(">i", self.data[self.pos:self.pos + 4])
        self.pos += 4
        return value

    def item(self):  # noqa: C901, PLR0911 (one branch per record type)
        flags = self.int()
        kind, has_attr, has_tag = flags & 0xFF, flags & (1 << 9), flags & (1 << 10)
        if kind == NILVALUE:
            return None
        if kind == REFSXP:
            return self.refs[(flags >> 8) - 1]
        if kind == SYMSXP:
            name = self.item()
            self.refs.append(name)
            return name
        if kind == LISTSXP:
            attr = self.item() if has_attr else None
            tag = self.item() if has_tag else None
            head = self.item()
            tail = self.item()
            return [(tag, head, attr)] + (tail or [])
        if kind == CHARSXP:
            n = self.int()
            if n == -1:
                return None
            text = self.data[self.pos:self.pos + n].decode("utf-8")
            self.pos += n
            return text
        n = self.int()
        if kind == INTSXP:
            values = list(struct.unpack(f">{n}i", self.data[self.pos:self.pos + 4 * n]))
            self.pos += 4 * n
        elif kind == REALSXP:
            values = list(struct.unpack(f">{n}d", self.data[self.pos:self.pos + 8 * n]))
            self.pos += 8 * n
        elif kind in (STRSXP, VECSXP):
            values = [self.item() for _ in range(n)]
        else:
            raise ValueError(f"unsupported R record type {kind}")
        attrs = {tag: value for tag, value, _ in self.item()} if has_attr else {}
        return values, attrs


def read_rda(path: str) -> dict:
    data = gzip.open(path).read()
    if not data.startswith(b"RDX2\nX\n"):
        raise ValueError("not an XDR version-2 .rda file")
    reader = _Reader(data[7:])
    reader.int(), reader.int(), reader.int()  # format version, R version, minimal R version
    return {tag: value for tag, value, _ in reader.item()}


def main(path: str) -> None:
    (columns, attrs) = read_rda(path)["quine"]
    names = attrs["names"][0]
    cells = []
    for values, col_attrs in columns:
        levels = col_attrs.get("levels")
        cells.append([levels[0][v - 1] for v in values] if levels else
                     [str(int(v)) for v in values])
    print(HEADER, end="")
    print(",".join(names))
    for row in zip(*cells, strict=True):
        print(",".join(row))


if __name__ == "__main__":
    main(sys.argv[1])
