"""The table view: every training sample's inputs, target and the network's prediction.

Drawn on the Line API (``ScrolledLines``): only the rows and columns in view
are formatted, so a frame costs the same for 4 samples as for 100,000. The
rows of the next batch's samples are marked ▸, the selected sample's number is
reversed; a key on the first line says so.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style

from ..playground import ViewState
from . import colors
from .cached_lines import ScrolledLines

MAX_INPUTS = 8   # more inputs than this (a picture's pixels) are left to the Activations pane: the targets and
                 # outputs, which matter more, come first
NUMBER = 6       # characters of a number
MARK = "▸"       # a sample of the next batch
BOLD, DIM = Style(bold=True), Style(dim=True)


def shown_inputs(n: int) -> int:
    """The input columns of a table of ``n`` inputs: all of a few, none of many."""
    return n if n <= MAX_INPUTS else 0


class TableView(ScrolledLines):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_lines, self.fixed_lines = 1, 2  # the key, then the header
        self._headers: list[str] = []
        self._widths: list[int] = []
        self._starts: list[int] = []
        self._in_batch = np.zeros(0, dtype=bool)
        self._shown_sample: int | None = None

    def measure(self, state: ViewState) -> tuple[int, int]:
        snap = state.frame.snapshot
        n = len(snap.inputs)
        names = state.names
        index_width = len(str(n)) + 2  # the mark, the number, a space
        headers = ["#"] + [names[0][i] for i in range(shown_inputs(snap.inputs.shape[1]))]
        for name in names[-1]:
            headers += [f"target {name}", f"output {name}"]
        headers.append("|error|")
        widths = [index_width] + [min(max(NUMBER, len(h)), 16) + 1 for h in headers[1:]]
        self._headers, self._widths = headers, widths
        self._starts = np.concatenate([[0], np.cumsum(widths)]).tolist()
        self.fixed_columns = index_width
        self._in_batch = np.zeros(n, dtype=bool)
        if len(snap.next_batch) < n:
            self._in_batch[snap.next_batch] = True
        if state.sample != self._shown_sample:  # the selected sample is brought into view, once
            self._shown_sample = state.sample
            self.call_after_refresh(self.show_line, state.sample + self.fixed_lines)
        return self._starts[-1], n + self.fixed_lines

    def key(self) -> str:
        assert self.state is not None
        snap = self.state.frame.snapshot
        n, batch = len(snap.inputs), len(snap.next_batch)
        where = f"{MARK} next batch ({batch})" if batch < n else "full batch: every sample"
        if not shown_inputs(snap.inputs.shape[1]):
            return f"{where} · inputs: pane 3"  # (narrow: the pictures' pane)
        return f"{where} · reversed #: selected"

    def _cells(self, line: int) -> list[tuple[str, Style | None]]:
        assert self.state is not None
        if line == 0:
            return [(self.key(), DIM)]
        if line == 1:
            return [(h[: w - 1].rjust(w - 1) + " ", BOLD) for h, w in zip(self._headers, self._widths)]
        s = line - self.fixed_lines
        return [(MARK if self._in_batch[s] else " ", None),
                (str(s + 1).rjust(self._widths[0] - 2), colors.REVERSE if s == self.state.sample else None),
                (" ", None)]

    def content_line(self, line: int, x0: int, x1: int) -> list[Segment]:
        assert self.state is not None
        style = self.style_of
        segments = [Segment(text, style(extra)) for text, extra in self._cells(line)]
        if line < self.fixed_lines:
            return segments
        snap = self.state.frame.snapshot
        s = line - self.fixed_lines
        n_in = shown_inputs(snap.inputs.shape[1])
        targets, outputs = snap.targets[s], snap.outputs[s]
        for c in range(1, len(self._widths)):
            width = self._widths[c]
            if self._starts[c + 1] <= x0 or self._starts[c] >= x1:
                segments.append(Segment(" " * width, style(None)))  # out of view
                continue
            extra = None
            if c <= n_in:
                value = float(snap.inputs[s, c - 1])
            elif c == len(self._widths) - 1:
                value = float(np.abs(outputs - targets).max())
            else:
                o, is_output = divmod(c - n_in - 1, 2)
                value = float(outputs[o] if is_output else targets[o])
                if is_output:
                    extra = colors.cell(value - float(targets[o]), 1.0)
            segments.append(Segment(colors.fmt(value, NUMBER).rjust(width - 1), style(extra)))
            segments.append(Segment(" ", style(None)))
        return segments
