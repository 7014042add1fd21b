"""LiveStatic: a Static that is redrawn many times a second without relayout.

Static.update() normally reflows the whole screen, which costs far more than
drawing the content. A pane passes a small ``shape`` with its content (what
decides its size: the rows it shows, say); the layout is redone only when the
shape changes.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.text import Text
from textual.widgets import Static


class LiveStatic(Static):
    _shape: Hashable = object()

    def show_content(self, content, shape: Hashable) -> None:
        self.update(content, layout=shape != self._shape)
        self._shape = shape

    def show_text(self, text: Text) -> None:
        """``text``, its shape the number of lines it wraps to at the widget's width: a line that grows
        past the width (a longer number, a batch named) gets the room it needs."""
        width = self.content_size.width
        self.show_content(text, len(text.wrap(self.app.console, width)) if width > 0 else 0)
