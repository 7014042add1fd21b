"""The lesson pane: the current page of the scenario's guided lesson."""

from __future__ import annotations

from rich.text import Text

from ..playground import ViewState
from .live import LiveStatic


class LessonPane(LiveStatic):
    DEFAULT_CSS = """
    LessonPane { width: 1fr; height: auto; }
    """

    def show(self, state: ViewState) -> None:
        if state.lesson is None:
            self.show_content(Text("This scenario has no lesson.", style="dim"), 0)
            return
        page, index, count = state.lesson
        t = Text()
        t.append(f"{page.title}\n", style="bold")
        t.append(" ".join(page.text.split()) + "\n")
        keys = ([] if index == count - 1 else ["} next"]) + ([] if index == 0 else ["{ back"])
        t.append(" · ".join([f"page {index + 1} of {count}", *keys]) + ("  (the last page)" if index == count - 1 else ""),
                 style="dim")
        self.show_content(t, (index,))
