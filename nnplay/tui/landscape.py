"""The loss landscape over two weights, with the path the optimiser took.

Low loss is dark blue, high loss bright yellow (on a log scale), two pixels
to a cell (``pixels.Pixels``); the path is drawn in pink and ends at the
current point (◆). The last line is the axes.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from . import colors
from .cached_lines import CachedLines
from .pixels import Mark, Pixels, resample
from .scales import positions

LOW, HIGH = (20, 40, 110), (250, 220, 60)
DIM = (150, 150, 150)


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
        self._pixels: Pixels | None = None
        if data is not None:
            surface, path = data
            map_h = max(1, h - 1)
            rgb = resample(landscape_colours(surface.losses), 2 * map_h, w)
            self._pixels = Pixels(rgb, self._place(surface, path, w, map_h))

    def render_row(self, y: int) -> Strip:
        w, h = max(1, self.size.width), max(1, self.size.height)
        state = self.state
        if state is None or state.landscape is None or self._pixels is None:
            if state is not None and state.computing and y == 0:  # the first one, made off the interface thread
                return self._text(" computing the loss over {} and {}…".format(*state.landscape_labels), w)
            return Strip.blank(w)
        if y == h - 1:
            surface, labels = state.landscape[0], state.landscape_labels
            text = f" ← {surface.a_values[0]:+.3g} · {labels[0]} · {surface.a_values[-1]:+.3g} →"
            text += f"   ↑ {labels[1]} {surface.b_values[-1]:+.3g} … {surface.b_values[0]:+.3g}"
            return self._text(text, w)
        return Strip(self._pixels.line(y), w).adjust_cell_length(w)

    @staticmethod
    def _text(text: str, w: int) -> Strip:
        return Strip([Segment(text[:w].ljust(w), colors.style(DIM))], w)

    @staticmethod
    def _place(surface, path, w: int, h: int) -> dict[tuple[int, int], Mark]:
        """The cells of the path (•) and of the current point (◆), in pink."""
        points = np.array(([] if path is None else list(path)) + [surface.current], dtype=float).reshape(-1, 2)
        xs = positions(points[:, 0], surface.a_values[0], surface.a_values[-1], w)
        ys = positions(points[:, 1], surface.b_values[0], surface.b_values[-1], h)
        marks: dict[tuple[int, int], Mark] = {
            (y, x): ("•", colors.SELECTED) for x, y in zip(xs[:-1].tolist(), ys[:-1].tolist()) if x >= 0 and y >= 0}
        if xs[-1] >= 0 and ys[-1] >= 0:
            marks[(int(ys[-1]), int(xs[-1]))] = ("◆", colors.SELECTED)
        return marks
