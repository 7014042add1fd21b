"""Layer activations for the selected sample: u and z of every unit, as numbers and colour."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from . import colors
from .state import ViewState

BAR = 8


def _bar(value: float, scale: float) -> Text:
    filled = 0 if scale <= 0 or value != value else min(BAR, round(abs(value) / scale * BAR))
    return Text("█" * filled + "·" * (BAR - filled), style=colors.style(colors.signed(value, scale)))


class ActivationsPane(Static):
    """u = z_prev · W + b and z = f(u) for each unit, for one sample."""

    DEFAULT_CSS = """
    ActivationsPane { width: 100%; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        names = state.names
        x = snap.inputs[s]
        parts = [Text(f"sample {s + 1} of {snap.inputs.shape[0]}   (n / p: next / previous)", style="dim")]
        inputs = _table("inputs", with_u=False)
        scale = colors.scale_of(x)
        shown = [i for i in range(len(x)) if x[i] != 0] if len(x) > 12 else range(len(x))
        for i in shown:
            inputs.add_row(names[0][i], Text(colors.fmt(x[i], 6), style=colors.cell(x[i], scale)), _bar(x[i], scale))
        parts.append(inputs)
        if len(x) > 12:
            parts.append(Text(f"the other {len(x) - len(shown)} inputs are 0", style="dim"))
        for k, layer in enumerate(snap.layers):
            title = "output" if k == len(snap.layers) - 1 else f"layer {k + 1}"
            table = _table(f"{title}: z = {layer.activation}(u)", with_u=True)
            u, z = layer.u[s], layer.z[s]
            scale = max(colors.scale_of(z), 1.0)
            for i in range(layer.units):
                table.add_row(names[k + 1][i], Text(colors.fmt(u[i], 6)),
                              Text(colors.fmt(z[i], 6), style=colors.cell(z[i], scale)), _bar(z[i], scale))
            parts.append(table)
        parts.append(Text("target  " + " ".join(colors.fmt(v, 6) for v in snap.targets[s])))
        self.update(Group(*parts))


def _table(title: str, with_u: bool) -> Table:
    table = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False, title=title,
                  title_justify="left", title_style="bold")
    table.add_column("unit", no_wrap=True, max_width=12, overflow="ellipsis")
    if with_u:
        table.add_column("u", justify="right", no_wrap=True, min_width=6)
    table.add_column("z" if with_u else "x", justify="right", no_wrap=True, min_width=6)
    table.add_column("", no_wrap=True, min_width=BAR)
    return table
