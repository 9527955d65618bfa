"""One figure style and one ``save_figure`` that writes deterministic bytes.

PNG, SVG and PDF carry no dates or software versions (``metadata`` fixed, ``svg.hashsalt``
fixed), so two runs on the same inputs give byte-identical files. Files are written to a
temporary name and moved into place, so a failed run never leaves half a figure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt  # headless processes fall back to Agg; kernels draw inline
import seaborn as sns

from wave_analysis.config import ARM_LABELS, FIGURES_DIR

ARM_COLOURS = {"usual_care": "#7f7f7f", "vocational_support": "#1b7837"}
ARM_PALETTE = {ARM_LABELS[k]: v for k, v in ARM_COLOURS.items()}
FORMATS = ("png", "svg", "pdf")
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


_SAVE_RC = {"svg.hashsalt": "wave-analysis", "savefig.dpi": 150, "savefig.bbox": "tight",
            "pdf.compression": 6}


def set_style() -> None:
    """The project's figure style; call once at the top of every notebook."""
    sns.set_theme(context="notebook", style="whitegrid", font="DejaVu Sans")
    plt.rcParams.update({"figure.dpi": 100, **_SAVE_RC})
    _show_figures_inline()


def _show_figures_inline() -> None:
    """In a Jupyter kernel, display returned Figure objects as PNG (library functions build
    figures that pyplot's inline flush does not always pick up)."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


def label_synthetic(fig, synthetic: bool) -> None:
    """Stamp figures drawn from synthetic data so they are never mistaken for trial results."""
    if synthetic:
        fig.text(0.995, 0.005, "SYNTHETIC DATA", ha="right", va="bottom", fontsize=8,
                 color="#b2182b", alpha=0.8)


def save_figure(fig, name: str, *, folder: Path | str | None = None,
                formats: tuple[str, ...] = ("png", "svg"), synthetic: bool = False) -> list[Path]:
    """Save ``fig`` as ``folder/name.<fmt>`` for each format, atomically and reproducibly."""
    folder = Path(folder) if folder is not None else FIGURES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    label_synthetic(fig, synthetic)
    written = []
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unsupported figure format {fmt!r}; use one of {FORMATS}")
        target = folder / f"{name}.{fmt}"
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=f".{fmt}", dir=folder)
        os.close(fd)
        try:
            with plt.rc_context(_SAVE_RC):  # saving settings only; the drawing style is untouched
                fig.savefig(tmp, format=fmt, metadata=_METADATA[fmt])
            os.chmod(tmp, 0o644)  # mkstemp makes owner-only files
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
