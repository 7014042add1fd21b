"""What racing ghosts costs: the playground's session flat out with 0 and with 3 ghosts.

    python benchmarks/ghosts.py [SCENARIO ...] [--seconds S] [--repeats R]

SCENARIO is a bundled name or a .toml path. Default: xor and spiral.

Each repeat runs the session's training loop (``Session.train``, as the
playground's training thread does, frames made at its 12 a second and thrown
away) flat out for S seconds with no ghost, then for S seconds with three
(pinned at step 0, each with one setting changed), on a fresh session each
time, alternating. Printed: the live run's steps per second alone and with
three ghosts, each the median of the R repeats with their range, and their
ratio (ghosts / alone, per repeat, then the median and range). Four runs take
four times the steps, so 0.25 is what lockstep costs at best; below it is
the race's own overhead (each ghost's curve, numbers and path in every
frame, a step call per run per chunk).

BLAS runs one thread (as nnplay does): its threads only fight for these small matrices.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before NumPy loads

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from nnplay.scenario import load  # noqa: E402
from nnplay.session import SPEEDS, Session  # noqa: E402

GHOST_CHANGES = ({"momentum": 0.0}, {"momentum": 0.5}, {"l2": 1e-4})  # one setting each, the same cost a step


def rate(name: str, ghosts: int, seconds: float) -> float:
    """The live run's steps per second, flat out, with ``ghosts`` ghosts racing it."""
    session = Session(load(name))
    for changes in GHOST_CHANGES[:ghosts]:
        session.pin_ghost(**changes)
    session.change_speed(len(SPEEDS))  # flat out
    session.start()
    start = time.perf_counter()
    session.train(lambda: time.perf_counter() - start > seconds, lambda frame: None)
    elapsed = time.perf_counter() - start
    session.pause()
    return session.trainer.step_count / elapsed


def spread(values: list[float], spec: str) -> str:
    return f"{statistics.median(values):{spec}} ({min(values):{spec}}–{max(values):{spec}})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", default=["xor", "spiral"])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print("scenario | steps/s alone | steps/s with 3 ghosts | ratio (0.25 at best)")
    for name in args.scenarios:
        alone, racing = [], []
        for _ in range(args.repeats):
            alone.append(rate(name, 0, args.seconds))
            racing.append(rate(name, 3, args.seconds))
        ratios = [r / a for r, a in zip(racing, alone, strict=True)]
        print(f"{name} | {spread(alone, ',.0f')} | {spread(racing, ',.0f')} | {spread(ratios, '.2f')}")


if __name__ == "__main__":
    main()
