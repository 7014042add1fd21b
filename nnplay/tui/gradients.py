"""Per-layer heat maps of the gradients (or the weights, or the last updates), with numbers.

Rows are the units a weight comes from (and the bias unit +1), columns the
units it goes to. Under each map: the deltas dE/du of the layer's units for
the selected sample.
"""

from __future__ import annotations

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from . import colors
from .state import ViewState

MAX_ROWS = 40
WIDTH = 7


class GradientsPane(Static):
    DEFAULT_CSS = """
    GradientsPane { width: auto; height: auto; }
    """

    TITLES = {"gradients": "dE/dw on the whole training set", "weights": "the weights w",
              "updates": "the last update Δw = −η·dE/dw + α·Δw_prev"}

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        names = state.names
        parts = [Text(self.TITLES[state.mode], style="bold")]
        for k, layer in enumerate(snap.layers):
            W, b = {"gradients": (layer.dW, layer.db), "weights": (layer.W, layer.b),
                    "updates": (layer.update_W, layer.update_b)}[state.mode]
            scale = colors.scale_of(W, b)
            table = Table(box=None, padding=(0, 0), show_edge=False, pad_edge=False,
                          title=f"layer {k + 1} ({layer.activation})", title_justify="left", title_style="italic")
            table.add_column("", no_wrap=True)
            for i in range(layer.units):
                table.add_column(names[k + 1][i][:WIDTH], justify="right", no_wrap=True, min_width=WIDTH)
            rows = list(range(W.shape[0]))
            if len(rows) > MAX_ROWS:
                # the sample's own inputs first: those are the weights its gradient touches
                active = set(np.flatnonzero(snap.inputs[s])) if k == 0 else set()
                rows = sorted(active)[:MAX_ROWS] or rows[:MAX_ROWS]
            for j in rows:
                table.add_row(names[k][j][:10] + " ", *(self._cell(W[j, i], scale, k, "W", (j, i), state) for i in range(layer.units)))
            if len(rows) < W.shape[0]:
                table.add_row(Text(f"… {W.shape[0] - len(rows)} rows", style="dim"), *([""] * layer.units))
            table.add_row("+1 ", *(self._cell(b[i], scale, k, "b", (i,), state) for i in range(layer.units)))
            d = layer.delta[s]
            dscale = colors.scale_of(d)
            table.add_row(Text("δ ", style="bold"), *(Text(colors.fmt(d[i], WIDTH - 1) + " ", style=colors.cell(d[i], dscale)) for i in range(layer.units)))
            parts.append(table)
        parts.append(Text(f"δ = dE/du for sample {s + 1}; each row of a map is a unit the weights come from", style="dim"))
        self.update(Group(*parts))

    def _cell(self, value, scale, layer, kind, pos, state: ViewState) -> Text:
        bold = state.selected_at == (layer, kind, pos)
        text = Text(colors.fmt(float(value), WIDTH - 1) + " ", style=colors.cell(float(value), scale, bold))
        if bold:
            text.stylize("reverse")
        return text
