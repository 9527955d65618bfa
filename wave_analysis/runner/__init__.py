"""Run the notebook collection: typed parameters, cache keys, a process pool and a manifest.

Each notebook runs in a fresh kernel (the ``wave-analysis`` kernel that ``make`` registers inside
``.venv``) through papermill, in a worker process of a pool (one per core by default). Before any
kernel starts, every parameter value is checked against the names and types declared in the
notebook's ``parameters`` cell.

A notebook is executed only when its cache key changes. The key hashes its code cells (markdown
edits do not count), its parameter values, the bytes of every file in its ``data_dir``, the
library's source, the locked dependency set and Python version, and the keys of the notebooks it
depends on (``DEPENDS_ON`` below, or ``metadata.wave_analysis.depends_on`` in the notebook).

Outputs are all-or-nothing: the kernel writes figures and tables into a staging folder under
``reports/.staging/``; only when the whole notebook succeeds are they moved into ``figures/`` and
``reports/tables/`` (each file by ``os.replace``) and the executed copy into ``reports/notebooks/``.
A failed notebook leaves earlier outputs untouched and its executed copy, with the error marked,
as ``NAME.failed.ipynb``. Executed notebooks carry no timestamps or timings, so two runs on the
same inputs give identical bytes. ``reports/manifest.json`` records keys, statuses, durations,
parameters, input and output hashes and package versions.

This module imports only the standard library at import time, so a run where everything is
cached finishes in well under a second; papermill and nbconvert load only when needed.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import tokenize
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from wave_analysis import _atomic
from wave_analysis.config import (
    FIGURES_DIR,
    KERNEL_NAME,
    NOTEBOOKS_DIR,
    REPO_ROOT,
    REPORTS_DIR,
    TABLES_DIR,
)
from wave_analysis.exceptions import NotebookError, ParameterError

# Values every notebook may declare; the runner fills them with absolute paths.
PATH_PARAMETERS = ("data_dir", "figures_dir", "tables_dir")
# Parameters naming folders the notebook writes into (staged, then moved into place).
OUTPUT_PARAMETERS = ("figures_dir", "tables_dir")
# Notebooks that read another notebook's outputs (e.g. reports/tables/*): name -> upstream names.
# A notebook may also declare them itself in metadata {"wave_analysis": {"depends_on": [...]}}.
DEPENDS_ON: dict[str, tuple[str, ...]] = {}
LIBRARY_DIR = Path(__file__).resolve().parent
LOCK_FILE = REPO_ROOT / "requirements-lock.txt"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class RunResult:
    """What happened to one notebook in one run."""

    notebook: str
    seconds: float
    ok: bool
    error: str = ""
    status: str = "executed"  # executed | cached | failed | blocked
    reason: str = ""  # why it was executed (which part of the cache key changed)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: object
    help: str


# ----------------------------------------------------------------------------- notebooks


def resolve(path) -> Path:
    """Relative paths in notebook parameters are relative to the repository root, so a notebook
    opened in JupyterLab (working directory notebooks/) and one run by papermill agree."""
    path = Path(path)
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("."))


def _read_json(path: Path) -> dict:
    # Plain json, not nbformat: importing nbformat costs more than a whole cached run.
    return json.loads(Path(path).read_text("utf-8"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _parameters_cell(nb: dict, path: Path) -> str:
    tagged = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"
              and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise ParameterError(f"{path}: needs exactly one code cell tagged 'parameters' "
                             f"(found {len(tagged)})")
    return _source(tagged[0])


def parse_parameters(source: str, *, where: str = "parameters cell") -> dict[str, Parameter]:
    """``name: type = literal  # help`` lines of a parameters cell, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(f"{where}: line {err.lineno}: {err.msg}") from None
    comments = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    params = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name)):
            name, annotation, value = node.targets[0].id, None, node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            raise ParameterError(f"{where}: line {node.lineno}: the default of {name!r} must be "
                                 "a literal (number, string, bool, list, dict)") from None
        if annotation is None:
            annotation = "None" if default is None else type(default).__name__
        params[name] = Parameter(name, annotation, default, comments.get(node.end_lineno, ""))
    return params


