"""The colour scales every pane shares, chosen to read on dark and light themes.

Positive numbers are blue, negative ones orange (a pair that colour-blind
readers can tell apart too); the strength of the colour is the magnitude.
Small magnitudes fade to a mid grey, which sits between a dark and a light
background alike.

Text drawn straight on the theme's background takes its colours from
``palette(theme)``: the same hues, each darkened or lightened until it reads
at ``TEXT_CONTRAST`` (WCAG's 4.5:1) on that theme. Without colour (``NO_COLOR``)
the sign of a value still shows: ``sign_glyph`` for text, ``line_pattern`` for
an edge of the diagram (solid for +, dashed for −).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.theme import Theme

POSITIVE = (59, 130, 246)    # blue
NEGATIVE = (245, 124, 32)    # orange
NEUTRAL = (128, 128, 128)    # grey
SELECTED = (236, 72, 153)    # pink: the selected weight or unit
GHOST_COLOURS = ((230, 80, 80), (170, 90, 200), (220, 180, 40))  # red, purple, gold: ghosts 1, 2, 3 of a race
GHOST_MARKERS = ("•", "×", "+")  # ghosts 1, 2, 3's curves without colour (NO_COLOR): the live run's is braille
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


def signed_rgb(values: np.ndarray, scale: float | np.ndarray) -> np.ndarray:
    """``signed`` for many values at once, as NumPy (the same colours, to the unit: tested): an array of
    ``values.shape + (3,)`` integers. ``scale`` is one magnitude of full colour, or one per value."""
    v = np.asarray(values, dtype=float)
    scale = np.broadcast_to(np.asarray(scale, dtype=float), v.shape)
    a = np.array(NEUTRAL, dtype=float)
    b = np.where((v >= 0)[..., None], np.array(POSITIVE, dtype=float), np.array(NEGATIVE, dtype=float))
    with np.errstate(all="ignore"):  # NaN and ±inf: SELECTED, below
        t = np.sqrt(np.minimum(1.0, np.where(scale > 0, np.abs(v) / np.where(scale > 0, scale, 1.0), 0.0)))
        rgb = np.rint(a + (b - a) * t[..., None]).astype(np.int64)
    rgb[~np.isfinite(v)] = SELECTED
    return rgb


def text_on(bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever contrasts more with ``bg`` (at least 4.5:1 on any colour)."""
    return max(((0, 0, 0), (255, 255, 255)), key=lambda fg: contrast(fg, bg))


REVERSE = Style(reverse=True)


@lru_cache(maxsize=4096)
def style(fg: tuple[int, int, int] | None = None, bg: tuple[int, int, int] | None = None, bold: bool = False) -> Style:
    return Style(color=hex_(fg) if fg else None, bgcolor=hex_(bg) if bg else None, bold=bold or None)


def cell(value: float, scale: float, bold: bool = False, unknown: str | None = None) -> Style:
    """A heat-map cell: background by value, text that reads on it; a number not computed yet (NaN where
    ``unknown`` is given: fmt) is left plain, not coloured as a NaN."""
    if unknown is not None and math.isnan(value):
        return style(bold=bold)
    bg = signed(value, scale)
    return style(text_on(bg), bg, bold)


def fmt(value: float, width: int = 5, unknown: str | None = None) -> str:
    """A number in ``width`` characters, sign included: fixed point while it shows a
    significant digit, otherwise scientific (0.00031 -> '+3.1e-4'). ``unknown``: how NaN is
    written where it means "not computed yet" (ViewState.unknown, during a walk through the phases)."""
    value = float(value)
    if unknown is not None and math.isnan(value):
        return unknown.rjust(width)
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


def not_yet_known(text: Text, unknown: str) -> Text:
    """``text`` with each NaN it writes ('nan', '+nan', '−nan') as ``unknown``, styles kept: for a view whose
    figure is computed from a walk's snapshot, where NaN means not computed yet (ViewState.unknown)."""
    cuts = [i for m in _NAN.finditer(text.plain) for i in m.span()]
    if not cuts:
        return text
    out = Text()
    for piece in text.divide(cuts):
        if _NAN.fullmatch(piece.plain):
            marked = Text(unknown.rjust(len(piece.plain)), style=piece.style)
            for span in piece.spans:
                marked.stylize(span.style, span.start, span.end)
            piece = marked
        out.append_text(piece)
    return out


_NAN = re.compile(r"[+−-]?(?<![A-Za-z])nan(?![A-Za-z])")


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


# -- contrast and the theme ---------------------------------------------------------------------

RGB = tuple[int, int, int]
TEXT_CONTRAST = 4.5  # WCAG AA for text


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    def linear(c: int) -> float:
        c8 = c / 255
        return c8 / 12.92 if c8 <= 0.04045 else ((c8 + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two colours: 1 (the same) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(colour: RGB, bg: RGB, ratio: float = TEXT_CONTRAST) -> RGB:
    """``colour``, or the least change of it toward black or white (whichever ``bg`` is further from)
    that reads at ``ratio`` on ``bg``."""
    if contrast(colour, bg) >= ratio:
        return colour
    extreme = text_on(bg)
    lo, hi = 0.0, 1.0
    for _ in range(20):  # bisect the blend: contrast grows along it
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if contrast(blend(colour, extreme, mid), bg) >= ratio else (mid, hi)
    return blend(colour, extreme, hi)


@dataclass(frozen=True, eq=False)
class Palette:
    """The colours of text on one theme's background, each at least TEXT_CONTRAST on it."""

    background: RGB
    label: RGB      # names and quiet text (the diagram's input and output names, "+1", "⋮ 3 more")
    positive: RGB   # a positive value's colour at full strength
    negative: RGB
    selected: RGB   # the selected weight or unit
    ghosts: tuple[RGB, ...] = ()  # the ghosts of a race, in order: their curves, paths and rows


def palette(theme: Theme) -> Palette:
    """The text colours for ``theme`` (``app.current_theme``), on the colour the panes are drawn on (its
    $background); a terminal's own default colours (the ANSI themes) are taken as black and white."""
    variables = theme.to_color_system().generate()
    background, foreground = Color.parse(variables["background"]), Color.parse(variables["foreground"])
    bg = background.rgb if background.ansi is None else (0, 0, 0) if theme.dark else (255, 255, 255)
    return _palette(bg, foreground.rgb if foreground.ansi is None else text_on(bg))


@lru_cache(maxsize=64)
def _palette(background: RGB, foreground: RGB) -> Palette:
    quiet = blend(background, foreground, 0.6)  # as Textual's $text-muted: the text, 60 % over the background
    return Palette(background, readable(quiet, background), readable(POSITIVE, background),
                   readable(NEGATIVE, background), readable(SELECTED, background),
                   tuple(readable(colour, background) for colour in GHOST_COLOURS))


# -- the sign without colour (NO_COLOR) ------------------------------------------------------------

SOLID: tuple[bool, ...] = (True,)
DASHED: tuple[bool, ...] = (True, True, False, False)


def sign_glyph(value: float) -> str:
    """The sign of ``value`` as a character: '+', '−', '0', or '?' when it is not finite."""
    value = float(value)
    if not math.isfinite(value):
        return "?"
    return "+" if value > 0 else "−" if value < 0 else "0"


def line_pattern(value: float) -> tuple[bool, ...]:
    """How an edge of weight ``value`` is drawn, dot by dot along it (dot i drawn if pattern[i % len]):
    solid for a positive weight, dashed for a negative one, so that its sign shows without hue."""
    return DASHED if float(value) < 0 else SOLID
