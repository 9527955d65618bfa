"""Identical bytes for identical inputs: fixed document properties and a rewritten zip.

python-docx stamps the save time into every zip entry and leaves a reference document's
author, dates and revision in ``docProps/core.xml``. Here the core properties are set to fixed
values (the dates to ``SOURCE_DATE_EPOCH`` when set, the reproducible-builds convention, else
2000-01-01), and the saved package is rewritten with ``[Content_Types].xml`` first, the other
entries in name order, one fixed timestamp, fixed permissions and one compression level.
Relationship ids, image part names and drawing ids need no fixing: python-docx numbers them in
the order content is added, which the builder keeps fixed (sorted artefacts).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

_EPOCH_DEFAULT = 946684800  # 2000-01-01T00:00:00Z
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_FIRST = "[Content_Types].xml"


def fixed_time() -> dt.datetime:
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(raw) if raw.isdigit() else _EPOCH_DEFAULT
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def fix_core_properties(doc, *, title: str, subject: str) -> None:
    props = doc.core_properties
    when = fixed_time()
    props.title = title
    props.subject = subject
    props.author = "wave-analysis"
    props.last_modified_by = "wave-analysis"
    props.revision = 1
    props.created = when
    props.modified = when
    props.last_printed = when
    props.comments = "Generated from the run's outputs by wave-analysis; edit freely."
    props.keywords = ""
    props.category = ""


def normalised_zip(data: bytes) -> bytes:
    """``data`` (a .docx) rewritten with fixed entry order, times and attributes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(entries, key=lambda n: (n != _FIRST, n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def document_bytes(doc) -> bytes:
    """The saved document as reproducible bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalised_zip(buffer.getvalue())
