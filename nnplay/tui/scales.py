"""Numbers to cells: where a value falls on an axis, and how long its bar is.

Every pane that turns a number into a place on the screen goes through here,
so that inf and nan (a diverged run, an input of 1e308) never reach int():
a value that is not a number has no place and an empty bar, and the number
printed beside it says what it is.
"""

from __future__ import annotations

import math


def position(value: float, lo: float, hi: float, cells: int) -> int | None:
    """The cell (0 to cells − 1) of ``value`` on an axis from ``lo`` (cell 0) to ``hi``;
    None outside the axis, or when the value or the axis is not a number."""
    lo, hi = float(lo), float(hi)
    t = (float(value) - lo) / (hi - lo) if hi != lo else 0.0
    if not math.isfinite(t):
        return None
    cell = round(t * (cells - 1))
    return cell if 0 <= cell < cells else None


def bar_length(value: float, full: float, width: int) -> int:
    """How many of ``width`` cells a bar fills for ``value`` when ``full`` fills them all;
    none for a negative value or one that is not a number."""
    t = float(value) / float(full) if full > 0 else 0.0
    if not math.isfinite(t):
        return 0
    return round(min(1.0, max(0.0, t)) * width)
