"""Races on the screen: the ghosts' curves and legend on the loss plot, the race table, the landscape's paths,
the keys G, ctrl+g and U."""

from __future__ import annotations

import math

import numpy as np
import pytest
from textual.widgets import Input

from nnplay.explain import Surface
from nnplay.tui import colors
from nnplay.tui.landscape import LandscapeMap
from nnplay.tui.lossplot import LossPlot
from nnplay.tui.pixels import Mark
from nnplay.tui.prompt import Prompt
from nnplay.tui.race_table import RaceTable

from .conftest import make_app, playground, run_async, text_of
from .test_colors import THEMES

SIZES = [(140, 45), (120, 40), (80, 24)]


@pytest.mark.parametrize("size", SIZES)
@run_async
async def test_a_ghost_and_a_changed_setting_show_two_curves_a_legend_and_a_race_table(size):
    app = make_app("bump")
    async with app.run_test(size=size) as pilot:
        screen = playground(app)
        table = screen.query_one(RaceTable)
        assert not table.display  # no ghosts, no table
        await pilot.press("G", "m", "full_stop")
        await pilot.press("5")
        await pilot.pause()
        frame = screen.frame
        assert [r.step for r in frame.race] == [10, 10]
        plot = screen.query_one(LossPlot)
        text = text_of(plot)
        assert "live:" not in text and "ghost 1:" not in text  # the race table is the runs' legend, not rows here
        monitor = plot.plt._active.monitor
        # the second curve is the ghost's (log scale), in another colour than the live run's
        assert monitor.y[1][-1] == pytest.approx(math.log10(frame.race[1].loss_values[-1]))
        assert monitor.color[1][0] != monitor.color[0][0]
        assert table.display and table.size.height >= 3
        rows = text_of(table)
        assert "÷10 at" in rows and "live α 0.95" in rows and "ghost 1 α 0.9" in rows
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert not table.display and screen.frame.race == ()


@run_async
async def test_the_race_table_has_the_runs_numbers_and_a_diverged_ghost_says_where():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        screen.session.pin_ghost(learning_rate=50.0)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        live, ghost = screen.frame.race
        assert live.step == 300 and ghost.diverged_at is not None
        rows = text_of(screen.query_one(RaceTable))
        assert f"diverged ({ghost.diverged_at})" in rows
        assert colors.number(live.loss, ".3g") in rows and str(live.tenth_at) in rows


@run_async
async def test_with_a_test_set_and_classes_the_table_still_names_every_run_at_120_by_40():
    app = make_app("circle")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        for changes in ({"momentum": 0.0}, {"learning_rate": 2.0}, {"batch_size": 16}):
            screen.session.pin_ghost(**changes)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        lines = text_of(screen.query_one(RaceTable)).split("\n")
        assert lines[0].split() == ["run", "loss", "÷10", "at"]  # no room for the test loss and accuracy
        live = screen.frame.race[0]
        assert colors.number(live.loss, ".3g") in lines[1]
        assert all(f"ghost {n} {screen.frame.race[n].label}" in lines[n + 1] for n in (1, 2, 3))  # each run named


@run_async
async def test_the_landscape_has_each_ghosts_path_and_its_key():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        await pilot.press("G", "m", "m")
        screen.carry_out(screen.presenter.set_explain("landscape"))
        await pilot.press("greater_than_sign")
        for _ in range(50):
            await pilot.pause(0.05)
            landscape = screen.query_one(LandscapeMap)
            if landscape._framed is not None and "·1" in text_of(landscape):
                break
        assert "·1 ghosts" in text_of(landscape)  # the key names the ghost's path
        a, b = screen.session.landscape_pair  # type: ignore[misc]
        ghost = screen.session._ghosts[0].trainer
        assert screen.frame.race[1].path[-1] == (ghost.params[a], ghost.params[b])  # where the ghost is now


def test_a_ghosts_path_is_drawn_in_its_colour_ending_in_its_number():
    surface = Surface(np.linspace(-1, 1, 21), np.linspace(1, -1, 11), np.ones((11, 21)), (0.0, 0.0))
    red = colors.GHOST_COLOURS[0]
    marks = LandscapeMap._place(surface, [(0.0, 0.5), (0.0, 0.2)], 21, 11,
                                [(1, red, [(-1.0, -1.0), (-0.5, -0.8), (0.0, -0.6)])])
    assert marks[(10, 0)] == Mark("·", red) and marks[(9, 5)] == Mark("·", red)
    assert marks[(8, 10)] == Mark("1", red)  # the ghost's last point: its number
    assert marks[(5, 10)].glyph == "◆" and marks[(4, 10)].glyph == "•"  # the live run's path, as before
    # where a ghost is now shows over the live run's path, which covers the rest of the ghost's
    marks = LandscapeMap._place(surface, [(0.0, -0.6), (-0.5, -0.8)], 21, 11,
                                [(1, red, [(-0.5, -0.8), (0.0, -0.6)])])
    assert marks[(8, 10)] == Mark("1", red) and marks[(9, 5)].glyph == "•"


@run_async
async def test_u_asks_for_a_positive_number_and_runs_until_the_loss_is_below_it():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        loss = screen.session.trainer.current_loss()
        await pilot.press("U")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        field = app.screen.query_one(Input)
        assert float(field.value) == pytest.approx(loss / 10, rel=1e-2)  # a tenth of the loss now, offered
        field.value = ""
        await pilot.press("minus", "1", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)  # a wrong value keeps it open, saying why
        assert "Not a positive number" in str(app.screen.query_one("#problem").render())
        await pilot.press("backspace", "backspace", "0", ".", "0", "1", "enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.session.running and screen.frame.reached:
                break
        n = screen.session.trainer.step_count
        history = screen.session.trainer.history
        assert history.at(n) < 0.01 <= history.at(n - 1)
        assert screen.frame.reached == f"Loss below 0.01 at step {n}."


@pytest.mark.parametrize("name", THEMES)
def test_the_ghosts_colours_read_on_every_theme_and_differ(name):
    palette = colors.palette(make_app().get_theme(name))
    assert len(set(palette.ghosts)) == len(colors.GHOST_COLOURS)
    for colour in palette.ghosts:
        assert colors.contrast(colour, palette.background) >= colors.TEXT_CONTRAST, (name, colour)


@run_async
async def test_running_keeps_the_ghosts_in_step_and_r_pauses_them_all():
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        await pilot.press("G", "right_square_bracket", "r")
        await pilot.pause(0.3)
        await pilot.press("r")
        await pilot.pause()
        session = screen.session
        assert not session.running and session.trainer.step_count > 0
        assert session._ghosts[0].trainer.step_count == session.trainer.step_count
        live, ghost = screen.frame.race
        assert (live.label, ghost.label) == ("η 1", "η 0.5") and live.step == ghost.step
