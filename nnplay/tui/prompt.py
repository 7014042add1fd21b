"""A one-line question in a small modal: a value for a weight, a file to load.

``check`` (optional) reads the answer before the prompt closes: a message
means the answer is wrong, and the prompt stays open showing it, with the
text still there to correct. ``suggestions`` are offered as the learner types
(Textual's ``SuggestFromList``: the rest of the first one that starts with
the typed text shows dimmed; → or tab takes it, as a shell completes a name).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

SHOWN_SUGGESTIONS = 3  # named in the hint; the suggester offers all of them


class Prompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 70; max-width: 95%; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    Prompt Label { width: 100%; }
    Prompt #problem { color: $text-error; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel"), Binding("tab", "complete", "complete", show=False)]
    AUTO_FOCUS = "Input"  # Textual focuses it once mounted (a query in on_mount races a quick dismissal)

    def __init__(self, question: str, value: str = "", placeholder: str = "", *,
                 check: Callable[[str], str | None] | None = None, suggestions: Sequence[str] = ()) -> None:
        super().__init__()
        self.question, self.value, self.placeholder = question, value, placeholder
        self.check = check
        self.suggestions = tuple(suggestions)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.question))  # it may quote a name or a path: shown as written
            suggester = SuggestFromList(self.suggestions) if self.suggestions else None
            yield Input(value=self.value, placeholder=self.placeholder, suggester=suggester)
            problem = Label(id="problem")
            problem.display = False
            yield problem
            if self.suggestions:
                yield Label(Content(self._offers()), id="offers")  # file names: shown as written
            yield Label("enter to confirm, esc to cancel", classes="hint")

    def _offers(self) -> str:
        named = ", ".join(self.suggestions[:SHOWN_SUGGESTIONS])
        more = len(self.suggestions) - SHOWN_SUGGESTIONS
        return f"here, newest first: {named}{f' and {more:,} more' if more > 0 else ''}; → or tab completes what you type"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_active:  # a second enter, queued before the first closed it: dismissing again would
            return              # close the screen under it
        problem = self.check(event.value) if self.check is not None else None
        if problem is None:
            self.dismiss(event.value)
            return
        label = self.query_one("#problem", Label)
        label.update(Content(problem))  # it quotes the typed text: shown as written
        label.display = True

    def action_complete(self) -> None:
        """Tab: the suggestion shown, if any, as → takes it (the prompt has one field: tab has nowhere to go)."""
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()

    def action_cancel(self) -> None:
        if self.is_active:
            self.dismiss(None)
