"""Inputs behave: the weight editor, the notices of repeated keys, the load prompt's suggestions."""

import os

import pytest
from textual.widgets import Input, Label

from nnplay.tui.prompt import Prompt

from .conftest import make_app, playground, run_async, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


@run_async
async def test_a_wrong_value_keeps_the_weight_editor_open_with_the_message():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        index = screen.presenter.selected
        before = float(screen.session.trainer.params[index])
        await pilot.press("e", "ctrl+u", *"1.2.3", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, Prompt)  # still open
        problem = prompt.query_one("#problem", Label)
        assert problem.display and "Not a finite number: '1.2.3'" in text_of(problem)
        assert prompt.query_one(Input).value == "1.2.3"  # the text stays, to correct
        assert float(screen.session.trainer.params[index]) == before
        await pilot.press("ctrl+u", *"inf", "enter")
        await pilot.pause()
        assert isinstance(app.screen, Prompt) and "'inf'" in text_of(app.screen.query_one("#problem", Label))
        await pilot.press("ctrl+u", *"0.25", "enter")
        await pilot.pause()
        assert app.screen is screen  # a right value closes it and is applied
        assert float(screen.session.trainer.params[index]) == 0.25


@run_async
async def test_a_repeated_key_replaces_its_notice():
    app = make_app("xor")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = playground(app)
        await pilot.press(*["right_square_bracket"] * 14)
        await pilot.pause()
        notices = list(app._notifications)
        assert [n.message for n in notices] == [f"Learning rate η = {screen.session.trainer.settings.learning_rate:g}"]
        await pilot.press("m")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["Momentum α = 0.95"]


@run_async
async def test_notices_told_faster_than_the_app_shows_them_still_leave_one():
    from textual.widgets._toast import Toast

    from nnplay.playground import Notice

    app = make_app("xor")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        screen = playground(app)
        for text in ("one", "two", "three"):  # as keys typed in one burst: no message handled in between
            screen.tell(Notice(text))
        await pilot.pause()
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["three"]
        assert len(screen.query(Toast)) == 1


@run_async
async def test_warnings_are_not_replaced(diverging_file):
    from nnplay.scenario import load
    from nnplay.tui.app import PlaygroundApp

    app = PlaygroundApp(load(str(diverging_file)))
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        severities = sorted(n.severity for n in app._notifications)
        assert severities == ["information", "warning"]


@run_async
async def test_the_load_prompt_offers_the_saved_runs_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("greater_than_sign", "s")
        await pilot.pause()
        (tmp_path / "notes.txt").write_text("not a run")
        os.utime(tmp_path / "nnplay-xor-step100.json", (1, 1))  # older than the next save
        await pilot.press("space", "s")
        await pilot.pause()
        await pilot.press("O")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, Prompt)
        assert prompt.suggestions == ("nnplay-xor-step101.json", "nnplay-xor-step100.json")  # newest first, JSON only
        offers = " ".join(text_of(prompt.query_one("#offers")).split())  # wrapped to the prompt's width
        assert "here, newest first: nnplay-xor-step101.json, nnplay-xor-step100.json;" in offers
        field = prompt.query_one(Input)
        assert field.placeholder == "nnplay-xor-step101.json"
        await pilot.press(*"nnplay-xor-step10")
        await pilot.pause()
        await pilot.press("0", "right")  # → takes the suggestion
        await pilot.pause()
        assert field.value == "nnplay-xor-step100.json"
        await pilot.press("enter")
        await pilot.pause()
        assert playground(app).session.trainer.step_count == 100


@run_async
async def test_tab_completes_a_saved_runs_name_and_a_wrong_name_keeps_the_load_prompt_open(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("greater_than_sign", "s")
        await app.workers.wait_for_complete()  # saving runs off the interface thread
        await pilot.press("O", *"nnplay-x", "enter")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, Prompt)  # a name that is no file: the prompt stays, saying so, the name there
        assert text_of(prompt.query_one("#problem")) == "nnplay-x: no such file"
        field = prompt.query_one(Input)
        assert field.value == "nnplay-x"
        await pilot.press("tab")  # as a shell completes a name
        await pilot.pause()
        assert field.value == "nnplay-xor-step100.json" and app.screen is prompt
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is not prompt and playground(app).session.trainer.step_count == 100
