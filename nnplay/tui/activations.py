"""Layer activations for the selected sample: u and z of every unit, as numbers and colour, then its target and
its own loss e (during a walk, known from the loss phase on).

Drawn on the Line API (``ScrolledLines``): only the lines in view are built.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style

from ..playground import ViewState
from . import colors
from .cached_lines import ScrolledLines
from .scales import bar_length

BAR = 8
NAME = 11  # the name column's least width; it grows for longer names, up to LONGEST_NAME …
LONGEST_NAME = 20  # … beyond which a name is cut with an ellipsis
BOLD, DIM = Style(bold=True), Style(dim=True)


class ActivationsPane(ScrolledLines):
    """u = z_prev · W + b and z = f(u) for each unit, for one sample."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_lines = self.fixed_lines = 1
        # too short for it all, it shows its end (the output rows and the target, which the loss is made of)
        # unless the learner scrolled up; scrolled back down, it follows the end again
        self.follows_end = True
        self._lines_of: list[tuple] = []  # what each line shows: ("input", i), ("unit", layer, i) …
        self._scales: list[float] = []    # the colour scale of the inputs, then of each layer's z
        self._name_width = NAME

    def measure(self, state: ViewState) -> tuple[int, int]:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        x = snap.inputs[s]
        lines: list[tuple] = [("title",), ("inputs",)]
        if len(x) > 12:
            shown = [i for i in range(len(x)) if x[i] != 0]
            lines += [("input", i) for i in shown] + [("zeros", len(x) - len(shown))]
        else:
            lines += [("input", i) for i in range(len(x))]
        self._scales = [colors.scale_of(x)]
        for k, layer in enumerate(snap.layers):
            lines += [("layer", k), ("uz",)] + [("unit", k, i) for i in range(layer.units)]
            self._scales.append(max(colors.scale_of(layer.z[s]), 1.0))
        lines += [("target",), ("loss",)]
        self._lines_of = lines
        longest = max(len(name) for layer in state.names for name in layer) if state.names else 0
        self._name_width = n = min(max(NAME, longest + 1), LONGEST_NAME)
        return max(n + 15 + BAR, n + 7 + 7 * snap.targets.shape[1], n + 13 + len(_loss_note(state))), len(lines)

    def _name_cell(self, name: str) -> str:
        """``name`` in the name column: whole, or cut with an ellipsis (never silently)."""
        n = self._name_width
        return (name if len(name) < n else name[: n - 2] + "…").ljust(n)

    def _bar(self, value: float, scale: float) -> Segment:
        filled = bar_length(abs(value), scale, BAR)
        return Segment("█" * filled + "·" * (BAR - filled), self.style_of(colors.style(colors.signed(value, scale))))

    def content_line(self, line: int, x0: int, x1: int) -> list[Segment]:
        assert self.state is not None
        state, style = self.state, self.style_of
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        names = state.names
        what = self._lines_of[line]
        kind = what[0]
        if kind == "title":
            return [Segment(f"sample {s + 1} of {snap.inputs.shape[0]} (n / p: next / previous)", style(DIM))]
        if kind == "inputs":
            return [Segment("inputs".ljust(self._name_width + 8) + "x", style(BOLD))]
        if kind == "zeros":
            return [Segment(f"the other {what[1]} inputs are 0", style(DIM))]
        if kind == "input":
            value, scale = float(snap.inputs[s, what[1]]), self._scales[0]
            return [Segment(self._name_cell(names[0][what[1]]) + " " * 7, style(None)),
                    Segment(colors.fmt(value, 6), style(colors.cell(value, scale))), Segment(" ", style(None)),
                    self._bar(value, scale)]
        if kind == "layer":
            k = what[1]
            title = "output" if k == len(snap.layers) - 1 else f"layer {k + 1}"
            return [Segment(f"{title}: z = {snap.layers[k].activation}(u)", style(BOLD))]
        if kind == "uz":
            return [Segment(" " * self._name_width + "     u      z", style(BOLD))]
        if kind == "unit":
            k, i = what[1], what[2]
            u, z, scale = float(snap.layers[k].u[s, i]), float(snap.layers[k].z[s, i]), self._scales[k + 1]
            unknown = state.unknown
            return [Segment(self._name_cell(names[k + 1][i]) + colors.fmt(u, 6, unknown) + " ", style(None)),
                    Segment(colors.fmt(z, 6, unknown), style(colors.cell(z, scale, unknown=unknown))), Segment(" ", style(None)),
                    self._bar(z, scale)]
        if kind == "target":
            return [Segment("target".ljust(self._name_width + 7), style(BOLD)),
                    Segment(" ".join(colors.fmt(v, 6) for v in snap.targets[s]), style(None))]
        # the sample's own loss: what the loss phase of a walk computes for each sample before E
        return [Segment("loss e".ljust(self._name_width + 7), style(BOLD)),
                Segment(colors.fmt(state.sample_loss, 6, state.unknown), style(None)),
                Segment(_loss_note(state), style(DIM))]


def _loss_note(state: ViewState) -> str:
    return f"  = {state.frame.snapshot.settings.loss}(y, t)"
