"""Numbers to cells: where values fall on an axis, and how long a bar is.

Every pane that turns a number into a place on the screen goes through here,
so that inf and nan (a diverged run, an input of 1e308) never reach int():
a value that is not a number has no place and an empty bar, and the number
printed beside it says what it is.
"""

from __future__ import annotations

import math

import numpy as np


def positions(values, lo: float, hi: float, cells: int) -> np.ndarray:
    """The cell (0 to cells − 1) of each of ``values`` on an axis from ``lo`` (cell 0) to ``hi``;
    −1 outside the axis, or where the value or the axis is not a number."""
    values = np.asarray(values, dtype=float)
    lo, hi = float(lo), float(hi)
    with np.errstate(all="ignore"):
        t = (values - lo) / (hi - lo) if hi != lo else np.zeros_like(values)
        cell = np.rint(t * (cells - 1))
    inside = np.isfinite(cell) & (cell >= 0) & (cell < cells)
    return np.where(inside, cell, -1).astype(int)


def tick(value: float, digits: int = 3) -> str:
    """An axis end as a short number: three significant digits (or ``digits``), and never "-0"."""
    value = float(value)
    text = f"{value:.{digits}g}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def ends(lo: float, hi: float) -> tuple[str, str]:
    """A range's two ends as ``tick`` writes them, with as many more digits as they need to differ
    (a landscape's losses from 0.69312 to 0.69337 are not '0.693 … 0.693')."""
    for digits in range(3, 10):
        a, b = tick(lo, digits), tick(hi, digits)
        if a != b or float(lo) == float(hi):
            break
    return a, b


def bar_length(value: float, full: float, width: int) -> int:
    """How many of ``width`` cells a bar fills for ``value`` when ``full`` fills them all;
    none for a negative value or one that is not a number."""
    t = float(value) / float(full) if full > 0 else 0.0
    if not math.isfinite(t):
        return 0
    return round(min(1.0, max(0.0, t)) * width)


def window(selected: int, count: int, size: int) -> range:
    """The rows of a table of ``count`` drawn: at most ``size``, around the ``selected`` one."""
    first = min(max(0, selected - size // 2), max(0, count - size))
    return range(first, min(count, first + size))
