"""Pixels: a picture drawn two pixels to a terminal cell, with marks on top, and the axes around it.

Each cell is "▀" in the colour of its upper pixel on the background of its
lower one, so a pane of h lines shows 2h rows of pixels. A mark (a data
point, the optimiser's path) takes the place of a cell's block: its glyph in
bold on the lower pixel's colour, in the mark's own colour or, without one,
in black or white, whichever reads. A boxed mark is the glyph on a box: of
black or white with the glyph in the pixel's colour (a point of the next
batch), or of the mark's colour with the glyph in black or white (the
selected sample).

``Framed`` puts a picture in its axes: the key above it (the vertical axis's
name first), the vertical axis's ends in a gutter on its left and the
horizontal axis's ends and name on the line below it.

The decision map, the per-unit maps and the loss landscape all draw through
here: they choose the colours, the marks and the key; this turns them into lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from . import colors
from .scales import tick

RGB = tuple[int, int, int]
BLOCK = "▀"


class Mark(NamedTuple):
    glyph: str
    colour: RGB | None = None  # None: black or white, whichever reads on the pixel
    boxed: bool = False        # reversed: the glyph in the pixel's colour on a box of the mark's


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
                ink = mark.colour or colors.text_on(bottom)
                # boxed: the glyph in the pixel's colour on a black or white box, or readable on a coloured one
                glyph = (bottom if mark.colour is None else colors.text_on(ink)) if mark.boxed else ink
                fg, bg = (glyph, ink) if mark.boxed else (ink, bottom)
                segments.append(Segment(mark.glyph, colors.style(fg, bg, bold=True)))
        return segments

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for y in range(self.height):
            yield from self.line(y)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


Item = list[Segment]  # one entry of a key: a few segments that stay on one line


class Framed:
    """The lines of a picture in its axes, in a widget ``width`` x ``height`` cells.

    ``key``: the entries above the picture, after "↑ y_name", wrapped at the
    width (at most ``max_key_lines``); ``x_range`` and ``y_range`` are (low,
    high), the picture's left and right, bottom and top. Make it, then give it
    the picture of ``map_width`` x ``map_height`` cells (``picture``) and draw
    it with ``line(y)``; ``text`` is the style of the labels.
    """

    def __init__(self, width: int, height: int, x_name: str, x_range: tuple[float, float], y_name: str,
                 y_range: tuple[float, float], key: Sequence[Item], text: Style, max_key_lines: int = 2) -> None:
        self.width, self.height, self.text = width, height, text
        self.y_ends = tick(y_range[1]), tick(y_range[0])
        self.gutter = min(max(len(t) for t in self.y_ends) + 1, max(0, width // 4))
        self.key = wrap([[Segment(f"↑ {y_name}", text)], *key], width, text)[:max(1, max_key_lines)]
        self.map_width = max(1, width - self.gutter)
        self.map_height = max(1, height - len(self.key) - 1)
        low, high = tick(x_range[0]), tick(x_range[1])
        name = f"{x_name} →"
        room = self.map_width - len(low) - len(high)
        middle = name.center(room)[:room] if room > 0 else ""
        self.axis = [Segment(" " * self.gutter + (low + middle + high)[: self.map_width], text)]
        self.picture: Pixels | None = None

    def line(self, y: int) -> list[Segment]:
        top = len(self.key)
        if y < top:
            return self.key[y]
        row = y - top
        if row < self.map_height:
            end = self.y_ends[0] if row == 0 else self.y_ends[1] if row == self.map_height - 1 else ""
            gutter = Segment(end[: self.gutter - 1].rjust(self.gutter - 1).ljust(self.gutter), self.text)
            return [gutter, *(self.picture.line(row) if self.picture is not None else [])]
        return self.axis if row == self.map_height else []


def wrap(items: Sequence[Item], width: int, text: Style) -> list[list[Segment]]:
    """Key entries as lines of at most ``width`` cells, two spaces between entries on a line; the
    entries' segments on the ``text`` style (their own colours on top)."""
    lines: list[list[Segment]] = [[]]
    used = 0
    for item in ([Segment(s.text, text + s.style if s.style else text) for s in entry] for entry in items):
        length = sum(segment.cell_length for segment in item)
        if used and used + 2 + length > width:
            lines.append([])
            used = 0
        if used:
            lines[-1].append(Segment("  ", text))
            used += 2
        lines[-1].extend(item)
        used += length
    return lines
