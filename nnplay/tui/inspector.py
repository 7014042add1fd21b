"""The inspector: the selected weight's value, gradient and last update, and the selected unit."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .live import LiveStatic


class Inspector(LiveStatic):
    DEFAULT_CSS = """
    Inspector { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        if state.selected is None or state.selected_at is None:
            self.show_content(Text("Select a weight: w / W, or click an edge or a unit in the diagram.", style="dim"), 1)
            return
        layer, kind, pos = state.selected_at
        i = state.selected
        label = state.selected_label
        if kind == "b":
            label += "  (the weight from the bias unit +1)"
        value, grad, update = float(snap.params[i]), float(snap.grad[i]), float(snap.update[i])
        lr, mu = snap.settings.learning_rate, snap.settings.momentum
        text = Text()
        text.append(f"{label}", style="bold")
        text.append(f"  layer {layer + 1}\n")
        text.append(f"value {value:+.6g}   dE/dw {grad:+.6g}   last update Δw {update:+.6g}\n")
        # the optimiser's own numbers: the gradient on the next batch, and the update it makes of it
        following = "?" if state.next_update is None else f"{state.next_update:+.4g}"
        g = grad if state.next_gradient is None else state.next_gradient
        on = "" if state.next_batch_size in (0, len(snap.inputs)) else f" (g on the next {state.next_batch_size} samples)"
        text.append(f"next update{on}: Δw = −η·g + α·Δw_prev = −{lr:g}·({g:+.4g}) + {mu:g}·({update:+.4g}) = {following}",
                    style="dim")
        self.show_content(text, 3)
