"""The decision map (two inputs): the network's output over the input plane, with the points.

Each cell shows two pixels, one above the other (``pixels.Pixels``). One
output: orange for 0, grey at 0.5, blue for 1. Several (softmax): the class
colours mixed by probability. The training points are drawn on top, one shape
per class (``engine.metrics.classes`` of the targets), in black or white for
contrast; the selected sample is pink.
"""

from __future__ import annotations

import numpy as np
from textual import events
from textual.message import Message
from textual.strip import Strip

from ..engine import metrics
from . import colors
from .cached_lines import CachedLines
from .pixels import Mark, Pixels, resample
from .scales import positions

GLYPHS = "●▲■◆★✚"
MAX_COLS, MAX_ROWS = 200, 120  # the finest plane the session computes


def pixel_colours(values: np.ndarray) -> np.ndarray:
    """(rows, cols, outputs) network outputs -> (rows, cols, 3) RGB."""
    if values.shape[2] == 1:
        y = np.clip(np.nan_to_num(values[:, :, 0], nan=0.5), 0.0, 1.0)
        t = np.abs(y - 0.5)[:, :, None] * 2
        hue = np.where((y >= 0.5)[:, :, None], np.array(colors.POSITIVE), np.array(colors.NEGATIVE))
        return np.array(colors.NEUTRAL) + (hue - np.array(colors.NEUTRAL)) * np.sqrt(t)
    p = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)
    p = p / np.maximum(p.sum(axis=2, keepdims=True), 1e-12)
    palette = np.array([colors.CLASS_COLOURS[i % len(colors.CLASS_COLOURS)] for i in range(values.shape[2])], dtype=float)
    return p @ palette


class DecisionMap(CachedLines):
    DEFAULT_CSS = """
    DecisionMap { width: 1fr; height: 1fr; min-height: 4; }
    """

    class Resized(Message):
        """The map wants the plane at one point per pixel: (columns, rows of pixels)."""

        def __init__(self, cols: int, rows: int) -> None:
            super().__init__()
            self.cols, self.rows = cols, rows

    def on_resize(self, event: events.Resize) -> None:
        w, h = event.size.width, event.size.height
        if w > 0 and h > 0:
            self.post_message(self.Resized(min(w, MAX_COLS), min(2 * h, MAX_ROWS)))

    def prepare(self) -> None:
        """The plane at one grid point per pixel, and the training points as marks on their cells."""
        state = self.state
        w, h = max(1, self.size.width), max(1, self.size.height)
        self._pixels: Pixels | None = None
        if state is None or state.frame.grid is None:
            return
        g = state.frame.grid
        marks: dict[tuple[int, int], Mark] = {}
        snap = state.frame.snapshot
        (x0, x1), (y0, y1) = g.xlim, g.ylim
        xs = positions(snap.inputs[:, 0], x0, x1, w)
        pixels = positions(snap.inputs[:, 1], y1, y0, 2 * h)
        on = np.flatnonzero((xs >= 0) & (pixels >= 0))  # the points on the plane
        # one glyph a cell, the last point's: a big data set has many points a cell
        _, last = np.unique(((pixels[on] // 2) * w + xs[on])[::-1], return_index=True)
        several = snap.targets.shape[1] > 1
        classes = metrics.classes(snap.targets)
        for i in on[::-1][last].tolist():
            cls = int(classes[i])
            glyph = GLYPHS[cls % len(GLYPHS)] if several else ("●" if cls else "○")
            marks[(int(pixels[i]) // 2, int(xs[i]))] = (glyph, None)
        s = state.sample
        if xs[s] >= 0 and pixels[s] >= 0:  # the selected sample's cell is pink
            cell = (int(pixels[s]) // 2, int(xs[s]))
            marks[cell] = (marks[cell][0], colors.SELECTED)
        self._pixels = Pixels(resample(pixel_colours(g.values), 2 * h, w), marks)

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        if self._pixels is None:
            return Strip.blank(w)
        return Strip(self._pixels.line(y), w).adjust_cell_length(w)
