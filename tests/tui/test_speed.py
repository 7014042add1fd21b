"""The panes that grow with the data draw only what is in view; the playground imports only what its first
frame needs; the slow work (landscape, saving) stays off the interface thread."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from nnplay.scenario import load
from nnplay.tui.activations import ActivationsPane
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.gradients import GradientsPane
from nnplay.tui.table_view import TableView

from .conftest import run_async

pytestmark = pytest.mark.slow


def big_table(tmp_path, samples: int = 300, inputs: int = 12, batch: int = 8) -> str:
    rng = np.random.default_rng(0)
    rows = ", ".join("[" + ", ".join(f"{v:.2f}" for v in row) + "]" for row in rng.random((samples, inputs)))
    targets = ", ".join(str(int(t)) for t in rng.integers(0, 4, samples))
    path = tmp_path / "big.toml"
    path.write_text(f'[scenario]\nview = "table"\n[data]\ninputs = [{rows}]\ntargets = [{targets}]\n'
                    'class_names = ["a", "b", "c", "d"]\n'
                    '[network]\nlayers = [{ units = 30, activation = "sigmoid" }, { units = 4, activation = "softmax" }]\n'
                    f'[training]\nloss = "cce"\nbatch_size = {batch}\n')
    return str(path)


def text_of(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


@run_async
async def test_panes_build_only_the_lines_in_view(tmp_path, monkeypatch):
    built: dict[str, int] = {}
    for cls in (TableView, GradientsPane, ActivationsPane):
        original = cls.content_line

        def counting(self, line, x0, x1, original=original, name=cls.__name__):
            built[name] = built.get(name, 0) + 1
            return original(self, line, x0, x1)

        monkeypatch.setattr(cls, "content_line", counting)
    app = PlaygroundApp(load(big_table(tmp_path)))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        built.clear()
        await pilot.press("space")
        await pilot.pause()
        for cls in (TableView, GradientsPane, ActivationsPane):
            widget = app.playground.query_one(cls)
            assert widget.virtual_size.height > widget.size.height  # more lines than fit …
            assert 0 < built[cls.__name__] <= widget.size.height    # … and only those in view were built


@run_async
async def test_the_table_marks_the_next_batch_and_follows_the_selected_sample(tmp_path):
    app = PlaygroundApp(load(big_table(tmp_path)))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.playground
        table = screen.query_one(TableView)
        batch = {int(i) + 1 for i in screen.frame.snapshot.next_batch}
        lines = text_of(table)
        assert lines[0].startswith("▸ next batch (8) · inputs: pane 3")  # (many inputs: not columns)
        marked = {int(line.split()[1]) for line in lines[2:] if line.startswith("▸")}
        shown = {int(line[1:].split()[0]) for line in lines[2:] if line.strip()}
        assert marked == batch & shown and shown  # exactly the batch's rows in view are marked
        for _ in range(60):
            await pilot.press("n")
        await pilot.pause()
        numbers = [line[1:].split()[0] for line in text_of(table)[2:] if line.strip()]
        assert "61" in numbers  # sample 61 selected: scrolled into view
        strip = table.render_line(2 + numbers.index("61"))
        assert any(seg.text.strip() == "61" and seg.style is not None and seg.style.reverse for seg in strip)


@run_async
async def test_the_gradients_pane_scrolls_to_the_selected_weight(tmp_path):
    app = PlaygroundApp(load(big_table(tmp_path)))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.playground
        pane = screen.query_one(GradientsPane)
        assert pane.scroll_x == 0 and pane.scroll_y == 0
        last_hidden = screen.presenter.order.index(screen.session.network.index_of(0, "W", (11, 29)))
        for _ in range(last_hidden):
            screen.action_weight(1)
        await pilot.pause()
        assert pane.scroll_x > 0  # unit 30 is far to the right
        lines = text_of(pane)
        assert any(line.startswith("x12") for line in lines)  # its row in view, the label column fixed
        assert lines[0].startswith("dE/dw")                   # the title stays put


# What the first frame does without: loaded when first used (nnplay.later, or an import in the one function that
# needs it), never by the command's imports or by any bundled scenario's first frame.
NOT_AT_START = ("json", "nnplay.explain", "nnplay.costs", "nnplay.landscape", "nnplay.engine.gradcheck",
                "nnplay.runfile", "nnplay.jsonnumbers", "nnplay.snapshot", "nnplay.compare", "nnplay.tomlwriter",
                "nnplay.serve", "nnplay.tui.prompt", "nnplay.tui.cost_calculator", "nnplay.tui.cost_curves",
                "nnplay.tui.network_editor", "nnplay.tui.data_editor", "nnplay.tui.help", "nnplay.tui.picker")


def test_the_playground_imports_only_what_its_first_frame_needs():
    code = ("import sys, asyncio, nnplay.cli, nnplay.tui.app\n"
            "from nnplay.scenario import bundled_names, load\n"
            f"lazy = {NOT_AT_START!r}\n"
            "print('import:', *[m for m in lazy if m in sys.modules])\n"
            "async def first_frame(name):\n"
            "    async with nnplay.tui.app.PlaygroundApp(load(name)).run_test(size=(140, 45)) as pilot:\n"
            "        await pilot.pause()\n"
            "for name in bundled_names():\n"
            "    asyncio.run(first_frame(name))\n"
            "print('first frames:', *[m for m in lazy if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["import:", "first frames:"]


@run_async
async def test_a_pane_whose_content_changes_size_does_not_lay_the_screen_out_again(tmp_path, monkeypatch):
    from textual.widget import Widget

    app = PlaygroundApp(load("sentiment"))  # each sentence has its own words: the activations change length
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        pane = app.playground.query_one(ActivationsPane)
        layouts: list[str] = []
        original = Widget.refresh

        def refresh(self, *args, layout: bool = False, **kwargs):
            if layout:
                layouts.append(type(self).__name__)
            return original(self, *args, layout=layout, **kwargs)

        monkeypatch.setattr(Widget, "refresh", refresh)
        heights = set()
        for _ in range(6):
            await pilot.press("n")
            await pilot.pause()
            heights.add(pane.virtual_size.height)
        assert len(heights) > 1                # the content changed size …
        assert "ActivationsPane" not in layouts  # … and no new layout was asked for it


@run_async
async def test_the_objects_of_the_start_are_frozen_and_the_collector_on_once_the_first_frame_is_drawn():
    """The command starts with the collector off (nnplay.cli._playground): the app turns it on."""
    import gc

    gc.unfreeze()
    gc.disable()
    try:
        app = PlaygroundApp(load("xor"))
        async with app.run_test(size=(140, 45)) as pilot:
            await pilot.pause()
            assert gc.get_freeze_count() > 0
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


@run_async
async def test_the_big_panes_scroll_with_the_keyboard_and_keep_their_header(tmp_path):
    app = PlaygroundApp(load(big_table(tmp_path)))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        for cls in (TableView, GradientsPane, ActivationsPane):
            pane = app.playground.query_one(cls)
            top = text_of(pane)[0]
            pane.focus()
            await pilot.press("pagedown", "down")
            await pilot.pause()
            assert pane.scroll_y > 0 and text_of(pane)[0] == top  # the content moved, its first line stayed
        table = app.playground.query_one(TableView)
        numbers = [line[1:].split()[0] for line in text_of(table)[2:] if line.strip()]
        assert numbers[0] != "1" and text_of(table)[1].split()[0] == "#"  # scrolled rows under the header
