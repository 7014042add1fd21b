"""The nudge check: rise over run for h = 1, 0.1, 0.01, …, secants closing in on backprop's tangent."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal

from ..later import later
from ..playground import ViewState
from .colors import number
from .live import LiveStatic
from .sweep import SECANT_COLOURS, SweepPlot

if TYPE_CHECKING:
    from .. import explain
else:  # loaded when first used: the first frame does without it
    explain = later("nnplay.explain")


def agreement(a: float, b: float) -> str:
    if a == b:
        return "identical"
    scale = max(abs(a), abs(b))
    if scale == 0 or not (math.isfinite(a) and math.isfinite(b)):
        return ""
    digits = -math.log10(max(abs(a - b) / scale, 1e-17))
    return f"agree to {max(0, int(digits))} sig. digits"  # short: the verdict stays on one line of NudgeNumbers


def nudge_text(n: explain.Nudge, label: str, weight: float, when: str = "") -> Group:
    """Each nudge's secant slope beside backprop's gradient, the h of a secant drawn in its line's colour; under
    them the verdict and the rule, in the widget's width (not the table's, which is narrower with short numbers);
    ``when``: what state it is of, if not the one on screen (ViewState.walk_note), in the rule's place."""
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold",
                  title=Text(f"Nudge {label} = {number(weight, '+.6g')} by ±h", style="bold"),
                  title_justify="left")
    table.add_column("h", justify="right", no_wrap=True)
    table.add_column("rise over run", justify="right", no_wrap=True)
    table.add_column("− backprop", justify="right", no_wrap=True)
    for i, s in enumerate(n.secants):
        colour = SECANT_COLOURS[i] if i < len(SECANT_COLOURS) else ""
        table.add_row(Text(number(s.h), style=colour), number(s.slope, "+.8g"), number(s.slope - n.gradient, "+.1e"))
    table.add_row(Text("backprop", style="bold"), Text(number(n.gradient, "+.8g"), style="bold"), "dE/dw")
    # the explain pane holds 11 rows: the table's 8 and these 2, a line each at 40 columns
    return Group(table, Text(f"h = {number(n.finest.h)}: {agreement(n.slope, n.gradient)}", style="green"),
                 Text(f"({when})" if when else "(E(w+h) − E(w−h)) / 2h: its error ∝ h²", style="dim"))


class NudgeNumbers(LiveStatic):
    DEFAULT_CSS = """
    NudgeNumbers { width: 40; height: auto; margin-right: 1; }
    """


class NudgeView(Horizontal):
    """The secants' numbers, and the secants on the loss along the weight."""

    DEFAULT_CSS = """
    NudgeView { width: 1fr; height: auto; }
    NudgeView > SweepPlot { height: 11; }  /* the explain pane's rows: the numbers that go further scroll */
    """

    def compose(self) -> ComposeResult:
        yield NudgeNumbers()
        yield SweepPlot()

    def show(self, state: ViewState) -> None:
        n = state.explain
        plot = self.query_one(SweepPlot)
        if isinstance(n, explain.Nudge):
            weight = float(state.frame.snapshot.params[state.selected])
            self.query_one(NudgeNumbers).show_content(nudge_text(n, state.selected_label, weight, state.walk_note),
                                                     state.selected_label)
            plot.draw_with(lambda: plot.draw(n.sweep, state.selected_label, n.secants))
        elif state.computing:  # the first for this weight, made off the interface thread: no other weight's numbers
            self.query_one(NudgeNumbers).show_content(Text(""), None)
            plot.show(state)
