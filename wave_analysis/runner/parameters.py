"""Notebook parameters: what a ``parameters`` cell declares (``name: type = literal  # help``)
and whether a value given on the command line fits the declared type.

Every value is checked here, before any kernel starts; papermill itself only warns about unknown
names and never checks types.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from wave_analysis.exceptions import ParameterError
from wave_analysis.runner.notebooks import parameters_source, read_notebook

# Values every notebook may declare; the runner fills them with absolute paths.
PATH_PARAMETERS = ("data_dir", "figures_dir", "tables_dir")
# Parameters naming folders the notebook writes into (staged, then moved into place).
OUTPUT_PARAMETERS = ("figures_dir", "tables_dir")


@dataclass(frozen=True)
class Parameter:
    """One line of a parameters cell."""

    name: str
    type: str  # the annotation as written, e.g. "list[str]" or "float | None"
    default: object
    help: str  # the trailing comment


def _comments(source: str) -> dict[int, str]:
    """Line number -> text of the comment on that line."""
    return {tok.start[0]: tok.string.lstrip("#").strip()
            for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT}


def _assignment(node: ast.stmt) -> tuple[str, str | None, ast.expr | None] | None:
    """(name, annotation, value) of ``name: type = value`` or ``name = value``, else None."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, ast.unparse(node.annotation), node.value
    if (isinstance(node, ast.Assign) and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)):
        return node.targets[0].id, None, node.value
    return None


def parse_parameters(source: str, *, where: str = "parameters cell") -> dict[str, Parameter]:
    """``name: type = literal  # help`` lines of a parameters cell, in order. An unannotated
    value takes the type of its default."""
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ParameterError(f"{where}: line {err.lineno}: {err.msg}") from None
    comments = _comments(source)
    params = {}
    for node in tree.body:
        found = _assignment(node)
        if found is None:
            continue
        name, annotation, value = found
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
    """The parameters declared by the notebook at ``path``."""
    source = parameters_source(read_notebook(path), path)
    return parse_parameters(source, where=f"{Path(path).name} parameters")


def notebook_parameters(path: Path) -> dict[str, dict]:
    """The notebook's declared parameters: name -> {type, default, help}."""
    return {p.name: {"type": p.type, "default": p.default, "help": p.help}
            for p in declared_parameters(path).values()}


# ----------------------------------------------------------------------------- typed values


def _split_union(annotation: str) -> list[str]:
    """``"list[int | None] | None"`` -> ``["list[int | None]", "None"]``."""
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


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _same(value):
    return value


# annotation -> (does the value fit, the value to use); bools are never numbers
_SCALARS: dict[str, tuple[Callable[[object], bool], Callable]] = {
    "none": (lambda v: v is None, _same),
    "nonetype": (lambda v: v is None, _same),
    "bool": (lambda v: isinstance(v, bool), _same),
    "int": (_is_int, _same),
    "float": (lambda v: _is_int(v) or isinstance(v, float), float),
    "str": (lambda v: isinstance(v, str), _same),
    "dict": (lambda v: isinstance(v, dict), _same),
    "mapping": (lambda v: isinstance(v, dict), _same),
}
_SEQUENCES = ("list", "tuple", "sequence")


def _typename(value) -> str:
    return "null" if value is None else type(value).__name__


def _mismatch(value, annotation: str) -> ParameterError:
    return ParameterError(f"{value!r} is {_typename(value)}; expected {annotation}")


def coerce(value, annotation: str):
    """``value`` checked against a parameter annotation (str, int, float, bool, list[...],
    dict, unions with None). Returns the value (ints become floats for ``float``); raises
    ``ParameterError`` when it does not fit. Annotations it does not know accept anything."""
    options = _split_union(annotation)
    if len(options) > 1:
        for option in options:
            try:
                return coerce(value, option)
            except ParameterError:
                pass
        raise _mismatch(value, annotation)
    base, _, inner = annotation.partition("[")
    inner = inner[:-1] if inner.endswith("]") else inner
    base = base.strip().removeprefix("typing.").lower()
    if base in _SCALARS:
        fits, convert = _SCALARS[base]
        if fits(value):
            return convert(value)
        raise _mismatch(value, annotation)
    if base in _SEQUENCES:
        if not isinstance(value, list | tuple):
            raise _mismatch(value, annotation)
        item = inner.split(",")[0].strip() if inner else ""
        if not item or item == "...":
            return list(value)
        try:
            return [coerce(v, item) for v in value]
        except ParameterError:
            raise _mismatch(value, annotation) from None
    return value  # "any", "object" or an annotation we do not know


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
            if name not in params:
                continue
            try:
                coerce(value, params[name].type)
            except ParameterError:
                raise ParameterError(
                    f"parameter {name}={value!r} is {_typename(value)}, but {nb.stem} "
                    f"declares {name}: {params[name].type} (see `wave-analysis list`)"
                ) from None
