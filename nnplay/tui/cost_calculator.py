"""The cost calculator: a target and a prediction, every loss and its derivative side by side, and each loss's
curve as the prediction moves."""

from __future__ import annotations

import re

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..costs import CostCurves, cost_curves, costs
from ..engine.losses import LOSSES
from .colors import number
from .cost_curves import CostCurvesPlot, loss_colour

# the short forms that fit the table; a loss not here shows its record's own formula
EXPLAIN = {
    "mse": "mean (y − t)²", "sse": "½ Σ (y − t)²", "mae": "mean |y − t|",
    "bce": "−(t log y + (1−t) log(1−y))", "cce": "−Σ t log y",
}


NOTE = 25  # the note column's least width: the longest note ("needs two or more probabilities …") in two lines
# the table's height, fixed so that the dialog keeps its size as the learner types (an entry briefly not a
# number, a note that wraps): a header, a row a loss, and the notes' further lines (y = 1: bce's "y clipped …"
# takes two, cce's "needs two or more …" three)
COSTS_HEIGHT = 1 + len(LOSSES) + 3


def parse_numbers(text: str) -> list[float]:
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise ValueError("type a number, or several separated by commas")
    return [float(p) for p in parts]


def cost_figures(target_text: str, prediction_text: str) -> tuple[Table | Text, CostCurves | None]:
    """The table of every loss for the numbers typed, and their curves; or a one-line message and None."""
    try:
        target, prediction = parse_numbers(target_text), parse_numbers(prediction_text)
        return cost_table(target, prediction), cost_curves(target, prediction)
    except ValueError as error:
        return Text(str(error).replace("could not convert string to float", "not a number"), style="bold red"), None


def cost_table(target: list[float], prediction: list[float]) -> Table:
    results = costs(target, prediction)
    table = Table(box=None, padding=(0, 2), header_style="bold")
    table.add_column("loss", no_wrap=True)
    table.add_column("E", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("dE/dy", justify="right", no_wrap=True)
    table.add_column("", ratio=1, min_width=NOTE)  # a note takes two lines at most (COSTS_HEIGHT holds them)
    for c in results:
        value = "—" if not np.isfinite(c.value) else number(c.value, ".6g")
        derivative = "—" if not np.all(np.isfinite(c.derivative)) else ", ".join(number(d, "+.6g") for d in c.derivative)
        table.add_row(Text(c.loss, style=loss_colour(c.loss)), EXPLAIN.get(c.loss, LOSSES[c.loss].formula), value,
                      derivative, Text(c.note, style="dim"))
    return table


class CostCalculator(ModalScreen[None]):
    DEFAULT_CSS = """
    CostCalculator { align: center middle; }
    CostCalculator > VerticalScroll {
        width: 100; max-width: 98%; height: auto; max-height: 98%; border: round $accent; background: $surface;
        padding: 0 1;
    }
    CostCalculator Horizontal { height: auto; }
    CostCalculator Input { width: 1fr; }
    CostCalculator #costs { margin: 1 0 0 0; overflow: hidden; }
    """
    BINDINGS = [Binding("escape", "close", "close"),
                Binding("pageup", "scroll(-1)", "scroll up", show=False),
                Binding("pagedown", "scroll(1)", "scroll down", show=False)]

    def compose(self) -> ComposeResult:
        # on a small terminal the curves scroll into view (the mouse, page up / down); Tab goes from one entry to
        # the other only: the scrolling box itself takes no focus, which it would show no sign of
        scroll = VerticalScroll()
        scroll.can_focus = False
        with scroll:
            yield Label("Cost calculator: one sample's target t and prediction y (several outputs: separate with commas)")
            with Horizontal():
                yield Input(value="0", placeholder="target, e.g. 0 or 0, 1, 0", id="target")
                yield Input(value="0.003", placeholder="prediction, e.g. 0.997 or 0.2, 0.7, 0.1", id="prediction")
            costs = Static(id="costs")
            costs.styles.height = COSTS_HEIGHT
            yield costs
            yield CostCurvesPlot(id="cost-curves")
            yield Label("Try t = 0 with y = 0.003, then y = 0.997: cross-entropy punishes confident mistakes. Esc closes.",
                        classes="hint")

    AUTO_FOCUS = "#prediction"

    def on_mount(self) -> None:
        if self.query("#costs"):  # none when dismissed before it was shown (a key opened another scenario)
            self.recalculate()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.recalculate()

    def recalculate(self) -> None:
        target = self.query_one("#target", Input).value
        prediction = self.query_one("#prediction", Input).value
        table, curves = cost_figures(target, prediction)
        self.query_one("#costs", Static).update(table)
        self.query_one(CostCurvesPlot).show(curves)

    def action_scroll(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_to(y=scroll.scroll_y + pages * scroll.size.height, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
