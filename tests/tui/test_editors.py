"""The network editor (N), the data editor (D) and writing the scenario (ctrl+w), through Textual's Pilot."""

import numpy as np
import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label, Select

from nnplay.scenario import load
from nnplay.tui.data_editor import DataEditor
from nnplay.tui.lossplot import LossPlot
from nnplay.tui.network_editor import NetworkEditor
from nnplay.tui.prompt import Prompt
from nnplay.tui.status import StatusLine
from nnplay.tui.tick import Tick

from .conftest import make_app, playground, run_async, screen_text, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


async def settle(pilot, app, screen_type=None, shown: str | None = None) -> None:
    """Until the editor's check (a worker) has answered: the screen is no longer the editor, or shows a problem
    (other than ``shown``, the one it showed before this check)."""
    for _ in range(50):
        await pilot.pause(0.05)
        if screen_type is None or not isinstance(app.screen, screen_type):
            return
        problem = app.screen.query_one("#problem", Label)
        if problem.display and not problem.has_class("-checking") and problem_text(app) != shown:
            return


async def press_d(pilot, app) -> None:
    """D, and until the data editor is up (its form is made off the interface thread)."""
    await pilot.press("D")
    for _ in range(100):
        if isinstance(app.screen, DataEditor):
            break
        await pilot.pause(0.05)
    await pilot.pause()


def problem_text(app) -> str:
    return str(app.screen.query_one("#problem", Label).render())


@run_async
async def test_n_adds_a_layer_and_units_and_applies_a_new_run_from_step_0_with_a_ghost():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        old = playground(app)
        await pilot.press("greater_than_sign")
        assert old.session.trainer.step_count == 100
        await pilot.press("N")
        assert isinstance(app.screen, NetworkEditor)
        assert not old.session.running
        await pilot.press("backspace", "8")   # hidden 1: 2 -> 8 units
        await pilot.click("#add")             # a second hidden layer like it
        await pilot.pause()
        assert app.screen.query_one("#units-1", Input).value == "8"
        app.screen.query_one("#activation-1", Select).value = "tanh"
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot, app, NetworkEditor)
        new = playground(app)
        assert new is not old and not isinstance(app.screen, NetworkEditor)
        trainer = new.session.trainer
        assert trainer.step_count == 0
        assert [(layer.units, layer.activation) for layer in new.session.scenario.layers] == [
            (8, "sigmoid"), (8, "tanh"), (1, "sigmoid")]
        assert trainer.settings == old.session.trainer.settings  # the live settings kept
        await pilot.pause()
        status = text_of(app.screen.query_one(StatusLine))
        assert "network 2-2-1 (sigmoid, sigmoid) → 2-8-8-1 (sigmoid, tanh, sigmoid): a new run from step 0" in \
            " ".join(status.split())
        past = new.presenter.past
        assert past is not None and past.steps[-1] == 100
        await pilot.press("5")  # the loss plot whole: its legend
        await pilot.pause()
        assert "before the edit" in text_of(app.screen.query_one(LossPlot))
        await pilot.press("5", "0")  # reset: the past goes
        await pilot.pause()
        assert new.presenter.past is None
        assert "before the edit" not in text_of(app.screen.query_one(LossPlot))


@run_async
async def test_n_refuses_softmax_on_a_hidden_layer_and_stays_open():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        before = playground(app)
        await pilot.press("N")
        app.screen.query_one("#activation-0", Select).value = "softmax"
        await pilot.pause()
        await pilot.press("enter")  # in the units field
        await settle(pilot, app, NetworkEditor)
        assert isinstance(app.screen, NetworkEditor)
        assert problem_text(app) == "hidden 1: activation: softmax is only allowed on the output layer (the last one)"
        app.screen.query_one("#activation-0", Select).value = "relu"  # corrected: applies
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot, app, NetworkEditor)
        assert playground(app) is not before
        assert playground(app).session.scenario.layers[0].activation == "relu"


@run_async
async def test_n_refuses_a_loss_the_output_cannot_take():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("N")
        app.screen.query_one("#activation-output", Select).value = "linear"  # bce needs probabilities
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot, app, NetworkEditor)
        assert isinstance(app.screen, NetworkEditor)
        assert problem_text(app).startswith("loss: bce needs a sigmoid or softmax output layer")
        app.screen.query_one("#loss", Select).value = "mse"
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot, app, NetworkEditor)
        assert playground(app).session.scenario.training.loss == "mse"


@run_async
async def test_escape_leaves_the_run_as_it_was():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        before = playground(app)
        await pilot.press("space", "N", "backspace", "9", "escape")
        assert not isinstance(app.screen, NetworkEditor)
        await press_d(pilot, app)
        await pilot.press("escape")
        assert not isinstance(app.screen, DataEditor)
        assert playground(app) is before and before.session.trainer.step_count == 1
        assert [layer.units for layer in before.session.scenario.layers] == [2, 1]


