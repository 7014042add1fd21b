"""The table view: every training sample's inputs, target and the network's prediction."""

from __future__ import annotations

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..playground import ViewState
from . import colors
from .live import LiveStatic
from .scales import window

MAX_ROWS = 50  # rows drawn, around the selected sample: a big data set is read with n and p


class TableView(LiveStatic):
    DEFAULT_CSS = """
    TableView { width: auto; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        names = state.names
        table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
        table.add_column("#", justify="right")
        n_in = snap.inputs.shape[1]
        for i in range(min(n_in, 8)):
            table.add_column(Text(names[0][i]), justify="right")  # names are shown as written, never as markup
        for name in names[-1]:
            table.add_column(Text(f"target {name}"), justify="right")
            table.add_column(Text(f"output {name}"), justify="right")
        table.add_column("|error|", justify="right")
        rows = window(state.sample, len(snap.inputs), MAX_ROWS)
        for s in rows:
            cells: list[RenderableType] = [Text(str(s + 1), style="reverse" if s == state.sample else "")]
            cells += [colors.fmt(v, 6) for v in snap.inputs[s, :8]]
            for t, y in zip(snap.targets[s], snap.outputs[s]):
                cells += [colors.fmt(t, 6), Text(colors.fmt(y, 6), style=colors.cell(y - t, 1.0))]
            cells.append(colors.fmt(float(np.abs(snap.outputs[s] - snap.targets[s]).max()), 6))
            table.add_row(*cells)
        if len(rows) < len(snap.inputs):
            note = Text(f"samples {rows.start + 1} to {rows.stop} of {len(snap.inputs):,} (n / p: next / previous)",
                        style="dim")
            self.show_content(Group(table, note), (len(rows), True))
            return
        self.show_content(table, (len(rows), len(rows) < len(snap.inputs)))
