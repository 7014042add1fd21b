"""The nudge check: the loss's slope found by nudging the weight, next to backprop's gradient."""

from __future__ import annotations

import math

from rich.text import Text

from ..figures import Nudge
from ..playground import ViewState
from .colors import number
from .live import LiveStatic


def agreement(a: float, b: float) -> str:
    if a == b:
        return "identical"
    scale = max(abs(a), abs(b))
    if scale == 0 or not (math.isfinite(a) and math.isfinite(b)):
        return ""
    digits = -math.log10(max(abs(a - b) / scale, 1e-17))
    return f"agree to {max(0, int(digits))} significant digits"


class NudgeView(LiveStatic):
    DEFAULT_CSS = """
    NudgeView { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        n = state.explain
        if not isinstance(n, Nudge):
            return
        t = Text()
        label = state.selected_label
        weight = number(float(state.frame.snapshot.params[state.selected]), "+.6g")
        t.append(f"Nudge {label} = {weight} by h = {number(n.h)} each way, the others fixed:\n", style="bold")
        t.append(f"E(w − h) = {number(n.loss_minus, '.10g')}    E(w) = {number(n.loss, '.10g')}    "
                 f"E(w + h) = {number(n.loss_plus, '.10g')}\n")
        t.append(f"rise over run   (E(w + h) − E(w − h)) / 2h = {number(n.slope, '+.8g')}\n")
        t.append(f"backprop        dE/dw                     = {number(n.gradient, '+.8g')}\n", style="bold")
        t.append(agreement(n.slope, n.gradient), style="green")
        t.append("\nBackprop gets every slope at once from one backward pass; nudging needs two forward passes per weight.",
                 style="dim")
        self.show_text(t)
