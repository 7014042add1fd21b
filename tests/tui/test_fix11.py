"""What a learner found trying issue 11's races, optimisers and compare in a terminal (issue 11's fixes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nnplay.tui import colors
from nnplay.tui.landscape import LandscapeMap
from nnplay.tui.lossplot import LossPlot
from nnplay.tui.race_table import RaceTable

from .conftest import make_app, playground, run_async, text_of


@pytest.mark.parametrize("name", ["bump", "xor"])
@run_async
async def test_a_ghost_pinned_at_step_0_draws_the_curves_at_the_start_loss(name):
    app = make_app(name)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = playground(app)
        await pilot.press("G")
        await pilot.pause()
        plot = screen.query_one(LossPlot)
        text = text_of(plot)
        assert "cannot be drawn" not in text
        monitor = plot.plt._active.monitor
        start = math.log10(screen.session.trainer.current_loss())
        assert monitor.y[0][-1] == pytest.approx(start) and monitor.y[1][-1] == pytest.approx(start)
        assert monitor.yticks[0] == [pytest.approx(start)]  # the axis says the start loss, at the curves


async def _landscape_drawn(pilot, screen) -> LandscapeMap:
    for _ in range(100):
        await pilot.pause(0.05)
        landscape = screen.query_one(LandscapeMap)
        if not screen.session.running and landscape._framed is not None and landscape._framed.picture is not None:
            return landscape
    raise AssertionError("no landscape")


@run_async
async def test_the_ghosts_paths_show_on_a_landscape_opened_after_the_race_page_ran():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        race_page = next(i for i, page in enumerate(screen.session.scenario.lessons) if page.action and page.action.race)
        screen.carry_out(screen.presenter.lesson(race_page - screen.presenter.lesson_index))
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.session.running and screen.session.trainer.step_count == 400:
                break
        screen.carry_out(screen.presenter.set_explain("landscape"))  # shown only now: the frame is from before
        landscape = await _landscape_drawn(pilot, screen)
        marks = landscape._framed.picture.marks  # type: ignore[union-attr]
        ghost = colors.palette(app.current_theme).ghosts[0]
        drawn = [mark.glyph for mark in marks.values() if mark.colour == ghost]
        assert "1" in drawn  # where the ghost is (momentum 0 hardly moved: its path is under its number)


@run_async
async def test_a_diverged_ghost_leaves_the_loss_scale_to_the_others_and_its_row_says_where():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        screen.session.pin_ghost(learning_rate=20.0)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        live, ghost = screen.frame.race
        assert ghost.diverged_at is not None
        plot = screen.query_one(LossPlot)
        assert "cannot be drawn" not in text_of(plot)
        top = plot.plt._active.monitor.ylim[0][1]  # log10 of the highest loss the axis shows (legend rows over it)
        highest = max(math.log10(live.loss_values.max()), math.log10(ghost.loss_values[0]))
        lowest = math.log10(live.loss_values.min())
        assert top < highest + (highest - lowest)  # the live curve's range and the legend's rows over it, not the
        # ghost's blow-up (1e+48 and more)
        rows = text_of(screen.query_one(RaceTable)).split("\n")
        ghost_row = next(row for row in rows if "ghost 1" in row).split()
        assert f"diverged ({ghost.diverged_at})" in " ".join(ghost_row) and ghost_row[-1] == "—"


@run_async
async def test_a_diverged_ghost_does_not_frame_the_landscape():
    app = make_app("bump")
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        screen.session.pin_ghost(learning_rate=20.0)
        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        a, b = screen.presenter.selected, screen.presenter.second_axis()
        surface, path = screen.session.landscape(a, b)
        span = surface.a_values[-1] - surface.a_values[0]
        live_span = np.ptp(np.array(path)[:, 0])
        assert span < 10 * max(live_span, 1.0)  # framed on the live run, not on the ghost's blow-up
        [ghost] = screen.session._ghosts
        assert max(abs(p[a]) for _, p in ghost.path if math.isfinite(p[a])) > span  # which did blow up


@pytest.mark.parametrize("size,ghosts", [((120, 40), 2), ((140, 45), 3)])
@run_async
async def test_in_a_race_the_table_is_the_legend_and_the_log_ticks_fall_on_their_own_rows(size, ghosts):
    app = make_app("circle")
    async with app.run_test(size=size) as pilot:
        screen = playground(app)
        for changes in ({"optimizer": "adam"}, {"learning_rate": 2.0}, {"momentum": 0.0})[:ghosts]:
            screen.session.pin_ghost(**changes)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        plot = screen.query_one(LossPlot)
        text = text_of(plot)
        assert "ghost" not in text and "live" not in text  # no legend rows for the runs: the table names them
        monitor = plot.plt._active.monitor
        lo, top = monitor.ylim[0]
        rows = plot.canvas[1]
        assert (top - max(max(y) for y in monitor.y)) < 2 * (top - lo) / rows  # one legend row (the test set's)
        for y in monitor.y:
            assert lo <= min(y) and max(y) <= top  # every curve inside the range
        ticks = monitor.yticks[0]
        assert len({round((top - t) / (top - lo) * (rows - 1)) for t in ticks}) == len(ticks)  # a row each
        steps = np.diff(ticks)
        assert np.allclose(steps, steps[0])  # evenly spread
        table = text_of(screen.query_one(RaceTable))
        assert all(f"ghost {n}" in table for n in range(1, ghosts + 1))


@pytest.mark.parametrize("keys", [("ctrl+p",), ("U",)])
@run_async
async def test_a_modal_takes_down_the_last_keys_notice(keys):
    app = make_app("bump")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert any(n.message.startswith("Optimiser") for n in app._notifications)
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is not playground(app)
        assert not any(n.message.startswith("Optimiser") for n in app._notifications)


@pytest.mark.parametrize("size,keeps", [((80, 24), False), ((140, 45), True)])
@run_async
async def test_the_optimiser_notice_is_shorter_on_a_small_screen(size, keeps):
    app = make_app("bump")
    async with app.run_test(size=size) as pilot:
        await pilot.press("a")
        await pilot.pause()
        notice = next(n.message for n in app._notifications if n.message.startswith("Optimiser"))
        assert ("it keeps" in notice) == keeps and "Watch:" in notice


@pytest.mark.parametrize("size", [(120, 40), (140, 45)])
@run_async
async def test_with_the_eta_axis_and_a_ghost_the_title_shortens_but_shows(size):
    app = make_app("circle")
    async with app.run_test(size=size) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", "G", "right_square_bracket", "full_stop")
        await pilot.pause()
        plot = screen.query_one(LossPlot)
        assert screen.presenter.view_state(screen.frame, frozenset({"loss"})).learning_rates is not None
        text = text_of(plot)
        title = plot.plt._active.monitor.title
        assert title and title in text  # given a title that fits, plotext draws it


def test_without_colour_each_run_has_its_own_marker_and_swatch(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    @run_async
    async def check():
        app = make_app("bump")
        async with app.run_test(size=(140, 45)) as pilot:
            screen = playground(app)
            screen.session.pin_ghost(momentum=0.0)
            screen.session.pin_ghost(learning_rate=0.1)
            await pilot.press("full_stop")
            await pilot.pause()
            assert app.no_color
            markers = [m[0] for m in screen.query_one(LossPlot).plt._active.monitor.marker]
            assert len(set(markers)) == 3 and "•" in markers and "×" in markers  # live braille, ghosts • and ×
            rows = text_of(screen.query_one(RaceTable)).split("\n")
            assert rows[2].startswith("• ghost 1") and rows[3].startswith("× ghost 2")
    check()


@run_async
async def test_the_status_line_says_a_race_is_on_at_80_by_24():
    app = make_app("bump")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = playground(app)
        screen.session.pin_ghost(momentum=0.0)
        screen.session.pin_ghost(learning_rate=0.1)
        await pilot.press("full_stop")
        await pilot.pause()
        assert "race: 2 ghosts" in text_of(screen.query_one("#status"))


@run_async
async def test_the_title_keeps_the_step_and_scale_when_the_frame_has_room():
    app = make_app("xor")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press(*["full_stop"] * 5)
        await pilot.pause()
        assert "bce loss 0.6932 · step 50 · log (l)" in text_of(playground(app).query_one(LossPlot))
