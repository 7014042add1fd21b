"""CachedLines: the one way the picture widgets draw on the Line API.

A widget draws a ``ViewState`` one line at a time (``render_line(y)`` gives a
``Strip``) and keeps each line's strip until something it is drawn from
changes: the next state, the size, or (``invalidate``) anything else, such as
the theme or the focus. ``prepare`` does the NumPy work once for all the lines:
as the state arrives when the widget has a size (while the training thread
waits), otherwise before the first line is drawn. ``render_row`` builds one line.
"""

from __future__ import annotations

from textual.strip import Strip
from textual.widget import Widget

from ..playground import ViewState


class CachedLines(Widget):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: ViewState | None = None
        self._strips: dict[int, Strip] = {}
        self._prepared_size: tuple[int, int] | None = None

    def show(self, state: ViewState) -> None:
        self.state = state
        self.invalidate()
        if self.size.width and self.size.height:
            self._renew()

    def invalidate(self) -> None:
        """Forget the cached strips: every line is drawn again, after ``prepare``."""
        self._strips.clear()
        self._prepared_size = None
        self.refresh()

    def _renew(self) -> None:
        self._strips.clear()
        self._prepared_size = (self.size.width, self.size.height)
        self.prepare()

    def prepare(self) -> None:
        """Compute what every line needs (override); called for a new state or size, or after ``invalidate``."""

    def render_line(self, y: int) -> Strip:
        if self._prepared_size != (self.size.width, self.size.height):
            self._renew()  # resized, invalidated, or drawn for the first time since the state arrived
        strip = self._strips.get(y)
        if strip is None:
            strip = self._strips[y] = self.render_row(y)
        return strip

    def render_row(self, y: int) -> Strip:
        raise NotImplementedError
