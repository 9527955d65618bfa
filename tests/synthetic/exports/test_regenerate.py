"""The committed synthetic renderings (data/exports/) are what the generator writes, byte for
byte, and every rendering says it is synthetic."""

from __future__ import annotations

from pathlib import Path

import pytest

from wave_analysis.config import REPO_ROOT
from wave_analysis.synthetic.exports import RENDERINGS, write_exports

COMMITTED = REPO_ROOT / "data" / "exports"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory, synthetic_dir) -> Path:
    target = tmp_path_factory.mktemp("exports")
    write_exports(synthetic_dir, target)
    return target


@pytest.mark.slow  # over half a second: make test, not make quick
@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_committed_rendering_is_regenerated_byte_for_byte(regenerated, name):
    committed, fresh = _files(COMMITTED / name), _files(regenerated / name)
    assert sorted(fresh) == sorted(committed), "file list differs: run `wave-analysis synth`"
    stale = [rel for rel in committed if committed[rel] != fresh[rel]]
    assert not stale, f"stale in data/exports/{name}: {stale}; run `wave-analysis synth`"


@pytest.mark.parametrize("name", sorted(RENDERINGS))
def test_rendering_is_labelled_synthetic(regenerated, name):
    readme = (regenerated / name / "README.txt").read_text("utf-8")
    assert readme.startswith("SYNTHETIC DATA")


@pytest.mark.slow
def test_rendering_twice_gives_identical_bytes(tmp_path, synthetic_dir, regenerated):
    write_exports(synthetic_dir, tmp_path)
    for name in RENDERINGS:
        assert _files(tmp_path / name) == _files(regenerated / name)
