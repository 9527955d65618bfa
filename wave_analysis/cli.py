"""The ``wave-analysis`` command (also ``python -m wave_analysis``): one function per command.

Every failure is one line on stderr and a non-zero exit, never a traceback: 1 when a data folder
has validation problems, 2 for any other ``WaveError`` (bad arguments, parameters or project
files; a failed notebook) or a file that cannot be read or written, 130 when interrupted, and 3
for an unexpected error (set ``WAVE_DEBUG=1`` to see its traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from tqdm import tqdm

from wave_analysis import _atomic
from wave_analysis._checks import check_int
from wave_analysis.config import DATA_DICTIONARY, DEFAULT_SEED, SYNTHETIC_DIR, resolve
from wave_analysis.data import dictionary, imports, qdpx
from wave_analysis.data.load import load_qualitative, validate_folder
from wave_analysis.data.provenance import Provenance, provenance
from wave_analysis.disclosure import identifiers_from, publish, release
from wave_analysis.exceptions import (
    ArgumentError,
    ConfigError,
    ValidationError,
    WaveError,
    summarise,
)
from wave_analysis.report.checklists import fill_checklists
from wave_analysis.report.word import build_word_report
from wave_analysis.runner.execute import RunOptions, run_all
from wave_analysis.runner.folders import RUNS_DIR, RunFolders, plan_folders, run_folder
from wave_analysis.runner.manifest import display_path, load_manifest
from wave_analysis.runner.notebooks import list_notebooks, notebook_dependencies
from wave_analysis.runner.parameters import notebook_parameters
from wave_analysis.runner.site import refresh_sites
from wave_analysis.runner.sweep import SweepOptions, read_grid, run_sweep
from wave_analysis.synthetic import dataset
from wave_analysis.synthetic.exports import EXPORTS_DIR, write_exports

# ----------------------------------------------------------------------------- commands


def _print_problems(problems: list, folder, tail: str = "") -> None:
    """The validator's report: one line per distinct problem, then the count on stderr."""
    for line in summarise(problems):
        print(line)
    print(f"{len(problems)} problem{'s' * (len(problems) != 1)} found in {folder}{tail}",
          file=sys.stderr)


def _cmd_validate(args) -> int:
    problems = validate_folder(args.folder)
    print(provenance(args.folder).line())
    if not problems:
        print(f"{args.folder}: all tables valid")
        return 0
    _print_problems(problems, args.folder)
    return 1


def run_record(folders: RunFolders, prov: Provenance) -> dict:
    """What the manifest says of the run: canonical or which run folder, and which data."""
    return {"kind": folders.kind, "name": folders.name, "why": folders.why,
            "folder": display_path(folders.root),
            "data": {"folder": display_path(resolve(prov.folder)), "digest": prov.digest,
                     "synthetic": prov.synthetic, "reason": prov.reason,
                     "description": prov.describe()}}


def _banner(folders: RunFolders, prov: Provenance) -> str:
    """The warning on every page of a run folder's team-only site ("" for the canonical run)."""
    return "" if folders.canonical else (
        f"TEAM ONLY: this report holds participant-level outputs of {prov.describe()}; "
        "do not share it")


def _run_options(args, overrides: dict, folders: RunFolders, prov: Provenance, *,
                 jobs: int | None) -> RunOptions:
    banner = _banner(folders, prov)
    return RunOptions(data_dir=args.data, only=tuple(args.only or ()), overrides=overrides,
                      jobs=jobs, force=args.force, site=not args.no_site, banner=banner,
                      record=run_record(folders, prov), **folders.run_options())


def _cmd_run(args) -> int:
    jobs = None if args.jobs is None else check_int("--jobs", args.jobs, minimum=1)
    overrides = parameter_values(args.params, args.param)
    given = overrides.get("data_dir", args.data)
    data = resolve(given if isinstance(given, str) else args.data)
    problems = validate_folder(data)  # once, before any kernel starts
    if problems:
        _print_problems(problems, display_path(data),
                        "; no notebook was run (fix them, then rerun)")
        return 1
    prov = provenance(data)
    folders = plan_folders(data, overrides, args.name, tuple(args.only or ()),
                           synthetic=prov.synthetic)
    if data == SYNTHETIC_DIR.resolve() and not prov.synthetic:
        print(f"note: {display_path(data)} is not verified synthetic ({prov.reason}), so this "
              f"run writes to {display_path(folders.root)}/, not figures/")
    results = run_all(_run_options(args, overrides, folders, prov, jobs=jobs), log=tqdm.write,
                      progress=sys.stderr.isatty())
    fill_checklists(folders.reports, folders.figures, tables_dir=folders.tables,
                    notebooks_dir=folders.notebooks, synthetic=prov.synthetic)
    # disclosure control: every output is checked; a run folder shares only what passes, the
    # canonical (synthetic) run records the results without blocking
    print(_disclosure(data, {"figures": folders.figures, "tables": folders.tables},
                      folders.shareable, folders.disclosure,
                      blocking=folders.shareable is not None))
    for line in _word_reports(folders, reference=args.reference_docx):
        print(line)
    if not args.no_site:  # last: the indexes link the documents written above
        refresh_sites(folders, banner=_banner(folders, prov))
    _print_run(results, folders, site=not args.no_site)
    return 0


