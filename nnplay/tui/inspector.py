"""The inspector: the selected weight's value, gradient and last update, and the update the next step makes."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .chain_rule import update_text
from .colors import number
from .live import LiveStatic


class Inspector(LiveStatic):
    DEFAULT_CSS = """
    Inspector { width: 1fr; height: auto; }
    """

    _state: ViewState | None = None

    def show(self, state: ViewState) -> None:
        self._state = state
        snap = state.frame.snapshot
        if state.selected is None or state.selected_at is None or (state.update is None and state.phase is None):
            self.show_content(Text("Select a weight: w / W, or click an edge or a unit in the diagram.", style="dim"), 1)
            return
        layer, kind, pos = state.selected_at
        i = state.selected
        label = state.selected_label
        if kind == "b":
            label += "  (the weight from the bias unit +1)"
        text = Text()
        text.append(f"{label}", style="bold")
        text.append(f"  layer {layer + 1}\n")
        gradient = state.unknown if state.unknown and snap.grad[i] != snap.grad[i] else number(snap.grad[i], '+.6g')
        text.append(f"value {number(snap.params[i], '+.6g')}   dE/dw {gradient}   "
                    f"last update Δw {number(snap.update[i], '+.6g')}\n")
        if state.update is None:  # a walk through the phases before its update
            text.append(f"next update: {state.unknown} (the update phase computes it: f)", style="dim")
        else:  # the optimiser's own numbers, on the next batch
            text.append(update_text(state.update, self.content_size.width or None), style="dim")
        self.show_text(text)

    def on_resize(self) -> None:
        """The update's lines are broken (and short ones put side by side) for the width: shown before it
        had one (just switched to), or resized."""
        if self._state is not None:
            self.show(self._state)
