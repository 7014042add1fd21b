"""The loss landscape over two weights or two directions, with the path the optimiser took.

Low loss is dark blue, high loss bright yellow (on a log scale) in BANDS bands
of equal steps, so that their edges are the contour lines, two pixels to a
cell (``pixels.Pixels``); the path is drawn in pink and ends at the current
point (◆), each ghost's in its colour. Around it (``pixels.Framed``): the two
weights' names (or the directions') and ranges on the axes, and a key of the
loss scale. Along random directions no path is drawn: they are almost
orthogonal to it, so its projection says little (as ``nnplay landscape``). While a run goes on the
scale is kept from one picture to the next, so that a colour means the same
loss (a loss a little outside it takes the colour of its end), until a
picture leaves it or fills only a small part of it: then it moves to that
picture's losses and the key says at which step (``explain.colour_scale``);
paused, each picture is scaled to its own losses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.segment import Segment
from textual.strip import Strip

from ..later import later
from . import colors
from .cached_lines import CachedLines
from .pixels import Framed, Item, Mark, Pixels, resample
from .scales import ends, positions, tick

if TYPE_CHECKING:
    from .. import explain
else:  # loaded when first used: the first frame does without it
    explain = later("nnplay.explain")

LOW, HIGH = (20, 40, 110), (250, 220, 60)
BANDS = 8  # colours of the scale: each band is an eighth of its range (log), and the key shows each


def landscape_colours(losses: np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Losses -> RGB on the log scale ``scale`` (log10 of the losses at the dark and the bright end)."""
    lo, hi = scale
    finite = np.isfinite(losses)
    with np.errstate(all="ignore"):
        values = np.log10(np.maximum(np.where(finite, losses, np.nan), 1e-300))
        t = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    t = np.clip(np.nan_to_num(t, nan=1.0), 0.0, 1.0)
    t = (np.minimum(np.floor(t * BANDS), BANDS - 1) / (BANDS - 1))[..., None]  # banded: contours at the edges
    return np.rint(np.array(LOW) + (np.array(HIGH) - np.array(LOW)) * t).astype(int)


class LandscapeMap(CachedLines):
    DEFAULT_CSS = """
    LandscapeMap { width: 1fr; height: 1fr; min-height: 6; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._run_scale: tuple[tuple, tuple[float, float]] | None = None  # (weights' labels, scale) of this run
        self._rescaled: int | None = None  # the step at which the running scale last moved to a map's own

    def prepare(self) -> None:
        state = self.state
        data = None if state is None else state.landscape
        w, h = max(1, self.size.width), max(1, self.size.height)
        self._framed: Framed | None = None
        if state is None or data is None or isinstance(data, str):
            return
        surface, path = data
        labels = state.landscape_labels
        palette = colors.palette(self.app.current_theme).ghosts
        ghosts = [(runner.number, palette[runner.number - 1], runner.path) for runner in state.frame.race[1:]]
        fixed = state.frame.running
        run = self._run_scale if fixed and self._run_scale is not None and self._run_scale[0] == labels else None
        scale, kept = explain.colour_scale(surface.losses, None if run is None else run[1])
        if run is None:
            self._rescaled = None
        elif not kept:
            self._rescaled = state.frame.snapshot.step
        self._run_scale = (labels, scale) if fixed else None
        how = ""
        if fixed:
            how = ", fixed while running" if self._rescaled is None else f", refitted at step {self._rescaled}"
        text = self.rich_style
        a, b = surface.current
        low, high = ends(10 ** scale[0], 10 ** scale[1])
        key: list[Item] = [
            [Segment("loss ", text), Segment(low, text), Segment(" ", text),
             *(Segment("█", colors.style(colors.blend(LOW, HIGH, t))) for t in np.linspace(0, 1, BANDS).tolist()),
             Segment(f" {high} (log{how})", text)],
            [Segment("◆", colors.style(colors.SELECTED, bold=True)),
             Segment(f" {state.walk_note or 'now'} ({tick(a)}, {tick(b)})", text),
             *([Segment("  •", colors.style(colors.SELECTED, bold=True)), Segment(" the path", text),
                *(Segment(f" ·{n}", colors.style(colour, bold=True)) for n, colour, _ in ghosts),
                *([Segment(" ghosts", text)] if ghosts else [])] if path is not None else
               [Segment("  no path: random directions are almost orthogonal to it", text)]),
             *([Segment("  refining…", text)] if state.computing else [])],
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
            text = ""
            if state is not None and isinstance(state.landscape, str):  # why there is none (pca before any step)
                text = f" {state.landscape}"
            elif state is not None and state.computing:  # the first one, made off the interface thread
                text = " computing the loss over {} and {}…".format(*state.landscape_labels)
            if text and y == 0:
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
