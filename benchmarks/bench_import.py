"""Time and memory of importing a large REDCap export with the shipped ``redcap_wave`` mapping.

    .venv/bin/python benchmarks/bench_import.py [--participants 100000] [--keep DIR]

Builds, in a temporary folder, a WAVE-shaped REDCap "CSV (raw data)" export: one baseline row per
participant, 13 repeating ``sms`` instances each (fortnights 1-13, some replies missing as the
project code -99), a 6-week questionnaire for half of them, the data dictionary and the side files
the mapping copies. Then imports it with ``import_export`` (read, map, validate with the loader,
write) and prints the wall time and the peak memory: the process's peak resident set size
(``resource.getrusage``, includes the interpreter and pandas) and the peak of Python allocations
during the import (``tracemalloc``, with ``--tracemalloc``: slower, so off by default). Target
(issue 12): 100,000 participants x 13 SMS within 30 s and 2 GB on a 2-core machine.

Measured 2026-12-05 on the 2-core project machine (137 MB records.csv, 1.45 million rows,
load average 2.5): 22.3 s wall, 22.1 s CPU, peak RSS 1697 MiB. (On the same machine shared with
other jobs, load average 9: 82 s wall for the same 25 s of CPU; the import is CPU-bound.)
About 60% of it is the project loader validating the written tables (pandera's per-value str
checks and id patterns, the cross-table rules), the rest reading, mapping and writing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "data" / "imports"))
from redcap_fixture import DICT_HEADER, FIELDS, SIDE_FILES, records_header  # noqa: E402

from wave_analysis.data.imports import import_export  # noqa: E402


def _participants(ids: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    n = len(ids)
    band = rng.integers(1, 3, n)
    practice = rng.integers(1, 3, n)
    cond = rng.integers(1, 4, n)
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    frame = pd.DataFrame({
        "record_id": ids, "redcap_event_name": "baseline_arm_1", "practice": practice,
        "bl_age": rng.integers(18, 66, n), "bl_sex": rng.integers(1, 3, n),
        "bl_days_absent": np.where(band == 1, rng.integers(14, 43, n), rng.integers(43, 184, n)),
        "bl_absence_band": band, "bl_occupation": rng.choice([1, 2, 9], n),
        "bl_employment": rng.integers(1, 4, n), "bl_eq5d_index": rng.uniform(0, 1, n).round(3),
        "bl_eq_vas": rng.integers(0, 101, n), "bl_rtwse": rng.uniform(1, 6, n).round(2),
        "baseline_complete": 2, "rand_date": start.strftime("%Y-%m-%d"),
        "rand_arm": rng.integers(1, 3, n), "randomisation_complete": 2})
    frame["rand_stratum"] = ("SYN-P0" + frame["practice"].astype(str) + " | "
                             + np.where(band == 1, "2-6 weeks", "over 6 weeks"))
    for code in (1, 2, 3):
        frame[f"fitnote_condition___{code}"] = (cond == code).astype(int)
    return frame, start


def _sms(ids: np.ndarray, start: pd.DatetimeIndex, rng: np.random.Generator) -> pd.DataFrame:
    n = len(ids)
    k = np.tile(np.arange(1, 14), n)
    sent = np.repeat(start.values, 13) + pd.to_timedelta(14 * k, unit="D").values
    replied = rng.random(n * 13) < 0.85
    sent_text = pd.DatetimeIndex(sent).strftime("%Y-%m-%d")
    return pd.DataFrame({
        "record_id": np.repeat(ids, 13), "redcap_event_name": "baseline_arm_1",
        "redcap_repeat_instrument": "sms", "redcap_repeat_instance": k, "sms_sent": 1,
        "sms_sent_date": sent_text, "sms_reply_date": np.where(replied, sent_text, ""),
        "sms_days_off": np.where(replied, rng.integers(0, 15, n * 13).astype(str), "-99"),
        "sms_complete": 2})


def build_export(folder: Path, n: int, seed: int = 20240612) -> None:
    """A REDCap-shaped export of ``n`` participants (vectorised; rows sorted as REDCap does)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    ids = np.array([f"B{i:06d}" for i in range(1, n + 1)])
    base, start = _participants(ids, rng)
    half = ids[: n // 2]
    fu = pd.DataFrame({"record_id": half, "redcap_event_name": "followup_6w_arm_1",
                       "fu_returned_date": (start[: n // 2] + pd.Timedelta(days=45))
                       .strftime("%Y-%m-%d"), "fu_days_absent": rng.integers(0, 45, n // 2),
                       "fu_work_status": rng.integers(1, 5, n // 2),
                       "followup_questionnaire_complete": 2})
    parts = [base, _sms(ids, start, rng), fu]  # as text, so codes stay '1' after the concat
    records = pd.concat([p.astype(str) for p in parts], ignore_index=True)
    order = {"baseline_arm_1": 0, "followup_6w_arm_1": 1}
    records = records.assign(_e=records["redcap_event_name"].map(order),
                             _k=pd.to_numeric(records["redcap_repeat_instance"])) \
        .sort_values(["record_id", "_e", "_k"], kind="stable",
                     na_position="first").drop(columns=["_e", "_k"])
    folder.mkdir(parents=True)
    records.reindex(columns=records_header()).to_csv(folder / "records.csv", index=False)
    pd.DataFrame([dict(zip([DICT_HEADER[i] for i in (0, 1, 3, 4, 5, 7)], f, strict=True))
                  for f in FIELDS], columns=DICT_HEADER).to_csv(folder / "dictionary.csv",
                                                                  index=False)
    for name, text in SIDE_FILES.items():
        text = text.replace("SYN-0001", "B000001").replace("SYN-0002", "B000002") \
            .replace("SYN-0003", "B000003").replace("SYN-I01,patient,B000001,SYN-P01",
                                                    "SYN-I01,vsw,,")
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "transcripts").mkdir()
    (folder / "transcripts" / "SYN-I01.txt").write_text("SYNTHETIC interview text.\n", "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report the peak of Python allocations (slower)")
    parser.add_argument("--keep", metavar="DIR", help="build the export in DIR and keep it")
    args = parser.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_import_"))
    try:
        t0 = time.perf_counter()
        # built in a child process, so this process's peak memory is the import's alone
        child = multiprocessing.get_context("spawn").Process(
            target=build_export, args=(tmp / "export", args.participants))
        child.start()
        child.join()
        size = (tmp / "export" / "records.csv").stat().st_size / 1e6
        print(f"built {args.participants} participants x 13 SMS ({size:.0f} MB records.csv) in "
              f"{time.perf_counter() - t0:.1f} s")
        if args.tracemalloc:
            tracemalloc.start()
        t0, cpu0 = time.perf_counter(), sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        report = import_export(tmp / "export", "redcap_wave", tmp / "out")
        wall = time.perf_counter() - t0
        traced = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0
        print(f"import: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MiB"
              + (f", peak Python allocations {traced:.0f} MiB" if traced else ""))
        print("wrote: " + ", ".join(f"{t} {n}" for t, n in report.rows_written.items()))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
