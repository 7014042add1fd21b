"""What the network and data editors share: a modal form, checked off the interface thread before it closes.

A subclass composes its fields (in ``fields``) and reads them (``choice``:
what to check, or why the form cannot be read, in one line). Apply (or enter
in any field: an input, a select, a checkbox, which only space ticks) hands
the choice to ``check``, the presenter's, which builds the changed scenario
(0.4 s for digits, so in a thread) and returns the checked edit, which the
editor closes with, or why not, in one line, which it shows with the form
still open to correct. Esc closes it with None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select


class Editor(ModalScreen[Any]):
    DEFAULT_CSS = """
    Editor { align: center middle; }
    Editor > VerticalScroll {
        width: 66; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    Editor .row { height: 1; margin-top: 1; }
    Editor .name { width: 14; }
    Editor Input, Editor .fixed { width: 10; }
    Editor Select { width: 16; margin-left: 1; }
    Editor .row Button { margin-left: 1; min-width: 10; }
    Editor #problem { color: $text-error; margin-top: 1; width: 100%; }
    Editor #problem.-checking { color: $text-muted; }
    Editor #buttons { height: 1; margin-top: 1; }
    Editor #buttons Button { margin: 0 2 0 0; }
    Editor .hint { color: $text-muted; }
    Editor .note { width: 100%; }
    """
    # enter applies from every field: before the field's own enter (a Checkbox's toggles, a Select's opens it)
    BINDINGS = [Binding("escape", "cancel", "cancel"), Binding("enter", "apply", "apply", priority=True, show=False)]
    HINT = "space ticks, enter applies: a new run from step 0; esc cancels"

    def __init__(self, check: Callable[[Any], Any]) -> None:
        super().__init__()
        self.check = check

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield from self.fields()
            problem = Label(id="problem")
            problem.display = False
            yield problem
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", compact=True, id="apply")
                yield Button("Cancel", compact=True, id="cancel")
            yield Label(self.HINT, classes="hint")

    def fields(self) -> Iterator[Widget]:
        raise NotImplementedError

    def choice(self) -> Any:
        """The form read: what ``check`` is given, or a str: why it cannot be read."""
        raise NotImplementedError

    async def pressed(self, button: str) -> None:
        """A button of the form's own (not Apply or Cancel)."""

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button == "apply":
            self.submit()
        elif button == "cancel":
            self.action_cancel()
        else:
            await self.pressed(button)

    def action_apply(self) -> None:
        """Enter in a field; on a button it presses it, in an open select's menu it picks."""
        if not isinstance(self.focused, (Input, Select, Checkbox)):
            raise SkipAction()
        self.submit()

    def submit(self) -> None:
        choice = self.choice()
        if isinstance(choice, str):
            self.show_problem(choice)
            return
        self.show_problem("checking …", checking=True)
        self._check(choice)

    @work(thread=True, exclusive=True)
    def _check(self, choice: Any) -> None:
        result = self.check(choice)  # builds the changed scenario: off the interface thread
        self.app.call_from_thread(self._checked, result)

    def _checked(self, result: Any) -> None:
        if not self.is_active:  # closed meanwhile (cancelled, or an earlier check's edit applied): dismissing
            return              # again would close the screen under it
        if isinstance(result, str):
            self.show_problem(result)
        else:
            self.dismiss(result)

    def show_problem(self, problem: str, checking: bool = False) -> None:
        label = self.query_one("#problem", Label)
        label.update(Content(problem))  # it may quote typed text: shown as written
        label.set_class(checking, "-checking")
        label.display = True
        label.scroll_visible()

    def action_cancel(self) -> None:
        self.workers.cancel_all()
        if self.is_active:
            self.dismiss(None)
