"""The chain of functions: the network as x → u₁ = x·W₁ + b₁ → z₁ = f₁(u₁) → … → y → E, for the selected sample.

Each box is one vector with its shape and values; under it, the product of derivatives from the loss back
to it (dE/d of the box: δ at each u). During a walk through the phases (f) what is not computed yet is
written as not yet known. It is an explain view (v), beside the chain rule: the same pass, seen as one
composition of functions rather than one weight's sum. The numbers come from the presenter
(``ViewState.chain``, engine.phases.chain).
"""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .colors import fmt
from .live import LiveStatic

MOST = 6    # values of a vector written out; the rest counted
WIDTH = 7   # characters per value


class FunctionChain(LiveStatic):
    DEFAULT_CSS = """
    FunctionChain { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        boxes = state.chain
        if not boxes:
            self.show_content(Text("The chain of functions shows here (v).", style="dim"), 1)
            return
        unknown = state.unknown
        snap = state.frame.snapshot
        text = Text()
        text.append(f"sample {state.sample + 1} of {snap.inputs.shape[0]}", style="bold")
        text.append(": forward ↓ the values, backward ↑ dE/d· (the product of the derivatives from E)\n",
                    style="dim")
        phase = state.phase
        if phase is not None and phase.row is None:
            text.append(f"sample {state.sample + 1} is not in this batch: nothing of it is computed (n / p)\n",
                        style="italic")

        def vector(values) -> str:
            shown = " ".join(fmt(float(v), WIDTH - 1, unknown) for v in values[:MOST])
            return shown + (f" … {len(values) - MOST} more" if len(values) > MOST else "")

        for i, box in enumerate(boxes):
            if i:
                text.append(" ↓ ", style="dim")
                text.append(box.made, style="italic")
                if box.name.startswith("u"):
                    fan_in, fan_out = len(boxes[i - 1].values), len(box.values)
                    layer = box.name[1:]
                    text.append(f"   W{layer} {fan_in}×{fan_out}, b{layer} {fan_out}", style="dim")
                text.append("\n")
            head = f"{box.name} ({len(box.values)})"
            text.append(head.ljust(9), style="bold")
            text.append(vector(box.values) + "\n")
            grad = "δ" if box.name.startswith("u") else f"dE/d{box.name}"
            text.append(f"  {grad}".ljust(9), style="dim")
            text.append(vector(box.grad) + "\n", style="magenta")
        text.rstrip()
        self.show_text(text)
