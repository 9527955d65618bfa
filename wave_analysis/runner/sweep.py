"""``run_sweep``: one notebook over a grid of parameter sets, each set a Dask task.

The grid (``GRID.yaml``) is either a mapping of parameter -> list of values (every combination,
in the order written) or a list of parameter mappings (one set each). Every set is checked
against the notebook's typed parameters, and every cache key computed, before any task starts.

Each set runs through the runner's own single-notebook machinery (``cache.plan`` for the key,
``staging`` for all-or-nothing outputs, ``job.run_job`` for the kernel) into its own folder::

    runs/NAME/
      sweep_summary.csv, sweep_summary.md   one row per set: parameters, status, seconds, headline
      <set-key>/                            a run folder (team-only outputs, as in runs/NAME/)
        manifest.json  team_only/{figures,tables,notebooks,logs}/

``<set-key>`` is the set's values in a few readable characters and 8 hex digits of their hash,
so the same set always lands in the same folder; a set whose cache key is unchanged since it last
succeeded there is not rerun. Tasks run on a ``dask.distributed`` ``LocalCluster`` (processes,
one thread each, no dashboard), or on the scheduler at ``scheduler`` / ``DASK_SCHEDULER_ADDRESS``
(workers must see the same file system: the set folders are written by the workers).
Nothing here is random, and the summary is ordered by the grid, so results are identical whatever
order the tasks finish in. dask, pandas and tqdm load only when a sweep runs.

Headline results (``headline``: a table name the notebook writes, ``tables_dir/NAME.csv``): the
first ``HEADLINE_ROWS`` rows and ``HEADLINE_COLUMNS`` columns after the first are copied into the
set's summary row, each as a column ``<first-column value>: <column>`` (empty cells skipped).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wave_analysis import _atomic
from wave_analysis.config import NOTEBOOKS_DIR, REPO_ROOT, resolve
from wave_analysis.exceptions import ConfigError, ParameterError
from wave_analysis.runner import staging
from wave_analysis.runner.cache import Task, cache_miss_reason, file_hash, plan
from wave_analysis.runner.folders import RUNS_DIR, check_name
from wave_analysis.runner.job import Job, kernel_name, run_job
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

HEADLINE_ROWS = 3
HEADLINE_COLUMNS = 5
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"

# ----------------------------------------------------------------------------- the grid


def expand_grid(grid: object, *, where: str = "grid") -> list[dict]:
    """Parameter sets of a grid: a mapping of name -> list of values (the Cartesian product, in
    the order written) or a list of name -> value mappings. ``ConfigError`` for any other shape."""
    if isinstance(grid, Mapping) and grid:
        if not all(isinstance(k, str) for k in grid):
            raise ConfigError(f"{where}: parameter names must be strings")
        bad = [k for k, v in grid.items() if not isinstance(v, list) or not v]
        if bad:
            value = grid[bad[0]]
            example = json.dumps(value if value != [] else 1, default=repr)
            raise ConfigError(f"{where}: {bad[0]} must map to a non-empty list of values, e.g. "
                              f"{bad[0]}: [{example}]; got {json.dumps(value, default=repr)}")
        return [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    if isinstance(grid, list) and grid:
        for i, item in enumerate(grid, 1):
            if not isinstance(item, Mapping) or not all(isinstance(k, str) for k in item):
                raise ConfigError(f"{where}: item {i} must be a mapping of name: value; got "
                                  f"{item!r}")
        sets = [dict(item) for item in grid]
        if len({set_key(s) for s in sets}) < len(sets):
            raise ConfigError(f"{where}: the same parameter set is listed twice")
        return sets
    raise ConfigError(f"{where}: must be a non-empty mapping of parameter: [values] or a list "
                      f"of parameter mappings; got {grid!r}")


def read_grid(path: Path | str) -> list[dict]:
    """The parameter sets of a ``GRID.yaml`` file (``expand_grid``)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: grid file not found")
    try:
        loaded = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML: {problem}{where}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    return expand_grid(loaded, where=str(path))


