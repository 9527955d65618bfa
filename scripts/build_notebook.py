"""Turn a py:percent draft into a committed notebook: kernelspec set, outputs stripped.

Notebooks in notebooks/ are the single source (edit them in JupyterLab); this helper only makes
writing a new one from a text draft easy:
    python scripts/build_notebook.py draft.py notebooks/NN_name.ipynb
Cell ids are derived from the notebook name and position so rebuilding gives the same file.
"""

import sys
from pathlib import Path

import jupytext
import nbformat

KERNELSPEC = {"name": "wave-analysis", "display_name": "Python (wave-analysis)",
              "language": "python"}


def build(source: Path, target: Path) -> None:
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell.id = f"{target.stem[:3].rstrip('_')}-{i:02d}"
        cell.metadata.pop("lines_to_next_cell", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    nbformat.write(nb, target)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
