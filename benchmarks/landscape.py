"""The landscape's cost in the playground (issue 12), with the spread of several runs.

    python benchmarks/landscape.py [--repeats R]

For each scenario, paused at step 100, the time Session.landscape takes to hand over its coarse map
(LANDSCAPE_COARSE times coarser each way: what the learner sees first) and its full one, along random
and pca directions, next to the two-weight map's full time measured in the same run.
No target: the coarse map should come in a small fraction of the full one's time, and the directions'
maps should cost about what the two-weight map does (the same number of whole-set losses, plus the
directions: an SVD of the path for pca).

Absolute times depend on the machine (and on what else runs on it): compare the ratios, measured in the
same run. Each line gives the median of the repeats and their range.
"""

from __future__ import annotations  # noqa: I001  (nnplay.blas must come before NumPy)

import nnplay.blas  # one BLAS thread, as the playground has: before NumPy loads
import argparse
import statistics
import time

import nnplay
from nnplay.session import Session


def timed(session: Session, kind: str, dims: int = 2) -> tuple[float, float]:
    """Seconds to the coarse map and to the full one (the cache forgotten first)."""
    session._landscape = None
    started = time.perf_counter()
    first: list[float] = []
    session.landscape(0, 1, kind=kind, dims=dims, partial=lambda _: first.append(time.perf_counter() - started))
    total = time.perf_counter() - started
    return (first[0] if first else total), total


def spread(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} ms [{min(values) * 1000:.1f}-{max(values) * 1000:.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for name in ("xor", "spiral", "digits"):
        session = Session(nnplay.load(name))
        session.step(100)
        rows: dict[str, list[tuple[float, float]]] = {"weights": [], "random": [], "pca": []}
        for _ in range(args.repeats):  # in turns, so that a busy machine's load falls on all alike
            for kind in rows:
                rows[kind].append(timed(session, kind))
        weights = statistics.median(t for _, t in rows["weights"])
        print(f"{name}: grid {session.landscape_grid()}")
        for kind, times in rows.items():
            coarse, full = [c for c, _ in times], [t for _, t in times]
            print(f"  {kind:8} coarse {spread(coarse)}  full {spread(full)}  "
                  f"full / two-weight full {statistics.median(full) / weights:.2f}")


if __name__ == "__main__":
    main()
