"""The ``wave-analysis`` command (also ``python -m wave_analysis``).

Every failure prints one line to stderr and exits non-zero; set ``WAVE_DEBUG=1`` to see the
traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from wave_analysis.config import DATA_DICTIONARY, DEFAULT_SEED, SYNTHETIC_DIR
from wave_analysis.exceptions import ParameterError, ValidationError, WaveError, summarise


def _cmd_validate(args) -> int:
    from wave_analysis.data import load as io

    problems = io.validate_folder(args.folder)
    if not problems:
        print(f"{args.folder}: all tables valid")
        return 0
    for line in summarise(problems):
        print(line)
    print(f"{len(problems)} problem{'s' * (len(problems) != 1)} found in {args.folder}",
          file=sys.stderr)
    return 1


def _cmd_synth(args) -> int:
    from wave_analysis.synthetic import dataset

    dataset.write_dataset(Path(args.out), dataset.make_dataset(args.seed))
    print(f"wrote the synthetic WAVE cohort (seed {args.seed}) to {args.out}")
    return 0


def _cmd_dictionary(args) -> int:
    from wave_analysis.data import dictionary

    text = dictionary.render()
    target = Path(args.out)
    if args.check:
        current = target.read_text("utf-8") if target.exists() else ""
        if current != text:
            print(f"{target} is stale; run `wave-analysis dictionary`", file=sys.stderr)
            return 1
        print(f"{target} is up to date")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    print(f"wrote {target}")
    return 0


def _parse_value(text: str):
    """Command-line parameter values are YAML scalars: 0.8, 12, true, "text", [a, b]."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise ParameterError(f"-p value {text!r} is not a YAML value; quote strings that "
                             "contain ':' or '#'") from None


def _overrides(args) -> dict:
    """Parameter values from --params FILE.yaml, then -p NAME=VALUE (which wins)."""
    values = {}
    if args.params:
        path = Path(args.params)
        if not path.is_file():
            raise ParameterError(f"{path}: parameter file not found")
        try:
            loaded = yaml.safe_load(path.read_text("utf-8")) or {}
        except yaml.YAMLError as err:
            raise ParameterError(f"{path}: not valid YAML ({str(err).splitlines()[0]})") from None
        if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
            raise ParameterError(f"{path}: must be a YAML mapping of name: value")
        values.update(loaded)
    for item in args.param or []:
        if "=" not in item:
            raise ParameterError(f"-p {item!r}: write parameters as NAME=VALUE")
        name, value = item.split("=", 1)
        values[name.strip()] = _parse_value(value)
    return values


def _cmd_run(args) -> int:
    from wave_analysis import runner as pipeline

    if args.jobs is not None and args.jobs < 1:
        raise ParameterError(f"--jobs {args.jobs}: give a positive number of processes")
    from tqdm import tqdm

    results = pipeline.run_all(data_dir=args.data, only=args.only, overrides=_overrides(args),
                               jobs=args.jobs, force=args.force, site=not args.no_site,
                               progress=sys.stderr.isatty(), log=tqdm.write)
    executed = sum(r.status == "executed" for r in results)
    print(f"{len(results)} notebooks: {executed} executed, {len(results) - executed} cached; "
          "manifest in reports/manifest.json"
          + ("" if args.no_site else ", report in reports/site/index.html"))
    return 0


def _cmd_list(args) -> int:
    from wave_analysis import runner as pipeline

    for nb in pipeline.list_notebooks():
        deps = pipeline.notebook_dependencies(nb)
        print(nb.stem + (f"  (after {', '.join(deps)})" if deps else ""))
        for name, info in pipeline.notebook_parameters(nb).items():
            print(f"  {name}: {info['type']} = {info['default']!r}  # {info['help']}")
    return 0


def _cmd_qdpx_import(args) -> int:
    from wave_analysis.data import qdpx

    result = qdpx.import_qdpx(args.file, args.outdir, offset_unit=args.offset_unit,
                              mapping=args.mapping, overwrite=args.overwrite)
    print(result.report.summary())
    print(f"wrote interviews, codebook, codings and transcripts/ to {args.outdir}")
    return 0


def _cmd_qdpx_export(args) -> int:
    from wave_analysis.data import load as io
    from wave_analysis.data import qdpx

    path = qdpx.export_qdpx(io.load_qualitative(args.folder), args.file)
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wave-analysis",
                                     description="WAVE mixed-methods analysis toolkit")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="validate an export folder and report every problem")
    p.add_argument("folder")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("synth", help="regenerate the bundled synthetic cohort")
    p.add_argument("--out", default=str(SYNTHETIC_DIR))
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("dictionary", help="write docs/data_dictionary.md from the schemas")
    p.add_argument("--out", default=str(DATA_DICTIONARY))
    p.add_argument("--check", action="store_true", help="fail when the file is stale")
    p.set_defaults(func=_cmd_dictionary)

    p = sub.add_parser("run", help="execute the notebooks whose inputs changed (papermill)")
    p.add_argument("--data", default="data/synthetic", help="export folder (default: synthetic)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="notebooks to run (name or prefix)")
    p.add_argument("--params", metavar="FILE.yaml", help="YAML file of parameter values")
    p.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="one parameter value (repeatable; wins over --params)")
    p.add_argument("--jobs", "-j", type=int, metavar="N",
                   help="notebooks run in parallel (default: one per core)")
    p.add_argument("--force", action="store_true", help="rerun even when nothing changed")
    p.add_argument("--no-site", action="store_true", help="skip the HTML report")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("list", help="show every notebook with its parameters")
    p.set_defaults(func=_cmd_list)

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
    q.add_argument("--overwrite", action="store_true", help="replace a non-empty OUTDIR")
    q.set_defaults(func=_cmd_qdpx_import)
    q = qsub.add_parser("export", help="export a folder's qualitative tables to .qdpx")
    q.add_argument("folder")
    q.add_argument("file")
    q.set_defaults(func=_cmd_qdpx_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except WaveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback for users; WAVE_DEBUG=1 shows it
        if os.environ.get("WAVE_DEBUG"):
            raise
        print(f"error: unexpected {type(err).__name__}: {err} (rerun with WAVE_DEBUG=1 for "
              "details)", file=sys.stderr)
        return 3
