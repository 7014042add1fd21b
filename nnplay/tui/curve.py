"""The curve view (one input): the network's output over the input range, with the data points."""

from __future__ import annotations

import numpy as np

from ..figures import padded_range
from ..playground import ViewState
from .lossplot import SafePlot

MAX_POINTS = 2000  # data points drawn: far more than the plot has dots, and quick to draw


class CurveView(SafePlot):
    DEFAULT_CSS = """
    CurveView { width: 1fr; height: 1fr; min-height: 6; }
    """

    def show(self, state: ViewState) -> None:
        if state.frame.curve is not None and state.points is not None:  # (None: a frame of another view)
            self.draw_with(lambda: self.draw(state))

    def draw(self, state: ViewState) -> None:
        frame = state.frame
        snap, curve, points = frame.snapshot, frame.curve, state.points
        assert curve is not None and points is not None
        xs = points.inputs[:, 0]  # the named input (the network may see features of it)
        plt = self.plt
        # the y range is the targets', fixed, so that a flat line looks flat
        lo, hi = padded_range(snap.targets[:, 0], pad=0.25)
        plt.ylim(lo, hi)
        ys = np.clip(np.nan_to_num(curve.ys[:, 0], nan=lo), lo, hi)
        plt.plot(curve.xs.tolist(), ys.tolist(), marker="braille", color="cyan")
        n = len(snap.inputs)
        shown = np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS)).astype(int))  # a big data set, thinned
        plt.scatter(xs[shown].tolist(), snap.targets[shown, 0].tolist(), marker="●", color="orange")
        s = min(state.sample, n - 1)
        # the selected sample's output, on the curve: a patch of braille points (a one-cell ◆ lands off it)
        self.dot(float(xs[s]), float(np.clip(snap.outputs[s, 0], lo, hi)),
                 float(np.ptp(curve.xs)), hi - lo)
        plt.xlabel(points.names[0])
        plt.title("─ the network's output   ● data   ■ the selected sample on it")
