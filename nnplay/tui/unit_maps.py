"""Per-unit maps (two inputs): each hidden unit's activation over the input plane, side by side.

The same plane as the decision map, each map squeezed into MAP_WIDTH x
MAP_HEIGHT cells of two pixels (``pixels.Pixels``); blue where the unit's z
is high, orange where it is negative (tanh), grey near 0. This is what the
output layer adds up.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from . import colors
from .cached_lines import CachedLines
from .pixels import Pixels, resample

MAP_WIDTH, MAP_HEIGHT = 12, 5   # cells per map (each cell is two pixels high)
DIM = (150, 150, 150)


def unit_colours(z: np.ndarray) -> np.ndarray:
    """(rows, cols) activations -> (rows, cols, 3) RGB, on the map's own scale."""
    scale = max(colors.scale_of(z), 1e-12)
    return np.array([[colors.signed(float(v), scale) for v in row] for row in z], dtype=float).reshape(*z.shape, 3)


class UnitMaps(CachedLines):
    DEFAULT_CSS = """
    UnitMaps { width: 1fr; height: 1fr; }
    """

    def prepare(self) -> None:
        """The lines of all the maps: a row of labels, then MAP_HEIGHT lines of pictures, per row of maps."""
        self._lines: list[list[Segment]] = []
        state = self.state
        if state is None or not state.unit_maps:
            self._lines.append([Segment("Per-unit maps need a scenario with two inputs and a hidden layer.",
                                        colors.style(DIM))])
            return
        maps, names = state.unit_maps, state.names
        per_row = max(1, (max(1, self.size.width) + 1) // (MAP_WIDTH + 1))
        gap = Segment(" ")
        for start in range(0, len(maps), per_row):
            group = maps[start : start + per_row]
            self._lines.append([Segment(names[layer + 1][unit][:MAP_WIDTH].ljust(MAP_WIDTH + 1), colors.style(DIM))
                                for layer, unit, _ in group])
            pictures = [Pixels(resample(unit_colours(z), 2 * MAP_HEIGHT, MAP_WIDTH)) for _, _, z in group]
            for r in range(MAP_HEIGHT):
                self._lines.append([segment for picture in pictures for segment in (*picture.line(r), gap)])

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        if y < len(self._lines):
            return Strip(self._lines[y], w).adjust_cell_length(w)
        return Strip.blank(w)