def set_key(values: Mapping[str, object]) -> str:
    """A set's folder name: its values in up to 40 readable characters, then 8 hex digits of
    their hash (so it is unique and always the same for the same values)."""
    text = json.dumps(dict(values), sort_keys=True, default=repr)
    slug = "_".join(f"{k}-{json.dumps(v, default=repr)}" for k, v in sorted(values.items()))
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", slug).strip("-._")[:40].rstrip("-._") or "set"
    return f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def describe_set(values: Mapping[str, object]) -> str:
    """``show_overall=true, scale=2`` (YAML spelling of the values)."""
    return ", ".join(f"{k}={json.dumps(v, default=repr)}" for k, v in values.items()) or "(none)"


def check_grid(notebook: Path, sets: Sequence[Mapping[str, object]]) -> None:
    """Every set's names and types against the notebook's parameters cell (``ParameterError``
    naming the set)."""
    for i, values in enumerate(sets, 1):
        try:
            check_overrides([notebook], values)
        except ParameterError as err:
            raise ParameterError(f"grid set {i} ({describe_set(values)}): {err}") from None


# ----------------------------------------------------------------------------- options, results


@dataclass(frozen=True)
class SweepOptions:
    """What ``run_sweep`` runs: one notebook (name or prefix), the parameter sets, where to."""

    notebook: str
    sets: Sequence[Mapping[str, object]]
    name: str  # runs/NAME/
    data_dir: Path | str = "data/synthetic"
    headline: str | None = None  # a table the notebook writes (tables_dir/NAME.csv)
    scheduler: str | None = None  # a running Dask scheduler; default: $DASK_SCHEDULER_ADDRESS
    workers: int | None = None  # LocalCluster worker processes (default: one per core)
    timeout: float | None = None  # seconds any one cell may take
    notebooks_dir: Path | str = NOTEBOOKS_DIR
    runs_dir: Path | str = RUNS_DIR


@dataclass(frozen=True)
class SetResult:
    """What happened to one parameter set."""

    key: str
    values: dict
    status: str  # executed | cached | failed
    seconds: float = 0.0
    error: str = ""
    headline: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SweepResult:
    """Every set in grid order, and the summary files."""

    results: list[SetResult]
    folder: Path
    summary_csv: Path
    summary_md: Path

    @property
    def failed(self) -> list[SetResult]:
        return [r for r in self.results if r.status == "failed"]


@dataclass(frozen=True)
class SetJob:
    """Everything a Dask worker needs to run one parameter set (picklable)."""

    key: str
    task: Task
    root: Path  # runs/NAME/<set-key>
    kernel: str
    timeout: float | None
    record: dict  # the manifest's "run"

    @property
    def team_only(self) -> Path:
        return self.root / "team_only"


def set_folders(root: Path) -> dict[str, Path]:
    """The folders of one set (the layout of a run folder; everything team-only)."""
    team = root / "team_only"
    return {"figures_dir": team / "figures", "tables_dir": team / "tables",
            "notebooks": team / "notebooks", "logs": team / "logs", "staging": team / ".staging"}


# ----------------------------------------------------------------------------- one set (worker)


def execute_set(job: SetJob) -> dict:
    """Run one set's notebook in a fresh kernel (in a Dask worker) and put its outputs and
    manifest entry in place. Never raises: returns ok/error and the seconds taken."""
    folders = set_folders(job.root)
    task = job.task
    staged = staging.prepare(task, folders["staging"] / task.name, {})
    try:
        res = run_job(Job(task.name, task.path.resolve(), staged.parameters, staged.root,
                          folders["logs"] / f"{task.name}.log", job.kernel, REPO_ROOT,
                          tuple((str(s), str(f)) for s, f in staged.folders.items()),
                          job.timeout))
        _record(job, res, staged)
    except Exception as err:  # a file system error after the kernel: report it for this set
        res = {"ok": False, "error": f"{type(err).__name__}: {err}", "seconds": 0.0}
    finally:
        staging.discard(staged)
    return {k: res.get(k) for k in ("ok", "error", "seconds")}


