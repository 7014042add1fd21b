"""CachedLines and ScrolledLines: the two ways the widgets draw on the Line API.

CachedLines is for pictures the size of their pane (the diagram, the maps);
ScrolledLines, at the end, for tables larger than their pane, which scroll.

A widget draws a ``ViewState`` one line at a time (``render_line(y)`` gives a
``Strip``) and keeps each line's strip until something it is drawn from
changes: the next state, the size, or (``invalidate``) anything else, such as
the theme or the focus. ``prepare`` does the NumPy work once for all the lines:
as the state arrives when the widget has a size (while the training thread
waits), otherwise before the first line is drawn. ``render_row`` builds one line.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
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
        """Draw ``state``: only the lines that differ from those on screen are painted again (while a run
        goes on, most of a diagram's lines stay as they were from one frame to the next)."""
        self.state = state
        width, height = self.size.width, self.size.height
        before = self._strips if self._prepared_size == (width, height) else {}
        if not (width and height and len(before) == height):
            self.invalidate()  # not drawn whole at this size yet: every line
            if width and height:
                self._renew()
            return
        self._strips = {}  # before keeps the lines on screen
        self._renew()
        changed = [y for y in range(height) if self.render_line(y) != before[y]]
        for first, last in _runs(changed):
            self.refresh(Region(0, first, width, last - first + 1))

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


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of consecutive rows, (first, last): [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for y in rows:
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


class ScrolledLines(ScrollView):
    """The Line API for a pane whose content is larger than the pane: a table or a heat map.

    Only the lines in view are drawn (``content_line(line, x0, x1)``, the
    cells that reach the columns from x0 to x1), each kept until the state, the
    size, the horizontal scroll or ``invalidate`` changes it, so the cost of a
    frame follows what is visible, not the data's size. The first ``fixed_lines``
    lines (titles, a header) stay put when the rest scrolls up, and the first
    ``fixed_columns`` columns (row labels) when the rest scrolls sideways; the
    first ``title_lines`` lines (a title, a key) never scroll.
    """

    DEFAULT_CSS = """
    ScrolledLines { width: 1fr; height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: ViewState | None = None
        self._lines: dict[int, Strip] = {}
        self._styles: dict[Style | None, Style] = {}
        self._drawn_at: tuple[int, int, int] | None = None  # (width, height, scroll_x) of the cached lines
        self.title_lines = 0
        self.fixed_lines = 0
        self.fixed_columns = 0
        self.follows_end = False  # at its end before a new state, it shows the end of the new one
        self._at_end = True  # whether it was at its end at the last state it was shown (for a hidden pane: before)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda theme: self.invalidate())

    def show(self, state: ViewState) -> None:
        # (or it all fits); a hidden pane (a tab not shown) has no size to scroll in: it keeps what it was
        at_end = self.scroll_y >= self.max_scroll_y if self.size.height else self._at_end
        self._at_end = at_end
        self.state = state
        size = Size(*self.measure(state))
        if size != self.virtual_size:
            # Not ``self.virtual_size = size``, which lays the whole screen out again (100 ms at
            # 140 x 45) though this pane keeps its size: only the scrollbars follow, and they ask for
            # a new layout themselves when one appears or goes.
            self.set_reactive(ScrolledLines.virtual_size, size)
            self._scroll_update(size)
        if self.follows_end and at_end:
            self.scroll_end(animate=False, x_axis=False)  # after the refresh: at the size it is laid out at
        self.invalidate()

    def on_resize(self) -> None:
        """Shown again (a tab chosen on a small terminal) or resized: still at its end if it was."""
        if self.follows_end and self._at_end:
            self.call_after_refresh(self.scroll_end, animate=False, x_axis=False)

    def invalidate(self) -> None:
        self._lines.clear()
        self._styles.clear()
        self.refresh()

    def measure(self, state: ViewState) -> tuple[int, int]:
        """The content's width and height for ``state`` (override); also where ``fixed_*`` are set."""
        raise NotImplementedError

    def content_line(self, line: int, x0: int, x1: int) -> list[Segment]:
        """The segments of content line ``line`` (override), each cell from column 0 on at its own place;
        the cells entirely outside the columns ``x0`` to ``x1`` may be left blank."""
        raise NotImplementedError

    def style_of(self, extra: Style | None) -> Style:
        """``extra`` on the widget's own style (the theme's colours)."""
        combined = self._styles.get(extra)
        if combined is None:
            base = self.rich_style
            combined = self._styles[extra] = base if extra is None else base + extra
        return combined

    def view_line(self, y: int) -> int:
        """The content line drawn on line ``y`` of the widget."""
        return y if y < self.fixed_lines else y + round(self.scroll_y)

    def render_line(self, y: int) -> Strip:
        width, scroll_x = self.size.width, round(self.scroll_x)
        if self._drawn_at != (width, self.size.height, scroll_x):
            self._lines.clear()
            self._drawn_at = (width, self.size.height, scroll_x)
        line = self.view_line(y)
        strip = self._lines.get(line)
        if strip is None:
            strip = self._lines[line] = self._draw_line(line, width, scroll_x)
        return strip

    def _draw_line(self, line: int, width: int, scroll_x: int) -> Strip:
        base = self.rich_style
        if self.state is None or line >= self.virtual_size.height:
            return Strip.blank(width, base)
        if line < self.title_lines:
            return self._strip(self.content_line(line, 0, width)).crop_extend(0, width, base)
        fixed = min(self.fixed_columns, width)
        start = fixed + scroll_x
        whole = self._strip(self.content_line(line, start, start + width - fixed))
        if not fixed:
            return whole.crop_extend(scroll_x, scroll_x + width, base)
        return Strip.join([whole.crop_extend(0, fixed, base), whole.crop_extend(start, start + width - fixed, base)])

    @staticmethod
    def _strip(segments: list[Segment]) -> Strip:
        return Strip(segments, sum(cell_len(s.text) for s in segments))

    def show_line(self, line: int) -> None:
        """Scroll so that content line ``line`` is in view (below the fixed lines)."""
        if line < self.fixed_lines:
            return
        room = max(1, self.size.height - self.fixed_lines)
        top = round(self.scroll_y) + self.fixed_lines
        if line < top:
            self.scroll_to(y=line - self.fixed_lines, animate=False)
        elif line >= top + room:
            self.scroll_to(y=line - self.fixed_lines - room + 1, animate=False)
