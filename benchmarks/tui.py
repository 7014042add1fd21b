"""The playground under load: training speed flat out, redraws, key latency, first frame.

    python benchmarks/tui.py [SCENARIO] [--seconds S]

Runs the real app headless (Textual's run_test, 140 x 45), sets the run
speed to flat out, and measures for S seconds with no key pressed, then for S
seconds with a key pressed every 100 ms:

* steps per second under the interface, next to ``nnplay run`` (headless)
  for the same scenario, and their ratio (target: at least 0.5);
* frames drawn per second (the worker posts at most 20; the plots redraw at
  most 10 times a second);
* how long a key takes to be answered while training flat out (target: under
  100 ms), from posting the key event to the end of its action, the panes
  redrawn with the new state (painting the terminal follows at once);
* the time the network diagram takes to draw all its lines for a new frame;
* the time from creating the app to its first frame on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from nnplay.scenario import load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.screen import PlaygroundScreen


def headless_rate(name: str, seconds: float) -> float:
    trainer = load(name).make_trainer()
    start = time.perf_counter()
    steps = 0
    while time.perf_counter() - start < seconds:
        steps += trainer.step(500)
    return steps / (time.perf_counter() - start)


async def interface(name: str, seconds: float) -> dict:
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
        result = original_sample(self, delta)  # the new sample selected and every pane redrawn
        key_times.append(time.perf_counter())
        return result

    PlaygroundScreen.show_frame = show_frame
    PlaygroundScreen.action_sample = action_sample
    try:
        app = PlaygroundApp(load(name))
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            screen = app.playground
            session = screen.session
            while session.speed is not None:
                session.change_speed(1)
            diagram = screen.query_one("NetworkDiagram")
            diagram_times = []
            for _ in range(20):
                session.step(1)
                state = screen.presenter.view_state(session.frame())
                t0 = time.perf_counter()
                diagram.show(state)  # colours for the new frame
                for y in range(diagram.size.height):
                    diagram.render_line(y)  # every line's strip
                diagram_times.append(time.perf_counter() - t0)
            # phase 1: flat out, nobody touching the keys
            frames_before = frames
            steps_before = session.trainer.step_count
            start = time.perf_counter()
            app.simulate_key("r")  # not pilot.press: it waits for an idle CPU, which never comes
            await asyncio.sleep(seconds)
            elapsed = time.perf_counter() - start
            steps = session.trainer.step_count - steps_before
            drawn = frames - frames_before
            # phase 2: a key every 100 ms while it trains
            latencies = []
            start = time.perf_counter()
            while time.perf_counter() - start < seconds:
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
        PlaygroundScreen.show_frame = original_show
        PlaygroundScreen.action_sample = original_sample
    return {
        "steps_per_second": steps / elapsed,
        "frames_per_second": drawn / elapsed,
        "key_median_ms": statistics.median(latencies) * 1000,
        "key_max_ms": max(latencies) * 1000,
        "first_frame_s": first_frame[0] - created,
        "diagram_ms": statistics.median(diagram_times) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="xor")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    ui = asyncio.run(interface(args.scenario, args.seconds))
    headless = headless_rate(args.scenario, args.seconds)
    print(f"{args.scenario}, 140 x 45, flat out for {args.seconds:g} s")
    print(f"{'steps/s headless (nnplay run)':34}{headless:12,.0f}")
    ratio = ui["steps_per_second"] / headless
    print(f"{'steps/s under the interface':34}{ui['steps_per_second']:12,.0f}   ratio {ratio:.2f} (target >= 0.5)")
    print(f"{'frames drawn per second':34}{ui['frames_per_second']:12.1f}")
    print(f"{'key latency while running, median':34}{ui['key_median_ms']:10.1f} ms  "
          f"(max {ui['key_max_ms']:.1f} ms; target < 100)")
    print(f"{'network diagram, all lines, new frame':34}{ui['diagram_ms']:10.2f} ms")
    print(f"{'first frame after start':34}{ui['first_frame_s']:10.2f} s   (target < 1)")


if __name__ == "__main__":
    main()