def _record(job: SetJob, res: dict, staged: staging.Staged) -> None:
    """The set's outputs moved into place (or the old ones kept on failure); its manifest."""
    folders = set_folders(job.root)
    task = job.task
    manifest = load_manifest(job.root)
    manifest["run"] = job.record
    previous = manifest["notebooks"].get(task.name, {})
    entry = task_entry(task, log=folders["logs"] / f"{task.name}.log")
    executed = Path(res["executed"]) if res.get("executed") else None
    failed_copy = folders["notebooks"] / f"{task.name}.failed.ipynb"
    if res["ok"]:
        outputs = staging.promote(staged, previous.get("outputs", {}))
        target = folders["notebooks"] / f"{task.name}.ipynb"
        staging.move(executed, target)
        failed_copy.unlink(missing_ok=True)
        outputs[display_path(target)] = file_hash(target)
        entry = {**entry, "status": "executed", "seconds": round(res["seconds"], 3),
                 "outputs": outputs, "executed": display_path(target)}
    else:
        if executed is not None and executed.is_file():
            staging.move(executed, failed_copy)
        entry = failed_entry(entry, previous, res, reason="sweep", executed=failed_copy)
    manifest["notebooks"][task.name] = entry
    manifest.update(header(library=task.parts["library"],
                           environment=task.parts["environment"]))
    write_manifest(job.root, manifest)


# ----------------------------------------------------------------------------- the sweep (client)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, workers: int | None = None) -> Iterator:
    """A ``dask.distributed`` client: on the scheduler at ``scheduler`` (or
    ``$DASK_SCHEDULER_ADDRESS``), else on a ``LocalCluster`` of ``workers`` processes with one
    thread each and no dashboard, closed on exit."""
    from dask.distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        with Client(address) as client:
            yield client
        return
    # ":0": any free port, so a second cluster never warns that the default 8787 is taken.
    with (LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                       dashboard_address=":0") as cluster, Client(cluster) as client):
        yield client


def plan_sweep(options: SweepOptions) -> tuple[Path, list[SetJob]]:
    """The sweep's folder and one job per set, every set checked and keyed; nothing runs."""
    name = check_name(options.name)
    chosen = select(list_notebooks(Path(options.notebooks_dir)), [options.notebook])
    if len(chosen) != 1:
        raise ConfigError(f"sweep runs one notebook; {options.notebook!r} matches "
                          f"{', '.join(nb.stem for nb in chosen)}: give its full name")
    notebook = chosen[0]
    sets = [dict(s) for s in options.sets]
    check_grid(notebook, sets)
    everything = [notebook]  # a set runs this notebook alone
    folder = resolve(options.runs_dir) / name
    jobs, kernel = [], None
    for values in sets:
        key = set_key(values)
        root = folder / key
        f = set_folders(root)
        common = {"data_dir": str(resolve(options.data_dir)),
                  "figures_dir": str(f["figures_dir"]), "tables_dir": str(f["tables_dir"])}
        try:
            task = plan([notebook], common=common, overrides=values,
                        everything=everything)[notebook.stem]
        except ConfigError as err:
            raise ConfigError(f"{err}; a sweep runs one notebook on its own, so it cannot "
                              "take another notebook's outputs") from None
        except ParameterError as err:
            raise ParameterError(f"grid set {len(jobs) + 1} ({describe_set(values)}): "
                                 f"{err}") from None
        record = {"kind": "sweep set", "name": f"{name}/{key}", "sweep": name,
                  "values": values, "folder": display_path(root)}
        kernel = kernel or kernel_name()
        jobs.append(SetJob(key, task, root, kernel, options.timeout, record))
    return folder, jobs


def _cached(job: SetJob) -> float | None:
    """The seconds the set took when it last ran, if its result is still valid; else None."""
    entry = load_manifest(job.root)["notebooks"].get(job.task.name)
    executed = set_folders(job.root)["notebooks"] / f"{job.task.name}.ipynb"
    if cache_miss_reason(job.task, entry, executed):
        return None
    return float(entry.get("seconds", 0.0))