def _word_reports(folders: RunFolders, *, reference: str | None) -> list[str]:
    """Build the Word report(s) of a run; returns what was written, one line each.

    Everything the notebooks wrote goes into ``wave_report.docx`` beside the manifest (canonical)
    or in ``team_only/`` (a run folder), participant-level results into the team-only supplement
    there; a run folder's ``shareable/`` gets a report built only from what passed disclosure
    control (never participant-level, no checklists)."""
    manifest = load_manifest(folders.reports)
    private = folders.team_only if folders.team_only is not None else folders.reports
    built = build_word_report(figures_dir=folders.figures, tables_dir=folders.tables,
                              out_dir=private, manifest=manifest,
                              checklists_dir=folders.reports / "checklists",
                              reference_docx=reference, team_only=True)
    lines = [f"Word report: {display_path(built.report)} ({built.tables} tables, "
             f"{built.figures} figures)"]
    if built.team_only is not None:
        lines.append(f"Word team-only supplement (participant-level, do not share): "
                     f"{display_path(built.team_only)} ({built.team_only_items} items)")
    if folders.shareable is not None:
        shared = build_word_report(figures_dir=folders.shareable / "figures",
                                   tables_dir=folders.shareable / "tables",
                                   out_dir=folders.shareable, manifest=manifest,
                                   reference_docx=reference, team_only=False)
        lines.append(f"Word report, shareable (passed disclosure control): "
                     f"{display_path(shared.report)} ({shared.tables} tables, "
                     f"{shared.figures} figures)")
    return lines


def _cmd_report(args) -> int:
    """Rebuild reports from a finished run's outputs (no notebook is run)."""
    if not args.docx:
        raise ArgumentError("wave-analysis report: say which report to build, e.g. --docx")
    if args.run:
        folders = run_folder(args.run)
        if not folders.manifest.is_file():
            raise ArgumentError(f"--run {args.run}: {display_path(folders.root)} holds no run "
                                "(no manifest.json); run `wave-analysis run --name "
                                f"{args.run}` first")
    else:  # the canonical run's folders: the bundled synthetic data, defaults, no name
        folders = plan_folders(SYNTHETIC_DIR, {}, None)
    if not any(p.is_dir() and any(p.iterdir()) for p in (folders.figures, folders.tables)):
        raise ArgumentError(f"nothing to report: {display_path(folders.figures)} and "
                            f"{display_path(folders.tables)} are empty; run `wave-analysis "
                            "run` first")
    for line in _word_reports(folders, reference=args.reference_docx):
        print(line)
    if folders.site.is_dir():  # so the indexes link the documents just written
        refresh_sites(folders)
    return 0


def _print_run(results, folders: RunFolders, *, site: bool) -> None:
    executed = sum(r.status == "executed" for r in results)
    counts = f"{len(results)} notebooks: {executed} executed, {len(results) - executed} cached"
    show = display_path
    if folders.canonical:
        print(f"{counts}; manifest in {show(folders.manifest)}"
              + (f", report in {show(folders.site / 'index.html')}" if site else ""))
        return
    print(f"{counts}; run folder {show(folders.root)}/ ({folders.why}); manifest in "
          f"{show(folders.manifest)}")
    print(f"team only (participant-level, do not share): {show(folders.team_only)}/"
          + (f", report in {show(folders.site / 'index.html')}" if site else ""))
    print(f"shareable (passed disclosure control): {show(folders.shareable)}/"
          + (f", report in {show(folders.shareable_site / 'index.html')}" if site else ""))


def _disclosure(data: Path, source, shareable: Path | None, results_dir: Path, *,
                blocking: bool) -> str:
    """Check every output of a run against the disclosure rules and the data's identifiers;
    with ``blocking``, copy what passes to ``shareable``. Returns the one-line summary."""
    summary = publish(source, shareable, results_dir, identifiers=identifiers_from(data),
                      blocking=blocking)
    return summary.line()


