"""The loss plot: the whole history, averaged down to the widget's width, log scale by default.

The log scale is drawn by plotting log10(loss) on a linear axis with the
ticks labelled in loss units (plotext's own log axis re-applies the log
each time it redraws the same data).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from rich.text import Text
from textual.color import Color
from textual_plotext import PlotextPlot

from ..playground import ViewState
from ..session import Runner
from . import colors
from .colors import number


def log_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[float], list[str]]:
    """Tick positions (in log10 units) and their labels for a log axis from 10^lo to 10^hi: the whole
    decades inside the range, evenly every k decades for ``most`` at most; with fewer than two, the values 1, 2
    and 5 times a power of ten inside it (evenly spaced on the log axis); in a range too narrow for three of
    those, round values inside it, each its own label."""
    positions = _evenly([float(p) for p in range(math.ceil(lo), math.floor(hi) + 1)], most)
    if len(positions) < 2 and hi > lo:
        steps = [m * 10.0**e for e in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
        inside = _evenly([v for v in steps if lo <= math.log10(v) <= hi], most)
        if len(inside) >= 3:
            return [math.log10(v) for v in inside], [f"{v:g}" for v in inside]
        # a narrow range: round values inside it, each its own label
        values, labels = ladder_ticks(10 ** lo, 10 ** hi, most=min(most, 5))
        if len(values) >= 2:
            return [math.log10(v) for v in values], labels
        positions = [float(p) for p in np.linspace(lo, hi, 4)]
    if len(positions) < 2 and not hi > lo:
        positions = [lo]
    return positions, [f"{10 ** p:.3g}" for p in positions]


def _evenly(values: list[float], most: int) -> list[float]:
    """Every k-th of ``values``, the fewest k that leaves ``most`` at most (for a small pane)."""
    return values[::max(1, -(-len(values) // most))]


class SafePlot(PlotextPlot):
    """A plotext plot drawn at the size it is shown at, that says so, instead of crashing, if plotext cannot draw.

    ``show`` hands ``draw_with`` a function that draws the figure on ``self.plt``; it runs when the widget
    renders, so whatever depends on the size (the points kept, the dots, the labels that fit) is right for
    the size the plot is drawn at, even when it was given its numbers while hidden."""

    AXIS_WIDTH, AXIS_HEIGHT = 9, 5  # about the cells plotext takes for the axes, their labels, the title, the frame
    _draw: Callable[[], None] | None = None

    def draw_with(self, draw: Callable[[], None]) -> None:
        self._draw = draw
        self.refresh()

    def title_width(self, tick_labels: Sequence[str] | None, right: int = 0) -> int:
        """The frame's width, where the title goes: the plot's, less the y axis's labels (``right``: the right
        axis's cells, if any). plotext drops a title wider than that."""
        left = max((len(label) for label in tick_labels), default=self.AXIS_WIDTH - 2) if tick_labels is not None else 7
        return self.size.width - left - 4 - right

    @property
    def canvas(self) -> tuple[int, int]:
        """About the cells inside the frame: (columns, rows)."""
        return max(4, self.size.width - self.AXIS_WIDTH), max(2, self.size.height - self.AXIS_HEIGHT)

    def dot(self, x: float, y: float, xspan: float, yspan: float, color: str = "magenta") -> None:
        """A dot at (x, y) on a braille curve: a small patch of braille points around it. (A one-cell marker
        such as ● is placed by another rounding than braille points, and lands up to a cell off the curve.)"""
        cols, rows = self.canvas
        dx, dy = xspan / (2 * cols), yspan / (4 * rows)  # a braille point's width and height
        offsets = [(i, j) for i in (-1, 0, 1) for j in (-2, -1, 0, 1, 2)]
        self.plt.scatter([x + i * dx for i, _ in offsets], [y + j * dy for _, j in offsets],
                         marker="braille", color=color)

    def render(self):
        try:
            with np.errstate(all="ignore"):  # plotext's arithmetic overflows on numbers near 1e308, and says so
                if self._draw is not None:
                    self.plt.clear_figure()
                    # the app's theme now, not only when plotext builds: a text's background is the canvas
                    # colour of the moment it is drawn
                    self.plt.theme(self._get_plotext_theme_name(self.app.theme))
                    self._draw()
                return super().render()
        except Exception as error:  # plotext has corner cases; the app must live on
            return Text(f"(this plot cannot be drawn right now: {error})", style="dim")