@run_async
async def test_d_offers_the_generators_and_features_of_two_inputs_and_says_why_not_for_sentences():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await press_d(pilot, app)
        editor = app.screen
        assert isinstance(editor, DataEditor)
        assert editor.query_one("#generator", Select).value == "own"
        assert editor.query_one("#samples", Input).is_disabled  # a generator's: off for the scenario's own data
        editor.query_one("#generator", Select).value = "circle"
        await pilot.pause()
        assert not editor.query_one("#samples", Input).is_disabled
        assert "x1*x2" in screen_text(app)
        await pilot.press("escape")
    app = make_app("sentiment")
    async with app.run_test(size=WIDE) as pilot:
        await press_d(pilot, app)
        assert not app.screen.query("#generator") and not app.screen.query("#feature-0")
        assert "Sentences: only a test split applies" in screen_text(app)


@run_async
async def test_d_with_nothing_changed_or_a_bad_number_says_so_and_stays_open():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await press_d(pilot, app)
        await pilot.click("#apply")
        await settle(pilot, app, DataEditor)
        assert isinstance(app.screen, DataEditor)
        assert problem_text(app).startswith("Nothing changed")
        app.screen.query_one("#test-fraction", Input).value = "1.5"
        await pilot.pause()  # (the form hears of the value through its Changed message)
        await pilot.click("#apply")
        await settle(pilot, app, DataEditor, shown=problem_text(app))
        assert isinstance(app.screen, DataEditor) and problem_text(app).startswith("data.test_fraction: ")


@run_async
async def test_d_applies_a_test_split_as_a_new_run():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("space")
        await press_d(pilot, app)
        app.screen.query_one("#test-fraction", Input).value = "0.25"
        await pilot.pause()
        await pilot.click("#apply")
        await settle(pilot, app, DataEditor)
        session = playground(app).session
        assert session.trainer.step_count == 0 and session.trainer.X_test is not None
        assert playground(app).presenter.past is not None


@run_async
async def test_ctrl_w_writes_the_scenario_that_loads_back_to_the_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "xor-edited.toml").write_text("taken")
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("right_square_bracket")  # a live learning rate
        await pilot.press("ctrl+w")
        assert isinstance(app.screen, Prompt)
        assert app.screen.query_one(Input).value == "xor-edited-2.toml"  # the first free name
        assert "doesnotreplay" not in screen_text(app).replace(" ", "")  # ] at step 0: the file replays this run
        app.screen.query_one(Input).value = "xor-edited.toml"
        await pilot.pause()
        await pilot.press("enter")  # taken: refused, the prompt stays
        assert isinstance(app.screen, Prompt)
        assert "xor-edited.toml exists already" in screen_text(app)
        app.screen.query_one(Input).value = "mine.toml"
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if (tmp_path / "mine.toml").exists():
                break
        await pilot.pause(0.2)
        trainer = playground(app).session.trainer
        assert (tmp_path / "xor-edited.toml").read_text() == "taken"
    written = load(str(tmp_path / "mine.toml")).make_trainer()
    assert written.settings == trainer.settings != load("xor").make_trainer().settings
    written.step(20)
    original = load("xor").make_trainer()
    original.change_settings(learning_rate=trainer.settings.learning_rate)
    original.step(20)
    np.testing.assert_array_equal(written.params, original.params)


@run_async
async def test_the_editors_and_writing_are_in_the_command_palette():
    app = make_app("xor")
    async with app.run_test(size=WIDE):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert any(t.startswith("Network editor") for t in titles)
        assert any(t.startswith("Data editor") for t in titles)
        assert any(t.startswith("Write the scenario") for t in titles)


@pytest.mark.parametrize("size", [(140, 45), (120, 40), (80, 24)])
@pytest.mark.parametrize("key, editor", [("N", NetworkEditor), ("D", DataEditor)])
@run_async
async def test_the_editors_fit_and_scroll_on_a_small_terminal(size, key, editor):
    app = make_app("spiral")
    async with app.run_test(size=size) as pilot:
        if key == "D":
            await press_d(pilot, app)
        else:
            await pilot.press(key)
        assert isinstance(app.screen, editor)
        box = app.screen.query_one(VerticalScroll)
        region = box.region
        assert region.x >= 0 and region.y >= 0
        assert region.right <= size[0] and region.bottom <= size[1]
        apply = app.screen.query_one("#apply")
        apply.scroll_visible(animate=False)
        await pilot.pause()
        assert box.region.contains_region(apply.region)  # reached by scrolling inside the editor