def declared_parameters(path: Path) -> dict[str, Parameter]:
    nb = _read_json(path)
    return parse_parameters(_parameters_cell(nb, path), where=f"{Path(path).name} parameters")


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The notebook's declared parameters: name -> {type, default, help}."""
    return {p.name: {"type": p.type, "default": p.default, "help": p.help}
            for p in declared_parameters(path).values()}


def notebook_dependencies(path: Path) -> tuple[str, ...]:
    nb = _read_json(path)
    meta = nb.get("metadata", {}).get("wave_analysis", {}).get("depends_on", [])
    return tuple(dict.fromkeys([*DEPENDS_ON.get(Path(path).stem, ()), *meta]))


def select(notebooks: Sequence[Path], only: Sequence[str] | None) -> list[Path]:
    if not only:
        return list(notebooks)

    def match(nb, o):
        return nb.stem == o or nb.stem.startswith(o)

    missing = [o for o in only if not any(match(nb, o) for nb in notebooks)]
    if missing:
        names = ", ".join(nb.stem for nb in notebooks)
        raise ParameterError(f"no notebook named {', '.join(missing)}; choose from {names}")
    return [nb for nb in notebooks if any(match(nb, o) for o in only)]


def kernel_name() -> str:
    """The project kernel when registered, else the interpreter's own python3 kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    return KERNEL_NAME if KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


# ----------------------------------------------------------------------------- typed values


def _split_union(annotation: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in annotation:
        depth += ch == "["
        depth -= ch == "]"
        if ch == "|" and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return [*parts, cur.strip()]


def coerce(value, annotation: str):
    """``value`` checked against a parameter annotation (str, int, float, bool, list[...],
    dict, unions with None). Returns the value (ints become floats for ``float``); raises
    ``TypeError`` when it does not fit."""
    options = _split_union(annotation)
    if len(options) > 1:
        for option in options:
            try:
                return coerce(value, option)
            except TypeError:
                pass
        raise TypeError(f"expected {annotation}")
    base, _, inner = annotation.partition("[")
    inner = inner[:-1] if inner.endswith("]") else inner
    base = base.strip().removeprefix("typing.").lower()
    if base in ("none", "nonetype"):
        if value is None:
            return None
    elif base == "bool":
        if isinstance(value, bool):
            return value
    elif base == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif base == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif base == "str":
        if isinstance(value, str):
            return value
    elif base in ("list", "tuple", "sequence"):
        if isinstance(value, list | tuple):
            item = inner.split(",")[0].strip() if inner else ""
            try:
                return [coerce(v, item) if item and item != "..." else v for v in value]
            except TypeError:
                pass
    elif base in ("dict", "mapping"):
        if isinstance(value, dict):
            return value
    elif base in ("any", "object"):
        return value
    else:  # an annotation we do not know: leave the value alone
        return value
    raise TypeError(f"expected {annotation}")


def _typename(value) -> str:
    return "null" if value is None else type(value).__name__


def check_overrides(notebooks: Sequence[Path], overrides: Mapping[str, object]) -> None:
    """Every override must be declared by at least one of the notebooks to run, with a value of
    the declared type in every notebook that declares it."""
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    names = set().union(*map(set, declared.values())) if declared else set()
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise ParameterError(f"unknown parameter(s) {', '.join(unknown)}; declared: "
                             f"{', '.join(sorted(names))} (see `wave-analysis list`)")
    for nb, params in declared.items():
        for name, value in overrides.items():
            if name in params:
                try:
                    coerce(value, params[name].type)
                except TypeError:
                    raise ParameterError(
                        f"parameter {name}={value!r} is {_typename(value)}, but {nb.stem} "
                        f"declares {name}: {params[name].type} (see `wave-analysis list`)"
                    ) from None


# ----------------------------------------------------------------------------- hashing


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def hash_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (hidden files and folders skipped), by relative
    path; a single file is hashed under its own name."""
    folder = Path(folder)
    if folder.is_file():
        return {folder.name: _sha256(folder)}
    out = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = Path(root) / name
                out[path.relative_to(folder).as_posix()] = _sha256(path)
    return out


