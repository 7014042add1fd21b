"""The confusion matrices (classification): how many samples of each true class the network puts in each class.

One block a set, side by side: the training set's, then the test set's (with
one). Rows are the true class, columns the predicted one, the classes named on
both; the diagonal (right) is bold on blue, the mistakes that are not zero are
on orange, zeros are dim, so it reads without colour too. Drawn on the Line API
(``ScrolledLines``): the class names of the rows stay put when it scrolls
sideways, the titles and the header when it scrolls down.
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


def lines_for(classes: int) -> int:
    """The lines of the matrices of ``classes`` classes: the key, the header (the set, the classes), a row a class."""
    return classes + 2


class ConfusionView(ScrolledLines):
    DEFAULT_CSS = """
    ConfusionView { height: auto; max-height: 45%; }
    """

    def __init__(self, classes: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.title_lines, self.fixed_lines = 1, 2
        self.styles.height = lines_for(classes)  # (too wide, its sideways scrollbar hides the last row: it scrolls)
        self.display = False  # until a snapshot has the matrices
        self._label = 0  # the width of the rows' names (and of the set's name above them)
        self._cell = 0   # the width of a count's column

    def show(self, state: ViewState) -> None:
        """The matrices, or nothing (not even the lines) while the snapshot has none."""
        shown = state.confusion is not None
        if self.display != shown:
            self.display = shown
        super().show(state)

    def measure(self, state: ViewState) -> tuple[int, int]:
        confusion = state.confusion
        if confusion is None:
            return 0, 0
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
            return [Segment(KEY, style(DIM))]
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