@run_async
async def test_two_quick_enters_close_the_prompt_and_the_editor_only():
    """A second enter queued before the first closed the modal must not close the playground under it."""
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        first = playground(app)
        await pilot.press("ctrl+w")
        prompt = app.screen
        field = prompt.query_one(Input)
        field.value = ""  # blank: writes nothing
        prompt.post_message(Input.Submitted(field, ""))
        prompt.post_message(Input.Submitted(field, ""))
        await pilot.pause(0.2)
        assert app.screen is first
        await pilot.press("N")
        editor = app.screen
        editor.query_one("#units-0", Input).value = "3"
        editor.submit()
        editor.submit()
        await pilot.pause(0.5)
        assert isinstance(app.screen, type(first)) and app.screen is not first
        assert [layer.units for layer in playground(app).session.scenario.layers] == [3, 1]


@run_async
async def test_ctrl_w_after_a_change_mid_run_says_the_file_does_not_replay_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("greater_than_sign", "right_square_bracket")  # ] at step 100
        await pilot.press("ctrl+w")
        assert isinstance(app.screen, Prompt)
        question = str(app.screen.query_one(Label).render())  # the prompt's question (wrapped on the screen)
        assert question.split("\n")[0].endswith(
            "at step 100: the file starts with the settings as they are now, so it does not replay this run")


@run_async
async def test_enter_on_a_feature_checkbox_applies_and_space_ticks():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await press_d(pilot, app)
        editor = app.screen
        assert "space ticks, enter applies" in screen_text(app)
        x1_2, x2_2 = editor.query_one("#feature-2", Tick), editor.query_one("#feature-3", Tick)
        assert str(x1_2.label) == "x1^2" and str(x2_2.label) == "x2^2"
        x1_2.focus()
        await pilot.press("space")
        x2_2.focus()
        await pilot.press("space")
        assert x1_2.value and x2_2.value
        await pilot.press("enter")  # applies, and leaves x2^2 ticked
        await settle(pilot, app, DataEditor)
        assert not isinstance(app.screen, DataEditor)
        assert playground(app).session.scenario.data.input_names == ("x1", "x2", "x1^2", "x2^2")


@run_async
async def test_enter_on_a_select_applies_and_on_a_button_presses_it():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("N")
        editor = app.screen
        editor.query_one("#add", Button).focus()
        await pilot.press("enter")  # a button: pressed (a second hidden layer), not apply
        await pilot.pause()
        assert isinstance(app.screen, NetworkEditor) and app.screen.query("#units-1")
        select = editor.query_one("#activation-1", Select)
        select.value = "tanh"
        select.focus()
        await pilot.press("enter")  # a select: applies (space or the arrows open its menu)
        await settle(pilot, app, NetworkEditor)
        assert not isinstance(app.screen, NetworkEditor)
        assert [(layer.units, layer.activation) for layer in playground(app).session.scenario.layers] == \
            [(2, "sigmoid"), (2, "tanh"), (1, "sigmoid")]


@run_async
async def test_an_open_selects_enter_picks_and_does_not_apply():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("N")
        select = app.screen.query_one("#activation-0", Select)
        select.focus()
        await pilot.press("space")  # opens its menu
        assert select.expanded
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NetworkEditor) and not select.expanded
        assert select.value != "sigmoid"


@run_async
async def test_an_unticked_box_looks_unticked_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await press_d(pilot, app)
        x1, x1_2 = app.screen.query_one("#feature-0", Tick), app.screen.query_one("#feature-2", Tick)
        assert x1.value and not x1_2.value
        ticked, unticked = text_of(x1), text_of(x1_2)
        assert "X" in ticked.split("x1")[0] and "X" not in unticked.split("x1^2")[0], (ticked, unticked)
        x1_2.focus()
        await pilot.press("space")
        assert "X" in text_of(x1_2).split("x1^2")[0]


@run_async
async def test_d_then_n_opens_the_network_editor_alone():
    """The data editor's form is made off the interface thread: N pressed meanwhile opens the network editor,
    and the data editor, once its form is ready, does not cover it (the editors used to stack)."""
    import time

    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        presenter = playground(app).presenter
        form = presenter.data_form

        def slow_form():
            time.sleep(0.3)  # as digits' takes, and more
            return form()

        presenter.data_form = slow_form
        await pilot.press("D", "N")
        assert isinstance(app.screen, NetworkEditor)
        await pilot.pause(0.6)
        assert isinstance(app.screen, NetworkEditor)
        assert not any(isinstance(screen, DataEditor) for screen in app.screen_stack)
        presenter.data_form = form
        await pilot.press("escape")
        await press_d(pilot, app)  # and D alone still opens it
        assert isinstance(app.screen, DataEditor)
