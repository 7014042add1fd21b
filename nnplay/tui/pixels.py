"""Pixels: a picture drawn two pixels to a terminal cell, with marks on top.

Each cell is "▀" in the colour of its upper pixel on the background of its
lower one, so a pane of h lines shows 2h rows of pixels. A mark (a data
point, the optimiser's path) takes the place of a cell's block: its glyph in
bold on the lower pixel's colour, in the mark's own colour or, without one,
in black or white, whichever reads.

The decision map, the per-unit maps and the loss landscape all draw through
here: they choose the colours and the marks, this turns them into lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment

from . import colors

RGB = tuple[int, int, int]
Mark = tuple[str, RGB | None]  # (glyph, its colour; None: black or white, whichever reads)
BLOCK = "▀"


def resample(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``values`` (r, c, ...) at ``rows`` x ``cols``: the nearest of them for each (no blending)."""
    r, c = values.shape[:2]
    ri = np.minimum((np.arange(max(rows, 1)) * r) // max(rows, 1), r - 1)
    ci = np.minimum((np.arange(max(cols, 1)) * c) // max(cols, 1), c - 1)
    return values[ri][:, ci]


class Pixels:
    """A Rich renderable: (rows, cols, 3) RGB pixels as (rows + 1) // 2 lines of half blocks.

    ``marks`` maps a cell (line, column) to a ``Mark``. ``line(y)`` gives the
    segments of one line, for a widget that draws line by line.
    """

    def __init__(self, rgb: np.ndarray, marks: Mapping[tuple[int, int], Mark] | None = None) -> None:
        pixels = np.rint(np.asarray(rgb, dtype=float)).astype(int)
        if pixels.shape[0] % 2:  # an odd last row: its lower half repeats it
            pixels = np.concatenate([pixels, pixels[-1:]])
        self._rows: list[list[list[int]]] = pixels.tolist()
        self.width = pixels.shape[1]
        self.height = pixels.shape[0] // 2
        self.marks = dict(marks or {})

    def line(self, y: int) -> list[Segment]:
        if not 0 <= y < self.height:
            return []
        segments = []
        for x, (t, b) in enumerate(zip(self._rows[2 * y], self._rows[2 * y + 1])):
            top, bottom = (t[0], t[1], t[2]), (b[0], b[1], b[2])
            mark = self.marks.get((y, x))
            if mark is None:
                segments.append(Segment(BLOCK, colors.style(top, bottom)))
            else:
                glyph, colour = mark
                segments.append(Segment(glyph, colors.style(colour or colors.text_on(bottom), bottom, bold=True)))
        return segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for y in range(self.height):
            yield from self.line(y)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)
