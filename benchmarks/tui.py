"""The playground under load: training speed flat out, frames, key latency, start-up.

    python benchmarks/tui.py [SCENARIO ...] [--seconds S] [--rounds N] [--repeats R] [--imports]

SCENARIO is a bundled name or a .toml path. Default: xor, spiral and digits
(64-32-10 on 1,797 samples, batch 32).

Each scenario runs the real app headless (Textual's run_test, 140 x 45) R
times. Each time, in N rounds, the app runs flat out for S seconds with no key
pressed and is paused, and the same scenario then runs headless in the same
process for S seconds: each round's ratio compares two runs a second apart,
so that the machine's noise, which comes and goes, touches both alike. Then
it runs for 3 s with ``n`` (next sample: every pane redrawn) pressed every
100 ms. Printed, each as the median of the R runs (each run's own median of
its rounds) with their range, next to its target:

* steps/s under the interface over steps/s headless (target: at least 0.8 at
  the bundled sizes);
* frames drawn per second (target: at least 10);
* how long a key takes while training flat out, from posting the key event to
  the end of its action with every pane given the new state (target: under
  100 ms), median and worst;
* the first frame: the time from creating the app to its first frame.

Then the imports that the shell waits for before the first frame, as the
``nnplay`` command makes them (``nnplay.cli``, then ``nnplay.tui.app`` with
the garbage collector paused: nnplay.cli._playground), each in a fresh
interpreter less an empty one, in rounds that take every import in turn (a
round's ratios compare imports a second apart, as above): over ``import
textual.app``, and over the libraries the first frame cannot do without
(NumPy, Textual and plotext, imported as usual; target: at most 1.3), and
over those libraries with the collector paused too (pausing it speeds their
import as well). ``--imports`` measures only these.

BLAS runs one thread (as nnplay does): its threads only fight for these small matrices.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before NumPy loads

import argparse  # noqa: E402
import asyncio  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from nnplay.scenario import load  # noqa: E402
from nnplay.tui.app import PlaygroundApp  # noqa: E402
from nnplay.tui.screen import PlaygroundScreen  # noqa: E402

KEY_SECONDS = 3.0  # pressing a key every 100 ms while it trains, this long


def headless_rate(trainer, seconds: float) -> float:
    """Steps per second as ``nnplay run`` takes them: the whole-set loss measured only when read."""
    start = time.perf_counter()
    steps = 0
    while time.perf_counter() - start < seconds:
        steps += trainer.step(100)
    return steps / (time.perf_counter() - start)


async def interface(name: str, rounds: int, seconds: float) -> dict:
    headless = load(name).make_trainer()
    headless.loss_every = None
    headless.step(1)
    created = time.perf_counter()
    first_frame: list[float] = []
    frames = 0
    key_times: list[float] = []
    original_show = PlaygroundScreen.show_frame
    original_sample = PlaygroundScreen.action_sample

    def show_frame(self, frame, *args, **kwargs):
        nonlocal frames
        frames += 1
        if not first_frame:
            first_frame.append(time.perf_counter())
        return original_show(self, frame, *args, **kwargs)

    def action_sample(self, delta):
        result = original_sample(self, delta)  # the new sample selected and every pane given it
        key_times.append(time.perf_counter())
        return result

    PlaygroundScreen.show_frame = show_frame  # type: ignore[method-assign]
    PlaygroundScreen.action_sample = action_sample  # type: ignore[method-assign]
    ratios, rates, drawn = [], [], []
    try:
        app = PlaygroundApp(load(name))
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            screen = app.playground
            session = screen.session
            while session.speed is not None:
                session.change_speed(1)
            # phase 1, in rounds: flat out with nobody touching the keys, then paused while the same scenario
            # runs headless for as long (the machine's noise comes and goes: each pair sees about the same)
            for _ in range(rounds):
                app.simulate_key("r")  # not pilot.press: it waits for an idle CPU, which never comes
                await asyncio.sleep(0.3)  # under way
                frames_before, steps_before = frames, session.trainer.step_count
                start = time.perf_counter()
                await asyncio.sleep(seconds)
                elapsed = time.perf_counter() - start
                rate = (session.trainer.step_count - steps_before) / elapsed
                drawn.append((frames - frames_before) / elapsed)
                session.pause()
                await pilot.pause(0.1)
                rates.append(rate)
                ratios.append(rate / headless_rate(headless, seconds))
            # phase 2: a key every 100 ms while it trains
            app.simulate_key("r")
            latencies = []
            start = time.perf_counter()
            while time.perf_counter() - start < KEY_SECONDS:
                await asyncio.sleep(0.1)
                pressed = time.perf_counter()
                count = len(key_times)
                app.simulate_key("n")
                while len(key_times) == count and time.perf_counter() - pressed < 2:
                    await asyncio.sleep(0.001)
                if len(key_times) > count:
                    latencies.append(key_times[-1] - pressed)
            session.pause()
            await pilot.pause(0.1)
    finally:
        PlaygroundScreen.show_frame = original_show  # type: ignore[method-assign]
        PlaygroundScreen.action_sample = original_sample  # type: ignore[method-assign]
    return {"steps_per_second": statistics.median(rates), "ratio": statistics.median(ratios),
            "frames_per_second": statistics.median(drawn),
            "key_median_ms": statistics.median(latencies) * 1000, "key_max_ms": max(latencies) * 1000,
            "first_frame_s": first_frame[0] - created}


def import_seconds(codes: dict[str, str], repeats: int) -> dict[str, list[float]]:
    """Wall time of ``python -c CODE`` (imports) in a fresh interpreter, less that of an empty one, for each
    of ``codes``, ``repeats`` rounds of each in turn, with compiled bytecode as an installed package has it
    (a first run of each writes it)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        return time.perf_counter() - start

    for code in codes.values():
        run(code)
    times: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(repeats):
        for name, code in codes.items():
            empty = run("pass")
            times[name].append(run(code) - empty)
    return times


