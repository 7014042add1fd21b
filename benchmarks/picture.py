"""ctrl+s: what saving a picture of the screen costs the interface thread.

    python benchmarks/picture.py [SCENARIO ...] [--repeats R]

Default: xor, spiral and digits, each after 100 steps in the real app headless (Textual's run_test, 140 x 45).
The interface thread only copies the screen's lines (``snapshot.capture``); turning them into SVG
(``snapshot.svg``) and writing the file happen in a thread. Printed, as the median of R runs with their range:
the copy in ms, the SVG in ms, and the copy over Textual's whole ``export_screenshot`` measured in the same run
(what the interface thread would pay without the split; target for the copy: a few ms, well under the 100 ms
a key may take).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from nnplay.scenario import load
from nnplay.snapshot import capture, svg
from nnplay.tui.app import PlaygroundApp


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


async def measure(name: str, repeats: int) -> dict[str, list[float]]:
    app = PlaygroundApp(load(name))
    out: dict[str, list[float]] = {"copy": [], "svg": [], "whole": []}
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        for _ in range(repeats):
            picture = capture(app)
            out["copy"].append(timed(lambda: capture(app)))
            out["svg"].append(timed(lambda: svg(picture)))  # noqa: B023 (called at once)
            out["whole"].append(timed(app.export_screenshot))
    return out


def spread(values: list[float], scale: float = 1000.0, fmt: str = ".1f") -> str:
    return f"{statistics.median(values) * scale:{fmt}} [{min(values) * scale:{fmt}}–{max(values) * scale:{fmt}}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", default=["xor", "spiral", "digits"])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"140 x 45, median [range] of {args.repeats}")
    for name in args.scenarios:
        times = asyncio.run(measure(name, args.repeats))
        ratio = [c / w for c, w in zip(times["copy"], times["whole"])]
        print(f"{name:8}  copy (interface thread) {spread(times['copy'])} ms   svg (thread) {spread(times['svg'])} ms   "
              f"copy / export_screenshot {spread(ratio, 1.0, '.3f')}")


if __name__ == "__main__":
    main()
