"""Numbers and axes as the panes print them."""

import math

import pytest

from nnplay.tui.colors import NEGATIVE, NEUTRAL, POSITIVE, fmt, signed, text_on
from nnplay.tui.lossplot import log_ticks


@pytest.mark.parametrize("value,width,expected", [
    (0.62, 5, "+0.62"), (-0.0003, 5, "-3e-4"), (0.0031, 6, "+0.003"), (123.4, 6, "+123.4"),
    (1234567, 6, "+1.2e6"), (0, 5, "    0"), (math.nan, 5, "  nan"), (math.inf, 5, " +inf"), (1e-12, 6, "+1e-12"),
])
def test_fmt(value, width, expected):
    assert fmt(value, width) == expected


def test_fmt_never_lies_to_fit():
    # wider than asked rather than a wrong number
    assert fmt(1e-12, 5) == "+1e-12"
    for v in (0.5, -7.25, 3e-7, -4e11, 99.99):
        assert float(fmt(v, 8)) == pytest.approx(v, rel=0.05)


def test_colour_scale():
    assert signed(0.0, 1.0) == NEUTRAL
    assert signed(1.0, 1.0) == POSITIVE and signed(-5.0, 1.0) == NEGATIVE
    assert text_on((250, 250, 250)) == (0, 0, 0) and text_on((10, 10, 10)) == (255, 255, 255)


def test_log_ticks():
    positions, labels = log_ticks(-5.2, 0.1)
    assert labels == ["1e-05", "0.0001", "0.001", "0.01", "0.1", "1"]
    positions, labels = log_ticks(-0.33, 0.12)
    assert len(positions) == 4 and labels[0] == "0.468" and labels[-1] == "1.32"
    positions, labels = log_ticks(-31, 0)
    assert len(positions) <= 6 and labels[0] == "1e-31"