def spread(values: list[float], fmt: str) -> str:
    """The median, and the range of the runs."""
    return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def line(label: str, values: list[float], fmt: str, target: str) -> None:
    print(f"  {label:38}{spread(values, fmt):>28}   target {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="bundled names or .toml paths")
    parser.add_argument("--seconds", type=float, default=1.0, help="each round's flat-out run, and its headless twin")
    parser.add_argument("--rounds", type=int, default=5, help="flat out then headless, this many times a run")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the app")
    parser.add_argument("--imports", action="store_true", help="only the imports before the first frame")
    args = parser.parse_args()
    for name in [] if args.imports else args.scenarios or ["xor", "spiral", "digits"]:
        runs = [asyncio.run(interface(name, args.rounds, args.seconds)) for _ in range(args.repeats)]
        trainer = load(name).make_trainer()
        sizes = "-".join(str(n) for n in [trainer.X.shape[1], *(layer.units for layer in trainer.network.layers)])
        print(f"{Path(name).stem} ({sizes}, {trainer.n_samples:,} samples), 140 x 45, flat out, {args.repeats} runs "
              f"of {args.rounds} rounds of {args.seconds:g} s (each run's median): median (range)")
        line("steps/s under the interface", [r["steps_per_second"] for r in runs], ",.0f", "")
        line("  over steps/s headless", [r["ratio"] for r in runs], ".2f", ">= 0.8 (bundled sizes)")
        line("frames drawn per second", [r["frames_per_second"] for r in runs], ".1f", ">= 10")
        line("key while running, median (ms)", [r["key_median_ms"] for r in runs], ".0f", "< 100")
        line("key while running, worst (ms)", [r["key_max_ms"] for r in runs], ".0f", "< 100")
        line("first frame after creating the app (s)", [r["first_frame_s"] for r in runs], ".2f", "< 1")
    repeats = max(7, args.repeats)
    paused = "import gc; gc.disable(); "  # as the command starts the playground (nnplay.cli._playground)
    t = import_seconds({"textual": "import textual.app",
                        "needed": "import numpy, textual.app, textual_plotext",
                        "needed_paused": paused + "import numpy, textual.app, textual_plotext",
                        "nnplay": "import nnplay.cli; " + paused + "import nnplay.tui.app"}, repeats)
    nnplay = t["nnplay"]
    print(f"import before the first frame, {repeats} rounds of fresh interpreters: median (range)")
    line("import textual.app (s)", t["textual"], ".3f", "")
    line("import nnplay.cli, nnplay.tui.app (s)", nnplay, ".3f", "")
    line("  over textual.app", [n / x for n, x in zip(nnplay, t["textual"])], ".2f", "")
    line("import numpy, textual.app, plotext (s)", t["needed"], ".3f", "")
    line("  nnplay over these", [n / x for n, x in zip(nnplay, t["needed"])], ".2f", "<= 1.3")
    line("  the same, collector paused too (s)", t["needed_paused"], ".3f", "")
    line("  nnplay over these", [n / x for n, x in zip(nnplay, t["needed_paused"])], ".2f", "")

if __name__ == "__main__":
    main()
