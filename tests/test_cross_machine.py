"""The numeric core gives the same bytes on any CPU: notebooks 03 (negative binomial, ZINB, CACE
bootstrap) and 04 (survival) run in separate processes with OpenBLAS forced onto other kernels
and thread counts, and every table and figure they write must be identical.

OpenBLAS picks kernels for the CPU it runs on, so a new user's machine sums in another order and
results differ in the last bits; `_precision` rounds every reported number to 6 significant
digits after solvers converge far below that, which is what this test holds to account. Only
kernels this CPU can execute are used (an AVX-512 kernel on a CPU without it would crash)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wave_analysis.config import SYNTHETIC_DIR

NOTEBOOKS = ("03_days_absent", "04_return_to_work")
RUN = """
import sys
from wave_analysis.runner.execute import RunOptions, run_all
out = sys.argv[1]
run_all(RunOptions(data_dir=sys.argv[2], only=tuple(sys.argv[3:]), force=True, jobs=1,
                   figures_dir=out + "/figures", tables_dir=out + "/tables",
                   reports_dir=out + "/reports"), log=lambda _: None)
"""


def _cpu_flags() -> set[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    line = next((ln for ln in text.splitlines() if ln.startswith("flags")), "")
    return set(line.split(":", 1)[-1].split())


def _settings() -> list[dict[str, str]]:
    flags = _cpu_flags()
    if "avx512f" in flags:
        cores = ("Haswell", "SkylakeX")
    elif "avx2" in flags:
        cores = ("Sandybridge", "Haswell")
    else:
        pytest.skip("this CPU offers no two OpenBLAS kernels to compare")
    return [{"OPENBLAS_CORETYPE": cores[0], "OPENBLAS_NUM_THREADS": "1"},
            {"OPENBLAS_CORETYPE": cores[1], "OPENBLAS_NUM_THREADS": "2"}]


def _outputs(folder: Path) -> dict[str, bytes]:
    files = sorted(p for sub in ("figures", "tables") for p in (folder / sub).rglob("*")
                   if p.is_file())
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


@pytest.mark.slow
def test_tables_and_figures_are_identical_on_other_openblas_kernels(tmp_path):
    runs = []
    for i, setting in enumerate(_settings()):
        out = tmp_path / f"run{i}"
        env = {**os.environ, **setting}
        done = subprocess.run([sys.executable, "-c", RUN, str(out), str(SYNTHETIC_DIR),
                               *NOTEBOOKS], env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(_outputs(out))
    first, second = runs
    assert any(name.startswith("figures/03_forest_irr") for name in first)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"differ between OpenBLAS kernels: {differ}"
