"""Run the notebook collection: typed parameters, cache keys, a process pool, a manifest and an
HTML site. ``execute.run_all`` is the entry point (``wave-analysis run`` calls it).

Each notebook runs in a fresh kernel (the ``wave-analysis`` kernel that ``make`` registers inside
``.venv``) through papermill, in a worker process of a pool, and only when its cache key changed.
Outputs are all-or-nothing: a failed notebook leaves earlier outputs untouched and its executed
copy, with the error marked, as ``NAME.failed.ipynb``. Executed notebooks carry no timestamps or
timings, so two runs on the same inputs give identical bytes.

Modules, each importing only those above it (and ``config``, ``_atomic``, ``exceptions``; never
analysis code):

- ``notebooks``: finding notebooks, their cells, declared dependencies, ``--only`` selection
- ``parameters``: the ``parameters`` cell (``name: type = literal  # help``), type checks
- ``cache``: file, folder, library and environment hashes; ``plan`` (keys, dependency order)
- ``manifest``: ``reports/manifest.json``, read and written atomically
- ``site``: the offline HTML report built from the manifest and the executed notebooks
- ``staging``: outputs written to a staging folder, moved into place only on success
- ``job``: one notebook in one kernel, inside a pool worker
- ``execute``: ``run_all``, the pool and the scheduling in dependency order
- ``sweep``: ``run_sweep``, one notebook over a grid of parameter sets as Dask tasks
"""
