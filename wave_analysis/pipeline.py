"""Run the notebook collection with papermill.

Every notebook in ``notebooks/`` is executed in a fresh kernel (the ``wave-analysis`` kernel that
``make`` registers inside ``.venv``, so the right interpreter runs it) with its ``parameters`` cell
overridden by the values given here. Executed copies go to ``reports/notebooks/`` (ignored by git),
written atomically: a failed notebook is kept beside it as ``NAME.failed.ipynb`` and never replaces
a good executed copy.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wave_analysis.config import (
    EXECUTED_DIR,
    FIGURES_DIR,
    KERNEL_NAME,
    NOTEBOOKS_DIR,
    REPO_ROOT,
    TABLES_DIR,
)
from wave_analysis.exceptions import NotebookError, ParameterError

# Values every notebook may declare; the runner fills them with absolute paths.
PATH_PARAMETERS = ("data_dir", "figures_dir", "tables_dir")


@dataclass(frozen=True)
class RunResult:
    notebook: str
    seconds: float
    ok: bool
    error: str = ""


def resolve(path) -> Path:
    """Relative paths in notebook parameters are relative to the repository root, so a notebook
    opened in JupyterLab (working directory notebooks/) and one run by papermill agree."""
    path = Path(path)
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The notebook's declared parameters: name -> {type, default, help}."""
    import papermill

    return {name: {"type": info["inferred_type_name"], "default": info["default"],
                   "help": info["help"]}
            for name, info in papermill.inspect_notebook(str(path)).items()}


def select(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    if not only:
        return list(notebooks)
    chosen = [nb for nb in notebooks if any(nb.stem == o or nb.stem.startswith(o) for o in only)]
    missing = [o for o in only if not any(nb.stem == o or nb.stem.startswith(o)
                                          for nb in notebooks)]
    if missing:
        names = ", ".join(nb.stem for nb in notebooks)
        raise ParameterError(f"no notebook named {', '.join(missing)}; choose from {names}")
    return chosen


def kernel_name() -> str:
    """The project kernel when registered, else the interpreter's own python3 kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def _parameters_for(path: Path, common: Mapping[str, object],
                    overrides: Mapping[str, object]) -> dict:
    declared = notebook_parameters(path)
    params = {k: v for k, v in common.items() if k in declared}
    params.update({k: v for k, v in overrides.items() if k in declared})
    return params


def check_overrides(notebooks: Sequence[Path], overrides: Mapping[str, object]) -> None:
    """Every override must be declared by at least one of the notebooks to run."""
    declared = set()
    for nb in notebooks:
        declared |= set(notebook_parameters(nb))
    unknown = sorted(set(overrides) - declared)
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; declared: "
                             f"{', '.join(sorted(declared))} (see `wave-analysis list`)")


def run_notebook(path: Path, parameters: Mapping[str, object], *, output_dir: Path,
                 kernel: str) -> RunResult:
    import papermill

    output_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".ipynb", dir=output_dir)
    os.close(fd)
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(path), tmp, parameters=dict(parameters),
                                   kernel_name=kernel, cwd=str(REPO_ROOT), progress_bar=False,
                                   log_output=False)
    except papermill.PapermillExecutionError as err:
        os.replace(tmp, output_dir / f"{path.stem}.failed.ipynb")
        message = f"cell {err.exec_count or err.cell_index}: {err.ename}: {err.evalue}"
        return RunResult(path.stem, time.perf_counter() - start, False, message)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    os.replace(tmp, output_dir / path.name)
    (output_dir / f"{path.stem}.failed.ipynb").unlink(missing_ok=True)
    return RunResult(path.stem, time.perf_counter() - start, True)


def run_all(*, data_dir="data/synthetic", only: Sequence[str] | None = None,
            overrides: Mapping[str, object] | None = None, figures_dir=FIGURES_DIR,
            tables_dir=TABLES_DIR, output_dir=EXECUTED_DIR, notebooks_dir=NOTEBOOKS_DIR,
            log: Callable[[str], None] = print) -> list[RunResult]:
    """Execute the chosen notebooks in order; raise ``NotebookError`` naming every failure
    after the others have run."""
    overrides = dict(overrides or {})
    chosen = select(list_notebooks(notebooks_dir), only)
    check_overrides(chosen, overrides)
    common = {"data_dir": str(resolve(data_dir)), "figures_dir": str(resolve(figures_dir)),
              "tables_dir": str(resolve(tables_dir))}
    kernel = kernel_name()
    results = []
    for nb in chosen:
        result = run_notebook(nb, _parameters_for(nb, common, overrides),
                              output_dir=resolve(output_dir), kernel=kernel)
        status = "ok" if result.ok else f"FAILED ({result.error})"
        log(f"{result.notebook}: {status} in {result.seconds:.1f} s")
        results.append(result)
    failed = [r for r in results if not r.ok]
    if failed:
        raise NotebookError("; ".join(f"{r.notebook} {r.error}" for r in failed)
                            + f" (executed copies in {resolve(output_dir)})")
    return results
