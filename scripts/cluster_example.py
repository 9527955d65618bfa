"""Start a Dask cluster on SLURM or PBS with dask-jobqueue and keep it up for simulations and
notebook sweeps (README, "Simulations and sweeps on a cluster").

Run it on the cluster's login node, from a checkout whose ``.venv`` the compute nodes can see
(a shared file system: the sweep's workers write their outputs under ``runs/``)::

    pip install -e ".[cluster]"          # dask-jobqueue, an optional extra
    python scripts/cluster_example.py slurm --jobs 4 --cores 8 --memory 16GB \\
        --walltime 02:00:00 --queue short --account my-project

It submits ``--jobs`` batch jobs, each a Dask worker job of ``--cores`` single-threaded worker
processes, prints the scheduler address, and waits (Ctrl-C cancels the jobs). In another shell::

    export DASK_SCHEDULER_ADDRESS=tcp://10.0.0.5:8786      # the address printed
    wave-analysis sweep 02_baseline --grid grid.yaml --headline 02_table1
    # or: wave-analysis sweep ... --scheduler tcp://10.0.0.5:8786

and in Python ``simulate_power(..., client=Client("tcp://10.0.0.5:8786"))``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

KINDS = {"slurm": "SLURMCluster", "pbs": "PBSCluster"}


def cluster_class(kind: str):
    """``dask_jobqueue.SLURMCluster`` or ``PBSCluster``, imported only now (an optional extra)."""
    try:
        module = importlib.import_module("dask_jobqueue")
    except ImportError:
        sys.exit('error: dask-jobqueue is not installed; install the optional extra with '
                 'pip install -e ".[cluster]" (or pip install dask-jobqueue)')
    return getattr(module, KINDS[kind])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", choices=sorted(KINDS), help="the cluster's batch system")
    p.add_argument("--jobs", type=int, default=2, help="batch jobs to submit (default 2)")
    p.add_argument("--cores", type=int, default=4, help="cores (worker processes) per job")
    p.add_argument("--memory", default="8GB", help="memory per job, e.g. 16GB")
    p.add_argument("--walltime", default="01:00:00", help="wall time per job, HH:MM:SS")
    p.add_argument("--queue", help="partition (SLURM) or queue (PBS)")
    p.add_argument("--account", help="project or account to charge")
    p.add_argument("--port", type=int, default=8786, help="scheduler port (default 8786)")
    return p.parse_args(argv)


def make_cluster(args: argparse.Namespace):
    """One worker process per core, one thread each (the notebooks and the simulations are
    single-threaded), as the local default does."""
    cls = cluster_class(args.kind)
    return cls(cores=args.cores, processes=args.cores, memory=args.memory,
               walltime=args.walltime, queue=args.queue, account=args.account,
               scheduler_options={"port": args.port, "dashboard_address": None})


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.jobs < 1 or args.cores < 1:
        sys.exit("error: --jobs and --cores must be at least 1")
    cluster = make_cluster(args)
    cluster.scale(jobs=args.jobs)
    print("batch script of each job:\n" + cluster.job_script())
    print(f"scheduler address: {cluster.scheduler_address}")
    print(f"  export DASK_SCHEDULER_ADDRESS={cluster.scheduler_address}")
    print(f"  wave-analysis sweep NOTEBOOK --grid GRID.yaml --scheduler "
          f"{cluster.scheduler_address}")
    print("waiting; Ctrl-C stops the cluster and cancels its jobs", flush=True)
    try:
        while True:
            time.sleep(60)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