def library_hash(folder: Path | None = None) -> str:
    folder = Path(folder or LIBRARY_DIR)
    return _digest({p.relative_to(folder).as_posix(): _sha256(p)
                    for p in sorted(Path(folder).rglob("*.py"))})


def environment_hash(lock: Path | None = None) -> str:
    lock = Path(lock or LOCK_FILE)
    locked = _sha256(lock) if Path(lock).is_file() else "no-lock-file"
    return _digest({"lock": locked, "python": sys.version})


def package_versions() -> dict[str, str]:
    from importlib import metadata

    return dict(sorted((d.metadata["Name"].lower(), d.version) for d in metadata.distributions()
                       if d.metadata["Name"]))


def code_hash(nb: dict) -> str:
    """Only code cells count: markdown edits never trigger a rerun."""
    return _digest([_source(c) for c in nb.get("cells", []) if c.get("cell_type") == "code"])


# ----------------------------------------------------------------------------- plan


@dataclass
class Task:
    name: str
    path: Path
    parameters: dict  # the public values (final output folders)
    depends_on: tuple[str, ...]
    inputs: dict[str, str]  # data file -> sha256
    parts: dict[str, str] = field(default_factory=dict)  # cache key components
    key: str = ""


def _topological(tasks: dict[str, Task]) -> list[str]:
    order, state = [], {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ParameterError(f"notebook dependencies form a cycle: {' -> '.join(trail)}")
        state[name] = "visiting"
        for dep in tasks[name].depends_on:
            visit(dep, [*trail, dep])
        state[name] = "done"
        order.append(name)

    for name in tasks:
        visit(name, [name])
    return order


def plan(notebooks: Sequence[Path], *, common: Mapping[str, object],
         overrides: Mapping[str, object], everything: Sequence[Path]) -> dict[str, Task]:
    """Cache keys and checked parameters for ``notebooks`` (plus, transitively, the notebooks
    they depend on, taken from ``everything``), in dependency order."""
    by_name = {nb.stem: nb for nb in everything}
    wanted, queue = {}, list(notebooks)
    while queue:
        nb = queue.pop()
        if nb.stem in wanted:
            continue
        wanted[nb.stem] = nb
        for dep in notebook_dependencies(nb):
            if dep not in by_name:
                raise ParameterError(f"{nb.name} depends on {dep!r}, which is not a notebook "
                                     f"in {nb.parent}")
            queue.append(by_name[dep])
    library, environment = library_hash(), environment_hash()
    tasks, data_hashes = {}, {}
    for name in sorted(wanted):
        path = wanted[name]
        declared = declared_parameters(path)
        values = {k: p.default for k, p in declared.items()}
        values.update({k: v for k, v in common.items() if k in declared})
        for k, v in overrides.items():
            if k in declared:
                values[k] = coerce(v, declared[k].type)
        data = values.get("data_dir")
        inputs = {}
        if data is not None:
            folder = resolve(data)
            if not folder.exists():
                raise ParameterError(f"{name}: data_dir {folder} does not exist; pass --data "
                                     "with the folder of the trial export")
            if folder not in data_hashes:
                data_hashes[folder] = hash_folder(folder)
            inputs = data_hashes[folder]
        nb = _read_json(path)
        task = Task(name, path, values, notebook_dependencies(path), inputs)
        task.parts = {"code": code_hash(nb), "parameters": _digest(values),
                      "inputs": _digest(inputs), "library": library,
                      "environment": environment}
        tasks[name] = task
    ordered = {name: tasks[name] for name in _topological(tasks)}
    for task in ordered.values():
        task.parts["upstream"] = _digest({d: ordered[d].key for d in task.depends_on})
        task.key = _digest(task.parts)
    return ordered


# ----------------------------------------------------------------------------- files


def _move(src: Path, dst: Path) -> None:
    """Move into place atomically: rename, or copy to a temporary name beside ``dst`` first."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
    except OSError:  # another filesystem
        _atomic.write_bytes(dst, Path(src).read_bytes())
        Path(src).unlink()


def load_manifest(reports_dir: Path) -> dict:
    path = Path(reports_dir) / MANIFEST_NAME
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"notebooks": {}}
    return data if isinstance(data.get("notebooks"), dict) else {"notebooks": {}}


def _write_manifest(reports_dir: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True, default=str) + "\n"
    _atomic.write_bytes(Path(reports_dir) / MANIFEST_NAME, text.encode())


def _display(path: Path) -> str:
    """Paths in the manifest are relative to the repository root when inside it."""
    path = Path(path)
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _outputs_intact(entry: dict) -> bool:
    for name, digest in entry.get("outputs", {}).items():
        path = resolve(name)
        if not path.is_file() or _sha256(path) != digest:
            return False
    return True


def _cache_miss_reason(task: Task, entry: dict | None, executed: Path) -> str:
    """Empty when the cached result is usable, else which part of the key changed."""
    if not entry or entry.get("status") not in ("executed", "cached"):
        return "not run before" if not entry else f"last run {entry.get('status')}"
    if entry.get("key") != task.key:
        old = entry.get("key_parts", {})
        changed = [k for k, v in task.parts.items() if old.get(k) != v]
        return ", ".join(changed or ["key"]) + " changed"
    if not executed.is_file():
        return "executed notebook missing"
    if not _outputs_intact(entry):
        return "outputs missing or changed"
    return ""


# ----------------------------------------------------------------------------- worker


@dataclass(frozen=True)
class _Job:
    name: str
    notebook: Path
    parameters: dict  # what the kernel gets (staging folders)
    staging: Path
    log: Path
    kernel: str
    cwd: Path
    replacements: tuple[tuple[str, str], ...]  # staging path -> final path in the notebook
    timeout: float | None


def _strip_notebook(nb, replacements) -> str:
    """The executed notebook without timestamps and timings, staging paths replaced."""
    pm = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "output_path"):  # output: a temp file
        pm.pop(key, None)
    if "input_path" in pm:
        pm["input_path"] = _display(Path(pm["input_path"]))
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
    import nbformat

    text = nbformat.writes(nb)
    for old, new in replacements:
        text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
    # Paths inside the checkout read as repository-relative (as notebook parameters are), so
    # executed notebooks and the HTML report carry no home paths and match across clones.
    text = text.replace(json.dumps(str(REPO_ROOT) + os.sep)[1:-1], "")
    return text if text.endswith("\n") else text + "\n"


def _execute(job: _Job) -> dict:
    """Run one notebook (in a pool worker). Never raises: returns ok/error and timings."""
    import nbformat
    import papermill
    from jupyter_client.manager import AsyncKernelManager
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    raw = job.staging / f"{job.name}.raw.ipynb"
    result = {"ok": False, "error": "", "cell": None, "ename": "", "evalue": ""}
    job.log.parent.mkdir(parents=True, exist_ok=True)
    # IPC sockets in a private folder: parallel kernels on TCP race for ports
    ipc = Path(tempfile.mkdtemp(prefix="wave-kernel-"))
    km = AsyncKernelManager(kernel_name=job.kernel, transport="ipc", ip=str(ipc / "k"))
    saved = os.dup(1), os.dup(2)
    with open(job.log, "w", encoding="utf-8") as log:
        # cell outputs (papermill logs them) and the kernel's own stderr go to the log file
        handler = logging.StreamHandler(log)
        handler.setFormatter(logging.Formatter("%(message)s"))
        pm_log = logging.getLogger("papermill")
        pm_log.addHandler(handler)
        pm_log.setLevel(logging.INFO)
        pm_log.propagate = False
        # the kernel process inherits stdout/stderr: its warnings go to the log, not the bar
        log.flush()
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            papermill.execute_notebook(
                str(job.notebook), str(raw), parameters=dict(job.parameters),
                kernel_name=job.kernel, cwd=str(job.cwd), progress_bar=False, log_output=True,
                stdout_file=log, stderr_file=log, execution_timeout=job.timeout, km=km)
            result["ok"] = True
        except PapermillExecutionError as err:
            result.update(cell=err.exec_count or err.cell_index, ename=err.ename,
                          evalue=err.evalue)
            result["error"] = f"cell {result['cell']}: {err.ename}: {err.evalue}"
        except Exception as err:  # dead kernel, timeout, bad notebook: report, keep going
            text = str(err).strip()
            result.update(ename=type(err).__name__, evalue=text.splitlines()[0] if text else "")
            result["error"] = f"{result['ename']}: {result['evalue']}"
        finally:
            log.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            shutil.rmtree(ipc, ignore_errors=True)
            pm_log.removeHandler(handler)
        print(f"\n[{job.name}] {'ok' if result['ok'] else 'FAILED ' + result['error']}",
              file=log)
    if raw.is_file():
        try:
            nb = nbformat.read(raw, as_version=4)
            out = job.staging / f"{job.name}.ipynb"
            out.write_text(_strip_notebook(nb, job.replacements), encoding="utf-8")
            result["executed"] = str(out)
        except Exception:  # a notebook cut short by a dead kernel may not parse
            result["executed"] = str(raw)
    result["seconds"] = time.perf_counter() - start
    return result


def _warm_worker() -> None:
    import papermill  # noqa: F401  (import once per worker, while the parent plans)


# ----------------------------------------------------------------------------- run


def _prepare_staging(task: Task, staging: Path, manifest: dict) -> tuple[dict, dict, dict]:
    """Kernel parameters with output folders pointed at staging, staged folder -> final folder,
    and files copied in from upstream notebooks (so a notebook may read them from its own
    output folder)."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    kernel_params, folders, seeded = dict(task.parameters), {}, {}
    for name in PATH_PARAMETERS:
        if name in kernel_params:
            kernel_params[name] = str(resolve(kernel_params[name]))
    for name in OUTPUT_PARAMETERS:
        if name in kernel_params:
            stage = staging / name
            stage.mkdir()
            folders[stage] = resolve(kernel_params[name])
            kernel_params[name] = str(stage)
    for dep in task.depends_on:
        for out in manifest["notebooks"].get(dep, {}).get("outputs", {}):
            src = resolve(out)
            for stage, final in folders.items():
                if src.parent == final and src.is_file():
                    shutil.copyfile(src, stage / src.name)
                    seeded[stage / src.name] = _sha256(src)
    return kernel_params, folders, seeded


def _promote(folders: dict[Path, Path], seeded: dict[Path, str], previous: dict) -> dict:
    """Move the staged outputs into their folders; drop files this notebook wrote last time and
    no longer writes. Returns output path -> sha256."""
    outputs = {}
    for stage, final in folders.items():
        for path in sorted(p for p in stage.rglob("*") if p.is_file()):
            digest = _sha256(path)
            if seeded.get(path) == digest:
                continue  # an upstream file we copied in, unchanged
            target = final / path.relative_to(stage)
            _move(path, target)
            outputs[_display(target)] = digest
    for old in previous:
        if old not in outputs:
            resolve(old).unlink(missing_ok=True)
    return dict(sorted(outputs.items()))


def run_all(*, data_dir="data/synthetic", only: Sequence[str] | None = None,
            overrides: Mapping[str, object] | None = None, figures_dir=FIGURES_DIR,
            tables_dir=TABLES_DIR, output_dir=None, reports_dir=None,
            notebooks_dir=NOTEBOOKS_DIR, jobs: int | None = None, force: bool = False,
            site: bool = False, timeout: float | None = None,
            log: Callable[[str], None] = print, progress: bool = False) -> list[RunResult]:
    """Execute the chosen notebooks (and what they depend on) whose cache key changed.

    ``reports_dir`` holds ``manifest.json``, ``logs/``, ``.staging/`` and ``site/``; it defaults
    to ``reports/``, or to the parent of ``output_dir`` when only that is given. Returns one
    ``RunResult`` per notebook in dependency order; raises ``ParameterError`` before any kernel
    starts on a bad parameter, and ``NotebookError`` naming every failure after the others ran.
    """
    if reports_dir is None:
        reports_dir = Path(output_dir).parent if output_dir is not None else REPORTS_DIR
    reports_dir = resolve(reports_dir)
    output_dir = resolve(output_dir) if output_dir is not None else reports_dir / "notebooks"
    overrides = dict(overrides or {})
    everything = list_notebooks(notebooks_dir)
    chosen = select(everything, only)
    check_overrides(chosen, overrides)
    common = {"data_dir": str(resolve(data_dir)), "figures_dir": str(resolve(figures_dir)),
              "tables_dir": str(resolve(tables_dir))}
    tasks = plan(chosen, common=common, overrides=overrides, everything=everything)
    manifest = load_manifest(reports_dir)
    entries = manifest["notebooks"]

    reasons = {}
    for name, task in tasks.items():
        reason = "--force" if force else _cache_miss_reason(
            task, entries.get(name), output_dir / f"{name}.ipynb")
        upstream_runs = [d for d in task.depends_on if d in reasons and reasons[d]]
        reasons[name] = reason or (f"{upstream_runs[0]} reran" if upstream_runs else "")

    results: dict[str, RunResult] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(tasks), unit="notebook", desc="run", file=sys.stderr,
                   leave=False, dynamic_ncols=True)

    def finish(result: RunResult) -> None:
        results[result.notebook] = result
        if result.status == "failed":
            text = f"FAILED ({result.error})"
        elif result.status == "blocked":
            text = f"not run ({result.error})"
        else:
            text = result.status + (f" ({result.reason})" if result.reason else "")
        line = f"{result.notebook:<32} {result.seconds:7.1f} s  {text}"
        (bar.write if bar is not None else log)(line)
        if bar is not None:
            bar.update(1)

    for name in tasks:
        if not reasons[name]:
            entries[name] = {**entries[name], "status": "cached"}
            finish(RunResult(name, 0.0, True, status="cached"))
    to_run = [name for name in tasks if name not in results]
    if to_run:
        _execute_tasks(tasks, to_run, reasons, manifest, reports_dir=reports_dir,
                       output_dir=output_dir, jobs=jobs, timeout=timeout,
                       notebooks_dir=Path(notebooks_dir), finish=finish)
    manifest.update(_manifest_header())
    _write_manifest(reports_dir, manifest)
    if bar is not None:
        bar.close()
    if site:
        from wave_analysis.runner import site as report

        report.build_site(reports_dir=reports_dir, output_dir=output_dir,
                          changed=set(to_run))
    ordered = [results[name] for name in tasks]
    failed = [r for r in ordered if r.status == "failed"]
    if failed:
        raise NotebookError("; ".join(f"{r.notebook} {r.error}" for r in failed)
                            + f" (executed copies in {output_dir}, kernel logs in "
                            f"{reports_dir / 'logs'})")
    return ordered


