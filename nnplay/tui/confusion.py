"""The confusion matrices (classification): how many samples of each true class the network puts in each class.

One block a set, side by side: the training set's, then the test set's (with
one). Rows are the true class, columns the predicted one, the classes named on
both; the diagonal (right) is bold on blue, the mistakes that are not zero are
on orange, zeros are dim, so it reads without colour too. Drawn on the Line API
(``ScrolledLines``): the class names of the rows stay put when it scrolls
sideways, the titles and the header when it scrolls down.

The view above them keeps at least ``MIN_VIEW_ROWS`` rows of its pane: where
the matrices would leave it fewer, one line says how to see them instead
(``fit``, called by the pane as it is resized).
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style

from ..playground import ViewState
from . import colors
from .cached_lines import ScrolledLines

NAME = 8          # at most these characters of a class's name at the start of its row
GAP = " │ "       # between two blocks
BOLD, DIM = Style(bold=True), Style(dim=True)
RIGHT = colors.style(colors.text_on(colors.POSITIVE), colors.POSITIVE, bold=True)
WRONG = colors.style(colors.text_on(colors.NEGATIVE), colors.NEGATIVE)
KEY = "rows: true class · columns: predicted"
MIN_VIEW_ROWS = 9  # the rows of the pane the view (a decision map with its key and axis) keeps above the matrices
MAXIMISE = "confusion matrices: maximise with 2"


def lines_for(classes: int) -> int:
    """The lines of the matrices of ``classes`` classes: the key, the header (the set, the classes), a row a class."""
    return classes + 2


class ConfusionView(ScrolledLines):
    DEFAULT_CSS = """
    ConfusionView { height: auto; }
    """

    def __init__(self, classes: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self._lines_needed = lines_for(classes)
        self.styles.height = self._lines_needed  # (too wide, its sideways scrollbar hides the last row: it scrolls)
        self.display = False  # until a snapshot has the matrices
        self.note = ""   # instead of the matrices, where they would squeeze the view (``fit``)
        self._label = 0  # the width of the rows' names (and of the set's name above them)
        self._cell = 0   # the width of a count's column

    def fit(self, room: int, maximised: bool) -> None:
        """The matrices in a pane with ``room`` rows (``maximised``: it cannot grow with the 2 key), or one line
        instead, if they would leave the view fewer than MIN_VIEW_ROWS."""
        missing = self._lines_needed + MIN_VIEW_ROWS - room
        note = "" if missing <= 0 else f"confusion matrices: {missing} rows short" if maximised else MAXIMISE
        if note == self.note:
            return
        self.note = note
        self.styles.height = 1 if note else self._lines_needed
        if self.state is not None:
            self.show(self.state)

    def show(self, state: ViewState) -> None:
        """The matrices, or nothing (not even the lines) while the snapshot has none."""
        shown = state.confusion is not None
        if self.display != shown:
            self.display = shown
        super().show(state)

    def measure(self, state: ViewState) -> tuple[int, int]:
        confusion = state.confusion
        self.title_lines, self.fixed_lines = (1, 1) if self.note else (1, 2)
        if confusion is None:
            return 0, 0
        if self.note:  # cut to the pane's width: it never scrolls
            self.fixed_columns = 0
            return 0, 1
        names = confusion.class_names
        largest = max(int(m.max(initial=0)) for _, m in confusion.matrices)
        titles = [title for title, _ in confusion.matrices]
        self._label = max(*(len(n[:NAME]) for n in names), *(len(t) for t in titles)) + 1
        self._cell = max(3, len(str(largest))) + 1  # a column's name cut to fit: the row's name is whole
        self.fixed_columns = self._label
        block = self._label + len(names) * self._cell
        width = len(titles) * block + (len(titles) - 1) * len(GAP)
        return max(width, len(KEY)), lines_for(len(names))

    def content_line(self, line: int, x0: int, x1: int) -> list[Segment]:
        assert self.state is not None
        confusion = self.state.confusion
        style = self.style_of
        if confusion is None:
            return []
        if line == 0:
            return [Segment(self.note or KEY, style(DIM))]
        segments: list[Segment] = []
        for b, (title, matrix) in enumerate(confusion.matrices):
            if b:
                segments.append(Segment(GAP, style(DIM)))
            if line == 1:
                segments.append(Segment(title.ljust(self._label), style(BOLD)))
                segments += [Segment(n[:self._cell - 1].rjust(self._cell), style(BOLD)) for n in confusion.class_names]
            else:
                row = line - 2
                segments.append(Segment(confusion.class_names[row][:NAME].ljust(self._label), style(BOLD)))
                segments += [Segment(str(int(count)).rjust(self._cell), style(self._count_style(row, col, count)))
                             for col, count in enumerate(np.asarray(matrix)[row].tolist())]
        return segments

    @staticmethod
    def _count_style(row: int, col: int, count: int) -> Style:
        """The diagonal bold on blue, a mistake on orange, a zero dim."""
        if row == col:
            return RIGHT
        return WRONG if count else DIM
