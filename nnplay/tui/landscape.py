"""The loss landscape over two weights, with the path the optimiser took.

Low loss is dark blue, high loss bright yellow (on a log scale); the path is
drawn in pink and ends at the current point (◆).
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from . import colors
from .cached_lines import CachedLines
from .scales import positions

LOW, HIGH = (20, 40, 110), (250, 220, 60)


def landscape_colours(losses: np.ndarray) -> np.ndarray:
    finite = np.isfinite(losses)
    values = np.log10(np.maximum(np.where(finite, losses, np.nan), 1e-300))
    lo, hi = np.nanmin(values) if finite.any() else 0.0, np.nanmax(values) if finite.any() else 1.0
    t = np.nan_to_num((values - lo) / (hi - lo) if hi > lo else np.zeros_like(values), nan=1.0)[..., None]
    return np.rint(np.array(LOW) + (np.array(HIGH) - np.array(LOW)) * t).astype(int)


class LandscapeMap(CachedLines):
    DEFAULT_CSS = """
    LandscapeMap { width: 1fr; height: 1fr; min-height: 6; }
    """

    def prepare(self) -> None:
        data = None if self.state is None else self.state.landscape
        w, h = max(1, self.size.width), max(1, self.size.height)
        self._rgb = None if data is None else landscape_colours(data[0].losses).tolist()
        self._marks = {} if data is None else self._place(data[0], data[1], w, max(1, h - 1))

    def render_row(self, y: int) -> Strip:
        w, h = max(1, self.size.width), max(1, self.size.height)
        state = self.state
        data = None if state is None else state.landscape
        if data is None:
            if state is not None and state.computing and y == 0:  # the first one, made off the interface thread
                text = " computing the loss over {} and {}…".format(*state.landscape_labels)
                return Strip([Segment(text[:w].ljust(w), colors.style((150, 150, 150)))], w)
            return Strip.blank(w)
        surface, path = data
        if y == h - 1:
            text = f" ← {surface.a_values[0]:+.3g} · {state.landscape_labels[0]} · {surface.a_values[-1]:+.3g} →"
            text += f"   ↑ {state.landscape_labels[1]} {surface.b_values[-1]:+.3g} … {surface.b_values[0]:+.3g}"
            return Strip([Segment(text[:w].ljust(w), colors.style((150, 150, 150)))], w)
        rows, cols = surface.losses.shape
        map_h = max(1, h - 1)
        row = self._rgb[min(rows - 1, y * rows // map_h)]
        segments = []
        for x in range(w):
            bg = tuple(row[min(cols - 1, x * cols // w)])
            mark = self._marks.get((y, x))
            if mark:
                segments.append(Segment(mark, colors.style(colors.SELECTED, bg, bold=True)))
            else:
                segments.append(Segment(" ", colors.style(None, bg)))
        return Strip(segments, w)

    def _place(self, surface, path, w: int, h: int) -> dict[tuple[int, int], str]:
        """The cells of the path (•) and of the current point (◆)."""
        points = np.array(([] if path is None else list(path)) + [surface.current], dtype=float).reshape(-1, 2)
        xs = positions(points[:, 0], surface.a_values[0], surface.a_values[-1], w)
        ys = positions(points[:, 1], surface.b_values[0], surface.b_values[-1], h)
        marks = {(y, x): "•" for x, y in zip(xs[:-1].tolist(), ys[:-1].tolist()) if x >= 0 and y >= 0}
        if xs[-1] >= 0 and ys[-1] >= 0:
            marks[(int(ys[-1]), int(xs[-1]))] = "◆"
        return marks
