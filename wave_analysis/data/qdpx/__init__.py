"""REFI-QDA project exchange: import ``.qdpx`` archives, bare ``.qde`` XML and ``.qdc`` codebooks
written by NVivo, ATLAS.ti, MAXQDA or QualCoder as the project's tidy qualitative tables, and
export a :class:`~wave_analysis.data.model.QualData` as a standard-conforming ``.qdpx``.

Modules, one concern each:

* ``archive``: opening a file safely (hostile-archive limits, member reading, hardened XML).
* ``offsets``: stored text (BOM dropped, LF line ends) and mapping each tool's offset unit
  (code points, UTF-16 units, CRLF-as-one) onto code points over it.
* ``mapping``: which stakeholder group and participant each source belongs to.
* ``ids``: deterministic GUIDs and the identifiers note that makes a round trip exact.
* ``parse``: the codebook, sources, selections and case variables of a project.
* ``read``: :func:`read_qdpx` (tables, transcripts and a :class:`QdpxReport`), :func:`import_qdpx`.
* ``guess``: first values for a mapping template (group and trial id, each with its basis).
* ``inspect``: :func:`inspect_qdpx` (sources, cases, users) and :func:`write_template`.
* ``write``: :func:`write_qdpx` (and its CLI name :func:`export_qdpx`).
"""

from wave_analysis.data.qdpx.inspect import Inspection, inspect_qdpx, write_template
from wave_analysis.data.qdpx.offsets import OFFSET_UNITS
from wave_analysis.data.qdpx.read import (
    UNKNOWN_DATE,
    QdpxImport,
    QdpxReport,
    RejectedSelection,
    import_qdpx,
    read_qdpx,
)
from wave_analysis.data.qdpx.write import export_qdpx, write_qdpx

__all__ = ["OFFSET_UNITS", "UNKNOWN_DATE", "Inspection", "QdpxImport", "QdpxReport",
           "RejectedSelection", "export_qdpx", "import_qdpx", "inspect_qdpx", "read_qdpx",
           "write_qdpx", "write_template"]
