"""Issue 'Seeing why it learns' in the playground: every new key, pressed through the Pilot."""

import json

import numpy as np
import pytest

from nnplay import figures
from nnplay.scenario import EXPLAIN_VIEWS, load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.chain_rule import ChainRuleView
from nnplay.tui.cost_calculator import CostCalculator
from nnplay.tui.lesson import LessonPane
from nnplay.tui.nudge import NudgeView
from nnplay.tui.prompt import Prompt

from .conftest import make_app, playground, run_async

WIDE = (140, 45)


def text_of(widget) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@run_async
async def test_v_cycles_the_explain_views():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop")
        seen = []
        for _ in EXPLAIN_VIEWS:
            await pilot.press("v")
            await pilot.pause()
            seen.append(screen.presenter.explain_mode)
            current = screen.query_one("#explain").current
            assert current == f"explain-{screen.presenter.explain_mode}"
        assert seen == list(EXPLAIN_VIEWS[1:]) + [EXPLAIN_VIEWS[0]]


@run_async
async def test_chain_rule_view_shows_the_gradient_backprop_computed():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", *["w"] * 6, "v")  # the weight h1 -> xor (after 4 weights, 2 biases)
        await pilot.pause()
        snap = screen.frame.snapshot
        rule = screen.presenter.view_state(screen.frame).explain
        assert isinstance(rule, figures.ChainRule) and rule.gradient == pytest.approx(snap.grad[screen.presenter.selected])
        shown = text_of(screen.query_one(ChainRuleView))
        assert f"dE/dw {rule.gradient:+.6g}" in shown.replace("\n", " ") and "w(h1 → xor)" in shown
        assert "dE/dy · f'(u)" in shown  # an output unit's delta, expanded


@run_async
async def test_nudge_view_shows_both_slopes():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("v", "v")
        await pilot.pause()
        n = screen.presenter.view_state(screen.frame).explain
        shown = text_of(screen.query_one(NudgeView))
        assert f"{n.slope:+.8g}" in shown and f"{n.gradient:+.8g}" in shown and "agree to" in shown


