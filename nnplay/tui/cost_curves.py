"""The cost calculator's curves: each loss as the prediction moves, the prediction entered marked on each."""

from __future__ import annotations

import numpy as np
from plotext._utility import get_color_code
from rich.color import Color

from ..costs import CostCurves
from .colors import number
from .lossplot import SafePlot, ladder_ticks

# plotext colours; a loss not here is drawn in plotext's own next colour
LOSS_COLOURS = {"mse": "blue", "sse": "green", "mae": "gray", "bce": "orange", "cce": "red"}


def loss_colour(loss: str) -> str:
    """The colour of ``loss``'s curve as text elsewhere (the table's loss names: the plot's legend) in Rich's
    words: plotext's colour names stand for terminal colour numbers ('orange' is 3, which Rich calls yellow)."""
    return Color.from_ansi(get_color_code(LOSS_COLOURS[loss])).name if loss in LOSS_COLOURS else ""


class CostCurvesPlot(SafePlot):
    DEFAULT_CSS = """
    CostCurvesPlot { width: 1fr; height: 14; }
    """

    def show(self, curves: CostCurves | None) -> None:
        # hidden rather than removed: the dialog keeps its height while an entry is briefly not a number
        self.visible = bool(curves is not None and curves.curves)
        if curves is not None:
            self.draw_with(lambda: self.draw(curves))

    def draw(self, curves: CostCurves) -> None:
        plt = self.plt
        xs = curves.xs
        for curve in curves.curves:
            finite = np.isfinite(curve.values)
            plt.plot(xs[finite].tolist(), curve.values[finite].tolist(), marker="braille",
                     color=LOSS_COLOURS.get(curve.loss))
        heights = np.concatenate([c.values for c in curves.curves] + [[c.current for c in curves.curves]])
        heights = heights[np.isfinite(heights)]  # a square of 1e200 is inf: drawn as far as it is finite
        low, high = (min(0.0, float(heights.min())), float(heights.max())) if heights.size else (0.0, 1.0)
        yspan = high - low
        plt.ylim(low, high)
        plt.yticks(*ladder_ticks(low, high, most=max(2, min(5, self.canvas[1] // 2))))  # two rows apart at least
        for curve in curves.curves:
            self.dot(curves.current, curve.current, float(np.ptp(xs)), yspan, LOSS_COLOURS.get(curve.loss, "magenta"))
        plt.title(f"E as {curves.axis} moves (colours: the names above) · dots: {number(curves.current, '.4g')}, as entered")
        plt.xlabel(curves.axis)
        # the prediction entered has its own tick, so the dots are seen to sit at it (0.003 and 0.01 are a braille
        # point apart on a scale to 1); a ladder tick too close to it to be read beside it gives way
        ticks, labels = ladder_ticks(float(xs[0]), float(xs[-1]), most=6)
        room = float(np.ptp(xs)) / 10
        kept = [(t, label) for t, label in zip(ticks, labels) if abs(t - curves.current) >= room]
        kept.append((curves.current, number(curves.current, ".4g")))
        kept.sort()
        plt.xticks([t for t, _ in kept], [label for _, label in kept])
