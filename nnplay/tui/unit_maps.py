"""Per-unit maps (two inputs): each hidden unit's activation over the input plane, side by side.

The same plane as the decision map, each map squeezed into MAP_WIDTH x
MAP_HEIGHT cells of two pixels (``pixels.Pixels``); blue where the unit's z
is high, orange where it is negative (tanh), grey near 0, each map on its own
scale (its largest |z|, beside its name). This is what the output layer adds
up. Above the maps, a key: the plane's axes (the inputs' names and ranges),
the colours, and the selected sample, which is marked (pink) on every map.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from . import colors
from .cached_lines import CachedLines
from .pixels import Item, Mark, Pixels, resample, wrap
from .scales import positions, tick

MAP_WIDTH, MAP_HEIGHT = 12, 5   # cells per map (each cell is two pixels high)


def unit_colours(z: np.ndarray, scale: float) -> np.ndarray:
    """(rows, cols) activations -> (rows, cols, 3) RGB; ``scale``: the magnitude of full colour."""
    return colors.signed_rgb(z, scale).astype(float)


class UnitMaps(CachedLines):
    DEFAULT_CSS = """
    UnitMaps { width: 1fr; height: 1fr; }
    """

    def prepare(self) -> None:
        """The lines: the key, then per row of maps a row of labels and MAP_HEIGHT lines of pictures."""
        self._lines: list[list[Segment]] = []
        state = self.state
        text = self.rich_style
        if state is None or not state.unit_maps or state.points is None:
            self._lines.append([Segment("Per-unit maps need a scenario with two inputs and a hidden layer.", text)])
            return
        width = max(1, self.size.width)
        maps, names = state.unit_maps, state.names
        grid, points = state.frame.grid, state.points  # the plane of the named inputs (before any features)
        sample = points.inputs[state.sample]
        mark: tuple[int, int] | None = None
        key: list[Item] = []
        if grid is not None:
            (x0, x1), (y0, y1) = grid.xlim, grid.ylim
            key.append([Segment("each map:")])
            key.append([Segment(f"{points.names[0]} → {tick(x0)} … {tick(x1)},")])
            key.append([Segment(f"↑ {points.names[1]} {tick(y0)} … {tick(y1)}")])
            x, y = sample
            column = int(positions([x], x0, x1, MAP_WIDTH)[0])
            row = int(positions([y], y1, y0, 2 * MAP_HEIGHT)[0])
            if column >= 0 and row >= 0:
                mark = (row // 2, column)
        key.append([Segment("z:"), *(segment for v, sign in ((-1.0, "−"), (0.0, "0"), (1.0, "+"))
                                     for segment in (Segment(" "), Segment("█", colors.style(colors.signed(v, 1.0))),
                                                     Segment(f" {sign}")))])
        point = ", ".join(tick(v) for v in sample)
        key.append([Segment("●", colors.style(colors.SELECTED, bold=True)),
                    Segment(f" sample {state.sample + 1} ({point})")])
        self._lines.extend(wrap(key, width, text))
        per_row = max(1, (width + 1) // (MAP_WIDTH + 1))
        gap = Segment(" ", text)
        for start in range(0, len(maps), per_row):
            group = maps[start : start + per_row]
            last = start + per_row >= len(maps)
            if len(self._lines) + 1 + MAP_HEIGHT + (0 if last else 1) > max(1, self.size.height) and start:
                # the rest do not fit: say so (a maximised pane, 2, shows them)
                self._lines.append([Segment(f"… {len(maps) - start} more maps: 2 shows the pane whole", text)])
                break
            scales = [max(colors.scale_of(z), 1e-12) for _, _, z in group]
            self._lines.append([Segment(f"{names[layer + 1][unit]} |z|≤{tick(scale)}"[:MAP_WIDTH].ljust(MAP_WIDTH + 1),
                                        text) for (layer, unit, _), scale in zip(group, scales)])
            marks = {} if mark is None else {mark: Mark("●", colors.SELECTED)}
            pictures = [Pixels(resample(unit_colours(z, scale), 2 * MAP_HEIGHT, MAP_WIDTH), marks)
                        for (_, _, z), scale in zip(group, scales)]
            for r in range(MAP_HEIGHT):
                self._lines.append([segment for picture in pictures for segment in (*picture.line(r), gap)])

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        if y < len(self._lines):
            return Strip(self._lines[y]).crop(0, w).adjust_cell_length(w, self.rich_style)
        return Strip.blank(w, self.rich_style)
