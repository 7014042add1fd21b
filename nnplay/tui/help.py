"""The help screen: every key, from the app's own bindings, and what the panes show."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .layout import keys_text

PANES = (
    ("Network", "units in columns (inputs left), an edge per weight: blue +, orange −, stronger = larger |w|; "
                "+1 is the bias unit; each unit shows its activation z for the selected sample"),
    ("View", "the scenario's own picture: the fitted curve, the decision map, your sentences, or a table"),
    ("Activations", "u = z_prev·W + b and z = f(u) of every unit, for the selected sample"),
    ("Gradients", "dE/dw for every weight (or the weights, or the last updates: g), and the deltas δ = dE/du"),
    ("Loss", "the loss on the whole training set over the run (l: log/linear scale); with ghosts (G) each "
             "ghost's curve in its colour and a race table: loss, accuracy, the step it fell below a tenth"),
    ("Explain", "the selected weight: value, gradient, last update and the next one; v: the chain rule, "
                "the nudge check, the loss along the weight, the loss over two weights and the path taken; "
                "L: the landscape along random or pca directions, 2-D or 1-D"),
    ("Lesson", "the scenario's guided lesson, a page at a time: } next, { back"),
)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    """
    # the help's own keys close it too, remapped or not (the config file's keymap reaches every binding with its id)
    BINDINGS = [Binding("escape,q", "dismiss", "close"), Binding("question_mark,f1", "dismiss", "close", id="help")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.app_bindings = bindings

    def compose(self) -> ComposeResult:
        keys = Table(box=None, padding=(0, 2), show_header=False)
        keys.add_column(style="bold")
        keys.add_column()
        for binding in self.app_bindings:
            keys.add_row(Text(keys_text(binding)), Text(binding.description))  # "[" is a key, not markup
        panes = Table(box=None, padding=(0, 2), show_header=False)
        panes.add_column(style="bold")
        panes.add_column()
        for name, text in PANES:
            panes.add_row(Text(name), Text(text))
        with VerticalScroll():
            yield Static(Text("nnplay — keys", style="bold underline"))
            yield Static(keys)
            yield Static(Text("\nThe panes", style="bold underline"))
            yield Static(panes)
            yield Static(Text("\nAlso: the mouse selects a weight (click an edge) or a unit's bias (click a unit); "
                              "a pane too small for what it shows scrolls, and its scrollbar shows which part is in "
                              "view (1 … 7 maximise a pane); ctrl+p opens the command palette with every action. "
                              "Esc closes this help.", style="dim"))

