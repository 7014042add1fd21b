"""Per-unit maps (two inputs): each hidden unit's activation over the input plane, side by side.

The same plane as the decision map; blue where the unit's z is high, orange
where it is negative (tanh), grey near 0. This is what the output layer adds up.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from ..playground import ViewState
from . import colors

MAP_WIDTH, MAP_HEIGHT = 12, 5   # cells per map (each cell is two pixels high)


def unit_colours(z: np.ndarray) -> list[list[tuple[int, int, int]]]:
    scale = max(colors.scale_of(z), 1e-12)
    return [[colors.signed(float(v), scale) for v in row] for row in z]


class UnitMaps(Widget):
    DEFAULT_CSS = """
    UnitMaps { width: 1fr; height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: ViewState | None = None
        self._lines: list[list[Segment]] | None = None

    def show(self, state: ViewState) -> None:
        self.state = state
        self._lines = None
        self.refresh()

    def on_resize(self) -> None:
        self._lines = None

    def render_line(self, y: int) -> Strip:
        w = max(1, self.size.width)
        if self._lines is None:
            self._lines = self._layout(w)
        if y < len(self._lines):
            return Strip(self._lines[y], w).adjust_cell_length(w)
        return Strip.blank(w)

    def _layout(self, width: int) -> list[list[Segment]]:
        maps = None if self.state is None else self.state.unit_maps
        if not maps:
            return [[Segment("Per-unit maps need a scenario with two inputs and a hidden layer.",
                             colors.style((150, 150, 150)))]]
        names = self.state.names
        per_row = max(1, (width + 1) // (MAP_WIDTH + 1))
        lines: list[list[Segment]] = []
        dim = colors.style((150, 150, 150))
        for start in range(0, len(maps), per_row):
            group = maps[start : start + per_row]
            label: list[Segment] = []
            for layer, unit, _ in group:
                label.append(Segment(names[layer + 1][unit][:MAP_WIDTH].ljust(MAP_WIDTH + 1), dim))
            lines.append(label)
            pictures = [unit_colours(z) for _, _, z in group]
            for r in range(MAP_HEIGHT):
                row: list[Segment] = []
                for rgb in pictures:
                    top, bottom = rgb[min(2 * r, len(rgb) - 1)], rgb[min(2 * r + 1, len(rgb) - 1)]
                    for c in range(MAP_WIDTH):
                        row.append(Segment("▀", colors.style(top[c], bottom[c])))
                    row.append(Segment(" "))
                lines.append(row)
        return lines
