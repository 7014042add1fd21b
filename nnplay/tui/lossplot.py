"""The loss plot: the whole history, averaged down to the widget's width, log scale by default."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from .state import ViewState


class LossPlot(PlotextPlot):
    DEFAULT_CSS = """
    LossPlot { width: 1fr; height: 1fr; min-height: 6; }
    """

    def show(self, state: ViewState) -> None:
        frame = state.frame
        xs, ys = frame.loss_steps, frame.loss_values
        plt = self.plt
        plt.clear_figure()
        finite = np.isfinite(ys)
        xs, ys = xs[finite], ys[finite]
        if state.log_scale:
            positive = ys[ys > 0]
            floor = positive.min() if positive.size else 1e-12
            ys = np.maximum(ys, floor)
            plt.yscale("log")
        plt.xlabel("step")
        if len(xs):
            plt.plot(xs.tolist(), ys.tolist(), marker="braille", color="cyan")
            plt.scatter([xs[-1]], [ys[-1]], marker="●", color="magenta")
        plt.title(f"loss {frame.snapshot.loss:.4g} at step {frame.snapshot.step}" + ("  (log scale)" if state.log_scale else ""))
        self.refresh()