def _manifest_header() -> dict:
    return {"python": sys.version.split()[0], "packages": package_versions(),
            "library": library_hash(), "environment": environment_hash()}


def _execute_tasks(tasks: dict[str, Task], to_run: list[str], reasons: dict, manifest: dict,
                   *, reports_dir: Path, output_dir: Path, jobs: int | None,
                   timeout: float | None, notebooks_dir: Path, finish) -> None:
    import multiprocessing

    entries = manifest["notebooks"]
    kernel = kernel_name()
    jobs = max(1, jobs or os.cpu_count() or 1)
    done, failed = {n for n in tasks if n not in to_run}, set()
    pending = list(to_run)
    staged: dict[str, tuple] = {}
    # fork: workers start at once and inherit nothing heavy (this module imports only stdlib)
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(jobs, len(to_run)), mp_context=ctx,
                             initializer=_warm_worker) as pool:
        running = {}
        while pending or running:
            for name in list(pending):
                deps = tasks[name].depends_on
                blocked = [d for d in deps if d in failed]
                if blocked:
                    pending.remove(name)
                    failed.add(name)
                    entries[name] = {**entries.get(name, {}), "status": "blocked"}
                    finish(RunResult(name, 0.0, False, f"{blocked[0]} failed",
                                     status="blocked"))
                elif all(d in done for d in deps):
                    pending.remove(name)
                    task = tasks[name]
                    staging = reports_dir / ".staging" / name
                    params, folders, seeded = _prepare_staging(task, staging, manifest)
                    staged[name] = (folders, seeded, staging)
                    job = _Job(name, task.path.resolve(), params, staging,
                               reports_dir / "logs" / f"{name}.log", kernel, REPO_ROOT,
                               tuple((str(s), str(f)) for s, f in folders.items()), timeout)
                    running[pool.submit(_execute, job)] = name
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                name = running.pop(future)
                try:
                    res = future.result()
                except Exception as err:  # the worker itself died
                    res = {"ok": False, "error": f"{type(err).__name__}: {err}",
                           "seconds": 0.0}
                folders, seeded, staging = staged.pop(name)
                _record(tasks[name], res, reasons[name], manifest, folders, seeded,
                        output_dir=output_dir, reports_dir=reports_dir)
                shutil.rmtree(staging, ignore_errors=True)
                (done if res["ok"] else failed).add(name)
                status = "executed" if res["ok"] else "failed"
                finish(RunResult(name, res["seconds"], res["ok"], res["error"], status=status,
                                 reason=reasons[name]))
                _write_manifest(reports_dir, manifest)  # a killed run keeps what finished


