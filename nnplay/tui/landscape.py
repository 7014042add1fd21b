"""The loss landscape over two weights, with the path the optimiser took.

Low loss is dark blue, high loss bright yellow (on a log scale), two pixels
to a cell (``pixels.Pixels``); the path is drawn in pink and ends at the
current point (◆). Around it (``pixels.Framed``): the two weights' names and
ranges on the axes, and a key of the loss scale. While a run goes on the
scale is the one of the run's first landscape, so that the colours of one
picture and the next mean the same loss (a loss outside it takes the colour
of its end); paused, each picture is scaled to its own losses.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from . import colors
from .cached_lines import CachedLines
from .pixels import Framed, Item, Mark, Pixels, resample
from .scales import ends, positions, tick

LOW, HIGH = (20, 40, 110), (250, 220, 60)
RAMP = 6  # cells of the colour ramp in the key


def log_range(losses: np.ndarray) -> tuple[float, float]:
    """The lowest and highest finite loss, as log10 (0 and 1 when there is none)."""
    finite = losses[np.isfinite(losses)]
    if not finite.size:
        return 0.0, 1.0
    values = np.log10(np.maximum(finite, 1e-300))
    return float(values.min()), float(values.max())


def landscape_colours(losses: np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Losses -> RGB on the log scale ``scale`` (log10 of the losses at the dark and the bright end)."""
    lo, hi = scale
    finite = np.isfinite(losses)
    with np.errstate(all="ignore"):
        values = np.log10(np.maximum(np.where(finite, losses, np.nan), 1e-300))
        t = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    t = np.clip(np.nan_to_num(t, nan=1.0), 0.0, 1.0)[..., None]
    return np.rint(np.array(LOW) + (np.array(HIGH) - np.array(LOW)) * t).astype(int)


class LandscapeMap(CachedLines):
    DEFAULT_CSS = """
    LandscapeMap { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._run_scale: tuple[tuple, tuple[float, float]] | None = None  # (weights' labels, scale) of this run

    def prepare(self) -> None:
        state = self.state
        data = None if state is None else state.landscape
        w, h = max(1, self.size.width), max(1, self.size.height)
        self._framed: Framed | None = None
        if state is None or data is None:
            return
        surface, path, paths = data
        labels = state.landscape_labels
        palette = colors.palette(self.app.current_theme).ghosts
        ghosts = [(number, palette[number - 1], points) for number, points in paths]
        scale = log_range(surface.losses)
        fixed = state.frame.running
        if not fixed:
            self._run_scale = None
        elif self._run_scale is None or self._run_scale[0] != labels:
            self._run_scale = (labels, scale)
        else:
            scale = self._run_scale[1]
        text = self.rich_style
        a, b = surface.current
        low, high = ends(10 ** scale[0], 10 ** scale[1])
        key: list[Item] = [
            [Segment("loss ", text), Segment(low, text), Segment(" ", text),
             *(Segment("█", colors.style(colors.blend(LOW, HIGH, t))) for t in np.linspace(0, 1, RAMP).tolist()),
             Segment(f" {high} (log{', fixed while running' if fixed else ''})", text)],
            [Segment("◆", colors.style(colors.SELECTED, bold=True)), Segment(f" now ({tick(a)}, {tick(b)})", text),
             Segment("  •", colors.style(colors.SELECTED, bold=True)), Segment(" the path", text),
             *(Segment(f" ·{n}", colors.style(colour, bold=True)) for n, colour, _ in ghosts),
             *([Segment(" ghosts", text)] if ghosts else [])],
        ]
        framed = Framed(w, h, labels[0], (surface.a_values[0], surface.a_values[-1]),
                        labels[1], (surface.b_values[-1], surface.b_values[0]), key, text)
        rgb = resample(landscape_colours(surface.losses, scale), 2 * framed.map_height, framed.map_width)
        framed.picture = Pixels(rgb, self._place(surface, path, framed.map_width, framed.map_height, ghosts))
        self._framed = framed

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        state = self.state
        if self._framed is None:
            if state is not None and state.computing and y == 0:  # the first one, made off the interface thread
                text = " computing the loss over {} and {}…".format(*state.landscape_labels)
                return Strip([Segment(text, self.rich_style)]).adjust_cell_length(w, self.rich_style)
            return Strip.blank(w, self.rich_style)
        return Strip(self._framed.line(y)).adjust_cell_length(w, self.rich_style)

    @staticmethod
    def _place(surface, path, w: int, h: int, ghosts=()) -> dict[tuple[int, int], Mark]:
        """The cells of the path (•) and of the current point (◆), in pink; under them each ghost's path
        (``ghosts``: (number, colour, path)) as · in its colour, ending in its number."""
        def cells(points) -> list[tuple[int, int]]:
            points = np.array(points, dtype=float).reshape(-1, 2)
            xs = positions(points[:, 0], surface.a_values[0], surface.a_values[-1], w)
            ys = positions(points[:, 1], surface.b_values[0], surface.b_values[-1], h)
            return list(zip(ys.tolist(), xs.tolist(), strict=True))

        marks: dict[tuple[int, int], Mark] = {}
        ends: dict[tuple[int, int], Mark] = {}  # where each ghost is now: over the paths, under ◆
        for number, colour, ghost_path in ghosts:
            along = [(y, x) for y, x in cells(ghost_path) if x >= 0 and y >= 0]
            marks.update({cell: Mark("·", colour) for cell in along[:-1]})
            ends.update({cell: Mark(str(number), colour) for cell in along[-1:]})
        along = cells(([] if path is None else list(path)) + [surface.current])
        for y, x in along[:-1]:
            if x >= 0 and y >= 0:
                marks[(y, x)] = Mark("•", colors.SELECTED)
        marks.update(ends)
        y, x = along[-1]
        if x >= 0 and y >= 0:
            marks[(y, x)] = Mark("◆", colors.SELECTED)
        return marks
