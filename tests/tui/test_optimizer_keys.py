"""The optimiser and the schedule through the Pilot: `a`, the palette's prompts, the status line."""

import pytest
from textual.widgets import Input, Label

from nnplay.engine.optimizers import OPTIMIZERS
from nnplay.tui.prompt import Prompt
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


def titles(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


@run_async
async def test_a_cycles_the_optimiser_and_says_what_it_is_now():
    app = make_app("xor")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = playground(app)
        trainer = screen.session.trainer
        seen = []
        for _ in OPTIMIZERS:
            await pilot.press("a")
            await pilot.pause()
            name = trainer.settings.optimizer
            seen.append(name)
            assert f"│ {name} │" in text_of(screen.query_one(StatusLine))
            [notice] = [n.message for n in app._notifications]  # one notice: the last replaces the one before
            assert notice.startswith(f"Optimiser {name} ({OPTIMIZERS[name].title}): it keeps {OPTIMIZERS[name].keeps}.")
            assert OPTIMIZERS[name].formula in notice and OPTIMIZERS[name].watch in notice  # what it does, what to watch
        assert seen == ["nesterov", "rmsprop", "adam", "adagrad", "sgd"]
        await pilot.press("a", "a", "a")  # adam, with xor's η = 0.5: the notice says what adam usually wants
        await pilot.pause()
        [notice] = [n.message for n in app._notifications]
        assert "η = 0.5 stays as it was: adam usually wants 0.0001 to 0.01 ([ lowers it)" in notice
        assert trainer.settings.learning_rate == 0.5  # never changed silently
        momentum = trainer.settings.momentum
        await pilot.press("m")
        await pilot.pause()
        assert trainer.settings.momentum == momentum
        assert [n.message for n in app._notifications][-1].startswith("adam has no momentum α")
        assert "momentum" not in text_of(screen.query_one(StatusLine))


@run_async
async def test_the_palette_offers_the_numbers_of_the_optimiser_in_use():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        offered = titles(app)
        assert any(t.startswith("Set α (momentum) of sgd") for t in offered)
        assert not any("β1" in t or "ρ" in t or "ε" in t for t in offered)
        await pilot.press("a", "a", "a")  # adam
        await pilot.pause()
        offered = titles(app)
        assert any(t.startswith("Set β1 (beta1) of adam: now 0.9") for t in offered)
        assert any(t.startswith("Set ε (epsilon) of adam: now 1e-08") for t in offered)  # unset: adam's own
        assert not any("α" in t or "ρ" in t for t in offered)
        assert any(t.startswith("Set the learning-rate schedule: now constant") for t in offered)


@run_async
async def test_a_palette_prompt_keeps_a_wrong_value_open_and_sets_a_right_one():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        trainer = screen.session.trainer
        await pilot.press("ctrl+p")
        await pilot.press(*"learning-rate schedule")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Prompt) and app.screen.query_one(Input).value == "constant"
        await pilot.press("ctrl+u", *"step every=0 factor=0.5", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, Prompt)  # still open, with the loader's rule
        assert "schedule.every: must be a whole number of steps from 1, got 0" in text_of(prompt.query_one("#problem", Label))
        assert prompt.query_one(Input).value == "step every=0 factor=0.5"
        assert trainer.settings.schedule.constant
        await pilot.press("ctrl+u", *"step every=5 factor=0.5", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert str(trainer.settings.schedule) == "step every=5 factor=0.5"
        await pilot.press("full_stop")  # 10 steps: η halves twice
        await pilot.pause()
        assert "η 0.125 (step schedule)" in text_of(screen.query_one(StatusLine))
