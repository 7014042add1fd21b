"""How fast a scenario's CSV file loads (issue 10: a 50,000-row file in well under a second).

    python benchmarks/csv_load.py [--rows N] [--repeats R]

Writes a file of N rows (default 50,000) and 3 columns, two numbers and a label (x1,x2,label),
and a second one whose target is a number (x1,x2,y), then times, taking turns so that the load
of a busy machine falls on all alike:

* the reference: one bare ``csv.reader`` pass over the same file (read, decode, split the
  cells; nothing kept, nothing converted), the least any CSV reader in Python can do;
* ``nnplay.csvdata.read`` on each file: cells checked and converted, labels checked.

Absolute times depend on the machine; the ratio to the reference, measured in the same run, does
less. Each line gives the median of the repeats and their range.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from nnplay import csvdata

TARGET_SECONDS = 1.0


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    """Median [min–max] of ``values`` times ``scale``."""
    v = [x * scale for x in values]
    return f"{statistics.median(v):.{digits}f} [{min(v):.{digits}f}–{max(v):.{digits}f}]"


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 2))
    labels = np.where(x[:, 0] * x[:, 1] > 0, "red", "blue")
    labelled, numeric = folder / "labels.csv", folder / "numbers.csv"
    labelled.write_text("x1,x2,label\n" + "".join(f"{a!r},{b!r},{c}\n" for (a, b), c in zip(x.tolist(), labels)))
    numeric.write_text("x1,x2,y\n" + "".join(f"{a!r},{b!r},{a * b!r}\n" for a, b in x.tolist()))
    return labelled, numeric


def bare_pass(path: Path) -> None:
    with path.open("rb") as file:
        for _ in csv.reader(io.StringIO(file.read().decode("utf-8"), newline="")):
            pass


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        labelled, numeric = write_files(Path(folder), args.rows)
        size = labelled.stat().st_size / 2**20
        print(f"{args.rows:,} rows x 3 columns ({size:.1f} MB), {args.repeats} repeats; median [range]")
        contenders = {
            "bare csv.reader pass": lambda: bare_pass(labelled),
            "csvdata.read, string labels": lambda: csvdata.read(labelled, "labels.csv"),
            "csvdata.read, numeric target": lambda: csvdata.read(numeric, "numbers.csv"),
        }
        for work in contenders.values():
            work()  # warm up: imports, caches
        times: dict[str, list[float]] = {name: [] for name in contenders}
        for _ in range(args.repeats):
            for name, work in contenders.items():
                times[name].append(timed(work))
        reference = times["bare csv.reader pass"]
        for name, values in times.items():
            ratios = [t / r for t, r in zip(values, reference)]
            verdict = "" if name == "bare csv.reader pass" else \
                f"   {'ok' if statistics.median(values) < TARGET_SECONDS else 'MISSED'} (target: under {TARGET_SECONDS:g} s)"
            print(f"{name:30} {spread(values, 1000, 1)} ms   {spread(ratios)}x the bare pass{verdict}")


if __name__ == "__main__":
    main()
