"""One notebook in one fresh kernel, inside a pool worker process.

papermill writes the executed notebook into the staging folder; the copy kept is stripped of
timestamps and timings (so two runs on the same inputs give identical bytes) and has staging
paths replaced by the final ones. Cell outputs and the kernel's own stderr go to a log file.
papermill, nbformat and jupyter_client load here, in the worker, never at import time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from wave_analysis.config import KERNEL_NAME, REPO_ROOT
from wave_analysis.runner.manifest import display_path


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to run one notebook (picklable)."""

    name: str
    notebook: Path
    parameters: dict  # what the kernel gets (staging folders)
    staging: Path
    log: Path
    kernel: str
    cwd: Path
    replacements: tuple[tuple[str, str], ...]  # staging path -> final path in the notebook
    timeout: float | None


def kernel_name() -> str:
    """The project kernel when registered, else the interpreter's own python3 kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def warm_worker() -> None:
    """Pool initializer: import papermill once per worker, while the parent plans."""
    import papermill  # noqa: F401


def strip_notebook(nb, replacements) -> str:
    """The executed notebook without timestamps and timings, staging paths replaced."""
    import nbformat

    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "output_path"):  # output: a temp file
        pm.pop(key, None)
    if "input_path" in pm:
        pm["input_path"] = display_path(Path(pm["input_path"]))
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        # papermill gives the cells it adds random ids
        if "injected-parameters" in tags:
            cell.id = "injected-parameters"
        elif "papermill-error-cell-tag" in tags:
            cell.id = f"papermill-error-{i}"
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
            cell.metadata.get("papermill", {}).pop(key, None)
    text = nbformat.writes(nb)
    for old, new in replacements:
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    # Paths inside the checkout read as repository-relative (as notebook parameters are), so
    # executed notebooks and the HTML report carry no home paths and match across clones.
    text = text.replace(json.dumps(str(REPO_ROOT) + os.sep)[1:-1], "")
    return text if text.endswith("\n") else text + "\n"


@contextlib.contextmanager
def _output_to(log: TextIO) -> Iterator[None]:
    """papermill's cell output log and this process's stdout/stderr (which the kernel process
    inherits, so its warnings go to the log, not the progress bar) all go to ``log``."""
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(message)s"))
    pm_log = logging.getLogger("papermill")
    pm_log.addHandler(handler)
    pm_log.setLevel(logging.INFO)
    pm_log.propagate = False
    log.flush()
    saved = os.dup(1), os.dup(2)
    os.dup2(log.fileno(), 1)
    os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        log.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)
        pm_log.removeHandler(handler)


def _papermill(job: Job, raw: Path, log: TextIO) -> dict:
    """Execute the notebook into ``raw``; ok, or the failing cell and error."""
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from papermill.exceptions import PapermillExecutionError

    result = {"ok": False, "error": "", "cell": None, "ename": "", "evalue": ""}
    # IPC sockets in a private folder: parallel kernels on TCP race for ports
    ipc = Path(tempfile.mkdtemp(prefix="wave-kernel-"))
    km = AsyncKernelManager(kernel_name=job.kernel, transport="ipc", ip=str(ipc / "k"))
    try:
        papermill.execute_notebook(
            str(job.notebook), str(raw), parameters=dict(job.parameters),
            kernel_name=job.kernel, cwd=str(job.cwd), progress_bar=False, log_output=True,
            stdout_file=log, stderr_file=log, execution_timeout=job.timeout, km=km)
        result["ok"] = True
    except PapermillExecutionError as err:
        result.update(cell=err.exec_count or err.cell_index, ename=err.ename, evalue=err.evalue)
        result["error"] = f"cell {result['cell']}: {err.ename}: {err.evalue}"
    except Exception as err:  # dead kernel, timeout, bad notebook: report, keep going
        text = str(err).strip()
        result.update(ename=type(err).__name__, evalue=text.splitlines()[0] if text else "")
        result["error"] = f"{result['ename']}: {result['evalue']}"
    finally:
        shutil.rmtree(ipc, ignore_errors=True)
    return result


def run_job(job: Job) -> dict:
    """Run one notebook (in a pool worker). Never raises: returns ok/error, the executed copy
    and the seconds taken."""
    import nbformat

    start = time.perf_counter()
    raw = job.staging / f"{job.name}.raw.ipynb"
    job.log.parent.mkdir(parents=True, exist_ok=True)
    with open(job.log, "w", encoding="utf-8") as log:
        with _output_to(log):
            result = _papermill(job, raw, log)
        print(f"\n[{job.name}] {'ok' if result['ok'] else 'FAILED ' + result['error']}",
              file=log)
    if raw.is_file():
        try:
            nb = nbformat.read(raw, as_version=4)
            out = job.staging / f"{job.name}.ipynb"
            out.write_text(strip_notebook(nb, job.replacements), encoding="utf-8")
            result["executed"] = str(out)
        except Exception:  # a notebook cut short by a dead kernel may not parse
            result["executed"] = str(raw)
    result["seconds"] = time.perf_counter() - start
    return result
