"""The loss plot: the whole history, averaged down to the widget's width, log scale by default.

The log scale is drawn by plotting log10(loss) on a linear axis with the
ticks labelled in loss units (plotext's own log axis re-applies the log
each time it redraws the same data).
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text
from textual_plotext import PlotextPlot

from ..playground import ViewState


def log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Tick positions (in log10 units) and their labels for a log axis from 10^lo to 10^hi:
    the whole decades inside the range, or four evenly spaced values in a narrow one."""
    positions = [float(p) for p in range(math.ceil(lo), math.floor(hi) + 1)]
    if len(positions) > 6:
        step = -(-len(positions) // 6)
        positions = positions[::step]
    if len(positions) < 2:
        positions = [float(p) for p in np.linspace(lo, hi, 4)] if hi > lo else [lo]
    return positions, [f"{10 ** p:.3g}" for p in positions]


class SafePlot(PlotextPlot):
    """A plotext plot that says so, instead of crashing, if plotext cannot draw."""

    def render(self):
        try:
            with np.errstate(all="ignore"):  # plotext's arithmetic overflows on numbers near 1e308, and says so
                return super().render()
        except Exception as error:  # plotext has corner cases; the app must live on
            return Text(f"(this plot cannot be drawn right now: {error})", style="dim")


class LossPlot(SafePlot):
    DEFAULT_CSS = """
    LossPlot { width: 1fr; height: 1fr; min-height: 6; }
    """

    def show(self, state: ViewState) -> None:
        frame = state.frame
        xs, ys = frame.loss_steps, frame.loss_values
        points = max(8, 2 * self.size.width)  # braille: two points a cell
        if len(xs) > points:
            keep = np.unique(np.linspace(0, len(xs) - 1, points).astype(int))
            xs, ys = xs[keep], ys[keep]
        plt = self.plt
        plt.clear_figure()
        finite = np.isfinite(ys)
        xs, ys = xs[finite], ys[finite]
        if state.log_scale and len(ys):
            positive = ys[ys > 0]
            floor = positive.min() if positive.size else 1e-300
            ys = np.log10(np.maximum(ys, floor))
            ticks = log_ticks(float(ys.min()), float(ys.max()))
        else:
            ticks = None
        plt.xlabel("step")
        if len(xs):
            plt.plot(xs.tolist(), ys.tolist(), marker="braille", color="cyan")
            plt.scatter([float(xs[-1])], [float(ys[-1])], marker="●", color="magenta")
        if ticks is not None:
            plt.yticks(*ticks)
        snap = frame.snapshot
        plt.title(f"loss {snap.loss:.4g} at step {snap.step}" + ("  (log scale: l)" if state.log_scale else "  (linear: l)"))
        self.refresh()
