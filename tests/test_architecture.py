"""The package keeps its shape: import contracts (pyproject.toml), module and function sizes, and
no function-level imports of the package's own modules (they hide dependencies and dodge cycles).

The contract tests run `lint-imports` on the real package, and on a temporary copy with a forbidden
import planted, to show the contracts can fail."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wave_analysis.config import REPO_ROOT

PACKAGE = REPO_ROOT / "wave_analysis"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (make test installs it)")
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, check=False)


def test_import_contracts_hold():
    out = _lint_imports(REPO_ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr


# (file to change, line to add, contract expected to break)
PLANTED = [
    ("trial/outcomes.py", "from wave_analysis import outputs", "Layers point one way"),
    ("data/schema.py", "from wave_analysis.trial import outcomes", "Layers point one way"),
    ("runner/site.py", "from wave_analysis.trial import outcomes", "The runner imports only"),
    ("outputs.py", "from wave_analysis.data import model", "outputs writes and shows"),
    ("synthetic/interviews.py", "from wave_analysis.trial import effects",
     "The generator uses data"),
    ("data/model.py", "from wave_analysis.data import load", "No import cycles"),
]


@pytest.mark.parametrize(("target", "line", "contract"), PLANTED,
                         ids=[p[0] for p in PLANTED])
def test_a_planted_forbidden_import_breaks_a_contract(tmp_path, target, line, contract):
    shutil.copytree(PACKAGE, tmp_path / "wave_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _lint_imports(tmp_path).returncode == 0  # the copy is clean before planting
    planted = tmp_path / "wave_analysis" / target
    planted.write_text(planted.read_text("utf-8") + f"\n{line}  # planted\n", "utf-8")
    out = _lint_imports(tmp_path)
    assert out.returncode != 0
    broken = out.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, out.stdout[-3000:]


def test_no_module_is_over_the_size_limit():
    sizes = {p.relative_to(REPO_ROOT): len(p.read_text("utf-8").splitlines())
             for p in _modules()}
    over = {str(p): n for p, n in sizes.items() if n > MAX_MODULE_LINES}
    assert over == {}, f"modules over {MAX_MODULE_LINES} lines: split them by concern"


def _function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Physical lines of a function, not counting its docstring."""
    lines = node.end_lineno - node.lineno + 1
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        lines -= body[0].end_lineno - body[0].lineno + 1
    return lines


def test_no_function_is_over_the_size_limit():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = _function_lines(node)
                if n > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.name} ({n})")
    assert long == [], f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _own_imports_in_functions(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.ImportFrom) and (
                    node.level > 0 or (node.module or "").startswith("wave_analysis")):
                found.append((node.lineno, node.module or "."))
            elif isinstance(node, ast.Import) and any(
                    a.name.startswith("wave_analysis") for a in node.names):
                found.append((node.lineno, node.names[0].name))
    return found


def test_no_function_level_imports_of_the_package():
    hidden = [f"{p.relative_to(REPO_ROOT)}:{line} imports {mod}"
              for p in _modules() for line, mod in _own_imports_in_functions(
                  ast.parse(p.read_text("utf-8")))]
    assert hidden == [], "import at module top (a hidden dependency or a dodged cycle)"


def test_the_function_level_import_check_can_fail():
    tree = ast.parse("def f():\n    from wave_analysis.trial import effects\n    import numpy\n")
    assert _own_imports_in_functions(tree) == [(2, "wave_analysis.trial")]