@run_async
async def test_sweep_and_landscape_views():
    app = make_app("bump")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("greater_than_sign", "v", "v", "v")
        await pilot.pause()
        state = screen.presenter.view_state(screen.frame)
        assert screen.presenter.explain_mode == "sweep"
        assert state.explain.losses[len(state.explain.values) // 2] == pytest.approx(screen.frame.snapshot.loss)
        await pilot.press("x", "w", "v")
        await pilot.pause()
        assert screen.presenter.explain_mode == "landscape"
        surface, path = screen.presenter.view_state(screen.frame).landscape
        assert len(path) == 101  # steps 0 to 100 of both weights
        a, b = screen.presenter.selected, screen.presenter.pinned
        trainer = screen.session.trainer
        assert path[-1] == (trainer.params[a], trainer.params[b]) == surface.current
        assert path[0] == (trainer.initial_params[a], trainer.initial_params[b])


@run_async
async def test_editing_a_weight_updates_everything_and_step_back_undoes_it():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        trainer = screen.session.trainer
        await pilot.press("full_stop")
        before_loss = trainer.current_loss()
        await pilot.press("e")
        assert isinstance(app.screen, Prompt)
        await pilot.press(*"2.5", "enter")
        await pilot.pause()
        assert trainer.params[screen.presenter.selected] == 2.5
        assert screen.frame.snapshot.params[screen.presenter.selected] == 2.5
        assert screen.frame.snapshot.loss != before_loss
        await pilot.press("space", "b")
        assert trainer.params[screen.presenter.selected] == 2.5  # back to step 10, edit included
        await pilot.press("b")
        assert trainer.step_count == 9 and trainer.params[screen.presenter.selected] != 2.5
        await pilot.press("e", *"banana", "enter")
        await pilot.pause()
        assert trainer.step_count == 9  # a bad value changes nothing


@run_async
async def test_hyper_parameters_live_and_recorded():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        trainer = session.trainer
        await pilot.press("full_stop")
        await pilot.press("m")
        assert trainer.settings.momentum == 0.95
        await pilot.press("M", "M")
        assert trainer.settings.momentum == 0.8
        await pilot.press("k")
        assert trainer.settings.batch_size == 16  # after 9 (not on the ladder): the next size up
        await pilot.press("k", "k")
        assert trainer.settings.batch_size in (0, 32)
        await pilot.press("c")
        assert trainer.settings.loss == "mse"  # after cce, for a softmax output
        await pilot.press("full_stop")
        changed = trainer.params.copy()
        await pilot.press("B")
        assert trainer.step_count == 10 and trainer.settings.loss == "mse"
        await pilot.press("b")
        assert trainer.settings.loss == "cce" and trainer.settings.momentum == 0.9 and trainer.settings.batch_size == 9
        await pilot.press("space")
        assert not np.array_equal(trainer.params, changed)


@run_async
async def test_cost_calculator():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("C")
        assert isinstance(app.screen, CostCalculator)
        await pilot.pause()
        table = str(app.screen.query_one("#costs").render())
        await pilot.press(*"0.997")
        await pilot.pause()
        after = app.screen.query_one("#costs")
        from nnplay.tui.cost_calculator import cost_table
        expected = cost_table("0", "0.997")
        values = [row for row in expected.columns[2]._cells]
        assert values[3] == f"{-np.log(0.003):.6g}"
        assert table != str(after.render())
        await pilot.press("escape")
        assert not isinstance(app.screen, CostCalculator)


@run_async
async def test_unit_maps_toggle():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("u")
        await pilot.pause()
        assert screen.presenter.show_unit_maps and screen.query_one("#view-switcher").current == "unit-maps"
        maps = screen.presenter.view_state(screen.frame).unit_maps
        assert len(maps) == 16
        assert "h1" in screen.query_one("#unit-maps").render_line(0).text
        await pilot.press("u")
        assert not screen.presenter.show_unit_maps
    app = make_app("bump")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("u")
        assert not playground(app).presenter.show_unit_maps  # one input: no maps, a message instead


@run_async
async def test_lesson_pages_apply_their_actions():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        lessons = screen.session.scenario.lessons
        await pilot.press("right_curly_bracket")
        assert screen.presenter.lesson_index == 1 and screen.presenter.sample == 3
        await pilot.press("right_curly_bracket")
        assert screen.presenter.explain_mode == "chain-rule" and screen.presenter.selected == lessons[2].action.weight
        await pilot.pause()
        assert lessons[2].title in text_of(screen.query_one(LessonPane))
        for _ in range(10):
            await pilot.press("right_curly_bracket")
        assert screen.presenter.lesson_index == len(lessons) - 1
        assert screen.session.trainer.step_count == 500 and screen.presenter.explain_mode == "inspector"
        await pilot.press("left_curly_bracket")
        assert screen.presenter.lesson_index == len(lessons) - 2


@run_async
async def test_a_long_run_to_trains_in_the_background(tmp_path):
    toml = load("xor").text + '\n[[lesson]]\ntitle = "go"\ntext = "far"\naction = { run_to = 30000 }\n'
    path = tmp_path / "far.toml"
    path.write_text(toml)
    app = PlaygroundApp(load(str(path)))
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        for _ in range(len(screen.session.scenario.lessons) - 1):
            await pilot.press("right_curly_bracket")
        before = screen.presenter.sample
        await pilot.press("n")  # the interface answers while it runs
        assert screen.presenter.sample == (before + 1) % 4
        for _ in range(100):
            await pilot.pause(0.05)
            if not screen.session.running:
                break
        assert screen.session.trainer.step_count == 30000 and not screen.session.running


@run_async
async def test_save_and_load_from_the_playground(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("sentiment")
    async with app.run_test(size=WIDE) as pilot:
        session = playground(app).session
        await pilot.press("greater_than_sign", "s")
        await pilot.pause()
        saved = tmp_path / "nnplay-sentiment-step100.json"
        assert saved.exists() and (tmp_path / "nnplay-sentiment-step100.csv").exists()
        assert json.loads(saved.read_text())["step"] == 100
        params = session.trainer.params.copy()
        await pilot.press("0", "O", *"nope.json", "enter")
        await pilot.pause()
        assert playground(app).session is session  # a bad file: a message, nothing else
        await pilot.press("O", *str(saved.name), "enter")
        await pilot.pause()
        loaded = playground(app).session
        assert loaded is not session and loaded.trainer.step_count == 100
        np.testing.assert_array_equal(loaded.trainer.params, params)
        await pilot.press("space")
        assert loaded.trainer.step_count == 101


@run_async
async def test_the_views_are_exact_under_step_back():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("greater_than_sign", "w", "x", "w", "v")
        first = screen.presenter.view_state(screen.frame).explain
        await pilot.press("v", "v", "v")
        surface, path = screen.presenter.view_state(screen.frame).landscape
        await pilot.press("full_stop", "m", "full_stop", "B", "B")
        assert screen.session.trainer.step_count == 100
        again_surface, again_path = screen.presenter.view_state(screen.frame).landscape
        np.testing.assert_array_equal(again_surface.losses, surface.losses)
        assert again_path == path
        await pilot.press("v", "v")
        again = screen.presenter.view_state(screen.frame).explain
        assert screen.presenter.explain_mode == "chain-rule"
        np.testing.assert_array_equal(again.products, first.products)
        assert again.gradient == first.gradient and again.next_update == first.next_update


@run_async
async def test_while_running_the_training_thread_makes_the_landscape():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        session = screen.session
        await pilot.press("v", "v", "v", "v")
        assert screen.presenter.explain_mode == "landscape" and session.landscape_pair is not None
        while session.speed is not None:
            await pilot.press("plus")
        app.simulate_key("r")
        for _ in range(100):  # the first one comes a second after the one made at step 0
            await pilot.pause(0.05)
            frame = screen.frame
            if frame is not None and frame.running and frame.landscape is not None and len(frame.landscape[1][1]) > 1:
                break
        session.pause()
        await pilot.pause(0.1)
        assert frame.landscape is not None and frame.landscape[0] == session.landscape_pair
        surface, path = frame.landscape[1]
        a, b = session.landscape_pair
        # made by the training thread at a state of this run at most a second old: its last point
        # is the pair's value at some step up to the frame's, and the surface is centred on the path
        steps, values = session.trainer.trajectory([a, b], since=0)
        reached = [tuple(v) for v in values[: frame.snapshot.step + 1].tolist()]
        assert path[-1] in reached and path[-1] == surface.current
        assert len(path) > 1
        await pilot.press("v")
        assert session.landscape_pair is None
