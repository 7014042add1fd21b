"""Per-layer heat maps of the gradients (or the weights, or the last updates), with numbers.

Rows are the units a weight comes from (and the bias unit +1), columns the
units it goes to. Under each map: the deltas dE/du of the layer's units for
the selected sample. Drawn on the Line API (``ScrolledLines``): only the cells
in view are formatted, so a frame costs the same at 2-2-1 as at 64-32-10; the
row labels stay put when the maps scroll sideways, and selecting a weight
brings it into view.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style

from ..playground import ViewState
from . import colors
from .cached_lines import ScrolledLines

MAX_ROWS = 40   # more rows than this (a vocabulary): the selected sample's own inputs come first
WIDTH = 7       # characters per cell
LABEL = 10      # characters for the row labels
BOLD, DIM, ITALIC = Style(bold=True), Style(dim=True), Style(italic=True)


class GradientsPane(ScrolledLines):
    # short enough for the pane at 120 columns (38 cells): the title does not scroll
    TITLES = {"gradients": "dE/dw, whole set   (g: w, Δw)",
              "weights": "weights w   (g: Δw, dE/dw)",
              "updates": "last update Δw   (g: dE/dw, w)"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_lines = self.fixed_lines = 1
        self.fixed_columns = LABEL
        self._lines_of: list[tuple] = []  # what each line shows: ("row", layer, unit) …
        self._maps: list[tuple[np.ndarray, np.ndarray, float]] = []  # per layer: W, b and their colour scale
        self._shown_selection: object = None

    def measure(self, state: ViewState) -> tuple[int, int]:
        snap = state.frame.snapshot
        s = min(state.sample, snap.inputs.shape[0] - 1)
        lines: list[tuple] = [("title",)]
        self._maps = []
        for k, layer in enumerate(snap.layers):
            W, b = {"gradients": (layer.dW, layer.db), "weights": (layer.W, layer.b),
                    "updates": (layer.update_W, layer.update_b)}[state.mode]
            self._maps.append((W, b, colors.scale_of(W, b)))
            lines += [("layer", k), ("units", k)]
            rows = list(range(W.shape[0]))
            if len(rows) > MAX_ROWS and k == 0:
                # the selected sample's own inputs first: their weights are the ones its gradient touches
                active = np.flatnonzero(snap.inputs[s]).tolist()
                rest = np.flatnonzero(snap.inputs[s] == 0).tolist()
                lines += [("row", k, j) for j in active] + [("others", k, len(rest))] + [("row", k, j) for j in rest]
            else:
                lines += [("row", k, j) for j in rows]
            lines += [("bias", k), ("delta", k)]
        lines.append(("foot",))
        self._lines_of = lines
        if state.selected_at != self._shown_selection and state.selected_at is not None:
            self._shown_selection = state.selected_at  # a newly selected weight is brought into view, once
            self.call_after_refresh(self._show_selected)
        widest = max(layer.units for layer in snap.layers)
        return LABEL + WIDTH * widest, len(lines)

    def _show_selected(self) -> None:
        at = self._shown_selection
        assert isinstance(at, tuple)
        k, kind, where = at
        line = self._lines_of.index(("row", k, where[0]) if kind == "W" else ("bias", k))
        self.show_line(line)
        x = WIDTH * where[-1]
        room = max(WIDTH, self.size.width - LABEL)
        if not round(self.scroll_x) <= x <= round(self.scroll_x) + room - WIDTH:
            self.scroll_to(x=max(0, x - room // 2), animate=False)

    def content_line(self, line: int, x0: int, x1: int) -> list[Segment]:
        assert self.state is not None
        state, style = self.state, self.style_of
        snap = state.frame.snapshot
        what = self._lines_of[line]
        kind = what[0]
        if kind == "title":
            title = self.TITLES[state.mode]
            phase, n = state.phase, len(state.frame.snapshot.inputs)
            if phase is not None and phase.phase.kind != "update" and len(phase.iteration.batch) < n:
                title = title.replace("whole set", "this batch")  # a walk's gradient is its step's, on its minibatch
            return [Segment(title, style(BOLD))]
        if kind == "foot":
            s = min(state.sample, snap.inputs.shape[0] - 1)
            return [Segment(f"δ = dE/du, sample {s + 1} · a row: from one unit", style(DIM))]
        k = what[1]
        if kind == "layer":
            return [Segment(f"layer {k + 1} ({snap.layers[k].activation})", style(ITALIC))]
        if kind == "others":
            return [Segment(f"the other {what[2]} inputs, which sample "
                            f"{min(state.sample, snap.inputs.shape[0] - 1) + 1} does not use:", style(DIM))]
        units = snap.layers[k].units
        first = max(0, (x0 - LABEL) // WIDTH)
        last = min(units, (x1 - LABEL) // WIDTH + 1)  # the cells in view: first to last − 1
        blank_before = Segment(" " * (WIDTH * first), style(None))
        if kind == "units":
            names = state.names[k + 1]
            return [Segment(" " * LABEL, style(None)), blank_before] + [
                Segment(names[i][: WIDTH - 1].rjust(WIDTH - 1) + " ", style(BOLD)) for i in range(first, last)]
        W, b, scale = self._maps[k]
        if kind == "delta":
            d = snap.layers[k].delta[min(state.sample, snap.inputs.shape[0] - 1)]
            dscale = colors.scale_of(d)
            cells = [(float(d[i]), colors.cell(float(d[i]), dscale, unknown=state.unknown))
                     for i in range(first, last)]
            label = "δ"
        else:
            row = b if kind == "bias" else W[what[2]]
            label = "+1" if kind == "bias" else state.names[k][what[2]]
            at = (k, "b", None) if kind == "bias" else (k, "W", what[2])
            sel = state.selected_at
            chosen = sel[2][-1] if sel is not None and (sel[0], sel[1], sel[2][0] if sel[1] == "W" else None) == at \
                else None
            cells = []
            for i in range(first, last):
                value = float(row[i])
                cell = colors.cell(value, scale, i == chosen, state.unknown)
                cells.append((value, cell + colors.REVERSE if i == chosen else cell))
        segments = [Segment(label[: LABEL - 1].ljust(LABEL), style(BOLD if kind == "delta" else None)), blank_before]
        for value, extra in cells:
            segments.append(Segment(colors.fmt(value, WIDTH - 1, state.unknown), style(extra)))
            segments.append(Segment(" ", style(None)))
        return segments