def _record(task: Task, res: dict, reason: str, manifest: dict, folders, seeded, *,
            output_dir: Path, reports_dir: Path) -> None:
    entries = manifest["notebooks"]
    previous = entries.get(task.name, {})
    executed = Path(res["executed"]) if res.get("executed") else None
    entry = {"notebook": _display(task.path), "key": task.key, "key_parts": task.parts,
             "parameters": task.parameters, "depends_on": list(task.depends_on),
             "inputs": {f"{_display(resolve(task.parameters.get('data_dir', '.')))}/{k}": v
                        for k, v in task.inputs.items()},
             "log": _display(reports_dir / "logs" / f"{task.name}.log")}
    if res["ok"]:
        outputs = _promote(folders, seeded, previous.get("outputs", {}))
        target = output_dir / f"{task.name}.ipynb"
        _move(executed, target)
        (output_dir / f"{task.name}.failed.ipynb").unlink(missing_ok=True)
        outputs[_display(target)] = _sha256(target)
        entry.update(status="executed", seconds=round(res["seconds"], 3), reason=reason,
                     outputs=outputs, executed=_display(target))
    else:
        failed_copy = output_dir / f"{task.name}.failed.ipynb"
        if executed is not None and executed.is_file():
            _move(executed, failed_copy)
        # the last good outputs stay in place and stay on record
        entry.update(status="failed", seconds=round(res["seconds"], 3), reason=reason,
                     error={"cell": res.get("cell"), "ename": res.get("ename", ""),
                            "evalue": res.get("evalue", ""), "message": res["error"]},
                     outputs=previous.get("outputs", {}), executed=_display(failed_copy),
                     key=previous.get("key", ""), key_parts=previous.get("key_parts", {}),
                     attempted_key=task.key)
    entries[task.name] = entry
