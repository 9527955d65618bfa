"""Notebook parameters: the parameters cell is read with types, defaults and help, and every
value is checked against its declared type before any kernel starts."""

from __future__ import annotations

import re

import nbformat
import pytest
from fake_notebooks import make_nb, run

from wave_analysis.exceptions import ParameterError
from wave_analysis.runner.execute import RunOptions, run_all
from wave_analysis.runner.parameters import (
    check_overrides,
    coerce,
    declared_parameters,
    notebook_parameters,
    parse_parameters,
)


def test_parameters_cell_is_read_with_types_defaults_and_help():
    params = parse_parameters(
        'n_boot: int = 2000  # bootstrap draws\nlevel: float = 0.8  # CI level\n'
        'arms: list[str] = ["a", "b"]  # arms\nflag = True  # untyped\nx: str | None = None\n'
        'print("not a parameter")\n')
    assert {k: (p.type, p.default, p.help) for k, p in params.items()} == {
        "n_boot": ("int", 2000, "bootstrap draws"), "level": ("float", 0.8, "CI level"),
        "arms": ("list[str]", ["a", "b"], "arms"), "flag": ("bool", True, "untyped"),
        "x": ("str | None", None, "")}


@pytest.mark.parametrize(("source", "message"), [
    ("n: int = len('abc')  # computed", "line 1: the default of 'n' must be a literal"),
    ("x = 1\nn: int = = 2", "line 2: invalid syntax")])
def test_a_parameters_cell_that_is_not_literals_is_refused(source, message):
    with pytest.raises(ParameterError, match=re.escape(f"cell: {message}")):
        parse_parameters(source, where="cell")


def test_a_notebook_needs_exactly_one_parameters_cell(tmp_path):
    path = make_nb(tmp_path, "10_two", "x = 1")
    assert list(declared_parameters(path)) == ["data_dir", "figures_dir", "tables_dir", "scale",
                                               "label"]
    assert notebook_parameters(path)["scale"] == {"type": "float", "default": 1.0,
                                                  "help": "a number"}
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    with pytest.raises(ParameterError, match=r"10_two.ipynb: needs exactly one code cell tagged "
                                             r"'parameters' \(found 2\)"):
        declared_parameters(path)


@pytest.mark.parametrize(("value", "annotation", "expected"), [
    (3, "float", 3.0), (0.5, "float", 0.5), (3, "int", 3), (True, "bool", True),
    ("x", "str", "x"), (["a"], "list[str]", ["a"]), (None, "str | None", None),
    ({"a": 1}, "dict", {"a": 1}), ([1, "a"], "list", [1, "a"]), ((1, 2), "list[int]", [1, 2]),
    ("anything", "Path", "anything"), ([1], "list[int] | None", [1])])
def test_values_of_the_declared_type_are_accepted(value, annotation, expected):
    out = coerce(value, annotation)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize(("value", "annotation"), [
    ("3", "int"), (True, "int"), (2.5, "int"), ("x", "float"), (True, "float"), (1, "bool"),
    (3, "str"), ([1], "list[str]"), ("a", "list"), (None, "str"), ([1], "dict"),
    ("x", "int | None")])
def test_values_of_another_type_are_refused_with_a_parameter_error(value, annotation):
    with pytest.raises(ParameterError, match=re.escape(f"; expected {annotation}")):
        coerce(value, annotation)


def test_overrides_must_be_declared_and_of_the_declared_type(tmp_path):
    nbs = [make_nb(tmp_path, "10_a", "x = 1"),
           make_nb(tmp_path, "20_b", "x = 1", params='scale: int = 1  # whole')]
    check_overrides(nbs, {"scale": 2, "label": "b"})
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) nope; declared: data_dir, "
                                             "figures_dir, label, scale, tables_dir"):
        check_overrides(nbs, {"nope": 1, "scale": 1})
    with pytest.raises(ParameterError, match=r"scale=2.5 is float, but 20_b declares "
                                             "scale: int"):
        check_overrides(nbs, {"scale": 2.5})


def test_bad_parameters_fail_before_any_kernel_starts(project):
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) nope"):
        run(project, overrides={"nope": 1})
    with pytest.raises(ParameterError, match="scale='big' is str, but 10_alpha declares "
                                             "scale: float"):
        run(project, overrides={"scale": "big"})
    with pytest.raises(ParameterError, match="data_dir .*missing.* does not exist"):
        run_all(RunOptions(data_dir=project / "missing", notebooks_dir=project / "nbs",
                           reports_dir=project / "reports"), log=lambda _: None)
    assert not (project / "reports").exists() and not (project / "figures").exists()
