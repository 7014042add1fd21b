"""The chain of functions: the network as x → u₁ = x·W₁ + b₁ → z₁ = f₁(u₁) → … → y → e → E, for the selected sample
(e its own loss, E the loss of the batch it is in, the E whose derivatives δ are).

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

MOST = 6    # values of a vector written out at most; fewer when the pane is narrow, the rest counted
WIDTH = 7   # characters per value
ARROW = " ← "  # between a box's values and dE/d of it


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
        text.append(": values ← dE/d·, the derivatives multiplied back from E\n", style="dim")
        phase = state.phase
        if phase is not None and phase.row is None:
            text.append(f"sample {state.sample + 1} is not in this batch: nothing of it is computed (n / p)\n",
                        style="italic")
        heads = [box.name if i == 0 else f"{box.name} = {box.made}" for i, box in enumerate(boxes)]
        head_width = max(len(h) for h in heads) + 1
        shape_width = max(len(f"({len(box.values)})") for box in boxes) + 1
        room = (self.content_size.width or 80) - head_width - shape_width - len(ARROW) - 2
        longest = max(len(box.values) for box in boxes)
        # each side: every value where they all fit, else as many as fit with "… N more"
        most = longest if longest <= MOST and longest * WIDTH <= room // 2 else max(1, min(MOST, (room // 2 - 10) // WIDTH))
        widest = max(min(len(box.values), most) for box in boxes) * WIDTH

        def vector(values) -> str:
            shown = " ".join(fmt(float(v), WIDTH - 1, unknown) for v in values[:most])
            return shown + (f" … {len(values) - most} more" if len(values) > most else "")

        for head, box in zip(heads, boxes):
            text.append(head.ljust(head_width), style="bold" if head == box.name else "")
            text.append(f"({len(box.values)})".ljust(shape_width), style="dim")
            values = vector(box.values)
            text.append(values.ljust(max(widest, len(values))))
            text.append(ARROW + ("δ " if box.name.startswith("u") else ""), style="dim")
            text.append(vector(box.grad) + "\n", style="magenta")
        shapes = ", ".join(f"W{k} {len(boxes[2 * k - 2].values)}×{len(boxes[2 * k - 1].values)}"
                           for k in range(1, (len(boxes) - 3) // 2 + 1))
        text.append(f"weights: {shapes}; each b has its layer's size\n"
                    "e: this sample's own loss; E: its batch's, which δ = dE/du are of", style="dim")
        self.show_text(text)
