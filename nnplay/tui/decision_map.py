"""The decision map (two inputs): the network's output over the input plane, with the points.

Each cell shows two pixels, one above the other (``pixels.Pixels``). One
output: orange for 0, grey at 0.5, blue for 1. Several (softmax): the class
colours mixed by probability. The training points are drawn on top, one shape
per class (``engine.metrics.classes`` of the targets), in black or white for
contrast; the held-out test points (with a test set) over them, in the same
shapes hollow (□ and ■ with one output, where ○ is a training point's), so
they differ without colour too; the selected sample is boxed in pink; with
minibatches, the samples of the next batch are boxed in black or white (the
glyph reversed). Around it (``pixels.Framed``): the inputs' names and ranges
on the axes, and a key of the colours, the shapes, the training and test
points' shapes, the selected sample and the next batch.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from textual.message import Message
from textual.strip import Strip

from ..engine import metrics
from . import colors
from .cached_lines import CachedLines
from .pixels import Framed, Item, Mark, Pixels, resample
from .scales import positions, tick

GLYPHS = "●▲■◆★✚"
TEST_GLYPHS = "○△□◇☆✧"  # the same shapes, hollow: the test set's points
MAX_COLS, MAX_ROWS = 200, 120  # the finest plane the session computes


def pixel_colours(values: np.ndarray) -> np.ndarray:
    """(rows, cols, outputs) network outputs -> (rows, cols, 3) RGB."""
    if values.shape[2] == 1:
        y = np.clip(np.nan_to_num(values[:, :, 0], nan=0.5), 0.0, 1.0)
        t = np.abs(y - 0.5)[:, :, None] * 2
        hue = np.where((y >= 0.5)[:, :, None], np.array(colors.POSITIVE), np.array(colors.NEGATIVE))
        return np.array(colors.NEUTRAL) + (hue - np.array(colors.NEUTRAL)) * np.sqrt(t)
    p = np.clip(np.nan_to_num(values, nan=0.0), 0.0, 1.0)
    p = p / np.maximum(p.sum(axis=2, keepdims=True), 1e-12)
    return p @ np.array([class_colour(i) for i in range(values.shape[2])], dtype=float)


def class_colour(cls: int) -> tuple[int, int, int]:
    return colors.CLASS_COLOURS[cls % len(colors.CLASS_COLOURS)]


def glyph_of(cls: int, several: bool, test: bool = False) -> str:
    """A point's shape: one per class with several outputs, ○ (0) and ● (1) with one; a test point's
    the same shape hollow, or □ (0) and ■ (1) with one output (○ is taken)."""
    if several:
        return (TEST_GLYPHS if test else GLYPHS)[cls % len(GLYPHS)]
    if test:
        return "■" if cls else "□"
    return "●" if cls else "○"


def swatch(glyph: str, rgb: tuple[int, int, int], boxed: bool = False, ink: tuple[int, int, int] | None = None) -> Segment:
    """A glyph as the map draws it on a pixel of colour ``rgb`` (for the key): in black or white,
    whichever reads, or boxed in it; given an ``ink``, in a box of that colour."""
    if ink is not None:
        return Segment(glyph, colors.style(colors.text_on(ink), ink, bold=True))
    ink = colors.text_on(rgb)
    fg, bg = (rgb, ink) if boxed else (ink, rgb)
    return Segment(glyph, colors.style(fg, bg, bold=True))


class DecisionMap(CachedLines):
    DEFAULT_CSS = """
    DecisionMap { width: 1fr; height: 1fr; min-height: 4; }
    """

    class Resized(Message):
        """The map wants the plane at one point per pixel: (columns, rows of pixels)."""

        def __init__(self, cols: int, rows: int) -> None:
            super().__init__()
            self.cols, self.rows = cols, rows

    def prepare(self) -> None:
        """The plane at one grid point per pixel, the training points as marks on their cells, and the axes."""
        state = self.state
        w, h = max(1, self.size.width), max(1, self.size.height)
        self._framed: Framed | None = None
        if state is None or state.frame.grid is None or state.points is None:
            return
        g = state.frame.grid
        snap = state.frame.snapshot
        text = self.rich_style
        several = snap.targets.shape[1] > 1
        classes = metrics.classes(snap.targets)
        s = state.sample
        batch = snap.next_batch if len(snap.next_batch) < len(snap.inputs) else np.zeros(0, dtype=int)
        points = state.points  # the named inputs (the network may see features of them)
        inputs, names, test = points.inputs, points.names, points.test
        outputs = state.names[-1] if state.names else ()
        framed = Framed(w, h, names[0], g.xlim, names[1], g.ylim,
                        self._key(inputs, snap, outputs, several, classes, s, batch, test is not None, text), text,
                        max_key_lines=3)
        mw, mh = framed.map_width, framed.map_height
        marks: dict[tuple[int, int], Mark] = {}
        (x0, x1), (y0, y1) = g.xlim, g.ylim

        def place(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """The points' columns and rows of pixels on the map, and which are on it."""
            xs, pixels = positions(points[:, 0], x0, x1, mw), positions(points[:, 1], y1, y0, 2 * mh)
            return xs, pixels, (xs >= 0) & (pixels >= 0)

        def mark_all(xs: np.ndarray, pixels: np.ndarray, on: np.ndarray, classes: np.ndarray, test: bool) -> None:
            """One glyph a cell, the last point's: a big data set has many points a cell."""
            cells = (pixels // 2) * mw + xs
            _, last = np.unique(cells[on][::-1], return_index=True)
            for i in np.flatnonzero(on)[::-1][last].tolist():
                marks[(int(pixels[i]) // 2, int(xs[i]))] = Mark(glyph_of(int(classes[i]), several, test))

        xs, pixels, on = place(inputs)
        mark_all(xs, pixels, on, classes, False)
        if test is not None:  # the test points over the training ones: fewer, and what the learner checks
            mark_all(*place(test[0]), test[1], True)
        for i in batch[on[batch]].tolist():  # the next batch's points go on top, boxed
            marks[(int(pixels[i]) // 2, int(xs[i]))] = Mark(glyph_of(int(classes[i]), several), boxed=True)
        if on[s]:  # the selected sample: boxed in pink
            marks[(int(pixels[s]) // 2, int(xs[s]))] = Mark(glyph_of(int(classes[s]), several), colors.SELECTED,
                                                            boxed=True)
        framed.picture = Pixels(resample(pixel_colours(g.values), 2 * mh, mw), marks)
        self._framed = framed
        wanted = (min(mw, MAX_COLS), min(2 * mh, MAX_ROWS))
        if (g.values.shape[1], g.values.shape[0]) != wanted:  # the next frames' plane: one point per pixel
            self.post_message(self.Resized(*wanted))

    @staticmethod
    def _key(inputs: np.ndarray, snap, outputs, several: bool, classes: np.ndarray, s: int, batch: np.ndarray,
             test: bool, text) -> list[Item]:
        """What the colours and shapes mean, the training and test points' shapes (with a test set), which
        point is the selected sample, and the next batch."""
        key: list[Item] = []
        if several:
            for cls in range(snap.targets.shape[1]):
                name = outputs[cls] if cls < len(outputs) else str(cls)
                key.append([swatch(glyph_of(cls, True), class_colour(cls)), Segment(f" {name}", text)])
        else:
            output = outputs[0] if outputs else "y"
            key.append([Segment(f"{output}:", text)] + [
                segment for value, colour in ((0, colors.NEGATIVE), (1, colors.POSITIVE))
                for segment in (Segment(" ", text), swatch(glyph_of(value, False), colour), Segment(f" {value}", text))])
        if test:
            shapes = (0,) if several else (0, 1)
            key.append([segment for label, is_test in (("train", False), ("test", True))
                        for segment in (*(swatch(glyph_of(c, several, is_test), colors.NEUTRAL) for c in shapes),
                                        Segment(f" {label} " if not is_test else f" {label}", text))])
        point = ", ".join(tick(v) for v in inputs[s])
        glyph = glyph_of(int(classes[s]), several)
        key.append([swatch(glyph, colors.NEUTRAL, ink=colors.SELECTED),
                    Segment(f" sample {s + 1} ({point})", text)])
        if len(batch):
            key.append([swatch(GLYPHS[0] if several else "●", colors.NEUTRAL, boxed=True),
                        Segment(f" next batch ({len(batch)})", text)])
        return key

    def render_row(self, y: int) -> Strip:
        w = max(1, self.size.width)
        if self._framed is None:
            return Strip.blank(w, self.rich_style)
        return Strip(self._framed.line(y)).adjust_cell_length(w, self.rich_style)