def run_sweep(options: SweepOptions, *, log: Callable[[str], None] = print,
              progress: bool = False) -> SweepResult:
    """Run the notebook once per parameter set whose cache key changed, as Dask tasks; write
    the summary table. Raises ``ParameterError``/``ConfigError`` before any task on a bad grid;
    a failed set is reported (``log``) and recorded while the others finish (never raised)."""
    folder, jobs = plan_sweep(options)
    seconds = {j.key: _cached(j) for j in jobs}
    outcome = {key: {"status": "cached", "seconds": s, "error": ""}
               for key, s in seconds.items() if s is not None}
    to_run = [j for j in jobs if j.key not in outcome]
    bar = _bar(len(jobs), progress)
    for j in jobs:
        if j.key in outcome:
            _report(log, bar, j, outcome[j.key])
    if to_run:
        with dask_client(options.scheduler, workers=options.workers) as client:
            _submit(client, to_run, outcome, lambda j, res: _report(log, bar, j, res))
    if bar is not None:
        bar.close()
    results = [SetResult(j.key, _values(j), **outcome[j.key],
                         headline=_headline(j, options.headline)) for j in jobs]
    csv_path, md_path = write_summary(folder, results)
    return SweepResult(results, folder, csv_path, md_path)


def _values(job: SetJob) -> dict:
    return dict(job.record["values"])


def _submit(client, jobs: list[SetJob], outcome: dict, done: Callable) -> None:
    from dask.distributed import as_completed

    futures = {client.submit(execute_set, j, key=f"sweep-{j.record['name']}", pure=False): j
               for j in jobs}
    for future in as_completed(futures):
        job = futures[future]
        try:
            res = future.result()
        except Exception as err:  # the worker died or the task could not run
            res = {"ok": False, "error": f"{type(err).__name__}: {err}", "seconds": 0.0}
        outcome[job.key] = {"status": "executed" if res["ok"] else "failed",
                            "seconds": round(float(res["seconds"] or 0.0), 3),
                            "error": res["error"] or ""}
        done(job, outcome[job.key])


def _bar(total: int, show: bool):
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="set", desc="sweep", file=sys.stderr, leave=False,
                dynamic_ncols=True)


def _report(log: Callable[[str], None], bar, job: SetJob, res: dict) -> None:
    status = res["status"]
    text = f"FAILED ({res['error']})" if status == "failed" else status
    line = f"{job.key:<50} {res['seconds']:7.1f} s  {text}  [{describe_set(_values(job))}]"
    if bar is None:
        log(line)
    else:
        bar.write(line)
        bar.update(1)


# ----------------------------------------------------------------------------- summary


def _headline(job: SetJob, table: str | None) -> dict:
    """The first rows and columns of the set's ``tables_dir/TABLE.csv`` (see the module)."""
    if not table:
        return {}
    path = set_folders(job.root)["tables_dir"] / f"{table}.csv"
    if not path.is_file():
        return {}
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False).head(HEADLINE_ROWS)
    if frame.shape[1] == 1:
        frame.insert(0, "row", [str(i) for i in range(1, len(frame) + 1)])
    cells = {}
    for _, row in frame.iterrows():
        for col in frame.columns[1:HEADLINE_COLUMNS + 1]:
            if row[col] != "":
                cells[f"{row.iloc[0]}: {col}"] = row[col]
    return cells


def summary_frame(results: Sequence[SetResult]):
    """One row per set, in grid order: set, parameters, status, seconds, error, headline."""
    import pandas as pd

    rows = [{"set": r.key, **r.values, "status": r.status, "seconds": r.seconds,
             "error": r.error, **r.headline} for r in results]
    return pd.DataFrame(rows)


def write_summary(folder: Path, results: Sequence[SetResult]) -> tuple[Path, Path]:
    """``sweep_summary.csv`` and ``sweep_summary.md`` in the sweep's folder (atomic); a cached
    set shows the seconds it took when it ran."""
    frame = summary_frame(results)
    csv_path, md_path = folder / "sweep_summary.csv", folder / "sweep_summary.md"
    _atomic.write_text(csv_path, frame.to_csv(index=False, lineterminator="\n"))
    shown = frame.astype(object).where(frame.notna(), "").astype(str)
    lines = ["| " + " | ".join(shown.columns) + " |",
             "|" + "---|" * shown.shape[1],
             *("| " + " | ".join(v.replace("|", "\\|") for v in row) + " |"
               for row in shown.itertuples(index=False))]
    _atomic.write_text(md_path, f"# Sweep {folder.name}\n\n" + "\n".join(lines) + "\n")
    return csv_path, md_path
