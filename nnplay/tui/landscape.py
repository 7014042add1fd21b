"""The loss landscape over two weights, with the path the optimiser took.

Low loss is dark blue, high loss bright yellow (on a log scale); the path is
drawn in pink and ends at the current point (◆).
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from . import colors
from .state import ViewState

LOW, HIGH = (20, 40, 110), (250, 220, 60)


def landscape_colours(losses: np.ndarray) -> np.ndarray:
    finite = np.isfinite(losses)
    values = np.log10(np.maximum(np.where(finite, losses, np.nan), 1e-300))
    lo, hi = np.nanmin(values) if finite.any() else 0.0, np.nanmax(values) if finite.any() else 1.0
    t = np.nan_to_num((values - lo) / (hi - lo) if hi > lo else np.zeros_like(values), nan=1.0)[..., None]
    return np.rint(np.array(LOW) + (np.array(HIGH) - np.array(LOW)) * t).astype(int)


class LandscapeMap(Widget):
    DEFAULT_CSS = """
    LandscapeMap { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: ViewState | None = None
        self._strips: dict[int, Strip] = {}

    def show(self, state: ViewState) -> None:
        self.state = state
        self._strips.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            strip = self._strips[y] = self._row(y)
        return strip

    def _row(self, y: int) -> Strip:
        w, h = max(1, self.size.width), max(1, self.size.height)
        state = self.state
        data = None if state is None else state.landscape
        if data is None:
            return Strip.blank(w)
        surface, path = data
        if y == h - 1:
            text = f" ← {surface.a_values[0]:+.3g} · {state.landscape_labels[0]} · {surface.a_values[-1]:+.3g} →"
            text += f"   ↑ {state.landscape_labels[1]} {surface.b_values[-1]:+.3g} … {surface.b_values[0]:+.3g}"
            return Strip([Segment(text[:w].ljust(w), colors.style((150, 150, 150)))], w)
        rows, cols = surface.losses.shape
        rgb = landscape_colours(surface.losses)
        map_h = max(1, h - 1)
        ri = min(rows - 1, y * rows // map_h)
        segments = []
        marks = self._marks(surface, path, w, map_h)
        for x in range(w):
            ci = min(cols - 1, x * cols // w)
            bg = tuple(rgb[ri, ci].tolist())
            mark = marks.get((y, x))
            if mark:
                segments.append(Segment(mark, colors.style(colors.SELECTED, bg, bold=True)))
            else:
                segments.append(Segment(" ", colors.style(None, bg)))
        return Strip(segments, w)

    def _marks(self, surface, path, w: int, h: int) -> dict[tuple[int, int], str]:
        a0, a1 = surface.a_values[0], surface.a_values[-1]
        b_top, b_bottom = surface.b_values[0], surface.b_values[-1]

        def cell(a, b):
            x = int(round((a - a0) / (a1 - a0) * (w - 1))) if a1 != a0 else 0
            y = int(round((b_top - b) / (b_top - b_bottom) * (h - 1))) if b_top != b_bottom else 0
            return (y, x) if 0 <= x < w and 0 <= y < h else None

        marks: dict[tuple[int, int], str] = {}
        if path is not None:
            for a, b in path:
                c = cell(a, b)
                if c:
                    marks[c] = "•"
        c = cell(*surface.current)
        if c:
            marks[c] = "◆"
        return marks
