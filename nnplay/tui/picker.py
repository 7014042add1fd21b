"""The scenario picker: the bundled scenarios, one line each."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class ScenarioPicker(ModalScreen[str | None]):
    DEFAULT_CSS = """
    ScenarioPicker { align: center middle; }
    ScenarioPicker > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 80%; border: round $accent; background: $surface;
    }
    ScenarioPicker OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "close")]

    def __init__(self, scenarios: list[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.scenarios = scenarios
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a bundled scenario (enter), esc to stay")
            yield OptionList(*(Option(Content(f"{name:<10} {summary}"), id=name) for name, summary in self.scenarios))

    AUTO_FOCUS = "OptionList"

    def on_mount(self) -> None:
        names = [name for name, _ in self.scenarios]
        for options in self.query(OptionList):  # none when dismissed before it was shown
            if self.current in names:
                options.highlighted = names.index(self.current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