def _cmd_release(args) -> int:
    """Share one withheld artefact of a run, recording the analyst's reason (sdc part)."""
    run_folder = RUNS_DIR / args.run if args.run else _latest_run()
    path = release(run_folder, args.artefact, reason=args.reason)
    print(f"released {args.artefact} to {path.parent}; reason recorded in "
          f"{run_folder / 'disclosure' / 'results.json'}")
    return 0


def _latest_run() -> Path:
    """The most recently modified run folder under runs/ (``--run`` not given)."""
    runs = sorted((p for p in RUNS_DIR.glob("*/disclosure/results.json")),
                  key=lambda p: p.stat().st_mtime)
    if not runs:
        raise ArgumentError("--run: no run folder with disclosure results under runs/; "
                            "run the analysis on real data first or name the run")
    return runs[-1].parent.parent


def _cmd_sweep(args) -> int:
    """One notebook over a grid of parameter sets, as Dask tasks; a summary table of the grid."""
    sets = read_grid(args.grid)
    workers = None if args.workers is None else check_int("--workers", args.workers, minimum=1)
    name = args.name or f"sweep-{Path(args.grid).stem}"
    result = run_sweep(SweepOptions(args.notebook, sets, name, data_dir=args.data,
                                    headline=args.headline, scheduler=args.scheduler,
                                    workers=workers),
                       log=tqdm.write, progress=sys.stderr.isatty())
    counts = {s: sum(r.status == s for r in result.results)
              for s in ("executed", "cached", "failed")}
    print(f"{len(result.results)} parameter sets: " + ", ".join(f"{n} {s}" for s, n in
                                                               counts.items()))
    print(f"summary: {display_path(result.summary_csv)}, {display_path(result.summary_md)}; "
          f"team only (participant-level, do not share): {display_path(result.folder)}/")
    for r in result.failed:
        print(f"FAILED {r.key}: {r.error}", file=sys.stderr)
    if result.failed:
        return _fail(f"{len(result.failed)} of {len(result.results)} parameter sets failed "
                     f"(kernel logs in {display_path(result.folder)}/<set>/team_only/logs/)", 2)
    return 0


def _cmd_list(args) -> int:
    for nb in list_notebooks():
        deps = notebook_dependencies(nb)
        print(nb.stem + (f"  (after {', '.join(deps)})" if deps else ""))
        for name, info in notebook_parameters(nb).items():
            print(f"  {name}: {info['type']} = {info['default']!r}  # {info['help']}")
    return 0


def _cmd_synth(args) -> int:
    seed = check_int("--seed", args.seed, minimum=0)
    dataset.write_dataset(Path(args.out), dataset.make_dataset(seed))
    print(f"wrote the synthetic WAVE cohort (seed {seed}) to {args.out}")
    # The cohort rendered as REDCap, Castor and spreadsheet exports: beside the bundled cohort by
    # default, elsewhere only when asked (a cohort written to another folder leaves them alone).
    exports = args.exports or (EXPORTS_DIR if Path(args.out).resolve() == SYNTHETIC_DIR else None)
    if exports:
        for folder in write_exports(Path(args.out), Path(exports)):
            print(f"wrote {folder.name} rendering to {folder}")
    return 0