def ladder_ticks(lo: float, hi: float, most: int = 6, whole: bool = False) -> tuple[list[float], list[str]]:
    """Ticks from ``lo`` to ``hi`` and their labels: the multiples of the first of … 0.1, 0.2, 0.5, 1, 2, 5,
    10 … (from 1 up when ``whole``: whole numbers, as steps are) that gives at most ``most`` of them. A tick
    at zero reads 0, never -0.00."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo], [number(lo, "g")]
    exponent = math.floor(math.log10((hi - lo) / most))
    for spacing, decimals in ((m * 10.0**e, max(0, -e)) for e in itertools.count(max(exponent, 0) if whole else exponent)
                              for m in (1, 2, 5)):
        first, last = math.ceil(lo / spacing), math.floor(hi / spacing)
        if last - first + 1 <= most:
            positions = [k * spacing for k in range(first, last + 1)]
            # 0.0001, then 5e-05 rather than 0.0000500: as many significant digits as tell the ticks apart
            digits = math.floor(math.log10(max(abs(lo), abs(hi)))) + decimals + 1
            spec = f".{decimals}f" if decimals <= 4 else f".{max(1, digits)}g"
            return positions, [number(p, spec) for p in positions]
    raise AssertionError("unreachable: a spacing wider than the range gives one tick or none")


class LossPlot(SafePlot):
    """The loss over the steps, its name in the title, and a marker at every step where a setting changed or a
    weight was edited (labelled: a jump there is that change, not learning)."""

    DEFAULT_CSS = """
    LossPlot { width: 1fr; height: 1fr; min-height: 6; }
    """
    def show(self, state: ViewState) -> None:
        self.draw_with(lambda: self.draw(state))

    def draw(self, state: ViewState) -> None:
        frame = state.frame
        xs, ys, test = frame.loss_steps, frame.loss_values, frame.test_loss_values
        cols, _ = self.canvas
        points = max(8, 2 * cols)  # braille: two points a cell

        def thin(n: int) -> np.ndarray:
            """The indices of at most ``points`` of ``n`` points, evenly spread."""
            return np.unique(np.linspace(0, n - 1, points).astype(int))

        if len(xs) > points:
            keep = thin(len(xs))
            xs, ys, test = xs[keep], ys[keep], None if test is None else test[keep]
        plt = self.plt
        finite = np.isfinite(ys)
        race = frame.race
        # in a race the race table is the runs' legend (its swatches in their colours): their curves go unnamed here
        curves: list[tuple[np.ndarray, np.ndarray, str | tuple[int, int, int], str | None]] = [
            (xs[finite], ys[finite], "cyan", None if race else "training")]
        if test is not None:
            curves.append((xs[np.isfinite(test)], test[np.isfinite(test)], TEST_COLOUR, "test"))
        numbered = len(curves)  # the ghosts' curves from here: each ends with its number (told apart without colour)
        ghost_colours = colors.palette(self.app.current_theme).ghosts if race else ()
        for runner in race[1:]:
            gxs, gys = runner.loss_steps, runner.loss_values
            if len(gxs) > points:
                keep = thin(len(gxs))
                gxs, gys = gxs[keep], gys[keep]
            curves.append((gxs[np.isfinite(gys)], gys[np.isfinite(gys)], ghost_colours[runner.number - 1], None))
        past = state.past  # the run before an edit: faded, behind the others, to the same scale
        if past is not None:
            gxs, gys = np.asarray(past.steps), np.asarray(past.values)
            if len(gxs) > points:
                keep = thin(len(gxs))
                gxs, gys = gxs[keep], gys[keep]
            curves.append((gxs[np.isfinite(gys)], gys[np.isfinite(gys)], self.faded(), past.label))
        blown = [numbered + k for k, runner in enumerate(race[1:]) if runner.diverged_at is not None]
        if race and race[0].diverged_at is not None:
            blown += range(numbered)  # the live run's curves: training and test
        every = scaled([c[1] for c in curves], blown)
        ticks = None
        right_axis = 0  # the η axis's labels' width
        lo = hi = 0.0
        if state.log_scale and len(every):
            positive = every[every > 0]
            floor = positive.min() if positive.size else 1e-300
            curves = [(x, np.log10(np.maximum(y, floor)), colour, label) for x, y, colour, label in curves]
            every = np.log10(np.maximum(every, floor))
            lo, hi = spread(float(every.min()), float(every.max()), 0.5)
        elif len(every):  # a loss is never negative: the axis starts at 0 at the lowest, under the dot too
            lo, hi = spread(float(every.min()), float(every.max()), max(abs(float(every.max())) / 2, 1e-12))
            lo = max(0.0, lo - 3 * (hi - lo) / (4 * self.canvas[1]))
        rates = state.learning_rates  # η(t) on a right axis, in the legend too
        labelled = sum(label is not None for *_, label in curves) + (rates is not None)
        legend = labelled if labelled > 1 or race else 0  # its rows, at the top: one a named curve (two at least)
        rows = self.canvas[1] - legend  # the rows the curves are drawn on, under the legend
        top = hi
        if len(every):  # the y range: every curve's finite values (but a blow-up's), and the legend's rows over them
            top = hi + legend * (hi - lo) / max(1, rows)
            plt.ylim(lo, top)
            most = max(2, min(6, rows // 2))  # a tick every other row at most: none on the same row
            ticks = log_ticks(lo, hi, most) if state.log_scale else ladder_ticks(lo, hi, most=min(5, most))
            if every.min() == every.max():  # one loss (step 0): its tick alone, at the curves
                value = float(every.max())
                ticks = log_ticks(value, value) if state.log_scale else ladder_ticks(value, value)
        plt.xlabel("step")
        snap = frame.snapshot
        xs, ys = curves[0][0], curves[0][1]
        if len(xs):
            # the first step the curve stands for: its first point is the mean of a block of steps
            x0 = float(xs[0]) if len(xs) == 1 else max(0.0, math.floor(xs[0] - (xs[1] - xs[0] - 1) / 2))
            x1 = float(max(xs[-1], snap.step, *(c[0][-1] for c in curves if len(c[0]))))
            right = x1 + max(1.0, (x1 - x0) * 2 / cols)  # the last point two cells inside the frame, not on it
            plt.xlim(x0, right)
            plt.xticks(*ladder_ticks(x0, x1, whole=True))
            # without colour (NO_COLOR) each ghost's curve has its own marker, as its swatch in the race table
            markers = {numbered + k: colors.GHOST_MARKERS[runner.number - 1] if self.app.no_color else "braille"
                       for k, runner in enumerate(race[1:])}
            order = [len(curves) - 1, *range(len(curves) - 1)] if past is not None else range(len(curves))
            for i in order:  # the past run first: behind
                cx, cy, colour, label = curves[i]
                plt.plot(cx.tolist(), cy.tolist(), marker=markers.get(i, "braille"), color=colour,
                         label=label if legend else None)
            if rates is not None:
                right_axis = self.rates(*rates, points, legend, "live η (right axis)" if race else "η (right axis)")
            height = top - float(every.min())
            self.dot(float(xs[-1]), float(ys[-1]), right - x0, height)
            for runner, (cx, cy, colour, _) in zip(race[1:], curves[numbered:], strict=False):
                if len(cx):  # the ghost's number just right of its curve's end (at the top, if it ran off it)
                    plt.text(str(runner.number), float(cx[-1]) + (right - x0) / cols, min(float(cy[-1]), hi),
                             color=colour)
            for step, label, align, row in placed_labels(state.markers, x0, right, cols):
                plt.vline(step, "orange")
                if label:  # on the top row of the frame (under the legend), or the one below
                    y = top - (row + legend) * height / (self.canvas[1] - 1)
                    # one blank cell after a label ending at its marker: a ghost's end number may follow it
                    plt.text(f"{label} " if align == "right" else label, step, y, color="orange", alignment=align)
        if ticks is not None:
            plt.yticks(*ticks)
        plt.title(loss_title(state, self.title_width(ticks[1] if ticks is not None else None,
                                                     right_axis + 2 if right_axis else 0)))

    def rates(self, steps: np.ndarray, rates: np.ndarray, points: int, labelled: int, label: str) -> int:
        """The learning rate η(t) on the right axis, from 0 (under the legend's rows, as the curves are); the width
        of its labels."""
        if len(steps) > points:
            keep = np.unique(np.linspace(0, len(steps) - 1, points).astype(int))
            steps, rates = steps[keep], rates[keep]
        plt = self.plt
        high = float(rates.max()) if len(rates) else 1.0
        plt.plot(steps.tolist(), rates.tolist(), marker="braille", color=RATE_COLOUR, yside="right", label=label)
        # (textual-plotext's stub types yside as a number; plotext 5.3.2 takes "right", or 2)
        plt.ylim(0.0, high * (1 + labelled / max(1, self.canvas[1] - labelled)), yside="right")  # type: ignore[arg-type]
        ticks = ladder_ticks(0.0, high, most=4)
        plt.yticks(*ticks, yside="right")  # type: ignore[arg-type]
        return max(len(tick) for tick in ticks[1])

    def faded(self) -> tuple[int, int, int]:
        """The theme's disabled text colour on its background: a curve that is there but not the run."""
        theme = self.app.theme_variables
        return (Color.parse(theme["background"]) + Color.parse(theme["foreground-disabled"])).rgb


def scaled(values: list[np.ndarray], diverged: list[int]) -> np.ndarray:
    """The losses the y axis is scaled to, of the curves' finite ``values``: a curve that ``diverged`` counts
    only up to the highest loss of those that did not (its way up runs off the top, not squashing the others
    to a line), unless every curve diverged."""
    calm = [v for i, v in enumerate(values) if i not in diverged]
    if not diverged or not calm or not any(len(v) for v in calm):
        return np.concatenate(values)
    top = max(float(v.max()) for v in calm if len(v))
    return np.concatenate([*calm, *(values[i][values[i] <= top] for i in diverged)])


def spread(lo: float, hi: float, margin: float) -> tuple[float, float]:
    """The range of a y axis from ``lo`` to ``hi``, or ``margin`` either side of a single value (every curve at
    the same loss, as at step 0 of a race): plotext divides by the range."""
    return (lo, hi) if hi > lo else (lo - margin, hi + margin)


TEST_COLOUR = "green"  # the test set's curve (the training set's is cyan)
RATE_COLOUR = "red"  # the learning rate η(t): apart from the curves (cyan, green), the markers (orange), the dot (magenta)


def race_name(runner: Runner) -> str:
    """A run of a race as the legend and the race table name it: 'live', 'ghost 1' …"""
    return "live" if runner.number == 0 else f"ghost {runner.number}"


def loss_title(state: ViewState, width: int) -> str:
    """The longest title that fits ``width`` (plotext drops a title wider than the frame): the loss's name
    always, then its value, the test set's, the step and the scale."""
    snap = state.frame.snapshot
    loss, value = snap.settings.loss, number(snap.loss, ".4g")
    test = "" if snap.test_loss is None else f" · test {number(snap.test_loss, '.4g')}"
    scale = "log (l)" if state.log_scale else "linear (l)"
    titles = (f"{loss} loss {value}{test} · step {snap.step} · {scale}", f"{loss} loss {value}{test} · step {snap.step}",
              f"{loss} loss {value}{test}", f"{loss} {value}{test}", f"{loss} loss {value}", f"{loss} {value}", loss)
    return fitting(titles, width)


def fitting(titles: Sequence[str], width: int) -> str:
    """The first of ``titles`` (the longest first) no wider than ``width``, or else the last."""
    return next((t for t in titles if len(t) <= width), titles[-1])


Alignment = Literal["left", "right"]


def placed_labels(markers, x0: float, x1: float, cols: int, rows: int = 2) -> list[tuple[int, str, Alignment, int]]:
    """(step, label, alignment, row) for the markers from step ``x0`` to ``x1`` on a plot ``cols`` cells wide,
    the latest first: each label starts at its marker, or ends there when it would run off the right, on the
    first of ``rows`` text rows (0 the top) where it overlaps no later label; one that fits on none is left
    out (its line stays)."""
    cell = (x1 - x0) / cols if x1 > x0 else 1.0
    out: list[tuple[int, str, Alignment, int]] = []
    free = [float(cols)] * rows  # on each row, the cells from here to the right are taken by later labels
    for step, label in reversed(markers):
        if not x0 <= step <= x1:
            continue
        at = (step - x0) / cell
        width = len(label) + 1
        for row in range(rows):
            if at + width <= free[row]:
                out.append((step, label, "left", row))
                free[row] = at
                break
            if at - width >= 0 and at <= free[row]:
                out.append((step, label, "right", row))
                free[row] = at - width
                break
        else:
            out.append((step, "", "left", 0))
    return out[::-1]
