"""Issue 'Seeing why it learns' through the Pilot: the keys reach the presenter and the panes show it.

The numbers themselves, and every action, are tested without Textual in tests/test_playground.py.
"""

import json

import numpy as np
import pytest

from nnplay import figures
from nnplay.scenario import EXPLAIN_VIEWS, load
from nnplay.tui.app import PlaygroundApp
from nnplay.tui.chain_rule import ChainRuleView
from nnplay.tui.cost_calculator import CostCalculator
from nnplay.tui.inspector import Inspector
from nnplay.tui.lesson import LessonPane
from nnplay.tui.nudge import NudgeView
from nnplay.tui.status import StatusLine

from .conftest import make_app, playground, run_async, screen_text, text_of

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


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
            assert screen.query_one("#explain").current == f"explain-{screen.presenter.explain_mode}"
            assert screen.query_one("#pane-explain").border_title.startswith("6 Explain: ")
        assert seen == list(EXPLAIN_VIEWS[1:]) + [EXPLAIN_VIEWS[0]]


@run_async
async def test_the_inspector_prints_the_optimisers_next_update():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop")
        await pilot.pause()
        snap = screen.frame.snapshot
        shown = text_of(screen.query_one(Inspector))
        assert f"= {snap.next_update[screen.presenter.selected]:+.4g}" in shown
        assert "next update: Δw = −η·g + α·Δw_prev" in shown


@run_async
async def test_chain_rule_view_shows_the_gradient_backprop_computed():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        await pilot.press("full_stop", *["w"] * 6, "v")  # the weight h1 -> xor (after 4 weights, 2 biases)
        await pilot.pause()
        rule = screen.presenter.view_state(screen.frame).explain
        assert isinstance(rule, figures.ChainRule)
        shown = text_of(screen.query_one(ChainRuleView))
        assert f"dE/dw {rule.gradient:+.6g}" in shown.replace("\n", " ") and "w(h1 → xor)" in shown
        assert "dE/dy · f'(u)" in shown  # an output unit's delta, expanded
        assert f"= {rule.next_update:+.4g}" in shown


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
async def test_hyper_parameter_keys():
    app = make_app("spiral")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        settings = lambda: screen.session.trainer.settings  # noqa: E731
        await pilot.press("m")
        assert settings().momentum == 0.95
        await pilot.press("M", "M", "k", "c")
        assert (settings().momentum, settings().batch_size, settings().loss) == (0.8, 16, "mse")
        await pilot.pause()
        assert "momentum 0.8 │ batch 16" in text_of(screen.query_one(StatusLine))


@run_async
async def test_cost_calculator():
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("C")
        assert isinstance(app.screen, CostCalculator)
        await pilot.pause()
        costs = app.screen.query_one("#costs")
        before = text_of(costs)
        assert f"{-np.log(0.997):.6g}" in before  # bce of y = 0.003 for t = 0
        await pilot.press(*"0.997")
        await pilot.pause()
        after = text_of(costs)
        assert f"{-np.log(0.003):.6g}" in after and after != before
        for loss in ("mse", "sse", "mae", "bce", "cce"):
            assert loss in after
        assert "needs two or more probabilities that add up to 1" in " ".join(after.split())  # wrapped in its cell
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
        assert "h1" in screen.query_one("#unit-maps").render_line(0).text
        await pilot.press("u")
        assert not screen.presenter.show_unit_maps and screen.query_one("#view-switcher").current == "view"
    app = make_app("bump")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.press("u")
        assert not playground(app).presenter.show_unit_maps  # one input: no maps, a message instead
        assert "Per-unit maps need two inputs" in screen_text(app)


@run_async
async def test_lesson_keys_turn_the_pages():
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        screen = playground(app)
        lessons = screen.session.scenario.lessons
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert screen.presenter.lesson_index == 2 and screen.presenter.explain_mode == "chain-rule"
        await pilot.pause()
        assert screen.query_one("#explain").current == "explain-chain-rule"
        assert lessons[2].title in text_of(screen.query_one(LessonPane))
        await pilot.press("left_curly_bracket")
        assert screen.presenter.lesson_index == 1


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
        await app.workers.wait_for_complete()  # saving runs off the interface thread
        await pilot.pause()
        saved = tmp_path / "nnplay-sentiment-step100.json"
        assert json.loads(saved.read_text())["step"] == 100
        await pilot.press("0", "O", *"nope.json", "enter")
        await pilot.pause()
        assert playground(app).session is session  # a bad file: a message, nothing else
        await pilot.press("O", *str(saved.name), "enter")
        await pilot.pause()
        loaded = playground(app).session
        assert loaded is not session and loaded.trainer.step_count == 100
        await pilot.press("space")
        assert loaded.trainer.step_count == 101


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
