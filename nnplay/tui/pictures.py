"""Pictures of a hidden unit, when the inputs are the pixels of a square image.

When the inputs are named ``r0c0`` … ``r{n-1}c{n-1}`` (row, column; row by
row, n ≥ 4: at least 16 pixels), three small pictures sit above the table:
the selected sample's input, the incoming weights w of one first-layer unit,
and their gradients dE/dw on the whole training set, each pixel where its
input is. The unit is the one the selected weight belongs to: the unit it
feeds (a first-layer weight or bias) or the unit it comes from (a weight of
the next layer); its first-layer weight is marked ◆ at its pixel. Blue is
positive, orange negative, grey 0, full colour at each picture's largest
magnitude (the key gives it). Drawn with half blocks (``pixels.Pixels``), a
pixel two cells wide so that it is about square, or one when the pane is
narrow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from ..playground import ViewState
from . import colors
from .cached_lines import CachedLines
from .pixels import Mark, Pixels

MIN_SIDE = 4          # a picture of at least 4 x 4 = 16 pixels
GAP = 2               # cells between two pictures
MARK = "◆"            # the selected weight's pixel
DIM = (150, 150, 150)
_PIXEL_NAME = re.compile(r"r(\d+)c(\d+)")


def picture_side(input_names: Sequence[str]) -> int | None:
    """n when the inputs are the n x n pixels r0c0, r0c1, … r{n-1}c{n-1} in that order (n ≥ MIN_SIDE), else None."""
    n = int(round(len(input_names) ** 0.5))
    if n < MIN_SIDE or n * n != len(input_names):
        return None
    expected = [f"r{i}c{j}" for i in range(n) for j in range(n)]
    return n if list(input_names) == expected else None


def pictured_unit(selected_at: tuple | None) -> tuple[int, int | None]:
    """(the first-layer unit the pictures show, the pixel of the selected weight or None) for a selection."""
    if selected_at is None:
        return 0, None
    layer, kind, position = selected_at
    if layer == 0:
        return (position[1], position[0]) if kind == "W" else (position[0], None)
    if layer == 1 and kind == "W":
        return position[0], None
    return 0, None


def _rgb(values: np.ndarray, side: int, scale: float) -> np.ndarray:
    """A (side, side) picture of ``values`` (one per pixel, row by row) in the signed colours."""
    return colors.signed_rgb(values, scale).astype(float).reshape(side, side, 3)


def zoom_for(width: int, side: int) -> int:
    """Pixels of 2 x 2 half blocks (a cell each) when three pictures fit in ``width`` cells, else of one."""
    return 2 if width >= 3 * 2 * side + 2 * GAP else 1


def picture_lines(state: ViewState, side: int, width: int) -> list[list[Segment]]:
    """The lines of the three pictures: their titles, the pictures, and a key of two lines, in ``width`` cells."""
    snap = state.frame.snapshot
    layer = snap.layers[0]
    unit, pixel = pictured_unit(state.selected_at)
    sample = min(state.sample, snap.inputs.shape[0] - 1)
    unit_name = state.names[1][unit] if len(state.names) > 1 else str(unit + 1)
    pictures = [(f"input {sample + 1}", snap.inputs[sample]),
                (f"w → {unit_name}", layer.W[:, unit]),
                ("dE/dw", layer.dW[:, unit])]
    zoom = zoom_for(width, side)
    span = zoom * side
    dim, gap = colors.style(DIM), Segment(" " * GAP)
    # the selected weight's pixel (row, column) is at line row * zoom // 2, cell column * zoom
    marks: dict[tuple[int, int], Mark] = {}
    if pixel is not None:
        marks[(pixel // side * zoom // 2, pixel % side * zoom)] = Mark(MARK, colors.SELECTED)
    drawn, scales = [], []
    for k, (_, values) in enumerate(pictures):
        scale = colors.scale_of(values)
        scales.append(scale)
        rgb = np.repeat(np.repeat(_rgb(values, side, scale), zoom, axis=0), zoom, axis=1)
        drawn.append(Pixels(rgb, marks if k else None))  # the mark on the weights and their gradients
    lines = [[Segment(title[: span + GAP - 1].ljust(span + GAP), dim) for title, _ in pictures]]
    for y in range(drawn[0].height):
        lines.append([segment for picture in drawn for segment in (*picture.line(y), gap)])
    key = [Segment("blue +, orange −", dim)]
    if pixel is not None:
        key.append(Segment(f"  {MARK} {state.selected_label}", colors.style(colors.SELECTED)))
    lines.append(key)
    lines.append([Segment("full colour at ±" + " · ".join(f"{scale:.3g}" for scale in scales), dim)])
    return lines


class PixelPictures(CachedLines):
    """The three pictures (``picture_lines``) for scenarios whose inputs are pixels, ``side`` x ``side``."""

    DEFAULT_CSS = """
    PixelPictures { width: 1fr; margin: 0 0 1 0; }
    """

    TABLE_ROOM = 6  # lines the table below keeps (its key, its header and 4 samples): a shorter pane drops the pictures

    def __init__(self, side: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.side = side

    def show(self, state: ViewState) -> None:
        """As tall as the pictures at the zoom the pane's width allows, with the titles, the key and a blank
        line; shown only when the table keeps TABLE_ROOM lines below them (maximised, ``2``, they show)."""
        pane = self.parent.content_size if isinstance(self.parent, Widget) else Size(0, 0)
        height = (zoom_for(pane.width, self.side) * self.side + 1) // 2 + 3
        self.styles.height = height
        self.display = pane.height - height - 1 >= self.TABLE_ROOM
        super().show(state)

    def prepare(self) -> None:
        state = self.state
        self._lines = [] if state is None else picture_lines(state, self.side, max(1, self.size.width))

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        # every cell painted (the terminal keeps what a cell left out showed before), nothing past the width
        if y < len(self._lines):
            return Strip(self._lines[y]).crop_extend(0, w, self.rich_style)
        return Strip.blank(w, self.rich_style)
