"""CachedLines: the base of the picture widgets drawn on the Line API.

A widget draws a ``ViewState`` one line at a time and keeps each line's strip
until the next state or a resize. ``prepare`` does the NumPy work as the state
arrives (while the training thread waits), ``render_row`` builds one line.
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
        self._renew()
        self.refresh()

    def _renew(self) -> None:
        self._strips.clear()
        self._prepared_size = (self.size.width, self.size.height)
        self.prepare()

    def prepare(self) -> None:
        """Compute what every line needs (override); called for a new state or size."""

    def render_line(self, y: int) -> Strip:
        if self._prepared_size != (self.size.width, self.size.height):
            self._renew()  # resized (or shown for the first time) since the state arrived
        strip = self._strips.get(y)
        if strip is None:
            strip = self._strips[y] = self.render_row(y)
        return strip

    def render_row(self, y: int) -> Strip:
        raise NotImplementedError
