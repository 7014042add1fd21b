"""The colour scales every pane shares, chosen to read on dark and light themes.

Positive numbers are blue, negative ones orange (a pair that colour-blind
readers can tell apart too); the strength of the colour is the magnitude.
Small magnitudes fade to a mid grey, which sits between a dark and a light
background alike.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from rich.style import Style

POSITIVE = (59, 130, 246)    # blue
NEGATIVE = (245, 124, 32)    # orange
NEUTRAL = (128, 128, 128)    # grey
SELECTED = (236, 72, 153)    # pink: the selected weight or unit
CLASS_COLOURS = ((230, 80, 80), (70, 180, 90), (70, 120, 230), (220, 180, 40), (170, 90, 200), (60, 190, 190))


def blend(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    t = 0.0 if not math.isfinite(t) else min(1.0, max(0.0, t))
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def hex_(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def signed(value: float, scale: float) -> tuple[int, int, int]:
    """Blue for positive, orange for negative, grey near 0; ``scale`` is the magnitude of full colour."""
    if not math.isfinite(value):
        return SELECTED
    t = abs(value) / scale if scale > 0 else 0.0
    t = math.sqrt(min(1.0, t))  # perceptual: small weights still show
    return blend(NEUTRAL, POSITIVE if value >= 0 else NEGATIVE, t)


def text_on(bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads on ``bg``."""
    luminance = 0.2126 * bg[0] + 0.7152 * bg[1] + 0.0722 * bg[2]
    return (0, 0, 0) if luminance > 140 else (255, 255, 255)


REVERSE = Style(reverse=True)


@lru_cache(maxsize=4096)
def style(fg: tuple[int, int, int] | None = None, bg: tuple[int, int, int] | None = None, bold: bool = False) -> Style:
    return Style(color=hex_(fg) if fg else None, bgcolor=hex_(bg) if bg else None, bold=bold or None)


def cell(value: float, scale: float, bold: bool = False) -> Style:
    """A heat-map cell: background by value, text that reads on it."""
    bg = signed(value, scale)
    return style(text_on(bg), bg, bold)


def fmt(value: float, width: int = 5) -> str:
    """A number in ``width`` characters, sign included: fixed point while it shows a
    significant digit, otherwise scientific (0.00031 -> '+3.1e-4')."""
    value = float(value)
    if not math.isfinite(value):
        return ("nan" if math.isnan(value) else ("+inf" if value > 0 else "-inf")).rjust(width)
    if value == 0:
        return "0".rjust(width)
    for digits in range(max(0, width - 3), -1, -1):
        text = f"{value:+.{digits}f}"
        if len(text) <= width:
            if abs(value) >= 10.0**-digits:
                return text.rjust(width)
            break
    text = ""
    for m in range(max(0, width - 5), -1, -1):
        mantissa, exponent = f"{value:+.{m}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
        if len(text) <= width:
            return text.rjust(width)
    return text  # wider than asked rather than wrong


def number(value: float, spec: str = "g") -> str:
    """``value`` formatted by ``spec`` (a format spec: '+.4g', '.2f' …), except that a value that rounds to
    zero prints as 0: never '-0', '+0' or '-0.00'."""
    text = format(float(value), spec).strip()
    mantissa = text.lower().split("e")[0]
    if any(c.isdigit() for c in mantissa) and not any(c in "123456789" for c in mantissa):
        return "0"
    return text


def scale_of(*arrays) -> float:
    """The largest finite magnitude among ``arrays`` (1 if there is none)."""
    best = 0.0
    for a in arrays:
        a = np.abs(np.asarray(a, dtype=float))
        a = a[np.isfinite(a)]
        if a.size:
            best = max(best, float(a.max()))
    return best or 1.0
