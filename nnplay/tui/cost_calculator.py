"""The cost calculator: a target and a prediction, every loss and its derivative side by side."""

from __future__ import annotations

import re

import numpy as np
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..engine.losses import LOSSES
from ..figures import costs
from .colors import number

# the short forms that fit the table; a loss not here shows its record's own formula
EXPLAIN = {
    "mse": "mean (y − t)²", "sse": "½ Σ (y − t)²", "mae": "mean |y − t|",
    "bce": "−(t log y + (1−t) log(1−y))", "cce": "−Σ t log y",
}


def parse_numbers(text: str) -> list[float]:
    parts = [p for p in re.split(r"[,\s;]+", text.strip()) if p]
    if not parts:
        raise ValueError("type a number, or several separated by commas")
    return [float(p) for p in parts]


def cost_table(target_text: str, prediction_text: str) -> Table | Text:
    try:
        results = costs(parse_numbers(target_text), parse_numbers(prediction_text))
    except ValueError as error:
        return Text(str(error).replace("could not convert string to float", "not a number"), style="bold red")
    table = Table(box=None, padding=(0, 2), header_style="bold")
    table.add_column("loss", no_wrap=True)
    table.add_column("E", no_wrap=True)
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("dE/dy", justify="right", no_wrap=True)
    table.add_column("", ratio=1)
    for c in results:
        value = "—" if not np.isfinite(c.value) else number(c.value, ".6g")
        derivative = "—" if not np.all(np.isfinite(c.derivative)) else ", ".join(number(d, "+.6g") for d in c.derivative)
        table.add_row(c.loss, EXPLAIN.get(c.loss, LOSSES[c.loss].formula), value, derivative, Text(c.note, style="dim"))
    return table


class CostCalculator(ModalScreen[None]):
    DEFAULT_CSS = """
    CostCalculator { align: center middle; }
    CostCalculator > Vertical {
        width: 100; max-width: 98%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    CostCalculator Horizontal { height: auto; }
    CostCalculator Input { width: 1fr; }
    CostCalculator #costs { height: auto; margin: 1 0; }
    """
    BINDINGS = [Binding("escape", "close", "close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Cost calculator: one sample's target t and prediction y (several outputs: separate with commas)")
            with Horizontal():
                yield Input(value="0", placeholder="target, e.g. 0 or 0, 1, 0", id="target")
                yield Input(value="0.003", placeholder="prediction, e.g. 0.997 or 0.2, 0.7, 0.1", id="prediction")
            yield Static(id="costs")
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
        self.query_one("#costs", Static).update(cost_table(target, prediction))

    def action_close(self) -> None:
        self.dismiss(None)
