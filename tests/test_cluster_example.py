"""scripts/cluster_example.py: dask-jobqueue is optional, so a missing install is one clear line;
with it, the cluster is made from the command-line choice and scaled to the jobs asked for
(a stand-in dask_jobqueue module records the calls: no batch system here)."""

from __future__ import annotations

import importlib.util
import sys
import types

import pytest

from wave_analysis.config import REPO_ROOT


def _script():
    spec = importlib.util.spec_from_file_location("cluster_example",
                                                  REPO_ROOT / "scripts" / "cluster_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_dask_jobqueue_the_script_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_jobqueue", None)  # import fails
    with pytest.raises(SystemExit, match=r'dask-jobqueue is not installed; .*\.\[cluster\]'):
        _script().main(["pbs", "--jobs", "2"])


class _FakeCluster:
    made: list = []

    def __init__(self, **kwargs):
        self.kwargs, self.jobs, self.closed = kwargs, None, False
        self.scheduler_address = "tcp://10.0.0.5:8786"
        _FakeCluster.made.append(self)

    def scale(self, *, jobs):
        self.jobs = jobs

    def job_script(self):
        return "#!/bin/bash\n#SBATCH -J dask-worker\n"

    def close(self):
        self.closed = True


@pytest.mark.parametrize(("kind", "cls"), [("slurm", "SLURMCluster"), ("pbs", "PBSCluster")])
def test_cluster_of_the_chosen_kind_scaled_and_its_address_printed(monkeypatch, capsys, kind,
                                                                   cls):
    fake = types.ModuleType("dask_jobqueue")
    made = type(cls, (_FakeCluster,), {})
    setattr(fake, cls, made)
    monkeypatch.setitem(sys.modules, "dask_jobqueue", fake)
    script = _script()

    def interrupt(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(script.time, "sleep", interrupt)
    assert script.main([kind, "--jobs", "3", "--cores", "8", "--queue", "short"]) == 0
    cluster = _FakeCluster.made[-1]
    assert type(cluster) is made and cluster.jobs == 3 and cluster.closed
    assert cluster.kwargs["cores"] == cluster.kwargs["processes"] == 8  # one thread each
    assert cluster.kwargs["queue"] == "short"
    out = capsys.readouterr().out
    assert "scheduler address: tcp://10.0.0.5:8786" in out
    assert "--scheduler tcp://10.0.0.5:8786" in out