def _cmd_dictionary(args) -> int:
    text = dictionary.render()
    target = Path(args.out)
    if args.check:
        current = target.read_text("utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale; run `wave-analysis dictionary`", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    _atomic.write_text(target, text)
    print(f"wrote {target}")
    return 0


def _cmd_qdpx_import(args) -> int:
    result = qdpx.import_qdpx(args.file, args.outdir, offset_unit=args.offset_unit,
                              mapping=args.mapping, default_group=args.default_group,
                              overwrite=args.overwrite)
    print(result.report.summary())
    print(f"wrote interviews, codebook, codings and transcripts/ to {args.outdir}")
    return 0


def _cmd_qdpx_inspect(args) -> int:
    found = qdpx.inspect_qdpx(args.file)
    print(found.summary())
    if args.template:
        qdpx.write_template(found, args.template, overwrite=args.overwrite)
        print(f"wrote the mapping template {args.template}: fill stakeholder_group (and "
              f"participant_id for patients), then `wave-analysis qdpx import {args.file} "
              f"OUTDIR --mapping {args.template}`")
    return 0


def _cmd_import(args) -> int:
    """A data-capture export -> a schema-valid folder (--mapping), or a starting mapping
    (--template); the work is in wave_analysis.data.imports."""
    if args.template:
        path = imports.write_template(args.template, args.output or "mapping.yaml")
        print(f"wrote {path}: edit every FILL_ME, then run wave-analysis import --mapping {path} "
              f"{args.template} OUTDIR")
        return 0
    if not (args.mapping and args.source and args.outdir):
        raise ArgumentError("import: give --mapping MAP SOURCE OUTDIR, or --template SOURCE")
    try:
        report = imports.import_export(args.source, args.mapping, args.outdir)
    except ValidationError as err:
        for line in summarise(err.problems):
            print(line, file=sys.stderr)
        n = len(err.problems)
        return _fail(f"{n} problem{'s' * (n != 1)} found; nothing was written to {args.outdir}",
                     1)
    print("\n".join(report.lines()))
    return 0


def _cmd_qdpx_export(args) -> int:
    path = qdpx.export_qdpx(load_qualitative(args.folder), args.file)
    print(f"wrote {path}")
    return 0


# ----------------------------------------------------------------------------- parameter values


def _yaml_reason(err: yaml.YAMLError) -> str:
    """What is wrong and where, in one line."""
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    mark = getattr(err, "problem_mark", None)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


def _read_params_file(path: Path) -> dict:
    """A YAML mapping of parameter name -> value; ``ConfigError`` naming the file otherwise."""
    if not path.is_file():
        raise ConfigError(f"{path}: parameter file not found")
    try:
        loaded = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {_yaml_reason(err)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    loaded = {} if loaded is None else loaded
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise ConfigError(f"{path}: must be a YAML mapping of name: value; got "
                          f"{type(loaded).__name__}")
    return loaded


def _parse_value(name: str, text: str):
    """Command-line parameter values are YAML scalars: 0.8, 12, true, "text", [a, b]."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise ArgumentError(f"-p {name}={text!r}: the value is not a YAML value; quote strings "
                            "that contain ':' or '#'") from None


def parameter_values(params_file: str | None, pairs: list[str] | None) -> dict:
    """Parameter values from ``--params FILE.yaml``, then ``-p NAME=VALUE`` (which wins).
    Whether the names and types fit the notebooks is checked by the runner (``ParameterError``)."""
    values = _read_params_file(Path(params_file)) if params_file else {}
    for item in pairs or []:
        if "=" not in item:
            raise ArgumentError(f"-p {item!r}: write parameters as NAME=VALUE")
        name, value = item.split("=", 1)
        values[name.strip()] = _parse_value(name.strip(), value)
    return values


# ----------------------------------------------------------------------------- parser


def _add_data_commands(sub) -> None:
    p = sub.add_parser("validate", help="validate an export folder and report every problem")
    p.add_argument("folder")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("synth", help="regenerate the bundled synthetic cohort")
    p.add_argument("--out", default=str(SYNTHETIC_DIR))
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--exports", default=None,
                   help="folder for the REDCap/Castor/spreadsheet renderings of the cohort "
                        "(default: data/exports when --out is the bundled cohort)")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("dictionary", help="write docs/data_dictionary.md from the schemas")
    p.add_argument("--out", default=str(DATA_DICTIONARY))
    p.add_argument("--check", action="store_true", help="fail when the file is stale")
    p.set_defaults(func=_cmd_dictionary)

    p = sub.add_parser("import", help="import a REDCap (or other) export with a mapping YAML")
    p.add_argument("source", nargs="?", metavar="SOURCE", help="folder of the export")
    p.add_argument("outdir", nargs="?", metavar="OUTDIR", help="folder to write (replaced)")
    p.add_argument("--mapping", metavar="MAP",
                   help="mapping YAML, or a shipped mapping's name (redcap_wave)")
    p.add_argument("--template", metavar="SOURCE",
                   help="write a starting mapping for the export in SOURCE instead")
    p.add_argument("-o", "--output", metavar="FILE", help="template file (default mapping.yaml)")
    p.set_defaults(func=_cmd_import)


def _add_notebook_commands(sub) -> None:
    p = sub.add_parser("run", help="execute the notebooks whose inputs changed (papermill)")
    p.add_argument("--data", default="data/synthetic", help="export folder (default: synthetic)")
    p.add_argument("--name", metavar="NAME",
                   help="write to runs/NAME/ (default: figures/ and reports/ for the canonical "
                        "run, else a name made from the data folder and the parameters)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run (name or prefix)")
    p.add_argument("--params", metavar="FILE.yaml", help="YAML file of parameter values")
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="one parameter value (repeatable; wins over --params)")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="notebooks run in parallel (default: one per core)")
    p.add_argument("--force", action="store_true", help="rerun even when nothing changed")
    p.add_argument("--no-site", action="store_true", help="skip the HTML report")
    p.add_argument("--reference-docx", metavar="FILE.docx",
                   help="Word document whose styles the Word report uses (default: house style)")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("report", help="rebuild a run's reports from its outputs (no notebook "
                                      "is run)")
    p.add_argument("--docx", action="store_true",
                   help="the Word report: reports/wave_report.docx (a run folder: team_only/ and "
                        "shareable/)")
    p.add_argument("--reference-docx", metavar="FILE.docx",
                   help="Word document whose styles the report uses (default: house style)")
    p.add_argument("--run", metavar="NAME", help="a run folder under runs/ (default: the "
                                                 "canonical run in figures/ and reports/)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("sweep", help="run one notebook over a grid of parameter sets (Dask)")
    p.add_argument("notebook", metavar="NOTEBOOK", help="notebook name (or unique prefix)")
    p.add_argument("--grid", required=True, metavar="GRID.yaml",
                   help="parameter: [values] (every combination) or a list of parameter sets")
    p.add_argument("--name", metavar="NAME", help="write to runs/NAME/ (default: sweep-GRID)")
    p.add_argument("--headline", metavar="TABLE",
                   help="a table the notebook writes; its first cells go in the summary")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="a running Dask scheduler (default: $DASK_SCHEDULER_ADDRESS, else a "
                        "local cluster)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="local cluster worker processes (default: one per core)")
    p.add_argument("--data", default="data/synthetic", help="export folder (default: synthetic)")
    p.set_defaults(func=_cmd_sweep)

    p = sub.add_parser("list", help="show every notebook with its parameters")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("release", help="share one withheld artefact of a run, with a reason")
    p.add_argument("artefact", metavar="ARTEFACT", help="tables/NAME, figures/NAME or NAME")
    p.add_argument("--reason", required=True, help="why the output is safe to share (recorded)")
    p.add_argument("--run", metavar="NAME", help="run folder under runs/ (default: the latest)")
    p.set_defaults(func=_cmd_release)


def _add_qdpx_commands(sub) -> None:
    p = sub.add_parser("qdpx", help="REFI-QDA (.qdpx) project import and export")
    qsub = p.add_subparsers(dest="qdpx_command", required=True)
    q = qsub.add_parser("import", help="import a .qdpx/.qde/.qdc into tidy tables")
    q.add_argument("file")
    q.add_argument("outdir")
    q.add_argument("--offset-unit", default="auto",
                   choices=("auto", "codepoint", "utf16", "codepoint_lf"),
                   help="how the file counts selection offsets (default: detect)")
    q.add_argument("--mapping", metavar="CSV",
                   help="source name -> stakeholder_group, participant_id")
    q.add_argument("--default-group", metavar="GROUP",
                   help="stakeholder group of every source the mapping and case variables "
                        "leave without one (a single-group project)")
    q.add_argument("--overwrite", action="store_true", help="replace a non-empty OUTDIR")
    q.set_defaults(func=_cmd_qdpx_import)
    q = qsub.add_parser("inspect", help="list a .qdpx's sources, cases and users; write a "
                        "mapping template")
    q.add_argument("file")
    q.add_argument("--template", metavar="OUT.csv",
                   help="write a mapping CSV to fill in (one row per source)")
    q.add_argument("--overwrite", action="store_true", help="replace an existing template")
    q.set_defaults(func=_cmd_qdpx_inspect)
    q = qsub.add_parser("export", help="export a folder's qualitative tables to .qdpx")
    q.add_argument("folder")
    q.add_argument("file")
    q.set_defaults(func=_cmd_qdpx_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wave-analysis",
                                     description="WAVE mixed-methods analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_data_commands(sub)
    _add_notebook_commands(sub)
    _add_qdpx_commands(sub)
    return parser


# ----------------------------------------------------------------------------- main


def _fail(message: str, code: int) -> int:
    """Print ``message`` as one line on stderr (a message may span lines) and return ``code``."""
    print("error: " + " ".join(message.split()), file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as err:
        return _fail(str(err), 1)
    except (WaveError, OSError) as err:
        return _fail(str(err), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as err:  # never a traceback for users; WAVE_DEBUG=1 shows it
        if os.environ.get("WAVE_DEBUG"):
            raise
        return _fail(f"unexpected {type(err).__name__}: {err} (rerun with WAVE_DEBUG=1 for "
                     "details)", 3)
