"""Per-layer heat maps of the gradients (or the weights, or the last updates), with numbers.

Rows are the units a weight comes from (and the bias unit +1), columns the
units it goes to. Under each map: the deltas dE/du of the layer's units for
the selected sample. Drawn as plain styled text with fixed column widths:
it is redrawn several times a second while training.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text

from ..playground import ViewState
from . import colors
from .live import LiveStatic

MAX_ROWS = 40
WIDTH = 7       # characters per cell
LABEL = 10      # characters for the row labels


class GradientsPane(LiveStatic):
    DEFAULT_CSS = """
    GradientsPane { width: auto; height: auto; }
    """

    TITLES = {"gradients": "dE/dw on the whole training set (g: weights, updates)",
              "weights": "the weights w (g: updates, gradients)",
              "updates": "the last update Δw = −η·dE/dw + α·Δw_prev (g: gradients, weights)"}

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        names = state.names
        text = Text(self.TITLES[state.mode] + "\n", style="bold")
        shape: list[object] = [state.mode]
        for k, layer in enumerate(snap.layers):
            W, b = {"gradients": (layer.dW, layer.db), "weights": (layer.W, layer.b),
                    "updates": (layer.update_W, layer.update_b)}[state.mode]
            scale = colors.scale_of(W, b)
            text.append(f"layer {k + 1} ({layer.activation})\n", style="italic")
            text.append(" " * LABEL)
            for i in range(layer.units):
                text.append(names[k + 1][i][: WIDTH - 1].rjust(WIDTH - 1) + " ", style="bold")
            text.append("\n")
            rows = list(range(W.shape[0]))
            if len(rows) > MAX_ROWS:
                # the selected sample's own inputs first: their weights are the ones its gradient touches
                active = np.flatnonzero(snap.inputs[s]).tolist() if k == 0 else []
                rows = active[:MAX_ROWS] or rows[:MAX_ROWS]
            shape.append(len(rows))
            for j in rows:
                self._row(text, names[k][j], [(W[j, i], (k, "W", (j, i))) for i in range(layer.units)], scale, state)
            if len(rows) < W.shape[0]:
                text.append(f"… {W.shape[0] - len(rows)} more rows\n", style="dim")
            self._row(text, "+1", [(b[i], (k, "b", (i,))) for i in range(layer.units)], scale, state)
            d = layer.delta[s]
            dscale = colors.scale_of(d)
            text.append("δ".ljust(LABEL), style="bold")
            for i in range(layer.units):
                text.append(colors.fmt(d[i], WIDTH - 1), style=colors.cell(d[i], dscale))
                text.append(" ")
            text.append("\n")
        text.append(f"δ = dE/du for sample {s + 1}; a row holds the weights from one unit", style="dim")
        self.show_content(text, tuple(shape))

    def _row(self, text: Text, label: str, cells, scale: float, state: ViewState) -> None:
        text.append(label[: LABEL - 1].ljust(LABEL))
        for value, where in cells:
            selected = state.selected_at == where
            style = colors.cell(float(value), scale, selected)
            text.append(colors.fmt(float(value), WIDTH - 1), style=style + colors.REVERSE if selected else style)
            text.append(" ")
        text.append("\n")
