"""A checkbox that reads as off without colour: X when ticked, a blank when not.

Textual's Checkbox draws X either way and tells the two apart by colour only,
so under NO_COLOR or on a monochrome terminal every box looks ticked.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class Tick(Checkbox):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._draw_value()

    def watch_value(self) -> None:
        self._draw_value()
        super().watch_value()

    def _draw_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
