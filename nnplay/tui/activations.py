"""Layer activations for the selected sample: u and z of every unit, as numbers and colour."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from . import colors
from .live import LiveStatic
from .scales import bar_length

BAR = 8
NAME = 11


def _bar(text: Text, value: float, scale: float) -> None:
    filled = bar_length(abs(value), scale, BAR)
    text.append("█" * filled + "·" * (BAR - filled), style=colors.style(colors.signed(value, scale)))


class ActivationsPane(LiveStatic):
    """u = z_prev · W + b and z = f(u) for each unit, for one sample."""

    DEFAULT_CSS = """
    ActivationsPane { width: 100%; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        names = state.names
        x = snap.inputs[s]
        text = Text(f"sample {s + 1} of {snap.inputs.shape[0]} (n / p: next / previous)\n", style="dim")
        text.append("inputs".ljust(NAME + 8) + "x\n", style="bold")
        scale = colors.scale_of(x)
        shown = [i for i in range(len(x)) if x[i] != 0] if len(x) > 12 else list(range(len(x)))
        for i in shown:
            text.append(names[0][i][: NAME - 1].ljust(NAME + 7))
            text.append(colors.fmt(x[i], 6), style=colors.cell(x[i], scale))
            text.append(" ")
            _bar(text, x[i], scale)
            text.append("\n")
        if len(x) > 12:
            text.append(f"the other {len(x) - len(shown)} inputs are 0\n", style="dim")
        for k, layer in enumerate(snap.layers):
            title = "output" if k == len(snap.layers) - 1 else f"layer {k + 1}"
            text.append(f"{title}: z = {layer.activation}(u)\n", style="bold")
            text.append(" " * NAME + "     u      z\n", style="bold")
            u, z = layer.u[s], layer.z[s]
            scale = max(colors.scale_of(z), 1.0)
            for i in range(layer.units):
                text.append(names[k + 1][i][: NAME - 1].ljust(NAME))
                text.append(colors.fmt(u[i], 6))
                text.append(" ")
                text.append(colors.fmt(z[i], 6), style=colors.cell(z[i], scale))
                text.append(" ")
                _bar(text, z[i], scale)
                text.append("\n")
        text.append("target".ljust(NAME + 7), style="bold")
        text.append(" ".join(colors.fmt(v, 6) for v in snap.targets[s]))
        self.show_content(text, (s, len(shown)))
