"""``run_all``: execute the chosen notebooks whose cache key changed, in dependency order, on a
pool of worker processes (one per core by default), and record every outcome in the manifest.

Before any kernel starts, every parameter value is checked against the notebook's declared
types and every cache key is computed (``cache.plan``). Each notebook then runs in a fresh kernel
through papermill (``job.run_job``) with its outputs staged (``staging``); a failure is reported
after the independent notebooks have finished, and blocks only the notebooks that depend on it.

Imports are standard library (and the runner's own stdlib-only modules) at import time, so a run
where everything is cached finishes in well under a second; papermill, nbconvert and tqdm load
only when needed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis.config import (
    FIGURES_DIR,
    NOTEBOOKS_DIR,
    REPO_ROOT,
    REPORTS_DIR,
    TABLES_DIR,
    resolve,
)
from wave_analysis.exceptions import NotebookError
from wave_analysis.runner import staging
from wave_analysis.runner.cache import (
    Task,
    cache_miss_reason,
    environment_hash,
    file_hash,
    library_hash,
    plan,
)
from wave_analysis.runner.job import Job, kernel_name, run_job, warm_worker
from wave_analysis.runner.manifest import (
    display_path,
    failed_entry,
    header,
    load_manifest,
    task_entry,
    write_manifest,
)
from wave_analysis.runner.notebooks import list_notebooks, select
from wave_analysis.runner.parameters import check_overrides
from wave_analysis.runner.site import build_site


@dataclass(frozen=True)
class RunResult:
    """What happened to one notebook in one run."""

    notebook: str
    seconds: float
    ok: bool
    error: str = ""
    status: str = "executed"  # executed | cached | failed | blocked
    reason: str = ""  # why it was executed (which part of the cache key changed)


class _Progress:
    """One line per finished notebook: through ``log``, or above a tqdm bar on a terminal."""

    def __init__(self, total: int, log: Callable[[str], None], show_bar: bool):
        self.log, self.bar = log, None
        if show_bar:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="notebook", desc="run", file=sys.stderr,
                            leave=False, dynamic_ncols=True)

    def __call__(self, result: RunResult) -> None:
        if result.status == "failed":
            text = f"FAILED ({result.error})"
        elif result.status == "blocked":
            text = f"not run ({result.error})"
        else:
            text = result.status + (f" ({result.reason})" if result.reason else "")
        line = f"{result.notebook:<32} {result.seconds:7.1f} s  {text}"
        if self.bar is None:
            self.log(line)
        else:
            self.bar.write(line)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@dataclass
class _Run:
    """One ``run_all`` call: its tasks, why each runs, the manifest and where things go."""

    tasks: dict[str, Task]
    reasons: dict[str, str]  # notebook -> why it runs ("" when cached)
    manifest: dict
    folders: _Folders
    timeout: float | None
    progress: _Progress
    results: dict[str, RunResult] = field(default_factory=dict)

    def finish(self, result: RunResult) -> None:
        self.results[result.notebook] = result
        self.progress(result)


def _reasons(tasks: dict[str, Task], entries: dict, output_dir: Path, force: bool) -> dict:
    """Why each notebook runs: its own key changed, or a notebook upstream of it reruns."""
    reasons = {}
    for name, task in tasks.items():
        reason = "--force" if force else cache_miss_reason(
            task, entries.get(name), output_dir / f"{name}.ipynb")
        upstream_runs = [d for d in task.depends_on if reasons.get(d)]
        reasons[name] = reason or (f"{upstream_runs[0]} reran" if upstream_runs else "")
    return reasons


@dataclass(frozen=True)
class _Folders:
    """Absolute folders of one run."""

    reports: Path  # manifest.json
    executed: Path  # executed notebooks
    logs: Path
    site: Path
    staging: Path


@dataclass(frozen=True)
class RunOptions:
    """Every option of ``run_all``: what to run, with which values, from where and to where.

    ``reports_dir`` holds ``manifest.json``, and by default ``logs/`` (``logs_dir``),
    ``.staging/`` (``staging_dir``) and ``site/`` (``site_dir``); it defaults to ``reports/``, or
    to the parent of ``output_dir`` (the executed notebooks, by default ``reports_dir/notebooks``)
    when only that is given. Relative paths are relative to the repository root.
    ``runner.folders.RunFolders.run_options()`` gives every folder of a canonical run or of a run
    folder ``runs/NAME/``.
    """

    data_dir: Path | str = "data/synthetic"
    only: Sequence[str] = ()  # notebook names or prefixes; empty: all
    overrides: Mapping[str, object] = field(default_factory=dict)  # parameter values
    jobs: int | None = None  # worker processes; default one per core
    force: bool = False  # run even when the cache key is unchanged
    site: bool = False  # build the HTML report afterwards
    timeout: float | None = None  # seconds any one cell may take
    notebooks_dir: Path | str = NOTEBOOKS_DIR
    figures_dir: Path | str = FIGURES_DIR
    tables_dir: Path | str = TABLES_DIR
    reports_dir: Path | str | None = None
    output_dir: Path | str | None = None
    logs_dir: Path | str | None = None
    site_dir: Path | str | None = None
    staging_dir: Path | str | None = None
    banner: str = ""  # shown at the top of every page of the site (a team-only warning)
    record: Mapping[str, object] = field(default_factory=dict)  # the manifest's "run": which
    # data (folder, digest, synthetic, reason), canonical or which run folder

    def report_folders(self) -> tuple[Path, Path]:
        """Absolute ``reports_dir`` and ``output_dir``."""
        folders = self.folders()
        return folders.reports, folders.executed

    def folders(self) -> _Folders:
        """Every folder the run writes besides figures and tables, absolute."""
        if self.reports_dir is not None:
            reports = resolve(self.reports_dir)
        elif self.output_dir is not None:
            reports = resolve(Path(self.output_dir).parent)
        else:
            reports = REPORTS_DIR

        def given(value, default: Path) -> Path:
            return default if value is None else resolve(value)

        return _Folders(reports, given(self.output_dir, reports / "notebooks"),
                        given(self.logs_dir, reports / "logs"),
                        given(self.site_dir, reports / "site"),
                        given(self.staging_dir, reports / ".staging"))


def run_all(options: RunOptions | None = None, *, log: Callable[[str], None] = print,
            progress: bool = False) -> list[RunResult]:
    """Execute the chosen notebooks (and what they depend on) whose cache key changed.

    Reports one line per notebook through ``log`` (above a progress bar when ``progress``).
    Returns one ``RunResult`` per notebook in dependency order; raises ``ParameterError`` before
    any kernel starts on a bad parameter, and ``NotebookError`` naming every failure after the
    others ran.
    """
    opts = options or RunOptions()
    folders = opts.folders()
    overrides = dict(opts.overrides)
    everything = list_notebooks(Path(opts.notebooks_dir))
    chosen = select(everything, opts.only)
    check_overrides(chosen, overrides)
    common = {"data_dir": str(resolve(opts.data_dir)),
              "figures_dir": str(resolve(opts.figures_dir)),
              "tables_dir": str(resolve(opts.tables_dir))}
    tasks = plan(chosen, common=common, overrides=overrides, everything=everything)
    manifest = load_manifest(folders.reports)
    if opts.record:
        manifest["run"] = dict(opts.record)
    run = _Run(tasks, _reasons(tasks, manifest["notebooks"], folders.executed, opts.force),
               manifest, folders, opts.timeout, _Progress(len(tasks), log, progress))
    _run_changed(run, opts.jobs)
    if opts.site:
        build_site(reports_dir=folders.reports, output_dir=folders.executed,
                   site_dir=folders.site, banner=opts.banner)
    ordered = [run.results[name] for name in tasks]
    failed = [r for r in ordered if r.status == "failed"]
    if failed:
        raise NotebookError("; ".join(f"{r.notebook} {r.error}" for r in failed)
                            + f" (executed copies in {folders.executed}, kernel logs in "
                            f"{folders.logs})")
    return ordered


def _run_changed(run: _Run, jobs: int | None) -> None:
    """Mark the cached notebooks, execute the others, write the manifest."""
    entries = run.manifest["notebooks"]
    try:
        for name in run.tasks:
            if not run.reasons[name]:
                entries[name] = {**entries[name], "status": "cached"}
                run.finish(RunResult(name, 0.0, True, status="cached"))
        to_run = [name for name in run.tasks if name not in run.results]
        if to_run:
            _Scheduler(run, to_run).run(jobs)
        run.manifest.update(header(library=library_hash(), environment=environment_hash()))
        write_manifest(run.folders.reports, run.manifest)
    finally:
        run.progress.close()


class _Scheduler:
    """Submits each notebook to the pool once its upstream notebooks are done; a failure blocks
    the notebooks downstream of it and nothing else."""

    def __init__(self, run: _Run, to_run: list[str]):
        self.state = run
        self.pending = list(to_run)
        self.done = {n for n in run.tasks if n not in to_run}
        self.failed: set[str] = set()
        self.running: dict[Future, str] = {}
        self.staged: dict[str, staging.Staged] = {}

    def run(self, jobs: int | None) -> None:
        kernel = kernel_name()
        jobs = max(1, jobs or os.cpu_count() or 1)
        # fork: workers start at once and inherit nothing heavy (the runner imports only stdlib)
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(self.pending)), mp_context=ctx,
                                 initializer=warm_worker) as pool:
            while self.pending or self.running:
                self._submit_ready(pool, kernel)
                if not self.running:
                    continue
                finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
                for future in finished:
                    self._collect(future)

    def _submit_ready(self, pool: ProcessPoolExecutor, kernel: str) -> None:
        run = self.state
        for name in list(self.pending):
            deps = run.tasks[name].depends_on
            blocked = [d for d in deps if d in self.failed]
            if blocked:
                self.pending.remove(name)
                self.failed.add(name)
                entries = run.manifest["notebooks"]
                entries[name] = {**entries.get(name, {}), "status": "blocked"}
                run.finish(RunResult(name, 0.0, False, f"{blocked[0]} failed",
                                     status="blocked"))
            elif all(d in self.done for d in deps):
                self.pending.remove(name)
                self.running[pool.submit(run_job, self._job(name, kernel))] = name

    def _job(self, name: str, kernel: str) -> Job:
        run = self.state
        task = run.tasks[name]
        outputs = {n: e.get("outputs", {}) for n, e in run.manifest["notebooks"].items()}
        staged = staging.prepare(task, run.folders.staging / name, outputs)
        self.staged[name] = staged
        return Job(name, task.path.resolve(), staged.parameters, staged.root,
                   run.folders.logs / f"{name}.log", kernel, REPO_ROOT,
                   tuple((str(s), str(f)) for s, f in staged.folders.items()), run.timeout)

    def _collect(self, future: Future) -> None:
        run = self.state
        name = self.running.pop(future)
        try:
            res = future.result()
        except Exception as err:  # the worker itself died
            res = {"ok": False, "error": f"{type(err).__name__}: {err}", "seconds": 0.0}
        staged = self.staged.pop(name)
        _record(run, run.tasks[name], res, staged)
        staging.discard(staged)
        (self.done if res["ok"] else self.failed).add(name)
        run.finish(RunResult(name, res["seconds"], res["ok"], res["error"],
                             status="executed" if res["ok"] else "failed",
                             reason=run.reasons[name]))
        write_manifest(run.folders.reports, run.manifest)  # a killed run keeps what finished


def _record(run: _Run, task: Task, res: dict, staged: staging.Staged) -> None:
    """Put a finished notebook's outputs in place (or keep the old ones on failure) and write
    its manifest entry."""
    entries = run.manifest["notebooks"]
    previous = entries.get(task.name, {})
    executed = Path(res["executed"]) if res.get("executed") else None
    entry = task_entry(task, log=run.folders.logs / f"{task.name}.log")
    failed_copy = run.folders.executed / f"{task.name}.failed.ipynb"
    if not res["ok"]:
        if executed is not None and executed.is_file():
            staging.move(executed, failed_copy)
        entries[task.name] = failed_entry(entry, previous, res, reason=run.reasons[task.name],
                                          executed=failed_copy)
        return
    outputs = staging.promote(staged, previous.get("outputs", {}))
    target = run.folders.executed / f"{task.name}.ipynb"
    staging.move(executed, target)
    failed_copy.unlink(missing_ok=True)
    outputs[display_path(target)] = file_hash(target)
    entries[task.name] = {**entry, "status": "executed", "seconds": round(res["seconds"], 3),
                          "reason": run.reasons[task.name], "outputs": outputs,
                          "executed": display_path(target)}
