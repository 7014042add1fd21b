"""CachedLines repaints only the lines a new state changes, and the screen then shows the new state whole."""

from rich.segment import Segment
from textual.app import App
from textual.geometry import Region
from textual.strip import Strip

from nnplay.tui.cached_lines import CachedLines

from .conftest import run_async


def on_screen(app) -> list[str]:
    """The screen's lines as the compositor paints them (its cache of each widget's styled lines included)."""
    return [strip.text.strip() for strip in app.screen._compositor.render_strips()]


class Lines(CachedLines):
    """Draws its state, a list of strings, a line each."""

    def render_row(self, y: int) -> Strip:
        return Strip([Segment(self.state[y] if self.state else "")])  # type: ignore[index]


class One(App):
    def compose(self):
        yield Lines()


@run_async
async def test_a_new_state_repaints_only_the_lines_it_changes():
    app = One()
    async with app.run_test(size=(20, 4)) as pilot:
        lines = app.query_one(Lines)
        lines.show(["a", "b", "c", "d"])
        await pilot.pause()
        painted: list[Region] = []
        original = lines.refresh

        def refresh(*regions, **kwargs):
            painted.append(regions)
            return original(*regions, **kwargs)

        lines.refresh = refresh  # type: ignore[method-assign]
        lines.show(["a", "B", "C", "d"])
        assert painted == [(Region(0, 1, 20, 2),)]  # lines 1 and 2, in one region
        await pilot.pause()
        assert on_screen(app) == ["a", "B", "C", "d"]
        painted.clear()
        lines.show(["a", "B", "C", "d"])  # nothing changed: nothing to paint
        assert painted == []
        lines.show(["x", "B", "C", "y"])
        assert painted == [(Region(0, 0, 20, 1),), (Region(0, 3, 20, 1),)]
        await pilot.pause()
        assert on_screen(app) == ["x", "B", "C", "y"]
