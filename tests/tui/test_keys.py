"""Every key of the playground, pressed through Textual's Pilot."""

import numpy as np
import pytest

from nnplay.scenario import bundled_names
from nnplay.session import SPEEDS
from nnplay.tui.help import HelpScreen
from nnplay.tui.picker import ScenarioPicker
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, screen_text, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


def status_text(app) -> str:
    return text_of(app.screen.query_one(StatusLine))


@run_async
async def test_space_dot_and_greater_than_step_1_10_100():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        trainer = screen.session.trainer
        assert trainer.step_count == 0 and "step 0 │" in status_text(app)
        await pilot.press("space")
        assert trainer.step_count == 1
        await pilot.press("full_stop")
        assert trainer.step_count == 11
        await pilot.press("greater_than_sign")
        assert trainer.step_count == 111
        await pilot.pause()
        text = status_text(app)
        assert "step 111 │" in text and f"loss {trainer.current_loss():.6g}" in text


@run_async
async def test_step_back_is_exact_and_reset_returns_to_zero():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        trainer = playground(app).session.trainer
        await pilot.press("full_stop", "full_stop")
        at_20 = trainer.params.copy()
        await pilot.press("space")
        await pilot.press("b")
        assert trainer.step_count == 20
        np.testing.assert_array_equal(trainer.params, at_20)
        await pilot.press("B")
        assert trainer.step_count == 10
        await pilot.press("0")
        assert trainer.step_count == 0
        np.testing.assert_array_equal(trainer.params, trainer.initial_params)
        await pilot.press("b")  # nothing before step 0: no error
        assert trainer.step_count == 0


@run_async
async def test_speed_and_learning_rate_keys():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        speed = session.speed
        await pilot.press("plus")
        assert SPEEDS.index(session.speed) == SPEEDS.index(speed) + 1
        await pilot.press("minus", "minus")
        assert SPEEDS.index(session.speed) == SPEEDS.index(speed) - 1
        lr = session.trainer.settings.learning_rate
        await pilot.press("right_square_bracket")
        assert session.trainer.settings.learning_rate == 1.0 > lr
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert session.trainer.settings.learning_rate == 0.2
        await pilot.pause()
        assert "η 0.2 │" in status_text(app)


@run_async
async def test_sample_weight_mode_and_log_keys():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("n", "n")
        assert screen.presenter.sample == 2
        await pilot.press("p", "p", "p")
        assert screen.presenter.sample == 3  # wraps around
        first = screen.presenter.selected
        await pilot.press("w")
        assert screen.presenter.selected == screen.presenter.order[1]
        await pilot.press("W", "W")
        assert screen.presenter.selected == screen.presenter.order[-1] and first == screen.presenter.order[0]
        modes = []
        for _ in range(3):
            await pilot.press("g")
            modes.append(screen.presenter.mode)
        assert modes == ["weights", "updates", "gradients"]
        log = screen.presenter.log_scale
        await pilot.press("l")
        assert screen.presenter.log_scale is not log


@run_async
async def test_run_and_pause():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        await pilot.press("r")
        assert session.running
        await pilot.pause(0.3)
        await pilot.press("r")
        assert not session.running
        await pilot.pause(0.1)
        steps = session.trainer.step_count
        assert steps > 0
        await pilot.pause(0.2)
        assert session.trainer.step_count == steps  # paused means paused
        assert "paused" in status_text(app)


@run_async
async def test_flat_out_run_stays_responsive():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        session = screen.session
        while session.speed is not None:
            await pilot.press("plus")
        await pilot.press("r")
        await pilot.pause(0.4)
        before = session.trainer.step_count
        await pilot.press("n")  # a key while training flat out
        assert screen.presenter.sample == 1
        await pilot.pause(0.4)
        assert session.trainer.step_count > before > 0
        await pilot.press("r")
        await pilot.pause(0.1)
        assert not session.running


@run_async
async def test_help_screen_lists_every_key():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for description in ("Step", "Run/Pause", "Back", "10 steps", "100 steps", "Reset",
                            "Run faster", "Learning rate up", "Next sample", "Next weight", "Quit"):
            assert description in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@run_async
async def test_open_picker_switches_scenario():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, ScenarioPicker)
        # the current scenario is highlighted; bump is first in the sorted list
        assert app.screen.query_one("OptionList").highlighted == bundled_names().index("xor")
        await pilot.press("home", "enter")
        await pilot.pause()
        assert playground(app).session.scenario.name == "Bump"
        await pilot.press("space")
        assert playground(app).session.trainer.step_count == 1
        await pilot.press("o", "escape")
        assert playground(app).session.scenario.name == "Bump"


@run_async
async def test_q_quits():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@run_async
async def test_number_keys_maximise_panes_when_wide():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("5")
        assert screen.maximized is screen.query_one("#pane-loss")
        await pilot.press("5")
        assert screen.maximized is None


@run_async
async def test_command_palette_has_the_actions():
    app = make_app()
    async with app.run_test(size=WIDE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Step", "Run/Pause", "Back", "Reset", "Learning rate up", "Next weight", "Help", "Open"):
            assert title in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "10 steps")
        await command.callback()
        assert playground(app).session.trainer.step_count == 10


@run_async
async def test_typing_a_sentence_shows_its_prediction():
    app = make_app("sentiment")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("t")
        await pilot.press(*"i loved zebras")
        await pilot.pause()
        assert screen.presenter.sentence_text == "i loved zebras"
        report = screen.presenter.view_state(screen.frame).sentence
        assert report.unknown == ("zebras",) and report.known == ("i", "loved")
        shown = text_of(screen.query_one("#report"))
        assert "P(positive) = " in shown and "zebras" in shown
        assert screen.session.trainer.step_count == 0  # the space went to the text box
        await pilot.press("escape", "space")
        assert screen.session.trainer.step_count == 1
